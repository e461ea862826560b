// 1-based language-service positions (Loc, line/col) ↔ VS Code's 0-based Position/Range, and the
// small enum mappings between the plain-data results of src/language and the vscode API types.
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

/** A vscode.Position → the language service's 1-based line and column. */
export function fromPosition(p: vscode.Position): { line: number; col: number } {
  return { line: p.line + 1, col: p.character + 1 };
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

const COMPLETION_KINDS: Record<L.CompletionKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  operation: vscode.CompletionItemKind.Function,
  zone: vscode.CompletionItemKind.Module,
  migratetype: vscode.CompletionItemKind.EnumMember,
  name: vscode.CompletionItemKind.Variable,
  policy: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  snippet: vscode.CompletionItemKind.Snippet,
  number: vscode.CompletionItemKind.Constant,
  errno: vscode.CompletionItemKind.Constant,
  kind: vscode.CompletionItemKind.TypeParameter,
};

export function toCompletionItem(c: L.CompletionItem): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, COMPLETION_KINDS[c.kind] ?? vscode.CompletionItemKind.Text);
  if (c.detail) item.detail = c.detail;
  if (c.sortText) item.sortText = c.sortText;
  if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
  if (c.insertText !== undefined) item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
  return item;
}

const SYMBOL_KINDS: Record<L.DocumentSymbol['kind'], vscode.SymbolKind> = {
  machine: vscode.SymbolKind.Module,
  node: vscode.SymbolKind.Namespace,
  zone: vscode.SymbolKind.Struct,
  operation: vscode.SymbolKind.Function,
  label: vscode.SymbolKind.Variable,
  checkpoint: vscode.SymbolKind.Event,
  variant: vscode.SymbolKind.Class,
  expect: vscode.SymbolKind.Boolean,
  interleave: vscode.SymbolKind.Operator,
  policy: vscode.SymbolKind.Property,
  population: vscode.SymbolKind.Array,
};

export function toDocumentSymbol(s: L.DocumentSymbol): vscode.DocumentSymbol {
  const range = toRange(s.loc);
  let selection = toRange(s.selection);
  // VS Code rejects a symbol whose selection range is not inside its range.
  if (!range.contains(selection)) selection = range;
  const out = new vscode.DocumentSymbol(s.name || '(unnamed)', s.detail ?? '', SYMBOL_KINDS[s.kind] ?? vscode.SymbolKind.Object, range, selection);
  out.children = (s.children ?? []).map(toDocumentSymbol);
  return out;
}

export function toFoldingRange(f: L.FoldingRange): vscode.FoldingRange {
  const kind = f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : f.kind === 'region' ? vscode.FoldingRangeKind.Region : undefined;
  return new vscode.FoldingRange(f.startLine - 1, f.endLine - 1, kind);
}

export function toTextEdit(e: L.TextEdit): vscode.TextEdit {
  const r = e.loc;
  // Edits may legitimately be empty ranges (insertions): do not widen them like toRange does.
  const range = new vscode.Range(r.line - 1, r.col - 1, r.endLine - 1, r.endCol - 1);
  return new vscode.TextEdit(range, e.newText);
}

/** The semantic token legend: every SemanticTokenType of the language service, in a fixed order. */
export const TOKEN_TYPES: L.SemanticTokenType[] = [
  'keyword', 'function', 'variable', 'number', 'enumMember', 'type', 'string', 'comment', 'operator', 'property',
];
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'];
export const LEGEND = new vscode.SemanticTokensLegend(TOKEN_TYPES, TOKEN_MODIFIERS);
