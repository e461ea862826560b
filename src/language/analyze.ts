// The language service of .mmscn scenarios: pure functions over the document text (no `vscode`).
// Positions are 1-based (line, col); Loc.endCol is exclusive.
import type { Scenario } from '../sim/scenario.js';
import type { Diagnostic } from './types.js';
import type { FileAst } from './ast.js';
import { parseFile, type ParseResult } from './parser.js';
import { lower, type NameDef } from './lower.js';
import type { Layout } from './validate.js';
import { reparse } from './incremental.js';
import { lockDiagnostics } from './lockcheck.js';
import { analyzeStreamed, type OnceAnalysis } from './analyze-once.js';

export interface Analysis {
  /** null when there are errors */
  scenario: Scenario | null;
  diagnostics: Diagnostic[];
  /** the scenario as far as it could be lowered, even with errors */
  partial: Scenario;
  ast: FileAst;
  names: NameDef[];
  layout: Layout;
  parse: ParseResult;
}

/**
 * The editor asks for diagnostics, hover, completion and symbols of the same text in a row: the last few
 * analyses are kept (keyed by the exact text) so each keystroke is parsed once. Results are read-only.
 */
const recent: { text: string; analysis: Analysis }[] = [];

export function analyze(text: string): Analysis {
  text = typeof text === 'string' ? text : String(text);
  const hit = recent.find((r) => r.text === text);
  if (hit) return hit.analysis;
  // an edit of the text analyzed last: re-parse only the lines it touched (src/language/incremental.ts)
  const last = recent[0];
  const analysis = analyzeUncached(text, last ? reparse(last.analysis.parse, last.text, text) : null);
  recent.unshift({ text, analysis });
  recent.length = Math.min(recent.length, 3);
  return analysis;
}

/**
 * analyze()'s scenario and diagnostics for a text used once (verify's prediction of an imported machine, the import's
 * check): parsed as a stream and lowered statement by statement (src/language/analyze-once.ts), so no tokens or
 * syntax tree are held, and not kept for the next call. An imported machine's scenario has ~10^5-10^6 lines, whose
 * full analysis is ~3.3 KB a line (tokens, tree, scenario); this keeps ~0.4 KB a line, the scenario.
 */
export function analyzeOnce(text: string): OnceAnalysis {
  const hit = recent.find((r) => r.text === text);
  return hit ? hit.analysis : analyzeStreamed(typeof text === 'string' ? text : String(text));
}

/** Forget the recent analyses: the next analyze() parses in full (cold-parse measurements in tests). */
export function clearAnalysisCache(): void {
  recent.length = 0;
}

function analyzeUncached(text: string, reparsed: ParseResult | null = null): Analysis {
  const parse = reparsed ?? parseFile(text);
  const low = lower(parse.ast);
  const diagnostics = [...parse.diagnostics, ...low.diagnostics, ...lockDiagnostics(low.scenario)].sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col);
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  return {
    scenario: hasErrors ? null : low.scenario,
    diagnostics,
    partial: low.scenario,
    ast: parse.ast,
    names: low.names,
    layout: low.layout,
    parse,
  };
}
