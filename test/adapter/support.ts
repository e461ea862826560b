// Runs the mmscn debug adapter in this process behind a TCP socket on 127.0.0.1:0 and connects a
// DebugClient (@vscode/debugadapter-testsupport) to it: DAP end to end, no VS Code, no child process.
import { createServer, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MmscnDebugSession } from '../../src/extension/debug/adapter.js';

export const INIT: DebugProtocol.InitializeRequestArguments = { adapterID: 'mmscn', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsVariableType: true };
export const FIXTURES = resolve(__dirname, 'fixtures');
export const fixture = (name: string) => resolve(FIXTURES, name);

export interface Harness {
  dc: DebugClient;
  sessions: MmscnDebugSession[];
  close(): Promise<void>;
}

export async function startAdapter(): Promise<Harness> {
  const sessions: MmscnDebugSession[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.setNoDelay(true); // a response followed by events is several writes: no Nagle delay between them
    socket.on('error', () => undefined);
    const s = new MmscnDebugSession({ readFile: (p) => readFile(p, 'utf8') });
    sessions.push(s);
    s.setRunAsServer(true);
    s.start(socket, socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const dc = new DebugClient('node', 'unused', 'mmscn');
  await dc.start(port);
  return {
    dc,
    sessions,
    close: async () => {
      await dc.stop().catch(() => undefined);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** initialize + launch + configurationDone, then the first stop (or termination). */
export async function launch(dc: DebugClient, args: Record<string, unknown>, breakpoints: { line: number; condition?: string }[] = [], exceptionFilters?: string[]): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const program = args.program as string;
  await Promise.all([
    dc.initializeRequest(INIT),
    dc.waitForEvent('initialized').then(async () => {
      if (breakpoints.length) await dc.setBreakpointsRequest({ source: { path: program }, breakpoints });
      if (exceptionFilters) await dc.setExceptionBreakpointsRequest({ filters: exceptionFilters });
      await dc.configurationDoneRequest();
    }),
    dc.launchRequest({ type: 'mmscn', request: 'launch', ...args } as DebugProtocol.LaunchRequestArguments),
  ]);
  return stopped;
}

/** Sends a request and resolves with the `stopped` event it causes. */
export async function stopAfter(dc: DebugClient, request: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await request();
  return stopped;
}

export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  return st.body.stackFrames[0]!;
}

/** Variables of a scope by name, as name → {value, ref}. */
export async function scopeVars(dc: DebugClient, scope: string, frameId = 1): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = await dc.scopesRequest({ frameId });
  const s = scopes.body.scopes.find((x) => x.name === scope);
  if (!s) throw new Error(`no scope ${scope}: ${scopes.body.scopes.map((x) => x.name).join(', ')}`);
  return children(dc, s.variablesReference);
}

export async function children(dc: DebugClient, ref: number): Promise<Map<string, DebugProtocol.Variable>> {
  const v = await dc.variablesRequest({ variablesReference: ref });
  return new Map(v.body.variables.map((x) => [x.name, x]));
}

/** Resolves with the first output event whose text matches (registered before the request that causes it). */
export function outputMatching(dc: DebugClient, category: string, re: RegExp): Promise<DebugProtocol.OutputEvent> {
  return new Promise((resolve) => {
    const on = (e: DebugProtocol.OutputEvent) => {
      if ((e.body.category ?? 'console') === category && re.test(e.body.output)) {
        dc.removeListener('output', on);
        resolve(e);
      }
    };
    dc.on('output', on);
  });
}
