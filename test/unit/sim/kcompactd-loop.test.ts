// kcompactd()'s loop (mm/compaction.c, 6.12) in one wakeup: woken with proactive_compact_trigger set,
// wait_event_freezable_timeout() returns and `!pgdat->proactive_compact_trigger` is false, so kcompactd skips
// kcompactd_do_work and takes the proactive path (should_proactive_compact_node, compact_node(pgdat, true)), then
// clears the trigger. Back at the loop's top, wait_event_freezable_timeout() checks kcompactd_work_requested()
// before it sleeps: a request still pending (kcompactd_max_order > 0) makes it return at once, and kcompactd runs
// kcompactd_do_work without sleeping. One `kcompactd` operation does both, and its result says both passes.
import assert from 'node:assert/strict';
import { blank, fragmented16, release, run } from './helpers.js';
import { MOVABLE } from '../../../src/sim/consts.js';
import { wakeupKcompactd } from '../../../src/sim/compaction/kcompactd-wake.js';

describe('kcompactd: one operation runs kcompactd()\'s loop until it would sleep', () => {
  it('trigger and a pending request: the proactive pass, then kcompactd_do_work without sleeping, in one operation', () => {
    const m = fragmented16();
    wakeupKcompactd(m.c, 0, 9, 2);
    run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [20] });
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.equal(r.ok, true);
    assert.match(r.reason!, /^kcompactd0: woken by vm.compaction_proactiveness \(proactive_compact_trigger\): proactive compaction \(fragmentation score \d+ > 90\): .*; then, the order 9 request still pending \(kcompactd_work_requested\), without sleeping: kcompactd_do_work\(order 9, highest zone Normal\): node 0 Normal /);
    assert.equal(m.c.kswapd[0].proactiveTrigger, false);
    assert.equal(m.c.kswapd[0].kcompactdOrder, 0);
    assert.equal(m.c.vm.compact_daemon_wake, 1);
    // the next operation has nothing left to do but the timeout's proactive check
    const r2 = run(m, { op: 'kcompactd', nid: 0 });
    assert.doesNotMatch(r2.reason!, /kcompactd_do_work/);
    assert.equal(m.c.vm.compact_daemon_wake, 1);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('trigger and a pending request on a node with a low score: no proactive compaction, then kcompactd_do_work', () => {
    const m = blank(0x10000, '6.12', 1);
    release(m, 0x8000, 9, MOVABLE, true);
    wakeupKcompactd(m.c, 0, 9, 2);
    run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [20] });
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /^kcompactd0: woken by vm.compaction_proactiveness \(proactive_compact_trigger\); fragmentation score \d+ <= 90 \(proactiveness 20\): no proactive compaction; then, the order 9 request still pending \(kcompactd_work_requested\), without sleeping: kcompactd_do_work\(order 9/);
    assert.equal(m.c.kswapd[0].kcompactdOrder, 0);
    assert.equal(m.c.vm.compact_daemon_wake, 1);
  });

  it('the compactions of both passes are in the result', () => {
    const m = fragmented16();
    wakeupKcompactd(m.c, 0, 9, 2);
    run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [20] });
    const r = run(m, { op: 'kcompactd', nid: 0 });
    const proactive = /proactive compaction .*: node 0 Normal (COMPACT_\w+)/.exec(r.reason!)?.[1];
    const work = /kcompactd_do_work\(order 9, highest zone Normal\): node 0 Normal (COMPACT_\w+|deferred|not suitable)/.exec(r.reason!)?.[1];
    assert.ok(proactive && work, r.reason!);
    const runs = (proactive.startsWith('COMPACT_') ? 1 : 0) + (work.startsWith('COMPACT_') ? 1 : 0);
    assert.equal(r.compaction?.length ?? 0, runs, JSON.stringify(r.compaction));
  });

  it('no trigger, no request: the timeout\'s proactive pass only, as before', () => {
    const m = fragmented16();
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /^kcompactd0: proactive compaction/);
    assert.doesNotMatch(r.reason!, /kcompactd_do_work|then,/);
    assert.equal(m.c.vm.compact_daemon_wake, 0);
  });
});
