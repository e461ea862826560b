// Entry of the language server process: `mmscn lsp --stdio` (src/cli/main.ts) and dist/lsp.js, which the VS Code
// extension starts over node IPC. vscode-languageserver picks the transport from the command line
// (--stdio, --node-ipc, --socket=PORT); with none, stdio.
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from './server.js';

declare const MMSCN_VERSION: string | undefined;

export function startLanguageServer(argv: string[] = process.argv): void {
  const chosen = argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
  const connection = chosen
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection, typeof MMSCN_VERSION === 'string' ? MMSCN_VERSION : '0.0.0');
}
