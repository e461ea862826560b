// The stepping engine behind the debugger: a ScenarioRun (src/sim/runner.ts) plus where the user is stopped
// (before a step, inside a step between two phases, or just after a step that failed), breakpoints with
// conditions, and exception stops. It knows nothing about DAP or vscode (the adapter translates).
//
// Positions: `run.position` is the next top-level step to run. Stopped "at step i" means step i has not run.
// Inside a step (step into), `phase` holds the step's phase generator and the phase it stopped after.
// After a failing step i, `after = i`: the state is after step i (position i + 1) but the stop shows line i.
import type { ScenarioRun } from '../../sim/runner.js';
import type { Scenario, Step, Variant } from '../../sim/scenario.js';
import { internalErrorText, opTitle } from '../../sim/describe.js';
import { startRun } from '../../app/run.js';
import { isNews, opLine } from '../../app/report.js';
import { ExprError, describe, evaluate, evaluateCondition, safeParse, type Node, type OpRecordLike, type StateView } from './expr.js';
import { outcomeText } from '../../shared/format.js';

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'exception' | 'goto' | 'pause' | 'end';

/** A long command as a generator: it yields between top-level steps (a safe place to pause) and returns its stop. */
export type Slices = Generator<void, Stop, void>;

export interface Stop {
  reason: StopReason;
  /** for exceptions: the filter that caught it (internalError: always stops) and the message */
  exception?: { filter: ExceptionFilter | 'internalError'; message: string };
  /** breakpoint ids hit */
  hit?: number[];
  /** a message to show (condition errors) */
  note?: string;
}

export type ExceptionFilter = 'failedExpectation' | 'operationError';

export interface Breakpoint {
  id: number;
  /** requested line (1-based) */
  requested: number;
  /** the step it sits on, or -1 when there is none */
  step: number;
  /** the line it moved to (1-based) */
  line: number;
  verified: boolean;
  message?: string;
  condition?: Node;
  conditionText?: string;
  logMessage?: string;
}

export interface PhaseState {
  cpu: number;
  phase: string;
  /** phases run so far in this step */
  count: number;
}

/** One line of console output the adapter forwards (category, text). */
export type Output = { category: 'console' | 'stdout' | 'stderr' | 'important'; text: string };

export class ScenarioRuntime {
  run: ScenarioRun;
  phase: PhaseState | null = null;
  after: number | null = null;
  private gen: Generator<{ cpu: number; phase: string }, void, void> | null = null;
  private breakpoints: Breakpoint[] = [];
  private nextId = 1;
  filters = new Set<ExceptionFilter>(['failedExpectation']);
  /** console output produced by the last command (the adapter drains it) */
  output: Output[] = [];
  /** the highest position ever reached by running forward (no output is repeated when replaying) */
  private reported = 0;

  constructor(
    readonly scenario: Scenario,
    readonly variant: Variant | null,
    readonly source: { path: string; text: string },
    private readonly options: { checkInvariants?: boolean } = {},
  ) {
    this.run = startRun(scenario, variant, { checkInvariants: options.checkInvariants });
  }

  get steps(): Step[] { return this.scenario.steps; }
  get total(): number { return this.scenario.steps.length; }
  get done(): boolean { return this.phase === null && this.after === null && this.run.done; }

  /** The step the current stop shows (its line is highlighted), or null at the end. */
  get shownStep(): number | null {
    if (this.after !== null) return this.after;
    if (this.run.position >= this.total) return null;
    return this.run.position;
  }

  /** 1-based line the editor shows for the current stop. */
  get line(): number {
    if (this.phase) {
      const st = this.steps[this.run.position]!;
      if (st.kind === 'interleave') return (st.ops.find((o) => o.cpu === this.phase!.cpu) ?? st).loc.line;
      return st.loc.line;
    }
    const i = this.shownStep;
    if (i === null) return this.steps.length ? this.steps[this.steps.length - 1]!.loc.endLine : 1;
    return this.steps[i]!.loc.line;
  }

  /** The source text of a line, trimmed (frame names). */
  lineText(line: number): string {
    const t = (this.source.text.split(/\r?\n/)[line - 1] ?? '').replace(/\s*(#|\/\/).*$/, '').trim();
    return t.length > 70 ? t.slice(0, 69) + '…' : t;
  }

  // ------------------------------------------------------------------ breakpoints

  /** Maps a requested line to a step: the step whose lines contain it, else the next step, else the last. */
  stepForLine(line: number): number {
    const steps = this.steps;
    if (!steps.length) return -1;
    let i = steps.findIndex((s) => s.loc.line <= line && line <= s.loc.endLine);
    if (i < 0) i = steps.findIndex((s) => s.loc.line >= line);
    if (i < 0) i = steps.length - 1;
    return i;
  }

  setBreakpoints(bps: { line: number; condition?: string; logMessage?: string }[]): Breakpoint[] {
    this.breakpoints = bps.map((b) => {
      const step = this.stepForLine(b.line);
      const bp: Breakpoint = { id: this.nextId++, requested: b.line, step, line: step >= 0 ? this.steps[step]!.loc.line : b.line, verified: step >= 0 };
      if (step < 0) bp.message = 'this scenario has no operations to stop at';
      if (b.logMessage) bp.logMessage = b.logMessage;
      if (b.condition?.trim()) {
        bp.conditionText = b.condition.trim();
        try {
          bp.condition = safeParse(bp.conditionText);
        } catch (e) {
          bp.verified = false;
          bp.message = `invalid condition: ${(e as Error).message}`;
        }
      }
      return bp;
    });
    return this.breakpoints;
  }

  getBreakpoints(): readonly Breakpoint[] { return this.breakpoints; }

  /** Breakpoints at the current position that hold (conditions evaluated now); condition errors stop too. */
  private hitsHere(): { ids: number[]; note?: string } | null {
    const here = this.breakpoints.filter((b) => b.verified && b.step === this.run.position);
    if (!here.length) return null;
    const ids: number[] = [];
    const notes: string[] = [];
    for (const b of here) {
      let holds = true;
      if (b.condition) {
        try {
          holds = evaluateCondition(b.condition, this.state());
        } catch (e) {
          if (!(e instanceof ExprError)) throw e;
          notes.push(`breakpoint condition '${b.conditionText}' on line ${b.line}: ${e.message}`);
        }
      }
      if (!holds) continue;
      if (b.logMessage) {
        this.output.push({ category: 'console', text: `${this.interpolate(b.logMessage)}\n` });
        continue;
      }
      ids.push(b.id);
    }
    if (!ids.length && !notes.length) return null;
    if (notes.length) for (const n of notes) this.output.push({ category: 'stderr', text: n + '\n' });
    return { ids: ids.length ? ids : here.map((b) => b.id), note: notes.join('; ') || undefined };
  }

  /** Log messages: `{expr}` is replaced by the value of expr. */
  private interpolate(msg: string): string {
    return msg.replace(/\{([^}]*)\}/g, (_, e: string) => {
      try {
        return String(this.evalText(e));
      } catch (err) {
        return `<${(err as Error).message}>`;
      }
    });
  }

  private evalText(e: string): string {
    return describe(evaluate(safeParse(e), this.state()));
  }

  // ------------------------------------------------------------------ state for expressions and views

  state(): StateView {
    const run = this.run;
    const m = run.machine;
    const ops = run.ops as OpRecordLike[];
    return {
      zones: () => m.zones(),
      pageInfo: (pfn) => m.pageInfo(pfn),
      pageblock: (pfn) => m.pageblock(pfn),
      blocks: () => m.blocks(),
      hugetlbPool: (pages) => m.hugetlbPool(pages),
      last: () => ops[ops.length - 1] ?? null,
      labelled: (name) => { for (let k = ops.length - 1; k >= 0; k--) if (ops[k]!.name === name) return ops[k]!; return null; },
      policies: run.policies,
      step: Math.min(run.position, this.total) + 1,
      nodes: this.scenario.machine.nodes.length,
    };
  }

  // ------------------------------------------------------------------ moving

  /** Leaves a half-run step (phase state) by putting the run back at that step's start. */
  private resetToStepStart(): void {
    if (!this.gen) return;
    this.gen = null;
    this.phase = null;
    this.run.goto(this.run.position); // ScenarioRun.goto restores a half-run step

  }

  /** Runs the rest of the current step (from a phase, or all of it) and reports what it produced. */
  private finishStep(): Stop | null {
    const i = this.run.position;
    const before = { ops: this.run.ops.length, exp: this.run.expectations.length, err: this.run.errors.length };
    if (!this.gen) this.gen = this.run.stepPhases();
    while (!this.gen.next().done);
    this.gen = null;
    this.phase = null;
    return this.afterStep(i, before);
  }

  /** Output and exception check for step i, which just ran. */
  private afterStep(i: number, before: { ops: number; exp: number; err: number }): Stop | null {
    const internal = this.internalStop(i);
    if (internal) return internal;
    const fresh = this.run.position > this.reported;
    if (fresh) this.reported = this.run.position;
    const ops = this.run.ops.slice(before.ops);
    const exps = this.run.expectations.slice(before.exp);
    const errs = this.run.errors.slice(before.err);
    if (fresh) {
      for (const o of ops) if (isNews(o)) this.output.push({ category: 'stdout', text: `${opLine(this.where(o.loc.line), o)}\n` });
      for (const e of exps) this.output.push({ category: e.ok ? 'stdout' : 'stderr', text: `${this.where(e.loc.line)}: expect ${e.ok ? '✓' : '✗'} ${e.message}\n` });
      for (const e of errs) this.output.push({ category: 'stderr', text: `${this.where(e.loc.line)}: error: ${e.message}\n` });
    }
    const failed = exps.find((e) => !e.ok);
    if (this.filters.has('failedExpectation') && (failed || errs.length)) {
      this.after = i;
      const message = failed ? `expectation failed: ${failed.message}` : `error: ${errs[0]!.message}`;
      return { reason: 'exception', exception: { filter: 'failedExpectation', message } };
    }
    const bad = ops.find((o) => !o.result.ok);
    if (this.filters.has('operationError') && bad) {
      this.after = i;
      return { reason: 'exception', exception: { filter: 'operationError', message: `${bad.op}${bad.name ? ' ' + bad.name : ''} failed: ${outcomeText(bad.result)}` } };
    }
    return null;
  }

  /** The simulator failed on step i's operation: the run stays before step i and cannot go further. */
  private internalStop(i: number): Stop | null {
    const f = this.run.internal;
    if (!f || f.step !== i) return null;
    this.output.push({ category: 'stderr', text: `mmscn: ${internalErrorText(f, this.total)}\n` });
    return { reason: 'exception', exception: { filter: 'internalError', message: `internal error in ${opTitle(f.op, f.name, f.cpu)}: ${f.message}` } };
  }

  private where(line: number): string {
    return `line ${line}`;
  }

  /** Step over: one top-level step. */
  stepOver(): Stop {
    // after a failed step the state is already past it: the next stop is simply the next step
    if (this.after !== null) { this.after = null; return { reason: 'step' }; }
    if (this.run.done && !this.gen) return { reason: 'end' };
    return this.finishStep() ?? { reason: 'step' };
  }

  /** Step into: the next phase of the current step's operation(s); a step without phases is stepped over. */
  stepIn(): Stop {
    if (this.after !== null) { this.after = null; return { reason: 'step' }; }
    if (!this.gen) {
      if (this.run.done) return { reason: 'end' };
      const st = this.steps[this.run.position]!;
      if (st.kind !== 'op' && st.kind !== 'interleave') return this.stepOver();
      this.gen = this.run.stepPhases();
      this.phase = null;
    }
    const i = this.run.position;
    const before = { ops: this.run.ops.length, exp: this.run.expectations.length, err: this.run.errors.length };
    const n = this.gen.next();
    if (n.done) {
      this.gen = null;
      this.phase = null;
      return this.afterStep(i, before) ?? { reason: 'step' };
    }
    this.phase = { cpu: n.value.cpu, phase: n.value.phase, count: (this.phase?.count ?? 0) + 1 };
    return { reason: 'step' };
  }

  /** Step out of a step's phases: finish the step. */
  stepOut(): Stop {
    if (!this.gen) return this.stepOver();
    return this.finishStep() ?? { reason: 'step' };
  }

  /** Continue: runs until a breakpoint (before a step), an exception, a stop target or the end. */
  continue(target?: number, fromLaunch = false): Stop {
    return drain(this.continueSlices(target, fromLaunch));
  }

  /** `continue`, yielding after every step: the adapter runs it in time slices so the host stays responsive. */
  *continueSlices(target?: number, fromLaunch = false): Slices {
    // a continue from a stop does not hit the breakpoint it is stopped at; the first run of a launch does
    let first = !fromLaunch;
    if (this.after !== null) {
      // the failed step already ran; the next one has not been stopped at yet
      this.after = null;
      first = false;
    } else if (this.gen) {
      const ex = this.finishStep();
      if (ex) return ex;
      first = false;
    }
    for (;;) {
      if (this.run.done) return { reason: 'end' };
      if (!first) {
        if (target !== undefined && this.run.position === target) return { reason: 'step' };
        const hit = this.hitsHere();
        if (hit) return { reason: 'breakpoint', hit: hit.ids, note: hit.note };
      } else if (target !== undefined && this.run.position === target) return { reason: 'step' };
      first = false;
      const ex = this.finishStep();
      if (ex) return ex;
      yield;
    }
  }

  /** Step back: one phase back inside a step, else one top-level step back. */
  stepBack(): Stop {
    if (this.gen && this.phase) {
      const want = this.phase.count - 1;
      this.resetToStepStart();
      if (want > 0) {
        this.gen = this.run.stepPhases();
        let n: IteratorResult<{ cpu: number; phase: string }, void> | null = null;
        for (let k = 0; k < want; k++) n = this.gen.next();
        if (n && !n.done) this.phase = { cpu: n.value.cpu, phase: n.value.phase, count: want };
        else { this.gen = null; this.phase = null; }
      }
      return { reason: 'step' };
    }
    if (this.after !== null) {
      const i = this.after;
      this.after = null;
      this.run.goto(i);
      return { reason: 'step' };
    }
    if (this.run.position === 0) return { reason: 'entry' };
    this.run.goto(this.run.position - 1);
    return { reason: 'step' };
  }

  /** Reverse continue: back to the nearest earlier breakpoint whose condition holds there, else the start. */
  reverseContinue(): Stop {
    let from: number;
    if (this.gen) from = this.run.position;
    else if (this.after !== null) from = this.after;
    else from = this.run.position - 1;
    const steps = [...new Set(this.breakpoints.filter((b) => b.verified && b.step <= from).map((b) => b.step))].sort((a, b) => b - a);
    for (const k of steps) {
      this.goto(k);
      const hit = this.hitsHere();
      if (hit) return { reason: 'breakpoint', hit: hit.ids, note: hit.note };
    }
    this.goto(0);
    return { reason: 'entry' };
  }

  /** Jump to step k (0..total): back instantly through checkpoints, forward by replay (no breakpoints). */
  goto(k: number): Stop {
    return drain(this.gotoSlices(k));
  }

  /** `goto`, yielding after every replayed step. */
  *gotoSlices(k: number): Slices {
    k = Math.max(0, Math.min(k, this.total));
    this.after = null;
    if (this.gen) {
      if (k > this.run.position) {
        while (!this.gen.next().done);
        this.gen = null;
        this.phase = null;
      } else this.resetToStepStart();
    }
    yield* this.run.gotoSteps(k);
    // a jump forward across the step the simulator fails on stops there
    if (this.run.internal && this.run.position < k) return this.internalStop(this.run.position) ?? { reason: 'goto' };
    return { reason: 'goto' };
  }

  /** Everything that ran so far that the inline results show: op and expectation outcomes. */
  results(): { ops: OpRecordLike[]; expectations: { step: number; loc: { line: number }; ok: boolean; message: string }[] } {
    return { ops: this.run.ops as OpRecordLike[], expectations: this.run.expectations };
  }
}

/** Runs a sliced command to its end in one go. */
export function drain(g: Slices): Stop {
  for (;;) {
    const n = g.next();
    if (n.done) return n.value;
  }
}
