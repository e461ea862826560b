// kcompactd (mm/compaction.c): kcompactd_do_work for a request recorded by wakeup_kcompactd, and proactive
// compaction (compact_node(pgdat, true) with fragmentation_score_node / fragmentation_score_wmark) on the timeout path.
import assert from 'node:assert/strict';
import { blank, release, run } from './helpers.js';
import { MOVABLE } from '../../../src/sim/consts.js';
import { wakeupKcompactd } from '../../../src/sim/compaction/kcompactd-wake.js';
import { nodeFragmentationScore } from '../../../src/sim/compaction/kcompactd.js';
import { analyze } from '../../../src/language/index.js';
import type { Machine } from '../../../src/sim/machine.js';

/** node 0 Normal [start, 0x10000): [0x8000, 0x10000) anon with the second half of every 16-page chunk free (order 3) */
function fragmented(anon = true, start = 0): Machine {
  const m = blank(0x10000, '6.12', start);
  const c = m.c;
  for (const e of c.extentsIn(0x8000, 0x10000)) c.removeExtent(e);
  c.addExtent(c.newExtent(0x8000, 0x8000, 0, false, anon ? 'anon' : 'kernel', 0, 'test'));
  for (let p = 0x8000; p < 0x10000; p += 16) release(m, p + 8, 3, MOVABLE, true);
  return m;
}

describe('kcompactd (mm/compaction.c)', () => {
  it('with nothing requested and a fragmented node, runs proactive compaction until the zone score is <= the low mark (compact_node, proactive)', () => {
    const m = fragmented();
    // all free memory is order 3: extfrag_for_order(9) = 100, weighted 100 * 65536 / 65537 = 99 > 90
    assert.equal(nodeFragmentationScore(m.c, 0), 99);
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.equal(r.ok, true);
    assert.match(r.reason!, /proactive compaction \(fragmentation score 99 > 90\): node 0 Normal COMPACT_SUCCESS/);
    assert.ok(r.migrations.length > 0);
    assert.ok(nodeFragmentationScore(m.c, 0) <= 80, r.reason!);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('does nothing when the score is at or below the high mark (should_proactive_compact_node)', () => {
    const m = blank(0x10000, '6.12');
    release(m, 0x8000, 9, MOVABLE, true);
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /nothing requested; fragmentation score 0 <= 90/);
    assert.equal(r.migrations.length, 0);
  });

  it('kcompactd_do_work compacts for the order wakeup_kcompactd recorded, then clears the request', () => {
    // the zone starts at pfn 1 (as x86's lowest zone does): in a zone at pfn 0 the zeroed compact_cached_free_pfn
    // is inside the zone and kcompactd's first run, which starts from the cached pfns, ends at once
    // (test/unit/sim/compaction-cache.test.ts)
    const m = fragmented(true, 1);
    assert.match(wakeupKcompactd(m.c, 0, 9, 2)!.text, /kcompactd0 woken for order 9/);
    assert.equal(m.c.kswapd[0].kcompactdOrder, 9);
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /kcompactd_do_work\(order 9, highest zone Normal\): node 0 Normal COMPACT_SUCCESS/);
    assert.equal(m.c.kswapd[0].kcompactdOrder, 0);
    assert.ok(m.c.zone(0, 2).nrFree[9]! > 0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('kcompactd_do_work defers a zone where compaction completes without success (defer_compaction), and the next pass skips it', () => {
    const m = fragmented(false); // nothing movable
    wakeupKcompactd(m.c, 0, 9, 2);
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /node 0 Normal COMPACT_COMPLETE/);
    const z = m.c.zone(0, 2);
    assert.equal(z.compactDeferShift, 1);
    assert.equal(z.compactOrderFailed, 0); // zero-initialised; defer_compaction only lowers it
    wakeupKcompactd(m.c, 0, 9, 2);
    assert.match(run(m, { op: 'kcompactd', nid: 0 }).reason!, /node 0 Normal deferred/);
  });

  it('wakeup_kcompactd ignores order 0 and is not woken when no zone needs compaction (kcompactd_node_suitable)', () => {
    const m = blank(0x10000, '6.12');
    assert.equal(wakeupKcompactd(m.c, 0, 0, 2), null);
    release(m, 0x8000, 10, MOVABLE, true);
    assert.match(wakeupKcompactd(m.c, 0, 9, 2)!.text, /not woken/);
  });

  it('the language: `kcompactd [node N]`', () => {
    const a = analyze(`kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
kcompactd node 0 as k
`);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const step = a.scenario!.steps.find((s) => s.kind === 'op')!;
    assert.deepEqual((step as { op: unknown }).op, { op: 'kcompactd', nid: 0 });
  });
});
