// The scenario program: what src/language lowers a .mmscn file into and what src/sim runs.
// Pure data (JSON-serialisable), so the CLI, the debug adapter and the webview can all carry it.
// All positions are pfns; all sizes are page counts (the language converts `2M` to 512).
import { type ZoneName, type Migratetype } from '../shared/format.js';
import type { VmCounter } from './vmstat.js';
import type { KpfKind } from './kpageflags-kinds.js';

/** Where a construct came from in the source (1-based line, 1-based column). */
export interface Loc {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** zone names (ZONE_NAMES) and enum migratetype names, in kernel order (MIGRATETYPE_NAMES): src/shared/format.ts */
export type { ZoneName, Migratetype };

/** the types a `pageblock` statement may set (CMA needs a CMA area, ISOLATE is `isolate`) */
export type PageblockType = 'unmovable' | 'movable' | 'reclaimable' | 'highatomic';
export const PAGEBLOCK_TYPES: readonly PageblockType[] = ['unmovable', 'movable', 'reclaimable', 'highatomic'];

export type PageKind =
  | 'anon' | 'file' | 'thp' | 'slab' | 'pagetable' | 'kernel' | 'vmalloc' | 'movable_ops'
  | 'reserved' | 'offline' | 'hwpoison';
/** `active`: on the active LRU list (PG_active; new page cache and anon start inactive). Appended last: MOD_BIT values
 *  of the others are fixed (reclaimable=1, pinned=2, longterm=4, dirty=8, writeback=16, unevictable=32). */
export type PageModifier = 'reclaimable' | 'pinned' | 'longterm' | 'dirty' | 'writeback' | 'unevictable' | 'active';
export const PAGE_MODIFIERS: readonly PageModifier[] = ['reclaimable', 'pinned', 'longterm', 'dirty', 'writeback', 'unevictable', 'active'];

export type FillClass = 'movable' | 'anon' | 'file' | 'slab' | 'unmovable' | 'pagetable';
export const FILL_CLASSES: readonly FillClass[] = ['movable', 'anon', 'file', 'slab', 'unmovable', 'pagetable'];

export type Errno = 'EBUSY' | 'EINVAL' | 'ENOMEM' | 'EINTR' | 'EAGAIN' | 'ENOSPC' | 'ENOENT' | 'EPERM' | 'EEXIST';
export const ERRNOS: readonly Errno[] = ['EBUSY', 'EINVAL', 'ENOMEM', 'EINTR', 'EAGAIN', 'ENOSPC', 'ENOENT', 'EPERM', 'EEXIST'];

// ---------------------------------------------------------------- kernel behaviour switches
export interface Policies {
  isolation_granularity: 'pageblock' | 'max_order';
  isolate_migratetype: 'kept' | 'lost';
  contig_pcp: 'drain_once' | 'disable';
  contig_slab_shrink: 'off' | 'on';
  contig_retry: 'contig' | 'offline';
  freelist_hygiene: 'on' | 'off';
  fallback: 'claim_steal' | 'legacy';
  cma_alignment: 'pageblock' | 'max_order';
  online_policy: 'contig-zones' | 'auto-movable';
  auto_movable_ratio: number;
  /** memory_hotplug.auto_movable_numa_aware: auto-movable checks the ratio per node as well as system-wide (default on) */
  auto_movable_numa_aware: 'on' | 'off';
  movable_kernel_fallback: 'off' | 'harvest';
  vmemmap_accounting: 'online' | 'reserve';
  compaction_freelist: 'multi_order' | 'order0';
  page_reporting: 'reporting' | 'hinting';
  /** 0 = pageblock_order */
  page_reporting_order: number;
  offline_max_passes: number;
  offline_signal_after: number;
  /** where set_zone_contiguous runs on hotplug: inside move_pfn_range_to_zone (≤6.17) or around memory_block_online/offline (mm tree) */
  hotplug_contiguous: 'move_pfn_range' | 'memory_block';
  /** reserve_highatomic_pageblock cap: ALIGN(managed/100, pageblock) with a minimum (6.8+) or managed/100 + pageblock */
  highatomic_reserve: 'aligned' | 'legacy';
  /** what __zone_watermark_unusable_free subtracts: free highatomic pages (6.12.y+) or the whole reserve */
  highatomic_watermark: 'free' | 'reserved';
  /** how a gigantic hugetlb folio goes back: one __GFP_COMP folio through __free_pages_ok/split_large_buddy (6.12) or free_contig_range page by page (before) */
  gigantic_free: 'folio' | 'pages';
  /** where an nr_hugepages grow's new folios join the freelist: all at the end, oldest at the head (6.7+, prep_and_add_allocated_folios) or each as allocated (before: alloc_pool_huge_page → free_huge_page) */
  hugetlb_pool_enqueue: 'batch' | 'each';
  /** a compound page across an isolation boundary: PageHuge stepped over, others fail (6.10+), or migrated in isolate_single_pageblock (5.19–6.9) */
  isolate_straddle: 'skip_huge' | 'migrate';
  /** memmap_on_memory for an add of several memory blocks: an altmap per block (6.6+) or only for a single-block add (before) */
  memmap_on_memory_size: 'per_block' | 'single_block';
  /** memhp_default_state= (auto_online_blocks): how add_memory_resource onlines the blocks it adds; offline leaves them to user space */
  memhp_default_state: 'offline' | 'online' | 'online_kernel' | 'online_movable';
  /** who may dip into the reserves (gfp_to_alloc_flags): non-blocking requests, with ALLOC_HIGHATOMIC / the extra min/4 only for __GFP_HIGH (6.3+), or ALLOC_HARDER for __GFP_ATOMIC (before) */
  atomic_reserves: 'gfp_high' | 'gfp_atomic';
  /** CONFIG_LRU_GEN_ENABLED (/sys/kernel/mm/lru_gen/enabled): reclaim by MGLRU generations, which the simulator does not model (its results then say so), or the classic two-list LRU (modelled; mainline's default) */
  lru_gen: 'off' | 'on';
  /** compaction_suit_allocation_order: async costly requests without ALLOC_CMA also need the order-0 mark + compact_gap outside CMA (mainline by 6.15) or no such check (6.12) */
  compaction_cma_check: 'async_costly' | 'off';
}
export type PolicyName = keyof Policies;

export const KERNEL_PRESETS = ['5.10', '5.15', '5.18', '5.19', '6.1', '6.6', '6.9', '6.10', '6.12', '6.15', '6.17', 'latest'] as const;
export type KernelPreset = (typeof KERNEL_PRESETS)[number];

// ---------------------------------------------------------------- machine layout
export interface ZoneSpec { zone: ZoneName; start: number; end: number; loc: Loc }
export interface RangeSpec { start: number; end: number; loc: Loc }
/**
 * a memblock-reserved range; `uninitialised`: present, memmap not initialised (deferred struct page init);
 * `initmem`: freed to the buddy after the boot watermarks (free_initrd_mem, free_initmem)
 */
export interface ReservedSpec extends RangeSpec { uninitialised?: boolean; initmem?: boolean }
export interface HotplugSpec {
  start: number; end: number; state: 'offline' | 'absent';
  /** added before an imported capture: its memmap is among the captured pages, not allocated at boot */
  imported?: boolean;
  loc: Loc;
}
export interface NodeSpec {
  nid: number;
  zones: ZoneSpec[];
  reserved: ReservedSpec[];
  /** firmware holes inside zone spans: spanned but not present (no struct pages online) */
  holes?: RangeSpec[];
  hotplug: HotplugSpec[];
  loc: Loc;
}
export interface CmaSpec { name: string; start: number; end: number; orderPerBit: number; loc: Loc }
export interface HugetlbPoolSpec { /** pages per huge page: 512 (2M) or 262144 (1G) */ pages: number; count: number; nid: number | null; loc: Loc }
export interface VirtioMemSpec { name: string; nid: number; start: number; end: number; blockPages: number; loc: Loc }

export interface MachineSpec {
  pageblockOrder: number;        // 9
  maxPageOrder: number;          // 10
  memoryBlockPages: number;      // 32768 (128M)
  sectionPages: number;          // 32768 (128M)
  cpus: number;                  // 1
  memmapOnMemory: 'off' | 'on' | 'force';
  movableNode: boolean;
  /** CONFIG_CMA (default true): without it /proc/pagetypeinfo has no CMA type (MIGRATE_CMA is not defined) */
  configCma?: boolean;
  nodes: NodeSpec[];
  cma: CmaSpec[];
  hugetlb: HugetlbPoolSpec[];
  virtioMem: VirtioMemSpec[];
  /** `swap SIZE`: pages of swap space (0 = no swap, the default). Modelled as one synchronous swap device. */
  swapPages?: number;
}

// ---------------------------------------------------------------- operations
/** A reference to pages: a labelled earlier operation, or a pfn. */
export type Target = { kind: 'name'; name: string } | { kind: 'pfn'; pfn: number };
export interface ZoneRef { nid: number; zone: ZoneName }

/** Operations that describe the machine's starting state (population), not things the kernel does. */
export const POPULATION_OPS: ReadonlySet<string> = new Set(['page', 'folio', 'fill', 'pageblock', 'pageset']);

export type Operation =
  // population
  | { op: 'page'; start: number; end: number; kind: PageKind | 'pcp'; modifiers: PageModifier[]; /** for pcp */ cpu?: number }
  | { op: 'folio'; pfn: number; order: number; kind: PageKind; modifiers: PageModifier[] }
  | { op: 'fill'; zone: ZoneRef; percent: number; cls: FillClass; order: number; packed: boolean }
  /** set_pageblock_migratetype() + move_freepages_block(): the pageblock's type and its free blocks' lists */
  | { op: 'pageblock'; pfn: number; migratetype: PageblockType }
  /** a per-cpu pageset's pcp->high and pcp->batch as /proc/zoneinfo shows them (`cpu` null: every cpu) */
  | { op: 'pageset'; zone: ZoneRef; cpu: number | null; high: number; batch: number | null }
  // buddy / pcp
  | { op: 'alloc'; order: number; migratetype: 'movable' | 'unmovable' | 'reclaimable'; gfp: string[]; zone: ZoneRef | null; count: number }
  | { op: 'free'; target: Target; order: number | null }
  | { op: 'pin'; target: Target; longterm: boolean }
  | { op: 'unpin'; target: Target }
  | { op: 'slab_grow'; zone: ZoneRef; pages: number; reclaimable: boolean }
  | { op: 'slab_shrink'; zone: ZoneRef; percent: number }
  | { op: 'drain'; cpu: number | null; zone: ZoneRef | null }
  // isolation / contiguous allocation
  | { op: 'isolate'; start: number; end: number; mode: 'other' | 'cma' | 'offline' }
  | { op: 'unisolate'; start: number; end: number }
  | { op: 'alloc_contig_range'; start: number; end: number; cma: boolean; gfp: string[] }
  | { op: 'alloc_contig_pages'; pages: number; nid: number | null; zone: ZoneRef | null }
  | { op: 'cma_alloc'; area: string; pages: number; align: number }
  | { op: 'cma_release'; target: Target }
  // hotplug
  | { op: 'online'; block: number; type: 'online' | 'online_kernel' | 'online_movable' }
  | { op: 'offline'; block: number }
  | { op: 'add_memory'; start: number; end: number; nid: number }
  | { op: 'remove_memory'; start: number; end: number }
  | { op: 'eject'; start: number; end: number }
  // others
  | { op: 'hugetlb_resize'; pages: number; count: number; nid: number | null }
  /** write nr_overcommit_hugepages of the hstate (nr_overcommit_hugepages_store) */
  | { op: 'hugetlb_overcommit'; pages: number; count: number }
  /** mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB) of `count` huge pages and a fault on each */
  | { op: 'hugetlb_alloc'; pages: number; count: number }
  | { op: 'compact'; zone: ZoneRef; order: number }
  | { op: 'migrate'; target: Target; nid: number | null }
  | { op: 'report' }
  /** run kswapd for a node once (kswapd() -> balance_pgdat with the order/zone recorded by wakeup_kswapd) */
  | { op: 'kswapd'; nid: number }
  /** one pass of a node's kcompactd loop (kcompactd_do_work for a recorded request, else proactive compaction) */
  | { op: 'kcompactd'; nid: number }
  | { op: 'virtio_mem'; device: string; action: 'plug' | 'unplug'; pages: number }
  /** write a vm sysctl (name without `vm.`; src/sim/sysctl.ts): runs its proc handler */
  | { op: 'sysctl'; name: string; values: number[] };

// ---------------------------------------------------------------- expectations
export type Cmp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ZoneField =
  | 'start_pfn' | 'end_pfn' | 'spanned' | 'present' | 'managed' | 'free' | 'free_cma'
  | 'nr_isolate_pageblock' | 'contiguous' | 'cma_pages' | 'reported'
  | 'min' | 'low' | 'high' | 'promo' | 'nr_reserved_highatomic' | 'pcp_count' | 'pcp_high' | 'pcp_batch'
  | 'blocks_unmovable' | 'blocks_movable' | 'blocks_reclaimable' | 'blocks_highatomic' | 'blocks_cma' | 'blocks_isolate'
  | 'protection_dma' | 'protection_dma32' | 'protection_normal' | 'protection_movable' | 'protection_device';
export const ZONE_FIELDS: readonly ZoneField[] = [
  'start_pfn', 'end_pfn', 'spanned', 'present', 'managed', 'free', 'free_cma', 'nr_isolate_pageblock', 'contiguous', 'cma_pages', 'reported',
  'min', 'low', 'high', 'promo', 'nr_reserved_highatomic', 'pcp_count', 'pcp_high', 'pcp_batch',
  'blocks_unmovable', 'blocks_movable', 'blocks_reclaimable', 'blocks_highatomic', 'blocks_cma', 'blocks_isolate',
  'protection_dma', 'protection_dma32', 'protection_normal', 'protection_movable', 'protection_device',
];
export type PageStateName = 'free' | 'buddy' | 'pcp' | 'allocated' | 'offline' | 'vmemmap' | 'hugetlb' | PageKind;

export type Expectation =
  | { what: 'result'; name: string; ok: boolean; errno: Errno | null; pfn: number | null; reason: string | null }
  | { what: 'migrated'; name: string; cmp: Cmp; value: number }
  | { what: 'zone'; zone: ZoneRef; field: ZoneField; cmp: Cmp; value: number }
  | { what: 'pageblock'; pfn: number; migratetype: Migratetype; isolated: boolean }
  | { what: 'page'; pfn: number; state: PageStateName }
  | { what: 'block'; block: number; state: 'online' | 'offline' | 'absent'; zone: ZoneName | null }
  /** tolerance: each order's count may differ by `abs` blocks, or by `pct` percent of the expected count (`~ … within`) */
  | { what: 'buddyinfo'; zone: ZoneRef; counts: number[]; tolerance?: { abs: number } | { pct: number } }
  /** the sysfs valid_zones text of a memory block (valid_zones_show), matched exactly */
  | { what: 'valid_zones'; block: number; text: string }
  /** a /proc/vmstat event counter the simulator counts (src/sim/vmstat.ts), since the scenario began */
  | { what: 'vmstat'; counter: VmCounter; cmp: Cmp; value: number }
  | { what: 'freelist'; zone: ZoneRef; migratetype: Migratetype; order: number; cmp: Cmp; value: number }
  | { what: 'hugetlb'; pages: number; field: 'free' | 'total' | 'surplus'; cmp: Cmp; value: number }
  /** pages of [start, end) with one /proc/kpageflags flag (src/sim/kpageflags.ts) */
  | { what: 'kpageflags'; start: number; end: number; flag: KpfKind; cmp: Cmp; value: number };

// ---------------------------------------------------------------- steps
export interface OpStep { kind: 'op'; op: Operation; name: string | null; cpu: number; loc: Loc }
export interface InterleaveStep {
  kind: 'interleave';
  ops: OpStep[];
  /** phases to reach, in order: run cpu's operation up to and including `phase` */
  schedule: { cpu: number; phase: string; loc: Loc }[];
  loc: Loc;
}
export interface ExpectStep {
  kind: 'expect'; expect: Expectation; variants: string[]; loc: Loc;
  /** `always` / `sometimes`: over every schedule `explore` finds for the interleave before it (not set: this run's) */
  quantifier?: 'always' | 'sometimes';
}
export interface CheckpointStep { kind: 'checkpoint'; name: string; loc: Loc }
export type Step = OpStep | InterleaveStep | ExpectStep | CheckpointStep;

export interface Variant { name: string; kernel: KernelPreset | null; policies: Partial<Policies>; loc: Loc }

export interface Scenario {
  kernel: KernelPreset;
  policies: Partial<Policies>;      // overrides on top of the preset
  seed: number;
  machine: MachineSpec;
  variants: Variant[];
  steps: Step[];
}
