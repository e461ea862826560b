// The versioned map of time travel (src/sim/vmap.ts) against a plain Map model: random writes, boundaries closed at
// the frontier or again after a replay, and jumps to any boundary; every read, the size and the entries match the
// model's state at that point. Seeded.
import assert from 'node:assert/strict';
import { VersionedMap } from '../../../src/sim/vmap.js';
import { Prng } from '../../fuzz/scenario-gen.js';

/** the ops of each interval, deterministic per interval index (as a replayed run is) */
function intervalOps(seed: number, j: number): { k: number; v: number | null }[] {
  const r = new Prng(seed * 1000 + j);
  const ops: { k: number; v: number | null }[] = [];
  const n = r.int(12);
  for (let i = 0; i < n; i++) ops.push({ k: r.int(20), v: r.chance(0.3) ? null : r.int(5) });
  return ops;
}

function sortedEntries(m: Map<number, number>): [number, number][] {
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

function check(seed: number): void {
  const r = new Prng(seed);
  const init: [number, number][] = [[1, 10], [2, 20], [7, 70]];
  const vm = new VersionedMap<number, number>(true, init);
  // the model's state at each boundary index
  const states: Map<number, number>[] = [new Map(init)];
  let model = new Map(init);
  let cur = 0; // the boundary the live interval started at
  const apply = (ops: { k: number; v: number | null }[], upTo: number): void => {
    for (const o of ops.slice(0, upTo)) {
      if (o.v === null) assert.equal(vm.delete(o.k), model.delete(o.k), `seed ${seed}: delete ${o.k}`);
      else { vm.set(o.k, o.v); model.set(o.k, o.v); }
      assert.equal(vm.get(o.k), model.get(o.k));
    }
  };
  const same = (where: string): void => {
    assert.equal(vm.size, model.size, `seed ${seed}: size ${where}`);
    assert.deepEqual(sortedEntries(vm), sortedEntries(model), `seed ${seed}: entries ${where}`);
    for (let k = 0; k < 20; k++) assert.equal(vm.get(k), model.get(k), `seed ${seed}: key ${k} ${where}`);
  };
  for (let step = 0; step < 120; step++) {
    const roll = r.int(10);
    if (roll < 6) {
      // run the live interval to its end: a new boundary at the frontier, or a known one again
      apply(intervalOps(seed, cur), Infinity);
      const known = cur + 1 < states.length;
      vm.close(cur + 1, known);
      cur++;
      if (!known) states.push(new Map(model));
      else assert.deepEqual(sortedEntries(model), sortedEntries(states[cur]!), 'a replay reaches the same state');
      same(`at boundary ${cur}`);
    } else if (roll < 8) {
      // leave the interval half-run, then jump
      const ops = intervalOps(seed, cur);
      apply(ops, r.int(ops.length + 1));
      same('mid-interval');
      cur = r.int(states.length);
      vm.restore(cur);
      model = new Map(states[cur]!);
      same(`after a jump to ${cur}`);
    } else {
      cur = r.int(states.length);
      vm.restore(cur);
      model = new Map(states[cur]!);
      same(`after a jump to ${cur}`);
    }
  }
}

describe('VersionedMap (time travel of the migration maps)', () => {
  it('reads, size and entries equal a plain map at every boundary and after any jump', () => {
    for (let seed = 1; seed <= 40; seed++) check(seed);
  });
  it('string keys', () => {
    const m = new VersionedMap<string, number>(false, []);
    m.set('a', 1);
    m.close(1, false);
    m.delete('a');
    m.set('b', 2);
    m.close(2, false);
    assert.deepEqual([...m], [['b', 2]]);
    m.restore(1);
    assert.deepEqual([...m], [['a', 1]]);
    m.restore(0);
    assert.equal(m.size, 0);
  });
});
