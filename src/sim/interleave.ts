// Runs the operations of one `interleave` step on their CPUs with the lock model (locks.ts): a CPU whose next
// phase needs a sleeping lock another CPU holds does not run; the holder runs on until it releases the lock, as the
// kernel would schedule them (the waiter sleeps in mutex_lock / percpu_down_write).
import type { OpResult } from './api.js';
import type { Loc, OpStep, Policies } from './scenario.js';
import { firstConflict, lockText, opLocks, type LockUse, type OpLocks } from './locks.js';

export interface Thread {
  st: OpStep;
  cpu: number;
  gen: Generator<string, OpResult, void>;
  result: OpResult | null;
  /** the last phase it stopped after (null: not started) */
  last: string | null;
  held: readonly LockUse[];
  locks: OpLocks;
}

/** A CPU that had to wait: it needed `lock`, which cpu `holder` held. */
export interface BlockRecord { cpu: number; lock: string; holder: number; loc: Loc; phase: string | null }

/** What the debugger shows: the locks each CPU holds, and the CPUs waiting for one. */
export interface LockView {
  held: { cpu: number; lock: string; mode: 'exclusive' | 'shared' }[];
  blocked: { cpu: number; lock: string; holder: number }[];
  /** per CPU of the interleave: its operation, last phase, locks held, and what its next phase waits for */
  cpus: { cpu: number; op: string; last: string | null; done: boolean; held: string[]; waitsFor: { lock: string; holder: number } | null }[];
}

export type ScheduleItem = { cpu: number; phase: string; loc: Loc };

/** The diagnostic for a schedule item the kernel cannot run (runtime and `mmscn check` say the same). */
export function impossibleMessage(s: ScheduleItem, st: OpStep, lock: LockUse, holder: OpStep, why: string, laterPhases: string): string {
  return `impossible schedule: cpu ${s.cpu}'s ${st.op.op} cannot run to '${s.phase}' here: it waits for ${lockText(lock)}, held by cpu ${holder.cpu}'s ${holder.op.op} (${why}); cpu ${holder.cpu} must run past ${laterPhases} first`;
}

/**
 * The same check without running (`mmscn check`, the editor): the lock rules depend only on the operation, the
 * policies and the phase it stopped after, so the schedule can be followed phase name by phase name.
 */
export function scheduleLockProblems(ops: readonly OpStep[], schedule: readonly ScheduleItem[], pol: Pick<Policies, 'contig_pcp'>): { loc: Loc; message: string }[] {
  const out: { loc: Loc; message: string }[] = [];
  const last = new Map<number, string>();
  const ended = new Set<number>();
  const dropped = new Set<number>();
  const locks = new Map(ops.map((o) => [o.cpu, opLocks(o.op, pol)]));
  for (let i = 0; i < schedule.length; i++) {
    const s = schedule[i]!;
    const st = ops.find((o) => o.cpu === s.cpu);
    if (dropped.has(i) || !st || ended.has(s.cpu)) continue;
    const others = ops.filter((o) => o !== st && !ended.has(o.cpu) && last.has(o.cpu)).map((o) => ({ who: o, held: locks.get(o.cpu)!.heldAfter(last.get(o.cpu)!) }));
    const c = firstConflict(locks.get(s.cpu)!.needs(last.get(s.cpu) ?? null), others);
    if (c) {
      const later = schedule.map((e, k) => (k > i && e.cpu === c.holder.cpu && !dropped.has(k) ? k : -1)).filter((k) => k >= 0);
      if (later.length) {
        out.push({ loc: s.loc, message: impossibleMessage(s, st, c.lock, c.holder, locks.get(c.holder.cpu)!.why, later.map((k) => `'${schedule[k]!.phase}'`).join(', ')) });
        for (const k of later) dropped.add(k);
      }
      ended.add(c.holder.cpu); // the holder runs to its end (every rule keeps its locks until then)
    }
    last.set(s.cpu, s.phase);
  }
  return out;
}

export class Interleaving {
  readonly threads: Thread[];
  /** every transition in the order it ran: the phase it stopped after, or null when the operation ended */
  readonly trace: { cpu: number; phase: string | null }[] = [];
  readonly blocks: BlockRecord[] = [];
  readonly errors: { loc: Loc; message: string }[] = [];
  /** the thread whose operation came back with an internal error: everything stops */
  failed: Thread | null = null;
  private readonly waiting = new Map<number, { lock: string; holder: number }>();

  constructor(ops: { st: OpStep; gen: Generator<string, OpResult, void> }[], pol: Pick<Policies, 'contig_pcp'>) {
    this.threads = ops.map(({ st, gen }) => ({ st, cpu: st.cpu, gen, result: null, last: null, held: [], locks: opLocks(st.op, pol) }));
  }

  /** The lock `t`'s next phase needs that another CPU holds, and that CPU. */
  blocker(t: Thread): { lock: LockUse; holder: Thread } | null {
    if (t.result) return null;
    const others = this.threads.filter((o) => o !== t && !o.result).map((o) => ({ who: o, held: o.held }));
    return firstConflict(t.locks.needs(t.last), others);
  }

  /** CPUs that can run their next phase now. */
  runnable(): Thread[] {
    return this.threads.filter((t) => !t.result && !this.blocker(t));
  }

  lockView(): LockView {
    const held: LockView['held'] = [];
    for (const t of this.threads) if (!t.result) for (const l of t.held) held.push({ cpu: t.cpu, lock: lockText(l), mode: l.mode });
    const blocked = [...this.waiting].map(([cpu, w]) => ({ cpu, ...w }));
    const cpus = this.threads.map((t) => {
      const b = this.blocker(t);
      return {
        cpu: t.cpu, op: t.st.op.op, last: t.last, done: t.result !== null, held: t.result ? [] : t.held.map(lockText),
        waitsFor: this.waiting.get(t.cpu) ?? (b ? { lock: lockText(b.lock), holder: b.holder.cpu } : null),
      };
    });
    return { held, blocked, cpus };
  }

  /** Runs `t` to its next stop (or its end). `t` must not be blocked. */
  *step(t: Thread): Generator<{ cpu: number; phase: string }, string | null, void> {
    const ph = this.advance(t);
    if (ph !== null) yield { cpu: t.cpu, phase: ph };
    return ph;
  }

  /**
   * `step` without the yield: runs `t` to its next stop and returns that phase, or null when the operation ended.
   * (A plain method: the runner's one-operation steps call it directly, no generator made per phase.)
   */
  advance(t: Thread): string | null {
    const n = t.gen.next();
    if (n.done) {
      t.result = n.value;
      t.held = [];
      this.trace.push({ cpu: t.cpu, phase: null });
      if (t.result.internal) this.failed = t;
      return null;
    }
    t.last = n.value;
    t.held = t.locks.heldAfter(n.value);
    this.trace.push({ cpu: t.cpu, phase: n.value });
    return n.value;
  }

  /** Runs the CPUs `t` waits for until it can run (what the kernel does while `t` sleeps on the lock). */
  *runUntilFree(t: Thread, loc: Loc, chain: Thread[] = []): Generator<{ cpu: number; phase: string }, boolean, void> {
    for (let b = this.blocker(t); b; b = this.blocker(t)) {
      if (chain.includes(b.holder)) {
        this.errors.push({ loc, message: `deadlock: cpu ${t.cpu} waits for ${lockText(b.lock)} held by cpu ${b.holder.cpu}, which waits for cpu ${t.cpu}` });
        return false;
      }
      const w = this.waiting.get(t.cpu);
      // one record per wait (the holder usually needs several phases to release the lock)
      if (!w || w.holder !== b.holder.cpu || w.lock !== lockText(b.lock)) this.blocks.push({ cpu: t.cpu, lock: lockText(b.lock), holder: b.holder.cpu, loc, phase: t.last });
      this.waiting.set(t.cpu, { lock: lockText(b.lock), holder: b.holder.cpu });
      const h = b.holder;
      if (this.blocker(h) && !(yield* this.runUntilFree(h, loc, [...chain, t]))) return false;
      yield* this.step(h);
      if (this.failed) return false;
    }
    this.waiting.delete(t.cpu);
    return true;
  }

  /** The `schedule` line: each item runs its CPU up to and including the phase, waiting for locks as needed. */
  *runSchedule(schedule: readonly ScheduleItem[], noOp: (s: ScheduleItem) => void): Generator<{ cpu: number; phase: string }, void, void> {
    const dropped = new Set<number>();
    for (let i = 0; i < schedule.length; i++) {
      const s = schedule[i]!;
      if (dropped.has(i)) continue;
      const t = this.threads.find((x) => x.cpu === s.cpu);
      if (!t) { noOp(s); continue; }
      let reached = false;
      while (!t.result && !reached) {
        const b = this.blocker(t);
        if (b) {
          // the kernel cannot run this phase now: the holder runs until it releases the lock
          const later = schedule.map((e, k) => (k > i && e.cpu === b.holder.cpu && !dropped.has(k) ? k : -1)).filter((k) => k >= 0);
          if (later.length) {
            const names = later.map((k) => `'${schedule[k]!.phase}'`).join(', ');
            this.errors.push({ loc: s.loc, message: impossibleMessage(s, t.st, b.lock, b.holder.st, b.holder.locks.why, names) });
            for (const k of later) dropped.add(k);
          }
          if (!(yield* this.runUntilFree(t, s.loc))) return;
          continue;
        }
        const ph = yield* this.step(t);
        if (this.failed) return;
        if (ph === s.phase) reached = true;
      }
      if (!reached) this.errors.push({ loc: s.loc, message: `cpu ${s.cpu}'s ${t.st.op.op} ended before reaching phase '${s.phase}'` });
    }
  }

  /** After the schedule: every operation runs to its end, in the listed order (waiting for locks as needed). */
  *finish(loc: (t: Thread) => Loc): Generator<{ cpu: number; phase: string }, void, void> {
    for (const t of this.threads) {
      while (!t.result) {
        if (this.blocker(t) && !(yield* this.runUntilFree(t, loc(t)))) {
          if (this.failed) return;
          // a deadlock (not expected with the lock rules): run it anyway so the step ends
        }
        yield* this.step(t);
        if (this.failed) return;
      }
    }
  }
}
