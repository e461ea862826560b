// Which reclaimable slab folios a shrink frees: the seeded random choice shared by reclaim's shrinker
// (vmscan.ts shrinkSlab) and the `slab shrink` operation. The model has one object per page; a picked object frees
// its whole slab folio, as the kernel frees a slab folio whole (mm/slub.c __free_slab: __free_pages(page, order))
// and counts 2^order pages reclaimed (mm_account_reclaimed_pages(1 << order)).
import type { Rng } from '../rng.js';

/**
 * What the one-object-per-page model means for a result, in words (said wherever a shrinker frees slab): mm/slub.c
 * __slab_free() discards a slab only when its last object goes (slab->inuse == 0, and the node keeps min_partial
 * empty-able partial slabs), so the kernel frees fewer pages for the same objects. Objects are not modelled per slab.
 */
export const SLAB_OBJECT_CAVEAT = 'the simulator has one object per slab page: each object freed frees its whole slab folio; ' +
  'the kernel frees a slab only when all its objects are free (mm/slub.c __slab_free), so it frees fewer pages';

/** [first pfn, pages, pages per folio]: a run of whole slab folios of one size, the first folio-aligned */
export type SlabRun = [number, number, number];

export interface SlabPick {
  /** the folios to free, [pfn, pages] */
  folios: [number, number][];
  /** pages they hold (may exceed `want` by less than the last folio's size) */
  freed: number;
  /** the runs left */
  rest: SlabRun[];
}

/**
 * Selection sampling over the pages of `runs` in order (one draw per page while pages are still wanted): a drawn
 * page picks its folio whole, which counts all the folio's pages towards `want` and skips its remaining pages.
 * With order-0 folios this is plain selection sampling of `want` pages (the draws are the same).
 */
export function pickSlabFolios(rng: Rng, runs: readonly SlabRun[], total: number, want: number): SlabPick {
  let need = want, left = total, freed = 0;
  const folios: [number, number][] = [];
  const rest: SlabRun[] = [];
  for (const [s, n, unit] of runs) {
    let from = s;
    for (let p = s; p < s + n && need > 0;) {
      if (rng.float() * left < need) {
        const f = p - ((p - s) % unit);
        folios.push([f, unit]);
        freed += unit;
        need -= unit;
        left -= f + unit - p;
        if (f > from) rest.push([from, f - from, unit]);
        from = p = f + unit;
      } else {
        left--;
        p++;
      }
    }
    if (from < s + n) rest.push([from, s + n - from, unit]);
  }
  return { folios, freed, rest };
}
