-- Drives nvim-dap (the real plugin) against `mmscn dap` in `nvim --headless`: the config of docs/editors.md,
-- then breakpoints, continue, step into a phase, step back, reverse continue, variables, a console command
-- typed into the dap REPL, disconnect. Writes one JSON object of observations to $MMSCN_OUT and quits;
-- test/adapter/editors.test.ts asserts on it. Env: MMSCN_NVIM_DAP (a checkout of nvim-dap), MMSCN_CLI, MMSCN_FILE.
local out_path, plugin, cli, file = os.getenv('MMSCN_OUT'), os.getenv('MMSCN_NVIM_DAP'), os.getenv('MMSCN_CLI'), os.getenv('MMSCN_FILE')
local result = { stops = {}, errors = {} }
local function finish()
  local f = io.open(out_path, 'w')
  f:write(vim.json.encode(result))
  f:close()
  -- close the REPL window first: left open, nvim-dap 0.6's ExitPre handler closing it keeps headless nvim from quitting
  pcall(function() require('dap.repl').close() end)
  vim.cmd('qa!')
end
local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(plugin)

  -- ---- the configuration shown in docs/editors.md (with the CLI path from the test) ----
  vim.cmd([[autocmd BufRead,BufNewFile *.mmscn setfiletype mmscn]])
  local dap = require('dap')
  dap.adapters.mmscn = { type = 'executable', command = 'node', args = { cli, 'dap' } }
  dap.configurations.mmscn = {
    { type = 'mmscn', request = 'launch', name = 'Debug scenario', program = '${file}', stopOnEntry = true },
  }
  -- ---- end of configuration ----

  dap.listeners.after.event_stopped['mmscn-test'] = function(_, body) table.insert(result.stops, body.reason) end
  dap.listeners.after.event_terminated['mmscn-test'] = function() result.terminated = true end
  dap.listeners.after.event_exited['mmscn-test'] = function() result.exited = true end

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  result.filetype = vim.bo.filetype
  vim.api.nvim_win_set_cursor(0, { 13, 0 })
  dap.toggle_breakpoint()
  vim.api.nvim_win_set_cursor(0, { 12, 0 })
  dap.toggle_breakpoint('Normal.free < 16000') -- never holds on line 12: the stop must be at 13

  local function wait_stops(n, what)
    if not vim.wait(10000, function() return #result.stops >= n end, 20) then error('timed out waiting for ' .. what) end
    -- the frame arrives after the stopped event (stackTrace request)
    vim.wait(3000, function() local s = dap.session(); return s and s.current_frame ~= nil and s.stopped_thread_id ~= nil end, 20)
  end
  local function frame()
    local s = dap.session()
    local f = s and s.current_frame
    return f and { name = f.name, line = f.line } or vim.NIL
  end
  local function request(command, args)
    local done, resp, rerr = false, nil, nil
    dap.session():request(command, args, function(e, r) rerr, resp, done = e, r, true end)
    if not vim.wait(5000, function() return done end, 10) then error(command .. ' timed out') end
    if rerr then return { error = rerr.message or vim.inspect(rerr) } end
    return resp
  end
  local function settle() vim.wait(300, function() return false end, 20) end

  dap.continue() -- starts the one configuration
  wait_stops(1, 'entry')
  result.entry = frame()
  dap.continue()
  wait_stops(2, 'breakpoint')
  settle()
  result.at_breakpoint = frame()
  dap.step_into()
  wait_stops(3, 'step into')
  settle()
  result.phase1 = frame()
  dap.step_into()
  wait_stops(4, 'step into')
  settle()
  result.phase2 = frame()
  dap.step_back()
  wait_stops(5, 'step back')
  settle()
  result.after_step_back = frame()
  dap.reverse_continue()
  wait_stops(6, 'reverse continue')
  settle()
  result.after_reverse_continue = frame()

  local scopes = request('scopes', { frameId = dap.session().current_frame.id })
  result.scopes = {}
  for _, s in ipairs(scopes.scopes or {}) do table.insert(result.scopes, s.name) end
  local zones = request('variables', { variablesReference = scopes.scopes[1].variablesReference })
  local normal = request('variables', { variablesReference = zones.variables[1].variablesReference })
  for _, v in ipairs(normal.variables) do if v.name == 'free' then result.normal_free = v.value end end
  result.evaluate_free = request('evaluate', { expression = 'Normal.free', context = 'watch', frameId = dap.session().current_frame.id }).result

  -- a kernel-format console command, typed into nvim-dap's REPL
  local repl = require('dap.repl')
  repl.open()
  local buf = -1
  for _, b in ipairs(vim.api.nvim_list_bufs()) do if vim.bo[b].filetype == 'dap-repl' then buf = b end end
  vim.fn.win_gotoid(vim.fn.bufwinid(buf))
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('ibuddyinfo<CR><Esc>', true, false, true), 'x', false)
  vim.wait(3000, function()
    return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n'):find('zone   Normal') ~= nil
  end, 20)
  result.repl = vim.api.nvim_buf_get_lines(buf, 0, -1, false)

  local closed = false
  dap.disconnect({ terminateDebuggee = true }, function() closed = true end)
  vim.wait(5000, function() return closed end, 20)
  result.disconnected = closed
  vim.wait(1000, function() return dap.session() == nil end, 20)
  result.session_after = dap.session() == nil and 'none' or 'still running'
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
