// Zone span helpers shared with memory hotplug (mm/mm_init.c set_zone_contiguous, __pageblock_pfn_to_page).
import type { Core } from './core.js';
import type { Zone } from './zone.js';

/** __pageblock_pfn_to_page(): the chunk's first pfn online and in `z`, its last pfn in the same zone */
export function pageblockPfnToPage(c: Core, start: number, end: number, z: Zone): boolean {
  const first = c.zoneOf(start);
  if (first !== z) return false;
  return c.zoneOf(end - 1) === z;
}

/** set_zone_contiguous(): every pageblock-sized chunk of the span passes __pageblock_pfn_to_page */
export function setZoneContiguous(c: Core, z: Zone): void {
  z.contiguous = false;
  if (!z.spanned) return;
  let s = z.start;
  let e = c.pbStart(s) + c.pbPages;
  for (; s < z.end; s = e, e += c.pbPages) {
    e = Math.min(e, z.end);
    if (!pageblockPfnToPage(c, s, e, z)) return;
  }
  z.contiguous = true;
}
export function clearZoneContiguous(z: Zone): void {
  z.contiguous = false;
}
