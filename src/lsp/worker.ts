// dist/lsp-worker.js: the language server in a web worker, for the browser build of the extension
// (src/extension/web/languageClient.ts); the messages come and go through the worker's postMessage.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { startServer } from './server.js';

declare const MMSCN_VERSION: string | undefined;
// the worker's global scope (typed loosely: tsconfig has no webworker lib)
const scope = globalThis as unknown as ConstructorParameters<typeof BrowserMessageReader>[0];

startServer(createConnection(new BrowserMessageReader(scope), new BrowserMessageWriter(scope)), typeof MMSCN_VERSION === 'string' ? MMSCN_VERSION : '0.0.0');
