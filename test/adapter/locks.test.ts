// The debugger's Locks scope (issue 9): inside an interleave, the sleeping locks each CPU holds and the CPUs
// waiting for one (src/sim/locks.ts); not shown between steps (nothing is held there).
import assert from 'node:assert/strict';
import { fixture, launch, scopeVars, startAdapter, stopAfter, topFrame, type Harness } from './support.js';

const LOCKS = fixture('locks.mmscn');

describe('mmscn debug adapter: Locks scope', function () {
  this.timeout(20_000);
  let h: Harness;
  beforeEach(async () => { h = await startAdapter(); });
  afterEach(async () => { await h.close(); });

  it('shows cma_mutex held by cpu 0 and cpu 1 blocked on it while cpu 0 runs on', async () => {
    await launch(h.dc, { program: LOCKS, runToLine: 11 });
    assert.equal((await topFrame(h.dc)).line, 11);
    const before = await h.dc.scopesRequest({ frameId: 1 });
    assert.ok(!before.body.scopes.some((s) => s.name === 'Locks'), 'no Locks scope between steps');

    await stopAfter(h.dc, () => h.dc.stepInRequest({ threadId: 1 }));
    let locks = await scopeVars(h.dc, 'Locks');
    assert.equal(locks.get('cpu 0 (cma_alloc)')?.value, "holds cma_mutex; after 'isolate'");
    assert.equal(locks.get('cpu 1 (cma_alloc)')?.value, 'holds no sleeping lock; next phase waits for cma_mutex (held by cpu 0); not started');

    // the schedule wants cpu 1 now: it blocks, cpu 0 runs on
    await stopAfter(h.dc, () => h.dc.stepInRequest({ threadId: 1 }));
    assert.equal((await h.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.name, 'cma_alloc › drain [cpu 0]');
    locks = await scopeVars(h.dc, 'Locks');
    assert.equal(locks.get('cpu 0 (cma_alloc)')?.value, "holds cma_mutex; after 'drain'");
    assert.equal(locks.get('cpu 1 (cma_alloc)')?.value, 'holds no sleeping lock; blocked: waits for cma_mutex (held by cpu 0); not started');
  });
});
