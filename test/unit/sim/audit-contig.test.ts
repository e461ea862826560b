// Audit of isolation / alloc_contig / migration / CMA / hugetlb against the kernel source (6.12 and current).
// Each test names the kernel function whose behaviour it pins down.
import assert from 'node:assert/strict';
import { spec, machine, run } from './helpers.js';
import { takeFree } from '../../../src/sim/buddy.js';
import type { Machine } from '../../../src/sim/machine.js';

const acr = (start: number, end: number) => ({ op: 'alloc_contig_range' as const, start, end, cma: false, gfp: [] });

/** a 2 MiB hugetlb folio at p, registered in node 0's pool (free or in use) */
function huge(m: Machine, p: number, free: boolean): void {
  takeFree(m.c, p, 512);
  const e = m.c.addExtent(m.c.newExtent(p, 512, 9, true, 'hugetlb', 0, free ? 'hugetlb pool' : 'user'));
  e.hugeFree = free;
  let pools = m.c.pools.get(512);
  if (!pools) m.c.pools.set(512, (pools = new Map()));
  let n = pools.get(0);
  if (!n) pools.set(0, (n = { total: 0, free: [], surplus: 0 }));
  n.total++;
  if (free) n.free.push(p);
}

describe('audit: hugetlb migration targets (mm/hugetlb.c, 6.12)', () => {
  it('alloc_migrate_hugetlb_folio: a fresh target is temporary; after move_hugetlb_state the source is freed to buddy, the pool does not grow', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }), '6.12');
    huge(m, 0x10200, false); // in use, no free folio in the pool
    assert.deepEqual(m.hugetlbPool(512), { total: 1, free: 0 });
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.ok, true, r.reason ?? '');
    assert.equal(r.migrations.filter((x) => x.result === 'ok' && x.src === 0x10200).length, 1);
    // kernel: nr_huge_pages stays 1 (the temporary source is removed by free_huge_folio), nothing free
    assert.deepEqual(m.hugetlbPool(512), { total: 1, free: 0 });
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('alloc_and_dissolve_hugetlb_folio: the replacement is enqueued at the head of the free list (enqueue_hugetlb_folio)', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }), '6.12');
    huge(m, 0x10200, true); // A
    huge(m, 0x11000, true); // B, enqueued later → head
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.ok, true, r.reason ?? '');
    // shrinking by one removes the head of hugepage_freelists (remove_pool_hugetlb_folio): the replacement, not B
    run(m, { op: 'hugetlb_resize', pages: 512, count: 1, nid: null });
    assert.deepEqual(m.hugetlbPool(512), { total: 1, free: 1 });
    assert.equal(m.pageInfo(0x11000).state, 'hugetlb_free');
  });
});

describe('audit: alloc_contig_range migration gfp (mm/page_alloc.c __alloc_contig_migrate_range, 6.12)', () => {
  it('gigantic pool growth (GFP_HIGHUSER caller): targets are GFP_USER|__GFP_MOVABLE|__GFP_RETRY_MAYFAIL, never ZONE_MOVABLE', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x40000], ['Normal', 0x40000, 0x80000], ['Movable', 0x80000, 0xc0000]] }), '6.12');
    run(m, { op: 'page', start: 0x1000, end: 0x40000, kind: 'kernel', modifiers: [] }); // DMA32 full
    run(m, { op: 'page', start: 0x40010, end: 0x40011, kind: 'anon', modifiers: [] });
    const r = run(m, { op: 'hugetlb_resize', pages: 262144, count: 1, nid: null });
    assert.equal(r.ok === false || r.ok === true, true);
    // kernel: the only target zones are Normal (isolated) and DMA32 (full) → -ENOMEM, no gigantic page
    assert.deepEqual(m.hugetlbPool(262144), { total: 0, free: 0 });
    assert.equal(m.pageInfo(0x40010).state, 'allocated');
    assert.deepEqual(m.checkInvariants(), []);
  });
});

describe('audit: alloc_contig_pages start pfn (mm/page_alloc.c, 6.12)', () => {
  it('pfn = ALIGN(zone_start_pfn, nr_pages) is the mask formula, also for nr_pages not a power of two', () => {
    // ALIGN(0x11200, 0x300) = (0x11200 + 0x2ff) & ~0x2ff = 0x11400
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x11200], ['Normal', 0x11200, 0x20000]] }), '6.12');
    const r = run(m, { op: 'alloc_contig_pages', pages: 0x300, nid: 0, zone: { nid: 0, zone: 'Normal' } as never });
    assert.equal(r.ok, true, r.reason ?? '');
    assert.deepEqual(r.allocated, [{ pfn: 0x11400, pages: 0x300 }]);
  });
});

describe('audit: alloc_contig_range with __GFP_COMP (mm/page_alloc.c, 6.12 "support __GFP_COMP")', () => {
  const comp = (start: number, end: number) => ({ op: 'alloc_contig_range' as const, start, end, cma: false, gfp: ['GFP_KERNEL', '__GFP_COMP'] });
  it('outer range ≠ requested range → -EINVAL, nothing allocated', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }), '6.12');
    // isolation leaves an order-9 buddy at 0x10000: outer_start = 0x10000, outer_end = 0x10200 ≠ end
    const r = run(m, comp(0x10000, 0x10100));
    assert.equal(r.ok, false);
    assert.equal(r.errno, 'EINVAL');
    assert.deepEqual(r.allocated, []);
    assert.equal(m.pageInfo(0x10000).state, 'buddy');
    assert.equal(m.zones()[1].nr_isolate_pageblock, 0);
    assert.deepEqual(m.checkInvariants(), []);
  });
  it('exact power-of-two range → one compound page of that order (prep_new_page)', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }), '6.12');
    const r = run(m, comp(0x10000, 0x10200));
    assert.equal(r.ok, true, r.reason ?? '');
    const e = m.c.extentContaining(0x10000)!;
    assert.equal(e.folio, true);
    assert.equal(e.order, 9);
    assert.equal(e.n, 0x200);
    assert.deepEqual(m.checkInvariants(), []);
  });
});

describe('audit: hugetlb migration target from another node (dequeue_hugetlb_folio_nodemask, 6.12)', () => {
  it('a free pool folio on another node is dequeued before a fresh one is allocated (MR_CONTIG_RANGE has no __GFP_THISNODE for the dequeue)', () => {
    const m = machine(spec({ zones: [], nodes: [{ nid: 0, zones: [['Normal', 0x10000, 0x20000]] }, { nid: 1, zones: [['Normal', 0x20000, 0x30000]] }] }), 'latest');
    huge(m, 0x10200, false);
    takeFree(m.c, 0x21000, 512);
    const e = m.c.addExtent(m.c.newExtent(0x21000, 512, 9, true, 'hugetlb', 0, 'hugetlb pool'));
    e.hugeFree = true;
    m.c.pools.get(512)!.set(1, { total: 1, free: [0x21000], surplus: 0 });
    const r = run(m, acr(0x10000, 0x10400));
    assert.equal(r.ok, true, r.reason ?? '');
    const mg = r.migrations.find((x) => x.src === 0x10200 && x.result === 'ok')!;
    assert.equal(mg.dst, 0x21000);
    assert.equal(m.pageInfo(0x21000).state === 'hugetlb_free', false);
    assert.deepEqual(m.checkInvariants(), []);
  });
});

describe('audit: alloc_contig_range gfp validation (__alloc_contig_verify_gfp_mask)', () => {
  const with_ = (gfp: string[]) => ({ op: 'alloc_contig_range' as const, start: 0x10000, end: 0x10400, cma: false, gfp });
  for (const g of [['GFP_ATOMIC'], ['GFP_KERNEL', '__GFP_NOMEMALLOC'], ['GFP_KERNEL_ACCOUNT'], ['GFP_KERNEL', '__GFP_MEMALLOC']]) {
    it(`${g.join('|')}: a flag outside reclaim|COMP|RETRY_MAYFAIL|NOWARN|ZERO → -EINVAL`, () => {
      const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }));
      const r = run(m, with_(g));
      assert.equal(r.errno, 'EINVAL');
      assert.equal(m.pageInfo(0x10000).state, 'buddy');
    });
  }
  for (const g of [['GFP_USER'], ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO', '__GFP_NOWARN'], ['GFP_NOIO'], ['GFP_KERNEL', '__GFP_WRITE', '__GFP_RECLAIMABLE']]) {
    it(`${g.join('|')}: placement hints are ignored, allowed`, () => {
      const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }));
      const r = run(m, with_(g));
      assert.equal(r.ok, true, r.reason ?? '');
    });
  }
});
