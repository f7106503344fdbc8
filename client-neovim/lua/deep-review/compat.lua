-- One place for the API differences between Neovim 0.7 and 0.11.

local M = {}

--- True when Neovim is at least major.minor.
function M.has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

--- Every running LSP client (get_active_clients before 0.10).
function M.clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients()
  end
  return vim.lsp.get_active_clients()
end

--- client:request in 0.11 and later (the dot form is deprecated there), client.request before.
function M.request(client, method, params, handler, bufnr)
  if M.has('0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- client:notify in 0.11 and later, client.notify before.
function M.notify(client, method, params)
  if M.has('0.11') then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

--- Stops a client (client:stop from 0.11).
function M.stop(client)
  if M.has('0.11') then
    return client:stop()
  end
  return client.stop()
end

--- Position params of the cursor for a client's position encoding.
function M.position_params(client)
  return vim.lsp.util.make_position_params(0, client.offset_encoding or 'utf-16')
end

--- Moves to the next (count 1) or previous (count -1) diagnostic of a namespace.
function M.jump(count, namespace)
  if vim.diagnostic.jump then
    return vim.diagnostic.jump({ count = count, namespace = namespace, float = false })
  end
  if count > 0 then
    return vim.diagnostic.goto_next({ namespace = namespace, float = false })
  end
  return vim.diagnostic.goto_prev({ namespace = namespace, float = false })
end

--- Opens a location (jump_to_location before 0.10, show_document after).
function M.show_location(location, offset_encoding)
  if vim.lsp.util.show_document then
    return vim.lsp.util.show_document(location, offset_encoding, { focus = true })
  end
  return vim.lsp.util.jump_to_location(location, offset_encoding)
end

--- The diagnostic namespace of a client's pushed diagnostics.
function M.namespace(client_id)
  return vim.lsp.diagnostic.get_namespace(client_id)
end

--- The health report functions: vim.health from 0.9 (0.10 removed the report_ names), else require('health').
function M.health()
  if vim.health and vim.health.start then
    return { start = vim.health.start, ok = vim.health.ok, warn = vim.health.warn, error = vim.health.error, info = vim.health.info }
  end
  local health = require('health')
  return { start = health.report_start, ok = health.report_ok, warn = health.report_warn, error = health.report_error, info = health.report_info }
end

return M
