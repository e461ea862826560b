// What the hotplug operations need from the allocator core (src/sim/machine.ts). The core implements
// this interface over its buddy lists, pageblock arrays, isolation and migration; hotplug owns the
// zone span / present / managed accounting, the memory blocks and the memmap links (state.ts).
import type { Migration, SimEvent, Verdict } from '../api.js';
import type { Migratetype, Policies, MachineSpec, ZoneName } from '../scenario.js';
import type { HpZone } from './types.js';
import type { HotplugState } from './state.js';


export interface HotplugHost {
  readonly spec: MachineSpec;
  readonly policies: Policies;
  readonly hp: HotplugState;
  /** the mutable struct zone of (nid, zone); created empty on first use */
  zone(nid: number, zone: ZoneName): HpZone;
  zones(): HpZone[];
  event(e: SimEvent): void;

  // ---- memmap (memmap_init_range with MEMINIT_HOTPLUG, page_init_poison)
  /** pages of [start, start+nr) become PageOffline (not free, not managed), pageblocks `mt`, isolated if asked */
  initRange(start: number, nr: number, nid: number, zone: ZoneName, mt: Migratetype, isolate: boolean): void;
  /** self-hosted memmap pages: page state 'vmemmap', pageblock UNMOVABLE, never in the buddy */
  initVmemmap(start: number, nr: number, nid: number, zone: ZoneName | null): void;
  /** the pages of [start, start+nr) no longer exist for the allocator (offline section / removed) */
  poisonRange(start: number, nr: number): void;
  /** section_deactivate() (mm/sparse.c) of removed sections: their mem_section_usage, and with it the pageblock
   *  flags (migratetype, PB_migrate_skip), is freed; section_activate() kzallocs it again on the next add */
  freeSectionUsage(start: number, nr: number): void;
  /**
   * vmemmap_alloc_block(): alloc_pages_node(nid, GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_NOWARN, order), a
   * non-compound kernel allocation held by `owner`; the pfn, or -1 when the allocator has nothing
   */
  allocKernelPage(nid: number, order: number, owner: string): number;
  /** free_pages(pfn, order) of a block allocKernelPage returned */
  freeKernelPage(pfn: number, order: number): void;

  // ---- buddy
  /** __free_pages_core(page, order, MEMINIT_HOTPLUG): clear PageOffline, free to the TAIL. Hotplug adds managed. */
  freePagesCore(pfn: number, order: number): void;
  /** zone->nr_isolate_pageblock += delta */
  adjustIsolated(nid: number, zone: ZoneName, delta: number): void;
  /** recompute watermarks, lowmem reserves and pcp high/batch (init_per_zone_wmark_min) */
  zoneChanged(nid: number, zone: ZoneName): void;

  // ---- isolation / migration (mm/page_isolation.c, mm/memory_hotplug.c)
  pcpDisable(nid: number, zone: ZoneName): void;
  pcpEnable(nid: number, zone: ZoneName): void;
  /** start_isolate_page_range(start, end, MEM_OFFLINE): first unmovable pfn and why on failure */
  isolateRange(start: number, end: number): Verdict;
  /** undo_isolate_page_range(start, end, MIGRATE_MOVABLE); policies.isolate_migratetype says what comes back */
  undoIsolate(start: number, end: number): void;
  /** scan_movable_pages(): 'found' (LRU / movable_ops / in-use migratable hugetlb at pfn), 'ENOENT', or 'EBUSY' (PageOffline with refs) */
  scanMovable(start: number, end: number): { ret: 'found' | 'ENOENT' | 'EBUSY'; pfn: number | null };
  /** do_migrate_range(start, end): migrate_pages(MIGRATE_SYNC, MR_MEMORY_HOTPLUG); targets never on the source node while another node has memory */
  migrateRange(start: number, end: number): Migration[];
  /** dissolve_free_hugetlb_folios(start, end) */
  dissolveFreeHugetlb(start: number, end: number): Verdict;
  /** test_pages_isolated(start, end, MEM_OFFLINE) */
  testIsolated(start: number, end: number): Verdict;
  /** __offline_isolated_pages(): delete every buddy block from the ISOLATE lists; returns the PageOffline pages skipped */
  offlineIsolated(start: number, end: number): number;
}
