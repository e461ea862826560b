// 1-based language-service positions (Loc) → VS Code's 0-based Range, and language-service diagnostics → vscode
// Diagnostics, for what the extension still does in process: Check File, run results, the debugger. The language
// features (completion, hover, symbols, folding, semantic tokens, formatting) come from the language server
// (src/lsp/convert.ts does these mappings to LSP types there).
import * as vscode from 'vscode';
import type { Loc } from '../sim/scenario.js';
import type * as L from '../language/types.js';

/** A 1-based Loc (endCol exclusive, like the language service) → a vscode.Range. */
export function toRange(loc: Loc): vscode.Range {
  const sl = Math.max(0, loc.line - 1);
  const sc = Math.max(0, loc.col - 1);
  const el = Math.max(sl, loc.endLine - 1);
  const ec = Math.max(0, loc.endCol - 1);
  // A zero-width or inverted range would be invisible; widen it to one character.
  if (el === sl && ec <= sc) return new vscode.Range(sl, sc, sl, sc + 1);
  return new vscode.Range(sl, sc, el, ec);
}

export function toSeverity(s: L.Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
    case 'hint': return vscode.DiagnosticSeverity.Hint;
  }
}

export function toDiagnostic(d: L.Diagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(d.loc), d.message, toSeverity(d.severity));
  out.source = 'mmscn';
  out.code = d.source;
  return out;
}
