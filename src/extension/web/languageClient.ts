// The browser build's language client: the same server as everywhere else (src/lsp/server.ts), bundled for a web
// worker (src/lsp/worker.ts → dist/lsp-worker.js) and started from the web worker extension host.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { answerPageInfo, clientOptions } from '../clientOptions.js';
import type { DiagnosticsController } from '../diagnostics.js';
import type { RunStore } from '../results.js';

export function createBrowserLanguageClient(context: vscode.ExtensionContext, diagnostics: DiagnosticsController, runs: RunStore): LanguageClient {
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'lsp-worker.js');
  const worker = new Worker(serverMain.toString(true));
  const client = new LanguageClient('mmscn', 'mmscn Language Server', worker, clientOptions(diagnostics));
  answerPageInfo(client, runs);
  return client;
}
