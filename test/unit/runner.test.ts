// The runner: labels, interleaving, expectations, variants, and time travel that lands on the same state.
import assert from 'node:assert/strict';
import { analyze } from '../../src/language/index.js';
import { ScenarioRun, runScenario } from '../../src/sim/runner.js';
import { buddyinfo, pagetypeinfo } from '../../src/sim/proc.js';

const text = `
variant a { kernel 6.12 }
variant b { kernel 6.17 }
machine {
  cpus 2
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
}
page 0x50010 anon
alloc order 3 unmovable as u
checkpoint mid
alloc_contig_range 0x50000..0x50200 as r
free u
expect r ok
expect r migrated == 1
expect Normal.nr_isolate_pageblock == 0
expect r -EBUSY when b
`;

function scenario() {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  return scenario!;
}

describe('runner', () => {
  it('runs every variant and applies `when` only to its variant', () => {
    const [a, b] = runScenario(scenario());
    assert.equal(a!.variant, 'a');
    assert.equal(a!.expectations.length, 3);
    assert.ok(a!.expectations.every((e) => e.ok));
    assert.equal(b!.expectations.length, 4);
    assert.deepEqual(b!.expectations.filter((e) => !e.ok).map((e) => e.loc.line), [19]);
    assert.match(b!.expectations[3]!.message, /expected r -EBUSY, but r returned ok/);
  });

  it('stops after --until steps', () => {
    const [a] = runScenario(scenario(), { variant: 'a', until: 2 });
    assert.deepEqual(a!.ops.map((o) => o.op), ['page', 'alloc']);
  });

  it('going back and forth reproduces the same state', () => {
    const run = new ScenarioRun(scenario(), null, { checkpointEvery: 2 });
    run.runToEnd();
    const end = [buddyinfo(run.machine), pagetypeinfo(run.machine)].join();
    const opsAtEnd = run.ops.length;
    run.goto(1);
    assert.equal(run.position, 1);
    assert.equal(run.ops.length, 1);
    run.goto(run.checkpointPosition('mid')!);
    assert.equal(run.ops.length, 2);
    run.goto(0);
    assert.equal(run.ops.length, 0);
    run.runToEnd();
    assert.equal([buddyinfo(run.machine), pagetypeinfo(run.machine)].join(), end);
    assert.equal(run.ops.length, opsAtEnd);
  });

  it('steps into phases and reports an unknown phase in a schedule as a run error', () => {
    const s = analyze(`machine {
  cpus 2
  node 0 {
    zone Normal 0x40000..0x80000
  }
}
page 0x50010 anon
interleave {
  cpu 0: alloc_contig_range 0x50000..0x50200 as r
  cpu 1: free 0x50010
  schedule cpu 1 lookup, cpu 0 drain, cpu 1 enqueue
}
`).scenario!;
    const run = new ScenarioRun(s);
    run.step();
    const phases = [...run.stepPhases()].map((p) => `${p.cpu}:${p.phase}`);
    assert.deepEqual(phases.slice(0, 4), ['1:lookup', '0:isolate', '0:drain', '1:enqueue']);
    assert.equal(run.errors.length, 0);
    const r = run.ops.find((o) => o.name === 'r')!;
    assert.equal(r.result.errno, 'EBUSY');
    assert.equal(r.result.pfn, 0x50010);
  });
});

describe('runner: population that cannot happen', () => {
  it('is a run error at its line, with the reason', () => {
    const s = analyze(`machine {
  node 0 {
    zone Normal 0x40000..0x80000
  }
}
page 0x50210 slab
page 0x50210 anon
`).scenario!;
    const [o] = runScenario(s);
    assert.equal(o!.errors.length, 1);
    assert.equal(o!.errors[0]!.loc.line, 7);
    assert.match(o!.errors[0]!.message, /^page failed: -E[A-Z]+ at 0x50210/);
  });
});

describe('runner: leaving a step half-run', () => {
  it('goto(position) puts the machine back at the start of that step', () => {
    const s = analyze(`machine {
  node 0 {
    zone Normal 0x40000..0x80000
  }
}
page 0x50010 anon
alloc_contig_range 0x50000..0x50200 as r
`).scenario!;
    const run = new ScenarioRun(s);
    run.step();
    const before = buddyinfo(run.machine);
    const g = run.stepPhases();
    g.next(); // isolate
    g.next(); // drain
    const isolated = () => run.machine.zones().find((z) => z.zone === 'Normal')!.nr_isolate_pageblock;
    assert.equal(isolated(), 1);
    run.goto(run.position);
    assert.equal(run.position, 1);
    assert.equal(buddyinfo(run.machine), before);
    assert.equal(isolated(), 0);
  });
});
