// Pure compaction rules: fragmentation_index, compaction_suitable (reference §7 C1, C2), extfrag score,
// proactive marks, the compact_finished list check and compaction_alloc's pool (C4).
import assert from 'node:assert/strict';
import {
  extfragForOrder,
  fillContigPageInfo,
  fragmentationIndex,
  fragmentationScoreNode,
  fragmentationScoreWmark,
  proactiveZoneDone,
  shouldProactiveCompact,
} from '../../../src/sim/compaction/fragindex.js';
import { compactionSuitAllocationOrder, suitablePageFree } from '../../../src/sim/compaction/suitable.js';
import { CompactionFreepages } from '../../../src/sim/compaction/freepages.js';
import { CMA as MT_CMA, MIGRATE_TYPES, MOVABLE as MT_MOVABLE, UNMOVABLE as MT_UNMOVABLE } from '../../../src/sim/consts.js';
import { ALLOC_CMA } from '../../../src/sim/internal.js';
import { snapshotWatermarkOk, type ZoneSnapshot } from '../../../src/sim/zone.js';

const ORDERS = 11;
function buddy(entries: Record<number, number>): number[] {
  const a = new Array(ORDERS).fill(0);
  for (const [o, n] of Object.entries(entries)) a[Number(o)] = n;
  return a;
}
function zone(movable: Record<number, number>, min: number, low: number): ZoneSnapshot {
  const lists = Array.from({ length: MIGRATE_TYPES }, () => new Array(ORDERS).fill(0));
  lists[MT_MOVABLE] = buddy(movable);
  const free = lists[MT_MOVABLE]!.reduce((s, n, o) => s + n * 2 ** o, 0);
  const cnt = Array.from({ length: ORDERS * MIGRATE_TYPES }, (_, i) => lists[i % MIGRATE_TYPES]![Math.floor(i / MIGRATE_TYPES)]!);
  const nrFree = Array.from({ length: ORDERS }, (_, o) => lists.reduce((s, l) => s + l[o]!, 0));
  return {
    free, freeCma: 0, nrFreeHighatomic: 0, nrReservedHighatomic: 0, lowmemReserve: [0, 0, 0, 0], nrFree, cnt,
    highatomic: 'free', lists, min, low,
  };
}

describe('compaction: fragmentation_index (mm/vmstat.c)', () => {
  it('fill_contig_page_info counts blocks, pages and suitable blocks', () => {
    assert.deepEqual(fillContigPageInfo(buddy({ 0: 3, 9: 1, 10: 2 }), 9), { freePages: 3 + 512 + 2048, freeBlocksTotal: 6, freeBlocksSuitable: 5 });
  });
  it('is 0 with nothing free and -1000 when a suitable block exists', () => {
    assert.equal(fragmentationIndex(buddy({}), 9), 0);
    assert.equal(fragmentationIndex(buddy({ 0: 100, 10: 1 }), 9), -1000);
  });
  it('C1: 10000 order-0 pages, order 9 → 998 (fragmentation)', () => {
    assert.equal(fragmentationIndex(buddy({ 0: 10000 }), 9), 998);
  });
  it('C2: 30 order-8 blocks, order 9 → 467 (lack of memory)', () => {
    assert.equal(fragmentationIndex(buddy({ 8: 30 }), 9), 467);
  });
});

describe('compaction: compaction_suitable (reference §7)', () => {
  it('C1: watermark target 5000 + 1024 + 1250 = 7274 passes, fragindex 998 > 500 → CONTINUE', () => {
    const s = compactionSuitAllocationOrder(zone({ 0: 10000 }, 5000, 6250), 9);
    assert.equal(s.target, 7274);
    assert.equal(s.fragindex, 998);
    assert.equal(s.result, 'COMPACT_CONTINUE');
  });
  it('C2: 7680 > 7274 passes, fragindex 467 ≤ 500 → SKIPPED, traced as NOT_SUITABLE_ZONE', () => {
    const s = compactionSuitAllocationOrder(zone({ 8: 30 }, 5000, 6250), 9);
    assert.equal(s.target, 7274);
    assert.equal(s.fragindex, 467);
    assert.equal(s.result, 'COMPACT_SKIPPED');
    assert.equal(s.trace, 'COMPACT_NOT_SUITABLE_ZONE');
  });
  it('below the order-0 target → SKIPPED (reclaim first)', () => {
    const s = compactionSuitAllocationOrder(zone({ 0: 7274 }, 5000, 6250), 9);
    assert.equal(s.result, 'COMPACT_SKIPPED');
    assert.equal(s.trace, 'COMPACT_SKIPPED');
  });
  it('the request’s own watermark already met → SUCCESS without scanning', () => {
    assert.equal(compactionSuitAllocationOrder(zone({ 0: 8000, 9: 1 }, 5000, 6250), 9).result, 'COMPACT_SUCCESS');
  });
  it('costly orders only: order 3 ignores fragindex and low − min', () => {
    const s = compactionSuitAllocationOrder(zone({ 0: 5020 }, 5000, 6250), 3);
    assert.equal(s.target, 5016);
    assert.equal(s.fragindex, null);
    assert.equal(s.result, 'COMPACT_CONTINUE');
  });
  it('__zone_watermark_ok: free must exceed the mark; CMA only counts with ALLOC_CMA', () => {
    const z = zone({ 0: 100 }, 0, 0);
    assert.equal(snapshotWatermarkOk(z, 0, 100, 0), false);
    assert.equal(snapshotWatermarkOk(z, 0, 99, 0), true);
    const c = { ...z, freeCma: 50 };
    assert.equal(snapshotWatermarkOk(c, 0, 60, 0), false);
    assert.equal(snapshotWatermarkOk(c, 0, 60, ALLOC_CMA), true);
  });
});

describe('compaction: extfrag score and proactive marks', () => {
  it('extfrag_for_order(9) is the % of free memory not in order ≥ 9 blocks', () => {
    assert.equal(extfragForOrder(buddy({ 0: 512, 9: 1 }), 9), 50);
    assert.equal(extfragForOrder(buddy({}), 9), 0);
    assert.equal(extfragForOrder(buddy({ 10: 4 }), 9), 0);
  });
  // mm/compaction.c fragmentation_score_wmark() (6.1 and 6.12): low = max(100 - proactiveness, 5), high = min(low + 10, 100)
  it('marks: proactiveness 20 → low 80, high 90; 90 → low 10, high 20; 98 → low 5 (the floor), high 15', () => {
    assert.equal(fragmentationScoreWmark(true), 80);
    assert.equal(fragmentationScoreWmark(false), 90);
    assert.equal(fragmentationScoreWmark(true, 90), 10);
    assert.equal(fragmentationScoreWmark(false, 90), 20);
    assert.equal(fragmentationScoreWmark(true, 98), 5);
    assert.equal(fragmentationScoreWmark(false, 98), 15);
    assert.equal(fragmentationScoreWmark(false, 0), 100);
  });
  it('node score is weighted by present pages; starts above high, stops at low', () => {
    const frag = buddy({ 0: 1000 });
    assert.equal(fragmentationScoreNode([{ nrFree: frag, present: 1000 }]), 99); // 100*1000/1001
    assert.equal(shouldProactiveCompact(99), true);
    assert.equal(shouldProactiveCompact(90), false);
    assert.equal(shouldProactiveCompact(99, 0), false);
    assert.equal(proactiveZoneDone(80), true);
    assert.equal(proactiveZoneDone(81), false);
  });
});

describe('compaction: compact_finished free-list check', () => {
  const lists = () => Array.from({ length: 6 }, () => new Array(ORDERS).fill(0));
  it('MOVABLE order 9: own list, CMA, or a claimable fallback at order ≥ 9', () => {
    const l = lists();
    assert.equal(suitablePageFree(l, 9, MT_MOVABLE), null);
    l[MT_UNMOVABLE]![10] = 1;
    assert.deepEqual(suitablePageFree(l, 9, MT_MOVABLE), { order: 10, migratetype: MT_UNMOVABLE });
    l[MT_CMA]![9] = 1;
    assert.deepEqual(suitablePageFree(l, 9, MT_MOVABLE), { order: 9, migratetype: MT_CMA });
  });
  it('a MOVABLE order-2 request does not count an UNMOVABLE order-2 block (cannot claim)', () => {
    const l = lists();
    l[MT_UNMOVABLE]![2] = 1;
    assert.equal(suitablePageFree(l, 2, MT_MOVABLE), null);
  });
});

describe('compaction: cc->freepages and compaction_alloc', () => {
  it('C4 (6.9+): order-4 folio, freepages[6] = {0xE40} → 0xE40; keeps 0xE50 (o4) and 0xE60 (o5)', () => {
    const f = new CompactionFreepages('multi_order');
    f.add({ pfn: 0xe40, order: 6 });
    const splits: { pfn: number; fromOrder: number; toOrder: number }[] = [];
    assert.deepEqual(f.take(4, splits), { pfn: 0xe40, order: 4 });
    assert.deepEqual(f.lists[4], [{ pfn: 0xe50, order: 4 }]);
    assert.deepEqual(f.lists[5], [{ pfn: 0xe60, order: 5 }]);
    assert.equal(f.lists[6]!.length, 0);
    assert.equal(f.nrFreepages, 48);
    assert.deepEqual(splits, [{ pfn: 0xe40, fromOrder: 6, toOrder: 4 }]);
  });
  it('6.9+: the smallest order ≥ the folio order wins; empty → null', () => {
    const f = new CompactionFreepages('multi_order');
    f.add({ pfn: 0x800, order: 5 });
    f.add({ pfn: 0x900, order: 4 });
    assert.deepEqual(f.take(4), { pfn: 0x900, order: 4 });
    assert.deepEqual(f.take(4), { pfn: 0x800, order: 4 });
    assert.deepEqual(f.take(4), { pfn: 0x810, order: 4 });
    assert.equal(f.take(4), null);
  });
  it('≤6.8: split_map_pages leaves order-0 pages in reverse pfn order; large folios get nothing', () => {
    const f = new CompactionFreepages('order0');
    f.add({ pfn: 0xe00, order: 1 });
    f.add({ pfn: 0xe08, order: 0 });
    assert.deepEqual(f.splitMapPages(), [{ pfn: 0xe00, order: 1 }]);
    assert.equal(f.take(4), null);
    assert.deepEqual([f.take(0)?.pfn, f.take(0)?.pfn, f.take(0)?.pfn, f.take(0)], [0xe08, 0xe01, 0xe00, null]);
  });
  it('compaction_free puts a target back at the head; release drains everything', () => {
    const f = new CompactionFreepages('multi_order');
    f.add({ pfn: 0x100, order: 2 });
    const t = f.take(0)!;
    f.giveBack(t);
    assert.deepEqual(f.lists[0]![0], { pfn: 0x100, order: 0 });
    assert.equal(f.nrFreepages, 4);
    assert.equal(f.drainAll().length, 3);
    assert.equal(f.nrFreepages, 0);
  });
});
