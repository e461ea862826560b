// Hover: keyword docs from src/language hover(); a pfn shows that page's state from the last run of the file.
import * as vscode from 'vscode';
import * as language from '../language/index.js';
import { fromPosition, toRange } from './convert.js';
import type { RunStore } from './results.js';

export class HoverProvider implements vscode.HoverProvider {
  constructor(private readonly runs: RunStore) {}
  provideHover(doc: vscode.TextDocument, pos: vscode.Position) {
    if (!language?.hover) return undefined;
    const { line, col } = fromPosition(pos);
    const h = language.hover(doc.getText(), line, col, this.runs.pageInfoFor(doc));
    if (!h) return undefined;
    const md = new vscode.MarkdownString(h.contents);
    return new vscode.Hover(md, toRange(h.loc));
  }
}
