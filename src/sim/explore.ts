// Race search: runs the operations of one `interleave` step under every schedule the kernel could execute
// (bounded), and groups the results by outcome. Stateless (each schedule replays the interleave from a clone of the
// machine before it: phase generators cannot be copied), depth-first by CPU number, so the output is deterministic.
//
// Reductions (each schedule cut is counted):
// - program order: a CPU's phases run in order (only the choice of CPU at each stop is explored);
// - locks (locks.ts): a CPU whose next phase needs a sleeping lock another CPU holds is not a choice;
// - sleep sets over independent operations (locks.ts `independent`): of two schedules that only swap phases of
//   independent operations, one is run.
import type { OpResult } from './api.js';
import type { Loc, Scenario, Variant } from './scenario.js';
// runner.ts passes its ScenarioRun class in; explore reads runs through RecordedRun (no import cycle)
import type { InterleaveDriver, RecordedRun as ScenarioRun } from './records.js';
import { independent } from './locks.js';
import type { Thread } from './interleave.js';
import { hex } from '../shared/format.js';

export interface ExploreOptions {
  /** stop after this many complete schedules (default 2000) */
  max?: number;
}

/** How explore makes runs: ScenarioRun's constructor (runner.ts passes it in). */
export type RunClass<R extends ScenarioRun> = new (
  s: Scenario, v: Variant | null, o: { timeTravel?: boolean; fork?: R; driver?: InterleaveDriver },
) => R;

export interface ExploredOutcome {
  /** `r: -EBUSY at 0x50010; cpu 1 free: ok` */
  key: string;
  /** how many of the schedules run ended so */
  count: number;
  /** the transitions of the first schedule found (phase null: the operation ended) */
  trace: { cpu: number; phase: string | null }[];
  /** a `schedule …` line that reproduces this outcome (checked), or null when none does */
  line: string | null;
  /** for each quantified expectation (by step index) after the interleave: did it hold in this outcome's first schedule */
  checks: Map<number, boolean>;
}

export interface ExploreReport {
  step: number;
  loc: Loc;
  variant: string | null;
  /** complete schedules run */
  schedules: number;
  /** choices cut: a CPU waiting for a lock, or a schedule equivalent to one already run */
  prunedLocks: number;
  prunedCommuting: number;
  /** false when `max` stopped the search before every schedule was run */
  complete: boolean;
  outcomes: ExploredOutcome[];
  /** quantified expectations after this interleave: how many schedules they held in, and a witness each way */
  quantified: { step: number; held: number; failed: number; failLine: string | null; holdLine: string | null }[];
}

interface Frame { ready: number[]; chosen: number; done: number[]; sleep: number[]; /** preemptions before this choice */ pre: number; /** the CPU that ran the transition before */ prev: number | null }
/** the schedule repeats one already run up to commuting independent operations */
class Redundant extends Error {}
/** every choice here would exceed this level's preemption bound */
class OverBound extends Error {}

/** The interleave steps of a scenario (indexes into steps). */
export function interleaveSteps(s: Scenario): number[] {
  return s.steps.flatMap((st, i) => (st.kind === 'interleave' ? [i] : []));
}

/** Explores the interleave at step `index` (run from the scenario's start under `variant`). */
export function exploreInterleave<R extends ScenarioRun>(Run: RunClass<R>, s: Scenario, variant: Variant | null, index: number, opts: ExploreOptions = {}): ExploreReport {
  const st = s.steps[index];
  if (!st || st.kind !== 'interleave') throw new Error(`step ${index} is not an interleave`);
  const max = opts.max ?? 2000;
  const base = new Run(s, variant, { timeTravel: false });
  base.runToEnd((i) => i >= index);
  // quantified expectations this interleave decides: up to the next interleave
  const next = s.steps.findIndex((x, i) => i > index && x.kind === 'interleave');
  const until = next < 0 ? s.steps.length : next;
  const quantSteps = s.steps.flatMap((x, i) => (i > index && i < until && x.kind === 'expect' && x.quantifier ? [i] : []));
  const ops = st.ops;
  const zs = base.machine.zones();
  const zoneOf = (pfn: number): number | null => {
    const k = zs.findIndex((z) => pfn >= z.start_pfn && pfn < z.end_pfn);
    return k < 0 ? null : k;
  };
  const opOf = (cpu: number) => ops.find((o) => o.cpu === cpu)!.op;
  const indep = new Map<string, boolean>();
  const isIndep = (a: number, b: number): boolean => {
    const k = `${a},${b}`;
    let v = indep.get(k);
    if (v === undefined) indep.set(k, (v = independent(opOf(a), opOf(b), zoneOf)));
    return v;
  };

  const report: ExploreReport = {
    step: index, loc: st.loc, variant: variant?.name ?? null, schedules: 0, prunedLocks: 0, prunedCommuting: 0, complete: true, outcomes: [], quantified: quantSteps.map((q) => ({ step: q, held: 0, failed: 0, failLine: null, holdLine: null })),
  };
  // Iterative preemption bounding (as CHESS): level k runs the schedules with at most k preemptions (switching away
  // from a CPU that could go on), and counts those with exactly k; the fewer switches a race needs, the sooner it is
  // found, so a bounded search spends its budget on the likely races rather than on reorderings of the last phases.
  // A level that never hit the bound ran everything: the search is complete.
  for (let k = 0; ; k++) {
    const level = { locks: 0, commuting: 0, boundHit: false };
    const frames: Frame[] = [];
    let prefix: number[] = [];
    const cost = (f: { prev: number | null; ready: number[] }, c: number): number => (f.prev !== null && f.ready.includes(f.prev) && c !== f.prev ? 1 : 0);
    const allowed = (f: Frame, c: number): boolean => {
      if (f.done.includes(c) || f.sleep.includes(c)) return false;
      if (f.pre + cost(f, c) > k) { level.boundHit = true; return false; }
      return true;
    };
    let stop = false;
    for (;;) {
      let depth = 0;
      let prev: number | null = null;
      const choose = (ready: Thread[], il: { threads: Thread[] }): Thread => {
        const d = depth++;
        if (d < prefix.length) return threadOn(ready, (prev = prefix[d]!));
        // the CPU that ran last goes on first, then the others by number
        const cpus = ready.map((t) => t.cpu).sort((a, b) => (a === prev ? -1 : b === prev ? 1 : a - b));
        const parent = frames[d - 1];
        const sleep = parent ? [...parent.sleep, ...parent.done].filter((c) => c !== parent.chosen && isIndep(c, parent.chosen)) : [];
        level.locks += il.threads.filter((t) => !t.result).length - ready.length;
        const pre = parent ? parent.pre + cost(parent, parent.chosen) : 0;
        const f: Frame = { ready: cpus, chosen: -1, done: [], sleep, pre, prev };
        const c = cpus.find((x) => allowed(f, x));
        if (c === undefined) {
          if (cpus.some((x) => sleep.includes(x))) throw new Redundant();
          throw new OverBound();
        }
        f.chosen = c;
        frames.push(f);
        return threadOn(ready, (prev = c));
      };
      const run = new Run(s, variant, { timeTravel: false, fork: base, driver: { step: index, choose } });
      let counted = true;
      try {
        run.step();
        if (quantSteps.length) run.runToEnd((i) => i >= until);
      } catch (e) {
        if (e instanceof Redundant) level.commuting++;
        else if (!(e instanceof OverBound)) throw e;
        counted = false;
      }
      // a schedule with fewer than k preemptions ran at an earlier level already
      const used = frames.length ? frames[frames.length - 1]!.pre + cost(frames[frames.length - 1]!, frames[frames.length - 1]!.chosen) : 0;
      if (counted && used === k) {
        report.schedules++;
        record(report, s, variant, base, index, run, quantSteps);
      }
      if (report.schedules >= max) { stop = true; break; }
      // backtrack: the deepest stop with a CPU not yet tried (not asleep, within the bound)
      let resumed = false;
      while (frames.length) {
        const f = frames[frames.length - 1]!;
        f.done.push(f.chosen);
        const alt = f.ready.find((c) => allowed(f, c));
        if (alt === undefined) {
          level.commuting += f.ready.filter((c) => !f.done.includes(c) && f.sleep.includes(c)).length;
          frames.pop();
          continue;
        }
        f.chosen = alt;
        prefix = frames.map((x) => x.chosen);
        resumed = true;
        break;
      }
      if (!resumed) break;
    }
    report.prunedLocks = level.locks;
    report.prunedCommuting = level.commuting;
    if (stop) { report.complete = false; break; }
    if (!level.boundHit) break;
  }
  for (const o of report.outcomes) o.line = scheduleLineFor(Run, s, variant, base, index, o, quantSteps);
  for (const q of report.quantified) {
    q.failLine = report.outcomes.find((o) => o.checks.get(q.step) === false)?.line ?? null;
    q.holdLine = report.outcomes.find((o) => o.checks.get(q.step) === true)?.line ?? null;
  }
  return report;
}

/** the thread of `ready` on cpu `c` (a function, not a closure made per choice) */
function threadOn(ready: Thread[], c: number): Thread {
  for (const t of ready) if (t.cpu === c) return t;
  throw new Error(`cpu ${c} is not ready`);
}

function record(report: ExploreReport, s: Scenario, variant: Variant | null, base: ScenarioRun, index: number, run: ScenarioRun, quantSteps: number[]): void {
  const key = outcomeKey(run, index);
  const trace = run.schedules.find((x) => x.step === index)?.trace ?? [];
  const checks = new Map<number, boolean>();
  for (const q of quantSteps) {
    const e = run.expectations.find((x) => x.step === q);
    if (!e) continue;
    checks.set(q, e.ok);
    const r = report.quantified.find((x) => x.step === q)!;
    if (e.ok) r.held++; else r.failed++;
  }
  let o = report.outcomes.find((x) => x.key === key);
  if (!o) report.outcomes.push((o = { key, count: 0, trace, line: null, checks }));
  else for (const [q, v] of checks) if (!o.checks.has(q) || (!v && o.checks.get(q))) { o.checks.set(q, v); if (!v) o.trace = trace; }
  o.count++;
}

/** The interleave's results: `r: -EBUSY at 0x50010; cpu 1 free: ok` (in the listed order of its operations). */
export function outcomeKey(run: ScenarioRun, index: number): string {
  const st = run.scenario.steps[index];
  if (!st || st.kind !== 'interleave') return '';
  const recs = run.ops.filter((r) => r.step === index);
  const err = run.errors.filter((e) => e.step === index).map((e) => e.message);
  const parts = st.ops.map((op) => {
    const r = recs.find((x) => x.cpu === op.cpu);
    const who = op.name ?? `cpu ${op.cpu} ${op.op.op}`;
    return `${who}: ${r ? resultText(r.result) : 'not run'}`;
  });
  return parts.join('; ') + (err.length ? ` [${err.join('; ')}]` : '');
}

function resultText(r: OpResult): string {
  if (r.internal) return `internal error: ${r.internal.message}`;
  if (r.ok) return r.allocated.length ? `ok at ${hex(r.allocated[0]!.pfn)}` : 'ok';
  // the reason tells races apart (a page on a pcp list vs one being freed)
  return `${r.errno ? '-' + r.errno : 'failed'}${r.pfn !== null ? ` at ${hex(r.pfn)}` : ''}${r.reason ? ` (${r.reason})` : ''}`;
}

/** `schedule cpu 1 lookup, cpu 0 drain, cpu 1 enqueue` for a trace (consecutive stops of one CPU merged). */
export function scheduleText(items: { cpu: number; phase: string }[]): string {
  return `schedule ${items.map((x) => `cpu ${x.cpu} ${x.phase}`).join(', ')}`;
}

function mergedItems(trace: { cpu: number; phase: string | null }[]): { cpu: number; phase: string }[] {
  const out: { cpu: number; phase: string }[] = [];
  for (const t of trace) {
    if (t.phase === null) continue;
    const last = out[out.length - 1];
    if (last && last.cpu === t.cpu) last.phase = t.phase;
    else out.push({ cpu: t.cpu, phase: t.phase });
  }
  return out;
}

/**
 * A schedule line that reproduces the outcome under the ordinary runner (the trace's stops, consecutive ones of a
 * CPU merged, then trailing items dropped while the outcome stays the same). Null when none does: a CPU passes a
 * phase name twice (a retry), or the order of the operations' last steps matters (after a schedule they end in the
 * listed order).
 */
function scheduleLineFor<R extends ScenarioRun>(Run: RunClass<R>, s: Scenario, variant: Variant | null, base: R, index: number, o: ExploredOutcome, quantSteps: number[]): string | null {
  let items = mergedItems(o.trace);
  const seen = new Set<string>();
  for (const x of items) {
    const k = `${x.cpu} ${x.phase}`;
    if (seen.has(k)) return null;
    seen.add(k);
  }
  const st = s.steps[index]!;
  if (st.kind !== 'interleave') return null;
  const reproduces = (list: { cpu: number; phase: string }[]): boolean => {
    const steps = s.steps.slice();
    steps[index] = { ...st, schedule: list.map((x) => ({ ...x, loc: st.loc })) };
    const run = new Run({ ...s, steps }, variant, { timeTravel: false, fork: base });
    run.step();
    if (run.errors.some((e) => e.step === index)) return false;
    if (outcomeKey(run, index) !== o.key) return false;
    if (!quantSteps.length) return true;
    run.runToEnd((i) => i >= (quantSteps[quantSteps.length - 1]! + 1));
    return quantSteps.every((q) => !o.checks.has(q) || run.expectations.find((e) => e.step === q)?.ok === o.checks.get(q));
  };
  if (!reproduces(items)) return null;
  while (items.length > 1 && reproduces(items.slice(0, -1))) items = items.slice(0, -1);
  // the earliest stop of each item that still gives this outcome (`cpu 0 drain` rather than a later no-op phase)
  const phasesOf = (cpu: number) => o.trace.filter((t) => t.cpu === cpu && t.phase !== null).map((t) => t.phase!);
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const all = phasesOf(it.cpu);
    const prev = items.slice(0, i).reverse().find((x) => x.cpu === it.cpu);
    const from = prev ? all.indexOf(prev.phase) + 1 : 0;
    for (const ph of all.slice(from, all.indexOf(it.phase))) {
      const tryItems = items.map((x, k) => (k === i ? { cpu: x.cpu, phase: ph } : x));
      if (reproduces(tryItems)) { items = tryItems; break; }
    }
  }
  return scheduleText(items);
}

/** The human-readable report of one explored interleave (also what the editor shows). */
export function exploreText(file: string, r: ExploreReport): string[] {
  const out: string[] = [];
  const cut = `${r.prunedLocks} choices cut by locks, ${r.prunedCommuting} by commuting operations`;
  out.push(`${file}:${r.loc.line}: interleave${r.variant ? ` (variant ${r.variant})` : ''}: ${r.schedules} schedules run, ${cut}${r.complete ? '' : ' — stopped at the bound (--max): more schedules exist'}; ${r.outcomes.length} outcome${r.outcomes.length === 1 ? '' : 's'}`);
  r.outcomes.forEach((o, k) => {
    out.push(`  outcome ${k + 1} (${o.count} schedule${o.count === 1 ? '' : 's'}): ${o.key}`);
    out.push(`    ${o.line ?? `(no schedule line reproduces it: ${o.trace.map((t) => `cpu ${t.cpu} ${t.phase ?? 'ends'}`).join(', ')})`}`);
  });
  return out;
}
