-- Drives a headless Neovim through a test plan and writes what it saw as JSON.
--
-- Loaded with dofile($DEEP_REVIEW_NVIM_DRIVER), so no path is quoted on a command line.
-- The plan (a JSON file named by $DEEP_REVIEW_NVIM_PLAN) says how to load the
-- client (`module`: dofile a file; `rtp`: put a plugin folder on 'runtimepath'
-- as a plugin manager does and source its plugin/ files) and lists steps. A
-- `wait` step waits with vim.wait for the diagnostics to reach an expected set
-- of "file:line:code" keys; an `until` step waits for a Lua snippet to return a
-- truthy value. Both record what they saw at the end, reached or not, and a
-- step that is not reached ends the plan. The results file is rewritten after
-- every step, so a hang still leaves a trace.

local plan -- set first thing in main()
local results = { nvim = vim.version(), steps = {}, notifications = {} }

local function save()
  if plan then
    vim.fn.writefile({ vim.fn.json_encode(results) }, plan.results)
  end
end

local function absolute(path)
  if path:sub(1, 1) == '/' then
    return path
  end
  return plan.root .. '/' .. path
end

local function relative(path)
  local prefix = plan.root .. '/'
  if path:sub(1, #prefix) == prefix then
    return path:sub(#prefix + 1)
  end
  return path
end

-- Every diagnostic in every buffer, sorted, in a form the test can compare.
local function snapshot()
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get()) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(seen, {
      file = relative(vim.api.nvim_buf_get_name(d.bufnr)),
      line = d.lnum + 1,
      endLine = (d.end_lnum or d.lnum) + 1,
      code = d.code or lsp.code or vim.NIL,
      severity = d.severity,
      source = d.source or vim.NIL,
      message = d.message,
    })
  end
  table.sort(seen, function(a, b)
    if a.file ~= b.file then
      return a.file < b.file
    end
    if a.line ~= b.line then
      return a.line < b.line
    end
    return tostring(a.code) < tostring(b.code)
  end)
  return seen
end

local function keys(diagnostics)
  local out = {}
  for _, d in ipairs(diagnostics) do
    table.insert(out, string.format('%s:%d:%s', d.file, d.line, tostring(d.code)))
  end
  table.sort(out)
  return table.concat(out, '\n')
end

local function write_file(path, text)
  local file = assert(io.open(path, 'w'))
  file:write(text)
  file:close()
end

-- Helpers for the plan's Lua snippets.
_G.DR = {
  snapshot = snapshot,
  relative = relative,
  notifications = results.notifications,
  -- The quickfix list with file names relative to the workspace.
  qflist = function()
    local out = {}
    for _, item in ipairs(vim.fn.getqflist()) do
      table.insert(out, { file = relative(vim.api.nvim_buf_get_name(item.bufnr)), line = item.lnum, type = item.type, text = item.text })
    end
    return out
  end,
  -- The text of every floating window.
  floats = function()
    local out = {}
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        table.insert(out, table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n'))
      end
    end
    return out
  end,
  messages = function()
    return vim.api.nvim_exec('messages', true)
  end,
  buffer = function()
    return { file = relative(vim.api.nvim_buf_get_name(0)), line = vim.api.nvim_win_get_cursor(0)[1], text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n') }
  end,
}

-- Every notification, for the tests to read what the user was told.
local notify = vim.notify
vim.notify = function(message, level, opts)
  table.insert(results.notifications, { message = tostring(message), level = level or vim.NIL })
  return notify(message, level, opts)
end

-- Spies on the client module: Neovim 0.7 lists a client for a buffer only once
-- it is initialized, and the tests need to see attachments as they happen.
local attached = {}
results.started = {}
local start_client, buf_attach_client = vim.lsp.start_client, vim.lsp.buf_attach_client
function vim.lsp.start_client(config)
  local id = start_client(config)
  table.insert(results.started, { name = config.name, root = config.root_dir })
  return id
end
function vim.lsp.buf_attach_client(bufnr, id)
  local ok = buf_attach_client(bufnr, id)
  if ok ~= false then
    attached[bufnr] = attached[bufnr] or {}
    attached[bufnr][id] = vim.lsp.get_client_by_id(id).name
  end
  return ok
end

local function snippet(code)
  local fn = assert(loadstring(code))
  return fn
end

local function json_safe(value)
  if value == nil then
    return vim.NIL
  end
  return value
end

local steps = {}

function steps.edit(step)
  vim.cmd('edit ' .. vim.fn.fnameescape(absolute(step.path)))
  local names = vim.tbl_values(attached[vim.api.nvim_get_current_buf()] or {})
  table.sort(names)
  return { clients = names }
end

-- Waits for the expected keys and, when `contains` is given, for a diagnostic whose message holds it.
function steps.wait(step)
  local expected = step.expect
  table.sort(expected)
  local want = table.concat(expected, '\n')
  local reached = vim.wait(plan.timeoutMs, function()
    local seen = snapshot()
    if keys(seen) ~= want then
      return false
    end
    if not step.contains then
      return true
    end
    for _, d in ipairs(seen) do
      if d.message:find(step.contains, 1, true) then
        return true
      end
    end
    return false
  end, 10)
  return { reached = reached, expected = expected, diagnostics = snapshot() }
end

-- Runs Neovim's own code action request on a line of the current buffer, picks the
-- action whose title starts with `title` in place of the user (vim.ui.select), and
-- waits until the buffer holds `expect`.
function steps.code_action(step)
  local bufnr = vim.api.nvim_get_current_buf()
  vim.api.nvim_win_set_cursor(0, { step.line, 0 })
  local offered
  local select = vim.ui.select
  vim.ui.select = function(items, _, on_choice)
    offered = {}
    local chosen
    for i, item in ipairs(items) do
      -- Neovim 0.7 offers { client_id, action } pairs; later versions { ctx, action }.
      local action = item[2] or item.action or item
      table.insert(offered, action.title)
      if chosen == nil and action.title:sub(1, #step.title) == step.title then
        chosen = i
      end
    end
    on_choice(chosen and items[chosen] or nil, chosen)
  end
  vim.lsp.buf.code_action()
  local reached = vim.wait(plan.timeoutMs, function()
    return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n'):find(step.expect, 1, true) ~= nil
  end, 10)
  vim.ui.select = select
  return { reached = reached, offered = offered or {}, lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false) }
end

-- Writes a file the way report writers do: to a temporary name, then renamed into place.
function steps.write(step)
  local path = absolute(step.path)
  local partial = path .. '.partial'
  write_file(partial, step.text)
  assert(os.rename(partial, path))
  return {}
end

function steps.delete(step)
  assert(os.remove(absolute(step.path)))
  return {}
end

-- Runs an Ex command as a user types it; an error is recorded, not raised.
function steps.ex(step)
  local ok, err = pcall(vim.cmd, step.command)
  return { ok = ok, error = ok and vim.NIL or tostring(err) }
end

-- Puts the cursor on the first line holding `text` (literally).
function steps.search(step)
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for i, line in ipairs(lines) do
    if line:find(step.text, 1, true) then
      vim.api.nvim_win_set_cursor(0, { i, 0 })
      return { line = i }
    end
  end
  error('no line holds ' .. step.text)
end

function steps.lua(step)
  return { value = json_safe(snippet(step.code)()) }
end

steps['until'] = function(step)
  local fn = snippet(step.code)
  local value
  local reached = vim.wait(plan.timeoutMs, function()
    value = fn()
    return value ~= nil and value ~= false
  end, 10)
  return { reached = reached, value = json_safe(value) }
end

local function stop_clients()
  for _, client in pairs(vim.lsp.get_active_clients()) do
    client.stop()
  end
  return vim.wait(plan.timeoutMs, function()
    return #vim.lsp.get_active_clients() == 0
  end, 10)
end

local function main()
  local plan_path = assert(os.getenv('DEEP_REVIEW_NVIM_PLAN'), 'DEEP_REVIEW_NVIM_PLAN is not set')
  plan = vim.fn.json_decode(table.concat(vim.fn.readfile(plan_path), '\n'))
  -- Step modules a plan names add their own ops: each returns a function of the helpers giving a table of steps.
  for _, extra in ipairs(plan.stepModules or {}) do
    for op, run in pairs(dofile(extra)({ absolute = absolute, relative = relative, plan = plan })) do
      steps[op] = run
    end
  end
  if plan.rtp then
    vim.opt.runtimepath:append(plan.rtp)
    vim.cmd('runtime! plugin/deep-review.lua')
    require('deep-review').setup(plan.setup)
  else
    dofile(plan.module).setup(plan.setup)
  end
  for i, step in ipairs(plan.steps) do
    local record = steps[step.op](step)
    record.op = step.op
    record.name = step.name or step.op
    results.steps[i] = record
    save()
    if (step.op == 'wait' or step.op == 'until' or step.op == 'code_action') and not record.reached then
      return
    end
  end
  results.stopped = stop_clients()
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  results.error = tostring(err)
  io.stderr:write(results.error .. '\n')
end
save()
vim.cmd(ok and 'qall!' or 'cquit 1')
