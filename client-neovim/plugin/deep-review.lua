-- The :DeepReview command. Loading this file starts nothing; setup() does.
if vim.g.loaded_deep_review then
  return
end
vim.g.loaded_deep_review = true

vim.api.nvim_create_user_command('DeepReview', function(opts)
  local args = vim.split(opts.args, '%s+', { trimempty = true })
  local name = table.remove(args, 1) or 'findings'
  require('deep-review').run(name, args)
end, {
  nargs = '*',
  desc = 'deep-review-lsp: findings, next, prev, fix, history, dismiss, accept, reopen, round, cancel, report, reload',
  complete = function(arg_lead, cmd_line)
    return require('deep-review').complete(arg_lead, cmd_line)
  end,
})
