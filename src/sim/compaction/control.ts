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

export interface CompactParams {
  order: number;
  freelist: FreelistMode;
  /** cc->migratetype (gfp_migratetype of the request) */
  migratetype?: number;
  /** direct compaction at COMPACT_PRIO_ASYNC (MIGRATE_ASYNC): suitable_migration_source limits source blocks */
  async?: boolean;
  /**
   * proactive compaction (compact_node(pgdat, true): order -1, MIGRATE_SYNC_LIGHT): __compact_finished stops with
   * COMPACT_SUCCESS once fragmentation_score_zone <= fragmentation_score_wmark(low)
   */
  proactive?: { wmarkLow: number };
  /** vm.extfrag_threshold (default EXTFRAG_THRESHOLD) */
  extfragThreshold?: number;
}

const UNMOVABLE_KINDS = new Set(['slab', 'pagetable', 'kernel', 'vmalloc', 'reserved', 'offline', 'hwpoison']);

/** a folio on cc->migratepages */
export interface Folio { head: number; order: number }

export class CompactControl {
  readonly events: SimEvent[] = [];
  readonly migrations: Migration[] = [];
  /** cc->migratetype */
  readonly mt: number;
  /** order < 0: compact_memory (MIGRATE_SYNC, no suitability check, no early finish) */
  readonly viaCompactMemory: boolean;
  /** MIGRATE_SYNC (compact_memory); otherwise SYNC_LIGHT (ISOLATE_ASYNC_MIGRATE) */
  readonly sync: boolean;
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
  /** cc->freepages */
  readonly pool: CompactionFreepages;
  /** the pageblock skip hints, fresh for this run */
  readonly skipHint = new Set<number>();
  /** pages the migrate scanner refused, by reason (the first 8 of each) */
  readonly skipped = new Map<string, number[]>();

  constructor(readonly h: CompactionHost, readonly p: CompactParams) {
    this.mt = p.migratetype ?? MT_MOVABLE;
    this.viaCompactMemory = p.order < 0;
    this.sync = this.viaCompactMemory && !p.proactive;
    this.pb = 2 ** h.pageblockOrder;
    this.migratePfn = h.zoneStart;
    this.freePfn = this.pbStart(h.zoneEnd - 1);
    this.pool = new CompactionFreepages(p.freelist, h.nrOrders);
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
    if (this.scannersMet()) return 'COMPACT_COMPLETE';
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
    for (; low < end; low++) {
      const d = this.h.page(low);
      if (d.t === 'buddy') { low += 2 ** d.order - 1; continue; } // PageBuddy: low_pfn += (1 << buddy_order) - 1
      if (d.t === 'free') { low = Math.min(d.end, end) - 1; continue; } // pcp pages, tails of free blocks
      if (d.t !== 'folio') continue; // holes and other non-LRU pages
      if (d.head !== low) { low = Math.min(d.head + 2 ** d.order, end) - 1; continue; } // tail pages
      const why = this.refuse(d);
      if (why) {
        // every unit of the run is refused for the same reason: note the heads as the per-page loop would
        const stop = Math.min(d.end, end);
        for (let u = low; u < stop && (this.skipped.get(why)?.length ?? 0) < 8; u += 2 ** d.order) this.skip(why, u);
        low = Math.max(low + 2 ** d.order, stop) - 1;
        continue;
      }
      list.unshift({ head: low, order: d.order });
      this.nrMigratepages += 2 ** d.order;
      isolated += 2 ** d.order;
      low += 2 ** d.order - 1;
      if (this.nrMigratepages >= COMPACT_CLUSTER_MAX && !this.finishPageblock) { low++; break; }
    }
    this.migratePfn = low;
    if (low === end && (!isolated || this.finishPageblock)) this.skipHint.add(this.pbStart(low - 1));
  }

  // isolate_migratepages: the next suitable source block below the free scanner
  isolateMigratepages(list: Folio[]): boolean {
    let low = this.migratePfn;
    let blockStart = Math.max(this.pbStart(low), this.h.zoneStart);
    for (let blockEnd = this.pbEnd(low); blockEnd <= this.freePfn; this.migratePfn = low = blockEnd, blockStart = blockEnd, blockEnd += this.pb) {
      if (!this.h.blockValid(blockStart, Math.min(blockEnd, this.h.zoneEnd))) continue;
      if ((low % this.pb === 0 || low === this.h.zoneStart) && !this.sync && this.skipHint.has(blockStart)) continue;
      // suitable_migration_source(): async direct compaction only migrates from blocks of the request's type
      // (MOVABLE or CMA for a movable request)
      if (this.p.async) {
        const bmt = this.h.pageblockMt(blockStart);
        if (this.mt === MT_MOVABLE ? bmt !== MT_MOVABLE && bmt !== MT_CMA : bmt !== this.mt) continue;
      }
      const first = this.h.page(blockStart); // pageblock_skip_persistent: an order >= pageblock_order compound page
      if (first.t === 'folio' && first.order >= this.h.pageblockOrder) { this.skip('pageblock_skip_persistent (order >= pageblock_order folio)', blockStart); continue; }
      this.isolateMigratepagesBlock(low, blockEnd, list);
      break;
    }
    return this.nrMigratepages > 0;
  }

  // suitable_migration_target: no large free page at the block start; MOVABLE or CMA
  suitableMigrationTarget(blockStart: number): boolean {
    const d = this.h.page(blockStart);
    if (d.t === 'buddy' && d.order >= (this.p.order > 0 ? this.p.order : this.h.pageblockOrder)) return false;
    const bmt = this.h.pageblockMt(blockStart);
    return bmt === MT_MOVABLE || bmt === MT_CMA;
  }

  // isolate_freepages (linear part; stride 1 in sync modes)
  isolateFreepages(): void {
    // "fast_isolate_freepages(cc); if (cc->nr_freepages) return;" — the fast search is not modelled, but its
    // early return is: with crumbs left in the pool (6.9+), no linear scan happens and a large folio gets NULL.
    if (this.pool.nrFreepages > 0) return;
    let isolateStart = this.freePfn;
    let blockStart = this.pbStart(isolateStart);
    let blockEnd = Math.min(blockStart + this.pb, this.h.zoneEnd);
    const lowPfn = this.pbEnd(this.migratePfn);
    for (; blockStart >= lowPfn; blockEnd = blockStart, blockStart -= this.pb, isolateStart = blockStart) {
      if (!this.h.blockValid(blockStart, blockEnd) || !this.suitableMigrationTarget(blockStart) || (!this.sync && this.skipHint.has(blockStart))) continue;
      let pfn = isolateStart; // isolate_freepages_block
      for (; pfn < blockEnd; pfn++) {
        const d = this.h.page(pfn);
        // not PageBuddy: nothing happens until the next free block, so step over the run (folio, allocated run,
        // pcp block) at once; the kernel skips compound pages by order and walks the rest page by page
        if (d.t !== 'buddy') { if (d.t === 'free' || d.t === 'folio') pfn = Math.max(pfn + 1, Math.min(d.end, blockEnd)) - 1; continue; }
        if (!this.h.isolateFreePage(pfn, d.order)) break;
        this.pool.add({ pfn, order: d.order });
        if (this.pool.nrFreepages >= this.nrMigratepages) { pfn += 2 ** d.order; break; }
        pfn += 2 ** d.order - 1;
      }
      isolateStart = pfn;
      if (isolateStart === blockEnd) this.skipHint.add(blockStart);
      if (this.pool.nrFreepages >= this.nrMigratepages) {
        if (isolateStart >= blockEnd) isolateStart = blockStart - this.pb;
        break;
      } else if (isolateStart < blockEnd) break;
    }
    this.freePfn = isolateStart;
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
    if (b && this.p.freelist === 'multi_order') this.nrMigratepages -= 2 ** order;
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
          for (let i = 0; i < 2 ** f.order; i++) split.push({ head: f.head + i, order: 0 });
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
