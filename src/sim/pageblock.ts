// Pageblock-level helpers: walking a pageblock's pages, counting free/movable pages, moving its free blocks
// between lists (prep_move_freepages_block, __move_freepages_block, move_freepages_block).
import type { Core, Kind } from './core.js';
import type { Zone } from './zone.js';

/** PageLRU(page) || page_has_movable_ops(page) */
export function isLruOrMovableOps(k: Kind): boolean {
  return k === 'anon' || k === 'file' || k === 'thp' || k === 'movable_ops';
}

/** heads of free blocks starting inside [start, end), in pfn order (walks extents/pcp/free blocks, skipping runs) */
export function freeHeadsIn(c: Core, start: number, end: number): number[] {
  const out: number[] = [];
  let p = start;
  while (p < end) {
    const b = c.free.get(p);
    if (b) { out.push(p); p += 1 << b.order; continue; }
    const e = c.extentContaining(p);
    if (e) { p = e.pfn + e.n; continue; }
    const pc = c.pcpContaining(p);
    if (pc) { p = pc.pfn + (1 << pc.e.order); continue; }
    // a tail of a free block that started before `start`
    const fb = c.freeContaining(p);
    if (fb) { p = fb.pfn + (1 << fb.order); continue; }
    p++;
  }
  return out;
}

/**
 * prep_move_freepages_block(): false when the pageblock straddles the zone; else counts free pages (buddy heads
 * in the block) and movable pages (PageLRU or movable_ops, per struct page).
 */
export function prepMoveFreepagesBlock(c: Core, z: Zone, pfn: number): { start: number; free: number; movable: number } | null {
  const start = c.pbStart(pfn);
  const end = start + c.pbPages;
  if (!z.spans(start) || !z.spans(end - 1)) return null;
  let free = 0;
  for (const h of freeHeadsIn(c, start, end)) free += 1 << c.free.get(h)!.order;
  let movable = 0;
  for (const e of c.extentsIn(start, end)) {
    if (isLruOrMovableOps(e.kind) && e.freeing < 0) movable += Math.min(end, e.pfn + e.n) - Math.max(start, e.pfn);
  }
  return { start, free, movable };
}

/** __move_freepages_block(): move every free block of the pageblock to list newMt (tail); returns pages moved */
export function moveFreepagesBlock(c: Core, start: number, newMt: number): number {
  let moved = 0;
  for (const h of freeHeadsIn(c, start, start + c.pbPages)) {
    const b = c.free.get(h)!;
    c.moveFree(b, newMt);
    moved += 1 << b.order;
  }
  return moved;
}

