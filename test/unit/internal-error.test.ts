// An operation the simulator throws on is an internal error: never an errno, the run stops there, the state
// is the state from before that step, and every consumer (CLI text/JSON/exit code, inline results, the
// debugger) says so. The throw is injected by wrapping the alloc operation's step (ops.ts AllocSteps) in the test:
// the wrapped operation runs to its end (changing the machine) and then throws, the worst case of a half-done
// operation.
import assert from 'node:assert/strict';
import { analyze } from '../../src/language/index.js';
import type { Machine } from '../../src/sim/machine.js';
import { AllocSteps } from '../../src/sim/ops.js';
import { ScenarioRun, runScenario, type RunOutcome } from '../../src/sim/runner.js';
import { buddyinfo, pagetypeinfo } from '../../src/sim/proc.js';
import { lineResults } from '../../src/extension/debug/inline.js';
import { ScenarioRuntime } from '../../src/extension/debug/runtime.js';
import { runFile } from '../../src/cli/run.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outcomeText } from '../../src/shared/format.js';

const TEXT = `machine {
  cpus 2
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
}
alloc order 3 movable as a
alloc order 2 unmovable as b
alloc order 5 movable as boom
alloc order 1 movable as c
expect c ok
`;
const BOOM_LINE = 10;
const BOOM_STEP = 2;

type Proto = { step: (this: { ctx: { label: string } }, c: unknown) => unknown };

/** Runs f with the operation labelled `label` (an alloc) throwing after it has run (and changed the machine). */
function withThrowing<T>(label: string, f: () => T): T {
  const proto = AllocSteps.prototype as unknown as Proto;
  const orig = proto.step;
  proto.step = function (this: { ctx: { label: string } }, c: unknown) {
    const r = orig.call(this, c);
    // a string is a phase; the outcome comes after the operation's last step ran
    if (typeof r !== 'string' && this.ctx.label === label) throw new TypeError("Cannot read properties of undefined (reading 'order')");
    return r;
  };
  try {
    return f();
  } finally {
    proto.step = orig;
  }
}

function scenario(text = TEXT) {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  return scenario!;
}

const state = (o: { machine: Machine }) => buddyinfo(o.machine) + pagetypeinfo(o.machine) + JSON.stringify(o.machine.zones());

describe('internal simulator errors', () => {
  it('are a distinct outcome (no errno), stop the run and leave the state from before the step', () => {
    const before = runScenario(scenario(), { until: BOOM_STEP })[0]!;
    const [o] = withThrowing('boom', () => runScenario(scenario())) as RunOutcome[];
    assert.ok(o!.internal, 'the outcome names the internal error');
    assert.equal(o!.internal!.step, BOOM_STEP);
    assert.equal(o!.internal!.loc.line, BOOM_LINE);
    assert.equal(o!.internal!.op, 'alloc');
    assert.equal(o!.internal!.name, 'boom');
    assert.match(o!.internal!.message, /reading 'order'/);
    assert.equal(o!.internal!.notRun, 3);
    const last = o!.ops[o!.ops.length - 1]!;
    assert.equal(last.name, 'boom');
    assert.equal(last.result.ok, false);
    assert.equal(last.result.errno, null, 'never an errno');
    assert.ok(last.result.internal);
    assert.deepEqual(o!.ops.map((r) => r.name), ['a', 'b', 'boom'], 'later steps are not run');
    assert.deepEqual(o!.expectations, []);
    assert.equal(state(o!), state(before), 'the half-done operation is undone');
    assert.match(outcomeText(last.result), /^‼ internal error — .*reading 'order'/);
  });

  it('undoes the step from the nearest checkpoint when time travel keeps some, and going back clears it', () => {
    const before = runScenario(scenario(), { until: BOOM_STEP })[0]!;
    withThrowing('boom', () => {
      const run = new ScenarioRun(scenario(), null, { checkpointEvery: 1 });
      run.runToEnd();
      assert.ok(run.done);
      assert.equal(run.position, BOOM_STEP);
      assert.ok(run.internal);
      assert.equal(state(run.outcome()), state(before));
      run.goto(run.scenario.steps.length); // cannot pass it
      assert.equal(run.position, BOOM_STEP);
      run.goto(1);
      assert.equal(run.internal, null);
      assert.equal(run.ops.length, 1);
      run.goto(5);
      assert.equal(run.position, BOOM_STEP, 'replaying forward stops at the same operation');
      assert.ok(run.internal);
    });
  });

  it('in an interleave the whole step is abandoned and undone', () => {
    const text = TEXT.replace(/alloc order 5 movable as boom\n/, 'interleave {\n  cpu 0: alloc order 5 movable as boom\n  cpu 1: alloc order 4 movable as other\n}\n');
    const before = runScenario(scenario(text), { until: BOOM_STEP })[0]!;
    const [o] = withThrowing('boom', () => runScenario(scenario(text)));
    assert.equal(o!.internal?.name, 'boom');
    assert.ok(!o!.ops.some((r) => r.name === 'other'));
    assert.equal(state(o!), state(before));
  });

  it('the CLI prints it, says later steps did not run, asks for a report and exits 3 (text and --json)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmscn-internal-'));
    const file = join(dir, 'boom.mmscn');
    writeFileSync(file, TEXT);
    const out: string[] = [];
    const err: string[] = [];
    const code = withThrowing('boom', () => runFile(file, {}, (s) => out.push(s), (s) => err.push(s)));
    assert.equal(code, 3);
    const text = out.join('\n');
    assert.match(text, new RegExp(`boom\\.mmscn:${BOOM_LINE}: alloc boom: ‼ internal error — `));
    assert.doesNotMatch(text, /EINVAL/);
    assert.match(text, /stopped by an internal error on line 10, 3 step\(s\) not run/);
    const e = err.join('\n');
    assert.match(e, /boom\.mmscn:10:1: internal error in alloc boom \(line 10, step 3\/5\): .*reading 'order'/);
    assert.match(e, /this step and the 2 after it were not run/);
    assert.match(e, /please report it/);

    const json: string[] = [];
    const jcode = withThrowing('boom', () => runFile(file, { json: true }, (s) => json.push(s), () => undefined));
    assert.equal(jcode, 3);
    const v = JSON.parse(json.join('\n')).variants[0];
    const op = v.ops[v.ops.length - 1];
    assert.equal(op.ok, false);
    assert.equal(op.errno, null);
    assert.match(op.internal, /^internal error: .*reading 'order'/);
    assert.deepEqual({ ...v.internal, message: undefined }, { line: 10, step: 3, op: 'alloc', name: 'boom', cpu: 0, message: undefined, notRun: 3 });
  });

  it('inline results show it on its line', () => {
    const outcomes = withThrowing('boom', () => runScenario(scenario()));
    const line = lineResults(outcomes).find((l) => l.line === BOOM_LINE)!;
    assert.equal(line.ok, false);
    assert.match(line.text, /internal error/);
  });

  it('the debugger stops on it (whatever the exception filters), at the step, and cannot run past it', () => {
    withThrowing('boom', () => {
      const rt = new ScenarioRuntime(scenario(), null, { path: '/x/boom.mmscn', text: TEXT });
      rt.filters.clear();
      const stop = rt.continue(undefined, true);
      assert.equal(stop.reason, 'exception');
      assert.equal(stop.exception!.filter, 'internalError');
      assert.match(stop.exception!.message, /internal error in alloc boom: .*reading 'order'/);
      assert.equal(rt.line, BOOM_LINE);
      assert.ok(rt.output.some((o) => o.category === 'stderr' && /please report it/.test(o.text)));
      assert.equal(rt.continue().reason, 'end');
      // step back works and clears it; stepping into the same op phase by phase hits it again
      rt.stepBack();
      assert.equal(rt.run.internal, null);
      let s = rt.stepOver();
      for (let k = 0; k < 20 && s.reason !== 'exception'; k++) s = rt.stepIn();
      assert.equal(s.reason, 'exception');
      assert.equal(s.exception!.filter, 'internalError');
    });
  });
});
