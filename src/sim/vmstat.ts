// /proc/vmstat event counters (include/linux/vm_event_item.h, names from mm/vmstat.c vmstat_text) that the
// simulator counts at the same places the kernel does. A counter listed here is exact for what the simulator
// models; the kernel's other counters of these families are listed as not modelled, so an expectation on them
// is an error rather than a silent 0.

/**
 * Counted, with the kernel function that increments each:
 * - compact_stall / compact_success / compact_fail: `__alloc_pages_direct_compact()` (mm/page_alloc.c):
 *   a stall when try_to_compact_pages() did not return COMPACT_SKIPPED, then success if a page was got, else fail.
 *   Only allocations that run the simulator's slow path (slowpath.ts) can stall: internal ones (alloc.ts allocPages:
 *   hugetlb pool, migration targets) stop after its first attempt, as they do for every other outcome.
 * - htlb_buddy_alloc_success / htlb_buddy_alloc_fail: `alloc_buddy_hugetlb_folio()` (mm/hugetlb.c), the buddy
 *   allocation of a non-gigantic hugetlb folio (pool grow, migration target, alloc_and_dissolve).
 * - pgmigrate_success: `migrate_pages()` (mm/migrate.c), `count_vm_events(PGMIGRATE_SUCCESS, stats.nr_succeeded)`:
 *   base pages of every folio migrated (compaction, alloc_contig_range, offline_pages, the migrate operation).
 */
export const VM_COUNTERS = [
  'compact_stall', 'compact_fail', 'compact_success',
  'htlb_buddy_alloc_success', 'htlb_buddy_alloc_fail',
  'pgmigrate_success',
] as const;
export type VmCounter = (typeof VM_COUNTERS)[number];

/**
 * Kernel counters of the same families the simulator does not count where the kernel does, and why.
 * An expectation on one is a diagnostic ("not modelled"), never a comparison with 0.
 */
export const VM_NOT_MODELLED: Readonly<Record<string, string>> = {
  compact_migrate_scanned: 'direct compaction and kcompactd start the migrate scanner where fast_find_migrateblock (orders above PAGE_ALLOC_COSTLY_ORDER) and the zone\'s cached compact_cached_migrate_pfn put it and skip pageblocks by persistent skip bits; the simulator scans each run from the zone start with fresh hints, so the pages it would count (cc->total_migrate_scanned, added in compact_zone) differ from the kernel\'s',
  compact_free_scanned: 'the kernel\'s free scanner first searches the free lists (fast_isolate_freepages, counted in cc->total_free_scanned) and starts its linear scan at compact_cached_free_pfn; the simulator models neither, so its count would differ',
  compact_isolated: 'COMPACTISOLATED counts the pages isolate_migratepages_block and isolate_freepages_block / fast_isolate_freepages isolate; with the fast free-list search and the cached scanner positions not modelled, the simulator isolates other pages in other amounts',
  compact_daemon_wake: 'kcompactd is not modelled',
  compact_daemon_migrate_scanned: 'kcompactd is not modelled',
  compact_daemon_free_scanned: 'kcompactd is not modelled',
  pgmigrate_fail: 'migrate_pages counts failed pages after its retry passes (nr_failed_pages, nr_retry_pages); the simulator does not model the passes page by page',
  thp_migration_success: 'migrate_pages does not count THP folios apart (stats.nr_thp_succeeded)',
  thp_migration_fail: 'migrate_pages does not count THP folios apart (stats.nr_thp_failed)',
  thp_migration_split: 'migrate_pages does not count THP splits apart (stats.nr_thp_split)',
};

export type VmEvents = Record<VmCounter, number>;

export function newVmEvents(): VmEvents {
  return Object.fromEntries(VM_COUNTERS.map((k) => [k, 0])) as VmEvents;
}

/** /proc/vmstat lines (`name value`) for the counted events, in vmstat_text order */
export function vmstatText(v: VmEvents): string {
  const order: VmCounter[] = ['pgmigrate_success', 'compact_stall', 'compact_fail', 'compact_success', 'htlb_buddy_alloc_success', 'htlb_buddy_alloc_fail'];
  return order.map((k) => `${k} ${v[k]}\n`).join('');
}
