// Runs the bundled command line (dist/cli.js) in a child process, for the commands that would otherwise block the
// extension host for seconds: Import This Machine (`import --live`) and Verify Prediction on This Machine
// (`verify --live … --json`), whose import and simulation are synchronous. No `vscode` here (unit-tested alone).
//
// Cancellation sends SIGTERM and waits for the child to exit, never SIGKILL: verify catches SIGTERM from before it
// grows a hugetlb pool to after it shrinks it back (src/import/live.ts onInterrupt), and a SIGKILL would leave the
// machine changed. Before that window SIGTERM ends the child at once (nothing to restore).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult {
  /** the exit code, or null when the child ended by a signal */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** cancellation was requested (the child may still have finished normally: see code) */
  cancelled: boolean;
}

/** the part of vscode.CancellationToken used here */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

export interface CliOptions {
  /** the script to run (default: cli.js next to this bundle, dist/cli.js in the .vsix) */
  cli?: string;
  /** the runtime (default: process.execPath, the extension host's Node or Electron, run as Node) */
  node?: string;
  /** extra arguments for the runtime before the script (tests: `--import tsx`) */
  nodeArgs?: string[];
  cancel?: Cancellation;
  /** the largest stdout kept (a scenario of a big machine is tens of MB); beyond it the child is stopped */
  maxStdout?: number;
}

export const defaultCliPath = (): string => join(__dirname, 'cli.js');

/** Runs `cli ARGS` and resolves when the child has exited (also after a cancellation). Rejects only if it cannot start. */
export function runCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  const max = o.maxStdout ?? 512 * 2 ** 20;
  return new Promise((resolve, reject) => {
    // ELECTRON_RUN_AS_NODE: in desktop VS Code process.execPath is Electron; this makes it a plain Node
    const child = spawn(o.node ?? process.execPath, [...(o.nodeArgs ?? []), o.cli ?? defaultCliPath(), ...args], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [], err: Buffer[] = [];
    let outBytes = 0, errBytes = 0, cancelled = false, tooBig = false;
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes <= max) out.push(b);
      else if (!tooBig) { tooBig = true; child.kill('SIGTERM'); }
    });
    child.stderr.on('data', (b: Buffer) => { if ((errBytes += b.length) <= 2 ** 20) err.push(b); });
    const stop = () => { if (!cancelled) { cancelled = true; child.kill('SIGTERM'); } };
    const sub = o.cancel?.onCancellationRequested(stop);
    if (o.cancel?.isCancellationRequested) stop();
    child.on('error', (e) => { sub?.dispose(); reject(e); });
    child.on('close', (code, signal) => {
      sub?.dispose();
      let stderr = Buffer.concat(err).toString('utf8');
      if (tooBig) stderr += `\nthe output exceeded ${max} bytes: stopped`;
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, cancelled });
    });
  });
}

/** the first line of stderr that says what went wrong (the CLI prints `FILE:LINE: error: …` or `mmscn …: …`) */
export function errorLine(r: CliResult): string {
  const lines = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error|cannot|mmscn verify:/.test(l)) ?? lines[0] ?? (r.signal ? `ended by ${r.signal}` : `exit code ${r.code}`);
}

/** the "not reproduced exactly" items of the CLI's summary on stderr (src/cli/import.ts) */
export function importNotes(stderr: string): string[] {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => /^mmscn import: not reproduced exactly/.test(l));
  if (at < 0) return [];
  const notes: string[] = [];
  for (const l of lines.slice(at + 1)) { if (!l.startsWith('  - ')) break; notes.push(l.slice(4)); }
  return notes;
}
