// A gigantic hugetlb folio across an isolation boundary (mm/page_isolation.c isolate_single_pageblock()).
// 6.10+ (policy isolate_straddle = skip_huge): a PageHuge compound page across the boundary is stepped over; the
// range's migration then meets it and isolate_or_dissolve_huge_page() fences gigantic folios off with -ENOMEM.
// 5.19–6.9 (isolate_straddle = migrate, checked in 6.1's source): isolate_single_pageblock() migrates a PageHuge /
// LRU / __PageMovable compound page that straddles the boundary with __alloc_contig_migrate_range(head, head + nr);
// for a gigantic folio isolate_or_dissolve_huge_page() returns -ENOMEM, and any failure there is `goto failed` →
// -EBUSY. virtio-mem (drivers/virtio/virtio_mem.c virtio_mem_sbm_unplug_any_sb_online) skips a subblock on
// -EBUSY but ends the request on -ENOMEM.
import assert from 'node:assert/strict';
import { machine, run, spec } from './helpers.js';
import type { KernelPreset, MachineSpec, Operation } from '../../../src/sim/scenario.js';
import type { OpResult } from '../../../src/sim/api.js';
import type { Machine } from '../../../src/sim/machine.js';
import { presetPolicies } from '../../../src/sim/policies.js';

const L = { line: 1, col: 1, endLine: 1, endCol: 1 };
const acr = (start: number, end: number): Operation => ({ op: 'alloc_contig_range', start, end, gfp: [], cma: false });

function op(m: Machine, o: Operation): OpResult {
  const r = run(m, o);
  assert.deepEqual(m.checkInvariants(), [], `invariants after ${JSON.stringify(o)}`);
  return r;
}

describe('isolate_single_pageblock: a gigantic hugetlb folio across the boundary', () => {
  it('presets: migrate before 6.10, skip_huge from 6.10', () => {
    assert.equal(presetPolicies('6.1').isolate_straddle, 'migrate');
    assert.equal(presetPolicies('6.9').isolate_straddle, 'migrate');
    assert.equal(presetPolicies('6.10').isolate_straddle, 'skip_huge');
    assert.equal(presetPolicies('6.12').isolate_straddle, 'skip_huge');
  });
  const gig = (kernel: KernelPreset) => machine(spec({ zones: [['DMA32', 0x1000, 0x40000], ['Normal', 0x40000, 0x80000]], hugetlb: [{ pages: 262144, count: 1 }] }), kernel);
  it('6.12: stepped over at isolation, then -ENOMEM from the migration (isolate_or_dissolve_huge_page)', () => {
    const m = gig('6.12');
    const r = op(m, acr(0x40000, 0x40400));
    assert.equal(r.errno, 'ENOMEM');
    assert.equal(m.zones().find((z) => z.zone === 'Normal')!.nr_isolate_pageblock, 0);
  });
  it('6.1: -EBUSY at isolation (the end boundary\'s scan from 0x40000 meets the folio), nothing left isolated', () => {
    const m = gig('6.1');
    const r = op(m, acr(0x40000, 0x40400));
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0x40000);
    assert.match(r.reason ?? '', /gigantic/);
    assert.equal(r.migrations.length, 0);
    assert.equal(m.zones().find((z) => z.zone === 'Normal')!.nr_isolate_pageblock, 0);
    assert.equal(m.pageInfo(0x40000).state, 'hugetlb_free');
  });
});

describe('virtio-mem unplug over a gigantic hugetlb folio: 6.12 ends the request, 6.1 skips subblocks', () => {
  const MB = 32768;
  const DEV = 0x100000;
  function boot(kernel: KernelPreset): Machine {
    const s: MachineSpec = spec({ zones: [['DMA32', 0x1000, 0x40000], ['Normal', 0x40000, 0x60000]] });
    s.virtioMem.push({ name: 'vmem0', nid: 0, start: DEV, end: DEV + 8 * MB, blockPages: 512, loc: L });
    const m = machine(s, kernel);
    assert.ok(op(m, { op: 'virtio_mem', device: 'vmem0', action: 'plug', pages: 8 * MB }).ok);
    op(m, { op: 'hugetlb_resize', pages: 262144, count: 1, nid: null });
    assert.equal(m.pageInfo(DEV).state, 'hugetlb_free', 'the gigantic folio sits in the device memory');
    return m;
  }
  const tries = (r: OpResult) => r.events.filter((e) => e.type === 'note' && /alloc_contig_range\(/.test((e as { text: string }).text)).length;
  it('6.12: the first subblock fails -ENOMEM and the request ends there', () => {
    const m = boot('6.12');
    const r = op(m, { op: 'virtio_mem', device: 'vmem0', action: 'unplug', pages: 512 });
    assert.equal(r.errno, 'ENOMEM');
    assert.equal(tries(r), 1);
  });
  it('6.1: every subblock fails -EBUSY and is skipped; the request ends -EBUSY after trying them all', () => {
    const m = boot('6.1');
    const r = op(m, { op: 'virtio_mem', device: 'vmem0', action: 'unplug', pages: 512 });
    assert.equal(r.errno, 'EBUSY');
    assert.ok(tries(r) > 1, `tries ${tries(r)}`);
  });
});

describe('isolate_single_pageblock: an LRU folio across the boundary', () => {
  // an order-10 anon folio [0x40400, 0x40800); the range starts at 0x40600, inside it
  const text = (kernel: KernelPreset) => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x40000], ['Normal', 0x40000, 0x80000]] }), kernel);
    op(m, { op: 'folio', pfn: 0x40400, order: 10, kind: 'anon', modifiers: [] });
    return m;
  };
  it('6.12: -EBUSY (a non-hugetlb compound page across the boundary fails isolation)', () => {
    const m = text('6.12');
    const r = op(m, acr(0x40600, 0x40a00));
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0x40400);
  });
  it('6.1: migrated away during isolation, the range is allocated', () => {
    const m = text('6.1');
    const r = op(m, acr(0x40600, 0x40a00));
    assert.equal(r.ok, true, r.reason ?? '');
    assert.ok(r.migrations.some((x) => x.src === 0x40400 && x.dst !== null));
  });
});
