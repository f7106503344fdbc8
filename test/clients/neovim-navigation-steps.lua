-- Steps for the Neovim navigation test: put the cursor on a text, hover as a
-- user does (K runs vim.lsp.buf.hover) and read the floating window it opens,
-- and go to definition and see where the cursor lands.
--
-- Loaded by neovim-driver.lua for plans that list it in `stepModules`.
return function(helpers)
  local steps = {}

  local function floating_windows()
    local found = {}
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        table.insert(found, win)
      end
    end
    return found
  end

  local function close_floats()
    for _, win in ipairs(floating_windows()) do
      pcall(vim.api.nvim_win_close, win, true)
    end
  end

  -- Moves the cursor to the first match of `search` (a plain text) in the current buffer.
  function steps.cursor(step)
    local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    for i, line in ipairs(lines) do
      local col = line:find(step.search, 1, true)
      if col then
        vim.api.nvim_win_set_cursor(0, { i, col - 1 + (step.offset or 0) })
        return { reached = true, line = i }
      end
    end
    return { reached = false }
  end

  -- Waits until the buffer's client is initialized, so requests are answered.
  function steps.ready(step)
    local reached = vim.wait(helpers.plan.timeoutMs, function()
      for _, client in pairs(vim.lsp.buf_get_clients(0)) do
        if client.initialized then
          return true
        end
      end
      return false
    end, 10)
    return { reached = reached }
  end

  -- Hovers at the cursor and records the lines of the float Neovim shows.
  function steps.hover(step)
    close_floats()
    vim.lsp.buf.hover()
    local lines
    local reached = vim.wait(helpers.plan.timeoutMs, function()
      local wins = floating_windows()
      if #wins == 0 then
        return false
      end
      lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(wins[1]), 0, -1, false)
      return #lines > 0
    end, 10)
    local width, height
    local wins = floating_windows()
    if wins[1] then
      width = vim.api.nvim_win_get_width(wins[1])
      height = vim.api.nvim_win_get_height(wins[1])
    end
    close_floats()
    return { reached = reached, lines = lines or {}, width = width, height = height }
  end

  -- Goes to definition and records where the cursor lands (file and 1-based line).
  function steps.definition(step)
    local before = vim.api.nvim_buf_get_name(0)
    local before_line = vim.api.nvim_win_get_cursor(0)[1]
    vim.lsp.buf.definition()
    local reached = vim.wait(helpers.plan.timeoutMs, function()
      return vim.api.nvim_buf_get_name(0) ~= before or vim.api.nvim_win_get_cursor(0)[1] ~= before_line
    end, 10)
    return {
      reached = reached,
      file = helpers.relative(vim.api.nvim_buf_get_name(0)),
      line = vim.api.nvim_win_get_cursor(0)[1],
      text = vim.api.nvim_get_current_line(),
    }
  end

  return steps
end
