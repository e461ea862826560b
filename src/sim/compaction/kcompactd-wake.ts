// wakeup_kcompactd() (mm/compaction.c): records the order and highest zone kcompactd should compact for. Kept apart
// from kcompactd.ts so the allocator and kswapd can call it without importing the slow path.
import type { Core } from '../core.js';
import { zoneSnapshot } from '../zone.js';
import { compactionSuitAllocationOrder } from './suitable.js';
import { wakeNote, type WakeNote } from '../wake-notes.js';

/**
 * wakeup_kcompactd(): order 0 does nothing; the request is remembered (max order, lowest highest_zoneidx) even when
 * kcompactd is not woken; it is woken only if kcompactd_node_suitable(). Returns a note (a wake's, when it woke
 * kcompactd), or null for order 0.
 */
export function wakeupKcompactd(c: Core, nid: number, order: number, highest: number): WakeNote | null {
  if (!order) return null;
  const k = c.kswapd[nid];
  if (k.kcompactdOrder < order) k.kcompactdOrder = order;
  if (k.kcompactdHighest > highest) k.kcompactdHighest = highest;
  // kcompactd is assumed asleep on its wait queue (wq_has_sleeper); once woken and not yet run, it is not a sleeper
  if (k.kcompactdWoken) return { type: 'note', text: `kcompactd${nid} already woken: request now order ${k.kcompactdOrder} (wakeup_kcompactd)` };
  const suitable = kcompactdNodeSuitable(c, nid);
  if (suitable) k.kcompactdWoken = true;
  return suitable
    ? wakeNote('kcompactd', nid, k.kcompactdOrder, null)
    : { type: 'note', text: `kcompactd${nid} not woken for order ${order}: no zone needs compaction (kcompactd_node_suitable); the request is kept` };
}

/** kcompactd_node_suitable(): some populated zone <= kcompactd_highest_zoneidx where compaction would run */
export function kcompactdNodeSuitable(c: Core, nid: number): boolean {
  const k = c.kswapd[nid];
  for (let zid = 0; zid <= k.kcompactdHighest; zid++) {
    const z = c.zone(nid, zid);
    if (!z.populated) continue;
    // compaction_suit_allocation_order(zone, max_order, highest, ALLOC_WMARK_MIN): no ALLOC_CMA
    const s = compactionSuitAllocationOrder(zoneSnapshot(z, c.pol.highatomic_watermark), k.kcompactdOrder, { wmark: z.wmMin, allocCma: false, extfragThreshold: c.sysctl.extfrag_threshold, highest: k.kcompactdHighest });
    if (s.result === 'COMPACT_CONTINUE') return true;
  }
  return false;
}
