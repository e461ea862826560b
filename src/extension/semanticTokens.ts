// Semantic highlighting: src/language semanticTokens() encoded against a fixed legend.
import * as vscode from 'vscode';
import * as language from '../language/index.js';
import { LEGEND, TOKEN_MODIFIERS, TOKEN_TYPES } from './convert.js';
import type { SemanticToken } from '../language/types.js';

export class SemanticTokensProvider implements vscode.DocumentSemanticTokensProvider {
  provideDocumentSemanticTokens(doc: vscode.TextDocument) {
    if (!language?.semanticTokens) return undefined;
    return encodeTokens(language.semanticTokens(doc.getText()));
  }
}

/** Semantic tokens must be pushed in document order; the language service's order is not assumed. */
export function encodeTokens(tokens: SemanticToken[]): vscode.SemanticTokens {
  const b = new vscode.SemanticTokensBuilder(LEGEND);
  const sorted = [...tokens].sort((a, b) => a.line - b.line || a.col - b.col);
  let lastLine = -1;
  let lastEnd = -1;
  for (const t of sorted) {
    const type = TOKEN_TYPES.indexOf(t.type);
    if (type < 0 || t.length <= 0) continue;
    const line = t.line - 1;
    const ch = t.col - 1;
    if (line === lastLine && ch < lastEnd) continue; // overlapping tokens are not allowed
    let mods = 0;
    for (const m of t.modifiers ?? []) {
      const i = TOKEN_MODIFIERS.indexOf(m);
      if (i >= 0) mods |= 1 << i;
    }
    b.push(line, ch, t.length, type, mods);
    lastLine = line;
    lastEnd = ch + t.length;
  }
  return b.build();
}
