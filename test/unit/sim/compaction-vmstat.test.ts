// The /proc/vmstat compaction counters, counted where the kernel counts them (mm/compaction.c, 6.12):
// compact_zone adds cc->total_migrate_scanned / cc->total_free_scanned to COMPACTMIGRATE_SCANNED /
// COMPACTFREE_SCANNED at its end; isolate_migratepages_block, isolate_freepages_block and fast_isolate_freepages
// count COMPACTISOLATED and add their nr_scanned to the totals; fast_find_migrateblock adds the free-list entries
// it looked at; kcompactd_do_work counts KCOMPACTD_WAKE and, like compact_node(pgdat, true), the
// KCOMPACTD_*_SCANNED totals after each zone. The scenarios are small enough to count by hand.
import { strict as assert } from 'node:assert';
import { machine, spec, kernelZone4, anonRun, release, run, list, runText } from './helpers.js';
import { takeFree } from '../../../src/sim/buddy.js';
import { MOVABLE } from '../../../src/sim/consts.js';
import type { Machine } from '../../../src/sim/machine.js';
import { CompactControl, type CompactParams } from '../../../src/sim/compaction/control.js';
import { compactionHost } from '../../../src/sim/compaction/index.js';
import { fastFindMigrateblock, fastIsolateFreepages } from '../../../src/sim/compaction/fast.js';
import { wakeupKcompactd } from '../../../src/sim/compaction/kcompactd-wake.js';
import { vmstatText } from '../../../src/sim/vmstat.js';
import type { CompactionHost } from '../../../src/sim/compaction/host.js';

const START = 0x1000;

const zone4 = (): Machine => kernelZone4(START);
const anon = anonRun;
/** buddies of orders 0..8 filling [pfn + 1, pfn + 512) (pfn itself stays a kernel page) */
function staircase(m: Machine, pfn: number): void {
  for (let o = 0; o < 9; o++) release(m, pfn + (1 << o), o, MOVABLE);
}
const Z = (m: Machine) => m.c.zone(0, 2);
const control = (m: Machine, p: Partial<CompactParams> = {}, h: CompactionHost = compactionHost(m.c, Z(m), 0)) =>
  new CompactControl(h, { order: 9, freelist: 'multi_order', mode: 'sync_light', direct: true, ...p });
const vm = (m: Machine) => m.c.vm;

describe('compaction vmstat counters (compact_zone, mm/compaction.c)', () => {
  it('compact_memory over four pageblocks: compact_migrate_scanned 1536, compact_free_scanned 64, compact_isolated 95', () => {
    // block 0: 32 anon pages, then kernel pages; blocks 1-2: kernel; block 3: a kernel page at 0x1600, then buddies
    // of order 0..8 (the block start is not a free pageblock: suitable_migration_target)
    const m = zone4();
    anon(m, 0x1000, 32);
    staircase(m, 0x1600);
    const r = run(m, { op: 'compact', zone: { nid: 0, zone: 'Normal' }, order: -1 });
    assert.equal(r.compaction?.[0]?.result, 'COMPACT_COMPLETE', r.reason!);
    // round 1: isolate_migratepages_block(0x1000, 0x1200) isolates the 32 anon pages and stops at
    //   COMPACT_CLUSTER_MAX: nr_scanned 32, nr_isolated 32. compaction_alloc → isolate_freepages →
    //   isolate_freepages_block(0x1600, 0x1800): 0x1600 (1), then the buddies of order 0..5 (1+2+4+8+16+32 = 63 pages
    //   isolated, 63 >= 32: blockpfn += 32 and stop at 0x1640): nr_scanned 64
    // round 2: the rest of block 0 [0x1020, 0x1200): 480; rounds 3 and 4: blocks 1 and 2, 512 each; then the scanners
    //   meet (free_pfn 0x1640 is in block 3)
    assert.equal(vm(m).compact_migrate_scanned, 32 + 480 + 512 + 512);
    assert.equal(vm(m).compact_free_scanned, 64);
    assert.equal(vm(m).compact_isolated, 32 + 63);
    assert.equal(vm(m).pgmigrate_success, 32);
    // compact_memory is not a stall and not kcompactd
    assert.equal(vm(m).compact_stall, 0);
    assert.equal(vm(m).compact_daemon_wake, 0);
    assert.equal(vm(m).compact_daemon_migrate_scanned, 0);
    assert.equal(vm(m).compact_daemon_free_scanned, 0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('isolate_migratepages_block: a block aborted by its skip hint counts 1 (nr_scanned++ before isolation_suitable)', () => {
    const m = zone4();
    m.c.setSkip(0x1200, true);
    const cc = control(m);
    cc.isolateMigratepagesBlock(0x1200, 0x1400, []);
    assert.equal(cc.migratePfn, 0x1400);
    assert.equal(cc.totalMigrateScanned, 1);
    assert.equal(cc.totalIsolated, 0);
  });

  it('isolate_migratepages_block: an order-10 buddy at a block start counts 1024 in a 512-page block (low_pfn is clamped, nr_scanned is not)', () => {
    const m = zone4();
    release(m, 0x1000, 10, MOVABLE);
    const cc = control(m, { order: -1, mode: 'sync', wholeZone: true, ignoreSkipHint: true, direct: false });
    cc.isolateMigratepagesBlock(0x1000, 0x1200, []);
    assert.equal(cc.migratePfn, 0x1200);
    assert.equal(cc.totalMigrateScanned, 1024);
    // the second half is not PageBuddy: page by page, 512
    cc.isolateMigratepagesBlock(0x1200, 0x1400, []);
    assert.equal(cc.totalMigrateScanned, 1024 + 512);
  });

  it('isolate_freepages_block: a buddy __isolate_free_page refuses is counted, not passed (nr_scanned++ before the break)', () => {
    const m = zone4();
    staircase(m, 0x1600);
    const h = compactionHost(m.c, Z(m), 0);
    const cc = control(m, {}, { ...h, isolateFreePage: () => false });
    cc.nrMigratepages = 32;
    assert.equal(cc.isolateFreepagesBlock(0x1600, 0x1800), 0x1601);
    assert.equal(cc.totalFreeScanned, 2);
    assert.equal(cc.totalIsolated, 0);
  });

  it('fast_find_migrateblock adds the free-list entries it looked at to total_migrate_scanned', () => {
    const m = zone4();
    release(m, 0x1100, 3, MOVABLE);
    release(m, 0x1400, 3, MOVABLE);
    assert.deepEqual(list(m, 0, 'Normal', 3, MOVABLE), [0x1400, 0x1100]);
    const cc = control(m);
    cc.migratePfn = START;
    cc.freePfn = 0x1600;
    // high_pfn = pageblock_start_pfn(0x1000 + (0x600 >> 1)) = 0x1200: 0x1400 is above it (1), 0x1100 is taken (2)
    assert.equal(fastFindMigrateblock(cc), 0x1000);
    assert.deepEqual(cc.fastMigrate, [0x1000]);
    assert.equal(cc.totalMigrateScanned, 2);
  });

  it('fast_isolate_freepages counts the entries it walked plus the pages it isolated less one; fast_isolate_around counts its own scan', () => {
    const m = zone4();
    release(m, 0x1608, 3, MOVABLE);
    // a free pageblock (order 9, not searched: orders below cc->order) keeps the zone above the min watermark
    // that __isolate_free_page checks
    release(m, 0x1200, 9, MOVABLE);
    const cc = control(m);
    cc.migratePfn = START;
    cc.freePfn = 0x1600;
    cc.nrMigratepages = 32;
    // low_pfn = pageblock_start_pfn(0x1600 - (0x600 >> 2)) = 0x1400: the one order-3 entry (0x1608) is taken:
    // nr_scanned 1 + 8 - 1 = 8, COMPACTISOLATED 8; fast_isolate_around then scans [0x1600, 0x1800): 512
    fastIsolateFreepages(cc);
    assert.deepEqual(cc.fastFree, [{ pfn: 0x1608, order: 3 }]);
    assert.equal(cc.totalFreeScanned, 8 + 512);
    assert.equal(cc.totalIsolated, 8);
  });
});

describe('kcompactd vmstat counters (kcompactd_do_work, compact_node)', () => {
  /** Normal [1, 0x10000) (starting at pfn 1 like x86's lowest zone): [0x8000, 0x10000) anon with every other order-3 chunk free */
  function fragmented(): Machine {
    const m = machine(spec({ zones: [['Normal', 1, 0x10000]] }), '6.12');
    const c = m.c;
    takeFree(c, 1, 0x10000 - 1);
    c.addExtent(c.newExtent(1, 0x8000 - 1, 0, false, 'kernel', 0, 'test'));
    c.addExtent(c.newExtent(0x8000, 0x8000, 0, false, 'anon', 0, 'test'));
    for (let p = 0x8000; p < 0x10000; p += 16) release(m, p + 8, 3, MOVABLE, true);
    return m;
  }

  it('kcompactd_do_work: compact_daemon_wake 1, and the daemon scan counters equal what its compact_zone added to compact_*_scanned', () => {
    const m = fragmented();
    wakeupKcompactd(m.c, 0, 9, 2);
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /kcompactd_do_work/);
    assert.equal(vm(m).compact_daemon_wake, 1);
    assert.ok(vm(m).compact_migrate_scanned > 0);
    assert.ok(vm(m).compact_free_scanned > 0);
    assert.equal(vm(m).compact_daemon_migrate_scanned, vm(m).compact_migrate_scanned);
    assert.equal(vm(m).compact_daemon_free_scanned, vm(m).compact_free_scanned);
    assert.ok(vm(m).compact_isolated >= vm(m).pgmigrate_success * 2, 'each migrated page was isolated, and so was its target');
    assert.equal(vm(m).compact_stall, 0);
  });

  it('proactive compaction (compact_node(pgdat, true)): daemon scan counters, no compact_daemon_wake', () => {
    const m = fragmented();
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /proactive compaction/);
    assert.equal(vm(m).compact_daemon_wake, 0);
    assert.ok(vm(m).compact_migrate_scanned > 0);
    assert.equal(vm(m).compact_daemon_migrate_scanned, vm(m).compact_migrate_scanned);
    assert.equal(vm(m).compact_daemon_free_scanned, vm(m).compact_free_scanned);
  });

  it('a `compact` operation counts compact_*_scanned but not the daemon counters', () => {
    const m = fragmented();
    run(m, { op: 'compact', zone: { nid: 0, zone: 'Normal' }, order: -1 });
    assert.ok(vm(m).compact_migrate_scanned > 0);
    assert.equal(vm(m).compact_daemon_migrate_scanned, 0);
    assert.equal(vm(m).compact_daemon_free_scanned, 0);
  });
});

describe('expect vmstat and --format vmstat with the compaction counters', () => {
  const MACHINE = `kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;
  it('compact_memory: the scan counters are exact and can be expected', () => {
    const o = runText(`${MACHINE}fill Normal 40% anon
compact Normal
expect vmstat compact_migrate_scanned > 0
expect vmstat compact_free_scanned > 0
expect vmstat compact_isolated > 0
expect vmstat compact_daemon_wake == 0
`);
    assert.deepEqual(o.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    const text = vmstatText(o.machine.c.vm);
    assert.match(text, /^kswapd_high_wmark_hit_quickly 0\npageoutrun 0\npgmigrate_success \d+\ncompact_migrate_scanned \d+\ncompact_free_scanned \d+\ncompact_isolated \d+\ncompact_stall 0\ncompact_fail 0\ncompact_success 0\ncompact_daemon_wake 0\ncompact_daemon_migrate_scanned 0\ncompact_daemon_free_scanned 0\nhtlb_buddy_alloc_success 0\nhtlb_buddy_alloc_fail 0\n$/);
  });
});

describe('compact_isolated in alloc_contig_range (isolate_migratepages_range, isolate_freepages_range)', () => {
  const acr = (start: number, end: number) => ({ op: 'alloc_contig_range' as const, start, end, cma: false, gfp: [] });

  it('counts the folios isolated for migration and the free pages taken, pageblock by pageblock', () => {
    // [0x1200, 0x1400): 8 anon pages at 0x1200, the rest free; free targets elsewhere (block 3)
    const m = zone4();
    anon(m, 0x1200, 8);
    release(m, 0x1208, 3, MOVABLE);
    for (let o = 4; o < 9; o++) release(m, 0x1200 + (1 << o), o, MOVABLE);
    staircase(m, 0x1600);
    const r = run(m, acr(0x1200, 0x1400));
    assert.equal(r.ok, true, r.reason!);
    assert.equal(vm(m).pgmigrate_success, 8);
    // isolate_migratepages_block: the 8 anon pages; isolate_freepages_range(0x1200, 0x1400): one chunk, all 512 pages
    // buddies after the migration. Compaction's scan counters are compact_zone's only: alloc_contig_range adds none
    assert.equal(vm(m).compact_isolated, 8 + 512);
    assert.equal(vm(m).compact_migrate_scanned, 0);
    assert.equal(vm(m).compact_free_scanned, 0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('a range of two pageblocks, one anon page in each: 2 isolated for migration, 1024 free pages taken', () => {
    const m = zone4();
    for (const b of [0x1000, 0x1200]) {
      anon(m, b, 1);
      for (let o = 0; o < 9; o++) release(m, b + (1 << o), o, MOVABLE);
    }
    staircase(m, 0x1600);
    const r = run(m, acr(0x1000, 0x1400));
    assert.equal(r.ok, true, r.reason!);
    assert.equal(vm(m).pgmigrate_success, 2);
    // after the migration [0x1000, 0x1400) is one order-10 buddy: isolate_freepages_range's first chunk
    // [0x1000, 0x1200) isolates all of it (1024) and the loop ends (pfn += isolated)
    assert.equal(vm(m).compact_isolated, 2 + 1024);
    assert.deepEqual(m.checkInvariants(), []);
  });
});
