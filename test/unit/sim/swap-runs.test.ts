// The per-owner swap records (src/sim/swap.ts): a reclaim batch merged into an owner's runs in one pass gives the
// union of the pages, as sorted disjoint runs with touching ones merged (checked against a page-by-page set).
import assert from 'node:assert/strict';
import { SwapBatch } from '../../../src/sim/swap.js';
import type { Core } from '../../../src/sim/core.js';

function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return (s >>> 8) % n; };
}

describe('swap records: SwapBatch.commit', () => {
  it('is the union of the recorded pages, as sorted runs with touching ones merged (random batches)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = lcg(seed);
      const c = { swapped: new Map<string, readonly number[]>() } as unknown as Core;
      const pages = new Set<number>();
      for (let batch = 0; batch < 6; batch++) {
        const b = new SwapBatch();
        for (let k = 0; k < 1 + rnd(12); k++) {
          const s = rnd(400), n = 1 + rnd(20);
          // an owner's recorded pfns are disjoint: only pages not in swap yet are swapped out
          let t = s;
          while (t < s + n && !pages.has(t)) t++;
          if (t === s) continue;
          for (let p = s; p < t; p++) pages.add(p);
          b.note('a', s, t - s);
        }
        b.commit(c);
        const want: number[] = [];
        for (const p of [...pages].sort((x, y) => x - y)) {
          const m = want.length;
          if (m && want[m - 2]! + want[m - 1]! === p) want[m - 1]!++;
          else want.push(p, 1);
        }
        assert.deepEqual(c.swapped.get('a') ?? [], want, `seed ${seed} batch ${batch}`);
      }
    }
  });
});
