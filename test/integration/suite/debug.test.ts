// The mmscn debugger inside VS Code: startDebugging on a fixture, stopped events recorded from the adapter,
// stepping and variables through customRequest, inline results, CodeLens and the status bar.
// basic.mmscn: 12 page 0x100205 slab · 13 alloc order 0 movable as p · 14 alloc_contig_range … as r (-EBUSY)
//              15 expect r -EBUSY at 0x100205 · 16 checkpoint after_contig  (5 steps)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, fixture, open, recordDebugAdapter, requireBackend, waitForEvent } from './helpers';

type Recorder = ReturnType<typeof recordDebugAdapter>;

/** The next `stopped` event after whatever was recorded so far. */
function nextStop(rec: Recorder, what: string): Promise<any> {
  const from = rec.messages.length;
  return rec.waitFor((m) => m.type === 'event' && m.event === 'stopped' && rec.messages.indexOf(m) >= from, what);
}

async function topFrame(s: vscode.DebugSession): Promise<{ id: number; name: string; line: number }> {
  const st = await s.customRequest('stackTrace', { threadId: 1 });
  return st.stackFrames[0];
}

async function variables(s: vscode.DebugSession, ref: number): Promise<Map<string, { value: string; variablesReference: number }>> {
  const r = await s.customRequest('variables', { variablesReference: ref });
  return new Map(r.variables.map((v: any) => [v.name, v]));
}

async function startOn(name: string, extra: Record<string, unknown>, rec: Recorder): Promise<{ session: vscode.DebugSession; stop: any }> {
  const uri = fixture(name);
  const started = waitForEvent(vscode.debug.onDidStartDebugSession, (s) => s.type === 'mmscn', 'an mmscn debug session');
  const stop = nextStop(rec, `the first stop in ${name}`);
  const ok = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), { type: 'mmscn', request: 'launch', name: `test ${name}`, program: uri.fsPath, ...extra });
  assert.ok(ok, 'startDebugging returned false');
  return { session: await started, stop: await stop };
}

async function stop(session: vscode.DebugSession): Promise<void> {
  const ended = waitForEvent(vscode.debug.onDidTerminateDebugSession, (s) => s.id === session.id, 'the session to end');
  await vscode.debug.stopDebugging(session);
  await ended;
}

suite('debugger', () => {
  let rec: Recorder;
  setup(() => { rec = recordDebugAdapter('mmscn'); });
  teardown(async () => {
    if (vscode.debug.activeDebugSession?.type === 'mmscn') await stop(vscode.debug.activeDebugSession);
    rec.dispose();
    await closeAll();
  });

  test('startDebugging stops on entry; step over, variables, step back, status bar, stop', async () => {
    const api = await requireBackend('language.analyze', 'sim.runScenario');
    const { doc } = await open('basic.mmscn');
    const { session, stop: first } = await startOn('basic.mmscn', { stopOnEntry: true }, rec);
    assert.equal(first.body.reason, 'entry');
    assert.equal((await topFrame(session)).line, 12);

    let s = nextStop(rec, 'stop after next');
    await session.customRequest('next', { threadId: 1 });
    assert.equal((await s).body.reason, 'step');
    const f = await topFrame(session);
    assert.equal(f.line, 13);
    assert.equal(api.stepping.statusText(), '$(debug-stackframe) mmscn: step 2/5');
    assert.deepEqual(api.stepping.results(doc.uri).map((r) => [r.line, r.text]), [[12, '✓ ok']]);

    const scopes = await session.customRequest('scopes', { frameId: f.id });
    const names = scopes.scopes.map((x: any) => x.name);
    assert.deepEqual(names, ['Zones', 'Memory blocks', 'Last result', 'Policies']);
    const zones = await variables(session, scopes.scopes[0].variablesReference);
    assert.deepEqual([...zones.keys()], ['DMA32', 'Normal']);
    const normal = await variables(session, zones.get('Normal')!.variablesReference);
    assert.equal(normal.get('start_pfn')?.value, '0x100000');
    assert.equal(normal.get('spanned')?.value, '262144');
    const last = await variables(session, scopes.scopes[2].variablesReference);
    assert.equal(last.get('op')?.value, 'page');

    const ev = await session.customRequest('evaluate', { expression: '0x100205', context: 'hover', frameId: f.id });
    assert.match(ev.result, /^0x100205: allocated slab/);

    s = nextStop(rec, 'stop after stepBack');
    await session.customRequest('stepBack', { threadId: 1 });
    await s;
    assert.equal((await topFrame(session)).line, 12);
    assert.equal(api.stepping.results(doc.uri).length, 0);
    await stop(session);
  });

  test('step into stops inside an operation (its phase in the frame name); continue runs to the end', async () => {
    await requireBackend('language.analyze', 'sim.runScenario');
    await open('basic.mmscn');
    const { session } = await startOn('basic.mmscn', { runToLine: 13, stopOnEntry: false }, rec);
    assert.equal((await topFrame(session)).line, 13);
    const s = nextStop(rec, 'stop after stepIn');
    await session.customRequest('stepIn', { threadId: 1 });
    await s;
    assert.equal((await topFrame(session)).name, 'alloc › run [cpu 0]');
    const ended = waitForEvent(vscode.debug.onDidTerminateDebugSession, (x) => x.id === session.id, 'the session to end');
    await session.customRequest('continue', { threadId: 1 });
    await ended;
  });

  test('a breakpoint with a condition on Normal.free, set through the VS Code API', async () => {
    await requireBackend('language.analyze', 'sim.runScenario');
    const uri = fixture('basic.mmscn');
    await open('basic.mmscn');
    const bps = [
      new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(12, 0)), true, 'Normal.free > 1000000'),
      new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(14, 0)), true, 'last.errno == EBUSY && page 0x100205 == slab'),
    ];
    vscode.debug.addBreakpoints(bps);
    try {
      const { session, stop: first } = await startOn('basic.mmscn', { stopOnEntry: false }, rec);
      assert.equal(first.body.reason, 'breakpoint');
      assert.equal((await topFrame(session)).line, 15);
      await stop(session);
    } finally {
      vscode.debug.removeBreakpoints(bps);
    }
  });

  test('a failed expectation stops as an exception on its line', async () => {
    await requireBackend('language.analyze', 'sim.runScenario');
    await open('failing-expectation.mmscn');
    const { session, stop: first } = await startOn('failing-expectation.mmscn', { stopOnEntry: false }, rec);
    assert.equal(first.body.reason, 'exception');
    assert.match(first.body.text, /expectation failed/);
    assert.equal((await topFrame(session)).line, 13);
    await stop(session);
  });

  test('mmscn.runToLine starts a session stopped at that line; F5 config resolves ${file}', async () => {
    await requireBackend('language.analyze', 'sim.runScenario');
    const { doc } = await open('basic.mmscn');
    const stopped = nextStop(rec, 'run to line 15');
    const started = waitForEvent(vscode.debug.onDidStartDebugSession, (s) => s.type === 'mmscn', 'an mmscn debug session');
    await vscode.commands.executeCommand('mmscn.runToLine', doc.uri, 15);
    const session = await started;
    await stopped;
    assert.equal((await topFrame(session)).line, 15);
    // run to here inside the running session goes back
    const back = nextStop(rec, 'run to line 13');
    await vscode.commands.executeCommand('mmscn.runToLine', doc.uri, 13);
    await back;
    assert.equal((await topFrame(session)).line, 13);
    await stop(session);

    const again = waitForEvent(vscode.debug.onDidStartDebugSession, (s) => s.type === 'mmscn', 'a session from ${file}');
    const entry = nextStop(rec, 'entry from ${file}');
    assert.ok(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], { type: 'mmscn', request: 'launch', name: 'F5', program: '${file}', stopOnEntry: true }));
    const s2 = await again;
    assert.equal((await entry).body.reason, 'entry');
    assert.equal((await topFrame(s2)).line, 12);
    await stop(s2);
  });

  test('after mmscn.runScenario each line shows its outcome; CodeLens above operation lines', async () => {
    const api = await requireBackend('language.analyze', 'sim.runScenario');
    const { doc } = await open('basic.mmscn');
    const changed = waitForEvent(api.stepping.onDidChangeResults, (e) => e.uri === doc.uri.toString() && e.lines.length > 0, 'inline results');
    await vscode.commands.executeCommand('mmscn.runScenario', doc.uri);
    await changed;
    const lines = new Map(api.stepping.results(doc.uri).map((r) => [r.line, r.text]));
    assert.equal(lines.get(13), '✓ ok');
    assert.match(lines.get(14) ?? '', /^✗ -EBUSY at pfn 0x100205 — /);
    assert.equal(lines.get(15), '✓');
    assert.match(api.stepping.statusText() ?? '', /mmscn: run ✓/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const at14 = lenses.filter((l) => l.range.start.line === 13).map((l) => l.command?.title);
    // codicons (issue 11 item 7: '⏵' rendered as an empty box in the editor font)
    assert.deepEqual(at14, ['$(play) Run', '$(debug-alt) Debug', 'Run to here']);
    assert.ok(!lenses.some((l) => l.range.start.line === 14), 'no CodeLens on an expect line');
    assert.ok(!lenses.some((l) => l.range.start.line === 11), 'no CodeLens on population (page 0x100205 slab)');
  });

  test('typing a typo keeps the lenses and results of the last good state, moved with the edit (issue 11 item 3)', async () => {
    const api = await requireBackend('language.analyze', 'sim.runScenario');
    const src = await vscode.workspace.fs.readFile(fixture('basic.mmscn'));
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'typing.mmscn');
    await vscode.workspace.fs.writeFile(uri, src);
    const doc = await vscode.workspace.openTextDocument(uri);
    const ed = await vscode.window.showTextDocument(doc);
    const changed = waitForEvent(api.stepping.onDidChangeResults, (e) => e.uri === doc.uri.toString() && e.lines.length > 0, 'inline results');
    await vscode.commands.executeCommand('mmscn.runScenario', doc.uri);
    await changed;
    const lensLines = async () => [...new Set((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)).map((l) => l.range.start.line + 1))];
    assert.deepEqual(await lensLines(), [13, 14]);
    // a half-typed operation above them: the file no longer analyses
    const analysed = waitForEvent(api.onDidAnalyze, (e) => e.uri.toString() === doc.uri.toString() && e.diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error), 'an error after the typo');
    await ed.edit((b) => b.insert(new vscode.Position(11, 0), 'alloc order\n'));
    await analysed;
    assert.deepEqual(await lensLines(), [14, 15], 'the lenses vanished or did not move with the text');
    const lines = new Map(api.stepping.results(doc.uri).map((r) => [r.line, r.text]));
    assert.equal(lines.get(14), '✓ ok', `results after the typo: ${JSON.stringify([...lines])}`);
    assert.match(lines.get(15) ?? '', /^✗ -EBUSY/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the Run and Debug dropdown offers each variant as a configuration (issue 11 item 7)', async () => {
    const api = await requireBackend('language.analyze');
    const uri = (await vscode.workspace.findFiles('samples/seed-000-alloc-contig-range/d-unification.mmscn'))[0]!;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const configs = api.stepping.debugConfigurations();
    const mine = configs.filter((c) => c.program === uri.fsPath);
    assert.deepEqual(mine.map((c) => [c.name, c.variant]), [
      ['Debug d-unification.mmscn (variant contig)', 'contig'],
      ['Debug d-unification.mmscn (variant unified)', 'unified'],
    ]);
    assert.ok(configs.some((c) => c.program === '${file}'), 'the generic configuration');
    await closeAll();
  });
});
