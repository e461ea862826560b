// A Language Server Protocol client for tests: starts the real server (`node dist/cli.js lsp --stdio`) as a child
// process and talks JSON-RPC to it over its stdin/stdout (vscode-languageserver-protocol's node connection).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  type Diagnostic, type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const CLI = join(__dirname, '../../dist/cli.js');

export interface TestClient {
  conn: ProtocolConnection;
  child: ChildProcess;
  init: InitializeResult;
  /** every publishDiagnostics, in arrival order */
  published: PublishDiagnosticsParams[];
  /** resolves with the first publishDiagnostics of `uri` (this one or a later one) that satisfies `pred` */
  diagnostics(uri: string, pred: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean, ms?: number): Promise<Diagnostic[]>;
  /** what the server wrote on stderr */
  stderr(): string;
  close(): Promise<void>;
}

export async function startServer(initializationOptions: Record<string, unknown> = {}, args = ['lsp', '--stdio']): Promise<TestClient> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b) => (err += b));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters]) w();
  });
  conn.listen();
  const init = await conn.sendRequest<InitializeResult>('initialize', {
    processId: process.pid, rootUri: null, capabilities: {}, initializationOptions,
  });
  await conn.sendNotification('initialized', {});
  return {
    conn, child, init, published,
    stderr: () => err,
    diagnostics(uri, pred, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          for (const p of published) if (p.uri === uri && pred(p.diagnostics, p)) { resolve(p.diagnostics); return true; }
          return false;
        };
        if (check()) return;
        const w = () => { if (check()) { clearTimeout(t); waiters.splice(waiters.indexOf(w), 1); } };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching diagnostics for ${uri} within ${ms} ms; got: ${JSON.stringify(published.filter((p) => p.uri === uri))}`));
        }, ms);
        waiters.push(w);
      });
    },
    async close() {
      if (child.exitCode === null) {
        await conn.sendRequest('shutdown').catch(() => undefined);
        await conn.sendNotification('exit').catch(() => undefined);
        await new Promise<void>((r) => {
          const t = setTimeout(() => { child.kill('SIGKILL'); r(); }, 3000);
          child.once('exit', () => { clearTimeout(t); r(); });
        });
      }
      conn.dispose();
    },
  };
}
