// What a label names now. A label is recorded with the pfns its operation allocated, but the kernel's owner of
// a page holds the folio, not the pfn: migration (alloc_contig_range, compaction, offlining, migrate, longterm
// pins) moves the folio and the old pfns may be reused by someone else. The pages a label owns are followed
// through Core.moved; pages still in place are recognised by Extent.owner.
import type { Core } from './core.js';
import { hex } from '../shared/format.js';

export interface Range { pfn: number; pages: number }

/**
 * The ranges `name` names now. `strict` (the runner: a label is the owner of what its operation allocated):
 * a recorded page that is neither still owned by `name` nor followed to where it moved is an error naming the
 * label. Not strict (tests and the bench that resolve names themselves): such a page is named by its pfn, as
 * recorded, and the operation judges what is there.
 */
export function followLabel(c: Core, name: string, ranges: Range[], strict: boolean): { ranges: Range[]; err: string | null; errPfn: number | null } {
  const out: Range[] = [];
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
        return { ranges: out, err: `'${name}': page ${hex(p)} it allocated is ${now} (freed by another operation?)`, errPfn: p };
      }
      // not followed: the recorded pfn as it is
      const t = e ? Math.min(end, e.pfn + e.n) : p + 1;
      push(out, p, t - p);
      p = t;
    }
  }
  return { ranges: out, err: null, errPfn: null };
}

function push(out: Range[], pfn: number, pages: number): void {
  out.push({ pfn, pages });
}
