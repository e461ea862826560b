// Is compaction worth running, and is it done? Pure over zone counters.
// mm/compaction.c: __compaction_suitable, compaction_suitable, compaction_suit_allocation_order,
// __compact_finished (the free-list part); mm/page_alloc.c: find_suitable_fallback.
import { compactGap, EXTFRAG_THRESHOLD, type CompactResult } from './constants.js';
import { fragmentationIndex } from './fragindex.js';
import { CMA as MT_CMA, MOVABLE as MT_MOVABLE, RECLAIMABLE as MT_RECLAIMABLE, UNMOVABLE as MT_UNMOVABLE, PAGE_ALLOC_COSTLY_ORDER } from '../consts.js';
import { ALLOC_CMA } from '../internal.js';
import { snapshotWatermarkOk, type ZoneSnapshot } from '../zone.js';

export interface Suitability {
  /** what compact_zone returns: SUCCESS (the allocation would already succeed), SKIPPED or CONTINUE */
  result: CompactResult;
  /** what the mm_compaction_suitable tracepoint prints (NOT_SUITABLE_ZONE shows only here) */
  trace: CompactResult | null;
  /** the order-0 watermark compaction needs: wmark + compact_gap(order) [+ low - min for costly orders] */
  target: number;
  fragindex: number | null;
  why: string;
}

const sum = (z: ZoneSnapshot, order: number) => z.lists.reduce((s, l) => s + (l[order] ?? 0), 0);

/** free_area[o].nr_free for every order, from the per-migratetype lists. */
export function nrFreeByOrder(z: ZoneSnapshot): number[] {
  const n = z.lists[0]?.length ?? 0;
  return Array.from({ length: n }, (_, o) => sum(z, o));
}

/**
 * compaction_suit_allocation_order(zone, order, highest_zoneidx, alloc_flags, async, kcompactd) with
 * wmark = the zone's mark for alloc_flags (min: kcompactd and direct compaction use ALLOC_WMARK_MIN).
 * `allocCma`: the request may use CMA (MOVABLE). `async`: async compaction under a kernel with the non-CMA check
 * (policy compaction_cma_check async_costly, mainline by 6.15; 6.12's compaction_suit_allocation_order has neither
 * the `async` argument nor the check): costly non-CMA requests then also need the order-0 mark + compact_gap in
 * free pages outside CMA.
 * `highest`: highest_zoneidx (cc->highest_zoneidx, kcompactd_highest_zoneidx): both watermark checks include
 * lowmem_reserve[highest], so compaction does not call a zone done, or worth compacting, when the lowmem reserve
 * would refuse the allocation anyway.
 */
export function compactionSuitAllocationOrder(
  z: ZoneSnapshot,
  order: number,
  opts: { wmark?: number; allocCma?: boolean; async?: boolean; extfragThreshold?: number; highest?: number } = {},
): Suitability {
  const wmark = opts.wmark ?? z.min;
  const allocCma = opts.allocCma ?? true;
  const highest = opts.highest ?? 0;
  if (snapshotWatermarkOk(z, order, wmark, allocCma ? ALLOC_CMA : 0, highest)) {
    return { result: 'COMPACT_SUCCESS', trace: null, target: wmark, fragindex: null, why: `order-${order} watermark already met` };
  }
  if (order > PAGE_ALLOC_COSTLY_ORDER && opts.async && !allocCma) {
    if (!snapshotWatermarkOk(z, 0, wmark + compactGap(order), 0, highest)) {
      return { result: 'COMPACT_SKIPPED', trace: null, target: wmark + compactGap(order), fragindex: null, why: 'not enough free memory outside CMA' };
    }
  }
  return compactionSuitable(z, order, wmark, opts.extfragThreshold, highest);
}

/**
 * compaction_suitable: __compaction_suitable (order-0 watermark at wmark + compact_gap(order), plus
 * low - min for costly orders, with ALLOC_CMA) and, for costly orders, fragmentation_index: an index in
 * [0, extfrag_threshold] means the failure is for lack of memory, so reclaim, not compaction, helps.
 * Since 6.4 it returns bool and the caller reports COMPACT_SKIPPED; before, NOT_SUITABLE_ZONE was mapped to
 * SKIPPED inside it. Either way the caller sees SKIPPED and only the tracepoint says NOT_SUITABLE_ZONE.
 */
export function compactionSuitable(z: ZoneSnapshot, order: number, wmark: number, extfragThreshold = EXTFRAG_THRESHOLD, highest = 0): Suitability {
  let target = wmark + compactGap(order);
  if (order > PAGE_ALLOC_COSTLY_ORDER) target += z.low - z.min;
  if (!snapshotWatermarkOk(z, 0, target, ALLOC_CMA, highest)) {
    const reserve = z.lowmemReserve[highest] ?? 0;
    return { result: 'COMPACT_SKIPPED', trace: 'COMPACT_SKIPPED', target, fragindex: null, why: `free pages below the order-0 target ${target}${reserve ? ` + lowmem_reserve ${reserve}` : ''}` };
  }
  if (order > PAGE_ALLOC_COSTLY_ORDER) {
    const fragindex = fragmentationIndex(nrFreeByOrder(z), order);
    if (fragindex >= 0 && fragindex <= extfragThreshold) {
      return {
        result: 'COMPACT_SKIPPED',
        trace: 'COMPACT_NOT_SUITABLE_ZONE',
        target,
        fragindex,
        why: `fragmentation_index ${fragindex} <= extfrag_threshold ${extfragThreshold}: lack of memory, not fragmentation`,
      };
    }
    return { result: 'COMPACT_CONTINUE', trace: 'COMPACT_CONTINUE', target, fragindex, why: `fragmentation_index ${fragindex}` };
  }
  return { result: 'COMPACT_CONTINUE', trace: 'COMPACT_CONTINUE', target, fragindex: null, why: 'order-0 watermark met' };
}

/** fallbacks[] (page_alloc.c): the types a request may take from, in order. */
export const FALLBACKS: Record<number, readonly number[]> = {
  [MT_UNMOVABLE]: [MT_RECLAIMABLE, MT_MOVABLE],
  [MT_MOVABLE]: [MT_RECLAIMABLE, MT_UNMOVABLE],
  [MT_RECLAIMABLE]: [MT_UNMOVABLE, MT_MOVABLE],
};

/** should_try_claim_block(order, start_mt) as find_suitable_fallback(claimable=true) uses it. */
function canClaim(order: number, startMt: number, pageblockOrder: number): boolean {
  return order >= pageblockOrder || order >= Math.floor(pageblockOrder / 2) || startMt === MT_UNMOVABLE || startMt === MT_RECLAIMABLE;
}

/**
 * The free-list part of __compact_finished: COMPACT_SUCCESS when free_area[o] for some o >= order has a
 * block on the request's list, on CMA (MOVABLE requests), or on a fallback list it could claim
 * (find_suitable_fallback(..., claimable=true)). Returns the order and list that satisfied it, or null.
 */
export function suitablePageFree(
  lists: readonly (readonly number[])[],
  order: number,
  migratetype: number,
  pageblockOrder = 9,
): { order: number; migratetype: number } | null {
  const nOrders = lists[0]?.length ?? 0;
  for (let o = order; o < nOrders; o++) {
    if ((lists[migratetype]?.[o] ?? 0) > 0) return { order: o, migratetype };
    if (migratetype === MT_MOVABLE && (lists[MT_CMA]?.[o] ?? 0) > 0) return { order: o, migratetype: MT_CMA };
    if (!canClaim(o, migratetype, pageblockOrder)) continue;
    for (const fmt of FALLBACKS[migratetype] ?? []) if ((lists[fmt]?.[o] ?? 0) > 0) return { order: o, migratetype: fmt };
  }
  return null;
}
