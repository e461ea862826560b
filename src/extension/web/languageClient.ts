// The browser build's language client: the same server as everywhere else (src/lsp/server.ts). Where the host
// lets an extension create workers (vscode.dev) it runs in a worker of its own (src/lsp/worker.ts →
// dist/lsp-worker.js); where it does not (code-server's web worker host refuses workers of remote extensions:
// "Creating workers from remote extensions is currently not supported") it runs in this thread, connected
// through a MessageChannel — the same messages, only without a second thread.
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type MessageTransports } from 'vscode-languageclient/browser';
import { createConnection } from 'vscode-languageserver/browser';
import { startServer } from '../../lsp/server.js';
import { answerPageInfo, clientOptions } from '../clientOptions.js';
import type { DiagnosticsController } from '../diagnostics.js';
import type { RunStore } from '../results.js';

export function createBrowserLanguageClient(
  context: vscode.ExtensionContext, diagnostics: DiagnosticsController, runs: RunStore, log: (line: string) => void,
): LanguageClient {
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'lsp-worker.js');
  const server = async (): Promise<Worker | MessageTransports> => {
    try {
      const worker = new Worker(serverMain.toString(true));
      log('[activate] language server: in a web worker (dist/lsp-worker.js)');
      return worker;
    } catch (e) {
      log(`[activate] language server: in the extension host's thread (no worker: ${e instanceof Error ? e.message : String(e)})`);
      return inThread(context.extension.packageJSON.version as string);
    }
  };
  const client = new LanguageClient('mmscn', 'mmscn Language Server', server, clientOptions(diagnostics));
  answerPageInfo(client, runs);
  return client;
}

function inThread(version: string): MessageTransports {
  const { port1, port2 } = new MessageChannel();
  startServer(createConnection(new BrowserMessageReader(port2), new BrowserMessageWriter(port2)), version);
  return { reader: new BrowserMessageReader(port1), writer: new BrowserMessageWriter(port1) };
}
