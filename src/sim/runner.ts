// Runs a Scenario on a Machine: labels, interleaving between CPUs, expectations, variants, checkpoints.
// Shared by the CLI, the debug adapter and the inspector, so stepping is defined once, here.
import type { OpResult } from './api.js';
import { Machine, type OpContext } from './machine.js';
import { resolvePolicies } from './policies.js';
import { evaluate } from './expect.js';
import type { Loc, OpStep, Policies, Scenario, Step, Target, Variant } from './scenario.js';
import { POPULATION_OPS } from './scenario.js';
import { Interleaving, type LockView } from './interleave.js';
import { exploreInterleave, exploreText, interleaveSteps, scheduleText, type ExploreOptions, type ExploreReport } from './explore.js';
import type { ExpectStep } from './scenario.js';
import { hex } from '../shared/format.js';
import { Journal } from './journal.js';

const POPULATION = POPULATION_OPS;

/**
 * How many of the latest operation records keep their full event trace. Older records keep only the events
 * something reads later (failed isolations: the inspector's failing pageblocks; a few notes): an
 * offline/online block pair leaves ~100 events (isolate/unisolate/merge per pageblock), so keeping every
 * trace made memory grow with every loop of a long scenario.
 */
export const FULL_TRACE_OPS = 32;
const KEPT_FAILED_ISOLATIONS = 64;
const KEPT_NOTES = 16;

export type { OpRecord, ExpectRecord, ScheduleRecord, InterleaveDriver, RunError, InternalFailure } from './records.js';
import type { OpRecord, ExpectRecord, ScheduleRecord, InterleaveDriver, RunError, InternalFailure } from './records.js';

export interface RunOutcome {
  variant: string | null;
  policies: Policies;
  ops: OpRecord[];
  expectations: ExpectRecord[];
  errors: RunError[];
  /** invariant violations found after a step (only with checkInvariants) */
  invariants: RunError[];
  /** set when the simulator failed on an operation: the run stopped there (see InternalFailure) */
  internal: InternalFailure | null;
  machine: Machine;
  /** how each interleave ran (lock waits included) */
  schedules?: ScheduleRecord[];
}

export interface RunOptions {
  /** stop after this many top-level steps */
  until?: number;
  checkInvariants?: boolean;
}

/** The policies a scenario runs with under one variant (or none). */
export function variantPolicies(s: Scenario, v: Variant | null): Policies {
  return resolvePolicies(v?.kernel ?? s.kernel, s.policies, v?.policies ?? {});
}

/** A new boundary of the time-travel journal once the steps since the last one took this long (ms) or this many
 *  steps ran: a jump replays at most about that much. */
const BOUNDARY_MS = 6;
const BOUNDARY_STEPS = 48;

/**
 * One run of a scenario, stepped one top-level step at a time, with cheap jumps back.
 * Time travel (unless `timeTravel` is false): a journal (journal.ts) records what the steps change between
 * boundaries (every `checkpointEvery` steps when given, else every ~BOUNDARY_MS of stepping, and at `checkpoint`
 * steps); a jump swaps the recorded values back to the nearest boundary at or before the target and replays from
 * there. Without time travel, going back replays from a freshly booted machine.
 */
export class ScenarioRun {
  readonly policies: Policies;
  machine: Machine;
  /** next top-level step to run */
  position = 0;
  /** a step's phases were started but not finished (the debugger stepped into it and left) */
  private midStep = false;
  ops: OpRecord[] = [];
  expectations: ExpectRecord[] = [];
  errors: RunError[] = [];
  invariants: RunError[] = [];
  /** the simulator failed on the operation of step `internal.step`: the run stays before that step */
  internal: InternalFailure | null = null;
  schedules: ScheduleRecord[] = [];
  /** explore reports of the interleaves quantified expectations read (by step index) */
  private readonly explored = new Map<number, ExploreReport>();
  /** the interleave running now (the debugger shows its locks), null between steps */
  interleaving: Interleaving | null = null;
  private readonly journal: Journal | null = null;
  /** record counts at each journal boundary */
  private readonly counts = new Map<number, Counts>();
  /** the longest record lists seen: going back truncates the lists, jumping forward brings them back from here
   *  (runs are deterministic, so the records up to any position are a prefix of these) */
  private far: Records | null = null;
  private farPosition = 0;
  /** time spent stepping since the journal's last boundary */
  private sinceBoundary = 0;
  /** set by runOps when an operation came back with an internal error (the step is abandoned) */
  private failed: OpRecord | null = null;

  constructor(
    readonly scenario: Scenario,
    readonly variant: Variant | null = null,
    private readonly options: { checkInvariants?: boolean; timeTravel?: boolean; checkpointEvery?: number; driver?: InterleaveDriver; fork?: ScenarioRun } = {},
  ) {
    this.policies = variantPolicies(scenario, variant);
    const f = options.fork;
    // `fork`: start where another run of the same scenario and variant stands (explore runs each schedule from there)
    this.machine = f ? f.machine.clone() : this.boot();
    if (f) {
      this.position = f.position;
      this.ops = f.ops.slice();
      this.expectations = f.expectations.slice();
      this.errors = f.errors.slice();
      this.invariants = f.invariants.slice();
      this.schedules = f.schedules.slice();
    }
    if (options.timeTravel !== false) {
      this.journal = new Journal(this.machine, this.position);
      this.counts.set(this.position, this.countNow());
    }
  }

  /** true when this run is one schedule of `explore` (quantified expectations are plain checks there) */
  get exploring(): boolean {
    return this.options.driver !== undefined || this.options.fork !== undefined;
  }

  private boot(): Machine {
    return new Machine(this.scenario.machine, this.policies, this.scenario.seed);
  }

  /** at the end, or stopped by an internal error (nothing more can run) */
  get done(): boolean {
    return this.position >= this.scenario.steps.length || this.internal !== null;
  }

  get currentStep(): Step | undefined {
    return this.scenario.steps[this.position];
  }

  /** Runs the next top-level step to its end. */
  step(): void {
    if (this.done) return;
    const gen = this.stepPhases();
    while (!gen.next().done);
  }

  /**
   * Runs the next top-level step phase by phase: yields after each phase of each operation
   * (the debugger's "step into"). The step counts as done when the generator finishes.
   */
  *stepPhases(): Generator<{ cpu: number; phase: string }, void, void> {
    const i = this.position;
    const st = this.scenario.steps[i];
    if (!st || this.internal) return;
    const t0 = performance.now();
    this.midStep = true;
    switch (st.kind) {
      case 'op':
        yield* this.runOps([st], [], i, st.loc);
        break;
      case 'interleave':
        yield* this.runOps(st.ops, st.schedule, i, st.loc);
        break;
      case 'expect':
        if (this.appliesHere(st.variants)) {
          const r = st.quantifier && !this.exploring ? this.quantified(i, st) : evaluate(st.expect, this.machine, this.labelled());
          this.expectations.push({ step: i, loc: st.loc, ok: r.ok, message: r.message });
        }
        break;
      case 'checkpoint':
        break;
    }
    if (this.failed) {
      this.stopOnInternalError(i, this.failed);
      return;
    }
    if (this.options.checkInvariants) {
      for (const v of this.machine.checkInvariants()) this.invariants.push({ step: i, loc: st.loc, message: v });
    }
    this.position = i + 1;
    this.midStep = false;
    if (this.journal) {
      this.sinceBoundary += performance.now() - t0;
      const every = this.options.checkpointEvery;
      const due = every !== undefined ? this.position % every === 0
        : this.sinceBoundary >= BOUNDARY_MS || this.position - this.journal.baseFor(this.position) >= BOUNDARY_STEPS;
      if (this.journal.reached(this.position, due || st.kind === 'checkpoint')) {
        this.sinceBoundary = 0;
        if (!this.counts.has(this.position)) this.counts.set(this.position, this.countNow());
      }
    }
  }

  /** Runs until the end or until `stop(step)` says to stop before that step. */
  runToEnd(stop?: (index: number, step: Step) => boolean): void {
    while (!this.done) {
      if (stop && stop(this.position, this.scenario.steps[this.position]!)) return;
      this.step();
    }
  }

  /** Puts the run at top-level step `target` (0 = before the first step): instant backwards, replay forwards. */
  goto(target: number): void {
    const g = this.gotoSteps(target);
    while (!g.next().done);
  }

  /** `goto`, yielding after each replayed step (the extension host runs it in time slices). */
  *gotoSteps(target: number): Generator<void, void, void> {
    target = Math.max(0, Math.min(target, this.scenario.steps.length));
    const j = this.journal;
    if (j && target >= j.first) {
      const base = j.baseFor(target);
      if (this.midStep || target < this.position || base > this.position) {
        this.machine = j.restore(base);
        this.sinceBoundary = 0;
        this.restoreRecords(base, this.counts.get(base)!);
      }
    } else if (this.midStep || target < this.position) {
      // no journal (or a fork's target before it): replay from boot
      if (j) throw new Error(`cannot go back before step ${j.first}, where this run started`);
      this.machine = this.boot();
      this.restoreRecords(0, { ops: 0, expectations: 0, errors: 0, invariants: 0, schedules: 0 });
    }
    while (this.position < target && !this.done) {
      this.step();
      yield;
    }
  }

  /**
   * The operation of step i threw (a simulator bug): it may have half-changed the machine, so put the run back
   * before step i by replaying from the nearest checkpoint (or boot) — runs are deterministic from the seed —
   * rather than cloning before every operation. Then stop: later steps are not run.
   */
  private stopOnInternalError(i: number, rec: OpRecord): void {
    this.failed = null;
    this.goto(i); // midStep is set: restores, then replays steps before i
    this.ops.push(rec);
    this.internal = {
      step: i, loc: rec.loc, op: rec.op, name: rec.name, cpu: rec.cpu,
      message: rec.result.internal!.message, notRun: this.scenario.steps.length - i,
    };
  }

  /** Locks held and CPUs waiting in the interleave being stepped through (null when none is mid-way). */
  lockView(): LockView | null {
    return this.midStep && this.interleaving ? this.interleaving.lockView() : null;
  }

  /**
   * `expect … always|sometimes`: explores the interleave before it (once per interleave, cached) and counts the
   * schedules it holds in. Undecided (the search hit its bound) is a failure that says so, never a guess.
   */
  private quantified(i: number, st: ExpectStep): { ok: boolean; message: string } {
    let k = -1;
    for (let j = i - 1; j >= 0; j--) if (this.scenario.steps[j]!.kind === 'interleave') { k = j; break; }
    const plain = evaluate(st.expect, this.machine, this.labelled());
    if (k < 0) return { ok: plain.ok, message: `${plain.message} (no interleave before it: one schedule)` };
    let rep = this.explored.get(k);
    if (!rep) this.explored.set(k, (rep = explore(this.scenario, this.variant, k)));
    const q = rep.quantified.find((x) => x.step === i);
    if (!q) return plain;
    const n = q.held + q.failed;
    const bound = rep.complete ? '' : ` (search stopped at ${rep.schedules} schedules: undecided)`;
    if (st.quantifier === 'always') {
      if (q.failed) return { ok: false, message: `fails in ${q.failed} of ${n} schedules, e.g. ${q.failLine ?? '(not expressible as a schedule line)'}` };
      return { ok: rep.complete, message: `holds in all ${n} schedules${bound}` };
    }
    if (q.held) return { ok: true, message: `holds in ${q.held} of ${n} schedules, e.g. ${q.holdLine ?? '(not expressible as a schedule line)'}` };
    return { ok: false, message: `holds in none of ${n} schedules${bound}` };
  }

  /** The named checkpoint's position (the step after it). */
  checkpointPosition(name: string): number | null {
    const i = this.scenario.steps.findIndex((s) => s.kind === 'checkpoint' && s.name === name);
    return i < 0 ? null : i + 1;
  }

  outcome(): RunOutcome {
    return {
      variant: this.variant?.name ?? null,
      policies: this.policies,
      ops: this.ops,
      expectations: this.expectations,
      errors: this.errors,
      invariants: this.invariants,
      internal: this.internal,
      machine: this.machine,
      schedules: this.schedules,
    };
  }

  // ------------------------------------------------------------------ internals

  private appliesHere(variants: string[]): boolean {
    return variants.length === 0 || (this.variant !== null && variants.includes(this.variant.name));
  }

  private labelled(): Map<string, OpResult> {
    const m = new Map<string, OpResult>();
    for (const r of this.ops) if (r.name) m.set(r.name, r.result);
    return m;
  }

  /** @internal (StepContext) a label whose pages an earlier `free`/`cma_release` of that label freed: a use after free */
  freedLabel(t: Target): string | null {
    if (t.kind !== 'name') return null;
    for (const r of this.ops) {
      if (r.target === t.name && r.result.ok && (r.op === 'free' || r.op === 'cma_release')) return `${t.name} was freed at line ${r.loc.line}`;
    }
    return null;
  }

  /** @internal (StepContext) what a target names: its pfn, or the pages the named earlier operation got */
  resolve(t: Target, index: number, loc: Loc): { pfn: number; pages: number }[] {
    if (t.kind === 'pfn') return [{ pfn: t.pfn, pages: 0 }];
    for (let k = this.ops.length - 1; k >= 0; k--) {
      const r = this.ops[k]!;
      if (r.name === t.name) return r.result.allocated;
    }
    this.errors.push({ step: index, loc, message: `'${t.name}' names no earlier operation` });
    return [];
  }

  /**
   * Runs operations on their CPUs, first through the schedule's phases, then each to its end, with the lock model
   * (interleave.ts): a CPU that needs a lock another holds waits, the holder runs on. Under `explore`, its
   * chooser picks every transition of the interleave at `driver.step` instead of the schedule.
   */
  private *runOps(
    steps: OpStep[],
    schedule: { cpu: number; phase: string; loc: Loc }[],
    index: number,
    loc: Loc,
  ): Generator<{ cpu: number; phase: string }, void, void> {
    const ops: { st: OpStep; gen: Generator<string, OpResult, void> }[] = [];
    for (const st of steps) ops.push({ st, gen: this.machine.run(st.op, new StepContext(this, st, index)) });
    const il = new Interleaving(ops, this.policies);
    this.interleaving = il;
    const driver = this.options.driver;
    if (driver && driver.step === index) {
      for (;;) {
        if (il.threads.every((t) => t.result)) break;
        const ready = il.runnable();
        if (!ready.length) { this.errors.push({ step: index, loc, message: 'deadlock: every CPU waits for a lock' }); break; }
        yield* il.step(driver.choose(ready, il));
        if (this.abandoned(il, index, loc)) return;
      }
    } else if (il.threads.length === 1 && !schedule.length) {
      // one operation and no schedule (every `op` step): what finish() does for it, without its generators — no
      // other CPU holds a lock, so it runs phase after phase to its end
      const t = il.threads[0]!;
      while (!t.result) {
        const ph = il.advance(t);
        if (ph !== null) yield { cpu: t.cpu, phase: ph };
      }
      if (this.abandoned(il, index, loc)) return;
    } else {
      yield* il.runSchedule(schedule, (s) => this.errors.push({ step: index, loc: s.loc, message: `no operation runs on cpu ${s.cpu} in this interleave` }));
      if (this.abandoned(il, index, loc)) return;
      yield* il.finish((t) => t.st.loc ?? loc);
      if (this.abandoned(il, index, loc)) return;
    }
    for (const e of il.errors) this.errors.push({ step: index, loc: e.loc, message: e.message });
    if (this.scenario.steps[index]?.kind === 'interleave') this.schedules.push({ step: index, loc, trace: il.trace.slice(), blocks: il.blocks.slice() });
    this.interleaving = null;
    for (const r of il.threads) {
      if (!r.result) continue;
      const o = r.st.op;
      const target = 'target' in o && o.target.kind === 'name' ? o.target.name : undefined;
      this.record({ step: index, loc: r.st.loc ?? loc, op: o.op, name: r.st.name, cpu: r.st.cpu, result: r.result, ...(target !== undefined ? { target } : {}) });
      // Population sets the scene: if it cannot happen, the scenario is wrong, not the kernel.
      if (POPULATION.has(r.st.op.op) && !r.result.ok) {
        this.errors.push({ step: index, loc: r.st.loc ?? loc, message: `${r.st.op.op} failed: -${r.result.errno}${r.result.pfn !== null ? ` at ${hex(r.result.pfn)}` : ''}${r.result.reason ? ` (${r.result.reason})` : ''}` });
      }
    }
  }

  /** An internal error abandons the whole step (the other CPUs' operations stop where they are): true when one did. */
  private abandoned(il: Interleaving, index: number, loc: Loc): boolean {
    const r = il.failed;
    if (!r) return false;
    this.failed = { step: index, loc: r.st.loc ?? loc, op: r.st.op.op, name: r.st.name, cpu: r.st.cpu, result: r.result! };
    return true;
  }

  /** Adds an operation record; the one that leaves the FULL_TRACE_OPS latest keeps only the events read later. */
  private record(rec: OpRecord): void {
    this.ops.push(rec);
    const old = this.ops[this.ops.length - 1 - FULL_TRACE_OPS];
    if (old && old.droppedEvents === undefined) {
      const events = old.result.events;
      let failed = 0;
      let notes = 0;
      const kept = events.filter((e) =>
        e.type === 'isolate' ? !e.ok && failed++ < KEPT_FAILED_ISOLATIONS : e.type === 'note' ? notes++ < KEPT_NOTES : false);
      old.result = { ...old.result, events: kept };
      old.droppedEvents = events.length - kept.length;
    }
  }

  private countNow(): Counts {
    return { ops: this.ops.length, expectations: this.expectations.length, errors: this.errors.length, invariants: this.invariants.length, schedules: this.schedules.length };
  }

  /** the records as they were at `position` (counts `n`) */
  private restoreRecords(position: number, n: Counts): void {
    if (!this.far || this.position > this.farPosition) {
      this.far = { ops: this.ops.slice(), expectations: this.expectations.slice(), errors: this.errors.slice(), invariants: this.invariants.slice(), schedules: this.schedules.slice() };
      this.farPosition = this.position;
    }
    this.position = position;
    this.midStep = false;
    const far = this.far;
    const put = <T>(list: T[], k: number, saved: T[]) => {
      list.length = Math.min(list.length, k);
      // a position later than where the run stands: its records were dropped when the run went back
      for (let i = list.length; i < k; i++) list.push(saved[i]!);
    };
    put(this.ops, n.ops, far.ops);
    put(this.expectations, n.expectations, far.expectations);
    put(this.errors, n.errors, far.errors);
    put(this.invariants, n.invariants, far.invariants);
    put(this.schedules, n.schedules, far.schedules);
    this.interleaving = null;
    // every boundary is from before any internal error (the run never passes one)
    this.internal = null;
    this.failed = null;
  }
}

/**
 * What an operation of a step runs with (OpContext): its CPU, its label, and how its target names resolve in the run.
 * A class rather than an object of closures: one is made per operation, and its methods live on the prototype.
 */
class StepContext implements OpContext {
  readonly cpu: number;
  readonly label: string;
  readonly strictLabels = true;
  constructor(private readonly run: ScenarioRun, private readonly st: OpStep, private readonly index: number) {
    this.cpu = st.cpu;
    this.label = st.name ?? `line ${st.loc.line}`;
  }
  resolve(t: Target): { pfn: number; pages: number }[] {
    return this.run.resolve(t, this.index, this.st.loc);
  }
  labelError(t: Target): string | null {
    return this.run.freedLabel(t);
  }
}

interface Counts {
  ops: number;
  expectations: number;
  errors: number;
  invariants: number;
  schedules: number;
}
interface Records {
  ops: OpRecord[];
  expectations: ExpectRecord[];
  errors: RunError[];
  invariants: RunError[];
  schedules: ScheduleRecord[];
}

/** Runs a scenario once per variant (once when it has none). */
export function runScenario(s: Scenario, options: RunOptions & { variant?: string } = {}): RunOutcome[] {
  const variants: (Variant | null)[] = s.variants.length ? s.variants : [null];
  const chosen = options.variant ? variants.filter((v) => v?.name === options.variant) : variants;
  return chosen.map((v) => {
    const run = new ScenarioRun(s, v, { checkInvariants: options.checkInvariants, timeTravel: false });
    run.runToEnd((i) => options.until !== undefined && i >= options.until);
    return run.outcome();
  });
}

/** Race search on the interleave at step `index` (explore.ts). */
export function explore(s: Scenario, v: Variant | null, index: number, opts: ExploreOptions = {}): ExploreReport {
  return exploreInterleave(ScenarioRun, s, v, index, opts);
}
export { exploreText, interleaveSteps, scheduleText };
