-- The :DeepReview subcommands. Each needs a running session; the ones that
-- call a server command check first that the server offers it.

local compat = require('deep-review.compat')
local findings = require('deep-review.findings')

local M = {}

local ERROR, WARN, INFO = vim.log.levels.ERROR, vim.log.levels.WARN, vim.log.levels.INFO

local function notify(text, level)
  vim.notify('deep-review: ' .. text, level or INFO)
end

--- True when the server lists `command` in executeCommandProvider.
function M.offers(client, command)
  local provider = (client.server_capabilities or {}).executeCommandProvider
  return provider ~= nil and vim.tbl_contains(provider.commands or {}, command)
end

local function execute(client, command, args, on_result, extra)
  local params = vim.tbl_extend('force', { command = command, arguments = args }, extra or {})
  compat.request(client, 'workspace/executeCommand', params, function(err, result)
    if err then
      notify(command .. ' failed: ' .. (err.message or tostring(err)), ERROR)
      return
    end
    if on_result then
      on_result(result)
    end
  end, vim.api.nvim_get_current_buf())
end

local function need(client, command)
  if not client then
    notify('no deep-review-lsp is running for this buffer (is there a review directory above it?)', WARN)
    return false
  end
  if command and not M.offers(client, command) then
    notify(string.format('this deep-review-lsp does not offer %s; update it', command), WARN)
    return false
  end
  return true
end

--- The findings under the cursor, most severe first: { key, id, message, diagnostic }.
local function at_cursor(client)
  local bufnr = vim.api.nvim_get_current_buf()
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = compat.namespace(client.id) })) do
    local lsp = d.user_data and d.user_data.lsp or {}
    local key = lsp.data and lsp.data.key
    local last = d.end_lnum or d.lnum
    if last > d.lnum and (d.end_col or 0) == 0 then
      -- An LSP range ending at character 0 of a line does not cover that line.
      last = last - 1
    end
    if key and d.lnum <= line and line <= last then
      table.insert(out, { key = key, id = d.code or lsp.code or key, message = d.message, severity = d.severity or 4, diagnostic = lsp })
    end
  end
  table.sort(out, function(a, b)
    return a.severity < b.severity
  end)
  return out
end

--- Calls `with(finding)` for the finding under the cursor, asking which when there are several.
local function with_finding(client, with)
  local here = at_cursor(client)
  if #here == 0 then
    notify('no finding at the cursor', WARN)
    return
  end
  if #here == 1 then
    return with(here[1])
  end
  vim.ui.select(here, {
    prompt = 'Finding:',
    format_item = function(f)
      return tostring(f.id) .. ': ' .. f.message
    end,
  }, function(choice)
    if choice then
      with(choice)
    end
  end)
end

function M.findings(session)
  local client = session.client_for_buffer(0)
  local function show(items, from)
    vim.fn.setqflist({}, ' ', { title = 'Deep Review findings', items = items })
    session.last_findings_source = from
    if #items == 0 then
      notify('no open findings')
      return
    end
    vim.cmd('copen')
  end
  if client and M.offers(client, 'deepReview.listFindings') then
    execute(client, 'deepReview.listFindings', { { all = true } }, function(result)
      show(findings.from_list(result, client.config.root_dir), 'listFindings')
    end)
  else
    show(findings.from_diagnostics(session.clients()), 'diagnostics')
  end
end

local function jump(session, count)
  local client = session.client_for_buffer(0)
  if not need(client) then
    return
  end
  compat.jump(count, compat.namespace(client.id))
end

function M.next(session)
  jump(session, 1)
end

function M.prev(session)
  jump(session, -1)
end

local function apply_action(client, action)
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  end
  local command = action.command
  if type(command) == 'table' then
    execute(client, command.command, command.arguments)
  elseif type(command) == 'string' then
    execute(client, command, action.arguments)
  end
end

local function resolve_then_apply(client, action)
  local provider = (client.server_capabilities or {}).codeActionProvider
  local resolvable = type(provider) == 'table' and provider.resolveProvider
  if action.edit or action.command or not resolvable then
    return apply_action(client, action)
  end
  compat.request(client, 'codeAction/resolve', action, function(err, resolved)
    if err then
      notify('the fix could not be prepared: ' .. (err.message or tostring(err)), ERROR)
      return
    end
    apply_action(client, resolved or action)
  end, vim.api.nvim_get_current_buf())
end

--- Applies the fix of the finding at the cursor: deepReview.applyFix when
--- offered, else the server's quick-fix code actions for that finding.
function M.fix(session)
  local client = session.client_for_buffer(0)
  if not need(client) then
    return
  end
  with_finding(client, function(f)
    if M.offers(client, 'deepReview.applyFix') then
      execute(client, 'deepReview.applyFix', { { key = f.key } })
      return
    end
    if not (client.server_capabilities or {}).codeActionProvider then
      notify('this deep-review-lsp offers no fixes; update it', WARN)
      return
    end
    local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, range = f.diagnostic.range, context = { diagnostics = { f.diagnostic }, only = { 'quickfix' } } }
    compat.request(client, 'textDocument/codeAction', params, function(err, actions)
      if err then
        notify('code actions failed: ' .. (err.message or tostring(err)), ERROR)
        return
      end
      actions = actions or {}
      if #actions == 0 then
        notify('no fix for ' .. tostring(f.id), WARN)
      elseif #actions == 1 then
        resolve_then_apply(client, actions[1])
      else
        vim.ui.select(actions, { prompt = 'Fix:', format_item = function(a)
          return a.title
        end }, function(choice)
          if choice then
            resolve_then_apply(client, choice)
          end
        end)
      end
    end, vim.api.nvim_get_current_buf())
  end)
end

--- The hover card of the finding at the cursor, in a float.
function M.history(session)
  local client = session.client_for_buffer(0)
  if not need(client) then
    return
  end
  if not (client.server_capabilities or {}).hoverProvider then
    notify('this deep-review-lsp shows no hover cards; update it', WARN)
    return
  end
  compat.request(client, 'textDocument/hover', compat.position_params(client), function(err, result)
    if err then
      notify('hover failed: ' .. (err.message or tostring(err)), ERROR)
      return
    end
    if not result or not result.contents then
      notify('no finding at the cursor', WARN)
      return
    end
    local lines = vim.lsp.util.convert_input_to_markdown_lines(result.contents)
    if vim.lsp.util.trim_empty_lines then
      lines = vim.lsp.util.trim_empty_lines(lines)
    end
    if vim.tbl_isempty(lines) then
      notify('no finding at the cursor', WARN)
      return
    end
    local opts = vim.tbl_extend('force', { focus_id = 'deep-review-history' }, session.config.float or {})
    vim.lsp.util.open_floating_preview(lines, 'markdown', opts)
  end, vim.api.nvim_get_current_buf())
end

local function triage(session, command, verb, args)
  local client = session.client_for_buffer(0)
  if not need(client, command) then
    return
  end
  local reason = table.concat(args or {}, ' ')
  with_finding(client, function(f)
    local arg = { key = f.key }
    if reason ~= '' then
      arg.reason = reason
    end
    execute(client, command, { arg }, function()
      notify(string.format('%s %s', tostring(f.id), verb))
    end)
  end)
end

function M.dismiss(session, args)
  triage(session, 'deepReview.dismiss', 'dismissed', args)
end

function M.accept(session, args)
  triage(session, 'deepReview.accept', 'accepted', args)
end

function M.reopen(session, args)
  triage(session, 'deepReview.reopen', 'reopened', args)
end

--- Starts the next review round of the current file's series; progress shows in the command line.
function M.round(session)
  local client = session.client_for_buffer(0)
  if not need(client, 'deepReview.newRound') then
    return
  end
  local arg = {}
  local name = vim.api.nvim_buf_get_name(0)
  if name ~= '' and vim.bo.buftype == '' then
    arg.file = vim.uri_from_fname(name)
  end
  session.rounds = (session.rounds or 0) + 1
  notify('starting the next review round')
  execute(client, 'deepReview.newRound', { arg }, function()
    notify('the review round has ended')
  end, { workDoneToken = string.format('deep-review-round-%d', session.rounds) })
end

function M.cancel(session)
  local client = session.client_for_buffer(0)
  if not need(client, 'deepReview.cancelRound') then
    return
  end
  execute(client, 'deepReview.cancelRound', { vim.empty_dict() }, function()
    notify('review round cancelled')
  end)
end

--- Opens the report at the finding under the cursor.
function M.report(session)
  local client = session.client_for_buffer(0)
  if not need(client, 'deepReview.openReport') then
    return
  end
  with_finding(client, function(f)
    execute(client, 'deepReview.openReport', { { key = f.key } }, function(location)
      if type(location) == 'table' and location.uri then
        compat.show_location(location, client.offset_encoding or 'utf-16')
      elseif type(location) == 'table' and location.targetUri then
        compat.show_location({ uri = location.targetUri, range = location.targetSelectionRange or location.targetRange }, client.offset_encoding or 'utf-16')
      end
    end)
  end)
end

function M.reload(session)
  local clients = session.clients()
  if #clients == 0 then
    notify('no deep-review-lsp is running', WARN)
    return
  end
  local pending = 0
  for _, client in ipairs(clients) do
    if need(client, 'deepReview.reload') then
      pending = pending + 1
      execute(client, 'deepReview.reload', {}, function()
        pending = pending - 1
        if pending == 0 then
          notify('review files reloaded')
        end
      end)
    end
  end
end

--- Subcommand names, in the order :DeepReview <Tab> lists them.
M.names = { 'findings', 'next', 'prev', 'fix', 'history', 'dismiss', 'accept', 'reopen', 'round', 'cancel', 'report', 'reload' }

return M
