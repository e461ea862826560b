// Time travel is exact: after a jump (back or forward, through the journal of src/sim/journal.ts) the machine
// equals the machine of a straight run to that step — every field of the state (maps compared by key, free lists
// by their links), the invariants hold, and the operation records match. Random scenarios over every operation
// (test/fuzz/scenario-gen.ts), seeded, with journal boundaries every 1..7 steps or by the runner's own rule.
import assert from 'node:assert/strict';
import { fuzzScenario, Prng, BENCH_MIX } from '../../fuzz/scenario-gen.js';
import { ScenarioRun } from '../../../src/sim/runner.js';
import type { Machine } from '../../../src/sim/machine.js';
import type { Scenario } from '../../../src/sim/scenario.js';

/** a canonical text of a value: maps (Map, NumMap) as entries sorted by key, typed arrays as arrays, own fields */
function canon(v: unknown, seen = new Set<unknown>()): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object') return typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (seen.has(v)) return '<cycle>';
  seen.add(v);
  let out: unknown;
  if (Array.isArray(v)) out = v.map((x) => canon(x, seen));
  else if (typeof (v as Map<unknown, unknown>).entries === 'function' && typeof (v as Map<unknown, unknown>).size === 'number') {
    const es = [...(v as Map<unknown, unknown>).entries()].map(([k, x]) => [k, canon(x, seen)] as const);
    es.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0));
    out = es;
  } else {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      // Core.caches: derived values, rebuilt when what they were built from changes (not state)
      if (k === 'events' || k === 'spec' || k === 'pol' || k === 'policies' || k === 'host' || k === 'log' || k === 'caches') continue;
      o[k] = canon((v as Record<string, unknown>)[k], seen);
    }
    out = o;
  }
  seen.delete(v);
  return out;
}
function digest(m: Machine): string {
  return JSON.stringify({ c: canon(m.c), hp: canon(m.hp) });
}
const recordsOf = (r: ScenarioRun): string =>
  JSON.stringify(r.ops.map((o) => [o.step, o.op, o.name, o.result.ok, o.result.errno, o.result.pfn, o.result.allocated]).concat([r.expectations.length, r.errors.length]));

function straight(s: Scenario): { states: string[]; records: string[]; expectations: number[][] } {
  const run = new ScenarioRun(s, null, { timeTravel: false });
  const states = [digest(run.machine)];
  const records = [recordsOf(run)];
  const expectations = [run.expectations.map((e) => e.step)];
  while (!run.done) {
    run.step();
    states.push(digest(run.machine));
    records.push(recordsOf(run));
    expectations.push(run.expectations.map((e) => e.step));
  }
  return { states, records, expectations };
}

/** returns the migration maps' largest size where the state was compared (versioned maps, src/sim/vmap.ts) */
function check(seed: number, steps: number, weights?: typeof BENCH_MIX): number {
  const s = fuzzScenario({ seed, steps, ...(weights ? { weights } : {}) });
  const ref = straight(s);
  const n = ref.states.length - 1;
  const r = new Prng(seed * 7919);
  const every = r.chance(0.25) ? undefined : r.range(1, 7);
  const run = new ScenarioRun(s, null, every === undefined ? {} : { checkpointEvery: every });
  run.runToEnd();
  assert.equal(run.position, n);
  let migrations = 0;
  const at = (where: string): void => {
    const k = run.position;
    const c = run.machine.c;
    migrations = Math.max(migrations, c.migLog.size + c.moved.size + c.movedKey.size);
    assert.deepEqual(run.machine.checkInvariants(), [], `seed ${seed}: invariants after ${where}`);
    assert.ok(digest(run.machine) === ref.states[k], `seed ${seed} (boundaries every ${every ?? 'auto'}): the state after ${where} differs from a straight run to step ${k}`);
    assert.equal(recordsOf(run), ref.records[k], `seed ${seed}: records after ${where}`);
  };
  at('the run');
  for (let i = 0; i < 12; i++) {
    const k = r.int(n + 1);
    const from = run.position;
    if (r.chance(0.3)) {
      // step into the next step's phases, leave it half-run, then jump
      const g = run.stepPhases();
      g.next();
    }
    run.goto(k);
    at(`goto ${k} from ${from}`);
    if (r.chance(0.5) && !run.done) {
      run.step();
      at(`a step forward from ${k}`);
    }
  }
  run.goto(n);
  at('going back to the end');
  return migrations;
}

describe('time travel: a jump equals a straight run', function () {
  this.timeout(120_000);
  it('random scenarios over every operation, random jumps back and forward', () => {
    for (let seed = 1; seed <= 6; seed++) check(seed, 40);
  });
  it('the bench op mix', () => {
    for (let seed = 101; seed <= 103; seed++) check(seed, 60, BENCH_MIX);
  });
  it('jumps across migrations (the versioned migration maps, src/sim/vmap.ts)', () => {
    // seed 8 over 120 steps holds a few hundred entries in migLog/moved/movedKey (most short scenarios hold none);
    // the digest compares every Core field, these maps included. (Seed 5 until the generator gained kcompactd,
    // sysctl and hugetlb overcommit/alloc, which changed every seed's operations.)
    assert.ok(check(8, 120) > 100, 'the scenario kept migrated pages');
  });
});

describe('time travel: records', () => {
  it('steps without operations (expectations) are brought back by a jump forward past where the run went back', async () => {
    const { analyze } = await import('../../../src/language/index.js');
    const lines = ['machine {', '  cpus 2', '  node 0 {', '    zone Normal 0x1000..0x20000', '  }', '}'];
    for (let i = 0; i < 34; i++) lines.push(i < 20 && i % 3 === 0 ? `alloc order ${i % 4} movable as a${i}` : 'expect Normal.nr_isolate_pageblock == 0');
    const s = analyze(lines.join('\n') + '\n').scenario!;
    const ref = straight(s);
    const run = new ScenarioRun(s, null, { checkpointEvery: 4 });
    run.goto(20);
    run.goto(2);
    run.goto(20); // forward to a boundary: the records come back from the longest lists seen
    run.goto(34); // beyond them: only expectations are added
    run.goto(3);
    run.goto(33); // restores boundary 32: its expectations come from the lists of position 34
    assert.equal(recordsOf(run), ref.records[33]);
    assert.equal(JSON.stringify(run.expectations.map((e) => e.step)), JSON.stringify(ref.expectations[33]));
    assert.equal(digest(run.machine), ref.states[33]);
  });
});
