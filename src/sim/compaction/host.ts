// What compact_zone needs from the simulator core, as a narrow interface (the adapter lives in ./index.ts).
// Keeping the scanners behind it lets them be read against mm/compaction.c without the core's internals.
import type { Migration } from '../api.js';
import type { PageKind, PageModifier } from '../scenario.js';
import type { ZoneSnapshot } from '../zone.js';

/** What the scanners see at one pfn (they only ever look at struct page state). */
export type PageDesc =
  | { t: 'hole' }                        // no online struct page in this zone
  | { t: 'buddy'; order: number }        // PageBuddy (a free block's head)
  | { t: 'free'; end: number }           // refcount 0 but not a buddy head: pcp page, tail of a buddy
  | { t: 'folio'; head: number; order: number; kind: PageKind | null; mods: readonly PageModifier[]; hugetlb: boolean; end: number }
  | { t: 'other'; what: string };        // reserved, offline, vmemmap, …: not LRU, no movable_ops

// `end` (free and folio): every pfn in [pfn, end) looks the same to the scanners (the same run of allocated
// pages of one kind, order and modifiers; one pcp block; one free block). The scanners use it to step over a
// run where the kernel walks struct page by struct page without doing anything; pfn + 1 when unknown.

/** The zone's compaction memory across runs (struct zone's compact_* fields; Zone holds them). */
export interface CompactCache {
  /** compact_cached_migrate_pfn[0] (MIGRATE_ASYNC) and [1] (the sync modes) */
  compactCachedMigrateAsync: number;
  compactCachedMigrateSync: number;
  compactCachedFreePfn: number;
  compactInitMigratePfn: number;
  compactInitFreePfn: number;
  compactBlockskipFlush: boolean;
  /** deferral state compaction_restarting() reads */
  readonly compactOrderFailed: number;
  readonly compactDeferShift: number;
  readonly compactConsidered: number;
}

export type MigrateOutcome = { ok: true } | { ok: false; result: Migration['result']; reason: string };

export interface CompactionHost {
  readonly pageblockOrder: number;
  readonly nrOrders: number;
  /** `node N Zone`, for the result */
  readonly zoneName: string;
  readonly zoneStart: number;
  readonly zoneEnd: number;
  /** pageblock_pfn_to_page: both ends online and in this zone */
  blockValid(start: number, end: number): boolean;
  page(pfn: number): PageDesc;
  /** get_pageblock_migratetype (5 = ISOLATE when the block is isolated) */
  pageblockMt(pfn: number): number;
  /** NR_FREE_PAGES, marks and list counts, read now */
  counters(): ZoneSnapshot;
  /** __isolate_free_page: min watermark + 2^order (unless ISOLATE), unlink, order ≥ pageblock_order-1 → MOVABLE */
  isolateFreePage(pfn: number, order: number): boolean;
  /** release_free_list / compaction_free at the end: the isolated block is freed again (__free_pages) */
  releaseFreePage(pfn: number, order: number): void;
  /** migrate the folio at src onto the isolated free block dst (same order); on success src is freed */
  migrate(src: number, order: number, dst: number): MigrateOutcome;
  /** split_folio: the large folio at head becomes 2^order order-0 folios */
  split(head: number): boolean;
  /** the zone's cached pfns, init pfns and blockskip flush, read and written in place */
  readonly cache: CompactCache;
  /** get_pageblock_skip / set_pageblock_skip / clear_pageblock_skip of pfn's pageblock */
  getSkip(pfn: number): boolean;
  setSkip(pfn: number, on: boolean): void;
  /** free_area[order].free_list[mt]: first / last pfn (-1 empty), and a block's neighbours (-1 at the ends) */
  listFirst(order: number, mt: number): number;
  listLast(order: number, mt: number): number;
  listNext(pfn: number): number;
  listPrev(pfn: number): number;
  /** free_area[order].nr_free */
  nrFree(order: number): number;
  /** move_freelist_tail / move_freelist_head on the list of the free block headed at pfn */
  moveFreelistTail(pfn: number): void;
  moveFreelistHead(pfn: number): void;
  /** lru_add_drain_cpu_zone → drain_local_pages(zone): the local pcp lists go back to buddy */
  drainLocal(): void;
}
