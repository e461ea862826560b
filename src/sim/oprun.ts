// Machine.run's operation: an explicit state machine with a generator's contract (next / return / throw, nothing
// run before the first next(), done after the result). The common part lives here: each next() points the core's
// event and slow-path sinks at this operation's (another operation may have stepped in between), makes one step
// of the subclass, records its phase as an event, and turns a throw into an internal error. Subclasses: the
// alloc and free steps (ops.ts; the order-0 pcp cycle runs millions of them, so one object per operation with the
// step inline) and a wrapper of a handler's generator for every other operation (machine.ts).
import { withOwn, type OpOutcome, type OpResult, type SimEvent, type SlowpathSummary } from './api.js';
import type { Core } from './core.js';
import type { Target } from './scenario.js';

/** the `phase` events, one shared (frozen) object per phase name: every operation step records one */
const PHASE_EVENTS = new Map<string, SimEvent>();
/** the last phase names looked up, compared by identity first (phase names are string literals, so the same name
 *  is the same string): a step's phase is nearly always one of them, and a Map lookup per step was ~4% of the
 *  order-0 pcp cycle */
const RECENT_PHASES: string[] = [];
const RECENT_EVENTS: PhaseEvent[] = [];
let recentNext = 0;
export type PhaseEvent = Extract<SimEvent, { type: 'phase' }>;
/** the shared event of a phase name (the alloc and free steps take theirs once, at module load, and return it) */
export function phaseEvent(phase: string): PhaseEvent {
  for (let i = 0; i < RECENT_PHASES.length; i++) if (RECENT_PHASES[i] === phase) return RECENT_EVENTS[i]!;
  let e = PHASE_EVENTS.get(phase);
  if (!e) PHASE_EVENTS.set(phase, (e = Object.freeze({ type: 'phase', phase }) as SimEvent));
  const ph = e as PhaseEvent;
  RECENT_PHASES[recentNext] = phase;
  RECENT_EVENTS[recentNext] = ph;
  recentNext = (recentNext + 1) % 4;
  return ph;
}

/** what an operation is run with (the runner's): its cpu, its label, and how its target names resolve */
export interface OpContext {
  cpu: number;
  label: string;
  resolve(t: Target): { pfn: number; pages: number }[];
  /** labels are the owners of what their operation allocated (the runner): a page a label no longer owns is an error */
  strictLabels?: boolean;
  /** why a label names nothing any more (e.g. "a was freed at line 3"), or null */
  labelError?(t: Target): string | null;
}

/** what an operation runs on: the machine's core, read at every step */
export interface OpMachine { readonly c: Core }

export abstract class OpRun implements Generator<string, OpResult, void> {
  private events: SimEvent[] | null = null;
  private readonly slowpaths: SlowpathSummary[] = [];
  private finished = false;
  /** the operation's cpu, in range (set at the first step, as a generator's body would compute it) */
  protected cpu = 0;

  constructor(protected readonly m: OpMachine, protected readonly ctx: OpContext, private readonly opName: string) {}

  /** one step: its phase (the name, or the shared event phaseEvent gives for it), or the outcome when the
   *  operation is done */
  protected abstract step(c: Core): string | PhaseEvent | OpOutcome;

  [Symbol.iterator](): this { return this; }
  get [Symbol.toStringTag](): string { return 'Generator'; }

  return(value: OpResult): IteratorResult<string, OpResult> {
    this.finished = true;
    return { value, done: true };
  }
  throw(e: unknown): IteratorResult<string, OpResult> {
    this.finished = true;
    throw e;
  }

  next(): IteratorResult<string, OpResult> {
    if (this.finished) return { value: undefined as unknown as OpResult, done: true };
    const c = this.m.c;
    let events = this.events;
    if (events === null) {
      // the prologue, at the first step as a generator's body would run it
      events = this.events = [];
      this.cpu = ((this.ctx.cpu % c.cpus) + c.cpus) % c.cpus;
      // pages an operation puts on the LRU are younger than everything before (lru_cache_add at the list head)
      c.lruSeq++;
    }
    const slowpaths = this.slowpaths;
    c.events = events;
    c.slowpaths = slowpaths;
    let r: string | PhaseEvent | OpOutcome;
    try {
      r = this.step(c);
    } catch (e) {
      // A throw is a simulator bug, never the kernel's answer: report it as an internal error (no errno) and
      // let the runner stop the run and restore the state from before this operation.
      this.finished = true;
      const message = e instanceof Error ? e.message : String(e);
      return { value: { ok: false, errno: null, pfn: null, reason: null, allocated: [], migrations: [], events, internal: { message } }, done: true };
    }
    if (typeof r === 'string' || (r as PhaseEvent).type === 'phase') {
      // a phase name is looked up; the alloc and free steps hand over their event (a lookup per step was ~5% of
      // the order-0 pcp cycle)
      const ph = typeof r === 'string' ? phaseEvent(r) : (r as PhaseEvent);
      // the first two phases of an operation that recorded nothing else: an array literal of exactly that length
      // (a push onto the empty array reserves 17 slots; alloc has one phase, free two)
      if (events.length === 0) c.events = this.events = [ph];
      else if (events.length === 1) c.events = this.events = [events[0]!, ph];
      else events.push(ph);
      return { value: ph.phase, done: false };
    }
    this.finished = true;
    const res = r as OpOutcome;
    // an operation without an allocation of its own reports the slow path of its last internal allocation
    // (hugetlb pool growth, migration targets) that reclaimed, compacted or failed, else of the last one that
    // left the fast path
    if (!res.slowpath && slowpaths.length) {
      const did = slowpaths.filter((s) => s.reclaimRuns > 0 || s.compaction.length > 0 || s.gaveUp !== null);
      res.slowpath = did[did.length - 1] ?? slowpaths[slowpaths.length - 1];
    }
    const op = this.opName;
    // the alloc and free steps (ops.ts) build a new outcome object for every run (opOk/opErr or a literal) that
    // nothing else holds: it takes its events itself (the key goes last, as the copy below would put it; the
    // usual outcomes have the key already, undefined)
    if (res.events === undefined && (op === 'alloc' || op === 'free')) {
      (res as OpResult).events = events;
      return { value: res as OpResult, done: true };
    }
    // `{ ...res, events }` without the spread (api.ts withOwn)
    const out = withOwn({} as OpResult, res);
    out.events = res.events ? [...events, ...res.events] : events;
    return { value: out, done: true };
  }
}
