// What the simulator returns: per-operation results and events, and state views.
// Consumed by the runner (expectations), the CLI (--json), the debug adapter and the inspector.
import type { Errno, Migratetype, ZoneName, PageKind, PageModifier } from './scenario.js';

export interface Migration {
  src: number;            // source pfn (head of the folio)
  dst: number | null;     // destination pfn, null when it failed
  order: number;
  result: 'ok' | 'EAGAIN' | 'ENOMEM' | 'EBUSY' | 'split';
  reason: string;         // e.g. "MR_CONTIG_RANGE", "MR_MEMORY_HOTPLUG", "pinned: refcount mismatch"
}

export type SimEvent =
  | { type: 'phase'; phase: string }
  | { type: 'migrate'; m: Migration }
  | { type: 'retype'; pfn: number; from: Migratetype; to: Migratetype; why: string }
  | { type: 'isolate'; pfn: number; ok: boolean; why?: string }
  | { type: 'unisolate'; pfn: number; to: Migratetype }
  | { type: 'split'; pfn: number; fromOrder: number; toOrder: number }
  | { type: 'merge'; pfn: number; order: number }
  | { type: 'pcp'; cpu: number; action: 'add' | 'drain' | 'refill'; pfn: number; order: number }
  | { type: 'zone'; zone: ZoneName; nid: number; what: string }
  | { type: 'note'; text: string; wake?: Wake };

/**
 * A daemon thread woken: wakeup_kswapd() (mm/vmscan.c) or wakeup_kcompactd() (mm/compaction.c). It only wakes the
 * thread, which runs when it gets the CPU (`runs`). The note's text is rendered from these facts (wake-notes.ts).
 */
export interface Wake {
  daemon: 'kswapd' | 'kcompactd';
  nid: number;
  /** the order recorded for it (pgdat->kswapd_order, or kcompactd_max_order) */
  order: number;
  /** kswapd's highest zone (pgdat->kswapd_highest_zoneidx); null for kcompactd */
  highestZone: ZoneName | null;
  runs: WakeRun;
  /** kcompactd woken by a vm.compaction_proactiveness write (compaction_proactiveness_sysctl_handler:
   *  pgdat->proactive_compact_trigger, wake_up_interruptible) for a proactive pass, not by wakeup_kcompactd: it
   *  requests no order (`order` is kcompactd_max_order as it stands) */
  proactive?: true;
}

/**
 * Where a woken daemon runs: with the next operation of its name (nothing in the operation yielded the CPU to it),
 * at the next cond_resched() of a loop that yields the CPU (`caller`, e.g. set_max_huge_pages), or at the
 * cond_resched() it was woken in, after the kswapd that woke it there.
 */
export type WakeRun =
  | { at: 'operation' }
  | { at: 'next_cond_resched'; caller: string }
  | { at: 'this_cond_resched'; after: 'kswapd' };

/**
 * The simulator itself failed on an operation (it threw: a bug in mmscn). This is not the kernel's answer,
 * so it has no errno and no expectation matches it; the runner stops the run and restores the state from
 * before the operation's step.
 */
export interface InternalError {
  message: string;
}

/** The outcome of one operation, in the kernel's own terms (or an internal error, see `internal`). */
/** The one result shape: what operations, hotplug steps and the kernel-function models answer. */
export interface SimResult {
  ok: boolean;
  /** null when ok, for a failure without an errno, and for an internal error */
  errno: Errno | null;
  /** first failing pfn, when the kernel would name one */
  pfn: number | null;
  /** the kernel's reason, in words a kernel developer recognises: "unmovable page (slab)" */
  reason: string | null;
}

/** A check whose failure's errno is its caller's (page isolation, hugetlb dissolving, cma_release). */
export type Verdict = Omit<SimResult, 'errno'>;

export interface OpResult extends SimResult {
  /** pages this operation now owns (alloc, alloc_contig_range, cma_alloc, hugetlb): head pfn + order or count */
  allocated: { pfn: number; pages: number }[];
  migrations: Migration[];
  events: SimEvent[];
  /** what __alloc_pages_slowpath did for the operation's last allocation that left the fast path (alloc, slab grow;
   *  else the last internal one: hugetlb pool growth, migration targets) */
  slowpath?: SlowpathSummary;
  /** the compact_zone runs of a `compact` or `kcompactd` operation, one per zone */
  compaction?: CompactScan[];
  /** alloc_contig_range (and its callers): pages of the range's clean page cache reclaimed
   *  (reclaim_clean_pages_from_list) and pages migrated out of the range */
  contig?: { reclaimed: number; migrated: number };
  /** set (with ok false, errno null) when the simulator failed: no kernel outcome exists for this operation */
  internal?: InternalError;
}

/**
 * An operation's result before Machine.run adds the events it recorded: what every operation handler, hotplug,
 * alloc_contig_range, CMA and compaction return. Build it with opOk / opErr.
 */
export type OpOutcome = Omit<OpResult, 'events'> & { events?: SimEvent[] };

export function opOk(extra?: Partial<OpOutcome>): OpOutcome {
  const out: OpOutcome = { ok: true, errno: null, pfn: null, reason: null, allocated: [], migrations: [] };
  return extra ? withOwn(out, extra) : out;
}
export function opErr(errno: Errno, reason: string, pfn: number | null = null, extra?: Partial<OpOutcome>): OpOutcome {
  const out: OpOutcome = { ok: false, errno, pfn, reason, allocated: [], migrations: [] };
  return extra ? withOwn(out, extra) : out;
}

/**
 * `{ ...out, ...extra }` into `out` (the same keys in the same order: a key already there keeps its place), without
 * the object spread: operation results come in many shapes, and the spread's inline cache then takes its slow
 * path (most of the time of an order-0 alloc/free pair through Machine.run went there).
 */
export function withOwn<T extends object>(out: T, extra: object): T {
  const o = out as Record<string, unknown>;
  const x = extra as Record<string, unknown>;
  for (const k in x) if (Object.prototype.hasOwnProperty.call(x, k)) o[k] = x[k];
  return out;
}

/**
 * One compact_zone run's scanners (src/sim/compaction/scanner.ts): where they started (the zone's cached pfns, or
 * the zone ends for a whole-zone run) and stopped, what the fast free-list searches found, the skip hints.
 */
export interface CompactScan {
  zone: string;
  result: string;
  /** cc->whole_zone at the end (a run from the cached pfns becomes whole-zone at compact_init_migrate_pfn) */
  wholeZone: boolean;
  ignoreSkipHint: boolean;
  migrateStart: number;
  freeStart: number;
  migrateEnd: number;
  freeEnd: number;
  /** fast_find_migrateblock: the pageblocks it sent the migrate scanner to */
  fastMigrate: number[];
  /** fast_isolate_freepages: the free blocks it isolated (the first 16) */
  fastFree: { pfn: number; order: number }[];
  /** pageblocks this run marked PB_migrate_skip (count, and the first 16) */
  skipSet: number;
  skipSetPfns: number[];
  /** pageblocks the scanners passed over because of a skip hint */
  skipHonoured: number;
  /** __reset_isolation_suitable ran first (compaction_restarting after the maximum deferral) */
  reset: boolean;
}

/** The slow path of one allocation, in words and numbers (src/sim/slowpath.ts SlowpathReport). */
export interface SlowpathSummary {
  /** the internal caller, when the allocation was not the operation's own (hugetlb pool growth, migration target) */
  caller?: string;
  kswapdWoken: number[];
  reclaimRuns: number;
  /** pages reclaimed per LRU list and from slab */
  reclaimed: { inactive_anon: number; active_anon: number; inactive_file: number; active_file: number; slab: number };
  compaction: { zone: string; priority: string; result: string; detail: string; scan?: CompactScan }[];
  retries: number;
  noProgressLoops: number;
  compactionRetries: number;
  oom: { invoked: boolean; reason: string } | null;
  gaveUp: string | null;
  text: string;
}

/** What a single page is, for hover and `expect page`. */
export interface PageInfo {
  pfn: number;
  nid: number | null;
  zone: ZoneName | null;
  block: number;                  // memory block id
  pageblock: number;              // pfn of the pageblock start
  migratetype: Migratetype | null;
  isolated: boolean;
  state: 'buddy' | 'pcp' | 'allocated' | 'offline' | 'absent' | 'vmemmap' | 'hugetlb_free' | 'hole';
  /** buddy or folio head and order, when the page is part of one */
  head: number | null;
  order: number | null;
  kind: PageKind | null;
  modifiers: PageModifier[];
  owner: string | null;           // operation label or "line N"
  cpu: number | null;             // PCP list it sits on
  lastMigration: Migration | null;
}

/** One populated zone, as Machine.zones() reports it (the /proc/zoneinfo + buddyinfo + pagetypeinfo numbers). */
export interface ZoneView {
  nid: number;
  zone: ZoneName;
  start_pfn: number;
  end_pfn: number;
  spanned: number;
  present: number;
  managed: number;
  /** NR_FREE_PAGES (isolated free pages excluded) */
  free: number;
  free_cma: number;
  nr_isolate_pageblock: number;
  contiguous: boolean;
  cma_pages: number;
  /** pages in free blocks marked PageReported */
  reported: number;
  /** free_area[order].nr_free, orders 0..MAX_PAGE_ORDER */
  buddyinfo: number[];
  /** freeCounts[migratetype][order]: blocks on each free list, migratetype index in kernel order (MIGRATETYPE_NAMES) */
  freeCounts: number[][];
  /** pageblocks per get_pageblock_migratetype (isolated blocks count as isolate) */
  pageblockCounts: Record<Migratetype, number>;
  watermarks: { min: number; low: number; high: number; promo: number };
  lowmem_reserve: number[];
  nr_reserved_highatomic: number;
  /** per cpu: pcp count/high/batch */
  pcp: { cpu: number; count: number; high: number; batch: number; high_min: number; high_max: number }[];
}

/** A memory block (/sys/devices/system/memory/memoryN). */
export interface BlockView {
  id: number;
  start: number;
  pages: number;
  state: 'online' | 'offline' | 'absent';
  /** the zone when online and in a single zone, else null ("none") */
  zone: ZoneName | null;
  nid: number | null;
  /** valid_zones as sysfs prints it: the zone, "none", or candidates (default first) */
  valid_zones: string[];
}
