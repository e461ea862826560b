// The free-list searches compaction runs before its linear scanners (mm/compaction.c): fast_find_migrateblock (a
// migration source with free pages already in it) and fast_isolate_freepages / fast_isolate_around (a migration
// target near the free scanner). The simulator keeps the free lists in the kernel's order (list_add at the head,
// list_add_tail at the tail, move_freelist_head/tail splice), so the searches walk the same entries.
// Pure over the CompactionHost and the part of compact_control they use (FastControl; CompactControl is one).
import type { CompactionHost } from './host.js';
import type { CompactionFreepages } from './freepages.js';
import { COMPACT_CLUSTER_MAX, MOVABLE as MT_MOVABLE, PAGE_ALLOC_COSTLY_ORDER } from '../consts.js';
import { pow2 } from '../pfn.js';

/** ULONG_MAX in cc->fast_start_pfn: the fast start was used up by reinit_migrate_pfn */
export const FAST_START_USED = Number.MAX_SAFE_INTEGER;

/** the fields of struct compact_control the fast searches read and write */
export interface FastControl {
  readonly h: CompactionHost;
  readonly order: number;
  readonly pb: number;
  readonly mt: number;
  readonly direct: boolean;
  readonly async: boolean;
  readonly ignoreSkipHint: boolean;
  readonly pool: CompactionFreepages;
  finishPageblock: boolean;
  migratePfn: number;
  freePfn: number;
  nrMigratepages: number;
  searchOrder: number;
  fastSearchFail: number;
  fastStartPfn: number;
  /** what the searches found, for the result */
  readonly fastMigrate: number[];
  readonly fastFree: { pfn: number; order: number }[];
  /** cc->total_migrate_scanned, cc->total_free_scanned; pages counted in COMPACTISOLATED */
  totalMigrateScanned: number;
  totalFreeScanned: number;
  totalIsolated: number;
  markSkip(pfn: number): void;
  suitableMigrationTarget(blockStart: number): boolean;
  /** isolate_freepages_block(cc, &start, end, freelist, stride 1, strict false): the pfn it stopped at */
  isolateFreepagesBlock(start: number, end: number): number;
}

const pbStart = (cc: FastControl, pfn: number) => pfn - (pfn % cc.pb);

/** freelist_scan_limit(): (COMPACT_CLUSTER_MAX >> fast_search_fail) + 1 */
export function freelistScanLimit(cc: FastControl): number {
  return Math.floor(COMPACT_CLUSTER_MAX / pow2(Math.min(63, cc.fastSearchFail))) + 1;
}

/** update_fast_start_pfn() */
function updateFastStartPfn(cc: FastControl, pfn: number): void {
  if (cc.fastStartPfn === FAST_START_USED) return;
  if (!cc.fastStartPfn) cc.fastStartPfn = pfn;
  cc.fastStartPfn = Math.min(cc.fastStartPfn, pfn);
}

/** reinit_migrate_pfn(): after a failed fast search, restart the linear scan at the lowest block found before */
function reinitMigratePfn(cc: FastControl): number {
  if (!cc.fastStartPfn || cc.fastStartPfn === FAST_START_USED) return cc.migratePfn;
  cc.migratePfn = cc.fastStartPfn;
  cc.fastStartPfn = FAST_START_USED;
  return cc.migratePfn;
}

/**
 * fast_find_migrateblock(): for orders above PAGE_ALLOC_COSTLY_ORDER, walk the MOVABLE free lists of order-1 down
 * to PAGE_ALLOC_COSTLY_ORDER (head first, at most freelist_scan_limit entries) for a free block in the first half
 * (first eighth once the scanner moved) of the search space whose pageblock is not marked skip: the migrate
 * scanner starts there. Not for ignore_skip_hint, finish_pageblock, a restart within a block, or a direct
 * compaction of a non-movable request.
 */
export function fastFindMigrateblock(cc: FastControl): number {
  const h = cc.h;
  const limit = freelistScanLimit(cc);
  let nrScanned = 0;
  let pfn = cc.migratePfn;
  if (cc.ignoreSkipHint) return pfn;
  if (cc.finishPageblock) return pfn;
  if (pfn !== h.zoneStart && pfn !== pbStart(cc, pfn)) return pfn;
  if (cc.order <= PAGE_ALLOC_COSTLY_ORDER) return pfn;
  if (cc.direct && cc.mt !== MT_MOVABLE) return pfn;
  let distance = Math.floor((cc.freePfn - cc.migratePfn) / 2);
  if (cc.migratePfn !== h.zoneStart) distance = Math.floor(distance / 4);
  const highPfn = pbStart(cc, cc.migratePfn + distance);
  let found = false;
  for (let order = cc.order - 1; order >= PAGE_ALLOC_COSTLY_ORDER && !found && nrScanned < limit; order--) {
    if (!h.nrFree(order)) continue;
    for (let f = h.listFirst(order, MT_MOVABLE); f >= 0; f = h.listNext(f)) {
      if (nrScanned++ >= limit) { h.moveFreelistTail(f); break; }
      if (f < highPfn) {
        // avoid if skipped recently
        if (h.getSkip(f)) continue;
        // reorder so that a future search skips recent pages
        h.moveFreelistTail(f);
        updateFastStartPfn(cc, f);
        pfn = Math.max(pbStart(cc, f), h.zoneStart);
        cc.fastSearchFail = 0;
        found = true;
        cc.fastMigrate.push(pfn);
        break;
      }
    }
  }
  cc.totalMigrateScanned += nrScanned; // the free-list entries looked at (the one over the limit too)
  if (!found) {
    cc.fastSearchFail++;
    pfn = reinitMigratePfn(cc);
  }
  return pfn;
}

/** next_search_order(): orders in round-robin below cc->order; -1 once the search wrapped around */
function nextSearchOrder(cc: FastControl, order: number): number {
  order--;
  if (order < 0) order = cc.order - 1;
  if (order === cc.searchOrder) {
    cc.searchOrder--;
    if (cc.searchOrder < 0) cc.searchOrder = cc.order - 1;
    return -1;
  }
  return order;
}

/** fast_isolate_around(): isolate the rest of the target's pageblock (not in async direct compaction) */
function fastIsolateAround(cc: FastControl, pfn: number): void {
  const h = cc.h;
  if (cc.pool.nrFreepages >= cc.nrMigratepages) return;
  if (cc.direct && cc.async) return;
  let start = Math.max(pbStart(cc, pfn), h.zoneStart);
  const end = Math.min(pbStart(cc, pfn) + cc.pb, h.zoneEnd);
  if (!h.blockValid(start, end)) return;
  start = cc.isolateFreepagesBlock(start, end);
  // skip this pageblock in the future as it is full or nearly full
  if (start === end) cc.markSkip(pfn);
}

/**
 * fast_isolate_freepages(): for order > 0, walk the MOVABLE free lists from the tail (orders round-robin below
 * cc->order from the last successful one) for a free block in the top quarter of the search space below the free
 * scanner (or the highest one in the top half), isolate it and the rest of its pageblock. At the start of a scan
 * (free_pfn at compact_init_free_pfn or above) the search is deeper and moves the free scanner to the highest
 * candidate block. Updates compact_cached_free_pfn below the highest block seen.
 */
export function fastIsolateFreepages(cc: FastControl): void {
  const h = cc.h;
  let limit = Math.max(1, Math.floor(freelistScanLimit(cc) / 2));
  let highest = 0;
  let page = -1;
  let scanStart = false;
  let nrScanned = 0;
  if (cc.order <= 0) return;
  if (cc.freePfn >= h.cache.compactInitFreePfn) {
    limit = cc.pb >> 1;
    scanStart = true;
  }
  const distance = cc.freePfn - cc.migratePfn;
  let lowPfn = pbStart(cc, cc.freePfn - Math.floor(distance / 4));
  const minPfn = pbStart(cc, cc.freePfn - Math.floor(distance / 2));
  if (minPfn > lowPfn) lowPfn = minPfn;
  cc.searchOrder = Math.min(cc.order - 1, cc.searchOrder);
  for (let order = cc.searchOrder; page < 0 && order >= 0; order = nextSearchOrder(cc, order)) {
    let orderScanned = 0;
    let highPfn = 0;
    if (!h.nrFree(order)) continue;
    let last = -1; // the entry the walk stopped on (list_for_each_entry_reverse's cursor)
    for (let f = h.listLast(order, MT_MOVABLE); f >= 0; f = h.listPrev(f)) {
      last = f;
      orderScanned++;
      nrScanned++;
      if (f >= highest) highest = Math.max(pbStart(cc, f), h.zoneStart);
      if (f >= lowPfn) {
        cc.fastSearchFail = 0;
        cc.searchOrder = order;
        page = f;
        break;
      }
      if (f >= minPfn && f > highPfn) {
        highPfn = f;
        // shorten the scan if a candidate is found
        limit >>= 1;
      }
      if (orderScanned >= limit) break;
    }
    // use a maximum candidate pfn if a preferred one was not found
    if (page < 0 && highPfn) {
      page = highPfn;
      last = page;
    }
    // reorder so that a future search skips recent pages (a walk that ran off the list leaves it as it was)
    if (last >= 0 && (page >= 0 || orderScanned >= limit)) h.moveFreelistHead(last);
    if (page >= 0) {
      if (h.isolateFreePage(page, order)) {
        cc.pool.add({ pfn: page, order });
        cc.fastFree.push({ pfn: page, order });
        nrScanned += pow2(order) - 1; // nr_scanned += nr_isolated - 1
        cc.totalIsolated += pow2(order); // count_compact_events(COMPACTISOLATED, nr_isolated)
      } else {
        // if isolation fails, abort the search
        order = cc.searchOrder + 1;
        page = -1;
      }
    }
    if (cc.pool.nrFreepages >= cc.nrMigratepages) break;
    // smaller scan on the next order so that the total scan is related to freelist_scan_limit
    if (orderScanned >= limit) limit = Math.max(1, limit >> 1);
  }
  if (page < 0) {
    cc.fastSearchFail++;
    if (scanStart) {
      // use the highest pfn found above min; if none, be pessimistic for direct compaction and use the min mark
      if (highest >= minPfn) {
        page = highest;
        cc.freePfn = highest;
      } else if (cc.direct && h.page(minPfn).t !== 'hole') {
        const end = Math.min(pbStart(cc, minPfn) + cc.pb, h.zoneEnd);
        if (h.blockValid(minPfn, end) && cc.suitableMigrationTarget(minPfn)) page = minPfn;
        cc.freePfn = minPfn;
      }
    }
  }
  if (highest && highest >= h.cache.compactCachedFreePfn) {
    highest -= cc.pb;
    h.cache.compactCachedFreePfn = highest;
  }
  cc.totalFreeScanned += nrScanned; // cc->total_free_scanned += nr_scanned (fast_isolate_around counts its own)
  if (page < 0) return;
  fastIsolateAround(cc, page);
}
