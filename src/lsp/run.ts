// `mmscn/run` in the server: runs a document on the simulator in time slices (a long run does not stop the
// server answering hovers, and can be cancelled), and keeps the outcomes for hover's page state.
import { DiagnosticSeverity, type CancellationToken, type Diagnostic } from 'vscode-languageserver';
import type { RunOutcome } from '../sim/runner.js';
import { runVariants, startRun } from '../app/run.js';
import type { Scenario } from '../sim/scenario.js';
import { internalErrorText } from '../sim/describe.js';
import { toJson } from '../app/json.js';
import { toRange } from './convert.js';

/** How long one slice of a run may hold the server before it looks at other messages. */
const SLICE_MS = 20;

export interface RunRequest { variant?: string; until?: number; kernelPreset?: string }

/** Every chosen variant, step by step; null when cancelled. */
export async function runInSlices(s: Scenario, req: RunRequest, token?: CancellationToken): Promise<RunOutcome[] | null> {
  const variants = runVariants(s);
  const chosen = req.variant ? variants.filter((v) => v?.name === req.variant) : variants;
  const outcomes: RunOutcome[] = [];
  for (const v of chosen) {
    const run = startRun(s, v, { timeTravel: false });
    while (!run.done && (req.until === undefined || run.position < req.until)) {
      const end = Date.now() + SLICE_MS;
      while (!run.done && (req.until === undefined || run.position < req.until) && Date.now() < end) run.step();
      if (run.done) break;
      await new Promise((r) => setTimeout(r, 0)); // (not setImmediate: the server may run in a browser worker)
      if (token?.isCancellationRequested) return null;
    }
    outcomes.push(run.outcome());
  }
  return outcomes;
}

/** Failed expectations, run errors and internal errors as diagnostics (shown until the next edit, like in VS Code). */
export function runDiagnostics(outcomes: RunOutcome[], steps: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const d = (loc: Parameters<typeof toRange>[0], message: string, variant: string | null, code: string) =>
    out.push({ range: toRange(loc), message: variant ? `[${variant}] ${message}` : message, severity: DiagnosticSeverity.Error, source: 'mmscn', code });
  for (const o of outcomes) {
    for (const e of o.errors) d(e.loc, e.message, o.variant, 'run');
    for (const e of o.expectations) if (!e.ok) d(e.loc, `expectation failed: ${e.message}`, o.variant, 'expectation');
    if (o.internal) d(o.internal.loc, internalErrorText(o.internal, steps).replace(/\n\s*/g, ' '), o.variant, 'internal');
  }
  return out;
}

export function outcomesJson(outcomes: RunOutcome[]): unknown[] {
  return outcomes.map(toJson);
}

