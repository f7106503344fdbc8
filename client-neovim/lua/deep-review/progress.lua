-- A round's progress ($/progress from the server) shown in the command line.

local M = {}

local function show(text, history)
  vim.api.nvim_echo({ { text } }, history, {})
end

--- A $/progress handler that calls Neovim's own (so LspProgress and statusline
--- plugins still see it) and then echoes the report as "name: title: message (n%)".
function M.handler(name, previous)
  -- Titles by token: a report only carries the title in its `begin`.
  local titles = {}
  return function(err, result, ctx, config)
    if type(result) == 'table' and result.token == nil then
      -- Neovim 0.7's own handler fails on a report without a token.
      return
    end
    local base = previous or vim.lsp.handlers['$/progress']
    if base then
      base(err, result, ctx, config)
    end
    if err or type(result) ~= 'table' or type(result.value) ~= 'table' then
      return
    end
    local value, token = result.value, tostring(result.token)
    if value.kind == 'begin' then
      titles[token] = value.title
    end
    local parts = { name .. ':', titles[token] or value.title or 'working' }
    if value.message and value.message ~= '' then
      table.insert(parts, '- ' .. value.message)
    end
    if value.percentage then
      table.insert(parts, string.format('(%d%%)', value.percentage))
    end
    if value.kind == 'end' then
      titles[token] = nil
      table.insert(parts, '- done')
    end
    -- Begin and end go to :messages; the reports between only flash by.
    show(table.concat(parts, ' '), value.kind ~= 'report')
  end
end

return M
