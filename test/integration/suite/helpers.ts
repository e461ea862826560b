// Helpers for tests that run inside the extension host. No fixed sleeps: everything waits for an event
// (diagnostics changed, the extension's onDidAnalyze/onDidRun, a debug adapter message, a webview message)
// with a bounded timeout and a message saying what it was waiting for.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MmscnApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'mmscn.mmscn';
export const TIMEOUT_MS = 15_000;

let api: MmscnApi | undefined;

/** Activates the extension under test and waits until it says it is ready. */
export async function getApi(): Promise<MmscnApi> {
  if (api) return api;
  const ext = vscode.extensions.getExtension<MmscnApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded (is extensionDevelopmentPath the repository root?)`);
  const a = await withTimeout(ext.activate(), TIMEOUT_MS, 'extension activation');
  await withTimeout(a.ready, TIMEOUT_MS, 'api.ready');
  api = a;
  return a;
}

/**
 * The API, for a test that exercises the named language and simulator functions. They are imported directly and are
 * in every build (a build without one fails), so the names only document what the test needs.
 */
export async function requireBackend(...features: string[]): Promise<MmscnApi> {
  void features;
  return getApi();
}

export function withTimeout<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    Promise.resolve(p).finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
  ]);
}

/** Resolves with the first event that satisfies `pred` (checked against `current()` first, if given). */
export function waitForEvent<T>(event: vscode.Event<T>, pred: (e: T) => boolean, what: string, ms = TIMEOUT_MS): Promise<T> {
  let sub: vscode.Disposable | undefined;
  const p = new Promise<T>((resolve) => {
    sub = event((e) => { if (pred(e)) resolve(e); });
  });
  return withTimeout(p, ms, what).finally(() => sub?.dispose());
}

export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the test workspace folder is not open');
  return f.uri;
}

export function fixture(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

export async function open(name: string | vscode.Uri): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const uri = typeof name === 'string' ? fixture(name) : name;
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  assert.equal(doc.languageId, 'mmscn', `${uri.fsPath} did not open as mmscn`);
  return { doc, editor };
}

/** A new untitled mmscn document with this text. */
export async function untitled(text: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const doc = await vscode.workspace.openTextDocument({ language: 'mmscn', content: text });
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

/** Waits until the diagnostics of `uri` satisfy `pred` (checks the current ones first). */
export async function waitForDiagnostics(uri: vscode.Uri, pred: (d: readonly vscode.Diagnostic[]) => boolean, what: string, ms = TIMEOUT_MS): Promise<readonly vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri);
  if (pred(now)) return now;
  await waitForEvent(vscode.languages.onDidChangeDiagnostics, (e) => e.uris.some((u) => u.toString() === uri.toString()) && pred(vscode.languages.getDiagnostics(uri)), `diagnostics: ${what}`, ms);
  return vscode.languages.getDiagnostics(uri);
}

/** Waits for the extension's analysis of this exact document version. */
export async function analyzed(doc: vscode.TextDocument, ms = TIMEOUT_MS): Promise<readonly vscode.Diagnostic[]> {
  const a = await getApi();
  const version = doc.version;
  // Triggered explicitly so the wait does not depend on whether the debounced analysis already ran.
  const p = waitForEvent(a.onDidAnalyze, (e) => e.uri.toString() === doc.uri.toString() && e.version >= version, `analysis of ${doc.uri.path} v${version}`, ms);
  await a.checkFile(doc.uri).catch(() => undefined);
  await p;
  return vscode.languages.getDiagnostics(doc.uri);
}

export const errorsOf = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.severity === vscode.DiagnosticSeverity.Error);

/** The 0-based position of the first occurrence of `needle` on 1-based `line`, plus `offset` characters. */
export function posOf(doc: vscode.TextDocument, line: number, needle: string, offset = 0): vscode.Position {
  const text = doc.lineAt(line - 1).text;
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not found on line ${line}: ${text}`);
  return new vscode.Position(line - 1, i + offset);
}

export function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))).join('\n');
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

// ------------------------------------------------------------------ plug points for later suites

/**
 * Records the Debug Adapter Protocol traffic of every session of `type` (the mmscn debugger, when it lands):
 * `waitFor(pred)` resolves on the first matching message sent by the adapter (events, responses).
 */
export function recordDebugAdapter(type: string): vscode.Disposable & { messages: any[]; waitFor(pred: (m: any) => boolean, what: string, ms?: number): Promise<any> } {
  const messages: any[] = [];
  const emitter = new vscode.EventEmitter<any>();
  const reg = vscode.debug.registerDebugAdapterTrackerFactory(type, {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: any) => { messages.push(m); emitter.fire(m); },
    }),
  });
  return {
    messages,
    waitFor: (pred, what, ms = TIMEOUT_MS) => {
      const seen = messages.find(pred);
      return seen ? Promise.resolve(seen) : waitForEvent(emitter.event, pred, `debug adapter: ${what}`, ms);
    },
    dispose: () => { reg.dispose(); emitter.dispose(); },
  };
}

/**
 * Waits for a message between the extension and a webview (the inspector, when it lands). The extension
 * exposes the traffic as an event on its API (e.g. `api.onDidWebviewMessage`), and this waits on it.
 */
export function waitForWebviewMessage<T>(event: vscode.Event<T>, pred: (m: T) => boolean, what: string, ms = TIMEOUT_MS): Promise<T> {
  return waitForEvent(event, pred, `webview message: ${what}`, ms);
}
