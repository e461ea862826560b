// Compaction's memory across runs and its fast paths (mm/compaction.c): pageblock skip hints (isolation_suitable,
// update_pageblock_skip, test_and_set_skip), the zone's cached scanner pfns (update_cached_migrate,
// reset_cached_positions), __reset_isolation_suitable (kswapd going to sleep, compaction_restarting),
// fast_find_migrateblock and fast_isolate_freepages, and what a compaction result says about them.
import { strict as assert } from 'node:assert';
import { machine, spec, release, run, list, runText } from './helpers.js';
import { takeFree } from '../../../src/sim/buddy.js';
import { MOD_BIT } from '../../../src/sim/core.js';
import { MOVABLE, UNMOVABLE } from '../../../src/sim/consts.js';
import type { Machine } from '../../../src/sim/machine.js';
import type { CompactScan, OpResult } from '../../../src/sim/api.js';
import { CompactControl } from '../../../src/sim/compaction/control.js';
import { compactionHost } from '../../../src/sim/compaction/index.js';
import { fastFindMigrateblock, fastIsolateFreepages } from '../../../src/sim/compaction/fast.js';
import { compactionRestarting } from '../../../src/sim/compaction/skip.js';
import { toJson } from '../../../src/app/json.js';

const START = 0x1000, END = 0x9000, PB = 0x200;

/**
 * Normal [0x1000, 0x9000) (64 pageblocks, not at pfn 0: x86's lowest zone starts at pfn 1): [0x1000, 0x2000)
 * kernel pages (never movable), [0x2000, 0x5000) anon (or pinned anon), [0x5000, 0x9000) kernel pages with the
 * second half of every 16-page chunk free (order 3, MOVABLE pageblocks): migration targets only.
 */
function layout(o: { pinned?: boolean; freeInSource?: number } = {}): Machine {
  const m = machine(spec({ zones: [['Normal', START, END]] }), '6.12');
  const c = m.c;
  takeFree(c, START, END - START);
  c.addExtent(c.newExtent(START, 0x1000, 0, false, 'kernel', 0, 'test'));
  c.addExtent(c.newExtent(0x2000, 0x3000, 0, false, 'anon', 0, 'test'));
  c.addExtent(c.newExtent(0x5000, 0x4000, 0, false, 'kernel', 0, 'test'));
  for (let b = 0x2000; b < 0x5000; b += PB) c.setMt(b, MOVABLE, 'test');
  if (o.pinned) {
    for (const e of c.extentsIn(0x2000, 0x5000)) c.removeExtent(e);
    c.addExtent(c.newExtent(0x2000, 0x3000, 0, false, 'anon', MOD_BIT.pinned, 'test'));
  }
  for (let p = 0x5000; p < END; p += 16) release(m, p + 8, 3, MOVABLE, true);
  if (o.freeInSource !== undefined) release(m, o.freeInSource, 3, MOVABLE, true);
  return m;
}
const Z = (m: Machine) => m.c.zone(0, 2);
const compact = (m: Machine, order: number): OpResult => run(m, { op: 'compact', zone: { nid: 0, zone: 'Normal' }, order });
const scanOf = (r: OpResult): CompactScan => {
  assert.ok(r.compaction?.length === 1, r.reason ?? '');
  return r.compaction[0]!;
};
const skipped = (m: Machine) => {
  const out: number[] = [];
  for (let b = START; b < END; b += PB) if (m.c.getSkip(b)) out.push(b);
  return out;
};
const range = (a: number, b: number) => Array.from({ length: (b - a) / PB }, (_, i) => a + i * PB);

describe('compaction skip hints and cached pfns (mm/compaction.c)', () => {
  it('isolate_migratepages_block marks blocks that gave nothing skip, test_and_set_skip the block it isolates from; update_cached_migrate moves the cached pfn', () => {
    const m = layout();
    const r = compact(m, 9);
    assert.equal(r.ok, true, r.reason!);
    const s = scanOf(r);
    // the zone's cached pfns were zero (zeroed struct zone), outside the zone: compact_zone starts at the zone ends,
    // and compact_init_migrate_pfn (0) is below the start, so this is not a whole-zone run
    assert.equal(s.migrateStart, START);
    assert.equal(s.freeStart, END - PB);
    assert.equal(s.wholeZone, false);
    // eight kernel blocks gave nothing; the first anon block was claimed by test_and_set_skip at its first LRU page;
    // two target blocks fast_isolate_around emptied (isolate_freepages_block reached their end)
    assert.deepEqual(s.skipSetPfns.filter((p) => p < 0x5000), [...range(START, 0x2000), 0x2000]);
    assert.deepEqual(skipped(m), s.skipSetPfns.slice().sort((a, b) => a - b));
    assert.deepEqual(s.skipSetPfns.filter((p) => p >= 0x5000).sort(), [0x8a00, 0x8c00]);
    // the anon block was finished in its later rounds (finish_pageblock), so update_cached_migrate(cc, 0x2200):
    // pageblock_end_pfn(0x2200) = ALIGN(0x2201, 0x200) = 0x2400, one block beyond (the kernel's macro)
    assert.equal(Z(m).compactCachedMigrateSync, 0x2400);
    assert.equal(Z(m).compactCachedMigrateAsync, 0x2400);
    assert.match(r.reason!, /migrate scanner 0x1000 → 0x2200, free scanner 0x8e00 → 0x8e00 \(from the cached pfns\)/);
    // fast_find_migrateblock failed on every round (no free block below high_pfn) and rotated the order-3 list by
    // 34, 18, 10, 6, 4, 3, 2, 2, 2 entries (freelist_scan_limit halves per failure): fast_isolate_freepages' walk
    // from the tail then met 0x8af8 first
    assert.deepEqual(s.fastFree[0], { pfn: 0x8af8, order: 3 });
    assert.match(r.reason!, /11 pageblocks marked skip/);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('the next direct compaction starts at the cached migrate pfn; isolation_suitable skips marked blocks', () => {
    const m = layout();
    compact(m, 9);
    run(m, { op: 'alloc', order: 9, migratetype: 'movable', gfp: [], zone: null, count: 1 });
    const r2 = compact(m, 9);
    assert.equal(scanOf(r2).migrateStart, 0x2400);
    // from the zone start (as after reset_cached_positions) the marked blocks are passed over, not scanned
    const m2 = layout();
    compact(m2, 9);
    run(m2, { op: 'alloc', order: 9, migratetype: 'movable', gfp: [], zone: null, count: 1 });
    Z(m2).compactCachedMigrateSync = START;
    const s = scanOf(compact(m2, 9));
    assert.equal(s.migrateStart, START);
    assert.ok(s.skipHonoured >= 9, `${s.skipHonoured} blocks passed over`);
    assert.ok(!s.skipSetPfns.some((p) => p < 0x2200), s.skipSetPfns.join(','));
    assert.ok(s.skipHonoured <= 11);
  });

  it('compact_memory (compact_node: ignore_skip_hint, whole_zone) scans the marked blocks anyway', () => {
    const m = layout();
    compact(m, 9);
    const s = scanOf(compact(m, -1));
    assert.equal(s.ignoreSkipHint, true);
    assert.equal(s.wholeZone, true);
    assert.equal(s.migrateStart, START);
    assert.equal(s.skipHonoured, 0);
  });

  it('scanners meeting: reset_cached_positions, compact_blockskip_flush for direct compaction, PARTIAL_SKIPPED unless whole_zone', () => {
    const m = layout({ pinned: true }); // nothing can be migrated
    const r = compact(m, 9);
    assert.equal(scanOf(r).result, 'COMPACT_PARTIAL_SKIPPED');
    const z = Z(m);
    assert.equal(z.compactCachedMigrateSync, START);
    assert.equal(z.compactCachedMigrateAsync, START);
    assert.equal(z.compactCachedFreePfn, END - PB);
    assert.equal(z.compactBlockskipFlush, true);
    // every source block is marked (kernel and pinned anon alike)
    assert.deepEqual(skipped(m).filter((b) => b < 0x5000), range(START, 0x5000));
  });

  it('kswapd going to sleep: reset_isolation_suitable clears the hints of blocks with LRU or buddy pages and sets compact_init_*_pfn', () => {
    const m = layout({ pinned: true });
    compact(m, 9);
    m.c.kswapd[0].woken = true;
    run(m, { op: 'kswapd', nid: 0 });
    const z = Z(m);
    assert.equal(z.compactBlockskipFlush, false);
    // kernel blocks keep their hint (no PageLRU, no PageBuddy in the samples); the pinned anon ones are LRU pages
    assert.deepEqual(skipped(m).filter((b) => b < 0x5000), range(START, 0x2000));
    assert.equal(z.compactInitMigratePfn, 0x2000);
    assert.equal(z.compactCachedMigrateSync, 0x2000);
    // the free side: the first MOVABLE block from the top with a buddy page at a sample point, at zone_end - 1
    assert.equal(z.compactInitFreePfn, END - 1);
    assert.equal(z.compactCachedFreePfn, END - 1);
    // the next run starts at compact_init_migrate_pfn: a whole-zone run again, so COMPLETE, not PARTIAL_SKIPPED
    const s = scanOf(compact(m, 9));
    assert.equal(s.migrateStart, 0x2000);
    assert.equal(s.wholeZone, true);
    assert.equal(s.result, 'COMPACT_COMPLETE');
  });

  it('kswapd does not clear hints unless a direct compaction finished a pass (compact_blockskip_flush)', () => {
    const m = layout();
    compact(m, 9); // succeeded: no flush
    assert.equal(Z(m).compactBlockskipFlush, false);
    m.c.kswapd[0].woken = true;
    run(m, { op: 'kswapd', nid: 0 });
    assert.equal(skipped(m).length, 11);
  });

  it('compaction_restarting (deferred COMPACT_MAX_DEFER_SHIFT times, considered enough) resets the hints first', () => {
    const m = layout({ pinned: true });
    compact(m, 9);
    const z = Z(m);
    z.compactDeferShift = 6;
    z.compactConsidered = 64;
    z.compactOrderFailed = 9;
    assert.equal(compactionRestarting(z, 9), true);
    assert.equal(compactionRestarting(z, 8), false);
    const r = compact(m, 9);
    assert.equal(scanOf(r).reset, true);
    assert.ok(r.events.some((e) => e.type === 'note' && /compaction_restarting: __reset_isolation_suitable/.test(e.text)));
    assert.equal(scanOf(r).migrateStart, 0x2000);
  });

  it('a zone at pfn 0: the zeroed compact_cached_free_pfn is inside it, so the first cached run ends at once (the kernel does the same)', () => {
    const m = machine(spec({ zones: [['Normal', 0, 0x8000]] }), '6.12');
    const c = m.c;
    takeFree(c, 0, 0x8000);
    c.addExtent(c.newExtent(0, 0x4000, 0, false, 'anon', 0, 'test'));
    c.addExtent(c.newExtent(0x4000, 0x4000, 0, false, 'kernel', 0, 'test'));
    for (let p = 0x4000; p < 0x8000; p += 16) release(m, p + 8, 3, MOVABLE, true);
    const s = scanOf(compact(m, 9));
    assert.equal(s.freeStart, 0);
    assert.equal(s.result, 'COMPACT_COMPLETE'); // migrate pfn 0 <= compact_init_migrate_pfn 0: whole zone
    assert.equal(Z(m).compactCachedFreePfn, 0x7e00); // reset_cached_positions: the next run scans
    assert.equal(scanOf(compact(m, 9)).freeStart, 0x7e00);
  });
});

describe('compaction fast paths (mm/compaction.c)', () => {
  it('fast_find_migrateblock: an order-9 movable request starts the migrate scanner at a MOVABLE free block in the first half', () => {
    const m = layout({ freeInSource: 0x4008 });
    assert.equal(list(m, 0, 'Normal', 3, MOVABLE)[0], 0x4008, 'precondition: 0x4008 heads the order-3 list');
    const r = compact(m, 9);
    const s = scanOf(r);
    assert.deepEqual(s.fastMigrate, [0x4000]);
    assert.equal(r.ok, true, r.reason!);
    // the blocks below were never scanned: no skip hints there
    assert.ok(!s.skipSetPfns.some((p) => p < 0x4000), s.skipSetPfns.join(','));
    assert.match(r.reason!, /fast_find_migrateblock chose 0x4000/);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('fast_find_migrateblock: not for orders <= PAGE_ALLOC_COSTLY_ORDER, non-movable direct requests, or ignore_skip_hint', () => {
    const m = layout({ freeInSource: 0x4008 });
    const h = compactionHost(m.c, Z(m), 0);
    const mk = (order: number, p: object = {}) => {
      const cc = new CompactControl(h, { order, freelist: 'multi_order', direct: true, ...p });
      cc.migratePfn = START;
      cc.freePfn = END - PB;
      return cc;
    };
    for (const cc of [mk(3), mk(9, { migratetype: UNMOVABLE }), mk(9, { ignoreSkipHint: true })]) {
      assert.equal(fastFindMigrateblock(cc), START);
      assert.equal(cc.fastSearchFail, 0);
      assert.deepEqual(cc.fastMigrate, []);
    }
    // kcompactd (not direct) may clear a MOVABLE block even for its UNMOVABLE cc->migratetype
    const k = mk(9, { migratetype: UNMOVABLE, direct: false });
    assert.equal(fastFindMigrateblock(k), 0x4000);
    // a marked block is passed over; nothing else below high_pfn: the search fails
    m.c.setSkip(0x4000, true);
    const f = mk(9);
    assert.equal(fastFindMigrateblock(f), START);
    assert.equal(f.fastSearchFail, 1);
  });

  it('fast_find_migrateblock: the block found goes to the tail of its list (move_freelist_tail)', () => {
    const m = layout({ freeInSource: 0x4008 });
    const cc = new CompactControl(compactionHost(m.c, Z(m), 0), { order: 9, freelist: 'multi_order', direct: true });
    cc.freePfn = END - PB;
    fastFindMigrateblock(cc);
    const l = list(m, 0, 'Normal', 3, MOVABLE);
    assert.equal(l[l.length - 1], 0x4008);
    assert.equal(l.length, 1025);
  });

  it('fast_isolate_freepages: the tail of the MOVABLE list, candidates in the top half shorten the walk; fast_isolate_around fills up', () => {
    const m = layout();
    const h = compactionHost(m.c, Z(m), 0);
    Z(m).compactCachedFreePfn = END - PB;
    const cc = new CompactControl(h, { order: 9, freelist: 'multi_order', direct: true });
    cc.freePfn = END - PB;
    cc.nrMigratepages = 32;
    const l = list(m, 0, 'Normal', 3, MOVABLE);
    assert.equal(l[l.length - 1], 0x5008, 'precondition: the lowest block is the tail');
    fastIsolateFreepages(cc);
    // scan start (free_pfn >= compact_init_free_pfn 0): limit pageblock_nr_pages / 2; low_pfn 0x6e00, min_pfn 0x4e00.
    // From the tail 0x5008, 0x5018, … each is a better candidate above min_pfn and halves the limit (256 → 128 → …
    // → 4): after 6 entries the walk stops and takes the highest, 0x5058, which becomes the list head
    assert.deepEqual(cc.fastFree, [{ pfn: 0x5058, order: 3 }]);
    // move_freelist_head(0x5058): what preceded it went to the tail; 0x5058 itself was isolated, then 0x5008..0x5028
    const after = list(m, 0, 'Normal', 3, MOVABLE);
    assert.equal(after[0], 0x5048);
    assert.equal(after[after.length - 1], 0x5068);
    // fast_isolate_around(0x5058): the rest of the block from its start, until 32 pages are isolated
    assert.equal(cc.pool.nrFreepages, 32);
    assert.equal(cc.fastSearchFail, 0);
    assert.deepEqual(m.c.getSkip(0x5000), false);
  });

  it('fast_isolate_freepages: nothing for order <= 0 (compact_memory, proactive)', () => {
    const m = layout();
    const cc = new CompactControl(compactionHost(m.c, Z(m), 0), { order: -1, freelist: 'multi_order' });
    cc.nrMigratepages = 32;
    fastIsolateFreepages(cc);
    assert.equal(cc.pool.nrFreepages, 0);
  });

  it('move_freelist_head / move_freelist_tail keep the list whole (Core.freelistHead / freelistTail)', () => {
    const m = layout();
    const z = Z(m);
    const before = list(m, 0, 'Normal', 3, MOVABLE);
    const mid = before[10]!;
    m.c.freelistTail(m.c.free.get(mid)!);
    assert.deepEqual(list(m, 0, 'Normal', 3, MOVABLE), [...before.slice(11), ...before.slice(0, 11)]);
    m.c.freelistHead(m.c.free.get(mid)!);
    assert.deepEqual(list(m, 0, 'Normal', 3, MOVABLE), [mid, ...before.slice(11), ...before.slice(0, 10)]);
    assert.equal(z.nrFree[3], before.length);
    assert.deepEqual(m.checkInvariants(), []);
  });
});

describe('compaction scan in results', () => {
  it('`mmscn run --json` carries the compact_zone runs of compact and kcompactd', () => {
    const out = runText('kernel 6.12\nmachine { node 0 { zone Normal 0x1000..0x9000 } }\nfill Normal 60% movable\nfill Normal 10% unmovable order 0 packed\ncompact Normal order 9 as c\n');
    const j = toJson(out);
    const op = j.ops.find((o) => o.name === 'c')!;
    assert.ok('compaction' in op, JSON.stringify(op));
    const s = (op as unknown as { compaction: CompactScan[] }).compaction[0]!;
    assert.equal(s.zone, 'node 0 Normal');
    assert.equal(typeof s.migrateStart, 'number');
  });
});
