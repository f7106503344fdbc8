-- Neovim on the example workspace with the plugin of this checkout: `npm run demo:nvim`.
-- Also a starting point for your own init.lua.
local repo = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h:h')
vim.opt.runtimepath:append(repo .. '/client-neovim')
vim.cmd('runtime plugin/deep-review.lua')
vim.opt.signcolumn = 'yes'
vim.opt.number = true

require('deep-review').setup({
  -- The server of this checkout; with deep-review-lsp on your PATH, leave cmd out.
  cmd = { 'node', repo .. '/bin/deep-review-lsp.js', '--stdio' },
})

-- K: the finding's hover card; ]d / [d: next / previous finding; gl: the diagnostic; <leader>q: every finding.
vim.keymap.set('n', 'K', '<cmd>DeepReview history<cr>')
vim.keymap.set('n', ']d', '<cmd>DeepReview next<cr>')
vim.keymap.set('n', '[d', '<cmd>DeepReview prev<cr>')
vim.keymap.set('n', 'gl', vim.diagnostic.open_float)
vim.keymap.set('n', '<leader>q', '<cmd>DeepReview findings<cr>')
