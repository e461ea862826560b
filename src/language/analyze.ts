// The language service of .mmscn scenarios: pure functions over the document text (no `vscode`).
// Positions are 1-based (line, col); Loc.endCol is exclusive.
import type { Scenario } from '../sim/scenario.js';
import type { Diagnostic } from './types.js';
import type { FileAst } from './ast.js';
import { parseFile, type ParseResult } from './parser.js';
import { lower, type NameDef } from './lower.js';
import type { Layout } from './validate.js';



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

export function analyze(text: string): Analysis {
  const parse = parseFile(typeof text === 'string' ? text : String(text));
  const low = lower(parse.ast);
  const diagnostics = [...parse.diagnostics, ...low.diagnostics].sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col);
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
