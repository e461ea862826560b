// The standalone adapter as an editor runs it: `node dist/cli.js dap` as a child process, DAP over its
// stdin/stdout, driven by DebugClient (@vscode/debugadapter-testsupport). The in-process harness is support.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { CLI } from '../support/cli.js';

/** DebugClient spawns `runtime executable` only; the adapter needs `node dist/cli.js dap` (and a cwd). */
class StdioClient extends DebugClient {
  child: ChildProcess | null = null;
  constructor(private readonly cwd: string | undefined) {
    super('node', CLI, 'mmscn');
  }

  override start(): Promise<void> {
    const child = spawn(process.execPath, [CLI, 'dap'], { cwd: this.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.connect(child.stdout!, child.stdin!);
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
  }
}

export interface StdioHarness {
  dc: DebugClient;
  child: ChildProcess;
  /** everything the adapter wrote on stderr so far */
  stderr(): string;
  /** resolves with the exit code (null when killed) once the adapter process ends */
  exited: Promise<number | null>;
  /** disconnect (if still running), then wait for the process to end; kill it after `ms` */
  close(ms?: number): Promise<number | null>;
}

export async function startStdioAdapter(cwd?: string): Promise<StdioHarness> {
  const dc = new StdioClient(cwd);
  await dc.start();
  const child = dc.child!;
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let done = false;
  void exited.then(() => { done = true; });
  return {
    dc,
    child,
    stderr: () => err,
    exited,
    close: async (ms = 3000) => {
      if (!done) await dc.disconnectRequest({}).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
