// Kernel-version presets: each switch takes the value of the release that changed it.
// Sources: reference/kernel-mm.md §1, §2.2, §4.4, §4.5, §7, §10 and the seed discussions.
import type { KernelPreset, Policies } from './scenario.js';

/** Mainline as of the newest preset; proposals from the seeds are off. */
export const DEFAULT_POLICIES: Readonly<Policies> = {
  isolation_granularity: 'pageblock',
  isolate_migratetype: 'kept',
  contig_pcp: 'drain_once',
  contig_slab_shrink: 'off',
  contig_retry: 'contig',
  freelist_hygiene: 'on',
  fallback: 'claim_steal',
  cma_alignment: 'pageblock',
  online_policy: 'contig-zones',
  auto_movable_ratio: 301,
  auto_movable_numa_aware: 'on',
  movable_kernel_fallback: 'off',
  vmemmap_accounting: 'online',
  compaction_freelist: 'multi_order',
  page_reporting: 'reporting',
  page_reporting_order: 0,
  offline_max_passes: 0,
  offline_signal_after: 1000,
  hotplug_contiguous: 'memory_block',
  highatomic_reserve: 'aligned',
  highatomic_watermark: 'free',
  gigantic_free: 'folio',
  hugetlb_pool_enqueue: 'batch',
  isolate_straddle: 'skip_huge',
  memmap_on_memory_size: 'per_block',
  memhp_default_state: 'offline',
  atomic_reserves: 'gfp_high',
  lru_gen: 'off',
  compaction_cma_check: 'async_costly',
};

/** [major, minor] of a preset; `latest` sorts after everything. */
function version(p: KernelPreset): number {
  if (p === 'latest') return 1e6;
  const [a, b] = p.split('.').map(Number);
  return a * 1000 + b;
}

/** Each entry: the release that introduced the current behaviour, and the behaviour before it. */
const CHANGES: { since: string; before: Partial<Policies> }[] = [
  { since: '5.19', before: { isolation_granularity: 'max_order', cma_alignment: 'max_order' } }, // Zi Yan: pageblock-granular isolation, CMA_MIN_ALIGNMENT_PAGES
  { since: '6.3', before: { atomic_reserves: 'gfp_atomic' } },      // Mel Gorman: "explicitly define how __GFP_HIGH non-blocking allocations accesses reserves" (also in later 6.1.y stable)
  { since: '6.6', before: { memmap_on_memory_size: 'single_block' } }, // Aneesh K.V.: memmap_on_memory requests split across memory blocks
  { since: '6.7', before: { hugetlb_pool_enqueue: 'each' } },        // Mike Kravetz: "hugetlb: restructure pool allocations" (page_list in set_max_huge_pages)
  { since: '6.8', before: { highatomic_reserve: 'legacy' } },       // reserve_highatomic_pageblock: ALIGN cap, minimum size
  { since: '6.9', before: { compaction_freelist: 'order0' } },       // "enable compacting >0 order folios"
  { since: '6.10', before: { freelist_hygiene: 'off' } },            // J. Weiner freelist hygiene series
  { since: '6.10', before: { isolate_straddle: 'migrate' } },        // same series: isolate_single_pageblock no longer migrates across the boundary
  { since: '6.12', before: { highatomic_watermark: 'reserved' } },  // "keep track of free highatomic" (stable 6.12.y)
  { since: '6.12', before: { gigantic_free: 'pages' } },             // Yu Zhao: __GFP_COMP gigantic folios, freed as one folio
  { since: '6.15', before: { fallback: 'legacy' } },                 // __rmqueue_claim / __rmqueue_steal
  // compaction_suit_allocation_order(..., async, kcompactd): the non-CMA free check. Not in 6.12 (Debian 6.12.117's
  // mm/compaction.c has no `async` argument); in 6.15's (beside defrag_mode's `kcompactd`). Whether it came in 6.14
  // or 6.15 is not checked here: no preset lies between.
  { since: '6.15', before: { compaction_cma_check: 'off' } },
  { since: '6.17', before: { isolate_migratetype: 'lost' } },        // PB_migrate_isolate bit
  { since: 'latest', before: { hotplug_contiguous: 'move_pfn_range' } }, // mm tree: set_zone_contiguous around memory_block_online
];

export function presetPolicies(kernel: KernelPreset): Policies {
  const p: Policies = { ...DEFAULT_POLICIES };
  const v = version(kernel);
  for (const c of CHANGES) {
    if (v < version(c.since as KernelPreset)) Object.assign(p, c.before);
  }
  return p;
}

export function resolvePolicies(kernel: KernelPreset, ...overrides: Partial<Policies>[]): Policies {
  return Object.assign(presetPolicies(kernel), ...overrides);
}

/** Allowed values per policy, for validation and completion. `number` means a non-negative integer. */
export const POLICY_VALUES: { [K in keyof Policies]: readonly string[] | 'number' } = {
  isolation_granularity: ['pageblock', 'max_order'],
  isolate_migratetype: ['kept', 'lost'],
  contig_pcp: ['drain_once', 'disable'],
  contig_slab_shrink: ['off', 'on'],
  contig_retry: ['contig', 'offline'],
  freelist_hygiene: ['on', 'off'],
  fallback: ['claim_steal', 'legacy'],
  cma_alignment: ['pageblock', 'max_order'],
  online_policy: ['contig-zones', 'auto-movable'],
  auto_movable_ratio: 'number',
  auto_movable_numa_aware: ['on', 'off'],
  movable_kernel_fallback: ['off', 'harvest'],
  vmemmap_accounting: ['online', 'reserve'],
  compaction_freelist: ['multi_order', 'order0'],
  page_reporting: ['reporting', 'hinting'],
  page_reporting_order: 'number',
  offline_max_passes: 'number',
  offline_signal_after: 'number',
  hotplug_contiguous: ['move_pfn_range', 'memory_block'],
  highatomic_reserve: ['aligned', 'legacy'],
  highatomic_watermark: ['free', 'reserved'],
  gigantic_free: ['folio', 'pages'],
  hugetlb_pool_enqueue: ['batch', 'each'],
  isolate_straddle: ['skip_huge', 'migrate'],
  memmap_on_memory_size: ['per_block', 'single_block'],
  memhp_default_state: ['offline', 'online', 'online_kernel', 'online_movable'],
  atomic_reserves: ['gfp_high', 'gfp_atomic'],
  lru_gen: ['off', 'on'],
  compaction_cma_check: ['async_costly', 'off'],
};
