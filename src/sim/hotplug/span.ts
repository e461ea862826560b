// Zone and node spans under hotplug (mm/memory_hotplug.c: resize_zone_range, shrink_zone_span,
// update_pgdat_span; mm/page_alloc.c: set_zone_contiguous, __pageblock_pfn_to_page).
import { type HpZone, type PfnView, zoneEnd, zoneIsEmpty } from './types.js';

/** resize_zone_range(): grow only; an empty zone or a lower start moves the start. Zones may overlap. */
export function resizeZoneRange(z: HpZone, start: number, nr: number): void {
  const oldEnd = zoneEnd(z);
  if (zoneIsEmpty(z) || start < z.start) z.start = start;
  z.end = Math.max(start + nr, oldEnd);
}

/** A pfn shrink_zone_span may keep: online memmap, same node, same zone. */
function qualifies(pfn: number, z: HpZone, view: PfnView): boolean {
  const p = view.online(pfn);
  return p !== null && p.nid === z.nid && p.zone === z.name;
}

/** find_smallest_section_pfn(): scans up in PAGES_PER_SUBSECTION steps; 0 when none. */
export function findSmallestSectionPfn(z: HpZone, start: number, end: number, view: PfnView, step: number): number {
  for (let pfn = start; pfn < end; pfn += step) if (qualifies(pfn, z, view)) return pfn;
  return 0;
}

/** find_biggest_section_pfn(): scans down from end−1 in PAGES_PER_SUBSECTION steps; 0 when none. */
export function findBiggestSectionPfn(z: HpZone, start: number, end: number, view: PfnView, step: number): number {
  for (let pfn = end - 1; pfn >= start; pfn -= step) if (qualifies(pfn, z, view)) return pfn;
  return 0;
}

/**
 * shrink_zone_span(): only a removed range at the start or the end of the span shrinks it; a hole in
 * the middle leaves the span as it is. `step` is PAGES_PER_SUBSECTION (512 on x86-64).
 */
export function shrinkZoneSpan(z: HpZone, start: number, end: number, view: PfnView, step = 512): void {
  if (z.start === start) {
    const pfn = findSmallestSectionPfn(z, end, zoneEnd(z), view, step);
    if (pfn) z.start = pfn;
    else {
      z.start = 0;
      z.end = 0;
    }
  } else if (zoneEnd(z) === end) {
    const pfn = findBiggestSectionPfn(z, z.start, start, view, step);
    if (pfn) z.end = pfn + 1;
    else {
      z.start = 0;
      z.end = 0;
    }
  }
}

/**
 * set_zone_contiguous() with __pageblock_pfn_to_page(): for every pageblock-sized chunk of the span
 * (clipped to it) the last pfn is valid, the first pfn is online and in this zone, and both have the
 * same zone. Only the first and last pfn of a chunk are checked. An empty zone is trivially contiguous.
 */
export function setZoneContiguous(z: HpZone, view: PfnView, pageblockPages: number): void {
  const end = zoneEnd(z);
  let s = z.start;
  let e = Math.floor(s / pageblockPages) * pageblockPages + pageblockPages; // pageblock_end_pfn()
  for (; s < end; s = e, e += pageblockPages) {
    e = Math.min(e, end);
    if (!pageblockPfnToPage(z, s, e, view)) {
      z.contiguous = false;
      return;
    }
  }
  z.contiguous = true;
}

/** __pageblock_pfn_to_page(start, end, zone) != NULL */
export function pageblockPfnToPage(z: HpZone, start: number, end: number, view: PfnView): boolean {
  const last = end - 1;
  if (!view.valid(last)) return false;
  const first = view.online(start);
  if (!first || first.zone !== z.name || first.nid !== z.nid) return false;
  const lz = view.zoneOf(last); // page_zone_id(start_page) != page_zone_id(end_page)
  return lz !== null && lz.zone === z.name && lz.nid === z.nid;
}

/** clear_zone_contiguous() */
export function clearZoneContiguous(z: HpZone): void {
  z.contiguous = false;
}

