// kcompactdWoken is "kcompactd was woken and has not run yet: it is not asleep on pgdat->kcompactd_wait". The
// kernel's two proactive paths differ (mm/compaction.c):
// - compaction_proactiveness_sysctl_handler() sets proactive_compact_trigger and wake_up_interruptible()s
//   kcompactd_wait: a wake. Until kcompactd() has run, wq_has_sleeper() is false and wakeup_kcompactd() only records
//   its request (kcompactd_max_order) without waking anyone;
// - kcompactd()'s HPAGE_FRAG_CHECK_INTERVAL_MSEC timeout (wait_event_freezable_timeout returning 0) is no wake: a
//   `kcompactd` pass with nothing requested leaves kcompactd asleep afterwards, as before.
import assert from 'node:assert/strict';
import { fragmented16, run } from './helpers.js';
import { wakeupKcompactd } from '../../../src/sim/compaction/kcompactd-wake.js';

describe('kcompactd woken by vm.compaction_proactiveness is not asleep until it runs (wq_has_sleeper)', () => {
  it('the sysctl write wakes kcompactd: a wakeup_kcompactd before it ran only records the request', () => {
    const m = fragmented16();
    run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [30] });
    assert.equal(m.c.kswapd[0].kcompactdWoken, true);
    assert.match(wakeupKcompactd(m.c, 0, 9, 2)!.text, /^kcompactd0 already woken: request now order 9/);
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /woken by vm.compaction_proactiveness/);
    assert.equal(m.c.kswapd[0].kcompactdWoken, false);
    // the recorded request runs after the proactive path, in the same wakeup (kcompactd-loop.test.ts)
    assert.match(r.reason!, /then, the order 9 request still pending .*kcompactd_do_work\(order 9/);
    assert.equal(m.c.kswapd[0].kcompactdOrder, 0);
  });
  it('a write while the trigger is still set wakes nobody again (the handler skips the node)', () => {
    const m = fragmented16();
    run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [30] });
    const r = run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [40] });
    assert.ok(!r.events.some((e) => e.type === 'note' && /kcompactd0 woken/.test(e.text)), JSON.stringify(r.events));
    assert.equal(m.c.kswapd[0].kcompactdWoken, true);
  });
  it('the timeout path is no wake: kcompactd is asleep before and after a pass with nothing requested', () => {
    const m = fragmented16();
    assert.equal(m.c.kswapd[0].kcompactdWoken, false);
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /^kcompactd0: proactive compaction/);
    assert.doesNotMatch(r.reason!, /woken by/);
    assert.equal(m.c.kswapd[0].kcompactdWoken, false);
    assert.match(wakeupKcompactd(m.c, 0, 9, 2)!.text, /^kcompactd0 (woken|not woken) for order 9/);
  });
});
