// The vm sysctls the simulator reads: their values (Core.sysctl), names, ranges and docs (the language checks a
// `sysctl` statement against these); src/sim/sysctl.ts writes them.
import { MAX_NR_ZONES } from './consts.js';

export interface SysctlState {
  /** sysctl_compaction_proactiveness (mm/compaction.c) */
  compaction_proactiveness: number;
  /** watermark_scale_factor (mm/page_alloc.c) */
  watermark_scale_factor: number;
  /** user_min_free_kbytes: -1 until the sysctl is written (min_free_kbytes itself is Core.minFreeKbytes) */
  user_min_free_kbytes: number;
  /** sysctl_extfrag_threshold (mm/compaction.c) */
  extfrag_threshold: number;
  /** vm_swappiness (mm/vmscan.c) */
  swappiness: number;
  /** sysctl_lowmem_reserve_ratio[MAX_NR_ZONES]: DMA, DMA32, Normal, Movable */
  lowmem_reserve_ratio: number[];
}

export function defaultSysctls(): SysctlState {
  return {
    compaction_proactiveness: 20, watermark_scale_factor: 10, user_min_free_kbytes: -1, extfrag_threshold: 500,
    swappiness: 60, lowmem_reserve_ratio: [256, 256, 32, 0],
  };
}
export function copySysctls(s: SysctlState): SysctlState {
  return { ...s, lowmem_reserve_ratio: s.lowmem_reserve_ratio.slice() };
}


const INT_MAX = 2 ** 31 - 1;

export interface SysctlDef {
  /** proc_dointvec_minmax's extra1 / extra2 */
  min: number;
  max: number;
  /** values written at once (an int vector for lowmem_reserve_ratio) */
  maxValues: number;
  doc: string;
  kernel: string;
}

/** The knobs (name without `vm.`), their ranges and what writing them does. */
export const SYSCTLS: Record<string, SysctlDef> = {
  compaction_proactiveness: {
    min: 0, max: 100, maxValues: 1,
    doc: 'How hard kcompactd compacts proactively (default 20; 0 turns proactive compaction off): the node\'s fragmentation score must exceed min(max(100 − value, 5) + 10, 100) for `kcompactd` to compact without a request, and each zone is compacted down to max(100 − value, 5).',
    kernel: '`fragmentation_score_wmark()`, `should_proactive_compact_node()`, mm/compaction.c',
  },
  watermark_scale_factor: {
    min: 1, max: 3000, maxValues: 1,
    doc: 'Spacing of the min/low/high watermarks in 1/10000 of a zone\'s managed pages (default 10): low = min + max(min/4, managed × value / 10000), high = low + the same. Writing it recomputes every zone\'s watermarks and pcp high/batch.',
    kernel: '`watermark_scale_factor_sysctl_handler()` → `__setup_per_zone_wmarks()`, mm/page_alloc.c',
  },
  min_free_kbytes: {
    min: 0, max: INT_MAX, maxValues: 1,
    doc: 'The pages the min watermarks add up to, in kB, shared among the zones by managed pages (ZONE_MOVABLE gets managed/1024 clamped to 32..128 pages). Writing it recomputes the watermarks; a later memory hotplug keeps it unless the computed value is larger.',
    kernel: '`min_free_kbytes_sysctl_handler()` → `setup_per_zone_wmarks()`; `calculate_min_free_kbytes()` (user_min_free_kbytes), mm/page_alloc.c',
  },
  extfrag_threshold: {
    min: 0, max: 1000, maxValues: 1,
    doc: 'For costly orders, compaction is not suitable when the zone\'s fragmentation index is at most this (default 500): the failure is for lack of memory and reclaim, not compaction, should help.',
    kernel: '`__compaction_suitable()` / `compaction_suitable()`, mm/compaction.c',
  },
  swappiness: {
    min: 0, max: 200, maxValues: 1,
    doc: 'Relative cost of reclaiming anon (swap) vs file pages in `get_scan_count()` (default 60; 0 means no SCAN_EQUAL at priority 0). Matters only with swap.',
    kernel: '`get_scan_count()`, mm/vmscan.c',
  },
  lowmem_reserve_ratio: {
    min: 0, max: INT_MAX, maxValues: MAX_NR_ZONES,
    doc: 'Per zone (DMA DMA32 Normal Movable; default 256 256 32 0): a lower zone keeps (managed pages of the higher zones) / ratio pages from allocations that could have used a higher zone; 0 (or less than 1) means no reserve. Fewer values set the first zones only.',
    kernel: '`lowmem_reserve_ratio_sysctl_handler()` → `setup_per_zone_lowmem_reserve()`, mm/page_alloc.c',
  },
};

/** knobs the kernel has but the simulator does not model: named in the error */
export const UNMODELLED_SYSCTLS: Record<string, string> = {
  watermark_boost_factor: 'watermark boosting is not modelled (boost_watermark(): kswapd is assumed to have reset the boost)',
};

export const SYSCTL_NAMES = Object.keys(SYSCTLS);

