// Registers every language feature provider for mmscn documents.
import * as vscode from 'vscode';
import { CompletionProvider, TRIGGER_CHARACTERS } from './completion.js';
import { LEGEND } from './convert.js';
import { FormattingProvider } from './formatting.js';
import { HoverProvider } from './hover.js';
import { FoldingProvider, SymbolProvider } from './outline.js';
import type { RunStore } from './results.js';
import { SemanticTokensProvider } from './semanticTokens.js';

export const SELECTOR: vscode.DocumentSelector = [{ language: 'mmscn' }];

export function registerProviders(runs: RunStore): vscode.Disposable[] {
  return [
    vscode.languages.registerCompletionItemProvider(SELECTOR, new CompletionProvider(), ...TRIGGER_CHARACTERS),
    vscode.languages.registerHoverProvider(SELECTOR, new HoverProvider(runs)),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, new SymbolProvider(), { label: 'mmscn' }),
    vscode.languages.registerFoldingRangeProvider(SELECTOR, new FoldingProvider()),
    vscode.languages.registerDocumentFormattingEditProvider(SELECTOR, new FormattingProvider()),
    vscode.languages.registerDocumentSemanticTokensProvider(SELECTOR, new SemanticTokensProvider(), LEGEND),
  ];
}
