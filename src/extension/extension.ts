// The Node entry (package.json "main"): the language server runs as a Node process (dist/lsp.js over node IPC),
// and mmscn: Import This Machine / Verify Prediction on This Machine read (and verify changes) this machine's /proc and /sys. The browser entry is web.ts.
import * as vscode from 'vscode';
import { activateWith, type MmscnApi } from './activation.js';
import { createLanguageClient } from './languageClient.js';
import { importMachine } from './importMachine.js';
import { verifyMachine } from './verifyMachine.js';

export type { MmscnApi } from './activation.js';

export function activate(context: vscode.ExtensionContext): MmscnApi {
  return activateWith(context, {
    description: '',
    languageClient: (diagnostics, runs) => createLanguageClient(context, diagnostics, runs),
    commands: (out, inspector) => [
      vscode.commands.registerCommand('mmscn.importMachine', () => importMachine(out)),
      vscode.commands.registerCommand('mmscn.verifyMachine', (operation?: unknown) => verifyMachine(out, inspector, operation)),
    ],
  }).api;
}

export { deactivate } from './activation.js';
