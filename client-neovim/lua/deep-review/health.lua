-- :checkhealth deep-review: the server command and its version, the review
-- directory of the current file, what the running servers have read.

local compat = require('deep-review.compat')

local M = {}

function M.check()
  local h = compat.health()
  local plugin = require('deep-review')
  local session = plugin.session()

  h.start('deep-review: set-up')
  if not session then
    h.warn("setup() has not been called", { "Call require('deep-review').setup() in your init.lua" })
    return
  end
  local cfg = session.config
  h.ok(string.format('Neovim %s', tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch)))

  h.start('deep-review: server')
  local exe = cfg.cmd[1]
  if vim.fn.executable(exe) ~= 1 then
    h.error(string.format('`%s` is not executable', exe), {
      'Install the server: `npm install -g .` in a deep-review-lsp checkout',
      "or set cmd = { 'node', '/path/to/deep-review-lsp/bin/deep-review-lsp.js', '--stdio' } in setup()",
    })
  else
    -- The same command with --version instead of --stdio.
    local argv = vim.deepcopy(cfg.cmd)
    for i, a in ipairs(argv) do
      if a == '--stdio' then
        argv[i] = '--version'
      end
    end
    if not vim.tbl_contains(argv, '--version') then
      table.insert(argv, '--version')
    end
    local out = vim.fn.system(argv)
    if vim.v.shell_error == 0 then
      h.ok(string.format('deep-review-lsp %s found: `%s`', vim.trim(out), table.concat(cfg.cmd, ' ')))
    else
      h.error(string.format('`%s` failed: %s', table.concat(argv, ' '), vim.trim(out)))
    end
  end

  h.start('deep-review: review directory')
  -- :checkhealth runs in its own buffer: look from each server's root, else from the working directory.
  local roots = {}
  for _, c in ipairs(session.clients()) do
    table.insert(roots, c.config.root_dir)
  end
  if #roots == 0 then
    local root, has_reviews = plugin.find_root(vim.fn.getcwd(), session.review_dir, cfg.root_markers)
    if root and has_reviews then
      table.insert(roots, root)
    end
  end
  if #roots == 0 then
    h.warn(string.format('no %s directory above %s', session.review_dir, vim.fn.getcwd()), {
      'deep-review-lsp starts only for files under a folder holding the review directory',
      'set directory = "..." in setup() if yours has another name',
    })
  end
  for _, root in ipairs(roots) do
    local dir = root .. '/' .. session.review_dir
    local reports = vim.fn.glob(dir .. '/**/*.json', false, true)
    vim.list_extend(reports, vim.fn.glob(dir .. '/**/*.md', false, true))
    h.ok(string.format('%s holds %d report file(s)', dir, #reports))
  end

  h.start('deep-review: running servers')
  local clients = session.clients()
  if #clients == 0 then
    h.info('none yet: open a file under the review directory\'s folder')
  end
  for _, c in ipairs(clients) do
    local info = session.server_info(c.id) or {}
    local problems, findings = 0, 0
    for _, d in ipairs(vim.diagnostic.get(nil, { namespace = compat.namespace(c.id) })) do
      local file = vim.api.nvim_buf_get_name(d.bufnr)
      if file:find('/' .. session.review_dir .. '/', 1, true) then
        problems = problems + 1
      else
        findings = findings + 1
      end
    end
    h.ok(string.format('%s %s on %s: %d finding(s) shown', info.name or c.name, info.version or '', c.config.root_dir or '?', findings))
    h.ok(string.format('the server has read %d report file(s)', session.reports_read(c.id)))
    if problems > 0 then
      h.warn(string.format('%d problem(s) in report files', problems), { 'Run `deep-review-lsp check` in the folder, or :DeepReview findings' })
    else
      h.ok('no problems in report files')
    end
  end
end

return M
