// The standalone debug adapter (`mmscn dap`) over a real stdio child process, as nvim-dap or dape run it:
// the same features as inline in VS Code (phases, step back, reverse continue, conditional breakpoints,
// variables, the kernel-format console commands), the program read from disk, bad launches answered with
// an error (the process lives on), and a clean exit on disconnect or when the client closes the pipe.
//
// small.mmscn: 11 alloc p · 12 page slab · 13 alloc_contig_range c (ok, phases) · 14 alloc_contig_range r
// (-EBUSY at 0x10205) · 15 expect · 16 free p · 17 expect
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { buildOnce, CLI } from '../support/cli.js';
import { programPath } from '../../src/cli/dap.js';
import { FIXTURES, INIT, children, fixture, launch, outputMatching, scopeVars, stopAfter, topFrame } from './support.js';
import { startStdioAdapter, type StdioHarness } from './stdio.js';

const SMALL = fixture('small.mmscn');
const launchArgs = (a: Record<string, unknown>) => ({ type: 'mmscn', request: 'launch', ...a }) as DebugProtocol.LaunchRequestArguments;

describe('mmscn dap (standalone adapter on stdio)', function () {
  this.timeout(30_000);
  let h: StdioHarness;
  before(() => buildOnce());
  beforeEach(async () => { h = await startStdioAdapter(); });
  afterEach(async () => { await h.close(); });

  it('the CLI bundle does not load vscode (the adapter must run outside the extension host)', () => {
    assert.doesNotMatch(readFileSync(CLI, 'utf8'), /require\(["']vscode["']\)/);
  });

  it('initialize advertises step back, conditional breakpoints and the exception filters', async () => {
    const c = (await h.dc.initializeRequest(INIT)).body!;
    for (const k of ['supportsStepBack', 'supportsConditionalBreakpoints', 'supportsConfigurationDoneRequest', 'supportsEvaluateForHovers', 'supportsGotoTargetsRequest'] as const) {
      assert.equal(c[k], true, k);
    }
    assert.deepEqual(c.exceptionBreakpointFilters?.map((f) => f.filter), ['failedExpectation', 'operationError']);
  });

  it('launch with stopOnEntry reads the program from disk and stops on the first operation', async () => {
    const ev = await launch(h.dc, { program: SMALL, stopOnEntry: true });
    assert.equal(ev.body.reason, 'entry');
    const f = await topFrame(h.dc);
    assert.equal(f.line, 11);
    assert.equal(f.name, 'step 1/7: alloc order 0 movable as p');
    assert.equal(f.source?.path, SMALL);
  });

  it('breakpoints (one conditional) and continue; then next, step into the phases, step back', async () => {
    // Normal.free is 16384, 16381, 16380, then 15358 from line 14 on: the condition on line 12 does not hold
    const ev = await launch(h.dc, { program: SMALL, stopOnEntry: false }, [{ line: 12, condition: 'Normal.free < 16000' }, { line: 13 }]);
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, 13);
    const phases: string[] = [];
    for (let k = 0; k < 2; k++) {
      await stopAfter(h.dc, () => h.dc.stepInRequest({ threadId: 1 }));
      phases.push((await topFrame(h.dc)).name);
    }
    assert.deepEqual(phases, ['alloc_contig_range › isolate [cpu 0]', 'alloc_contig_range › drain [cpu 0]']);
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.nr_isolate_pageblock', context: 'watch' })).body.result, '2');
    await stopAfter(h.dc, () => h.dc.stepBackRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).name, 'alloc_contig_range › isolate [cpu 0]');
    await stopAfter(h.dc, () => h.dc.stepOutRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 14);
    await stopAfter(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 15);
    assert.equal((await h.dc.evaluateRequest({ expression: 'last.errno', context: 'repl' })).body.result, 'EBUSY');
    await stopAfter(h.dc, () => h.dc.stepBackRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 14);
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'watch' })).body.result, '15358');
  });

  it('reverse continue goes back to the previous breakpoint, then to the entry', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: false }, [{ line: 12 }, { line: 16 }]);
    await stopAfter(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
    assert.equal((await topFrame(h.dc)).line, 16);
    assert.equal((await stopAfter(h.dc, () => h.dc.reverseContinueRequest({ threadId: 1 }))).body.reason, 'breakpoint');
    assert.equal((await topFrame(h.dc)).line, 12);
    assert.equal((await stopAfter(h.dc, () => h.dc.reverseContinueRequest({ threadId: 1 }))).body.reason, 'entry');
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'watch' })).body.result, '16384');
  });

  it('variables: scopes, a zone with exact numbers, its free lists', async () => {
    await launch(h.dc, { program: SMALL, runToLine: 13 });
    const scopes = await h.dc.scopesRequest({ frameId: 1 });
    assert.deepEqual(scopes.body.scopes.map((s) => s.name), ['Zones', 'Memory blocks', 'Last result', 'Policies']);
    const zones = await scopeVars(h.dc, 'Zones');
    const normal = await children(h.dc, zones.get('Normal')!.variablesReference);
    assert.equal(normal.get('free')?.value, '16380');
    assert.equal(normal.get('buddyinfo')?.value, '2 1 2 2 2 2 2 2 2 0 15');
    const lists = await children(h.dc, normal.get('free_lists')!.variablesReference);
    const movable = await children(h.dc, lists.get('movable')!.variablesReference);
    assert.equal(movable.get('order 10')?.value, '15');
    assert.equal((await scopeVars(h.dc, 'Last result')).get('op')?.value, 'page');
  });

  it('evaluate: the kernel-format console commands and expressions; a bad one is an error, not a crash', async () => {
    await launch(h.dc, { program: SMALL, runToLine: 16 });
    const buddy = await h.dc.evaluateRequest({ expression: 'buddyinfo', context: 'repl' });
    assert.match(buddy.body.result, /^Node 0, zone   Normal /);
    const pti = await h.dc.evaluateRequest({ expression: 'pagetypeinfo', context: 'repl' });
    assert.match(pti.body.result, /^Page block order: 9\nPages per block:  512\n/);
    assert.match((await h.dc.evaluateRequest({ expression: 'zoneinfo', context: 'repl' })).body.result, /\nNode 0, zone   Normal\n  pages free     15358\n/);
    assert.match((await h.dc.evaluateRequest({ expression: '0x10205', context: 'repl' })).body.result, /^0x10205: allocated slab/);
    assert.equal((await h.dc.evaluateRequest({ expression: 'page 0x10205 == slab', context: 'repl' })).body.result, 'true');
    await assert.rejects(h.dc.evaluateRequest({ expression: 'Normal.nope', context: 'repl' }), /Normal has no field 'nope'/);
    // the session is still alive
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'repl' })).body.result, '15358');
  });

  it('console output of the run reaches the client as output events', async () => {
    const out = outputMatching(h.dc, 'stdout', /line 14: alloc_contig_range r: ✗ -EBUSY at pfn 0x10205/);
    const terminated = h.dc.waitForEvent('terminated');
    await Promise.all([
      h.dc.initializeRequest(INIT),
      h.dc.waitForEvent('initialized').then(() => h.dc.configurationDoneRequest()),
      h.dc.launchRequest(launchArgs({ program: SMALL, noDebug: true })),
    ]);
    await out;
    await terminated;
  });

  it('disconnect ends the adapter process with exit code 0', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    await h.dc.disconnectRequest({});
    assert.equal(await h.exited, 0);
    assert.equal(h.stderr(), '');
  });

  it('closing stdin (the editor went away) ends the adapter, no hang', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    h.child.stdin!.end();
    assert.equal(await h.exited, 0);
  });

  it('bad launches get an error response and the adapter lives on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmscn-dap-'));
    await h.dc.initializeRequest(INIT);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{}, /names no "program"/],
      [{ program: 42 }, /bad 'launch' request: 'program' must be a string \(got a number\)/],
      [{ program: SMALL, stopOnEntry: 'yes' }, /'stopOnEntry' must be a boolean/],
      [{ program: join(dir, 'missing.mmscn') }, new RegExp(`cannot read ${dir.replace(/[.]/g, '\\.')}/missing\\.mmscn: no such file`)],
      [{ program: dir }, /cannot read .*: it is a directory, not a \.mmscn file/],
      [{ program: '/dev/zero' }, /cannot read \/dev\/zero: it is not a regular file/],
      [{ program: 'untitled:Untitled-1' }, /'untitled:Untitled-1' is not a file path: the standalone adapter \(mmscn dap\) reads scenarios from disk/],
      [{ program: fixture('broken.mmscn') }, /cannot debug broken\.mmscn: it has \d+ error/],
    ];
    for (const [args, re] of bad) {
      await assert.rejects(h.dc.launchRequest(launchArgs(args)), re, JSON.stringify(args));
    }
    // an unreadable file (not when running as root, who reads anything)
    if (process.getuid?.() !== 0) {
      const f = join(dir, 'secret.mmscn');
      writeFileSync(f, readFileSync(SMALL), { mode: 0o000 });
      await assert.rejects(h.dc.launchRequest(launchArgs({ program: f })), /cannot read .*secret\.mmscn: permission denied/);
    }
    // the same process still debugs a good file
    const ev = await launch(h.dc, { program: SMALL, stopOnEntry: true });
    assert.equal(ev.body.reason, 'entry');
    assert.equal(h.child.exitCode, null);
  });

  it('a message that is not JSON is reported on stderr and skipped', async () => {
    await h.dc.initializeRequest(INIT);
    h.child.stdin!.write('Content-Length: 5\r\n\r\nxxxxx');
    const ev = await launch(h.dc, { program: SMALL, stopOnEntry: true });
    assert.equal(ev.body.reason, 'entry');
    assert.match(h.stderr(), /mmscn dap: Error handling data: .*not valid JSON/);
  });

  it('a relative program is read from the adapter\'s working directory and reported as an absolute path', async () => {
    await h.close();
    h = await startStdioAdapter(FIXTURES);
    await h.dc.initializeRequest(INIT);
    const initialized = h.dc.waitForEvent('initialized');
    const launched = h.dc.launchRequest(launchArgs({ program: 'small.mmscn', stopOnEntry: false }));
    await initialized;
    // the editor names the file by its absolute path: the breakpoint must match the relative program
    const bps = await h.dc.setBreakpointsRequest({ source: { path: SMALL }, breakpoints: [{ line: 14 }] });
    assert.deepEqual(bps.body.breakpoints.map((b) => [b.verified, b.line]), [[true, 14]]);
    const stopped = h.dc.waitForEvent('stopped');
    await h.dc.configurationDoneRequest();
    await launched;
    await stopped;
    const f = await topFrame(h.dc);
    assert.equal(f.line, 14);
    assert.equal(f.source?.path, SMALL);
  });
});

describe('mmscn dap: program paths', () => {
  it('file: URIs become paths; relative paths are relative to the working directory; other URIs are refused', () => {
    assert.equal(programPath('file:///tmp/a%20b.mmscn'), '/tmp/a b.mmscn');
    assert.equal(programPath('x/a.mmscn', '/home/k'), '/home/k/x/a.mmscn');
    assert.equal(programPath('/abs/a.mmscn', '/home/k'), '/abs/a.mmscn');
    assert.throws(() => programPath('untitled:Untitled-1'), /is not a file path/);
  });
});
