// __rmqueue and the fallback paths (mm/page_alloc.c): claim/steal (6.15+) and the legacy __rmqueue_fallback
// (with and without the 6.10 freelist-hygiene semantics), CMA use for movable allocations.
import { CMA, FALLBACKS, HIGHATOMIC, MOVABLE, RECLAIMABLE, UNMOVABLE } from './consts.js';
import type { Core } from './core.js';
import type { Zone } from './zone.js';
import { delAndExpand, expandQuiet, rmqueueSmallest } from './buddy.js';
import { moveFreepagesBlock, prepMoveFreepagesBlock } from './pageblock.js';
import { ALLOC_CMA, ALLOC_NOFRAGMENT } from './internal.js';
import { MIGRATETYPE_NAMES, hex } from '../shared/format.js';

/** enum rmqueue_mode (6.15+): rmqueue_bulk remembers where it last found pages */
export const RMQUEUE_NORMAL = 0;
export const RMQUEUE_CMA = 1;
export const RMQUEUE_CLAIM = 2;
export const RMQUEUE_STEAL = 3;

/** should_try_claim_block() / can_steal_fallback() (mobility grouping is never disabled here) */
function shouldTryClaimBlock(c: Core, order: number, startMt: number): boolean {
  if (order >= c.pbo) return true;
  return order >= c.pbo >> 1 || startMt === RECLAIMABLE || startMt === UNMOVABLE;
}

/** find_suitable_fallback(): first fallback type with a non-empty list at `order`; -1 none; -2 too low to claim */
function findSuitableFallback(c: Core, z: Zone, order: number, mt: number, claimable: boolean): number {
  if (claimable && !shouldTryClaimBlock(c, order, mt)) return -2;
  if (z.nrFree[order] === 0) return -1;
  for (const f of FALLBACKS[mt]) if (!c.listEmpty(z, order, f)) return f;
  return -1;
}

function extfrag(c: Core, pfn: number, order: number, cur: number, start: number, fmt: number, claimed: boolean): void {
  c.note(`fallback (mm_page_alloc_extfrag): ${MIGRATETYPE_NAMES[start]} order-${order} from ${MIGRATETYPE_NAMES[fmt]} order-${cur} block ${hex(pfn)}${claimed ? ', pageblock claimed' : ''}`);
}

/** the half-pageblock rule shared by try_to_claim_block and steal_suitable_fallback */
function alikePages(c: Core, startMt: number, blockMt: number, free: number, movable: number): number {
  if (startMt === MOVABLE) return movable;
  if (blockMt === MOVABLE) return c.pbPages - (free + movable);
  return 0;
}

/**
 * try_to_claim_block() (6.15+): a block >= pageblock_order is taken whole and its pageblocks retyped; otherwise
 * the pageblock is claimed when free + alike >= pageblock_nr_pages/2, then __rmqueue_smallest(start) runs.
 */
function tryToClaimBlock(c: Core, z: Zone, pfn: number, cur: number, order: number, start: number, blockMt: number): number {
  const b = c.free.get(pfn)!;
  if (cur >= c.pbo) {
    c.delFree(b);
    c.account(z, -(1 << cur), b.mt);
    c.setMtRange(pfn, cur, start, 'claimed by ' + MIGRATETYPE_NAMES[start] + ' fallback (try_to_claim_block)');
    const added = expandQuiet(c, z, pfn, order, cur, start);
    c.account(z, added, start);
    extfrag(c, pfn, order, cur, start, blockMt, true);
    return pfn;
  }
  // boost_watermark(): not modelled (kswapd is assumed to have reset the boost before the next operation)
  const prep = prepMoveFreepagesBlock(c, z, pfn);
  if (!prep) return -1;
  const alike = alikePages(c, start, blockMt, prep.free, prep.movable);
  if (prep.free + alike >= c.pbPages >> 1) {
    moveFreepagesBlock(c, prep.start, start);
    c.setMt(prep.start, start, `claimed by ${MIGRATETYPE_NAMES[start]} fallback: free ${prep.free} + alike ${alike} >= ${c.pbPages >> 1} (try_to_claim_block)`);
    const p = rmqueueSmallest(c, z, order, start);
    extfrag(c, p, order, cur, start, blockMt, true);
    return p;
  }
  return -1;
}

/** __rmqueue_claim(): largest order first, down to pageblock_order under ALLOC_NOFRAGMENT */
export function rmqueueClaim(c: Core, z: Zone, order: number, start: number, flags: number): number {
  const min = order < c.pbo && flags & ALLOC_NOFRAGMENT ? c.pbo : order;
  for (let cur = c.maxOrder; cur >= min; cur--) {
    const fmt = findSuitableFallback(c, z, cur, start, true);
    if (fmt === -1) continue;
    if (fmt === -2) break;
    const head = c.listHead(z, cur, fmt)!;
    const p = tryToClaimBlock(c, z, head.pfn, cur, order, start, fmt);
    if (p >= 0) return p;
  }
  return -1;
}

/** __rmqueue_steal(): smallest order first; one block; remainders stay on the fallback type's lists */
export function rmqueueSteal(c: Core, z: Zone, order: number, start: number): number {
  for (let cur = order; cur <= c.maxOrder; cur++) {
    const fmt = findSuitableFallback(c, z, cur, start, false);
    if (fmt === -1) continue;
    const head = c.listHead(z, cur, fmt)!;
    const p = delAndExpand(c, head, order, fmt);
    extfrag(c, p, order, cur, start, fmt, false);
    return p;
  }
  return -1;
}

/**
 * Legacy __rmqueue_fallback() (before 6.15): largest order first, switching to the smallest order for MOVABLE
 * requests that cannot steal the whole block; then steal_suitable_fallback().
 */
function rmqueueFallbackLegacy(c: Core, z: Zone, order: number, start: number, flags: number): number {
  const min = order < c.pbo && flags & ALLOC_NOFRAGMENT ? c.pbo : order;
  let cur = -1;
  let fmt = -1;
  let canSteal = false;
  for (let o = c.maxOrder; o >= min; o--) {
    const f = findSuitableFallback(c, z, o, start, false);
    if (f < 0) continue;
    canSteal = shouldTryClaimBlock(c, o, start);
    if (!canSteal && start === MOVABLE && o > order) {
      // find_smallest
      for (let s = order; s <= c.maxOrder; s++) {
        const f2 = findSuitableFallback(c, z, s, start, false);
        if (f2 >= 0) { cur = s; fmt = f2; canSteal = shouldTryClaimBlock(c, s, start); break; }
      }
    } else {
      cur = o;
      fmt = f;
    }
    break;
  }
  if (cur < 0) return -1;
  const head = c.listHead(z, cur, fmt)!;
  return c.pol.freelist_hygiene === 'on'
    ? stealSuitableFallback610(c, z, head.pfn, cur, order, start, canSteal)
    : stealSuitableFallbackOld(c, z, head.pfn, cur, order, start, canSteal);
}

/** steal_suitable_fallback() 6.10–6.14: returns the allocated page */
function stealSuitableFallback610(c: Core, z: Zone, pfn: number, cur: number, order: number, start: number, wholeBlock: boolean): number {
  const b = c.free.get(pfn)!;
  const blockMt = c.getMt(pfn);
  if (blockMt !== HIGHATOMIC) {
    if (cur >= c.pbo) {
      c.delFree(b);
      c.account(z, -(1 << cur), b.mt);
      c.setMtRange(pfn, cur, start, 'claimed by ' + MIGRATETYPE_NAMES[start] + ' fallback (steal_suitable_fallback)');
      const added = expandQuiet(c, z, pfn, order, cur, start);
      c.account(z, added, start);
      extfrag(c, pfn, order, cur, start, blockMt, true);
      return pfn;
    }
    if (wholeBlock) {
      const prep = prepMoveFreepagesBlock(c, z, pfn);
      if (prep) {
        const alike = alikePages(c, start, blockMt, prep.free, prep.movable);
        if (prep.free + alike >= c.pbPages >> 1) {
          moveFreepagesBlock(c, prep.start, start);
          c.setMt(prep.start, start, `claimed by ${MIGRATETYPE_NAMES[start]} fallback: free ${prep.free} + alike ${alike} >= ${c.pbPages >> 1} (steal_suitable_fallback)`);
          const p = rmqueueSmallest(c, z, order, start);
          extfrag(c, p, order, cur, start, blockMt, true);
          return p;
        }
      }
    }
  }
  const p = delAndExpand(c, b, order, b.mt);
  extfrag(c, p, order, cur, start, blockMt, false);
  return p;
}

/**
 * steal_suitable_fallback() before 6.10: the whole pageblock's free pages move to the requester's list even when
 * the block is not claimed; then __rmqueue retries __rmqueue_smallest(start) (remainders land on `start` lists).
 */
function stealSuitableFallbackOld(c: Core, z: Zone, pfn: number, cur: number, order: number, start: number, wholeBlock: boolean): number {
  const blockMt = c.getMt(pfn);
  let claimed = false;
  if (blockMt !== HIGHATOMIC) {
    if (cur >= c.pbo) {
      c.setMtRange(pfn, cur, start, 'claimed by ' + MIGRATETYPE_NAMES[start] + ' fallback (steal_suitable_fallback)');
      claimed = true;
    } else if (wholeBlock) {
      const prep = prepMoveFreepagesBlock(c, z, pfn);
      if (prep && prep.free) {
        moveFreepagesBlock(c, prep.start, start);
        const alike = alikePages(c, start, blockMt, prep.free, prep.movable);
        if (prep.free + alike >= c.pbPages >> 1) {
          c.setMt(prep.start, start, `claimed by ${MIGRATETYPE_NAMES[start]} fallback: free ${prep.free} + alike ${alike} >= ${c.pbPages >> 1} (steal_suitable_fallback)`);
          claimed = true;
        }
        const p = rmqueueSmallest(c, z, order, start);
        extfrag(c, p, order, cur, start, blockMt, claimed);
        return p;
      }
    }
  }
  if (c.free.has(pfn)) c.moveFree(c.free.get(pfn)!, start);
  const p = rmqueueSmallest(c, z, order, start);
  extfrag(c, p, order, cur, start, blockMt, claimed);
  return p;
}

/**
 * __rmqueue(): CMA first when more than half the zone's free pages are CMA (ALLOC_CMA), then the requested list,
 * CMA, claim, steal (6.15+) or the legacy fallback. `mode` is rmqueue_bulk's remembered mode (6.15+).
 */
export function rmqueue(c: Core, z: Zone, order: number, mt: number, flags: number, mode: { m: number }): number {
  if (flags & ALLOC_CMA && z.freeCma > Math.floor(z.free / 2)) {
    const p = rmqueueSmallest(c, z, order, CMA);
    if (p >= 0) return p;
  }
  if (c.pol.fallback === 'legacy') {
    let p = rmqueueSmallest(c, z, order, mt);
    if (p < 0 && flags & ALLOC_CMA) p = rmqueueSmallest(c, z, order, CMA);
    if (p < 0) p = rmqueueFallbackLegacy(c, z, order, mt, flags);
    return p;
  }
  let p: number;
  const m = mode.m;
  if (m <= RMQUEUE_NORMAL) {
    p = rmqueueSmallest(c, z, order, mt);
    if (p >= 0) return p;
  }
  if (m <= RMQUEUE_CMA && flags & ALLOC_CMA) {
    p = rmqueueSmallest(c, z, order, CMA);
    if (p >= 0) { mode.m = RMQUEUE_CMA; return p; }
  }
  if (m <= RMQUEUE_CLAIM) {
    p = rmqueueClaim(c, z, order, mt, flags);
    if (p >= 0) { mode.m = RMQUEUE_NORMAL; return p; }
  }
  if (!(flags & ALLOC_NOFRAGMENT)) {
    p = rmqueueSteal(c, z, order, mt);
    if (p >= 0) { mode.m = RMQUEUE_STEAL; return p; }
  }
  return -1;
}
