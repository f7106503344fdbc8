-- Findings as quickfix items: from the server's deepReview.listFindings when it
-- offers it, else from the diagnostics the server published.

local compat = require('deep-review.compat')

local M = {}

local SEVERITY_RANK = { critical = 1, important = 2, suggestion = 3 }
local TYPE_OF = { [1] = 'E', [2] = 'W', [3] = 'I', [4] = 'N' }

local function by_severity(a, b)
  if a.rank ~= b.rank then
    return a.rank < b.rank
  end
  if a.filename ~= b.filename then
    return a.filename < b.filename
  end
  if a.lnum ~= b.lnum then
    return a.lnum < b.lnum
  end
  return a.text < b.text
end

local function finish(items)
  table.sort(items, by_severity)
  for _, item in ipairs(items) do
    item.rank = nil
  end
  return items
end

--- Quickfix items of the diagnostics of these clients, in every buffer.
function M.from_diagnostics(clients)
  local items = {}
  for _, client in ipairs(clients) do
    for _, d in ipairs(vim.diagnostic.get(nil, { namespace = compat.namespace(client.id) })) do
      local lsp = d.user_data and d.user_data.lsp or {}
      local code = d.code or lsp.code
      -- Findings carry data.key; the problems of report files do not, and are not findings.
      if lsp.data and lsp.data.key then
      table.insert(items, {
        rank = d.severity or 4,
        filename = vim.api.nvim_buf_get_name(d.bufnr),
        lnum = d.lnum + 1,
        col = (d.col or 0) + 1,
        type = TYPE_OF[d.severity] or 'I',
        text = code and (tostring(code) .. ': ' .. d.message) or d.message,
      })
      end
    end
  end
  return finish(items)
end

local function path_of(value)
  if type(value) ~= 'string' then
    return nil
  end
  if value:match('^file:') then
    return vim.uri_to_fname(value)
  end
  return value
end

--- Quickfix items of a deepReview.listFindings answer. Each item names its file
--- (`uri` or `file`), its place (an LSP `range`, else a 1-based `line`), its
--- severity, id, title and round.
function M.from_list(list, root)
  local items = {}
  for _, f in ipairs(type(list) == 'table' and list or {}) do
    local file = path_of(f.uri) or path_of(f.file) or (f.location and path_of(f.location.uri))
    if file and root and not file:match('^/') then
      file = root .. '/' .. file
    end
    local range = f.range or (f.location and f.location.range)
    local lnum = (range and range.start and range.start.line + 1) or f.line or 1
    local severity = f.severity
    local rank = SEVERITY_RANK[severity] or (type(severity) == 'number' and severity) or 4
    local label = f.title or f.message or ''
    if f.id then
      label = f.id .. ': ' .. label
    end
    if f.round or f.roundLabel then
      label = label .. ' (' .. (f.round or f.roundLabel) .. ')'
    end
    table.insert(items, {
      rank = rank,
      filename = file or '',
      lnum = lnum,
      col = (range and range.start and range.start.character + 1) or 1,
      type = ({ 'E', 'W', 'I', 'N' })[rank] or 'I',
      text = label,
    })
  end
  return finish(items)
end

return M
