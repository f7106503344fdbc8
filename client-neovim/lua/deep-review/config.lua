-- Options of setup(): the client's own options, and every other key as a server setting.

local M = {}

--- The options setup() starts from; any of them can be overridden.
M.defaults = {
  -- The server command; for a checkout: { 'node', '/path/to/deep-review-lsp/bin/deep-review-lsp.js', '--stdio' }.
  cmd = { 'deep-review-lsp', '--stdio' },
  -- The client's name (in :LspInfo, logs and messages).
  name = 'deep-review',
  -- Besides the review directory, what ends the walk up from a file.
  root_markers = { '.git' },
  -- How findings are shown: passed to vim.diagnostic.config() for this server's namespace.
  diagnostics = { signs = true, virtual_text = true, underline = true, update_in_insert = false, severity_sort = true },
  -- Border of the hover card float (see :help nvim_open_win).
  float = { border = 'rounded' },
  -- Show a round's progress in the command line.
  progress = true,
  -- Passed through to vim.lsp.start_client.
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
  flags = nil,
  -- Server settings (section deepReview); plain keys of setup() land here too.
  settings = nil,
}

--- Keys that configure the client; every other key of setup() is a server setting.
-- Listed by hand: the defaults that are nil are not keys of M.defaults.
local CLIENT_KEYS = {}
for _, key in ipairs({ 'cmd', 'name', 'root_markers', 'diagnostics', 'float', 'progress', 'on_attach', 'capabilities', 'handlers', 'flags', 'settings' }) do
  CLIENT_KEYS[key] = true
end

--- The full configuration: defaults, the client's options, and settings.deepReview
--- built from `opts.settings.deepReview` and every plain key that is not a client option.
function M.resolve(opts)
  opts = opts or {}
  local client_opts, server = {}, {}
  for key, value in pairs(opts) do
    if CLIENT_KEYS[key] then
      client_opts[key] = value
    else
      server[key] = value
    end
  end
  local cfg = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), client_opts)
  local settings = vim.deepcopy(cfg.settings or {})
  settings.deepReview = vim.tbl_deep_extend('force', settings.deepReview or {}, server)
  if vim.tbl_isempty(settings.deepReview) then
    -- An empty Lua table encodes as a JSON array; the server wants an object.
    settings.deepReview = vim.empty_dict()
  end
  cfg.settings = settings
  if cfg.diagnostics ~= false and type(cfg.diagnostics) == 'table' then
    cfg.diagnostics = vim.tbl_extend('force', M.defaults.diagnostics, cfg.diagnostics)
  end
  return cfg
end

--- The review directory the settings name, relative to a root.
function M.review_directory(settings)
  local dr = settings and settings.deepReview
  return (type(dr) == 'table' and dr.directory) or '.deep-review'
end

return M
