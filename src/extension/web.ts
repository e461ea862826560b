// The browser entry (package.json "browser"): the extension where there is no Node extension host — vscode.dev,
// code-server's or VS Code's web worker extension host. The same wiring as extension.ts (activation.ts), with the
// language server in a web worker (dist/lsp-worker.js), Run, the inspector and the inline debugger; without
// mmscn: Import This Machine, which reads /proc and /sys (package.json hides it with the `mmscn.webExtensionHost`
// context key set below). esbuild.mjs bundles this file for platform browser; the few Node modules
// @vscode/debugadapter names are shimmed from src/extension/web/.
import * as vscode from 'vscode';
import { activateWith, type MmscnApi } from './activation.js';
import { createBrowserLanguageClient } from './web/languageClient.js';

/** What runs this code, for the output channel (and the web e2e test, which reads it there). */
export function hostDescription(): string {
  const g = globalThis as { process?: unknown; WorkerGlobalScope?: abstract new () => unknown; window?: unknown };
  const where = g.WorkerGlobalScope && globalThis instanceof g.WorkerGlobalScope ? 'web worker' : typeof g.window === 'object' ? 'browser window' : 'not a browser';
  return `${where}, typeof process = ${typeof g.process}`;
}

export function activate(context: vscode.ExtensionContext): MmscnApi {
  void vscode.commands.executeCommand('setContext', 'mmscn.webExtensionHost', true);
  return activateWith(context, {
    description: ` web build (${hostDescription()})`,
    languageClient: (diagnostics, runs, out) => createBrowserLanguageClient(context, diagnostics, runs, (l) => out.appendLine(l)),
  }).api;
}

export { deactivate } from './activation.js';
