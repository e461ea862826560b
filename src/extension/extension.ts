// Activation: wires the language service and the simulator (pure TS in src/language and src/sim) into VS Code.
// activate() returns an API object; tests await `ready` and read what is available instead of sleeping.
import * as vscode from 'vscode';
import { setInternalErrorSink } from '../language/index.js';
import { Commands, type CheckSummary, type RunSummary } from './commands.js';
import { DiagnosticsController } from './diagnostics.js';
import { registerProviders } from './providers.js';
import { RunStore, type StoredRun } from './results.js';
import { Inspector, setInspector } from './inspector.js';
import type { WebviewTraffic } from '../shared/protocol.js';
import { registerDebugger, type SteppingApi } from './debug/activate.js';

export interface MmscnApi {
  /** resolves once every provider and command is registered and open documents are analyzed */
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

export function activate(context: vscode.ExtensionContext): MmscnApi {
  const out = vscode.window.createOutputChannel('mmscn');
  // a bug in hover, completion, formatting … shows here (the feature itself answers nothing)
  setInternalErrorSink((where, e) => out.appendLine(`[internal error] ${where}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  context.subscriptions.push({ dispose: () => setInternalErrorSink(null) });

  const runs = new RunStore();
  const diagnostics = new DiagnosticsController();
  const commands = new Commands(out, diagnostics, runs);
  context.subscriptions.push(out, runs, diagnostics, ...registerProviders(runs), ...commands.register());
  const inspector = new Inspector(context.extensionUri, runs);
  setInspector(inspector);
  context.subscriptions.push(inspector, ...inspector.register(), { dispose: () => setInspector(undefined) });
  const stepping = registerDebugger(runs);
  context.subscriptions.push(...stepping.disposables);
  out.appendLine(`[activate] mmscn ${context.extension.packageJSON.version}`);

  return {
    ready: Promise.resolve(),
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
}

export function deactivate(): void {}
