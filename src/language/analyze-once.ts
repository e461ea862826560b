// analyzeOnce's engine: the Scenario and diagnostics of a text analyzed once (an imported machine's scenario of
// 10^5-10^6 lines), without holding its tokens or syntax tree. The text is parsed as a stream (parser.ts parseStream:
// a chunk of lines at a time) and each top-level statement is lowered as soon as it is complete (lower.ts
// StreamLowering), so what stays is the Scenario (~0.4 KB a line) instead of tokens + tree + Scenario (~3.3 KB).
// The answer equals analyze(text)'s (test/unit/language/analyze-once.test.ts): when lowering statement by statement
// cannot give it (a configuration statement after a step, a name defined after a look-up missed it), the text is
// parsed twice: names and configuration first, then the steps.
import type { Scenario } from '../sim/scenario.js';
import type { Stmt } from './ast.js';
import type { Diagnostic } from './types.js';
import { parseStream } from './parser.js';
import { StreamLowering, type Lowered } from './lower.js';
import { lockDiagnostics } from './lockcheck.js';

export interface OnceAnalysis {
  /** null when there are errors */
  scenario: Scenario | null;
  diagnostics: Diagnostic[];
  /** the scenario as far as it could be lowered, even with errors */
  partial: Scenario;
}

/** how the last streamed analysis went (tests: the one-pass path is the one taken for an import) */
export const onceStats = { passes: 0 };

export function analyzeStreamed(text: string): OnceAnalysis {
  let low: Lowered;
  let parseDiags: Diagnostic[];
  const one = new StreamLowering();
  let pending: Stmt | null = null;
  parseDiags = parseStream(text, (s, top) => {
    if (one.spoiled) return;
    one.names(s);
    if (!top) return;
    // a top-level statement is complete when the next one is placed (its block, if any, is closed by then)
    if (pending) one.top(pending);
    pending = s;
  }, () => one.spoiled);
  if (pending && !one.spoiled) one.top(pending);
  if (!one.spoiled) {
    onceStats.passes = 1;
    low = one.finish();
  } else {
    // names and configuration of the whole text, then the steps of a second parse
    onceStats.passes = 2;
    const two = new StreamLowering(true);
    let cfg: Stmt | null = null;
    parseDiags = parseStream(text, (s, top) => {
      two.names(s);
      if (!top) return;
      if (cfg) two.top(cfg, false);
      cfg = s;
    });
    if (cfg) two.top(cfg, false);
    two.commit();
    let step: Stmt | null = null;
    parseStream(text, (s, top) => {
      if (!top) return;
      if (step) two.top(step);
      step = s;
    });
    if (step) two.top(step);
    low = two.finish();
  }
  const diagnostics = [...parseDiags, ...low.diagnostics, ...lockDiagnostics(low.scenario)].sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col);
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  return { scenario: hasErrors ? null : low.scenario, diagnostics, partial: low.scenario };
}
