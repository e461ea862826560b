// The mmscn debug adapter over DAP (DebugClient), in plain Node: launch, breakpoints, stepping in all
// directions, goto, conditions on state, exception stops, variables with exact numbers, evaluate.
//
// small.mmscn (Normal 0x10000..0x14000, 16384 pages, 2 cpus):
//   11 alloc order 0 movable as p              → 0x10000 from the PCP list (a batch of 3 leaves the buddy)
//   12 page 0x10205 slab
//   13 alloc_contig_range 0x10400..0x10800 as c → ok (phases isolate, drain, migrate, dissolve, test, take, undo)
//   14 alloc_contig_range 0x10000..0x10400 as r → -EBUSY at 0x10205 (unmovable page (slab))
//   15 expect r -EBUSY at 0x10205
//   16 free p
//   17 expect Normal.free > 0
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { INIT, children, fixture, launch, outputMatching, scopeVars, startAdapter, stopAfter, topFrame, type Harness } from './support.js';

const SMALL = fixture('small.mmscn');
const FAILING = fixture('failing.mmscn');
const VARIANTS = fixture('variants.mmscn');

describe('mmscn debug adapter (DAP)', function () {
  this.timeout(20_000);
  let h: Harness;
  beforeEach(async () => { h = await startAdapter(); });
  afterEach(async () => { await h.close(); });

  it('advertises the stepping capabilities and the exception filters', async () => {
    const r = await h.dc.initializeRequest(INIT);
    const c = r.body!;
    for (const k of ['supportsStepBack', 'supportsConditionalBreakpoints', 'supportsConfigurationDoneRequest', 'supportsRestartRequest', 'supportsGotoTargetsRequest', 'supportsEvaluateForHovers'] as const) {
      assert.equal(c[k], true, k);
    }
    assert.deepEqual(c.exceptionBreakpointFilters?.map((f) => [f.filter, f.default]), [['failedExpectation', true], ['operationError', false]]);
  });

  it('launch with stopOnEntry stops on the first operation line', async () => {
    const ev = await launch(h.dc, { program: SMALL, stopOnEntry: true });
    assert.equal(ev.body.reason, 'entry');
    const f = await topFrame(h.dc);
    assert.equal(f.line, 11);
    assert.equal(f.name, 'step 1/7: alloc order 0 movable as p');
    assert.equal(f.source?.path, SMALL);
  });

  it('a file with errors does not launch and says why', async () => {
    await h.dc.initializeRequest(INIT);
    await assert.rejects(h.dc.launchRequest({ program: fixture('broken.mmscn') } as DebugProtocol.LaunchRequestArguments), /cannot debug broken\.mmscn: it has \d+ error/);
  });

  it('breakpoints verify and move to the nearest step line; continue hits them, then the end terminates', async () => {
    await h.dc.initializeRequest(INIT);
    const initialized = h.dc.waitForEvent('initialized');
    const launched = h.dc.launchRequest({ program: SMALL, stopOnEntry: false } as DebugProtocol.LaunchRequestArguments);
    await initialized;
    const bps = await h.dc.setBreakpointsRequest({ source: { path: SMALL }, breakpoints: [{ line: 3 }, { line: 10 }, { line: 14 }] });
    assert.deepEqual(bps.body.breakpoints.map((b) => [b.verified, b.line]), [[true, 11], [true, 11], [true, 14]]);
    const first = h.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await h.dc.configurationDoneRequest();
    await launched;
    const e1 = await first;
    assert.equal(e1.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, 11);
    const e2 = await stopAfter(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
    assert.equal(e2.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, 14);
    const terminated = h.dc.waitForEvent('terminated');
    await h.dc.continueRequest({ threadId: 1 });
    await terminated;
  });

  it('breakpointLocations lists the step lines', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    const r = await h.dc.customRequest('breakpointLocations', { source: { path: SMALL }, line: 1, endLine: 20 });
    assert.deepEqual(r.body.breakpoints.map((b: { line: number }) => b.line), [11, 12, 13, 14, 15, 16, 17]);
  });

  it('step over runs one operation; step back returns to it; the Last result follows', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    assert.equal((await stopAfter(h.dc, () => h.dc.nextRequest({ threadId: 1 }))).body.reason, 'step');
    assert.equal((await topFrame(h.dc)).line, 12);
    let last = await scopeVars(h.dc, 'Last result');
    assert.equal(last.get('op')?.value, 'alloc');
    assert.equal(last.get('ok')?.value, 'true');
    await stopAfter(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    await stopAfter(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 14);
    await stopAfter(h.dc, () => h.dc.stepBackRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 13);
    last = await scopeVars(h.dc, 'Last result');
    assert.equal(last.get('op')?.value, 'page');
    const zones = await scopeVars(h.dc, 'Zones');
    const normal = await children(h.dc, zones.get('Normal')!.variablesReference);
    assert.equal(normal.get('free')?.value, '16380', 'state after step back is the state before alloc_contig_range');
  });

  it('step into walks the phases of alloc_contig_range; step back goes back one phase', async () => {
    await launch(h.dc, { program: SMALL, runToLine: 13 });
    assert.equal((await topFrame(h.dc)).line, 13);
    const phases: string[] = [];
    for (let k = 0; k < 3; k++) {
      await stopAfter(h.dc, () => h.dc.stepInRequest({ threadId: 1 }));
      const st = await h.dc.stackTraceRequest({ threadId: 1 });
      phases.push(st.body.stackFrames[0]!.name);
      assert.equal(st.body.stackFrames[0]!.line, 13);
      assert.equal(st.body.stackFrames.length, 2);
    }
    assert.deepEqual(phases, ['alloc_contig_range › isolate [cpu 0]', 'alloc_contig_range › drain [cpu 0]', 'alloc_contig_range › migrate [cpu 0]']);
    // after isolate the range's pageblocks are isolated
    const iso = await h.dc.evaluateRequest({ expression: 'Normal.nr_isolate_pageblock', context: 'watch' });
    assert.equal(iso.body.result, '2');
    await stopAfter(h.dc, () => h.dc.stepBackRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).name, 'alloc_contig_range › drain [cpu 0]');
    // step out finishes the operation
    await stopAfter(h.dc, () => h.dc.stepOutRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 14);
    const last = await scopeVars(h.dc, 'Last result');
    assert.equal(last.get('op')?.value, 'alloc_contig_range');
    assert.equal(last.get('ok')?.value, 'true');
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.nr_isolate_pageblock', context: 'watch' })).body.result, '0');
  });

  it('reverse continue goes back to the previous breakpoint, then to the start', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: false }, [{ line: 12 }, { line: 16 }]);
    assert.equal((await topFrame(h.dc)).line, 12);
    await stopAfter(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 16);
    const back = await stopAfter(h.dc, () => h.dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(back.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, 12);
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'watch' })).body.result, '16381');
    const start = await stopAfter(h.dc, () => h.dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(start.body.reason, 'entry');
    assert.equal((await topFrame(h.dc)).line, 11);
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'watch' })).body.result, '16384');
  });

  it('goto targets jump to any step, forwards and backwards', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    const t = await h.dc.gotoTargetsRequest({ source: { path: SMALL }, line: 16 });
    assert.equal(t.body.targets.length, 1);
    assert.equal(t.body.targets[0]!.line, 16);
    const ev = await stopAfter(h.dc, () => h.dc.gotoRequest({ threadId: 1, targetId: t.body.targets[0]!.id }));
    assert.equal(ev.body.reason, 'goto');
    assert.equal((await topFrame(h.dc)).line, 16);
    assert.equal((await h.dc.evaluateRequest({ expression: 'last.errno', context: 'watch' })).body.result, 'EBUSY');
    const t2 = await h.dc.gotoTargetsRequest({ source: { path: SMALL }, line: 12 });
    await stopAfter(h.dc, () => h.dc.gotoRequest({ threadId: 1, targetId: t2.body.targets[0]!.id }));
    assert.equal((await topFrame(h.dc)).line, 12);
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'watch' })).body.result, '16381');
  });

  it('a conditional breakpoint on Normal.free stops only where it holds', async () => {
    // free is 16384, 16381, 16380, then 15358 from line 14 on
    const ev = await launch(h.dc, { program: SMALL, stopOnEntry: false }, [{ line: 12, condition: 'Normal.free < 16000' }, { line: 15, condition: 'Normal.free < 16000 && last.errno == EBUSY' }]);
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, 15);
  });

  it('conditions on pages, pageblocks, labels and the last result', async () => {
    const ev = await launch(h.dc, { program: SMALL, stopOnEntry: false }, [
      { line: 12, condition: 'page 0x10205 == slab' },                         // not yet: still free
      { line: 13, condition: 'page 0x10000 == pcp && pageblock 0x10400 == isolate' }, // not isolated
      { line: 16, condition: 'r.reason contains "slab" && page 0x10205 == slab && pageblock 0x10000 == movable' },
    ]);
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, 16);
  });

  it('an invalid condition is reported on the breakpoint, not a crash', async () => {
    await h.dc.initializeRequest(INIT);
    const initialized = h.dc.waitForEvent('initialized');
    const launched = h.dc.launchRequest({ program: SMALL, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
    await initialized;
    const bps = await h.dc.setBreakpointsRequest({ source: { path: SMALL }, breakpoints: [{ line: 12, condition: 'Normal.free <' }, { line: 13, condition: 'Normal.free < 10' }] });
    assert.equal(bps.body.breakpoints[0]!.verified, false);
    assert.match(bps.body.breakpoints[0]!.message ?? '', /invalid condition: expected a value but found the end/);
    assert.equal(bps.body.breakpoints[1]!.verified, true);
    await h.dc.configurationDoneRequest();
    await launched;
    // a condition that fails while evaluating (no such node) stops there and says why
    await h.dc.setBreakpointsRequest({ source: { path: SMALL }, breakpoints: [{ line: 14, condition: 'node 3 Normal.free < 10' }] });
    const out = outputMatching(h.dc, 'stderr', /condition 'node 3 Normal\.free < 10' on line 14: there is no node 3/);
    await stopAfter(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 14);
    await out;
  });

  it('a failed expectation stops like an exception, with the message', async () => {
    const ev = await launch(h.dc, { program: FAILING, stopOnEntry: false });
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.text ?? '', /^expectation failed: expected r -EBUSY, but r returned ok/);
    assert.equal((await topFrame(h.dc)).line, 12);
    const info = await h.dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'failedExpectation');
    // continuing goes on to the end
    const terminated = h.dc.waitForEvent('terminated');
    await h.dc.continueRequest({ threadId: 1 });
    await terminated;
  });

  it('exception filters: off, the failed expectation does not stop; operation error stops on -EBUSY', async () => {
    const terminated = h.dc.waitForEvent('terminated');
    await Promise.all([
      h.dc.initializeRequest(INIT),
      h.dc.waitForEvent('initialized').then(async () => { await h.dc.setExceptionBreakpointsRequest({ filters: [] }); await h.dc.configurationDoneRequest(); }),
      h.dc.launchRequest({ program: FAILING, stopOnEntry: false } as DebugProtocol.LaunchRequestArguments),
    ]);
    await terminated;
    const h2 = await startAdapter();
    try {
      const ev = await launch(h2.dc, { program: SMALL, stopOnEntry: false }, [], ['operationError']);
      assert.equal(ev.body.reason, 'exception');
      assert.match(ev.body.text ?? '', /alloc_contig_range r failed: ✗ -EBUSY at pfn 0x10205 — unmovable page \(slab\)/);
      assert.equal((await topFrame(h2.dc)).line, 14);
    } finally {
      await h2.close();
    }
  });

  it('Variables: Zones with exact numbers, free lists, pageblocks; Memory blocks; Policies', async () => {
    await launch(h.dc, { program: SMALL, runToLine: 13 });
    const scopes = await h.dc.scopesRequest({ frameId: 1 });
    assert.deepEqual(scopes.body.scopes.map((s) => s.name), ['Zones', 'Memory blocks', 'Last result', 'Policies']);
    const zones = await scopeVars(h.dc, 'Zones');
    assert.deepEqual([...zones.keys()], ['Normal']);
    const n = await children(h.dc, zones.get('Normal')!.variablesReference);
    const v = (k: string) => n.get(k)?.value;
    assert.equal(v('start_pfn'), '0x10000');
    assert.equal(v('end_pfn'), '0x14000');
    assert.equal(v('spanned'), '16384');
    assert.equal(v('present'), '16384');
    assert.equal(v('managed'), '16384');
    assert.equal(v('free'), '16380');
    assert.equal(v('nr_isolate_pageblock'), '0');
    assert.equal(v('contiguous'), 'true');
    const wm = await children(h.dc, n.get('watermarks')!.variablesReference);
    assert.deepEqual([...wm.keys()], ['min', 'low', 'high', 'promo']);
    const buddy = await children(h.dc, n.get('buddyinfo')!.variablesReference);
    assert.equal(buddy.size, 11);
    assert.equal(v('buddyinfo'), '2 1 2 2 2 2 2 2 2 0 15');
    assert.equal(buddy.get('order 10')?.value, '15');
    const lists = await children(h.dc, n.get('free_lists')!.variablesReference);
    assert.deepEqual([...lists.keys()], ['unmovable', 'movable', 'reclaimable', 'highatomic', 'cma', 'isolate']);
    const movable = await children(h.dc, lists.get('movable')!.variablesReference);
    assert.equal(movable.get('order 10')?.value, '15');
    const pbs = await children(h.dc, n.get('pageblocks')!.variablesReference);
    assert.equal(pbs.get('movable')?.value, '32');
    assert.equal(pbs.get('isolate')?.value, '0');
    const pcp = await children(h.dc, n.get('pcp')!.variablesReference);
    assert.deepEqual([...pcp.keys()], ['cpu 0', 'cpu 1']);
    const blocks = await scopeVars(h.dc, 'Memory blocks');
    assert.deepEqual([...blocks.keys()], ['memory2']);
    assert.equal(blocks.get('memory2')?.value, 'memory2: online Normal (node 0)');
    const b2 = await children(h.dc, blocks.get('memory2')!.variablesReference);
    assert.equal(b2.get('start')?.value, '0x10000');
    assert.equal(b2.get('valid_zones')?.value, 'Normal');
    const pol = await scopeVars(h.dc, 'Policies');
    assert.equal(pol.get('kernel')?.value, '6.12');
    assert.equal(pol.get('contig_pcp')?.value, 'drain_once');
  });

  it('Last result lists the migrations and what was allocated', async () => {
    await launch(h.dc, { program: SMALL, runToLine: 14 });
    const last = await scopeVars(h.dc, 'Last result');
    assert.equal(last.get('pfn')?.value, 'null');
    const alloc = await children(h.dc, last.get('allocated')!.variablesReference);
    assert.equal(alloc.get('[0]')?.value, '0x10400 (1024 pages)');
    assert.ok(last.has('migrations'));
  });

  it('evaluate: a hex pfn shows that page; zone fields; /proc renderers; errors do not crash', async () => {
    await launch(h.dc, { program: SMALL, runToLine: 16 });
    const page = await h.dc.evaluateRequest({ expression: '0x10205', context: 'hover' });
    assert.match(page.body.result, /^0x10205: allocated slab/);
    const fields = await children(h.dc, page.body.variablesReference);
    assert.equal(fields.get('kind')?.value, 'slab');
    assert.equal(fields.get('pageblock')?.value, '0x10200');
    assert.equal(fields.get('zone')?.value, 'Normal');
    // p (0x10000) is still allocated here; one step later (free p) it sits on cpu 0's PCP list
    assert.match((await h.dc.evaluateRequest({ expression: '0x10000', context: 'repl' })).body.result, /^0x10000: allocated anon .*owner p/);
    await stopAfter(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.match((await h.dc.evaluateRequest({ expression: '0x10000', context: 'repl' })).body.result, /^0x10000: pcp .* on cpu 0/);
    await stopAfter(h.dc, () => h.dc.stepBackRequest({ threadId: 1 }));
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'hover' })).body.result, '15358');
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.managed - Normal.free', context: 'repl' })).body.result, '1026');
    assert.equal((await h.dc.evaluateRequest({ expression: 'page 0x10205 == slab', context: 'repl' })).body.result, 'true');
    assert.match((await h.dc.evaluateRequest({ expression: 'buddyinfo', context: 'repl' })).body.result, /^Node 0, zone   Normal /);
    await assert.rejects(h.dc.evaluateRequest({ expression: 'Normal.nope', context: 'repl' }), /Normal has no field 'nope'/);
    await assert.rejects(h.dc.evaluateRequest({ expression: 'alloc', context: 'hover' }), /not a value/);
    await assert.rejects(h.dc.evaluateRequest({ expression: '1 +', context: 'repl' }), /expected a value/);
  });

  it('restart starts over at the entry', async () => {
    await launch(h.dc, { program: SMALL, runToLine: 16 });
    const ev = await stopAfter(h.dc, () => h.dc.restartRequest({ arguments: { type: 'mmscn', request: 'launch', program: SMALL, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments }));
    assert.equal(ev.body.reason, 'entry');
    assert.equal((await topFrame(h.dc)).line, 11);
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'watch' })).body.result, '16384');
  });

  it('variants: the first by default (and says so), or the one the launch configuration names', async () => {
    const said = outputMatching(h.dc, 'console', /debugging variant 'drain_once' \(the first of drain_once, disable\)/);
    await launch(h.dc, { program: VARIANTS, stopOnEntry: true });
    await said;
    assert.equal((await h.dc.threadsRequest()).body.threads[0]!.name, 'scenario (variant drain_once)');
    const h2 = await startAdapter();
    try {
      await launch(h2.dc, { program: VARIANTS, stopOnEntry: false, variant: 'disable' }, [{ line: 20 }]);
      assert.equal((await h2.dc.evaluateRequest({ expression: 'policy.contig_pcp', context: 'repl' })).body.result, 'disable');
      assert.equal((await h2.dc.evaluateRequest({ expression: 'r.ok', context: 'repl' })).body.result, 'true');
    } finally {
      await h2.close();
    }
    const h3 = await startAdapter();
    try {
      await h3.dc.initializeRequest(INIT);
      await assert.rejects(h3.dc.launchRequest({ program: VARIANTS, variant: 'nope' } as DebugProtocol.LaunchRequestArguments), /has no variant 'nope' \(it has drain_once, disable\)/);
    } finally {
      await h3.close();
    }
  });

  it('step into an interleave shows each CPU\'s phase on its own line', async () => {
    await launch(h.dc, { program: VARIANTS, runToLine: 14 });
    const names: [string, number][] = [];
    for (let k = 0; k < 3; k++) {
      await stopAfter(h.dc, () => h.dc.stepInRequest({ threadId: 1 }));
      const f = await topFrame(h.dc);
      names.push([f.name, f.line]);
    }
    assert.deepEqual(names, [['free › lookup [cpu 1]', 16], ['alloc_contig_range › isolate [cpu 0]', 15], ['alloc_contig_range › drain [cpu 0]', 15]]);
  });

  it('noDebug runs to the end and reports the results', async () => {
    const terminated = h.dc.waitForEvent('terminated');
    const out = outputMatching(h.dc, 'stdout', /^line 14: alloc_contig_range r: ✗ -EBUSY at pfn 0x10205 — unmovable page \(slab\)$/m);
    await Promise.all([
      h.dc.initializeRequest(INIT),
      h.dc.waitForEvent('initialized').then(() => h.dc.configurationDoneRequest()),
      h.dc.launchRequest({ program: SMALL, noDebug: true } as DebugProtocol.LaunchRequestArguments),
    ]);
    await out;
    await terminated;
  });
});
