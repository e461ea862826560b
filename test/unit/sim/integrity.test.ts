// Simulator integrity: valid scenarios that crashed or corrupted the state (issues 15/16).
// Each test is a minimal reproduction; the state must stay consistent (checkInvariants + conservation).
import assert from 'node:assert/strict';
import { spec, machine, run, pfn } from './helpers.js';
import { conservation } from '../../../src/sim/invariants.js';
import type { Machine } from '../../../src/sim/machine.js';

function clean(m: Machine): void {
  assert.deepEqual(m.checkInvariants(), []);
  assert.deepEqual(conservation(m.c), []);
}

describe('integrity: crashes on valid scenarios', () => {
  it('free of a 1 GiB alloc_contig_pages range frees page by page (free_contig_range) without a stack overflow', () => {
    const m = machine(spec({ zones: [['Normal', 0x40000, 0x100000]] }));
    const before = m.zones()[0]!.free;
    const g = run(m, { op: 'alloc_contig_pages', pages: 262144, nid: null, zone: null });
    assert.equal(g.ok, true, g.reason ?? '');
    const r = run(m, { op: 'free', target: { kind: 'name', name: 'g' }, order: null }, 0, new Map([['g', g]]));
    assert.equal(r.ok, true, r.reason ?? '');
    run(m, { op: 'drain', cpu: null, zone: null });
    assert.equal(m.zones()[0]!.free, before);
    clean(m);
  });

  it('migrate of a free hugetlb folio fails (isolate_hugetlb: refcount 0) and the pool stays consistent', () => {
    const m = machine(spec({ zones: [], nodes: [{ nid: 0, zones: [['Normal', 0x40000, 0x80000]] }, { nid: 1, zones: [['Normal', 0xc0000, 0x100000]] }] }));
    run(m, { op: 'hugetlb_resize', pages: 512, count: 40, nid: null });
    assert.equal(m.pageInfo(0xc1e00).state, 'hugetlb_free');
    const r = run(m, { op: 'migrate', target: pfn(0xc1e00), nid: 1 });
    assert.equal(r.ok, false);
    assert.equal(r.errno, 'EBUSY');
    assert.match(r.reason!, /free hugetlb folio/);
    assert.deepEqual(m.hugetlbPool(512), { total: 40, free: 40 });
    const s = run(m, { op: 'hugetlb_resize', pages: 512, count: 0, nid: null });
    assert.equal(s.ok, true, s.reason ?? '');
    assert.deepEqual(m.hugetlbPool(512), { total: 0, free: 0 });
    clean(m);
  });
});
