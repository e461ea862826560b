// Free blocks from runs of free pages (/proc/kpageflags: fs/proc/page.c stable_page_flags() sets KPF_BUDDY on the
// head of a free block, PageBuddy, and on its other pages, is_free_buddy_page(), so a maximal run of KPF_BUDDY pages
// is exactly the union of some free blocks). Pure.
//
// How the buddy allocator holds such a run: __free_one_page() (mm/page_alloc.c) merges a freed block with its buddy
// while the buddy is a free block of the same order in the same zone (page_is_buddy(): PageBuddy, buddy_order ==
// order, same page_zone_id), up to MAX_PAGE_ORDER. Two free aligned buddies therefore never stay apart, except:
//  - at MAX_PAGE_ORDER (no higher order);
//  - across a zone boundary (different zones never merge: the run is cut at the zone's span);
//  - at order ≥ pageblock_order between pageblocks of different migratetypes when one is not mergeable
//    (!migratetype_is_mergeable(): MIGRATE_HIGHATOMIC, MIGRATE_CMA, MIGRATE_ISOLATE);
//  - for a moment (a page being freed or isolated while the file is read), or CONFIG_DEBUG_PAGEALLOC guard pages.
// What is modelled: the first two, so a run decomposes uniquely into naturally aligned blocks, largest aligned block
// first. The others give per-order counts that differ from buddyinfo; the caller reconciles (takes, per order, no
// more blocks than the free lists hold, and places the rest as before).
import type { Range } from '../sim/ranges.js';

/** the largest k ≤ max with p a multiple of 2^k */
function alignOrder(p: number, max: number): number {
  let k = 0;
  while (k < max && p % 2 ** (k + 1) === 0) k++;
  return k;
}

/**
 * The free blocks [pfn, order] a run [s, e) of free pages is held as: at each pfn the largest naturally aligned
 * block that fits (order ≤ maxOrder), in pfn order.
 */
export function decomposeRun(s: number, e: number, maxOrder: number): [number, number][] {
  const out: [number, number][] = [];
  let p = s;
  while (p < e) {
    let k = alignOrder(p, maxOrder);
    while (p + 2 ** k > e) k--;
    out.push([p, k]);
    p += 2 ** k;
  }
  return out;
}

/**
 * The free blocks of a zone from its runs of free pages: `free` (sorted, disjoint) are the KPF_BUDDY runs, `within`
 * (sorted, disjoint) the zone's present pages; runs are cut to them (the zone boundary, holes) and joined where
 * they touch.
 */
export function freeBlocksOf(free: Range[], within: Range[], maxOrder: number): [number, number][] {
  const out: [number, number][] = [];
  let i = 0, j = 0;
  let cur: Range | null = null;
  const flush = () => { if (cur) for (const b of decomposeRun(cur[0], cur[1], maxOrder)) out.push(b); cur = null; };
  while (i < free.length && j < within.length) {
    const x = Math.max(free[i]![0], within[j]![0]), y = Math.min(free[i]![1], within[j]![1]);
    if (x < y) { if (cur && cur[1] === x) cur[1] = y; else { flush(); cur = [x, y]; } }
    if (free[i]![1] < within[j]![1]) i++; else j++;
  }
  flush();
  return out;
}
