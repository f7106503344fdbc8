-- Starting the server: one client per root holding the review directory, attached
-- to every normal buffer under that root whatever its file type.

local compat = require('deep-review.compat')
local config_mod = require('deep-review.config')
local progress = require('deep-review.progress')

local M = {}

local function is_dir(path)
  local stat = vim.loop.fs_stat(path)
  return stat ~= nil and stat.type == 'directory'
end

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
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

--- A running session: the autocommands and the clients of one setup() call.
--- Returns a handle with attach(bufnr), client_for(root), clients(), namespaces(), stop().
function M.new(cfg)
  local review_dir = config_mod.review_directory(cfg.settings)
  -- Root directory -> client id; per handle, so two setups never share state.
  local clients = {}
  local warned_missing_cmd = false
  -- serverInfo of each client's initialize result (Neovim 0.7 keeps none).
  local server_info = {}
  local handle = { config = cfg, review_dir = review_dir }

  local capabilities = cfg.capabilities or vim.lsp.protocol.make_client_capabilities()
  -- Neovim 0.7 answers workspace/configuration from `settings` but does not say so;
  -- declaring it lets the server ask instead of relying on initializationOptions.
  capabilities.workspace = capabilities.workspace or {}
  capabilities.workspace.configuration = true

  -- Report files each client's server has read (deepReview/reportsRead), for :checkhealth.
  local reports_read = {}
  local handlers = vim.tbl_extend('force', {}, cfg.handlers or {})
  local user_reports_read = handlers['deepReview/reportsRead']
  handlers['deepReview/reportsRead'] = function(err, params, ctx, config)
    local seen = reports_read[ctx.client_id] or {}
    for _, uri in ipairs(type(params) == 'table' and params.reports or {}) do
      seen[uri] = true
    end
    reports_read[ctx.client_id] = seen
    if user_reports_read then
      return user_reports_read(err, params, ctx, config)
    end
  end
  if cfg.progress then
    handlers['$/progress'] = progress.handler(cfg.name, handlers['$/progress'])
  end

  local function start(root)
    local id = clients[root]
    if id and vim.lsp.get_client_by_id(id) then
      return id
    end
    if vim.fn.executable(cfg.cmd[1]) ~= 1 then
      if not warned_missing_cmd then
        warned_missing_cmd = true
        vim.notify(
          string.format('deep-review: `%s` is not executable; install deep-review-lsp or set cmd in setup()', cfg.cmd[1]),
          vim.log.levels.WARN
        )
      end
      return nil
    end
    id = vim.lsp.start_client({
      name = cfg.name,
      cmd = cfg.cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      settings = cfg.settings,
      init_options = { deepReview = cfg.settings.deepReview },
      capabilities = capabilities,
      handlers = handlers,
      flags = cfg.flags,
      on_attach = cfg.on_attach,
      on_init = function(client, result)
        server_info[client.id] = result and result.serverInfo or nil
        if cfg.diagnostics ~= false then
          vim.diagnostic.config(cfg.diagnostics, compat.namespace(client.id))
        end
        -- Neovim 0.7 never sends the settings by itself (see :help vim.lsp.start_client).
        compat.notify(client, 'workspace/didChangeConfiguration', { settings = client.config.settings })
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
    local root, has_reviews = M.find_root(name, review_dir, cfg.root_markers)
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

  --- The serverInfo ({ name, version }) a client's server sent, if any.
  function handle.server_info(client_id)
    return server_info[client_id]
  end

  --- How many report files a client's server has said it read.
  function handle.reports_read(client_id)
    return vim.tbl_count(reports_read[client_id] or {})
  end

  --- The running clients of this session.
  function handle.clients()
    local out = {}
    for _, id in pairs(clients) do
      local client = vim.lsp.get_client_by_id(id)
      if client then
        table.insert(out, client)
      end
    end
    return out
  end

  --- The client serving a buffer: the one attached to it, else the one of its root, else the one of the working directory.
  function handle.client_for_buffer(bufnr)
    bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
    for _, client in ipairs(handle.clients()) do
      if client.attached_buffers and client.attached_buffers[bufnr] then
        return client
      end
    end
    local name = vim.api.nvim_buf_get_name(bufnr)
    for _, path in ipairs({ name ~= '' and name or nil, vim.fn.getcwd() }) do
      local root, has_reviews = M.find_root(path, review_dir, cfg.root_markers)
      if root and has_reviews and clients[root] then
        return vim.lsp.get_client_by_id(clients[root])
      end
    end
    return handle.clients()[1]
  end

  --- Removes the autocommands and stops every server this session started.
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
