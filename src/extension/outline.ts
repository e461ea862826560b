// Outline (document symbols) and folding ranges from src/language.
import type * as vscode from 'vscode';
import { language } from './backend.js';
import { toDocumentSymbol, toFoldingRange } from './convert.js';

export class SymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(doc: vscode.TextDocument) {
    if (!language?.documentSymbols) return undefined;
    return language.documentSymbols(doc.getText()).map(toDocumentSymbol);
  }
}

export class FoldingProvider implements vscode.FoldingRangeProvider {
  provideFoldingRanges(doc: vscode.TextDocument) {
    if (!language?.foldingRanges) return undefined;
    return language.foldingRanges(doc.getText()).filter((f) => f.endLine > f.startLine).map(toFoldingRange);
  }
}
