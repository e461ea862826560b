// Diagnostics as you type: analyze() on open, debounced on change (mmscn.diagnostics.debounceMs), cleared on close.
// Run results (failed expectations, run errors) are merged in by the commands through setRunDiagnostics().
import * as vscode from 'vscode';
import * as language from '../language/index.js';
import { toDiagnostic } from './convert.js';
import type * as L from '../language/types.js';

export const LANGUAGE_ID = 'mmscn';

/**
 * A document this large (characters) is not analyzed synchronously when it opens, and changes wait at least
 * LARGE_DEBOUNCE_MS: analyzing tens of thousands of lines takes a good part of a second, and must not block
 * the extension host while the editor opens the file or on every keystroke.
 */
export const LARGE_DOCUMENT = 256 * 1024;
export const LARGE_DEBOUNCE_MS = 1000;

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mmscn');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly runDiagnostics = new Map<string, vscode.Diagnostic[]>();
  private readonly analyzed = new vscode.EventEmitter<{ uri: vscode.Uri; version: number; diagnostics: readonly vscode.Diagnostic[] }>();
  /** Fires after every analysis (tests await this instead of sleeping). */
  readonly onDidAnalyze = this.analyzed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.open(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // An edit makes results of an earlier run stale.
        this.runDiagnostics.delete(e.document.uri.toString());
        this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) this.open(d);
  }

  /** A newly opened document: analyzed now, or (when large) a little later, off the open itself. */
  private open(doc: vscode.TextDocument): void {
    if (doc.languageId !== LANGUAGE_ID) return;
    if (isLarge(doc)) this.schedule(doc);
    else this.refresh(doc);
  }

  private debounceMs(doc: vscode.TextDocument): number {
    const v = vscode.workspace.getConfiguration('mmscn', doc).get<number>('diagnostics.debounceMs', 250);
    const ms = Math.max(0, Math.min(5000, v));
    return isLarge(doc) ? Math.max(ms, LARGE_DEBOUNCE_MS) : ms;
  }

  schedule(doc: vscode.TextDocument): void {
    if (doc.languageId !== LANGUAGE_ID) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.refresh(doc); }, this.debounceMs(doc)));
  }

  /** Analyzes a document now and publishes its diagnostics; returns them. */
  refresh(doc: vscode.TextDocument): readonly vscode.Diagnostic[] {
    if (doc.languageId !== LANGUAGE_ID || doc.isClosed) return [];
    const diagnostics = [...this.analyze(doc.getText()), ...(this.runDiagnostics.get(doc.uri.toString()) ?? [])];
    this.collection.set(doc.uri, diagnostics);
    this.analyzed.fire({ uri: doc.uri, version: doc.version, diagnostics });
    return diagnostics;
  }

  private analyze(text: string): vscode.Diagnostic[] {
    try {
      return language.analyze(text).diagnostics.map((d: L.Diagnostic) => toDiagnostic(d));
    } catch (e) {
      // A crash in the parser must not take the editor down; show it where the user looks.
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), `mmscn internal error while checking: ${(e as Error).message}`, vscode.DiagnosticSeverity.Error);
      d.source = 'mmscn';
      return [d];
    }
  }

  /** Diagnostics from a run (failed expectations, run errors), shown until the next edit. */
  setRunDiagnostics(doc: vscode.TextDocument, diagnostics: vscode.Diagnostic[]): void {
    this.runDiagnostics.set(doc.uri.toString(), diagnostics);
    this.refresh(doc);
  }

  clear(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.runDiagnostics.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.subscriptions.forEach((s) => s.dispose());
    this.analyzed.dispose();
    this.collection.dispose();
  }
}

function isLarge(doc: vscode.TextDocument): boolean {
  // offsetAt(end) is the length without copying the text
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) > LARGE_DOCUMENT;
}
