// src/sim/mapview.ts: zone-map summaries with exact numbers on a small machine, per-page detail, and speed
// on a 256 GiB machine (131072 pageblocks).
import * as assert from 'node:assert/strict';
import { machine, run, spec } from './helpers.js';
import {
  BS_ABSENT, BS_HOLE, BS_ONLINE, CLS, F_CMA, F_HOLE, F_ISOLATED, F_ZONE_MIX, PAGE_CLASSES, chooseCellPages, dominantMt, machineWindow, summarize,
} from '../../../src/sim/mapview.js';
import type { MachineSpec } from '../../../src/sim/scenario.js';

const byClass = (s: ReturnType<typeof summarize>, ci: number) =>
  Object.fromEntries(PAGE_CLASSES.map((c, i) => [c, s.counts[i]![ci]]).filter(([, n]) => n !== 0));

function small() {
  // 256 MiB: DMA32 0x1000..0x8000, Normal 0x8000..0x10000, CMA 0xc000..0xc400, 64 MiB memory blocks
  const m = machine(spec({ zones: [['DMA32', 0x1000, 0x8000], ['Normal', 0x8000, 0x10000]], cma: [['cma0', 0xc000, 0xc400]], memoryBlockPages: 0x4000 }));
  run(m, { op: 'page', start: 0x9000, end: 0x9010, kind: 'slab', modifiers: [] });
  run(m, { op: 'page', start: 0x9010, end: 0x9018, kind: 'slab', modifiers: ['reclaimable'] });
  run(m, { op: 'page', start: 0x9020, end: 0x9040, kind: 'anon', modifiers: [] });
  run(m, { op: 'page', start: 0x9040, end: 0x9044, kind: 'anon', modifiers: ['pinned'] });
  run(m, { op: 'isolate', start: 0xa000, end: 0xa400, mode: 'other' } as never);
  return m;
}

describe('mapview: zone-map summaries', () => {
  it('chooses the smallest power-of-two resolution that fits', () => {
    assert.equal(chooseCellPages(0, 0x10000, 128), 512);
    assert.equal(chooseCellPages(0, 0x10000, 100), 1024);
    assert.equal(chooseCellPages(0, 512, 4096), 1);
  });

  it('aggregates whole memory blocks: zones, pageblock types, CMA, free and allocated pages (exact)', () => {
    const m = small();
    const s = summarize(m, { start: 0, end: 0x10000, cellPages: 0x4000 });
    assert.equal(s.cells, 4);
    assert.deepEqual(s.zoneNames, ['0:DMA32', '0:Normal']);
    assert.deepEqual(s.zone, [0, 0, 1, 1]);
    assert.deepEqual(s.block, [0, 1, 2, 3]);
    assert.deepEqual(s.blockState, [BS_ONLINE, BS_ONLINE, BS_ONLINE, BS_ONLINE]);
    // the first block starts with a 16 MiB hole (pfn 0..0x1000): 8 pageblocks without a zone
    assert.deepEqual(s.online, [0x3000, 0x4000, 0x4000, 0x4000]);
    assert.equal(s.flags[0]! & F_HOLE, F_HOLE);
    // 32 pageblocks per cell; 2 CMA pageblocks in the last; two isolated in the third
    assert.deepEqual(s.mt[1], [24, 32, 32, 30]);
    assert.deepEqual(s.mt[4], [0, 0, 0, 2]);
    assert.deepEqual(s.mt[5], [0, 0, 0, 0], 'isolation is a flag, the stored type stays');
    assert.deepEqual(s.isolated, [0, 0, 2, 0]);
    assert.equal(s.flags[2]! & F_ISOLATED, F_ISOLATED);
    assert.equal(s.flags[3]! & F_CMA, F_CMA);
    assert.deepEqual(byClass(s, 2), { free: 0x4000 - 16 - 8 - 32 - 4, unmovable: 16, reclaimable: 8, movable: 32, pinned: 4 });
    assert.deepEqual(byClass(s, 0), { free: 0x3000 });
    for (let ci = 0; ci < s.cells; ci++) {
      const sum = s.counts.reduce((a, r) => a + r[ci]!, 0);
      assert.equal(sum, s.online[ci], `cell ${ci}: classes add up to the online pages`);
    }
    assert.equal(dominantMt(s, 3), 1);
  });

  it('one cell per pageblock: the pageblock with the pages, and the isolated ones', () => {
    const m = small();
    const s = summarize(m, { start: 0x9000, end: 0xa400, maxCells: 10 });
    assert.equal(s.cellPages, 512);
    assert.equal(s.cells, 10);
    assert.deepEqual(byClass(s, 0), { free: 512 - 60, unmovable: 16, reclaimable: 8, movable: 32, pinned: 4 });
    assert.deepEqual(s.isolated, [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    assert.deepEqual(byClass(s, 9), { free: 512 });
  });

  it('single pages: class per page, buddy and folio heads and orders', () => {
    const m = small();
    run(m, { op: 'folio', pfn: 0x9080, order: 2, kind: 'anon', modifiers: [] });
    const s = summarize(m, { start: 0x9000, end: 0x9200, cellPages: 1 });
    assert.equal(s.cells, 512);
    assert.equal(s.counts[CLS.unmovable]![0x0f], 1);
    assert.equal(s.counts[CLS.reclaimable]![0x10], 1);
    assert.equal(s.counts[CLS.free]![0x18], 1);
    assert.equal(s.counts[CLS.pinned]![0x41], 1);
    assert.deepEqual([s.head![0x81], s.order![0x81]], [0x9080, 2], 'a page of the order-2 folio');
    assert.deepEqual([s.head![0x18], s.order![0x18]], [0x9018, 3], 'free pages 0x9018..0x9020 are one order-3 buddy');
    assert.deepEqual([s.head![0x100], s.order![0x100]], [0x9100, 8]);
  });

  it('absent hotplug memory and holes are marked, not coloured as zones', () => {
    const sp: MachineSpec = spec({ zones: [['Normal', 0x8000, 0x10000]], memoryBlockPages: 0x4000 });
    sp.nodes[0]!.hotplug.push({ start: 0x10000, end: 0x18000, state: 'absent', loc: sp.nodes[0]!.loc });
    const m = machine(sp);
    const s = summarize(m, { ...machineWindow(m), cellPages: 0x4000 });
    assert.deepEqual(s.blockState, [BS_HOLE, BS_HOLE, BS_ONLINE, BS_ONLINE, BS_ABSENT, BS_ABSENT]);
    assert.deepEqual(s.online, [0, 0, 0x4000, 0x4000, 0, 0]);
    assert.deepEqual(s.zone, [-1, -1, 0, 0, -1, -1]);
  });

  it('marks a cell two zones share and gives it to the larger', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x9000], ['Normal', 0x9000, 0x10000]], memoryBlockPages: 0x4000 }));
    const s = summarize(m, { start: 0, end: 0x10000, cellPages: 0x4000 });
    assert.equal(s.flags[2]! & F_ZONE_MIX, F_ZONE_MIX);
    assert.equal(s.zoneNames[s.zone[2]!], '0:Normal');
  });

  it('summarises a 256 GiB machine (131072 pageblocks) in well under a second', function () {
    this.timeout(60_000);
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x100000], ['Normal', 0x100000, 0x4000000]], memoryBlockPages: 0x8000 }));
    run(m, { op: 'fill', zone: { nid: 0, zone: 'Normal' }, percent: 30, cls: 'movable', order: 0, packed: false });
    run(m, { op: 'alloc', order: 0, migratetype: 'unmovable', gfp: [], zone: null, count: 100 });
    assert.equal(m.c.pbMt.length, 131072);
    const t0 = performance.now();
    const s = summarize(m, { ...machineWindow(m), maxCells: 8192 });
    const whole = performance.now() - t0;
    assert.equal(s.cellPages, 8192);
    const online = s.online.reduce((a, b) => a + b, 0);
    assert.equal(online, 0x4000000 - 0x1000);
    const t1 = performance.now();
    summarize(m, { start: 0x2000000, end: 0x2000200, cellPages: 1 });
    const page = performance.now() - t1;
    console.log(`      256 GiB: whole machine ${whole.toFixed(0)} ms, one pageblock per page ${page.toFixed(0)} ms (${m.c.ext.size} extents, ${m.c.free.size} free blocks)`);
    assert.ok(whole < 1000, `whole machine took ${whole} ms`);
    assert.ok(page < 200, `per-page view took ${page} ms`);
  });
});
