// Worked examples I1–I6 (kernel-mm.md §4.7), the PCP race of seed 000 and granularity/version differences.
import assert from 'node:assert/strict';
import { spec, machine, run, list, pfn, ctx } from './helpers.js';
import { MOVABLE, ISOLATE, UNMOVABLE } from '../../../src/sim/consts.js';
import type { OpResult } from '../../../src/sim/api.js';

const iso = (start: number, end: number, mode: 'other' | 'cma' | 'offline' = 'other') => ({ op: 'isolate' as const, start, end, mode });
const uniso = (start: number, end: number) => ({ op: 'unisolate' as const, start, end });

describe('isolation worked examples (kernel-mm.md §4.7)', () => {
  it('I1: a slab page in a NORMAL pageblock fails isolation at that pfn', () => {
    const m = machine(spec({ zones: [['Normal', 0, 0x8000]] }));
    assert.ok(run(m, { op: 'page', start: 0x2010, end: 0x2011, kind: 'slab', modifiers: [] }).ok);
    const r = run(m, iso(0x2000, 0x2200));
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0x2010);
    assert.match(r.reason!, /unmovable page \(slab\)/);
    assert.equal(m.zones()[0].nr_isolate_pageblock, 0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('I2: the same page in ZONE_MOVABLE does not stop isolation', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x8000], ['Movable', 0x8000, 0x10000]] }));
    run(m, { op: 'page', start: 0xa010, end: 0xa011, kind: 'slab', modifiers: [] });
    assert.ok(run(m, iso(0xa000, 0xa200)).ok);
    assert.equal(m.pageblock(0xa000).isolated, true);
  });

  it('I2: a PageReserved page stops isolation even in ZONE_MOVABLE', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x8000], ['Movable', 0x8000, 0x10000]], reserved: [[0xa010, 0xa011]] }));
    const r = run(m, iso(0xa000, 0xa200));
    assert.equal(r.pfn, 0xa010);
    assert.match(r.reason!, /Reserved/);
  });

  it('I3: isolating the upper half of a free order-10 block splits it; undo merges it back (tail)', () => {
    const m = machine(spec({ zones: [['Normal', 0, 0x8000]] }));
    const free0 = m.zones()[0].free;
    assert.ok(run(m, iso(0x600, 0x800)).ok);
    assert.ok(list(m, 0, 'Normal', 9, MOVABLE).includes(0x400));
    assert.deepEqual(list(m, 0, 'Normal', 9, ISOLATE), [0x600]);
    assert.equal(m.zones()[0].free, free0 - 512);
    assert.equal(m.zones()[0].nr_isolate_pageblock, 1);
    assert.ok(run(m, uniso(0x600, 0x800)).ok);
    const l10 = list(m, 0, 'Normal', 10, MOVABLE);
    assert.equal(l10[l10.length - 1], 0x400);
    assert.deepEqual(list(m, 0, 'Normal', 9, MOVABLE), []);
    assert.equal(m.zones()[0].free, free0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('I4: a CMA pageblock: mode other → -EBUSY, mode cma → isolated', () => {
    const m = machine(spec({ zones: [['Normal', 0, 0x8000]], cma: [['cma0', 0x4000, 0x4400]] }));
    assert.equal(m.zones()[0].cma_pages, 0x400);
    const r = run(m, iso(0x4000, 0x4200));
    assert.equal(r.errno, 'EBUSY');
    assert.match(r.reason!, /CMA/);
    assert.ok(run(m, iso(0x4000, 0x4200, 'cma')).ok);
    run(m, uniso(0x4000, 0x4200));
    assert.equal(m.pageblock(0x4000).migratetype, 'cma');
  });

  it('I5: overlapping isolations: the second fails and rolls back its own blocks', () => {
    const m = machine(spec({ zones: [['Normal', 0, 0x8000]] }));
    assert.ok(run(m, iso(0x800, 0xa00)).ok);
    const r = run(m, iso(0x600, 0xc00));
    assert.equal(r.errno, 'EBUSY');
    assert.equal(m.pageblock(0x600).isolated, false);
    assert.equal(m.pageblock(0xa00).isolated, false);
    assert.equal(m.pageblock(0x800).isolated, true);
    assert.equal(m.zones()[0].nr_isolate_pageblock, 1);
    assert.deepEqual(m.checkInvariants(), []);
  });

  for (const [kernel, after] of [['6.12', 'movable'], ['6.17', 'unmovable']] as const) {
    it(`I6: an UNMOVABLE block isolated and released comes back ${after} on ${kernel}`, () => {
      const m = machine(spec({ zones: [['Normal', 0, 0x8000]] }), kernel);
      const c = m.c;
      for (const p of [0x1000, 0x1200]) c.setMt(p, UNMOVABLE, 'test');
      c.moveFree(c.buddyAt(0x1000)!, UNMOVABLE);
      assert.ok(run(m, iso(0x1000, 0x1400, 'offline')).ok);
      run(m, uniso(0x1000, 0x1400));
      assert.equal(m.pageblock(0x1000).migratetype, after);
      assert.deepEqual(m.checkInvariants(), []);
    });
  }

  it('granularity: max_order (5.18) isolates the whole 4 MiB block, pageblock (5.19) only the 2 MiB one', () => {
    for (const [kernel, n] of [['5.18', 2], ['5.19', 1]] as const) {
      const m = machine(spec({ zones: [['Normal', 0, 0x8000]] }), kernel);
      assert.ok(run(m, iso(0x600, 0x800)).ok);
      assert.equal(m.zones()[0].nr_isolate_pageblock, n, kernel);
    }
  });
});

describe('seed 000 PCP race (a free racing alloc_contig_range)', () => {
  function race(pol: 'drain_once' | 'disable'): { r: OpResult; p: number; m: ReturnType<typeof machine> } {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x100000], ['Normal', 0x100000, 0x140000]], cpus: 2 }), 'latest', { contig_pcp: pol });
    const a = run(m, { op: 'alloc', order: 0, migratetype: 'movable', gfp: [], zone: null, count: 1 }, 0);
    const p = a.allocated[0].pfn;
    const labels = new Map([['p', a]]);
    const acr = m.run({ op: 'alloc_contig_range', start: 0x100000, end: 0x100400, cma: false, gfp: [] }, ctx(0));
    const fr = m.run({ op: 'free', target: { kind: 'name', name: 'p' }, order: null }, ctx(1, labels));
    assert.equal(fr.next().value, 'lookup');
    assert.equal(acr.next().value, 'isolate');
    assert.equal(acr.next().value, 'drain');
    assert.equal(fr.next().value, 'enqueue');
    assert.ok(fr.next().done);
    let n = acr.next();
    while (!n.done) n = acr.next();
    return { r: n.value, p, m };
  }
  it('drain once: the page lands on cpu 1\'s PCP list after the drain → -EBUSY at that pfn', () => {
    const { r, p, m } = race('drain_once');
    assert.equal(p, 0x100000);
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, p);
    assert.match(r.reason!, /PCP list after drain/);
    assert.equal(m.pageInfo(p).state, 'pcp');
    assert.deepEqual(m.checkInvariants(), []);
  });
  it('zone_pcp_disable (contig_pcp=disable): the free goes straight to buddy → ok', () => {
    const { r, m } = race('disable');
    assert.equal(r.ok, true, r.reason ?? '');
    assert.deepEqual(r.allocated, [{ pfn: 0x100000, pages: 0x400 }]);
    assert.deepEqual(m.checkInvariants(), []);
  });
  it('without the race the same range is allocated', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x100000], ['Normal', 0x100000, 0x140000]], cpus: 2 }));
    const a = run(m, { op: 'alloc', order: 0, migratetype: 'movable', gfp: [], zone: null, count: 1 });
    run(m, { op: 'free', target: pfn(a.allocated[0].pfn), order: null }, 1);
    run(m, { op: 'drain', cpu: null, zone: null });
    assert.ok(run(m, { op: 'alloc_contig_range', start: 0x100000, end: 0x100400, cma: false, gfp: [] }).ok);
  });
});
