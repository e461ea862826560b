// Race search (src/sim/explore.ts, `mmscn explore`): finds the samples' races on its own, is deterministic, prunes
// with locks and commuting operations, and decides `expect … always|sometimes`.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../src/language/index.js';
import { explore, runScenario } from '../../../src/sim/runner.js';
import { interleaveSteps } from '../../../src/sim/explore.js';
import { exploreText } from '../../../src/cli/explore.js';
import type { Scenario } from '../../../src/sim/scenario.js';

function scenarioOf(text: string): Scenario {
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return a.scenario!;
}
const sample = (p: string) => scenarioOf(readFileSync(`samples/${p}`, 'utf8'));
const variant = (s: Scenario, name: string) => s.variants.find((v) => v.name === name)!;

const MACHINE = `machine {
  cpus 3
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
  cma pool 0x60000..0x64000
}
`;

describe('explore', () => {
  it("finds seed 000 (c)'s PCP race without a schedule line: lookup on cpu 1, drain on cpu 0, enqueue on cpu 1 → -EBUSY", () => {
    const s = sample('seed-000-alloc-contig-range/c-pcp-race.mmscn');
    const i = interleaveSteps(s)[0]!;
    // the written schedule is not used: explore runs every schedule
    const r = explore(s, variant(s, 'drain_once'), i);
    assert.ok(r.complete);
    const pcp = r.outcomes.find((o) => o.key.includes('-EBUSY at 0x50010 (page on a PCP list'));
    assert.ok(pcp, r.outcomes.map((o) => o.key).join('\n'));
    assert.equal(pcp.line, 'schedule cpu 1 lookup, cpu 0 drain, cpu 1 enqueue');
    // the proposal (zone_pcp_disable in alloc_contig_range) closes that race
    const d = explore(s, variant(s, 'disable'), i);
    assert.ok(!d.outcomes.some((o) => o.key.includes('page on a PCP list')));
  });

  it("finds seed 004 (b)'s false allocation failure while reporting has pages isolated", () => {
    const s = sample('seed-004-free-page-reporting/b-inflight-isolation.mmscn');
    const r = explore(s, variant(s, 'reporting'), interleaveSteps(s)[0]!);
    const fail = r.outcomes.find((o) => o.key.includes('w: -ENOMEM'));
    assert.equal(fail?.line, 'schedule cpu 0 isolate, cpu 1 run');
    assert.ok(!explore(s, variant(s, 'hinting'), interleaveSteps(s)[0]!).outcomes.some((o) => o.key.includes('-ENOMEM')));
  });

  it('is deterministic', () => {
    const s = sample('seed-000-alloc-contig-range/c-pcp-race.mmscn');
    const i = interleaveSteps(s)[0]!;
    const a = exploreText('f', explore(s, variant(s, 'drain_once'), i));
    const b = exploreText('f', explore(s, variant(s, 'drain_once'), i));
    assert.deepEqual(a, b);
    assert.match(a[0]!, /^f:25: interleave \(variant drain_once\): \d+ schedules run/);
  });

  it('does not run schedules the locks forbid: two cma_alloc calls give two outcomes (cma_mutex)', () => {
    const s = scenarioOf(`${MACHINE}
interleave {
  cpu 0: cma_alloc pool 512 as a
  cpu 1: cma_alloc pool 512 as b
}
`);
    const r = explore(s, null, interleaveSteps(s)[0]!);
    assert.equal(r.schedules, 2);
    assert.ok(r.prunedLocks > 0);
    assert.deepEqual(r.outcomes.map((o) => [o.key, o.line]), [
      ['a: ok at 0x60000; b: ok at 0x60200', 'schedule cpu 0 isolate'],
      ['a: ok at 0x60200; b: ok at 0x60000', 'schedule cpu 1 isolate'],
    ]);
  });

  it('does not permute independent operations (frees in different zones): one schedule', () => {
    const s = scenarioOf(`${MACHINE}
page 0x10010 anon
page 0x50010 anon
interleave {
  cpu 0: free 0x10010
  cpu 1: free 0x50010
}
`);
    const r = explore(s, null, interleaveSteps(s)[0]!);
    assert.equal(r.schedules, 1);
    assert.ok(r.prunedCommuting > 0);
    assert.equal(r.outcomes.length, 1);
  });

  it('stops at the bound and says so', () => {
    const s = sample('seed-000-alloc-contig-range/c-pcp-race.mmscn');
    const r = explore(s, variant(s, 'drain_once'), interleaveSteps(s)[0]!, { max: 5 });
    assert.equal(r.schedules, 5);
    assert.equal(r.complete, false);
    assert.match(exploreText('f', r)[0]!, /stopped at the bound/);
  });
});

describe('expect … always / sometimes', () => {
  const text = (expects: string) => `${MACHINE}
page 0x50010 anon
interleave {
  cpu 0: alloc_contig_range 0x50000..0x50200 as r
  cpu 1: free 0x50010
  schedule cpu 0 undo
}
${expects}
`;
  const results = (expects: string) => runScenario(scenarioOf(text(expects)))[0]!.expectations.map((e) => [e.ok, e.message]);

  it('sometimes holds when one schedule gives it, with that schedule', () => {
    const [[ok, msg]] = results('expect r -EBUSY sometimes');
    assert.equal(ok, true);
    assert.match(msg as string, /^holds in \d+ of \d+ schedules, e\.g\. schedule /);
  });

  it('always fails when one schedule breaks it, naming a schedule that does', () => {
    const [[ok, msg]] = results('expect r ok always');
    assert.equal(ok, false);
    assert.match(msg as string, /^fails in \d+ of \d+ schedules, e\.g\. schedule cpu 1 lookup$/);
  });

  it('always holds when every schedule gives it; sometimes fails when none does', () => {
    const r = results('expect Normal.spanned == 0x40000 always\nexpect r -ENOMEM sometimes');
    assert.equal(r[0]![0], true);
    assert.match(r[0]![1] as string, /^holds in all \d+ schedules$/);
    assert.equal(r[1]![0], false);
    assert.match(r[1]![1] as string, /^holds in none of \d+ schedules$/);
  });

  it('the plain expectation still checks only the written schedule', () => {
    assert.deepEqual(results('expect r ok').map((x) => x[0]), [true]);
  });

  it('takes one quantifier', () => {
    const e = analyze(text('expect r ok always sometimes')).diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(e.map((d) => d.message), ['an expectation takes one of `always` or `sometimes`']);
  });
});
