// Writing a non-zero vm.compaction_proactiveness wakes kcompactd at once (mm/compaction.c
// compaction_proactiveness_sysctl_handler: pgdat->proactive_compact_trigger = true, wake_up_interruptible on every
// online node). kcompactd() then skips kcompactd_do_work even with a request pending (`!proactive_compact_trigger`)
// and takes the proactive path: should_proactive_compact_node, compact_node(pgdat, true), trigger cleared; the
// pending request then runs without sleeping, in the same operation (kcompactd-loop.test.ts). Before, the write only
// changed the value and the next `kcompactd` ran the pending request instead.
import assert from 'node:assert/strict';
import { fragmented16, run } from './helpers.js';
import { wakeupKcompactd } from '../../../src/sim/compaction/kcompactd-wake.js';

describe('vm.compaction_proactiveness wakes kcompactd (proactive_compact_trigger)', () => {
  it('a non-zero write sets the trigger on each online node, and says so', () => {
    const m = fragmented16();
    assert.equal(m.c.kswapd[0].proactiveTrigger, false);
    const r = run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [30] });
    assert.equal(r.ok, true);
    assert.equal(m.c.kswapd[0].proactiveTrigger, true);
    assert.ok(r.events.some((e) => e.type === 'note' && /kcompactd0 woken \(proactive_compact_trigger\)/.test(e.text)), JSON.stringify(r.events));
    assert.deepEqual(m.checkInvariants(), []);
  });
  it('writing 0 wakes nobody', () => {
    const m = fragmented16();
    run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [0] });
    assert.equal(m.c.kswapd[0].proactiveTrigger, false);
  });
  it('the next kcompactd wakeup runs proactive compaction before a pending request, clears the trigger, then serves the request', () => {
    const m = fragmented16();
    wakeupKcompactd(m.c, 0, 9, 2);
    run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [20] });
    const r = run(m, { op: 'kcompactd', nid: 0 });
    // proactive first (kcompactd_do_work skipped while the trigger is set), the request after it, without sleeping
    assert.match(r.reason!, /proactive compaction \(fragmentation score \d+ > 90\).*; then, the order 9 request still pending \(kcompactd_work_requested\), without sleeping: kcompactd_do_work\(order 9/);
    assert.equal(m.c.kswapd[0].proactiveTrigger, false);
    assert.equal(m.c.kswapd[0].kcompactdOrder, 0);
    assert.deepEqual(m.checkInvariants(), []);
  });
});
