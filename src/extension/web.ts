// The browser entry (package.json "browser"): the extension where there is no Node extension host — vscode.dev,
// code-server's or VS Code's web worker extension host. The same wiring as extension.ts (the Node entry) with the
// language features in process (src/language and src/sim are pure TypeScript), Run, the inspector and the inline
// debugger; without mmscn: Import This Machine, which reads /proc and /sys (package.json hides it with the
// `mmscn.webExtensionHost` context key set below). esbuild.mjs bundles this file for platform browser; the few Node
// modules @vscode/debugadapter names are shimmed from src/extension/web/.
import * as vscode from 'vscode';
import { language, languageError, runner, runnerError } from './backend.js';
import { Commands } from './commands.js';
import { DiagnosticsController } from './diagnostics.js';
import { registerProviders } from './providers.js';
import { RunStore } from './results.js';
import { Inspector, setInspector } from './inspector.js';
import { registerDebugger } from './debug/activate.js';
import type { MmscnApi } from './extension.js';

const LANGUAGE_FUNCTIONS = ['analyze', 'complete', 'hover', 'documentSymbols', 'semanticTokens', 'foldingRanges', 'format'] as const;

/** What runs this code, for the output channel (and the web e2e test, which reads it there). */
export function hostDescription(): string {
  const g = globalThis as { process?: unknown; WorkerGlobalScope?: abstract new () => unknown; window?: unknown };
  const where = g.WorkerGlobalScope && globalThis instanceof g.WorkerGlobalScope ? 'web worker' : typeof g.window === 'object' ? 'browser window' : 'not a browser';
  return `${where}, typeof process = ${typeof g.process}`;
}

export function activate(context: vscode.ExtensionContext): MmscnApi {
  const out = vscode.window.createOutputChannel('mmscn');
  const missing = LANGUAGE_FUNCTIONS.filter((f) => typeof language?.[f] !== 'function').map((f) => `language.${f}`);
  if (!runner) missing.push('sim.runScenario');
  const errors = [languageError, runnerError].filter((e): e is string => !!e);
  for (const e of errors) out.appendLine(`[activate] ${e}`);
  void vscode.commands.executeCommand('setContext', 'mmscn.webExtensionHost', true);

  const runs = new RunStore();
  const diagnostics = new DiagnosticsController();
  const commands = new Commands(out, diagnostics, runs);
  context.subscriptions.push(out, runs, diagnostics, ...registerProviders(runs), ...commands.register());
  const inspector = new Inspector(context.extensionUri, runs);
  setInspector(inspector);
  context.subscriptions.push(inspector, ...inspector.register(), { dispose: () => setInspector(undefined) });
  const stepping = registerDebugger(runs);
  context.subscriptions.push(...stepping.disposables);
  out.appendLine(`[activate] mmscn ${context.extension.packageJSON.version} web build (${hostDescription()}) — missing: ${missing.join(', ') || 'nothing'}`);

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
