// The language service of .mmscn scenarios: pure functions over the document text (no `vscode`).
// Positions are 1-based (line, col); Loc.endCol is exclusive.
export { analyze, analyzeOnce, type Analysis } from './analyze.js';
export { complete } from './complete.js';
export type { Diagnostic, CompletionItem, HoverResult, DocumentSymbol, SemanticToken, FoldingRange, TextEdit } from './types.js';
export { hover } from './hover.js';
export { format, applyEdits } from './format.js';
export { documentSymbols, foldingRanges } from './symbols.js';
export { semanticTokens } from './tokens.js';
export { setInternalErrorSink, type InternalErrorSink } from './internal.js';
