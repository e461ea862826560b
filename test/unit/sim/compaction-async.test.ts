// How compaction's scanners skip pages (mm/compaction.c, 6.12), counted by hand:
// - isolate_freepages looks at every stride-th pfn of a block (isolate_freepages_block(..., stride, false)): the
//   stride starts at COMPACT_CLUSTER_MAX in MIGRATE_ASYNC and 1 otherwise, and in EVERY mode becomes 1 after a
//   block that gave pages and doubles (up to COMPACT_CLUSTER_MAX) after one that gave none.
// - async direct compaction's migrate scanner (isolate_migratepages_block with skip_on_failure) abandons a
//   cc->order-aligned block at the first page it cannot isolate, putting back what that block gave, and stops
//   once a block gave pages.
import { strict as assert } from 'node:assert';
import { kernelZone4, anonRun, release, runText, resultOf } from './helpers.js';
import { MOVABLE } from '../../../src/sim/consts.js';
import type { Machine } from '../../../src/sim/machine.js';
import { CompactControl, type CompactParams, type Folio } from '../../../src/sim/compaction/control.js';
import { compactionHost } from '../../../src/sim/compaction/index.js';
import { vmstatText } from '../../../src/sim/vmstat.js';

const START = 0x1000;

const zone4 = (): Machine => kernelZone4(START);
const anon = anonRun;
const control = (m: Machine, p: Partial<CompactParams>) =>
  new CompactControl(compactionHost(m.c, m.c.zone(0, 2), 0), { order: 2, freelist: 'multi_order', mode: 'async', direct: true, ...p });
const heads = (l: Folio[]) => l.map((f) => f.head).sort((a, b) => a - b);
/** the pfns of the free pages the scanner isolated (cc->freepages) */
const pool = (cc: CompactControl) => cc.pool.lists.flat().map((b) => b.pfn).sort((a, b) => a - b);

describe('async direct compaction: skip_on_failure (isolate_migratepages_block)', () => {
  // block 0: anon 0x1000, kernel 0x1001, anon 0x1002-0x1007, kernel to the end
  function layout(): Machine {
    const m = zone4();
    anon(m, 0x1000, 1);
    anon(m, 0x1002, 6);
    return m;
  }

  it('order 2: the kernel page at 0x1001 puts back 0x1000 and abandons [0x1000, 0x1004); [0x1004, 0x1008) gives 4 pages and ends the call', () => {
    const m = layout();
    const cc = control(m, {});
    const list: Folio[] = [];
    cc.isolateMigratepagesBlock(0x1000, 0x1200, list);
    assert.deepEqual(heads(list), [0x1004, 0x1005, 0x1006, 0x1007]);
    assert.equal(cc.nrMigratepages, 4);
    // low_pfn stops at next_skip_pfn 0x1008 (nr_isolated: break before looking at it)
    assert.equal(cc.migratePfn, 0x1008);
    // nr_scanned: 0x1000, 0x1001 (the failure), then 0x1004-0x1007; 0x1002 and 0x1003 are jumped over
    assert.equal(cc.totalMigrateScanned, 6);
    // the put-back page is not counted in COMPACTISOLATED
    assert.equal(cc.totalIsolated, 4);
  });

  it('order 2: the rest of the block is kernel pages: one failure per order-2 block, each counted once', () => {
    const m = layout();
    const cc = control(m, {});
    cc.isolateMigratepagesBlock(0x1008, 0x1200, []);
    assert.equal(cc.migratePfn, 0x1200);
    assert.equal(cc.totalMigrateScanned, (0x1200 - 0x1008) / 4);
    assert.equal(cc.totalIsolated, 0);
  });

  it('the same block in MIGRATE_SYNC_LIGHT (and async kcompactd-style, not direct) looks at every page and isolates all seven', () => {
    for (const p of [{ mode: 'sync_light' as const }, { mode: 'async' as const, direct: false }]) {
      const m = layout();
      const cc = control(m, p);
      const list: Folio[] = [];
      cc.isolateMigratepagesBlock(0x1000, 0x1200, list);
      assert.deepEqual(heads(list), [0x1000, 0x1002, 0x1003, 0x1004, 0x1005, 0x1006, 0x1007], JSON.stringify(p));
      assert.equal(cc.migratePfn, 0x1200);
      assert.equal(cc.totalMigrateScanned, 512);
      assert.equal(cc.totalIsolated, 7);
    }
  });

  it('order 9 (a pageblock): one unmovable page after isolated ones puts everything back and leaves the block', () => {
    const m = zone4();
    anon(m, 0x1000, 20); // 0x1014 onwards: kernel pages
    const cc = control(m, { order: 9 });
    const list: Folio[] = [];
    cc.isolateMigratepagesBlock(0x1000, 0x1200, list);
    assert.deepEqual(list, []);
    assert.equal(cc.nrMigratepages, 0);
    assert.equal(cc.migratePfn, 0x1200);
    assert.equal(cc.totalMigrateScanned, 21);
    assert.equal(cc.totalIsolated, 0);
    // the block gave nothing: it is marked skip and the cached pfn moves past it
    assert.equal(m.c.getSkip(0x1000), true);
  });
});

describe('the free scanner\'s stride (isolate_freepages)', () => {
  // block 3 (0x1600): kernel pages only; block 2 (0x1400): free pages at odd pfns only; block 1 (0x1200): free pages
  // at 0x1201, 0x1204 and 0x1220; the migrate scanner is in block 0, one page to migrate
  function layout(): Machine {
    const m = zone4();
    for (let p = 0x1401; p < 0x1600; p += 2) release(m, p, 0, MOVABLE);
    for (const p of [0x1201, 0x1204, 0x1220]) release(m, p, 0, MOVABLE);
    return m;
  }
  function scan(m: Machine, p: Partial<CompactParams>): CompactControl {
    // order -1: no fast_isolate_freepages (cc->order <= 0), only the linear scan
    const cc = control(m, { order: -1, direct: false, wholeZone: true, ignoreSkipHint: true, ...p });
    cc.migratePfn = START;
    cc.freePfn = 0x1600;
    cc.nrMigratepages = 1;
    cc.isolateFreepages();
    return cc;
  }

  it('MIGRATE_SYNC: stride 1 in block 3 (nothing), 2 in block 2 (misses every odd pfn), 4 in block 1 (finds 0x1204, not 0x1201)', () => {
    const m = layout();
    const cc = scan(m, { mode: 'sync' });
    assert.deepEqual(pool(cc), [0x1204]);
    assert.equal(cc.totalFreeScanned, 512 + 256 + 2);
    assert.equal(cc.totalIsolated, 1);
    assert.equal(cc.freePfn, 0x1205);
    // blocks 3 and 2 were scanned whole without a page: skip hints, the cached free pfn below them
    assert.equal(m.c.getSkip(0x1600), true);
    assert.equal(m.c.getSkip(0x1400), true);
  });

  it('MIGRATE_ASYNC: stride 32 from the start: 16 looks per empty block, then 0x1220 in block 1', () => {
    const m = layout();
    const cc = scan(m, { mode: 'async' });
    assert.deepEqual(pool(cc), [0x1220]);
    assert.equal(cc.totalFreeScanned, 16 + 16 + 2);
    assert.equal(cc.freePfn, 0x1221);
  });

  it('MIGRATE_ASYNC: a block that gives pages (but not enough) brings the stride back to 1', () => {
    const m = layout();
    release(m, 0x1620, 0, MOVABLE); // block 3: one free page on the stride-32 grid
    const cc = control(m, { order: -1, direct: false, wholeZone: true, ignoreSkipHint: true, mode: 'async' });
    cc.migratePfn = START;
    cc.freePfn = 0x1600;
    cc.nrMigratepages = 2;
    cc.isolateFreepages();
    // block 3: 0x1600, 0x1620 (isolated), then 0x1640 ... 0x17e0: 16 looks; block 2 at stride 1: 0x1400, 0x1401
    assert.deepEqual(pool(cc), [0x1401, 0x1620]);
    assert.equal(cc.totalFreeScanned, 16 + 2);
    assert.equal(cc.freePfn, 0x1402);
  });
});

describe('vmstat after a MIGRATE_ASYNC compaction', () => {
  it('the scan and isolation counters are counted and printed like any other compaction\'s', () => {
    // a costly allocation's first compaction is COMPACT_PRIO_ASYNC (__alloc_pages_slowpath)
    const o = runText(`kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
fill Normal 40% anon
alloc order 9 movable as a
expect a ok
expect vmstat compact_free_scanned > 0
expect vmstat compact_migrate_scanned > 0
expect vmstat compact_stall == 1
`);
    assert.deepEqual(o.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    assert.match(vmstatText(o.machine.c.vm), /^compact_migrate_scanned [1-9]\d*\ncompact_free_scanned [1-9]\d*\ncompact_isolated [1-9]\d*\n/m);
  });
});

describe('compaction_suit_allocation_order with the request\'s highest_zoneidx (lowmem_reserve)', () => {
  // DMA holds 1,536 free pages (an order-9 and an order-10 block); DMA32 has none. A movable order-9 request
  // (highest zone Movable) cannot have DMA's blocks: 1536 - 511 <= min + lowmem_reserve[Movable] (1008).
  // mm/compaction.c compaction_suit_allocation_order(zone, order, highest_zoneidx, alloc_flags) and
  // __compaction_suitable() include that reserve, so DMA is COMPACT_SKIPPED, not "order-9 watermark already met";
  // every zone skipped means no COMPACTSTALL (__alloc_pages_direct_compact returns before counting it).
  it('DMA is skipped for its lowmem reserve; no compact_stall, no compact_fail', () => {
    const o = runText(`kernel 6.12
machine {
  node 0 {
    zone DMA    0x1..0x1000
    zone DMA32  0x1000..0x40000
  }
}
pages 0x1..0xa00 kernel
pages 0x1000..0x40000 kernel
alloc order 9 movable as a
expect a -ENOMEM
expect vmstat compact_stall == 0
expect vmstat compact_fail == 0
`);
    assert.deepEqual(o.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    const dma = resultOf(o, 'a').slowpath!.compaction.filter((x) => x.zone === 'node 0 DMA');
    assert.ok(dma.length > 0);
    for (const x of dma) {
      assert.equal(x.result, 'COMPACT_SKIPPED');
      assert.match(x.detail, /\+ lowmem_reserve 1008/);
    }
  });
});
