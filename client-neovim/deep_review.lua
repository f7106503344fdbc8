-- The module this folder used to be, kept for `dofile(.../client-neovim/deep_review.lua)`.
-- It puts this folder on 'runtimepath' (the plugin lives in lua/deep-review/ and
-- plugin/deep-review.lua now) and returns require('deep-review').
local here = debug.getinfo(1, 'S').source:sub(2):match('^(.*)/[^/]*$') or '.'
if not vim.tbl_contains(vim.api.nvim_list_runtime_paths(), here) then
  vim.opt.runtimepath:append(here)
  vim.cmd('runtime plugin/deep-review.lua')
end
return require('deep-review')
