// Every request gets an answer: requests with missing or garbage arguments are refused with a clear message
// (no TypeError, no stack trace), and none is left unanswered (a restart without arguments used to be).
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CHECKED_REQUESTS } from '../../src/extension/debug/requestArgs.js';
import { INIT, fixture, launch, startAdapter, type Harness } from './support.js';

const SMALL = fixture('small.mmscn');

/**
 * Sends a request exactly as given (DebugClient.send drops arguments that are not a non-empty object) and
 * resolves with the response, or null when none came within `ms`.
 */
function raw(dc: DebugClient, command: string, args: unknown, ms = 3000): Promise<DebugProtocol.Response | null> {
  const c = dc as unknown as { sequence: number; pendingRequests: Map<number, (r: DebugProtocol.Response) => void>; outputStream: NodeJS.WritableStream };
  const seq = c.sequence++;
  const request: Record<string, unknown> = { type: 'request', seq, command };
  if (args !== undefined) request.arguments = args;
  return new Promise((resolve) => {
    const timer = setTimeout(() => { c.pendingRequests.delete(seq); resolve(null); }, ms);
    c.pendingRequests.set(seq, (r) => { clearTimeout(timer); resolve(r); });
    const json = JSON.stringify(request);
    c.outputStream.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
  });
}

const STACK = /\n\s+at |TypeError|Cannot read propert|is not a function|undefined \(reading/;

function assertClean(r: DebugProtocol.Response | null, what: string): DebugProtocol.Response {
  assert.ok(r, `${what}: no response`);
  if (!r.success) {
    assert.ok(r.message && r.message.length > 0, `${what}: an error without a message`);
    assert.doesNotMatch(r.message, STACK, `${what}: ${r.message}`);
    assert.doesNotMatch(JSON.stringify(r.body ?? {}), STACK, `${what}: the error body carries a stack`);
  }
  return r;
}

describe('mmscn debug adapter: bad requests', function () {
  this.timeout(120_000);
  let h: Harness;
  beforeEach(async () => { h = await startAdapter(); });
  afterEach(async () => { await h.close(); });

  it('restart without arguments is answered (and restarts the last launch)', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    const stopped = h.dc.waitForEvent('stopped');
    const r = assertClean(await raw(h.dc, 'restart', undefined), 'restart');
    assert.equal(r.success, true);
    await stopped;
  });

  it('restart with garbage arguments is refused with a message', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    for (const args of [42, 'x', { arguments: 7 }, { arguments: { program: 3 } }, { arguments: { program: SMALL, stopOnEntry: 'yes' } }]) {
      const r = assertClean(await raw(h.dc, 'restart', args), `restart ${JSON.stringify(args)}`);
      assert.equal(r.success, false);
      assert.match(r.message!, /restart/);
    }
  });

  it('evaluate with a non-string expression is refused with a clear message', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    for (const expression of [42, null, { a: 1 }, ['Normal.free']]) {
      const r = assertClean(await raw(h.dc, 'evaluate', { expression, context: 'watch' }), `evaluate ${JSON.stringify(expression)}`);
      assert.equal(r.success, false);
      assert.match(r.message!, /'expression' (must be a string|is missing)/);
    }
    // still alive and well
    assert.equal((await h.dc.evaluateRequest({ expression: 'Normal.free', context: 'watch' })).body.result, '16384');
  });

  it('a breakpoint with a non-string condition is refused with a clear message', async () => {
    await launch(h.dc, { program: SMALL, stopOnEntry: true });
    const r = assertClean(await raw(h.dc, 'setBreakpoints', { source: { path: SMALL }, breakpoints: [{ line: 12, condition: 42 }] }), 'setBreakpoints');
    assert.equal(r.success, false);
    assert.match(r.message!, /'breakpoints\[0\]\.condition' must be a string \(got a number\)/);
    const ok = await h.dc.setBreakpointsRequest({ source: { path: SMALL }, breakpoints: [{ line: 12, condition: 'Normal.free > 0' }] });
    assert.equal(ok.body.breakpoints[0]!.verified, true);
  });

  it('every request, with missing or garbage arguments, gets an answer without a stack trace', async () => {
    const init = await h.dc.initializeRequest(INIT);
    const caps = init.body!;
    // the requests the adapter advertises (base protocol + its capabilities + its custom requests)
    const advertised = [
      'launch', 'disconnect', 'setBreakpoints', 'setExceptionBreakpoints', 'continue', 'next', 'stepIn', 'stepOut', 'pause',
      'stackTrace', 'scopes', 'variables', 'threads', 'evaluate',
      ...(caps.supportsConfigurationDoneRequest ? ['configurationDone'] : []),
      ...(caps.supportsStepBack ? ['stepBack', 'reverseContinue'] : []),
      ...(caps.supportsRestartRequest ? ['restart'] : []),
      ...(caps.supportsGotoTargetsRequest ? ['gotoTargets', 'goto'] : []),
      ...(caps.supportsExceptionInfoRequest ? ['exceptionInfo'] : []),
      ...(caps.supportsBreakpointLocationsRequest ? ['breakpointLocations'] : []),
      ...(caps.supportsTerminateRequest ? ['terminate'] : []),
      'runToLine', 'gotoStep', 'mmscnState', 'initialize',
    ];
    for (const c of advertised) assert.ok(CHECKED_REQUESTS.includes(c), `${c} has no argument check`);
    const junk: unknown[] = [undefined, null, 42, 'x', true, [], [1, 2], {}];
    const fieldJunk: unknown[] = [null, -1, 1.5, 'x', true, [], {}, { path: 5 }, [{ line: 'x' }], [{}], [null]];
    const fields = ['program', 'expression', 'condition', 'source', 'breakpoints', 'lines', 'line', 'endLine', 'targetId', 'step', 'variablesReference',
      'frameId', 'threadId', 'filters', 'filterOptions', 'arguments', 'stopOnEntry', 'runToLine', 'variant', 'start', 'count', 'context', 'adapterID', 'pathFormat'];
    const failures: string[] = [];
    const sendAll = async (phase: string) => {
      for (const command of advertised) {
        const argsList: unknown[] = [...junk];
        for (const f of fields) for (const v of fieldJunk) argsList.push({ [f]: v });
        for (const args of argsList) {
          const what = `${phase}: ${command} ${JSON.stringify(args)}`;
          const r = await raw(h.dc, command, args);
          try {
            assertClean(r, what);
          } catch (e) {
            failures.push((e as Error).message.split('\n')[0]!);
          }
        }
      }
    };
    await sendAll('before launch');
    await launch(h.dc, { program: SMALL, stopOnEntry: true }).catch(() => undefined);
    await sendAll('while stopped');
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} request(s) not answered cleanly`);
    // the adapter is still alive
    const t = await raw(h.dc, 'threads', undefined);
    assert.equal(t?.success, true);
  });
});
