-- Neovim (0.7+) driving the mmscn language server with its built-in LSP client, headless:
--   MMSCN_FILE=x.mmscn MMSCN_OUT=result.json nvim --headless -u NONE -c 'luafile test/editors/nvim-lsp.lua'
-- with `mmscn` on PATH (the test puts a wrapper of dist/cli.js there).
-- The configuration part is what docs/editors.md shows; the rest checks that diagnostics and hover arrive and
-- writes what the editor got to MMSCN_OUT (test/lsp/editors.test.ts reads it).
local out = vim.env.MMSCN_OUT

-- ---- configuration (docs/editors.md) ----
vim.cmd([[autocmd BufRead,BufNewFile *.mmscn setfiletype mmscn]])
vim.cmd([[
  augroup mmscn_lsp
    autocmd!
    autocmd FileType mmscn lua MmscnAttach()
  augroup END
]])
function MmscnAttach()
  MmscnClient = MmscnClient or vim.lsp.start_client({
    name = 'mmscn',
    cmd = { 'mmscn', 'lsp', '--stdio' },  -- or { 'node', '/path/to/mmscn/dist/cli.js', 'lsp', '--stdio' }
    root_dir = vim.fn.getcwd(),
  })
  vim.lsp.buf_attach_client(0, MmscnClient)
end
-- :MmscnRun runs the buffer on the simulator (the server's mmscn/run request); failed expectations then show as
-- diagnostics, and hovering a pfn shows that page's state after the run
vim.api.nvim_create_user_command('MmscnRun', function()
  vim.lsp.buf_request(0, 'mmscn/run', { textDocument = vim.lsp.util.make_text_document_params() }, function(err, res)
    if err then vim.notify('mmscn/run: ' .. err.message, vim.log.levels.ERROR) return end
    vim.notify('mmscn: ' .. res.message, res.ok and vim.log.levels.INFO or vim.log.levels.WARN)
  end)
end, {})
-- ---- end of configuration ----

local result = { diagnostics = {}, hover = nil, errors = {} }
local function finish()
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.MMSCN_FILE))
  if vim.bo.filetype ~= 'mmscn' then table.insert(result.errors, 'filetype is ' .. vim.bo.filetype) end
  -- diagnostics are pushed by the server after didOpen
  vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(result.diagnostics, { line = d.lnum, col = d.col, message = d.message, severity = d.severity, source = d.source })
  end
  -- hover on the keyword at MMSCN_HOVER_LINE/COL (0-based)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = tonumber(vim.env.MMSCN_HOVER_LINE), character = tonumber(vim.env.MMSCN_HOVER_COL) },
  }
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/hover', params, 10000)
  for _, r in pairs(responses or {}) do
    if r.result and r.result.contents then result.hover = r.result.contents.value or r.result.contents end
    if r.err then table.insert(result.errors, vim.inspect(r.err)) end
  end
  -- the same request :MmscnRun sends (this file has errors, so the server refuses to run it)
  local run = vim.lsp.buf_request_sync(0, 'mmscn/run', { textDocument = vim.lsp.util.make_text_document_params() }, 10000)
  for _, r in pairs(run or {}) do if r.result then result.run = r.result.message end end
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
