// The reclaim LRU view kept between reclaim runs (src/sim/reclaim/lru-cache.ts) must always be exactly what a fresh
// build from the extents gives: same runs in the same order on every list, same sizes, same slab runs. A stale view
// would give wrong reclaim answers.
import assert from 'node:assert/strict';
import { fuzzOne, fuzzScenario, PRESSURE_MIX } from '../../fuzz/scenario-gen.js';
import { NodeLru, setLruCacheCheck } from '../../../src/sim/reclaim/lru.js';
import { MOD_BIT } from '../../../src/sim/core.js';
import { ScenarioRun } from '../../../src/sim/runner.js';
import { machine, run, spec } from './helpers.js';

/** what a view holds, for comparison */
function shape(l: NodeLru): unknown {
  return { lists: [0, 1, 2, 3].map((x) => l.runs(x)), size: l.size, slab: l.slab };
}

describe('the reclaim LRU view kept between reclaim runs equals a fresh build', function () {
  this.timeout(240_000);
  let checks = 0;
  let mismatch: string | null = null;
  beforeEach(() => {
    checks = 0;
    mismatch = null;
    setLruCacheCheck((cached, fresh) => {
      checks++;
      try {
        assert.deepEqual(shape(cached), shape(fresh));
      } catch (e) {
        mismatch ??= (e as Error).message.slice(0, 2000);
        throw e;
      }
    });
  });
  afterEach(() => setLruCacheCheck(null));

  it('random pressure scenarios (alloc/free/fill/page cache/slab/reclaim/kswapd/compaction/migration/hugetlb/contig)', () => {
    for (const [seed, swap] of [[11, true], [12, false], [13, true], [14, true], [16, false]] as const) {
      const f = fuzzOne({ seed, steps: 200, kernel: '6.12', swap, weights: PRESSURE_MIX, pressure: true });
      assert.equal(mismatch, null, `seed ${seed}: ${mismatch}`);
      assert.equal(f, null, f ? `seed ${f.seed} step ${f.step}: ${f.message}` : '');
    }
    assert.ok(checks > 30, `reclaim built only ${checks} views`);
  });

  it('an extent changed in place, with no Core call at all, is seen', () => {
    const m = machine(spec({ zones: [['Normal', 0x10000, 0x20000]] }));
    const r = run(m, { op: 'page', start: 0x10000, end: 0x10400, kind: 'file', modifiers: [] }, 0, undefined, 'f');
    assert.ok(r.ok);
    const before = NodeLru.forReclaim(m.c, 0);
    assert.equal(before.lruSize(2), 0x400);
    for (const e of m.c.ext.values()) if (e.kind === 'file') { e.mods |= MOD_BIT.active; break; }
    const after = NodeLru.forReclaim(m.c, 0);
    assert.deepEqual(shape(after), shape(new NodeLru(m.c, 0)));
    assert.ok(after.lruSize(3) > 0, 'the page moved to the active list');
    for (const e of m.c.ext.values()) if (e.kind === 'file') e.lru += 1000;
    assert.deepEqual(shape(NodeLru.forReclaim(m.c, 0)), shape(new NodeLru(m.c, 0)));
    assert.equal(checks, 3);
  });

  it('stepping back and forth (journal restores) and reclaiming again gives what a straight run gives', () => {
    const s = fuzzScenario({ seed: 10, steps: 120, kernel: '6.12', swap: true, weights: PRESSURE_MIX, pressure: true });
    const straight = new ScenarioRun(s, null, { timeTravel: false });
    straight.runToEnd();
    const results = (run: ScenarioRun): string[] => run.ops.map((o) => JSON.stringify(o.result));
    const ref = results(straight);
    const run = new ScenarioRun(s, null, {});
    run.runToEnd();
    assert.deepEqual(results(run), ref);
    for (const k of [90, 30, 100, 5, 60]) {
      run.goto(k);
      run.runToEnd();
      assert.deepEqual(results(run), ref, `after goto ${k} and running to the end again`);
    }
    assert.equal(mismatch, null, mismatch ?? '');
    assert.ok(checks > 8, `reclaim built only ${checks} views`);
  });

  it('a cloned machine reclaims as the original does (the original with its view kept, the clone without)', () => {
    const m1 = machine(spec({ zones: [['Normal', 0x10000, 0x30000]] }));
    run(m1, { op: 'fill', zone: { nid: 0, zone: 'Normal' }, percent: 99, cls: 'file', order: 0, packed: false }, 0, undefined, 'cache');
    const op = { op: 'alloc' as const, order: 0, migratetype: 'movable' as const, gfp: [], zone: null, count: 3000 };
    run(m1, op, 0, undefined, 'a');
    assert.ok(checks > 0, 'the first allocation reclaimed (kswapd or direct), and kept the view');
    const m2 = m1.clone();
    const before = checks;
    const r1 = run(m1, op, 0, undefined, 'x'), r2 = run(m2, op, 0, undefined, 'x');
    assert.deepEqual(r2, r1);
    assert.deepEqual(m2.checkInvariants(), []);
    assert.ok(checks >= before + 2, 'both reclaimed');
    assert.equal(mismatch, null, mismatch ?? '');
  });
});
