// Activation: wires the language service and the simulator (pure TS in src/language and src/sim) into VS Code.
// activate() returns an API object; tests await `ready` and read what is available instead of sleeping.
import * as vscode from 'vscode';
import { language, languageError, runner, runnerError } from './backend.js';
import { Commands, type CheckSummary, type RunSummary } from './commands.js';
import { DiagnosticsController } from './diagnostics.js';
import { registerProviders } from './providers.js';
import { RunStore, type StoredRun } from './results.js';
import { Inspector, setInspector } from './inspector.js';
import { verifyMachine } from './verifyMachine.js';
import type { WebviewTraffic } from '../shared/protocol.js';
import { registerDebugger, type SteppingApi } from './debug/activate.js';

export interface MmscnApi {
  /** resolves once every provider and command is registered and open documents are analyzed */
  ready: Promise<void>;
  /** which back ends this build carries; `missing` names the functions a feature would need */
  backends: { language: boolean; simulator: boolean; missing: string[]; errors: string[] };
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

const LANGUAGE_FUNCTIONS = ['analyze', 'complete', 'hover', 'documentSymbols', 'semanticTokens', 'foldingRanges', 'format'] as const;

export function activate(context: vscode.ExtensionContext): MmscnApi {
  const out = vscode.window.createOutputChannel('mmscn');
  const missing = LANGUAGE_FUNCTIONS.filter((f) => typeof language?.[f] !== 'function').map((f) => `language.${f}`);
  if (!runner) missing.push('sim.runScenario');
  const errors = [languageError, runnerError].filter((e): e is string => !!e);
  for (const e of errors) out.appendLine(`[activate] ${e}`);

  const runs = new RunStore();
  const diagnostics = new DiagnosticsController();
  const commands = new Commands(out, diagnostics, runs);
  context.subscriptions.push(out, runs, diagnostics, ...registerProviders(runs), ...commands.register());
  const inspector = new Inspector(context.extensionUri, runs);
  setInspector(inspector);
  context.subscriptions.push(inspector, ...inspector.register(), { dispose: () => setInspector(undefined) });
  context.subscriptions.push(vscode.commands.registerCommand('mmscn.verifyMachine', (operation?: unknown) => verifyMachine(out, inspector, operation)));
  const stepping = registerDebugger(runs);
  context.subscriptions.push(...stepping.disposables);
  out.appendLine(`[activate] mmscn ${context.extension.packageJSON.version} — missing: ${missing.join(', ') || 'nothing'}`);

  return {
    ready: Promise.resolve(),
    backends: { language: !!language, simulator: !!runner, missing, errors },
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
