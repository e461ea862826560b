// takeFreeUnitsUnchecked (a fill's bulk take) leaves exactly the state of taking its units one by one with
// takeFreeUnchecked: the free map in its order, every field of every block, the lists, the counters and freeGen.
// Boot's bulk free of fresh max-order blocks (freeFreshMaxOrderToTail, linked after the block it added last) leaves
// the state of freeing each block chunk by chunk with freeBlock(FPI_TO_TAIL).
// And the per-pageblock extent index (pbHead for one head, pbExt for several) answers as a scan of the extents.
import assert from 'node:assert/strict';
import { FPI_TO_TAIL, freeBlock, freeFreshMaxOrderToTail, takeFreeUnchecked, takeFreeUnitsUnchecked } from '../../../src/sim/buddy.js';
import type { Core, FreeBlock } from '../../../src/sim/core.js';
import { Rng } from '../../../src/sim/rng.js';
import { machine, run, spec } from './helpers.js';

function state(c: Core): string {
  const out: string[] = [];
  for (const [k, b] of c.free) out.push(`${k}:${b.pfn},${b.order},${b.mt},${b.zone},${b.prev},${b.next},${b.reported}`);
  for (const z of c.zones) out.push(`${z.idx} ${z.free} ${z.freeCma} ${z.nrFree.join(',')} ${z.cnt.join(',')} ${z.head.join(',')} ${z.tail.join(',')}`);
  out.push(`gen ${c.freeGen}`);
  return out.join('\n');
}

describe('takeFreeUnitsUnchecked: the same state as one take per unit', () => {
  for (const [us, seed] of [[1, 1], [4, 2], [16, 3], [512, 4], [1, 5], [64, 6]] as const) {
    it(`units of ${us} page(s), seed ${seed}`, () => {
      // two machines built the same way (clone() does not copy freeGen)
      const make = () => {
        const m = machine(spec({ zones: [['DMA32', 0x1000, 0x20000]] }));
        // some allocations first, so the free lists hold blocks of several orders in no pfn order
        for (let i = 0; i < 40; i++) run(m, { op: 'alloc', order: i % 11, migratetype: 'movable', gfp: [], zone: null, count: 1 }, 0, undefined, `a${i}`);
        return m;
      };
      const a = make(), b = make();
      assert.equal(state(b.c), state(a.c));
      const rng = new Rng(seed);
      const units: number[] = [];
      for (const f of [...a.c.free.values()].sort((x, y) => x.pfn - y.pfn)) {
        if (f.order < Math.log2(us)) continue;
        for (let p = f.pfn; p < f.pfn + 2 ** f.order; p += us) if (rng.float() < 0.6) units.push(p);
      }
      assert.ok(units.length > 10);
      for (const p of units) takeFreeUnchecked(a.c, p, us);
      takeFreeUnitsUnchecked(b.c, units, us);
      assert.equal(state(b.c), state(a.c));
    });
  }
});

describe("boot's free of fresh max-order blocks: the same state as freeing them chunk by chunk", () => {
  for (const [reportingOrder, n] of [[0, 6], [10, 3], [9, 1]] as const) {
    it(`${n} blocks, page_reporting_order ${reportingOrder}`, () => {
      const make = () => {
        const m = machine(spec({ zones: [['Normal', 0x1000, 0x20000]] }), 'latest', { page_reporting_order: reportingOrder });
        // some allocations, so the lists hold other blocks; then n max-order blocks taken out whole (fresh memory)
        for (let i = 0; i < 20; i++) run(m, { op: 'alloc', order: i % 11, migratetype: 'movable', gfp: [], zone: null, count: 1 }, 0, undefined, `a${i}`);
        const heads = [...m.c.free.values()].filter((b) => b.order === 10).map((b) => b.pfn).sort((x, y) => x - y).slice(2, 2 + n);
        for (const h of heads) takeFreeUnchecked(m.c, h, 1024);
        m.c.reportDev.begin();
        return { m, heads };
      };
      const a = make(), b = make();
      assert.equal(state(b.m.c), state(a.m.c));
      const z = a.m.c.zoneOf(a.heads[0]!)!;
      let tail: FreeBlock | null = null;
      for (const h of a.heads) {
        tail = freeFreshMaxOrderToTail(a.m.c, z, h, 10, tail);
        assert.ok(tail, 'the fresh path applies');
      }
      for (const h of b.heads) freeBlock(b.m.c, b.m.c.zoneOf(h)!, h, 10, FPI_TO_TAIL);
      assert.equal(state(a.m.c), state(b.m.c));
      assert.equal(a.m.c.reportDev.state, b.m.c.reportDev.state);
    });
  }
});

describe('the per-pageblock extent index', () => {
  it('extentContaining and extentsIn agree with a scan while pageblocks go from none to one to several heads and back', () => {
    const m = machine(spec({ zones: [['Normal', 0x1000, 0x3000]] }));
    const c = m.c;
    const rng = new Rng(9);
    const scan = (s: number, e: number) => [...c.ext.values()].filter((x) => x.pfn < e && x.pfn + x.n > s).sort((x, y) => x.pfn - y.pfn);
    for (let step = 0; step < 400; step++) {
      const p = 0x1000 + rng.int(0x2000);
      const e = c.extentContaining(p);
      if (e) c.removeExtent(c.carve(e, p, 1));
      else if (c.freeContaining(p)) { takeFreeUnchecked(c, p, 1); c.addExtent(c.newExtent(p, 1, 0, false, 'kernel', step % 3, null)); }
      for (let k = 0; k < 8; k++) {
        const q = 0x1000 + rng.int(0x2000);
        assert.equal(c.extentContaining(q), scan(q, q + 1)[0]);
      }
      const s = 0x1000 + rng.int(0x2000), len = 1 + rng.int(2048);
      assert.deepEqual(c.extentsIn(s, s + len), scan(s, s + len));
    }
    for (const [pb, l] of c.pbExt) assert.ok(l.length >= 2 && c.pbHead[pb - c.pbBase] === -1, `pageblock ${pb}: ${l.length} heads in pbExt`);
  });
});
