// What the Node and the browser language clients share (languageClient.ts, web/languageClient.ts): the options,
// and hover's page state answered from this extension host's RunStore when the server asks (`mmscn/pageInfo`).
import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import { PAGE_INFO_METHOD, type InitializationOptions, type PageInfoParams, type PageInfoResult } from '../lsp/protocol.js';
import { LANGUAGE_ID, type DiagnosticsController } from './diagnostics.js';
import type { RunStore } from './results.js';

export function clientOptions(diagnostics: DiagnosticsController): LanguageClientOptions {
  const initializationOptions: InitializationOptions = {
    pageInfoProvider: true,
    debounceMs: vscode.workspace.getConfiguration('mmscn').get<number>('diagnostics.debounceMs', 250),
  };
  return {
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
}

export function answerPageInfo(client: BaseLanguageClient, runs: RunStore): void {
  client.onRequest(PAGE_INFO_METHOD, (p: PageInfoParams): PageInfoResult => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === p.uri);
    if (!doc || doc.version !== p.version) return null;
    const lookup = runs.pageInfoFor(doc);
    if (!lookup) return null;
    return p.pfns.map((pfn) => (lookup(pfn) as Record<string, unknown> | undefined) ?? null);
  });
}
