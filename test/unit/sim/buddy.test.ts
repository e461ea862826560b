// Worked examples B1–B6 (reference/kernel-mm.md §2.3) with exact lists, orders, pfns and pageblock types.
import assert from 'node:assert/strict';
import { list, blank as blankZone, release } from './helpers.js';
import { rmqueue, rmqueueClaim, RMQUEUE_NORMAL } from '../../../src/sim/fallback.js';
import { ALLOC_NOFRAGMENT } from '../../../src/sim/internal.js';
import { UNMOVABLE, MOVABLE, ISOLATE } from '../../../src/sim/consts.js';
import type { KernelPreset } from '../../../src/sim/scenario.js';
import type { Machine } from '../../../src/sim/machine.js';

/** node 0 Normal [0, 0x4000) with every page allocated, so each example builds its own free lists */
const blank = (kernel: KernelPreset = 'latest'): Machine => blankZone(0x4000, kernel);
/** make [pfn, pfn+n) LRU anon pages */
function lru(m: Machine, pfn: number, n: number): void {
  const c = m.c;
  for (const e of c.extentsIn(pfn, pfn + n)) {
    const s = Math.max(e.pfn, pfn), t = Math.min(e.pfn + e.n, pfn + n);
    c.carve(e, s, t - s).kind = 'anon';
  }
}
const Z = (m: Machine) => m.c.zone(0, 2);

describe('buddy worked examples (kernel-mm.md §2.3)', () => {
  it('B1: merge to order 10 at the list head', () => {
    const m = blank();
    release(m, 0x800, 10, MOVABLE); // another order-10 block already on the list
    release(m, 0x200, 9, MOVABLE);
    const before = Z(m).free;
    release(m, 0x000, 9, MOVABLE);
    assert.deepEqual(list(m, 0, 'Normal', 10, MOVABLE), [0x000, 0x800]);
    assert.deepEqual(list(m, 0, 'Normal', 9, MOVABLE), []);
    assert.equal(Z(m).free - before, 512);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('B2: no merge across an isolation boundary', () => {
    const m = blank();
    m.c.setIsolate(0x200, true);
    Z(m).nrIsolate++;
    release(m, 0x200, 9, ISOLATE);
    const before = Z(m).free;
    release(m, 0x000, 9, MOVABLE);
    assert.deepEqual(list(m, 0, 'Normal', 9, MOVABLE), [0x000]);
    assert.deepEqual(list(m, 0, 'Normal', 9, ISOLATE), [0x200]);
    assert.equal(Z(m).free - before, 512);
    assert.equal(Z(m).free, 512);
    assert.deepEqual(m.checkInvariants(), []);
  });

  for (const [kernel, pb200] of [['6.12', 'unmovable'], ['6.6', 'movable']] as const) {
    it(`B3: mixed mergeable types merge; ${kernel} leaves pageblock 0x200 ${pb200}`, () => {
      const m = blank(kernel);
      m.c.setMt(0x000, UNMOVABLE, 'test');
      release(m, 0x200, 9, MOVABLE);
      release(m, 0x000, 9, UNMOVABLE);
      assert.deepEqual(list(m, 0, 'Normal', 10, UNMOVABLE), [0x000]);
      assert.deepEqual(list(m, 0, 'Normal', 9, MOVABLE), []);
      assert.equal(m.pageblock(0x200).migratetype, pb200);
      assert.equal(m.pageblock(0x000).migratetype, 'unmovable');
      assert.deepEqual(m.checkInvariants(), []);
    });
  }

  for (const kernel of ['latest', '6.12', '6.6'] as const) {
    it(`B4: claim whole blocks (${kernel})`, () => {
      const m = blank(kernel);
      release(m, 0x400, 10, MOVABLE);
      const p = rmqueue(m.c, Z(m), 0, UNMOVABLE, 0, { m: RMQUEUE_NORMAL });
      assert.equal(p, 0x400);
      assert.equal(m.pageblock(0x400).migratetype, 'unmovable');
      assert.equal(m.pageblock(0x600).migratetype, 'unmovable');
      const want: [number, number][] = [[0x600, 9], [0x500, 8], [0x480, 7], [0x440, 6], [0x420, 5], [0x410, 4], [0x408, 3], [0x404, 2], [0x402, 1], [0x401, 0]];
      for (const [pfn, o] of want) assert.deepEqual(list(m, 0, 'Normal', o, UNMOVABLE), [pfn], `order ${o}`);
      for (let o = 0; o <= 10; o++) assert.deepEqual(list(m, 0, 'Normal', o, MOVABLE), []);
    });
  }

  it('B5: steal without claim; remainders stay on UNMOVABLE lists; ALLOC_NOFRAGMENT fails', () => {
    const m = blank();
    m.c.setMt(0x800, UNMOVABLE, 'test');
    release(m, 0x808, 3, UNMOVABLE);
    const snap = m.clone();
    assert.equal(rmqueue(snap.c, snap.c.zone(0, 2), 0, MOVABLE, ALLOC_NOFRAGMENT, { m: RMQUEUE_NORMAL }), -1);
    const p = rmqueue(m.c, Z(m), 0, MOVABLE, 0, { m: RMQUEUE_NORMAL });
    assert.equal(p, 0x808);
    m.c.addExtent(m.c.newExtent(p, 1, 0, false, 'anon', 0, 'test')); // the caller now holds the page (conservation)
    assert.deepEqual(list(m, 0, 'Normal', 2, UNMOVABLE), [0x80c]);
    assert.deepEqual(list(m, 0, 'Normal', 1, UNMOVABLE), [0x80a]);
    assert.deepEqual(list(m, 0, 'Normal', 0, UNMOVABLE), [0x809]);
    assert.equal(m.pageblock(0x800).migratetype, 'unmovable');
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('B6: half-pageblock rule claims the block (free 300 + alike 112 >= 256)', () => {
    const m = blank();
    release(m, 0x1100, 8, MOVABLE);
    release(m, 0x1000, 5, MOVABLE);
    release(m, 0x1020, 3, MOVABLE);
    release(m, 0x1028, 2, MOVABLE);
    lru(m, 0x102c, 100); // 0x102c..0x1090 LRU; 0x1090..0x1100 stay kernel (112, "slab")
    const p = rmqueue(m.c, Z(m), 0, UNMOVABLE, 0, { m: RMQUEUE_NORMAL });
    assert.equal(m.pageblock(0x1000).migratetype, 'unmovable');
    assert.equal(p, 0x1028);
    m.c.addExtent(m.c.newExtent(p, 1, 0, false, 'kernel', 0, 'test')); // the caller now holds the page (conservation)
    assert.deepEqual(list(m, 0, 'Normal', 8, UNMOVABLE), [0x1100]);
    assert.deepEqual(list(m, 0, 'Normal', 5, UNMOVABLE), [0x1000]);
    assert.deepEqual(list(m, 0, 'Normal', 1, UNMOVABLE), [0x102a]);
    assert.deepEqual(list(m, 0, 'Normal', 0, UNMOVABLE), [0x1029]);
    for (let o = 0; o <= 10; o++) assert.deepEqual(list(m, 0, 'Normal', o, MOVABLE), []);
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('B6: free 100 + alike 112 < 256: no claim, the block stays MOVABLE', () => {
    const m = blank();
    release(m, 0x1000, 6, MOVABLE);
    release(m, 0x1040, 5, MOVABLE);
    release(m, 0x1060, 2, MOVABLE);
    lru(m, 0x1064, 300);
    assert.equal(rmqueueClaim(m.c, Z(m), 0, UNMOVABLE, 0), -1);
    assert.equal(m.pageblock(0x1000).migratetype, 'movable');
    assert.deepEqual(list(m, 0, 'Normal', 6, MOVABLE), [0x1000]);
    assert.deepEqual(m.checkInvariants(), []);
  });
});
