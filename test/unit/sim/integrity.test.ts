// Simulator integrity: valid scenarios that crashed or corrupted the state (issues 15/16).
// Each test is a minimal reproduction; the state must stay consistent (checkInvariants + conservation).
import assert from 'node:assert/strict';
import { spec, machine, run, pfn, runText } from './helpers.js';
import { conservation } from '../../../src/sim/invariants.js';
import type { Machine } from '../../../src/sim/machine.js';
import type { OpResult } from '../../../src/sim/api.js';
import type { Operation } from '../../../src/sim/scenario.js';
import { analyze } from '../../../src/language/index.js';
import { ScenarioRun } from '../../../src/sim/runner.js';

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

describe('integrity: labels after migration (bench op mix, issue 15)', () => {
  // bench/sim.ts: `alloc order 0 count 7 as o4626` … alloc_contig_range over its pageblock migrates the pages away,
  // the range is freed and an order-10 folio lands there; `free o4626` then named that folio 7 times and freed it
  // 7 times: __free_one_page re-added the same head, the free map lost the listed block, the lists broke.
  it('free LABEL after its pages were migrated frees the pages where they are now, not the new folio at the old pfns', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }));
    const labels = new Map<string, OpResult>();
    const go = (op: Operation, label: string) => {
      const r = run(m, op, 0, labels, label);
      labels.set(label, r);
      return r;
    };
    // take the pages at a known place: the range [0x10000, 0x10400) is all that is free in Normal... allocate there
    const a = go({ op: 'folio', pfn: 0x10010, order: 0, kind: 'anon', modifiers: [] }, 'a');
    const a2 = go({ op: 'folio', pfn: 0x10011, order: 0, kind: 'anon', modifiers: [] }, 'a2');
    assert.ok(a.ok && a2.ok);
    labels.set('a', { ...a, allocated: [{ pfn: 0x10010, pages: 1 }, { pfn: 0x10011, pages: 1 }] });
    m.c.unitAt(0x10011)!.owner = 'a';
    const r = go({ op: 'alloc_contig_range', start: 0x10000, end: 0x10400, cma: false, gfp: [] }, 'r');
    assert.equal(r.ok, true, r.reason ?? '');
    const moved = r.migrations.filter((x) => x.result === 'ok').map((x) => x.dst!);
    assert.equal(moved.length, 2);
    go({ op: 'free', target: { kind: 'name', name: 'r' }, order: null }, 'fr');
    go({ op: 'drain', cpu: null, zone: null }, 'd');
    const f = go({ op: 'folio', pfn: 0x10000, order: 10, kind: 'anon', modifiers: [] }, 'big');
    assert.equal(f.ok, true, f.reason ?? '');
    const fa = go({ op: 'free', target: { kind: 'name', name: 'a' }, order: null }, 'fa');
    assert.equal(fa.ok, true, fa.reason ?? '');
    assert.equal(m.pageInfo(0x10000).state, 'allocated');
    assert.equal(m.pageInfo(0x10000).owner, 'big');
    for (const d of moved) assert.notEqual(m.pageInfo(d).state, 'allocated');
    clean(m);
  });

  it('one free naming the same folio twice is a double free, not a corruption', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x20000]] }));
    assert.ok(run(m, { op: 'folio', pfn: 0x10000, order: 3, kind: 'anon', modifiers: [] }).ok);
    const x = { ok: true, errno: null, pfn: null, reason: null, allocated: [{ pfn: 0x10001, pages: 1 }, { pfn: 0x10002, pages: 1 }], migrations: [], events: [] };
    const r = run(m, { op: 'free', target: { kind: 'name', name: 'x' }, order: null }, 0, new Map([['x', x]]));
    assert.equal(r.ok, false);
    assert.equal(r.errno, 'EINVAL');
    assert.match(r.reason!, /double free/);
    assert.equal(m.pageInfo(0x10000).state, 'allocated');
    clean(m);
  });
});

describe('integrity: migration target next to its source', () => {
  it('migrating an order-0 page to the pfn after it frees only the source (the target run must not absorb it)', () => {
    const m = machine(spec({ zones: [['Normal', 0x40000, 0x80000]] }));
    const a = run(m, { op: 'alloc', order: 0, migratetype: 'movable', gfp: [], zone: null, count: 1 }, 0, undefined, 'a');
    const p = a.allocated[0]!.pfn;
    const r = run(m, { op: 'migrate', target: pfn(p), nid: null });
    assert.equal(r.ok, true, r.reason ?? '');
    const dst = r.migrations[0]!.dst!;
    assert.equal(dst, p + 1, 'the target is the next pfn (from the pcp list)');
    assert.equal(m.pageInfo(dst).state, 'allocated');
    assert.equal(m.pageInfo(dst).owner, 'a');
    assert.notEqual(m.pageInfo(p).state, 'allocated');
    clean(m);
  });
});

describe('integrity: checkInvariants is truthful on corrupt state', () => {
  const fresh = () => machine(spec({ zones: [['Normal', 0x40000, 0x80000]] }));
  const firstListed = (m: Machine) => {
    const z = m.c.zone(0, 2);
    for (let li = 0; li < z.head.length; li++) if (z.head[li] >= 0 && m.c.free.get(z.head[li])!.next >= 0) return { z, li, b: m.c.free.get(z.head[li])! };
    throw new Error('no list with two blocks');
  };

  it('a list that links to a block missing from the free map is a violation, not a TypeError', () => {
    const m = fresh();
    run(m, { op: 'alloc', order: 0, migratetype: 'movable', gfp: [], zone: null, count: 64 });
    const { b } = firstListed(m);
    m.c.free.delete(b.next);
    const v = m.checkInvariants();
    assert.ok(v.some((s) => /links to .* not in the free map/.test(s)), v.join('\n'));
  });

  it('a cycle in a list terminates the walk and is a violation', () => {
    const m = fresh();
    run(m, { op: 'alloc', order: 0, migratetype: 'movable', gfp: [], zone: null, count: 64 });
    const { b } = firstListed(m);
    m.c.free.get(b.next)!.next = b.pfn;
    const v = m.checkInvariants();
    assert.ok(v.some((s) => /cycle/.test(s)), v.join('\n'));
  });

  it('pages that vanished (an extent dropped without freeing) break conservation, reported by checkInvariants', () => {
    const m = fresh();
    const a = run(m, { op: 'alloc', order: 3, migratetype: 'movable', gfp: [], zone: null, count: 3 });
    m.c.removeExtent(m.c.extentContaining(a.allocated[1]!.pfn)!);
    const v = m.checkInvariants();
    assert.ok(v.some((s) => /buddy \d+ \+ pcp \d+ \+ allocated \d+ = \d+ != managed/.test(s)), v.join('\n'));
  });

  it('two free blocks that overlap are a violation', () => {
    const m = fresh();
    const b = [...m.c.free.values()].find((x) => x.order === 10)!;
    const z = m.c.zones[b.zone]!;
    m.c.addFree(z, b.pfn + 8, 3, b.mt, true);
    const v = m.checkInvariants();
    assert.ok(v.some((s) => /free block 0x[0-9a-f]+ order 3 overlaps free block/.test(s)), v.join('\n'));
  });
});

describe('integrity: found by the fuzzer (test/fuzz/scenario-gen.ts)', () => {
  it('compaction: a pinned file page that fails to migrate gives its target back once (compaction_free), not also to buddy', () => {
    const m = machine(spec({ zones: [['Normal', 0x40000, 0x80000]] }));
    assert.ok(run(m, { op: 'page', start: 0x40010, end: 0x40011, kind: 'file', modifiers: ['pinned'] }).ok);
    assert.ok(run(m, { op: 'page', start: 0x7fe00, end: 0x7fe01, kind: 'slab', modifiers: [] }).ok); // a target pageblock with small free blocks
    const r = run(m, { op: 'compact', zone: { nid: 0, zone: 'Normal' }, order: -1 });
    assert.ok(!r.reason?.startsWith('internal'), r.reason ?? '');
    assert.ok(r.migrations.some((x) => x.src === 0x40010 && x.result === 'EAGAIN'), JSON.stringify(r.migrations));
    run(m, { op: 'drain', cpu: null, zone: null });
    clean(m);
  });
});

describe('integrity: found by the long fuzz run (bench/fuzz.ts)', () => {
  it('unisolate of a range running past the last pfn: pageblocks beyond the machine are not isolated', () => {
    const m = machine(spec({ zones: [['Normal', 0x40000, 0x80000]] }));
    const u = run(m, { op: 'unisolate', start: 0x7fe00, end: 0x80400 });
    assert.ok(!u.reason?.startsWith('internal'), u.reason ?? '');
    assert.equal(m.c.isIsolated(0x80000), false);
    clean(m);
  });
  it('free of a PageOffline page (virtio-mem fake-offline, offline memory) is refused, not given to buddy', () => {
    const m = machine(spec({ zones: [['Normal', 0x40000, 0x80000]] }));
    assert.ok(m.host.virtioAllocContig(0x50000, 0x50200, 0, 'virtio-mem vmem0').ok);
    m.host.virtioSetFakeOffline(0x50000, 512, true, 'virtio-mem vmem0');
    const r = run(m, { op: 'free', target: pfn(0x50010), order: null });
    assert.equal(r.ok, false);
    assert.match(r.reason!, /PageOffline/);
    assert.equal(m.pageInfo(0x50010).state, 'offline');
  });
});

describe('integrity: memmap pages of coldplugged memory (bench/fuzz.ts seed 1522)', () => {
  // The struct pages of a `hotplug … offline` range are allocated from boot memory (vmemmap_populate) and owned
  // by the memmap: no user mapping, so GUP cannot pin them, and nobody but vmemmap_free frees them. A pin made
  // remove_memory's vmemmap_free fail ("page is pinned") as an internal error.
  const TEXT = (k: string) => `kernel ${k}
machine {
  node 0 {
    zone DMA32 0x1000..0x20000
    zone Normal 0x20000..0x40000
    hotplug 0x40000..0x50000 offline
  }
}
`;
  for (const k of ['5.15', '6.12']) {
    it(`pin and free of a memmap page are refused; remove_memory frees the memmap (kernel ${k})`, () => {
      const { scenario } = analyze(TEXT(k));
      const sr = new ScenarioRun(scenario!, null, {});
      sr.runToEnd();
      const m = sr.machine;
      const mm = [...m.c.ext.values()].find((e) => e.owner?.startsWith('memmap of '));
      assert.ok(mm, 'a memmap page allocated at boot');
      const p = mm.pfn + 0x14a;
      const pin = run(m, { op: 'pin', target: pfn(p), longterm: false });
      assert.equal(pin.ok, false);
      assert.match(pin.reason!, /memmap/);
      const fr = run(m, { op: 'free', target: pfn(p), order: null });
      assert.equal(fr.ok, false);
      assert.match(fr.reason!, /memmap/);
      const rm = run(m, { op: 'remove_memory', start: 0x40000, end: 0x48000 });
      assert.ok(!rm.reason?.startsWith('internal'), rm.reason ?? '');
      assert.equal(rm.ok, true, rm.reason ?? '');
      clean(m);
    });
  }
});

describe('freeing a label whose pages are already free', () => {
  it('says it may be a double free or the kernel may have freed them (shrink_slab, reclaim)', () => {
    const out = runText(`machine {
  node 0 {
    zone Normal 0x10000..0x20000
  }
}
page 0x10010 slab reclaimable
free 0x10010
free 0x10010 as again
expect again fails reason "double free, or the kernel freed it since (shrink_slab drops reclaimable slab"
`);
    assert.deepEqual(out.expectations.filter((e) => !e.ok).map((e) => e.message), []);
  });
});
