// Small interfaces the hotplug code works on, so the zone-selection and span rules are pure functions
// (testable without the allocator) and the core Machine only has to expose these views.
import type { ZoneName } from '../scenario.js';

/** The struct zone fields memory hotplug reads and writes (include/linux/mmzone.h). */
export interface HpZone {
  readonly nid: number;
  readonly name: ZoneName;
  /** zone_start_pfn */
  start: number;
  /** zone_end_pfn(); spanned_pages = end − start, 0 means zone_is_empty() (start = end = 0) */
  end: number;
  present: number;
  /** present_early_pages: present pages from boot (early) sections; the auto-movable denominator */
  presentEarly: number;
  managed: number;
  cmaPages: number;
  contiguous: boolean;
}

/** What the memmap says about one pfn, as hotplug code reads it. */
export interface PfnView {
  /** pfn_valid(): the section is present (online or offline) */
  valid(pfn: number): boolean;
  /**
   * pfn_to_online_page() then page_to_nid()/page_zone(): null when the section is offline, absent, or
   * the subsection is not valid; `zone` null when the struct page is linked to no zone
   * (vmemmap_accounting=reserve: the self-hosted memmap pages are never moved into a zone).
   */
  online(pfn: number): { nid: number; zone: ZoneName | null } | null;
  /** page_zone(pfn_to_page()) without the online check; null for a poisoned / never initialised memmap */
  zoneOf(pfn: number): { nid: number; zone: ZoneName } | null;
}

/** struct memory_group (mm/memory_hotplug.c): DIMMs are static groups, a virtio-mem device is dynamic. */
export interface MemoryGroup {
  id: number;
  nid: number;
  dynamic: boolean;
  /** static: s.max_pages (the whole DIMM); dynamic: d.unit_pages (memory block or big block) */
  pages: number;
  presentKernel: number;
  presentMovable: number;
}

export type OnlineType = 'online' | 'online_kernel' | 'online_movable';

/** struct memory_block (drivers/base/memory.c). id = start / memoryBlockPages. */
export interface MemoryBlock {
  id: number;
  start: number;
  pages: number;
  nid: number;
  state: 'online' | 'offline';
  /** mem->zone: set while online, null if offline or the (boot) block spans zones */
  zone: ZoneName | null;
  group: number | null;
  /** mem->altmap->free: pages of self-hosted memmap at the block start (memmap_on_memory), else 0 */
  vmemmap: number;
  /** true for hot-added memory (can be offlined/removed); boot blocks are online and not in a group */
  hotplugged: boolean;
}

export const zoneEnd = (z: HpZone): number => z.end;
export const spanned = (z: HpZone): number => z.end - z.start;
export const zoneIsEmpty = (z: HpZone): boolean => z.end === z.start;
