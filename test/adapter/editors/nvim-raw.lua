-- A minimal DAP client in Neovim's own Lua (vim.loop + vim.json, no plugin; works on nvim 0.7): spawns
-- `node dist/cli.js dap` the way an editor plugin does and runs initialize, launch (stopOnEntry, a breakpoint),
-- continue, step into a phase, step back, reverse continue, variables, evaluate of a console command,
-- disconnect. Writes a JSON object of observations to $MMSCN_OUT and quits (test/adapter/editors.test.ts).
local uv = vim.loop
local out_path, cli, file = os.getenv('MMSCN_OUT'), os.getenv('MMSCN_CLI'), os.getenv('MMSCN_FILE')
local result = { events = {}, errors = {} }

local stdin, stdout, stderr = uv.new_pipe(false), uv.new_pipe(false), uv.new_pipe(false)
local handle = uv.spawn('node', { args = { cli, 'dap' }, stdio = { stdin, stdout, stderr } }, function(code)
  result.exit_code = code
end)

local seq, pending, events, buffer = 0, {}, {}, ''
local function on_message(msg)
  if msg.type == 'response' then pending[msg.request_seq] = msg
  elseif msg.type == 'event' then table.insert(events, msg); table.insert(result.events, msg.event) end
end
stdout:read_start(function(_, data)
  if not data then return end
  buffer = buffer .. data
  while true do
    local header_end = buffer:find('\r\n\r\n', 1, true)
    if not header_end then return end
    local len = tonumber(buffer:sub(1, header_end):match('Content%-Length: (%d+)'))
    if #buffer < header_end + 3 + len then return end
    local body = buffer:sub(header_end + 4, header_end + 3 + len)
    buffer = buffer:sub(header_end + 4 + len)
    vim.schedule(function() on_message(vim.json.decode(body)) end)
  end
end)
stderr:read_start(function() end)

local function send(command, arguments)
  seq = seq + 1
  local json = vim.json.encode({ seq = seq, type = 'request', command = command, arguments = arguments })
  stdin:write('Content-Length: ' .. #json .. '\r\n\r\n' .. json)
  return seq
end
local function request(command, arguments)
  local s = send(command, arguments)
  if not vim.wait(10000, function() return pending[s] ~= nil end, 10) then error(command .. ': no response') end
  local r = pending[s]
  if not r.success then return { error = r.message } end
  return r.body or {}
end
local function wait_event(name)
  local found
  if not vim.wait(10000, function()
    for i, e in ipairs(events) do if e.event == name then found = table.remove(events, i); return true end end
    return false
  end, 10) then error('no ' .. name .. ' event') end
  return found
end
local function top()
  local f = request('stackTrace', { threadId = 1 }).stackFrames[1]
  return { name = f.name, line = f.line }
end

local ok, err = pcall(function()
  local caps = request('initialize', { adapterID = 'mmscn', clientID = 'neovim', linesStartAt1 = true, columnsStartAt1 = true, pathFormat = 'path' })
  result.supportsStepBack = caps.supportsStepBack
  result.bad_launch = request('launch', { program = file .. '.missing' }).error
  local launch_seq = send('launch', { type = 'mmscn', request = 'launch', program = file, stopOnEntry = true })
  wait_event('initialized')
  local bps = request('setBreakpoints', { source = { path = file }, breakpoints = { { line = 13 } } })
  result.breakpoint_verified = bps.breakpoints[1].verified
  request('configurationDone', vim.empty_dict())
  vim.wait(5000, function() return pending[launch_seq] ~= nil end, 10)
  result.entry = { reason = wait_event('stopped').body.reason, frame = top() }
  send('continue', { threadId = 1 })
  result.breakpoint = { reason = wait_event('stopped').body.reason, frame = top() }
  send('stepIn', { threadId = 1 }); wait_event('stopped')
  send('stepIn', { threadId = 1 }); wait_event('stopped')
  result.phase = top()
  send('stepBack', { threadId = 1 }); wait_event('stopped')
  result.after_step_back = top()
  send('reverseContinue', { threadId = 1 })
  result.after_reverse_continue = { reason = wait_event('stopped').body.reason, frame = top() }
  local scopes = request('scopes', { frameId = 1 }).scopes
  local zones = request('variables', { variablesReference = scopes[1].variablesReference }).variables
  for _, v in ipairs(request('variables', { variablesReference = zones[1].variablesReference }).variables) do
    if v.name == 'free' then result.normal_free = v.value end
  end
  result.buddyinfo = request('evaluate', { expression = 'buddyinfo', context = 'repl' }).result
  result.disconnect = request('disconnect', { terminateDebuggee = true }) ~= nil
  vim.wait(5000, function() return result.exit_code ~= nil end, 10)
end)
if not ok then table.insert(result.errors, tostring(err)) end
if not handle:is_closing() and result.exit_code == nil then handle:kill('sigkill') end
local f = io.open(out_path, 'w')
f:write(vim.json.encode(result))
f:close()
vim.cmd('qa!')
