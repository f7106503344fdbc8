-- Drives a headless Neovim through triage and a new review round, as a user
-- would: a code action dismisses a finding (the reason picked from the
-- server's prompt), another starts the next round. Writes what it saw as JSON
-- to the file DEEP_REVIEW_NVIM_RESULTS names; the test asserts on it.
local plan = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('DEEP_REVIEW_NVIM_PLAN')), '\n'))
local results = { asked = {}, messages = {}, progress = {}, steps = {} }

local function finish(err)
  results.error = err
  vim.fn.writefile({ vim.fn.json_encode(results) }, plan.results)
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  -- The user picks the first choice the server offers.
  vim.lsp.handlers['window/showMessageRequest'] = function(_, params)
    table.insert(results.asked, { message = params.message, actions = params.actions })
    return params.actions[1]
  end
  vim.lsp.handlers['window/showMessage'] = function(_, params)
    table.insert(results.messages, params.message)
  end
  local default_progress = vim.lsp.handlers['$/progress']
  vim.lsp.handlers['$/progress'] = function(e, params, ctx, config)
    table.insert(results.progress, params.value.kind)
    if default_progress then
      return default_progress(e, params, ctx, config)
    end
  end

  local deep_review = dofile(plan.module)
  deep_review.setup(plan.setup)
  vim.cmd('edit ' .. vim.fn.fnameescape(plan.file))

  local function codes()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(0)) do
      table.insert(list, string.format('%d:%s', d.lnum + 1, d.code))
    end
    table.sort(list)
    return list
  end
  local function step(name, check)
    local reached = vim.wait(plan.timeoutMs, check, 20)
    table.insert(results.steps, { name = name, reached = reached, diagnostics = codes() })
    return reached
  end
  local function has(code)
    for _, d in ipairs(vim.diagnostic.get(0)) do
      if d.code == code then
        return true
      end
    end
    return false
  end

  step('open', function() return has(plan.dismiss) end)
  local client = vim.lsp.get_active_clients()[1]
  local function actions_at(line)
    vim.api.nvim_win_set_cursor(0, { line, 0 })
    local params = vim.lsp.util.make_range_params()
    params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics() }
    local response = client.request_sync('textDocument/codeAction', params, plan.timeoutMs, 0)
    local titles, by_title = {}, {}
    for _, action in ipairs(response and response.result or {}) do
      table.insert(titles, action.title)
      by_title[action.title] = action
    end
    return titles, by_title
  end

  local titles, actions = actions_at(plan.line)
  results.actions = titles
  local dismiss = actions[plan.dismissTitle]
  if not dismiss then
    return
  end
  client.request_sync('workspace/executeCommand', dismiss.command, plan.timeoutMs, 0)
  step('dismissed', function() return not has(plan.dismiss) end)

  local _, again = actions_at(plan.line)
  local start = again[plan.startTitle]
  if not start then
    return
  end
  local done = false
  client.request('workspace/executeCommand', start.command, function(e, result)
    results.round = result or { error = e and e.message }
    done = true
  end, 0)
  step('round finished', function() return done end)
  step('summary', function()
    for _, message in ipairs(results.messages) do
      if message:match('^Round ') then
        return true
      end
    end
    return false
  end)
  step('new round shown', function() return not has(plan.fixed) end)
end)
finish(not ok and tostring(err) or nil)
