// What a run records, step by step (runner.ts's ScenarioRun): kept apart so explore.ts can read runs without
// importing the runner that drives it.
import type { OpResult } from './api.js';
import type { Loc, OpStep, Scenario } from './scenario.js';
import type { BlockRecord, Interleaving, Thread } from './interleave.js';
import type { Machine } from './machine.js';

export interface OpRecord {
  /** index of the top-level step this op belongs to */
  step: number;
  loc: Loc;
  op: OpStep['op']['op'];
  name: string | null;
  cpu: number;
  result: OpResult;
  /** events dropped from result.events once this record left the FULL_TRACE_OPS latest ones */
  droppedEvents?: number;
  /** the label the operation names as its target, if any */
  target?: string;
}

export interface ExpectRecord { step: number; loc: Loc; ok: boolean; message: string }
/** How an `interleave` ran: every transition in order (phase null: the operation ended) and the CPUs that waited for a lock. */
export interface ScheduleRecord { step: number; loc: Loc; trace: { cpu: number; phase: string | null }[]; blocks: BlockRecord[] }
/** `explore` drives the interleave at `step`: `choose` picks which runnable CPU runs its next phase. */
export interface InterleaveDriver { step: number; choose(ready: Thread[], il: Interleaving): Thread }
export interface RunError { step: number; loc: Loc; message: string }

/** The simulator failed (threw) on an operation: the run stopped before that step, which was undone. */
export interface InternalFailure {
  /** the top-level step (0-based) whose operation failed; the machine is as it was before it */
  step: number;
  loc: Loc;
  op: string;
  name: string | null;
  cpu: number;
  message: string;
  /** top-level steps not run because of it (this one included) */
  notRun: number;
}

/** What explore reads of a run (ScenarioRun is one; runner.ts passes its class in). */
export interface RecordedRun {
  readonly scenario: Scenario;
  readonly machine: Machine;
  readonly ops: readonly OpRecord[];
  readonly errors: readonly RunError[];
  readonly expectations: readonly ExpectRecord[];
  readonly schedules: readonly ScheduleRecord[];
  step(): void;
  runToEnd(stop?: (step: number) => boolean): void;
}
