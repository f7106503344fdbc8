-- deep-review-lsp for Neovim 0.7 and later, with the built-in LSP client only.
--
--   local deep_review = dofile('/path/to/deep-review-lsp/client-neovim/deep_review.lua')
--   deep_review.setup({ settings = { deepReview = { rounds = 'latest' } } })
--
-- Every buffer whose file sits under a project root with a review directory
-- (`.deep-review` unless settings.deepReview.directory says otherwise) gets the
-- server attached. The root is the nearest ancestor holding the review directory
-- or `.git`. One server runs per root.
--
-- Neovim 0.7 has no vim.lsp.start, so this module keeps its own map from root
-- to client id and attaches with vim.lsp.start_client / vim.lsp.buf_attach_client.

local M = {}

--- The options setup() starts from; any of them can be overridden.
M.defaults = {
  -- The server command; for a checkout: { 'node', '/path/to/deep-review-lsp/bin/deep-review-lsp.js', '--stdio' }.
  cmd = { 'deep-review-lsp', '--stdio' },
  -- Answered to workspace/configuration and sent as initializationOptions; see the README for every key.
  settings = { deepReview = {} },
  -- Markers that end the walk up from a file; the first directory holding one is the root.
  root_markers = { '.git' },
  -- Passed through to vim.lsp.start_client.
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
  flags = nil,
  -- Shown in :LspInfo-like listings and log lines.
  name = 'deep-review',
}

local function is_dir(path)
  local stat = vim.loop.fs_stat(path)
  return stat ~= nil and stat.type == 'directory'
end

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

--- The review directory name the settings name, relative to a root.
function M.review_directory(settings)
  local dr = settings and settings.deepReview
  return (dr and dr.directory) or '.deep-review'
end

--- Walks up from `path` (a file or directory) to the nearest directory holding the
--- review directory or one of `markers`; returns that directory and whether it has
--- the review directory, or nil when the walk reaches the file system root.
function M.find_root(path, review_dir, markers)
  local dir = vim.fn.fnamemodify(path, ':p')
  if not is_dir(dir) then
    dir = vim.fn.fnamemodify(dir, ':h')
  end
  dir = dir:gsub('/+$', '')
  if dir == '' then
    dir = '/'
  end
  while true do
    if is_dir(dir .. '/' .. review_dir) then
      return dir, true
    end
    for _, marker in ipairs(markers or {}) do
      if exists(dir .. '/' .. marker) then
        return dir, false
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil, false
    end
    dir = parent
  end
end

--- Sets up the autocommands; returns a handle with attach(bufnr), client_for(root) and stop().
function M.setup(opts)
  local config = vim.tbl_deep_extend('force', M.defaults, opts or {})
  if vim.tbl_isempty(config.settings.deepReview or {}) then
    -- An empty Lua table encodes as a JSON array; the server wants an object.
    config.settings.deepReview = vim.empty_dict()
  end
  local review_dir = M.review_directory(config.settings)
  -- Root directory -> client id. Per setup() call, so two setups never share state.
  local clients = {}
  local warned_missing_cmd = false

  local capabilities = config.capabilities or vim.lsp.protocol.make_client_capabilities()
  -- Neovim 0.7 answers workspace/configuration from `settings` but does not say so;
  -- declaring it lets the server ask instead of relying on initializationOptions.
  capabilities.workspace = capabilities.workspace or {}
  capabilities.workspace.configuration = true

  local function start(root)
    local id = clients[root]
    if id and vim.lsp.get_client_by_id(id) then
      return id
    end
    if vim.fn.executable(config.cmd[1]) ~= 1 then
      if not warned_missing_cmd then
        warned_missing_cmd = true
        vim.notify(
          string.format('deep-review: `%s` is not executable; install deep-review-lsp or set cmd in setup()', config.cmd[1]),
          vim.log.levels.WARN
        )
      end
      return nil
    end
    id = vim.lsp.start_client({
      name = config.name,
      cmd = config.cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      settings = config.settings,
      init_options = { deepReview = config.settings.deepReview },
      capabilities = capabilities,
      handlers = config.handlers,
      flags = config.flags,
      on_attach = config.on_attach,
      on_init = function(client)
        -- Neovim 0.7 never sends the settings by itself (see :help vim.lsp.start_client).
        client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
      end,
      on_exit = function(_, _, client_id)
        if clients[root] == client_id then
          clients[root] = nil
        end
      end,
    })
    clients[root] = id
    return id
  end

  local handle = {}

  --- Attaches the server to `bufnr` when its file is under a root with a review directory.
  function handle.attach(bufnr)
    bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
    if not vim.api.nvim_buf_is_loaded(bufnr) or vim.bo[bufnr].buftype ~= '' then
      return
    end
    local name = vim.api.nvim_buf_get_name(bufnr)
    if name == '' or name:match('^%a[%w+.-]*://') then
      return
    end
    local root, has_reviews = M.find_root(name, review_dir, config.root_markers)
    if not root or not has_reviews then
      return
    end
    local id = start(root)
    if id then
      vim.lsp.buf_attach_client(bufnr, id)
    end
  end

  --- The client id serving `root`, if one runs.
  function handle.client_for(root)
    return clients[root]
  end

  --- Removes the autocommands and stops every server this setup started.
  function handle.stop()
    pcall(vim.api.nvim_del_augroup_by_name, 'DeepReview')
    for _, id in pairs(clients) do
      vim.lsp.stop_client(id)
    end
  end

  local group = vim.api.nvim_create_augroup('DeepReview', { clear = true })
  -- BufReadPost covers files with no filetype; FileType covers buffers whose
  -- filetype is set later. Attaching twice is harmless.
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile', 'FileType' }, {
    group = group,
    callback = function(args)
      handle.attach(args.buf)
    end,
  })
  -- Buffers opened before setup() ran, e.g. when it is called from a lazy loader.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    handle.attach(bufnr)
  end

  return handle
end

return M
