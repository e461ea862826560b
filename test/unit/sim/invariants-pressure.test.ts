// The reclaim-state invariants (src/sim/invariants.ts pressureInvariants): each deliberately broken state is reported.
import assert from 'node:assert/strict';
import { spec, machine, run } from './helpers.js';
import { checkInvariants } from '../../../src/sim/invariants.js';
import { MOD_BIT } from '../../../src/sim/core.js';
import { takeFree } from '../../../src/sim/buddy.js';
import type { Machine } from '../../../src/sim/machine.js';

const BASE = 0x12000; // above the boot hugetlb pool (taken from the bottom of Normal)

function filled(): Machine {
  const s = { ...spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x18000]], hugetlb: [{ pages: 512, count: 2 }] }), swapPages: 1024 };
  const m = machine(s, '6.12');
  for (const o of [
    { op: 'page' as const, start: BASE, end: BASE + 64, kind: 'file' as const, modifiers: [] },
    { op: 'page' as const, start: BASE + 64, end: BASE + 128, kind: 'anon' as const, modifiers: ['active' as const] },
    { op: 'page' as const, start: BASE + 128, end: BASE + 136, kind: 'slab' as const, modifiers: ['reclaimable' as const] },
  ]) { const r = run(m, o); assert.ok(r.ok, r.reason ?? ""); }
  assert.deepEqual(checkInvariants(m.c), []);
  return m;
}
const has = (m: Machine, re: RegExp): void => {
  const v = checkInvariants(m.c);
  assert.ok(v.some((s) => re.test(s)), `expected ${re} in ${JSON.stringify(v)}`);
};

describe('invariants: reclaim state', () => {
  it('swap: free beyond the device size (used + free != size), or negative', () => {
    const m = filled();
    m.c.swapFree = 1025;
    has(m, /swap: 1025 pages free of 1024/);
    m.c.swapFree = -1;
    has(m, /swap: -1 pages free/);
  });
  it('LRU state on a page that is not on an LRU, and reclaimable on a non-slab page', () => {
    const m = filled();
    m.c.ext.get(BASE + 128)!.mods |= MOD_BIT.dirty;
    has(m, /is slab but carries LRU state/);
    m.c.ext.get(BASE)!.mods |= MOD_BIT.reclaimable;
    has(m, /is file but marked reclaimable/);
  });
  it('LRU accounting: an extent the per-zone count does not see (dropped from the pageblock index)', () => {
    const m = filled();
    const heads = m.c.pbExt.get(m.c.pbNo(BASE))!;
    heads.splice(heads.indexOf(BASE), 1);
    has(m, /node 0 zone 2 inactive_file: extents hold 64 pages, lists 64, lruvec size 64, zone count 0/);
  });
  it('a pinned slab or page-table extent (GUP cannot pin them: validate_page_before_insert refuses a slab folio, a page type)', () => {
    for (const mod of [MOD_BIT.pinned, MOD_BIT.longterm]) {
      const m = filled();
      m.c.ext.get(BASE + 128)!.mods |= mod;
      has(m, /extent 0x12080 is slab but pinned/);
    }
    const m = filled();
    const r = run(m, { op: 'page' as const, start: BASE + 136, end: BASE + 137, kind: 'pagetable' as const, modifiers: [] });
    assert.ok(r.ok, r.reason ?? '');
    assert.deepEqual(checkInvariants(m.c), []);
    m.c.ext.get(BASE + 136)!.mods |= MOD_BIT.pinned;
    has(m, /extent 0x12088 is pagetable but pinned/);
  });
  it('an LRU stamp from the future', () => {
    const m = filled();
    m.c.ext.get(BASE)!.lru = m.c.lruSeq + 5;
    has(m, /LRU stamp .* beyond the clock/);
  });
  it('hugetlb: surplus above total, total vs folios, free list vs folios', () => {
    const m = filled();
    const p = m.c.pools.get(512)!.get(0)!;
    p.surplus = p.total + 1;
    has(m, /surplus 3 outside 0..total 2/);
    p.surplus = 0;
    p.total++;
    has(m, /nr_huge_pages 3 but 2 hugetlb folios/);
    p.total--;
    const f = p.free.pop()!;
    has(m, /free list holds 1 folios but 2 are marked free/);
    p.free.push(f, f);
    has(m, /twice on the free list/);
  });
  it('a skip hint on a pageblock with no online pages', () => {
    const m = filled();
    const i = m.c.pbZone.findIndex((z) => z < 0);
    assert.ok(i >= 0);
    m.c.pbSkip[i] = 1;
    has(m, /has PB_migrate_skip but no online pages/);
  });
  it('kswapd / kcompactd requests out of range, folios left isolated for migration', () => {
    const m = filled();
    m.c.kswapd[0]!.order = 99;
    has(m, /kswapd state out of range/);
    m.c.kswapd[0]!.order = 0;
    m.c.kswapd[0]!.kcompactdHighest = 7;
    has(m, /kcompactd request out of range/);
    m.c.kswapd[0]!.kcompactdHighest = 3;
    m.c.migrating = [[BASE, BASE + 1]];
    has(m, /isolated for migration between operations/);
  });
  it('an extent that spans two zones', () => {
    const m = machine(spec({ zones: [['DMA32', 0x1000, 0x10000], ['Normal', 0x10000, 0x18000]] }), '6.12');
    assert.ok(run(m, { op: 'page', start: 0xfff8, end: 0x10000, kind: 'file', modifiers: [] }).ok);
    assert.deepEqual(checkInvariants(m.c), []);
    // grow it across the DMA32/Normal boundary (the boundary is pageblock-aligned, so this also crosses a pageblock)
    // (in place: addExtent would split it at the pageblock boundary)
    takeFree(m.c, 0x10000, 8);
    m.c.ext.get(0xfff8)!.n = 16;
    has(m, /extent 0xfff8 \(16 pages, file\) spans two zones/);
  });
});
