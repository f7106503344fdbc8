-- deep-review-lsp for Neovim 0.7 to 0.11: setup(), and the :DeepReview subcommands.
--
--   require('deep-review').setup({ rounds = 'latest' })
--
-- See :help deep-review.

local client = require('deep-review.client')
local commands = require('deep-review.commands')
local config = require('deep-review.config')

local M = {}

-- The session of the last setup() call: the :DeepReview command acts on it.
local current = nil

--- Starts serving buffers under review directories; returns the session handle
--- (attach(bufnr), client_for(root), clients(), stop()). A second call replaces the first.
function M.setup(opts)
  if current then
    current.stop()
  end
  current = client.new(config.resolve(opts))
  return current
end

--- The current session, or nil before setup().
function M.session()
  return current
end

--- Runs a subcommand by name with its arguments (a list of strings).
function M.run(name, args)
  if not current then
    vim.notify("deep-review: call require('deep-review').setup() first", vim.log.levels.WARN)
    return
  end
  local fn = commands[name]
  if type(fn) ~= 'function' or not vim.tbl_contains(commands.names, name) then
    vim.notify(string.format('deep-review: unknown subcommand "%s"; one of: %s', tostring(name), table.concat(commands.names, ', ')), vim.log.levels.ERROR)
    return
  end
  return fn(current, args or {})
end

--- Completion of :DeepReview's first argument.
function M.complete(arg_lead, cmd_line)
  local words = vim.split(cmd_line, '%s+', { trimempty = false })
  if #words > 2 then
    return {}
  end
  return vim.tbl_filter(function(name)
    return name:sub(1, #arg_lead) == arg_lead
  end, commands.names)
end

M.subcommands = commands.names
M.find_root = client.find_root
M.review_directory = config.review_directory

return M
