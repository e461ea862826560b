// compact_zone (mm/compaction.c) for one zone and order: the migrate scanner goes up from the zone start,
// the free scanner down from the last pageblock, until compact_finished says SUCCESS or the scanners meet.
// Modelled run: direct compaction of a MOVABLE request at COMPACT_PRIO_SYNC_LIGHT (MIGRATE_SYNC_LIGHT,
// ALLOC_WMARK_MIN, ALLOC_CMA), whole zone, fresh skip hints. order < 0 = compact_memory (MIGRATE_SYNC, no
// suitability check, no early finish). Not modelled: fast_isolate_freepages / fast_find_migrateblock (they
// only pick other start points), compaction capture, deferral, too_many_isolated throttling, async mode.
import type { Migration, SimEvent } from '../api.js';
import { COMPACT_CLUSTER_MAX, type CompactResult } from './constants.js';
import { CompactionFreepages, type FreeBlock, type FreelistMode } from './freepages.js';
import type { CompactionHost, PageDesc } from './host.js';
import { compactionSuitAllocationOrder, suitablePageFree } from './suitable.js';
import { CMA as MT_CMA, MOVABLE as MT_MOVABLE } from '../consts.js';
import { hex } from '../../shared/format.js';

export interface CompactParams {
  order: number;
  freelist: FreelistMode;
  /** cc->migratetype (gfp_migratetype of the request) */
  migratetype?: number;
  /** direct compaction at COMPACT_PRIO_ASYNC (MIGRATE_ASYNC): suitable_migration_source limits source blocks */
  async?: boolean;
}

export interface CompactOutcome {
  result: CompactResult;
  reason: string;
  migrations: Migration[];
  events: SimEvent[];
}

const UNMOVABLE_KINDS = new Set(['slab', 'pagetable', 'kernel', 'vmalloc', 'reserved', 'offline', 'hwpoison']);

interface Folio { head: number; order: number }

export function* compactZone(h: CompactionHost, p: CompactParams): Generator<string, CompactOutcome, void> {
  const events: SimEvent[] = [];
  const migrations: Migration[] = [];
  const note = (text: string) => events.push({ type: 'note', text });
  const mt = p.migratetype ?? MT_MOVABLE;
  const viaCompactMemory = p.order < 0;
  const sync = viaCompactMemory; // compact_memory runs MIGRATE_SYNC; otherwise SYNC_LIGHT (ISOLATE_ASYNC_MIGRATE)
  const pb = 2 ** h.pageblockOrder;
  const pbStart = (pfn: number) => pfn - (pfn % pb);
  const pbEnd = (pfn: number) => pbStart(pfn) + pb;

  if (!viaCompactMemory) {
    const s = compactionSuitAllocationOrder(h.counters(), p.order, { allocCma: mt === MT_MOVABLE });
    if (s.result !== 'COMPACT_CONTINUE') {
      const traced = s.trace && s.trace !== s.result ? ` (mm_compaction_suitable: ${s.trace})` : '';
      return { result: s.result, reason: `${s.result}${traced}: ${s.why}`, migrations, events };
    }
    note(`compaction_suitable: ${s.why}; order-0 target ${s.target}`);
  }

  let migratePfn = h.zoneStart;
  let freePfn = pbStart(h.zoneEnd - 1);
  let nrMigratepages = 0;
  let lastMigratedPfn = 0;
  let finishPageblock = false;
  const pool = new CompactionFreepages(p.freelist, h.nrOrders);
  const skipHint = new Set<number>();
  const skipped = new Map<string, number[]>();
  const skip = (why: string, pfn: number) => {
    const l = skipped.get(why) ?? [];
    if (l.length < 8) l.push(pfn);
    skipped.set(why, l);
  };

  const scannersMet = () => Math.floor(freePfn / pb) <= Math.floor(migratePfn / pb);

  // __compact_finished (+ compact_finished mapping NO_SUITABLE_PAGE to CONTINUE)
  const finished = (): CompactResult => {
    if (scannersMet()) return 'COMPACT_COMPLETE';
    if (viaCompactMemory || migratePfn % pb !== 0) return 'COMPACT_CONTINUE';
    return suitablePageFree(h.counters().lists, p.order, mt, h.pageblockOrder) ? 'COMPACT_SUCCESS' : 'COMPACT_CONTINUE';
  };

  // skip_isolation_on_order (6.9+); before 6.9 every compound page was skipped unless alloc_contig
  const skipOnOrder = (order: number) =>
    p.freelist === 'order0' || (!viaCompactMemory && order >= p.order) || order >= h.pageblockOrder;

  // why isolate_migratepages_block would not isolate this folio, or null
  const refuse = (d: Extract<PageDesc, { t: 'folio' }>): string | null => {
    if (d.hugetlb) return 'hugetlb folio (only alloc_contig isolates hugetlb)';
    if (d.order > 0 && skipOnOrder(d.order)) {
      return p.freelist === 'order0' ? 'compound page: compaction before 6.9 skips large folios' : `order-${d.order} folio: skip_isolation_on_order`;
    }
    if (d.kind === 'movable_ops') return null;
    if (d.kind === null || UNMOVABLE_KINDS.has(d.kind)) return `not LRU and no movable_ops (${d.kind ?? 'kernel'})`;
    const anon = d.kind === 'anon' || d.kind === 'thp';
    if (anon && (d.mods.includes('pinned') || d.mods.includes('longterm'))) return 'pinned anon page (refcount - 1 > mapcount)';
    if (!sync && d.mods.includes('writeback')) return 'writeback (ISOLATE_ASYNC_MIGRATE)';
    return null;
  };

  // isolate_migratepages_block(cc, low_pfn, end_pfn): fills `list` (list_add: newest first).
  // The kernel looks at every struct page; where it does nothing for a whole run (free pages, tails, a run of
  // pages it refuses for the same reason) the loop steps over the run at once (desc.end), so a block costs its
  // extents and free blocks, not its pages.
  const isolateBlock = (low: number, end: number, list: Folio[]): void => {
    let isolated = 0;
    for (; low < end; low++) {
      const d = h.page(low);
      if (d.t === 'buddy') { low += 2 ** d.order - 1; continue; } // PageBuddy: low_pfn += (1 << buddy_order) - 1
      if (d.t === 'free') { low = Math.min(d.end, end) - 1; continue; } // pcp pages, tails of free blocks
      if (d.t !== 'folio') continue; // holes and other non-LRU pages
      if (d.head !== low) { low = Math.min(d.head + 2 ** d.order, end) - 1; continue; } // tail pages
      const why = refuse(d);
      if (why) {
        // every unit of the run is refused for the same reason: note the heads as the per-page loop would
        const stop = Math.min(d.end, end);
        for (let u = low; u < stop && (skipped.get(why)?.length ?? 0) < 8; u += 2 ** d.order) skip(why, u);
        low = Math.max(low + 2 ** d.order, stop) - 1;
        continue;
      }
      list.unshift({ head: low, order: d.order });
      nrMigratepages += 2 ** d.order;
      isolated += 2 ** d.order;
      low += 2 ** d.order - 1;
      if (nrMigratepages >= COMPACT_CLUSTER_MAX && !finishPageblock) { low++; break; }
    }
    migratePfn = low;
    if (low === end && (!isolated || finishPageblock)) skipHint.add(pbStart(low - 1));
  };

  // isolate_migratepages: the next suitable source block below the free scanner
  const isolateMigratepages = (list: Folio[]): boolean => {
    let low = migratePfn;
    let blockStart = Math.max(pbStart(low), h.zoneStart);
    for (let blockEnd = pbEnd(low); blockEnd <= freePfn; migratePfn = low = blockEnd, blockStart = blockEnd, blockEnd += pb) {
      if (!h.blockValid(blockStart, Math.min(blockEnd, h.zoneEnd))) continue;
      if ((low % pb === 0 || low === h.zoneStart) && !sync && skipHint.has(blockStart)) continue;
      // suitable_migration_source(): async direct compaction only migrates from blocks of the request's type
      // (MOVABLE or CMA for a movable request)
      if (p.async) {
        const bmt = h.pageblockMt(blockStart);
        if (mt === MT_MOVABLE ? bmt !== MT_MOVABLE && bmt !== MT_CMA : bmt !== mt) continue;
      }
      const first = h.page(blockStart); // pageblock_skip_persistent: an order >= pageblock_order compound page
      if (first.t === 'folio' && first.order >= h.pageblockOrder) { skip('pageblock_skip_persistent (order >= pageblock_order folio)', blockStart); continue; }
      isolateBlock(low, blockEnd, list);
      break;
    }
    return nrMigratepages > 0;
  };

  // suitable_migration_target: no large free page at the block start; MOVABLE or CMA
  const suitableTarget = (blockStart: number): boolean => {
    const d = h.page(blockStart);
    if (d.t === 'buddy' && d.order >= (p.order > 0 ? p.order : h.pageblockOrder)) return false;
    const bmt = h.pageblockMt(blockStart);
    return bmt === MT_MOVABLE || bmt === MT_CMA;
  };

  // isolate_freepages (linear part; stride 1 in sync modes)
  const isolateFreepages = (): void => {
    // "fast_isolate_freepages(cc); if (cc->nr_freepages) return;" — the fast search is not modelled, but its
    // early return is: with crumbs left in the pool (6.9+), no linear scan happens and a large folio gets NULL.
    if (pool.nrFreepages > 0) return;
    let isolateStart = freePfn;
    let blockStart = pbStart(isolateStart);
    let blockEnd = Math.min(blockStart + pb, h.zoneEnd);
    const lowPfn = pbEnd(migratePfn);
    for (; blockStart >= lowPfn; blockEnd = blockStart, blockStart -= pb, isolateStart = blockStart) {
      if (!h.blockValid(blockStart, blockEnd) || !suitableTarget(blockStart) || (!sync && skipHint.has(blockStart))) continue;
      let pfn = isolateStart; // isolate_freepages_block
      for (; pfn < blockEnd; pfn++) {
        const d = h.page(pfn);
        // not PageBuddy: nothing happens until the next free block, so step over the run (folio, allocated run,
        // pcp block) at once; the kernel skips compound pages by order and walks the rest page by page
        if (d.t !== 'buddy') { if (d.t === 'free' || d.t === 'folio') pfn = Math.max(pfn + 1, Math.min(d.end, blockEnd)) - 1; continue; }
        if (!h.isolateFreePage(pfn, d.order)) break;
        pool.add({ pfn, order: d.order });
        if (pool.nrFreepages >= nrMigratepages) { pfn += 2 ** d.order; break; }
        pfn += 2 ** d.order - 1;
      }
      isolateStart = pfn;
      if (isolateStart === blockEnd) skipHint.add(blockStart);
      if (pool.nrFreepages >= nrMigratepages) {
        if (isolateStart >= blockEnd) isolateStart = blockStart - pb;
        break;
      } else if (isolateStart < blockEnd) break;
    }
    freePfn = isolateStart;
    for (const b of pool.splitMapPages()) events.push({ type: 'split', pfn: b.pfn, fromOrder: b.order, toOrder: 0 });
  };

  // compaction_alloc: the pool, refilled by isolate_freepages once
  const compactionAlloc = (order: number): FreeBlock | null => {
    const splits: { pfn: number; fromOrder: number; toOrder: number }[] = [];
    let b = pool.take(order, splits);
    if (!b && !(p.freelist === 'order0' && order > 0)) {
      isolateFreepages();
      b = pool.take(order, splits);
    }
    for (const s of splits) events.push({ type: 'split', ...s });
    if (b && p.freelist === 'multi_order') nrMigratepages -= 2 ** order;
    return b;
  };

  // migrate_pages(&cc->migratepages, compaction_alloc, compaction_free, MR_COMPACTION): >0 failed, -1 ENOMEM
  const migratePages = (list: Folio[]): number => {
    let failed = 0;
    const split: Folio[] = [];
    const one = (f: Folio, pass: string): 'ok' | 'fail' | 'enomem' => {
      const dst = compactionAlloc(f.order);
      if (!dst) {
        if (f.order > 0 && h.split(f.head)) {
          migrations.push({ src: f.head, dst: null, order: f.order, result: 'split', reason: `MR_COMPACTION: compaction_alloc has no order-${f.order} target: split, pieces migrated async` });
          events.push({ type: 'split', pfn: f.head, fromOrder: f.order, toOrder: 0 });
          for (let i = 0; i < 2 ** f.order; i++) split.push({ head: f.head + i, order: 0 });
          return 'fail';
        }
        migrations.push({ src: f.head, dst: null, order: f.order, result: 'ENOMEM', reason: `MR_COMPACTION${pass}: no free target (compaction_alloc returned NULL)` });
        return 'enomem';
      }
      const r = h.migrate(f.head, f.order, dst.pfn);
      if (r.ok) {
        migrations.push({ src: f.head, dst: dst.pfn, order: f.order, result: 'ok', reason: `MR_COMPACTION${pass}` });
        return 'ok';
      }
      pool.giveBack(dst); // compaction_free
      migrations.push({ src: f.head, dst: null, order: f.order, result: r.result, reason: `MR_COMPACTION${pass}: ${r.reason}` });
      return 'fail';
    };
    for (const f of list) {
      const r = one(f, '');
      if (r === 'enomem') return -1;
      if (r === 'fail') failed++;
    }
    for (const f of split) if (one(f, ' (split piece, MIGRATE_ASYNC)') === 'enomem') return -1;
    return failed;
  };

  let ret: CompactResult;
  let round = 0;
  outer: while ((ret = finished()) === 'COMPACT_CONTINUE') {
    finishPageblock = pbStart(lastMigratedPfn) === pbStart(migratePfn);
    for (;;) { // rescan:
      const list: Folio[] = [];
      const got = isolateMigratepages(list);
      round++;
      yield 'scan';
      if (got) {
        lastMigratedPfn = Math.max(h.zoneStart, pbStart(migratePfn - 1));
        const err = migratePages(list);
        nrMigratepages = 0;
        yield 'migrate';
        if (err !== 0) {
          if (err < 0 && !scannersMet()) { ret = 'COMPACT_CONTENDED'; break outer; }
          if (migratePfn % pb !== 0 && !sync && !finishPageblock) {
            finishPageblock = true;
            if (p.order === 9) lastMigratedPfn = 0;
            continue;
          }
        }
      }
      break;
    }
    // check_drain: left the cc->order aligned block we migrated from → drain the local pcp lists
    if (p.order > 0 && lastMigratedPfn) {
      const cur = migratePfn - (migratePfn % 2 ** p.order);
      if (lastMigratedPfn < cur) { h.drainLocal(); lastMigratedPfn = 0; }
    }
  }
  // out: release_free_list
  for (const b of pool.drainAll()) h.releaseFreePage(b.pfn, b.order);
  for (const [why, pfns] of skipped) note(`skipped ${why}: ${pfns.map(hex).join(', ')}${pfns.length === 8 ? ', …' : ''}`);
  const moved = migrations.filter((m) => m.result === 'ok').length;
  const reason = `${ret}: ${round} scanner round${round === 1 ? "" : "s"}, ${moved} folio${moved === 1 ? "" : "s"} migrated, scanners at ${hex(migratePfn)} / ${hex(freePfn)}`;
  return { result: ret, reason, migrations, events };
}
