// kswapd's note says what the kernel decided, at the order it decided it (mm/vmscan.c):
// - balance_pgdat(): once kswapd_shrink_node() reclaimed compact_gap(order) pages, sc.order = 0 and the rest of the
//   run judges pgdat_balanced() at order 0; it returns sc.order (reclaim_order);
// - kswapd(): reclaim_order < alloc_order → kswapd_try_to_sleep(alloc_order, reclaim_order); otherwise it goes back
//   to the loop's top and reads pgdat->kswapd_order again (0: no wakeup_kswapd came meanwhile);
// - kswapd_try_to_sleep() → prepare_kswapd_sleep(reclaim_order): kswapd sleeps when the node is hopeless
//   (kswapd_failures ≥ MAX_RECLAIM_RETRIES) or pgdat_balanced() at that order.
import assert from 'node:assert/strict';
import { kswapdAfter } from './helpers.js';

const kswapdAt = (fill: string, order: number): string => kswapdAfter(fill, order).text;

describe('kswapd: the balanced note is judged at the order kswapd used (prepare_kswapd_sleep)', () => {
  it('after compact_gap(order) pages reclaimed, balance_pgdat went on at order 0 and the node is balanced there', () => {
    const t = kswapdAt('fill Normal 50% anon scattered\nfill Normal 45% file scattered', 9);
    assert.match(t, /balance_pgdat\(order 9, highest zone Normal\): \d+ pages reclaimed/);
    assert.match(t, /compact_gap\(9\) = 1024 pages reclaimed, so it went on at order 0 \(kswapd_shrink_node\)/);
    assert.match(t, /node balanced at order 0 \(prepare_kswapd_sleep\): kswapd sleeps/);
  });

  it('without the drop, kswapd tries to sleep at the order it reads again (pgdat->kswapd_order: 0)', () => {
    // little file to reclaim: fewer than compact_gap(9) pages, no free order-9 block, but order 0 is above high
    const t = kswapdAt('fill Normal 85% anon scattered\nfill Normal 1% file scattered', 9);
    assert.doesNotMatch(t, /compact_gap/);
    assert.match(t, /not balanced at order 9/);
    assert.match(t, /node balanced at order 0 \(prepare_kswapd_sleep, pgdat->kswapd_order read again\): kswapd sleeps/);
  });

  it('a node below its high watermark at order 0 is not balanced, and kswapd does not sleep', () => {
    const t = kswapdAt('fill Normal 94% anon scattered\nfill Normal 1% file scattered', 9);
    assert.match(t, /node not balanced at order 0 \(prepare_kswapd_sleep, pgdat->kswapd_order read again; kswapd_failures 0\): kswapd does not sleep/);
  });
});
