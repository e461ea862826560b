// /proc/vmstat event counters (include/linux/vm_event_item.h, names from mm/vmstat.c vmstat_text) that the
// simulator counts at the same places the kernel does. A counter listed here is exact for what the simulator
// models; the kernel's other counters of these families are listed as not modelled, so an expectation on them
// is an error rather than a silent 0.

/**
 * Counted, with the kernel function that increments each:
 * - compact_stall / compact_success / compact_fail: `__alloc_pages_direct_compact()` (mm/page_alloc.c):
 *   a stall when try_to_compact_pages() did not return COMPACT_SKIPPED, then success if a page was got, else fail.
 *   Every allocation that leaves the fast path runs the slow path (slowpath.ts), internal ones too (hugetlb pool
 *   growth, migration targets: allocPagesInternal); only the memmap of hot-added memory (alloc.ts allocPages) stops
 *   after the slow path's first attempt.
 * - htlb_buddy_alloc_success / htlb_buddy_alloc_fail: `alloc_buddy_hugetlb_folio()` (mm/hugetlb.c), the buddy
 *   allocation of a non-gigantic hugetlb folio (pool grow, migration target, alloc_and_dissolve).
 * - pgmigrate_success: `migrate_pages()` (mm/migrate.c), `count_vm_events(PGMIGRATE_SUCCESS, stats.nr_succeeded)`:
 *   base pages of every folio migrated (compaction, alloc_contig_range, offline_pages, the migrate operation).
 * - compact_migrate_scanned / compact_free_scanned: `compact_zone()` (mm/compaction.c) adds cc->total_migrate_scanned
 *   / cc->total_free_scanned at its end (every compact_zone: direct, kcompactd, proactive, compact_memory). The
 *   migrate side is what isolate_migratepages_block scanned (one per pfn, plus the pages of a buddy, compound page
 *   or isolated folio stepped over; 1 for a block aborted by its skip hint) and the free-list entries
 *   fast_find_migrateblock looked at; the free side what isolate_freepages_block scanned (also from
 *   fast_isolate_around) and the entries fast_isolate_freepages looked at plus the pages it isolated, less one each.
 * - compact_isolated: COMPACTISOLATED, pages isolated by `isolate_migratepages_block()`, `isolate_freepages_block()`
 *   and `fast_isolate_freepages()` — in compaction and in alloc_contig_range (isolate_migratepages_range, and
 *   isolate_freepages_range per pageblock that it took whole).
 * - compact_daemon_wake: `kcompactd_do_work()`; compact_daemon_migrate_scanned / _free_scanned: the same totals after
 *   each zone kcompactd_do_work compacted, and after each zone of `compact_node(pgdat, proactive = true)`.
 * - pageoutrun: `balance_pgdat()` (mm/vmscan.c), `count_vm_event(PAGEOUTRUN)` at its top: one per balance_pgdat pass
 *   of kswapd (a `kswapd` operation, or kswapd at a `hugetlb … resize`'s cond_resched()).
 * - kswapd_high_wmark_hit_quickly: `kswapd_try_to_sleep()` (mm/vmscan.c) when prepare_kswapd_sleep() is false at its
 *   first check: kswapd takes no HZ/10 nap (remaining stays 0), the second check sees the same node, and it counts
 *   KSWAPD_HIGH_WMARK_HIT_QUICKLY — once per pass after which kswapd does not sleep (runKswapd). The same counter after
 *   a nap that timed out on a node unbalanced meanwhile needs a clock (see kswapd_low_wmark_hit_quickly below).
 * MIGRATE_ASYNC scans as the kernel does: isolate_freepages looks at every COMPACT_CLUSTER_MAX-th pfn at first (the
 * stride, adjusted per block in every mode), and async direct compaction's migrate scanner abandons a cc->order-aligned
 * block at the first page it cannot isolate (skip_on_failure).
 */
export const VM_COUNTERS = [
  'compact_stall', 'compact_fail', 'compact_success',
  'htlb_buddy_alloc_success', 'htlb_buddy_alloc_fail',
  'pgmigrate_success',
  'compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated',
  'compact_daemon_wake', 'compact_daemon_migrate_scanned', 'compact_daemon_free_scanned',
  'pageoutrun', 'kswapd_high_wmark_hit_quickly',
] as const;
export type VmCounter = (typeof VM_COUNTERS)[number];

/**
 * Kernel counters of the same families the simulator does not count where the kernel does, and why.
 * An expectation on one is a diagnostic ("not modelled"), never a comparison with 0.
 */
export const VM_NOT_MODELLED: Readonly<Record<string, string>> = {
  pgmigrate_fail: 'migrate_pages counts failed pages after its retry passes (nr_failed_pages, nr_retry_pages); the simulator does not model the passes page by page',
  thp_migration_success: 'migrate_pages does not count THP folios apart (stats.nr_thp_succeeded)',
  thp_migration_fail: 'migrate_pages does not count THP folios apart (stats.nr_thp_failed)',
  thp_migration_split: 'migrate_pages does not count THP splits apart (stats.nr_thp_split)',
  kswapd_low_wmark_hit_quickly: 'kswapd_try_to_sleep counts it when a wakeup_kswapd came within its HZ/10 nap (schedule_timeout returned time remaining); the simulator has no clock, so it cannot say whether the next wake came within HZ/10',
};

export type VmEvents = Record<VmCounter, number>;

export function newVmEvents(): VmEvents {
  return Object.fromEntries(VM_COUNTERS.map((k) => [k, 0])) as VmEvents;
}

/** /proc/vmstat lines (`name value`) for the counted events, in vmstat_text order */
export function vmstatText(v: VmEvents): string {
  const order: VmCounter[] = [
    'kswapd_high_wmark_hit_quickly', 'pageoutrun',
    'pgmigrate_success', 'compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated',
    'compact_stall', 'compact_fail', 'compact_success',
    'compact_daemon_wake', 'compact_daemon_migrate_scanned', 'compact_daemon_free_scanned',
    'htlb_buddy_alloc_success', 'htlb_buddy_alloc_fail',
  ];
  return order.map((k) => `${k} ${v[k]}\n`).join('');
}
