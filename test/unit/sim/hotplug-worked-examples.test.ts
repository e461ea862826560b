// reference/kernel-mm.md §6.7 worked examples H1–H7, exact values, on the hotplug rules with the
// stand-in allocator (hotplug-fake.ts).
import assert from 'node:assert/strict';
import { memoryBlockOnline } from '../../../src/sim/hotplug/online.js';
import { memoryBlockOffline } from '../../../src/sim/hotplug/offline.js';
import { addMemory } from '../../../src/sim/hotplug/memory.js';
import type { OpResult } from '../../../src/sim/api.js';
import type { OnlineType } from '../../../src/sim/hotplug/types.js';
import type { MachineSpec, Policies } from '../../../src/sim/scenario.js';
import { FakeHost } from './hotplug-fake.js';

const L = { line: 1, col: 1, endLine: 1, endCol: 1 };
const BLK = 0x8000;

/** node 0: NORMAL = [0x0, 0x40000), block = 0x8000 pages, hotplug ranges absent until add_memory */
function spec(over: Partial<MachineSpec> = {}, normalEnd = 0x40000): MachineSpec {
  return {
    pageblockOrder: 9, maxPageOrder: 10, memoryBlockPages: BLK, sectionPages: BLK, cpus: 1,
    memmapOnMemory: 'off', movableNode: false,
    nodes: [{ nid: 0, zones: [{ zone: 'Normal', start: 0, end: normalEnd, loc: L }], reserved: [], hotplug: [], loc: L }],
    cma: [], hugetlb: [], virtioMem: [], ...over,
  };
}
function host(s: MachineSpec, p: Partial<Policies> = {}): FakeHost {
  return new FakeHost(s, p);
}
const on = (h: FakeHost, pfn: number, t: OnlineType = 'online'): OpResult => memoryBlockOnline(h, h.hp.blocks.get(pfn / BLK)!, t);
function off(h: FakeHost, pfn: number): OpResult {
  const g = memoryBlockOffline(h, h.hp.blocks.get(pfn / BLK)!);
  for (;;) {
    const n = g.next();
    if (n.done) return n.value;
  }
}
const add = (h: FakeHost, pfn: number, n = 1) => assert.ok(addMemory(h, pfn, pfn + n * BLK, 0).ok);

describe('H1: add and online B1 = [0x40000, 0x48000) with "online"', () => {
  it('goes to NORMAL (the range starts at NORMAL\'s end: no intersection; MOVABLE empty)', () => {
    const h = host(spec());
    add(h, 0x40000);
    assert.ok(on(h, 0x40000).ok);
    const n = h.z('Normal');
    assert.deepEqual([n.start, n.end, n.present, n.managed], [0, 0x48000, 0x48000, 0x48000]);
    assert.deepEqual(h.buddy('Normal'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32]);
    assert.deepEqual(h.pageblockCounts(0x40000, 0x48000), { movable: 64 });
  });
  it('add_memory of an unaligned range is -EINVAL', () => {
    const h = host(spec());
    const r = addMemory(h, 0x40200, 0x48200, 0);
    assert.equal(r.errno, 'EINVAL');
  });
});

describe('H2/H3: MOVABLE with a hole, onlining into it, shrinking', () => {
  for (const mode of ['memory_block', 'move_pfn_range'] as const) {
    it(`H2 (contiguous updated in ${mode})`, () => {
      const h = host(spec(), { hotplug_contiguous: mode } as Partial<Policies>);
      add(h, 0x50000, 3);
      assert.ok(on(h, 0x50000, 'online_movable').ok);
      assert.ok(on(h, 0x60000, 'online_movable').ok);
      const m = h.z('Movable');
      assert.deepEqual([m.start, m.end], [0x50000, 0x68000]);
      assert.equal(m.contiguous, false); // B4's first pfn is offline
      assert.ok(on(h, 0x58000, 'online').ok); // in MOVABLE's span, not NORMAL's
      assert.equal(h.hp.blocks.get(0x58000 / BLK)!.zone, 'Movable');
      // current tree: true. ≤6.18: set_zone_contiguous ran inside move_pfn_range_to_zone, before
      // online_pages_range marked B4's section online → false
      assert.equal(m.contiguous, mode === 'memory_block');
    });
  }
  function three(): FakeHost {
    const h = host(spec(), { hotplug_contiguous: 'memory_block' } as Partial<Policies>);
    add(h, 0x50000, 3);
    for (const p of [0x50000, 0x58000, 0x60000]) assert.ok(on(h, p, 'online_movable').ok);
    return h;
  }
  it('H3: offline the first block → [0x58000, 0x68000); then the last → spanned 0x8000', () => {
    const h = three();
    assert.ok(off(h, 0x50000).ok);
    assert.deepEqual([h.z('Movable').start, h.z('Movable').end], [0x58000, 0x68000]);
    assert.ok(off(h, 0x60000).ok);
    assert.deepEqual([h.z('Movable').start, h.z('Movable').spanned], [0x58000, 0x8000]);
    assert.equal(h.z('Movable').contiguous, true);
  });
  it('H3: offline a middle block → span unchanged, contiguous false', () => {
    const h = three();
    assert.ok(off(h, 0x58000).ok);
    assert.deepEqual([h.z('Movable').start, h.z('Movable').end, h.z('Movable').present], [0x50000, 0x68000, 0x10000]);
    assert.equal(h.z('Movable').contiguous, false);
  });
});

describe('H4: a page-table page in a NORMAL block', () => {
  it('offline → -EBUSY at 0x41234 "failure to isolate range", block stays online', () => {
    const h = host(spec());
    add(h, 0x40000);
    on(h, 0x40000);
    h.pages.set(0x41234, 'pagetable');
    const r = off(h, 0x40000);
    assert.deepEqual([r.errno, r.pfn], ['EBUSY', 0x41234]);
    assert.match(r.reason!, /^failure to isolate range/);
    assert.equal(h.hp.blocks.get(0x40000 / BLK)!.state, 'online');
    assert.equal(h.z('Normal').present, 0x48000);
  });
});

describe('H5: a pinned anon page in a MOVABLE block', () => {
  function pinned(p: Partial<Policies>): { h: FakeHost; r: OpResult } {
    const h = host(spec(), p);
    add(h, 0x50000);
    on(h, 0x50000, 'online_movable');
    h.pages.set(0x50010, 'anon');
    h.pages.set(0x51000, 'anon-pinned');
    const r = off(h, 0x50000);
    return { h, r };
  }
  it('isolation passes (ZONE_MOVABLE), migration loops until the signal → -EINTR "signal backoff"', () => {
    const { h, r } = pinned({ offline_signal_after: 50 });
    assert.equal(r.errno, 'EINTR');
    assert.match(r.reason!, /signal backoff/);
    assert.equal(r.migrations.filter((m) => m.result === 'ok').length, 1); // the unpinned page moved
    assert.equal(r.migrations.filter((m) => m.result !== 'ok').length, 50);
    assert.equal(h.hp.blocks.get(0x50000 / BLK)!.state, 'online');
    assert.equal(h.z('Movable').nrIsolate, 0); // isolation undone
    assert.equal(h.pcpDisabled, 0);
  });
  it('with offline_max_passes=5 (mm-tree proposal) → -EBUSY after 5 passes at the pinned pfn', () => {
    const { r } = pinned({ offline_max_passes: 5 });
    assert.deepEqual([r.errno, r.pfn], ['EBUSY', 0x51000]);
    assert.equal(r.migrations.filter((m) => m.result !== 'ok').length, 5);
  });
});

describe('H6: memmap_on_memory, a 128 MiB block at 0x70000', () => {
  it('0x70000–0x701FF vmemmap (UNMOVABLE, present, not managed); first chunk order 9 at 0x70200', () => {
    const h = host(spec({ memmapOnMemory: 'on' }));
    add(h, 0x70000);
    assert.equal(h.hp.blocks.get(0x70000 / BLK)!.vmemmap, 0x200);
    assert.ok(on(h, 0x70000).ok);
    const n = h.z('Normal');
    assert.equal(n.present, 0x40000 + 0x8000);
    assert.equal(n.managed, 0x40000 + 0x7e00);
    assert.deepEqual(h.freed[0], { zone: 'Normal', pfn: 0x70200, order: 9 });
    assert.deepEqual(h.buddy('Normal'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 31]);
    assert.equal(h.pageblocks.get(0x70000), 'unmovable');
    assert.ok(h.vmemmap.has(0x701ff) && !h.vmemmap.has(0x70200));
    assert.deepEqual([n.start, n.end], [0, 0x78000]);
  });
});

describe('H7: auto-movable, 8 GiB boot kernel memory, ratio 301, 1 GiB DIMMs (static groups)', () => {
  it('the first 24 DIMMs go to MOVABLE, the 25th (25 GiB > 24.08 GiB) to NORMAL, all its blocks', () => {
    const G = 0x40000;
    const h = host(spec({}, 8 * G), { online_policy: 'auto-movable', auto_movable_ratio: 301 });
    for (let d = 0; d < 25; d++) {
      const base = 8 * G + d * G;
      add(h, base, 8);
      for (let b = 0; b < 8; b++) {
        assert.ok(on(h, base + b * BLK).ok);
        assert.equal(h.hp.blocks.get((base + b * BLK) / BLK)!.zone, d < 24 ? 'Movable' : 'Normal', `DIMM ${d + 1} block ${b}`);
      }
    }
    assert.equal(h.z('Movable').present, 24 * G);
  });
});
