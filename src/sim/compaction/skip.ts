// Compaction's memory across runs (mm/compaction.c): the pageblock skip hints (PB_migrate_skip) and the zone's
// cached scanner positions. Pure over the CompactionHost: compaction_restarting, reset_cached_positions,
// __reset_isolation_pfn, __reset_isolation_suitable.
import type { CompactCache, CompactionHost, PageDesc } from './host.js';
import { MOVABLE as MT_MOVABLE, PAGE_ALLOC_COSTLY_ORDER } from '../consts.js';
import { pow2 } from '../pfn.js';

/** COMPACT_MAX_DEFER_SHIFT (mm/compaction.c) */
export const COMPACT_MAX_DEFER_SHIFT = 6;

/** compaction_restarting(): the zone was deferred the maximum number of times and is now tried again */
export function compactionRestarting(z: CompactCache, order: number): boolean {
  if (order < z.compactOrderFailed) return false;
  return z.compactDeferShift === COMPACT_MAX_DEFER_SHIFT && z.compactConsidered >= pow2(z.compactDeferShift);
}

/** reset_cached_positions(): both migrate pfns to the zone start, the free pfn to the last pageblock */
export function resetCachedPositions(h: CompactionHost): void {
  const pb = pow2(h.pageblockOrder);
  h.cache.compactCachedMigrateAsync = h.zoneStart;
  h.cache.compactCachedMigrateSync = h.zoneStart;
  h.cache.compactCachedFreePfn = h.zoneEnd - 1 - ((h.zoneEnd - 1) % pb);
}

const LRU_KINDS = new Set(['file', 'anon', 'thp']);
/** PageLRU of the page at pfn (PF_HEAD: a tail page answers for its folio) */
function pageLru(d: PageDesc): boolean {
  return d.t === 'folio' && !d.hugetlb && d.kind !== null && LRU_KINDS.has(d.kind);
}

/**
 * __reset_isolation_pfn(zone, pfn, check_source, check_target): clear pfn's pageblock skip hint when a sample of
 * its pages (every 2^PAGE_ALLOC_COSTLY_ORDER-th from the block start) holds an LRU page (source) or a buddy head
 * (target). True when the block may serve as the scanner's restart point.
 */
export function resetIsolationPfn(h: CompactionHost, pfn: number, checkSource: boolean, checkTarget: boolean): boolean {
  const pb = pow2(h.pageblockOrder);
  const d0 = h.page(pfn);
  if (d0.t === 'hole' || d0.t === 'other') return false; // pfn_to_online_page, page_zone
  // pageblock_skip_persistent(): part of a compound page of order >= pageblock_order
  if (d0.t === 'folio' && d0.order >= h.pageblockOrder) return false;
  if (checkSource && checkTarget && !h.getSkip(pfn)) return true;
  if (!checkSource && checkTarget && h.pageblockMt(pfn) !== MT_MOVABLE) return false;
  let start = Math.max(pfn - (pfn % pb), h.zoneStart);
  if (h.page(start).t === 'hole') start = pfn; // the block start is not online: sample from pfn
  const last = Math.min(pfn - (pfn % pb) + pb - 1, h.zoneEnd - 1);
  if (h.page(last).t === 'hole') return false;
  const step = pow2(PAGE_ALLOC_COSTLY_ORDER);
  for (let p = start; p <= last; ) {
    const d = h.page(p);
    if (checkSource && pageLru(d)) { h.setSkip(p, false); return true; }
    if (checkTarget && d.t === 'buddy') { h.setSkip(p, false); return true; }
    // the samples inside a run look alike: go to the first sample at or after its end
    const end = d.t === 'free' || d.t === 'folio' ? d.end : d.t === 'buddy' ? p + pow2(d.order) : p + 1;
    p += step;
    if (end > p) p += Math.ceil((end - p) / step) * step;
  }
  return false;
}

/**
 * __reset_isolation_suitable(zone): only after a full compaction ended (compact_blockskip_flush), walk the zone
 * from both ends clearing skip hints of blocks that may serve again, and restart the cached scanners at the first
 * such source and the last such target (compact_init_migrate_pfn / compact_init_free_pfn). Returns whether it ran.
 */
export function resetIsolationSuitable(h: CompactionHost): boolean {
  const z = h.cache, pb = pow2(h.pageblockOrder);
  let migratePfn = h.zoneStart, freePfn = h.zoneEnd - 1;
  let resetMigrate = freePfn, resetFree = migratePfn;
  let sourceSet = false, freeSet = false;
  if (!z.compactBlockskipFlush) return false;
  z.compactBlockskipFlush = false;
  for (; migratePfn < freePfn; migratePfn += pb, freePfn -= pb) {
    if (resetIsolationPfn(h, migratePfn, true, sourceSet) && migratePfn < resetMigrate) {
      sourceSet = true;
      resetMigrate = migratePfn;
      z.compactInitMigratePfn = z.compactCachedMigrateAsync = z.compactCachedMigrateSync = resetMigrate;
    }
    if (resetIsolationPfn(h, freePfn, freeSet, true) && freePfn > resetFree) {
      freeSet = true;
      resetFree = freePfn;
      z.compactInitFreePfn = z.compactCachedFreePfn = resetFree;
    }
  }
  // leave no distance if no suitable block was reset
  if (resetMigrate >= resetFree) {
    z.compactCachedMigrateAsync = z.compactCachedMigrateSync = migratePfn;
    z.compactCachedFreePfn = freePfn;
  }
  return true;
}
