// What a label names now. A label is recorded with the pfns its operation allocated, but the kernel's owner of
// a page holds the folio, not the pfn: migration (alloc_contig_range, compaction, offlining, migrate, longterm
// pins) moves the folio and the old pfns may be reused by someone else. The pages a label owns are followed
// through Core.moved; pages still in place are recognised by Extent.owner; pages reclaim swapped out are in
// Core.swapped (swap.ts), by the pfns the label recorded.
import type { Core } from './core.js';
import { hex } from '../shared/format.js';
import { swappedIn, type Range } from './swap.js';

export type { Range };

/**
 * The ranges `name` names now. `strict` (the runner: a label is the owner of what its operation allocated):
 * a recorded page that is neither still owned by `name` nor followed to where it moved is an error naming the
 * label. Not strict (tests and the bench that resolve names themselves): such a page is named by its pfn, as
 * recorded, and the operation judges what is there.
 */
export function followLabel(c: Core, name: string, ranges: Range[], strict: boolean): { ranges: Range[]; swapped: Range[]; err: string | null; errPfn: number | null } {
  const out: Range[] = [];
  // the recorded pfns in swap are not in memory: the rest is followed as below
  const swapped = swappedIn(c, name, ranges);
  if (swapped.length) ranges = without(ranges, swapped);
  for (const r of ranges) {
    const end = r.pfn + Math.max(1, r.pages);
    for (let p = r.pfn; p < end;) {
      const e = c.extentContaining(p);
      if (e && e.owner === name && e.freeing < 0) {
        const t = Math.min(end, e.pfn + e.n);
        push(out, p, t - p);
        p = t;
        continue;
      }
      const dst = c.movedTo(name, p);
      const d = dst === undefined ? undefined : c.extentContaining(dst);
      if (dst !== undefined && d && d.owner === name && d.freeing < 0) {
        const us = d.folio ? 1 << d.order : 1;
        push(out, dst, us);
        p += us;
        continue;
      }
      if (strict) {
        const now = e ? (e.freeing >= 0 ? 'being freed' : `now ${e.owner ? `owned by ${e.owner}` : 'allocated by someone else'}`) : 'no longer allocated';
        // the kernel frees a label's pages behind its back too: shrink_slab drops reclaimable slab, reclaim drops
        // clean page cache (swapped-out anon is still the label's: Core.swapped)
        return { ranges: out, swapped, err: `'${name}': page ${hex(p)} it allocated is ${now} (freed by another operation, or by the kernel since: shrink_slab drops reclaimable slab, reclaim drops clean page cache)`, errPfn: p };
      }
      // not followed: the recorded pfn as it is
      const t = e ? Math.min(end, e.pfn + e.n) : p + 1;
      push(out, p, t - p);
      p = t;
    }
  }
  return { ranges: out, swapped, err: null, errPfn: null };
}

/** `ranges` less `cut` (sorted, disjoint, each inside one of `ranges`) */
function without(ranges: Range[], cut: Range[]): Range[] {
  const out: Range[] = [];
  let k = 0;
  for (const r of ranges) {
    let p = r.pfn;
    const end = r.pfn + Math.max(1, r.pages);
    // the cut parts of this range come next in `cut` (swappedIn lists them range by range, in order)
    while (k < cut.length && cut[k]!.pfn >= r.pfn && cut[k]!.pfn < end) {
      if (cut[k]!.pfn > p) out.push({ pfn: p, pages: cut[k]!.pfn - p });
      p = cut[k]!.pfn + cut[k]!.pages;
      k++;
    }
    if (p < end) out.push({ pfn: p, pages: end - p });
  }
  return out;
}

function push(out: Range[], pfn: number, pages: number): void {
  out.push({ pfn, pages });
}
