// The extension is a client of the mmscn language server (src/lsp, bundled as dist/lsp.js, started over node IPC):
// completion, hover, outline, folding, semantic tokens, formatting and as-you-type diagnostics all come from it,
// the same server Neovim and Emacs use (`mmscn lsp --stdio`, docs/editors.md).
// Two things stay here because they live in this extension host: the diagnostics are merged with the results of
// runs (DiagnosticsController), and hover's page state after a run or at a debug stop is read from the RunStore
// when the server asks for it (`mmscn/pageInfo`).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { PAGE_INFO_METHOD, type InitializationOptions, type PageInfoParams, type PageInfoResult } from '../lsp/protocol.js';
import { LANGUAGE_ID, type DiagnosticsController } from './diagnostics.js';
import type { RunStore } from './results.js';

export function createLanguageClient(context: vscode.ExtensionContext, diagnostics: DiagnosticsController, runs: RunStore): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'lsp.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    pageInfoProvider: true,
    debounceMs: vscode.workspace.getConfiguration('mmscn').get<number>('diagnostics.debounceMs', 250),
  };
  const clientOptions: LanguageClientOptions = {
    // every scheme: untitled documents and virtual file systems too (the server only reads the text it is sent)
    documentSelector: [{ language: LANGUAGE_ID }],
    initializationOptions,
    synchronize: { configurationSection: 'mmscn' },
    outputChannelName: 'mmscn Language Server',
    middleware: {
      // the server's diagnostics go into the one `mmscn` collection, merged with those of the last run
      handleDiagnostics: (uri, diags) => diagnostics.fromServer(uri, diags),
    },
  };
  const client = new LanguageClient('mmscn', 'mmscn Language Server', serverOptions, clientOptions);
  client.onRequest(PAGE_INFO_METHOD, (p: PageInfoParams): PageInfoResult => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === p.uri);
    if (!doc || doc.version !== p.version) return null;
    const lookup = runs.pageInfoFor(doc);
    if (!lookup) return null;
    return p.pfns.map((pfn) => (lookup(pfn) as Record<string, unknown> | undefined) ?? null);
  });
  return client;
}
