// struct compact_control (mm/internal.h) and the scanners that work on it (mm/compaction.c): the migrate
// scanner (isolate_migratepages / isolate_migratepages_block), the free scanner (isolate_freepages),
// compaction_alloc / compaction_free, and migrate_pages onto the isolated targets. compactZone (scanner.ts)
// drives one compact_zone run with it.
import type { Migration, SimEvent } from '../api.js';
import type { CompactResult } from './constants.js';
import { CompactionFreepages, type FreeBlock, type FreelistMode } from './freepages.js';
import type { CompactionHost, PageDesc } from './host.js';
import { suitablePageFree } from './suitable.js';
import { fragmentationScoreZone } from './fragindex.js';
import { CMA as MT_CMA, MOVABLE as MT_MOVABLE, COMPACT_CLUSTER_MAX } from '../consts.js';
import { fastFindMigrateblock, fastIsolateFreepages, type FastControl } from './fast.js';
import { resetCachedPositions } from './skip.js';
import { pow2 } from '../pfn.js';

export interface CompactParams {
  order: number;
  freelist: FreelistMode;
  /** cc->migratetype (gfp_migratetype of the request) */
  migratetype?: number;
  /**
   * cc->mode: 'async' (COMPACT_PRIO_ASYNC), 'sync_light' (the other direct priorities, kcompactd, proactive) or
   * 'sync' (compact_memory). Default: 'sync' for order < 0 without `proactive`, else 'sync_light'.
   */
  mode?: 'async' | 'sync_light' | 'sync';
  /** cc->direct_compaction (compact_zone_order) */
  direct?: boolean;
  /** cc->whole_zone: start at the zone ends, not at the cached pfns (COMPACT_PRIO_SYNC_FULL, compact_node) */
  wholeZone?: boolean;
  /** cc->ignore_skip_hint (COMPACT_PRIO_SYNC_FULL, compact_node) */
  ignoreSkipHint?: boolean;
  /** cc->ignore_block_suitable: any pageblock type is a migration target (COMPACT_PRIO_SYNC_FULL) */
  ignoreBlockSuitable?: boolean;
  /**
   * proactive compaction (compact_node(pgdat, true): order -1, MIGRATE_SYNC_LIGHT): __compact_finished stops with
   * COMPACT_SUCCESS once fragmentation_score_zone <= fragmentation_score_wmark(low)
   */
  proactive?: { wmarkLow: number };
  /** vm.extfrag_threshold (default EXTFRAG_THRESHOLD) */
  extfragThreshold?: number;
  /** cc->highest_zoneidx: the request's highest zone (its lowmem_reserve enters compaction_suit_allocation_order) */
  highestZoneidx?: number;
  /** policy compaction_cma_check: whether compaction_suit_allocation_order has the async non-CMA check (absent: off) */
  cmaCheck?: 'async_costly' | 'off';
}

const UNMOVABLE_KINDS = new Set(['slab', 'pagetable', 'kernel', 'vmalloc', 'reserved', 'offline', 'hwpoison']);

/** block_end_pfn(pfn, order): the end of the 2^order-aligned block holding pfn (unit = 2^order) */
function blockEndPfn(pfn: number, unit: number): number {
  return pfn - (pfn % unit) + unit;
}

/** a folio on cc->migratepages */
export interface Folio { head: number; order: number }

export class CompactControl implements FastControl {
  readonly events: SimEvent[] = [];
  readonly migrations: Migration[] = [];
  /** cc->order */
  readonly order: number;
  /** cc->migratetype */
  readonly mt: number;
  /** order < 0: compact_memory / compact_node (no suitability check, no early finish) */
  readonly viaCompactMemory: boolean;
  /** cc->mode == MIGRATE_SYNC (compact_memory) */
  readonly sync: boolean;
  /** cc->mode == MIGRATE_ASYNC */
  readonly async: boolean;
  readonly direct: boolean;
  wholeZone: boolean;
  readonly ignoreSkipHint: boolean;
  readonly ignoreBlockSuitable: boolean;
  /** pageblock_nr_pages */
  readonly pb: number;
  /** cc->migrate_pfn: the migrate scanner, going up */
  migratePfn: number;
  /** cc->free_pfn: the free scanner, going down */
  freePfn: number;
  /** cc->nr_migratepages */
  nrMigratepages = 0;
  /** compact_zone's last_migrated_pfn */
  lastMigratedPfn = 0;
  /** cc->finish_pageblock */
  finishPageblock = false;
  /** cc->search_order, cc->fast_search_fail, cc->fast_start_pfn */
  searchOrder: number;
  fastSearchFail = 0;
  fastStartPfn = 0;
  /** cc->freepages */
  readonly pool: CompactionFreepages;
  /** what the fast searches found: pageblocks fast_find_migrateblock chose, blocks fast_isolate_freepages took */
  readonly fastMigrate: number[] = [];
  readonly fastFree: { pfn: number; order: number }[] = [];
  /** pageblocks this run marked PB_migrate_skip, and blocks it passed over for a skip hint */
  readonly skipSet: number[] = [];
  skipHonoured = 0;
  /** pages the migrate scanner refused, by reason (the first 8 of each) */
  readonly skipped = new Map<string, number[]>();
  /**
   * cc->total_migrate_scanned and cc->total_free_scanned (compact_zone adds them to COMPACTMIGRATE_SCANNED /
   * COMPACTFREE_SCANNED), and the pages counted in COMPACTISOLATED by isolate_migratepages_block,
   * isolate_freepages_block and fast_isolate_freepages during this run
   */
  totalMigrateScanned = 0;
  totalFreeScanned = 0;
  totalIsolated = 0;
  /** the pages the last isolate_freepages_block call isolated (its return value) */
  lastFreeIsolated = 0;

  constructor(readonly h: CompactionHost, readonly p: CompactParams) {
    this.order = p.order;
    this.searchOrder = p.order; // compact_zone_order / kcompactd_do_work: .search_order = order
    this.mt = p.migratetype ?? MT_MOVABLE;
    this.viaCompactMemory = p.order < 0;
    const mode = p.mode ?? (this.viaCompactMemory && !p.proactive ? 'sync' : 'sync_light');
    this.sync = mode === 'sync';
    this.async = mode === 'async';
    this.direct = p.direct ?? false;
    this.wholeZone = p.wholeZone ?? false;
    this.ignoreSkipHint = p.ignoreSkipHint ?? false;
    this.ignoreBlockSuitable = p.ignoreBlockSuitable ?? false;
    this.pb = pow2(h.pageblockOrder);
    this.migratePfn = h.zoneStart;
    this.freePfn = this.pbStart(h.zoneEnd - 1);
    this.pool = new CompactionFreepages(p.freelist, h.nrOrders);
  }

  /** isolation_suitable(): not marked skip, or the run ignores skip hints */
  isolationSuitable(pfn: number): boolean {
    return this.ignoreSkipHint || !this.h.getSkip(pfn);
  }
  /** set_pageblock_skip(), remembering the blocks this run marked */
  markSkip(pfn: number): void {
    if (this.h.getSkip(pfn)) return;
    this.h.setSkip(pfn, true);
    this.skipSet.push(this.pbStart(pfn));
  }
  /** test_and_set_skip(): true when the block was already marked; sets it unless skip hints are ignored */
  testAndSetSkip(pfn: number): boolean {
    if (this.ignoreSkipHint) return false;
    const skip = this.h.getSkip(pfn);
    if (!skip) this.markSkip(pfn);
    return skip;
  }
  /** update_cached_migrate(): where async and sync compaction restart (pageblock_end_pfn(pfn)) */
  updateCachedMigrate(pfn: number): void {
    const z = this.h.cache;
    pfn = this.pbEnd(pfn);
    if (pfn > z.compactCachedMigrateAsync) z.compactCachedMigrateAsync = pfn;
    if (!this.async && pfn > z.compactCachedMigrateSync) z.compactCachedMigrateSync = pfn;
  }
  /** update_pageblock_skip(): a target block that gave nothing; the cached free pfn goes below it */
  updatePageblockSkip(blockPfn: number, pfn: number): void {
    this.markSkip(blockPfn);
    // (below a zone at pfn 0 the kernel's unsigned pfn wraps to a huge value: no update)
    if (pfn >= 0 && pfn < this.h.cache.compactCachedFreePfn) this.h.cache.compactCachedFreePfn = pfn;
  }

  note(text: string): void {
    this.events.push({ type: 'note', text });
  }
  pbStart(pfn: number): number {
    return pfn - (pfn % this.pb);
  }
  pbEnd(pfn: number): number {
    return this.pbStart(pfn) + this.pb;
  }
  skip(why: string, pfn: number): void {
    const l = this.skipped.get(why) ?? [];
    if (l.length < 8) l.push(pfn);
    this.skipped.set(why, l);
  }

  scannersMet(): boolean {
    return Math.floor(this.freePfn / this.pb) <= Math.floor(this.migratePfn / this.pb);
  }

  // __compact_finished (+ compact_finished mapping NO_SUITABLE_PAGE to CONTINUE)
  compactFinished(): CompactResult {
    if (this.scannersMet()) {
      // let the next compaction start anew; kswapd clears the skip hints when it goes to sleep after a direct one
      resetCachedPositions(this.h);
      if (this.direct) this.h.cache.compactBlockskipFlush = true;
      return this.wholeZone ? 'COMPACT_COMPLETE' : 'COMPACT_PARTIAL_SKIPPED';
    }
    // proactive: kswapd_is_running() never holds here (kswapd runs only as its own operation)
    if (this.p.proactive) return fragmentationScoreZone(this.h.counters().nrFree) <= this.p.proactive.wmarkLow ? 'COMPACT_SUCCESS' : 'COMPACT_CONTINUE';
    if (this.viaCompactMemory || this.migratePfn % this.pb !== 0) return 'COMPACT_CONTINUE';
    return suitablePageFree(this.h.counters().lists, this.p.order, this.mt, this.h.pageblockOrder) ? 'COMPACT_SUCCESS' : 'COMPACT_CONTINUE';
  }

  // skip_isolation_on_order (6.9+); before 6.9 every compound page was skipped unless alloc_contig
  skipOnOrder(order: number): boolean {
    return this.p.freelist === 'order0' || (!this.viaCompactMemory && order >= this.p.order) || order >= this.h.pageblockOrder;
  }

  // why isolate_migratepages_block would not isolate this folio, or null
  refuse(d: Extract<PageDesc, { t: 'folio' }>): string | null {
    if (d.hugetlb) return 'hugetlb folio (only alloc_contig isolates hugetlb)';
    if (d.order > 0 && this.skipOnOrder(d.order)) {
      return this.p.freelist === 'order0' ? 'compound page: compaction before 6.9 skips large folios' : `order-${d.order} folio: skip_isolation_on_order`;
    }
    if (d.kind === 'movable_ops') return null;
    if (d.kind === null || UNMOVABLE_KINDS.has(d.kind)) return `not LRU and no movable_ops (${d.kind ?? 'kernel'})`;
    const anon = d.kind === 'anon' || d.kind === 'thp';
    if (anon && (d.mods.includes('pinned') || d.mods.includes('longterm'))) return 'pinned anon page (refcount - 1 > mapcount)';
    if (!this.sync && d.mods.includes('writeback')) return 'writeback (ISOLATE_ASYNC_MIGRATE)';
    return null;
  }

  // isolate_migratepages_block(cc, low_pfn, end_pfn): fills `list` (list_add: newest first).
  // The kernel looks at every struct page; where it does nothing for a whole run (free pages, tails, a run of
  // pages it refuses for the same reason) the loop steps over the run at once (desc.end), so a block costs its
  // extents and free blocks, not its pages.
  isolateMigratepagesBlock(low: number, end: number, list: Folio[]): void {
    let isolated = 0;
    this.migratePfn = low;
    // valid_page: the block's first page, checked once against the skip hint (a restart inside the block after
    // COMPACT_CLUSTER_MAX has none, so it neither checks nor sets the hint)
    let validPage = -1, skipUpdated = false, aborted = false;
    // nr_scanned: one per pfn the loop visits, plus the pages it steps over (a buddy's, a compound page's, an
    // isolated folio's), so low - start where the loop ends, less the pages skip_on_failure jumped over; a buddy may
    // carry it past the block end (the clamp below does not undo the count)
    const start = low;
    let scanned = -1, unscanned = 0;
    // async direct compaction: skip_on_failure. The first page of a cc->order-aligned block that cannot be isolated
    // puts back what the block gave and moves on to the next such block; a block that gave pages ends the call.
    const skipOnFailure = this.direct && this.async && this.order > 0;
    const unit = pow2(Math.max(this.order, 0));
    let nextSkip = skipOnFailure ? blockEndPfn(low, unit) : 0;
    // isolate_fail with skip_on_failure: `at` is where the kernel's low_pfn stands after its own step (a compound
    // page it skipped by order ends there)
    const fail = (at: number): void => {
      low = at;
      if (isolated) {
        // putback_movable_pages(&cc->migratepages): the pages isolated in this order-aligned block go back
        list.length = 0;
        this.nrMigratepages = 0;
        isolated = 0;
      }
      if (low < nextSkip) {
        unscanned += nextSkip - 1 - low;
        low = nextSkip - 1;
        nextSkip += unit;
      }
    };
    if (low % this.pb === 0 || low === this.h.zoneStart) {
      // the first page was counted (nr_scanned++) before isolation_suitable aborted the block
      if (!this.isolationSuitable(low)) { low = end; aborted = true; scanned = 1; } else validPage = low;
    }
    for (; !aborted && low < end; low++) {
      if (skipOnFailure && low >= nextSkip) {
        if (isolated) break; // the previous order-aligned block gave its pages: migrate them now
        nextSkip = blockEndPfn(low, unit);
      }
      const d = this.h.page(low);
      if (d.t === 'buddy') { low += pow2(d.order) - 1; continue; } // PageBuddy: low_pfn += (1 << buddy_order) - 1
      if (d.t !== 'folio' || d.head !== low) {
        // pcp pages, tails of free blocks and of folios, holes and other non-LRU pages: !PageLRU (or no folio
        // reference for a tail) → isolate_fail, which only skip_on_failure acts on
        if (skipOnFailure) {
          if (low < nextSkip) this.skip(`${d.t === 'free' ? 'pcp page or free tail' : d.t === 'folio' ? 'tail page' : 'non-LRU page'}: skip_on_failure abandons its order-${this.order} block`, low);
          fail(low);
          continue;
        }
        if (d.t === 'free') low = Math.min(d.end, end) - 1; // the whole pcp block / free tail at once
        else if (d.t === 'folio') low = Math.min(d.head + pow2(d.order), end) - 1; // tail pages
        continue;
      }
      const why = this.refuse(d);
      if (why) {
        if (skipOnFailure) {
          this.skip(why, low);
          // a compound page skipped by its order (or a hugetlb one) is stepped over before isolate_fail
          const stepped = d.order > 0 && d.order < this.h.nrOrders && (d.hugetlb || this.skipOnOrder(d.order));
          fail(stepped ? low + pow2(d.order) - 1 : low);
          continue;
        }
        // every unit of the run is refused for the same reason: note the heads as the per-page loop would
        const stop = Math.min(d.end, end);
        for (let u = low; u < stop && (this.skipped.get(why)?.length ?? 0) < 8; u += pow2(d.order)) this.skip(why, u);
        low = Math.max(low + pow2(d.order), stop) - 1;
        continue;
      }
      // an LRU folio: the first lru_lock taken with valid_page does test_and_set_skip (the block is claimed, so
      // other compactions skip it); already marked and not finishing the block → abort the block
      if (d.kind !== 'movable_ops' && !skipUpdated && validPage >= 0) {
        skipUpdated = true;
        if (this.testAndSetSkip(validPage) && !this.finishPageblock) { scanned = low - start + 1 - unscanned; low = end; break; }
      }
      list.unshift({ head: low, order: d.order });
      this.nrMigratepages += pow2(d.order);
      isolated += pow2(d.order);
      low += pow2(d.order) - 1;
      if (this.nrMigratepages >= COMPACT_CLUSTER_MAX && !this.finishPageblock) { low++; break; }
    }
    if (scanned < 0) scanned = low - start - unscanned;
    this.totalMigrateScanned += scanned; // isolate_migratepages_block: cc->total_migrate_scanned += nr_scanned
    this.totalIsolated += isolated; // count_compact_events(COMPACTISOLATED, nr_isolated)
    if (low > end) low = end; // a PageBuddy step can overshoot the range
    this.migratePfn = low;
    // the block is done: mark it skip if it gave nothing (or was rescanned to its end) and move the cached pfn
    if (low === end && (!isolated || this.finishPageblock)) {
      if (validPage >= 0 && !skipUpdated) this.markSkip(validPage);
      this.updateCachedMigrate(low);
    }
  }

  // suitable_migration_source(): no persistent compound page; async direct compaction only migrates from blocks of
  // the request's type (MOVABLE or CMA for a movable request)
  suitableMigrationSource(blockStart: number): boolean {
    const first = this.h.page(blockStart); // pageblock_skip_persistent: an order >= pageblock_order compound page
    if (first.t === 'folio' && first.order >= this.h.pageblockOrder) { this.skip('pageblock_skip_persistent (order >= pageblock_order folio)', blockStart); return false; }
    if (!this.async || !this.direct) return true;
    const bmt = this.h.pageblockMt(blockStart);
    return this.mt === MT_MOVABLE ? bmt === MT_MOVABLE || bmt === MT_CMA : bmt === this.mt;
  }

  // isolate_migratepages: fast_find_migrateblock, then the next suitable source block below the free scanner
  isolateMigratepages(list: Folio[]): boolean {
    let low = fastFindMigrateblock(this);
    let blockStart = Math.max(this.pbStart(low), this.h.zoneStart);
    // the fast search already checked the skip hint of the block it found
    let fastFindBlock = low !== this.migratePfn && !this.fastSearchFail;
    for (let blockEnd = this.pbEnd(low); blockEnd <= this.freePfn; fastFindBlock = false, this.migratePfn = low = blockEnd, blockStart = blockEnd, blockEnd += this.pb) {
      if (!this.h.blockValid(blockStart, Math.min(blockEnd, this.h.zoneEnd))) continue;
      if ((low % this.pb === 0 || low === this.h.zoneStart) && !fastFindBlock && !this.isolationSuitable(blockStart)) { this.skipHonoured++; continue; }
      if (!this.suitableMigrationSource(blockStart)) { this.updateCachedMigrate(blockEnd); continue; }
      this.isolateMigratepagesBlock(low, blockEnd, list);
      break;
    }
    return this.nrMigratepages > 0;
  }

  // suitable_migration_target: no large free page at the block start; MOVABLE or CMA (any type with
  // ignore_block_suitable)
  suitableMigrationTarget(blockStart: number): boolean {
    const d = this.h.page(blockStart);
    if (d.t === 'buddy' && d.order >= (this.p.order > 0 ? this.p.order : this.h.pageblockOrder)) return false;
    if (this.ignoreBlockSuitable) return true;
    const bmt = this.h.pageblockMt(blockStart);
    return bmt === MT_MOVABLE || bmt === MT_CMA;
  }

  // isolate_freepages_block(cc, &start, end, freelist, stride, strict false): the pfn it stopped at
  isolateFreepagesBlock(start: number, blockEnd: number, stride = 1): number {
    if (stride > 1) return this.isolateFreepagesStride(start, blockEnd, stride);
    let pfn = start;
    // nr_scanned: one per pfn visited plus the pages stepped over (compound pages, isolated buddies): pfn - start
    // where the loop ends, and one more for a buddy __isolate_free_page refused (counted, not passed)
    let failed = 0, isolated = 0;
    for (; pfn < blockEnd; pfn++) {
      const d = this.h.page(pfn);
      // not PageBuddy: nothing happens until the next free block, so step over the run (folio, allocated run,
      // pcp block) at once; the kernel skips compound pages by order and walks the rest page by page
      if (d.t !== 'buddy') { if (d.t === 'free' || d.t === 'folio') pfn = Math.max(pfn + 1, Math.min(d.end, blockEnd)) - 1; continue; }
      if (!this.h.isolateFreePage(pfn, d.order)) { failed = 1; break; }
      this.pool.add({ pfn, order: d.order });
      isolated += pow2(d.order);
      if (this.pool.nrFreepages >= this.nrMigratepages) { pfn += pow2(d.order); break; }
      pfn += pow2(d.order) - 1;
    }
    this.totalFreeScanned += pfn - start + failed; // cc->total_free_scanned += nr_scanned
    this.totalIsolated += isolated; // count_compact_events(COMPACTISOLATED, total_isolated)
    this.lastFreeIsolated = isolated;
    return Math.min(pfn, blockEnd);
  }

  // The same loop in MIGRATE_ASYNC, looking at every stride-th pfn only (blockpfn += stride): a free block is
  // found only where a visit lands on its head, a compound page is stepped over only from its head, and after an
  // isolated block the visits go on from its last page (blockpfn += isolated - 1, then the stride).
  private isolateFreepagesStride(start: number, blockEnd: number, stride: number): number {
    let pfn = start, scanned = 0, isolated = 0;
    for (; pfn < blockEnd; pfn += stride) {
      scanned++;
      const d = this.h.page(pfn);
      if (d.t === 'buddy') {
        if (!this.h.isolateFreePage(pfn, d.order)) break;
        this.pool.add({ pfn, order: d.order });
        isolated += pow2(d.order);
        scanned += pow2(d.order) - 1;
        if (this.pool.nrFreepages >= this.nrMigratepages) { pfn += pow2(d.order); break; }
        pfn += pow2(d.order) - 1;
        continue;
      }
      if (d.t === 'folio' && d.head === pfn && d.order > 0) {
        // PageCompound: skipped at once when it ends inside the block (compound_order() is 0 on a tail page)
        if (d.order < this.h.nrOrders && pfn + pow2(d.order) <= blockEnd) { pfn += pow2(d.order) - 1; scanned += pow2(d.order) - 1; }
        continue;
      }
      // a run where every visit fails alike (pcp pages, free tails, order-0 folios, one folio's tails): count the
      // visits that land in it and go to the last of them
      const runEnd = d.t === 'free' ? d.end : d.t === 'folio' ? (d.order > 0 ? d.head + pow2(d.order) : d.end) : pfn + 1;
      const k = Math.floor((Math.min(runEnd, blockEnd) - 1 - pfn) / stride);
      if (k > 0) { scanned += k; pfn += k * stride; }
    }
    if (pfn > blockEnd) pfn = blockEnd; // be careful not to go outside of the pageblock
    this.totalFreeScanned += scanned;
    this.totalIsolated += isolated;
    this.lastFreeIsolated = isolated;
    return pfn;
  }

  // isolate_freepages: fast_isolate_freepages first; the linear scan (every stride-th pfn: COMPACT_CLUSTER_MAX
  // apart in MIGRATE_ASYNC, 1 after a block that gave pages, doubled after one that gave none; 1 in the sync
  // modes) only when it isolated nothing (with crumbs left in the pool (6.9+) no scan happens and a large folio
  // gets NULL)
  isolateFreepages(): void {
    fastIsolateFreepages(this);
    if (this.pool.nrFreepages > 0) { this.splitMapPages(); return; }
    let isolateStart = this.freePfn;
    let blockStart = this.pbStart(isolateStart);
    let blockEnd = Math.min(blockStart + this.pb, this.h.zoneEnd);
    const lowPfn = this.pbEnd(this.migratePfn);
    let stride = this.async ? COMPACT_CLUSTER_MAX : 1;
    for (; blockStart >= lowPfn; blockEnd = blockStart, blockStart -= this.pb, isolateStart = blockStart) {
      if (!this.h.blockValid(blockStart, blockEnd) || !this.suitableMigrationTarget(blockStart)) continue;
      if (!this.isolationSuitable(blockStart)) { this.skipHonoured++; continue; }
      isolateStart = this.isolateFreepagesBlock(isolateStart, blockEnd, stride);
      // update the skip hint if the full pageblock was scanned
      if (isolateStart === blockEnd) this.updatePageblockSkip(blockStart, blockStart - this.pb);
      if (this.pool.nrFreepages >= this.nrMigratepages) {
        if (isolateStart >= blockEnd) isolateStart = blockStart - this.pb;
        break;
      } else if (isolateStart < blockEnd) break;
      // adjust the stride depending on isolation
      stride = this.lastFreeIsolated ? 1 : Math.min(COMPACT_CLUSTER_MAX, stride * 2);
    }
    this.freePfn = isolateStart;
    this.splitMapPages();
  }

  private splitMapPages(): void {
    for (const b of this.pool.splitMapPages()) this.events.push({ type: 'split', pfn: b.pfn, fromOrder: b.order, toOrder: 0 });
  }

  // compaction_alloc: the pool, refilled by isolate_freepages once
  compactionAlloc(order: number): FreeBlock | null {
    const splits: { pfn: number; fromOrder: number; toOrder: number }[] = [];
    let b = this.pool.take(order, splits);
    if (!b && !(this.p.freelist === 'order0' && order > 0)) {
      this.isolateFreepages();
      b = this.pool.take(order, splits);
    }
    for (const s of splits) this.events.push({ type: 'split', ...s });
    if (b && this.p.freelist === 'multi_order') this.nrMigratepages -= pow2(order);
    return b;
  }

  // migrate_pages(&cc->migratepages, compaction_alloc, compaction_free, MR_COMPACTION): >0 failed, -1 ENOMEM
  migratePages(list: Folio[]): number {
    let failed = 0;
    const split: Folio[] = [];
    const one = (f: Folio, pass: string): 'ok' | 'fail' | 'enomem' => {
      const dst = this.compactionAlloc(f.order);
      if (!dst) {
        if (f.order > 0 && this.h.split(f.head)) {
          this.migrations.push({ src: f.head, dst: null, order: f.order, result: 'split', reason: `MR_COMPACTION: compaction_alloc has no order-${f.order} target: split, pieces migrated async` });
          this.events.push({ type: 'split', pfn: f.head, fromOrder: f.order, toOrder: 0 });
          for (let i = 0; i < pow2(f.order); i++) split.push({ head: f.head + i, order: 0 });
          return 'fail';
        }
        this.migrations.push({ src: f.head, dst: null, order: f.order, result: 'ENOMEM', reason: `MR_COMPACTION${pass}: no free target (compaction_alloc returned NULL)` });
        return 'enomem';
      }
      const r = this.h.migrate(f.head, f.order, dst.pfn);
      if (r.ok) {
        this.migrations.push({ src: f.head, dst: dst.pfn, order: f.order, result: 'ok', reason: `MR_COMPACTION${pass}` });
        return 'ok';
      }
      this.pool.giveBack(dst); // compaction_free
      this.migrations.push({ src: f.head, dst: null, order: f.order, result: r.result, reason: `MR_COMPACTION${pass}: ${r.reason}` });
      return 'fail';
    };
    for (const f of list) {
      const r = one(f, '');
      if (r === 'enomem') return -1;
      if (r === 'fail') failed++;
    }
    for (const f of split) if (one(f, ' (split piece, MIGRATE_ASYNC)') === 'enomem') return -1;
    return failed;
  }
}
