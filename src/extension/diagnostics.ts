// The `mmscn` diagnostics collection. As-you-type diagnostics come from the language server (src/lsp: analyze() on
// open, debounced on change by mmscn.diagnostics.debounceMs) through the client's handleDiagnostics middleware;
// run results (failed expectations, run errors) are merged in by the commands through setRunDiagnostics().
// refresh() analyzes in this process: the commands (Check File, Run) need the answer for the current text at once.
import * as vscode from 'vscode';
import * as language from '../language/index.js';
import { toDiagnostic } from './convert.js';
import type * as L from '../language/types.js';

export const LANGUAGE_ID = 'mmscn';

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mmscn');
  /** the latest analysis of each document (from the server, or from refresh()) */
  private readonly analysis = new Map<string, readonly vscode.Diagnostic[]>();
  private readonly runDiagnostics = new Map<string, vscode.Diagnostic[]>();
  private readonly analyzed = new vscode.EventEmitter<{ uri: vscode.Uri; version: number; diagnostics: readonly vscode.Diagnostic[] }>();
  /** Fires after every analysis (tests await this instead of sleeping). */
  readonly onDidAnalyze = this.analyzed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        // an edit makes the results of an earlier run stale (the server re-analyzes the text itself)
        const key = e.document.uri.toString();
        if (this.runDiagnostics.delete(key)) this.publish(e.document.uri, e.document.version);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
  }

  /** The language server published diagnostics for `uri` (for the text it has, which is the editor's). */
  fromServer(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || doc.isClosed) {
      this.clear(uri);
      return;
    }
    this.analysis.set(uri.toString(), diagnostics);
    this.publish(uri, doc.version);
  }

  /** Analyzes a document now (in this process, for the commands) and publishes its diagnostics; returns them. */
  refresh(doc: vscode.TextDocument): readonly vscode.Diagnostic[] {
    if (doc.languageId !== LANGUAGE_ID || doc.isClosed) return [];
    this.analysis.set(doc.uri.toString(), this.analyze(doc.getText()));
    return this.publish(doc.uri, doc.version);
  }

  private publish(uri: vscode.Uri, version: number): readonly vscode.Diagnostic[] {
    const key = uri.toString();
    const diagnostics = [...(this.analysis.get(key) ?? []), ...(this.runDiagnostics.get(key) ?? [])];
    this.collection.set(uri, diagnostics);
    this.analyzed.fire({ uri, version, diagnostics });
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
    this.analysis.delete(key);
    this.runDiagnostics.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.analyzed.dispose();
    this.collection.dispose();
  }
}
