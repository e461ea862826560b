// The plain-data results of src/language (1-based line/col, Loc.endCol exclusive) → Language Server Protocol
// types (0-based). The same mappings the VS Code extension used in-process (src/extension/convert.ts before
// the extension became a client of this server), so what VS Code shows did not change.
import {
  CompletionItemKind, DiagnosticSeverity, FoldingRangeKind, InsertTextFormat, MarkupKind, SemanticTokensBuilder, SymbolKind,
  type CompletionItem, type Diagnostic, type DocumentSymbol, type FoldingRange, type Range, type SemanticTokens, type TextEdit,
} from 'vscode-languageserver';
import type { Loc } from '../sim/scenario.js';
import type * as L from '../language/types.js';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from './protocol.js';

/** A 1-based Loc → an LSP Range; a zero-width or inverted range would be invisible, so it is widened to one character. */
export function toRange(loc: Loc): Range {
  const sl = Math.max(0, loc.line - 1);
  const sc = Math.max(0, loc.col - 1);
  const el = Math.max(sl, loc.endLine - 1);
  const ec = Math.max(0, loc.endCol - 1);
  if (el === sl && ec <= sc) return { start: { line: sl, character: sc }, end: { line: sl, character: sc + 1 } };
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

const SEVERITIES: Record<L.Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(d: L.Diagnostic): Diagnostic {
  return { range: toRange(d.loc), message: d.message, severity: SEVERITIES[d.severity], source: 'mmscn', code: d.source };
}

const COMPLETION_KINDS: Record<L.CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  operation: CompletionItemKind.Function,
  zone: CompletionItemKind.Module,
  migratetype: CompletionItemKind.EnumMember,
  name: CompletionItemKind.Variable,
  policy: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
  number: CompletionItemKind.Constant,
  errno: CompletionItemKind.Constant,
  kind: CompletionItemKind.TypeParameter,
};

/**
 * `replace`: the range the item replaces (for `-EBUSY` after `expect r -`: a client's word does not include the
 * dash, so the item replaces from the dash and filters on its whole label).
 */
export function toCompletionItem(c: L.CompletionItem, replace?: Range): CompletionItem {
  const item: CompletionItem = { label: c.label, kind: COMPLETION_KINDS[c.kind] ?? CompletionItemKind.Text };
  if (c.detail) item.detail = c.detail;
  if (c.sortText) item.sortText = c.sortText;
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  if (replace) {
    item.textEdit = { range: replace, newText: c.insertText ?? c.label };
    item.filterText = c.label;
  } else if (c.insertText !== undefined) {
    item.insertText = c.insertText;
  }
  return item;
}

const SYMBOL_KINDS: Record<L.DocumentSymbol['kind'], SymbolKind> = {
  machine: SymbolKind.Module,
  node: SymbolKind.Namespace,
  zone: SymbolKind.Struct,
  operation: SymbolKind.Function,
  label: SymbolKind.Variable,
  checkpoint: SymbolKind.Event,
  variant: SymbolKind.Class,
  expect: SymbolKind.Boolean,
  interleave: SymbolKind.Operator,
  policy: SymbolKind.Property,
  population: SymbolKind.Array,
};

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const contains = (outer: Range, inner: Range) => before(outer.start, inner.start) && before(inner.end, outer.end);

export function toDocumentSymbol(s: L.DocumentSymbol): DocumentSymbol {
  const range = toRange(s.loc);
  let selectionRange = toRange(s.selection);
  // clients (VS Code) reject a symbol whose selection range is not inside its range
  if (!contains(range, selectionRange)) selectionRange = range;
  return {
    name: s.name || '(unnamed)',
    detail: s.detail ?? '',
    kind: SYMBOL_KINDS[s.kind] ?? SymbolKind.Object,
    range,
    selectionRange,
    children: (s.children ?? []).map(toDocumentSymbol),
  };
}

export function toFoldingRange(f: L.FoldingRange): FoldingRange {
  const r: FoldingRange = { startLine: f.startLine - 1, endLine: f.endLine - 1 };
  if (f.kind === 'comment') r.kind = FoldingRangeKind.Comment;
  else if (f.kind === 'region') r.kind = FoldingRangeKind.Region;
  return r;
}

export function toTextEdit(e: L.TextEdit): TextEdit {
  const r = e.loc;
  // edits may legitimately be empty ranges (insertions): not widened like toRange does
  return { range: { start: { line: r.line - 1, character: r.col - 1 }, end: { line: r.endLine - 1, character: r.endCol - 1 } }, newText: e.newText };
}

/** Semantic tokens must be sent in document order and must not overlap; the language service's order is not assumed. */
export function encodeTokens(tokens: L.SemanticToken[]): SemanticTokens {
  const b = new SemanticTokensBuilder();
  const sorted = [...tokens].sort((a, c) => a.line - c.line || a.col - c.col);
  let lastLine = -1;
  let lastEnd = -1;
  for (const t of sorted) {
    const type = (TOKEN_TYPES as readonly string[]).indexOf(t.type);
    if (type < 0 || t.length <= 0) continue;
    const line = t.line - 1;
    const ch = t.col - 1;
    if (line === lastLine && ch < lastEnd) continue;
    let mods = 0;
    for (const m of t.modifiers ?? []) {
      const i = (TOKEN_MODIFIERS as readonly string[]).indexOf(m);
      if (i >= 0) mods |= 1 << i;
    }
    b.push(line, ch, t.length, type, mods);
    lastLine = line;
    lastEnd = ch + t.length;
  }
  return b.build();
}
