// Activation shared by both entries (extension.ts for Node, web.ts for the browser): the language features come
// from the mmscn language server (src/lsp) through a language client; commands, the inspector and the debugger
// run in this extension host. activate() returns an API object; tests await `ready` and read what is available
// instead of sleeping.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { setInternalErrorSink } from '../language/index.js';
import { Commands, type CheckSummary, type RunSummary } from './commands.js';
import { registerExplore } from './explore.js';
import { DiagnosticsController } from './diagnostics.js';
import { RunStore, type StoredRun } from './results.js';
import { Inspector, setInspector } from './inspector.js';
import type { WebviewTraffic } from '../shared/protocol.js';
import { registerDebugger, type SteppingApi } from './debug/activate.js';

export interface MmscnApi {
  /** resolves once every command is registered and the language server is running (its features registered) */
  ready: Promise<void>;
  /** fires after every analysis of a document (open, debounced edit, check, run) */
  onDidAnalyze: vscode.Event<{ uri: vscode.Uri; version: number; diagnostics: readonly vscode.Diagnostic[] }>;
  /** fires after every run of a scenario */
  onDidRun: vscode.Event<StoredRun>;
  /** the same as the commands, callable directly */
  checkFile(uri?: vscode.Uri): Promise<CheckSummary | undefined>;
  runScenario(uri?: vscode.Uri): Promise<RunSummary | undefined>;
  /** the output channel's name (for tests and bug reports) */
  outputChannel: string;
  /** every message between the extension and the inspector webview, both directions */
  onDidWebviewMessage: vscode.Event<WebviewTraffic>;
  /** the inspector: open it, or show a ScenarioRun at its current step (what the debugger calls) */
  inspector: Pick<Inspector, 'open' | 'showRun' | 'endDebug' | 'setStepHandler' | 'receive'>;
  /** the debugger and inline results: what each line shows, the status bar text, stops of debug sessions */
  stepping: SteppingApi;
}


/** What differs between the Node entry (extension.ts) and the browser entry (web.ts). */
export interface Host {
  /** said in the activation line of the output channel (the web e2e test reads it) */
  description: string;
  /** the client of the language server, not started yet */
  languageClient(diagnostics: DiagnosticsController, runs: RunStore, out: vscode.OutputChannel): BaseLanguageClient;
  /** commands only this host can offer */
  commands?(out: vscode.OutputChannel, inspector: Inspector): vscode.Disposable[];
}

let running: BaseLanguageClient | undefined;

/** Both entries' deactivate(): stops the language server (VS Code waits for the promise). */
export function deactivate(): Thenable<void> | undefined {
  const c = running;
  running = undefined;
  return c?.stop();
}

/** Wires the language server client, the commands, the inspector and the debugger into VS Code. */
export function activateWith(context: vscode.ExtensionContext, host: Host): { api: MmscnApi; client: BaseLanguageClient } {
  const out = vscode.window.createOutputChannel('mmscn');
  // a bug in an analysis this host runs itself (Check File, Run) shows here; the server logs its own
  setInternalErrorSink((where, e) => out.appendLine(`[internal error] ${where}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  context.subscriptions.push({ dispose: () => setInternalErrorSink(null) });

  const runs = new RunStore();
  const diagnostics = new DiagnosticsController();
  const commands = new Commands(out, diagnostics, runs);
  context.subscriptions.push(out, runs, diagnostics, ...commands.register(), ...registerExplore(out));
  const client = host.languageClient(diagnostics, runs, out);
  running = client;
  // the server sends what open documents it is given: starting it analyzes them
  const ready = client.start().catch((e: Error) => {
    const msg = `the mmscn language server did not start: ${e.message}`;
    out.appendLine(`[activate] ${msg}`);
  });
  const inspector = new Inspector(context.extensionUri, runs);
  setInspector(inspector);
  context.subscriptions.push(inspector, ...inspector.register(), { dispose: () => setInspector(undefined) });
  context.subscriptions.push(...(host.commands?.(out, inspector) ?? []));
  const stepping = registerDebugger(runs);
  context.subscriptions.push(...stepping.disposables);
  out.appendLine(`[activate] mmscn ${context.extension.packageJSON.version}${host.description}`);

  const api: MmscnApi = {
    ready,
    onDidAnalyze: diagnostics.onDidAnalyze,
    onDidRun: runs.onDidRun,
    checkFile: (uri) => commands.checkFile(uri),
    runScenario: (uri) => commands.runScenario(uri),
    outputChannel: 'mmscn',
    onDidWebviewMessage: inspector.onDidWebviewMessage,
    inspector: {
      open: (uri) => inspector.open(uri),
      showRun: (run, opts) => inspector.showRun(run, opts),
      endDebug: () => inspector.endDebug(),
      setStepHandler: (h) => inspector.setStepHandler(h),
      receive: (m) => inspector.receive(m),
    },
    stepping: stepping.api,
  };
  return { api, client };
}
