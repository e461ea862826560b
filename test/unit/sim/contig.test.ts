// Worked examples A1–A7 (kernel-mm.md §5.1), CMA and hugetlb.
import assert from 'node:assert/strict';
import { spec, machine, run, list, pfn } from './helpers.js';
import { MOVABLE, ISOLATE } from '../../../src/sim/consts.js';
import { takeFree } from '../../../src/sim/buddy.js';
import type { Machine } from '../../../src/sim/machine.js';

const acr = (start: number, end: number, gfp: string[] = [], cma = false) => ({ op: 'alloc_contig_range' as const, start, end, cma, gfp });
const std = () => machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }));

/** a free 2 MiB hugetlb folio at pfn, in the pool */
function hugeAt(m: Machine, p: number): void {
  takeFree(m.c, p, 512);
  const e = m.c.addExtent(m.c.newExtent(p, 512, 9, true, 'hugetlb', 0, 'hugetlb pool'));
  e.hugeFree = true;
  m.c.pools.set(512, new Map([[0, { total: 1, free: [p], surplus: 0 }]]));
}

describe('alloc_contig_range worked examples (kernel-mm.md §5.1)', () => {
  it('A1: one free order-10 block → 0, the range is allocated', () => {
    const m = std();
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.ok, true, r.reason ?? '');
    assert.deepEqual(r.allocated, [{ pfn: 0x10000, pages: 0x400 }]);
    assert.equal(m.pageInfo(0x10000).state, 'allocated');
    assert.equal(m.pageInfo(0x103ff).state, 'allocated');
    assert.equal(m.zones()[1].nr_isolate_pageblock, 0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  for (const kernel of ['latest', '5.15'] as const) {
    it(`A2: unaligned [0x10100, 0x10300) → 0, the outer parts are freed back (${kernel})`, () => {
      const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }), kernel);
      const r = run(m, acr(0x10100, 0x10300));
      assert.equal(r.ok, true, r.reason ?? '');
      assert.deepEqual(list(m, 0, 'Normal', 8, MOVABLE), [0x10000, 0x10300].filter((p) => list(m, 0, 'Normal', 8, MOVABLE).includes(p)));
      assert.ok(list(m, 0, 'Normal', 8, MOVABLE).includes(0x10000));
      assert.ok(list(m, 0, 'Normal', 8, MOVABLE).includes(0x10300));
      assert.deepEqual(list(m, 0, 'Normal', 8, ISOLATE), []);
      assert.equal(m.pageInfo(0x100ff).state, 'buddy');
      assert.equal(m.pageInfo(0x10100).state, 'allocated');
      assert.equal(m.pageInfo(0x10300).state, 'buddy');
      assert.equal(m.zones()[1].nr_isolate_pageblock, 0);
      assert.deepEqual(m.checkInvariants(), []);
    });
  }

  it('A3: a slab page → -EBUSY at isolation, no migration', () => {
    const m = std();
    run(m, { op: 'page', start: 0x10205, end: 0x10206, kind: 'slab', modifiers: [] });
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0x10205);
    assert.match(r.reason!, /unmovable page \(slab\)/);
    assert.equal(r.migrations.length, 0);
    assert.ok(!r.events.some((e) => e.type === 'phase' && e.phase === 'migrate'));
  });

  it('A4: a pinned anon page → -EBUSY at it from test_pages_isolated; other pages migrated', () => {
    const m = std();
    run(m, { op: 'page', start: 0x10010, end: 0x10011, kind: 'anon', modifiers: ['pinned'] });
    run(m, { op: 'page', start: 0x10020, end: 0x10022, kind: 'anon', modifiers: [] });
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0x10010);
    assert.match(r.reason!, /pinned/);
    assert.equal(r.migrations.filter((x) => x.result === 'EAGAIN' && x.src === 0x10010).length, 5);
    assert.equal(r.migrations.filter((x) => x.result === 'ok').length, 2);
    assert.ok(r.events.some((e) => e.type === 'phase' && e.phase === 'test'));
    assert.equal(m.pageInfo(0x10010).state, 'allocated');
    assert.equal(m.zones()[1].nr_isolate_pageblock, 0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('A4 in ZONE_MOVABLE: isolation passes, the outcome is the same', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Movable', 0x10000, 0x20000]] }));
    run(m, { op: 'page', start: 0x10010, end: 0x10011, kind: 'anon', modifiers: ['pinned'] });
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0x10010);
  });

  it('A5: a free 2 MiB hugetlb folio is replaced and dissolved → 0', () => {
    const m = std();
    hugeAt(m, 0x10200);
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.ok, true, r.reason ?? '');
    assert.deepEqual(m.hugetlbPool(512), { total: 1, free: 1 });
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('A5: no memory for the replacement → -ENOMEM', () => {
    const m = machine(spec({ zones: [['Normal', 0x10000, 0x10800]] }));
    hugeAt(m, 0x10200);
    run(m, { op: 'page', start: 0x10400, end: 0x10800, kind: 'anon', modifiers: [] });
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.errno, 'ENOMEM');
    assert.equal(m.zones()[0].nr_isolate_pageblock, 0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('A6: a 1 GiB hugetlb folio in the range → -ENOMEM', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x40000], ['Normal', 0x40000, 0x80000]], hugetlb: [{ pages: 262144, count: 1 }] }));
    assert.deepEqual(m.hugetlbPool(262144), { total: 1, free: 1 });
    assert.equal(m.pageInfo(0x40000).state, 'hugetlb_free');
    const r = run(m, acr(0x40000, 0x40400));
    assert.equal(r.errno, 'ENOMEM');
  });

  it('A7: GFP_KERNEL|__GFP_NOFAIL → -EINVAL', () => {
    const m = std();
    assert.equal(run(m, acr(0x10000, 0x10400, ['GFP_KERNEL', '__GFP_NOFAIL'])).errno, 'EINVAL');
  });

  it('phases in order', () => {
    const m = std();
    const g = m.run(acr(0x10000, 0x10400), { cpu: 0, label: 'r', resolve: () => [] });
    const ph: string[] = [];
    for (let n = g.next(); !n.done; n = g.next()) ph.push(n.value);
    assert.deepEqual(ph, ['isolate', 'drain', 'migrate', 'dissolve', 'test', 'take', 'undo']);
  });

  it('isolate_migratetype lost (6.12): an UNMOVABLE block comes back MOVABLE after a failed acr', () => {
    for (const [k, want] of [['6.12', 'movable'], ['latest', 'unmovable']] as const) {
      const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }), k);
      const c = m.c;
      c.setMt(0x10000, 1 - 1, 'test');
      c.setMt(0x10200, 0, 'test');
      c.moveFree(c.buddyAt(0x10000)!, 0);
      run(m, { op: 'page', start: 0x10210, end: 0x10211, kind: 'anon', modifiers: ['pinned'] });
      assert.equal(run(m, acr(0x10000, 0x10400)).errno, 'EBUSY');
      assert.equal(m.pageblock(0x10000).migratetype, want, k);
    }
  });
});

describe('CMA and hugetlb', () => {
  it('cma_alloc skips a busy position and retries at the next aligned one; cma_release frees it', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]], cma: [['cma0', 0x18000, 0x19000]] }));
    assert.equal(m.pageblock(0x18000).migratetype, 'cma');
    run(m, { op: 'page', start: 0x18010, end: 0x18011, kind: 'anon', modifiers: ['pinned'] });
    const r = run(m, { op: 'cma_alloc', area: 'cma0', pages: 512, align: 9 }, 0, undefined, 'c');
    assert.equal(r.ok, true, r.reason ?? '');
    assert.deepEqual(r.allocated, [{ pfn: 0x18200, pages: 512 }]);
    assert.equal(m.pageblock(0x18000).migratetype, 'cma');
    const free0 = m.zones()[1].free;
    assert.ok(run(m, { op: 'cma_release', target: { kind: 'name', name: 'c' } }, 0, new Map([['c', r]])).ok);
    run(m, { op: 'drain', cpu: null, zone: null });
    assert.ok(m.zones()[1].free > free0);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('a CMA area not aligned to a pageblock is refused at boot (5.19+), to 4 MiB before', () => {
    const m1 = machine(spec({ zones: [['Normal', 0x10000, 0x20000]], cma: [['c', 0x18200, 0x18400]] }));
    assert.equal(m1.pageblock(0x18200).migratetype, 'cma');
    const m2 = machine(spec({ zones: [['Normal', 0x10000, 0x20000]], cma: [['c', 0x18200, 0x18400]] }), '5.15');
    assert.equal(m2.pageblock(0x18200).migratetype, 'movable');
    assert.match(m2.bootNotes.join('\n'), /not aligned/);
  });

  it('hugetlb 2M boot pool and resize', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]], hugetlb: [{ pages: 512, count: 4 }] }));
    assert.deepEqual(m.hugetlbPool(512), { total: 4, free: 4 });
    run(m, { op: 'hugetlb_resize', pages: 512, count: 8, nid: null });
    assert.deepEqual(m.hugetlbPool(512), { total: 8, free: 8 });
    run(m, { op: 'hugetlb_resize', pages: 512, count: 2, nid: null });
    assert.deepEqual(m.hugetlbPool(512), { total: 2, free: 2 });
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('gigantic pool growth never uses ZONE_MOVABLE (GFP_HIGHUSER)', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x40000], ['Movable', 0x40000, 0x80000]] }));
    run(m, { op: 'hugetlb_resize', pages: 262144, count: 1, nid: null });
    assert.deepEqual(m.hugetlbPool(262144), { total: 0, free: 0 });
    const m2 = machine(spec({ zones: [['DMA32', 0x1000, 0x40000], ['Normal', 0x40000, 0x80000]] }));
    run(m2, { op: 'hugetlb_resize', pages: 262144, count: 1, nid: null });
    assert.deepEqual(m2.hugetlbPool(262144), { total: 1, free: 1 });
    assert.equal(m2.pageInfo(0x40000).state, 'hugetlb_free');
    run(m2, { op: 'hugetlb_resize', pages: 262144, count: 0, nid: null });
    assert.deepEqual(m2.hugetlbPool(262144), { total: 0, free: 0 });
    assert.deepEqual(m2.checkInvariants(), []);
  });

  it('migrate a folio: a Migration record src → dst; a slab page is not migratable', () => {
    const m = std();
    run(m, { op: 'page', start: 0x10010, end: 0x10011, kind: 'anon', modifiers: [] });
    const r = run(m, { op: 'migrate', target: pfn(0x10010), nid: null });
    assert.equal(r.ok, true, r.reason ?? '');
    assert.equal(r.migrations[0].src, 0x10010);
    assert.notEqual(r.migrations[0].dst, null);
    run(m, { op: 'page', start: 0x10020, end: 0x10021, kind: 'slab', modifiers: [] });
    const s = run(m, { op: 'migrate', target: pfn(0x10020), nid: null });
    assert.equal(s.ok, false);
    assert.match(s.reason!, /not migratable/);
  });
});
