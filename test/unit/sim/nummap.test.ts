// NumMap (src/sim/nummap.ts) behaves exactly like Map<number, V>: random operations, iteration order, iteration
// while entries are added and deleted, and a same-key churn that stays cheap.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NumMap } from '../../../src/sim/nummap.js';

type Op = { t: 'set' | 'del' | 'get' | 'iter'; k: number; v: number };

describe('sim: NumMap', () => {
  it('behaves like Map on random operations (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ t: fc.constantFrom('set', 'set', 'del', 'del', 'get', 'iter'), k: fc.oneof(fc.nat(40), fc.nat(2 ** 40), fc.constant(2 ** 32 + 5)), v: fc.nat() }), { maxLength: 400 }),
      (ops: Op[]) => {
        const a = new Map<number, number>();
        const b = new NumMap<number>();
        for (const o of ops) {
          if (o.t === 'set') { a.set(o.k, o.v); b.set(o.k, o.v); }
          else if (o.t === 'del') assert.equal(b.delete(o.k), a.delete(o.k));
          else if (o.t === 'get') { assert.equal(b.get(o.k), a.get(o.k)); assert.equal(b.has(o.k), a.has(o.k)); }
          else assert.deepEqual([...b], [...a]);
          assert.equal(b.size, a.size);
        }
        assert.deepEqual([...b.keys()], [...a.keys()]);
        assert.deepEqual([...b.values()], [...a.values()]);
        assert.deepEqual(new NumMap(a.entries()).size, a.size);
        // a copy is independent and behaves the same
        const c = b.cloneWith((v) => v + 1);
        assert.deepEqual([...c], [...a].map(([k, v]) => [k, v + 1]));
        c.set(-5, 1);
        for (const k of [...a.keys()].slice(0, 3)) c.delete(k);
        assert.deepEqual([...b], [...a]);
        assert.equal(c.size, a.size + 1 - Math.min(3, a.size));
      },
    ), { numRuns: 300 });
  });

  it('iteration sees entries added during it and skips deleted ones, like Map', () => {
    const run = (m: Map<number, number>) => {
      for (let i = 0; i < 100; i++) m.set(i, i);
      const seen: number[] = [];
      for (const [k] of m) {
        seen.push(k);
        if (k % 3 === 0) m.delete(k + 1);
        if (k < 50 && k % 7 === 0) m.set(1000 + k, 0);
        if (k % 11 === 0) { m.delete(k); m.set(k, 1); } // re-inserted: visited again at the end
        if (seen.length > 400) break;
      }
      return seen;
    };
    assert.deepEqual(run(new NumMap<number>()), run(new Map<number, number>()));
  });

  it('deleting and adding the same key again and again stays cheap with many entries', () => {
    const m = new NumMap<number>();
    for (let i = 0; i < 65536; i++) m.set(i * 7 + 100000, i);
    const t = performance.now();
    for (let i = 0; i < 200000; i++) { m.set(4096, 1); m.delete(4096); }
    assert.ok(performance.now() - t < 2000, `${(performance.now() - t).toFixed(0)} ms`);
    assert.equal(m.size, 65536);
  });
});
