// The extension is a client of the mmscn language server (src/lsp, bundled as dist/lsp.js, started over node IPC):
// completion, hover, outline, folding, semantic tokens, formatting and as-you-type diagnostics all come from it,
// the same server Neovim and Emacs use (`mmscn lsp --stdio`, docs/editors.md).
// Two things stay here because they live in this extension host: the diagnostics are merged with the results of
// runs (DiagnosticsController), and hover's page state after a run or at a debug stop is read from the RunStore
// when the server asks for it (`mmscn/pageInfo`). The browser build starts the same server in a worker
// (web/languageClient.ts).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { answerPageInfo, clientOptions } from './clientOptions.js';
import type { DiagnosticsController } from './diagnostics.js';
import type { RunStore } from './results.js';

export function createLanguageClient(context: vscode.ExtensionContext, diagnostics: DiagnosticsController, runs: RunStore): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'lsp.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const client = new LanguageClient('mmscn', 'mmscn Language Server', serverOptions, clientOptions(diagnostics));
  answerPageInfo(client, runs);
  return client;
}
