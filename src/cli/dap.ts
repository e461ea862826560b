// `mmscn dap`: the mmscn debug adapter on stdin/stdout (Debug Adapter Protocol), for editors other than VS Code
// (Neovim's nvim-dap, Emacs' dape, …). It is the same MmscnDebugSession the VS Code extension runs inline
// (src/extension/debug/adapter.ts, which imports no `vscode`); only the file access differs: standalone, the
// adapter reads the program from disk itself (there is no editor buffer to read unsaved text from).
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MmscnDebugSession, type FileAccessor, type MmscnLaunchArgs } from '../extension/debug/adapter.js';

/**
 * A scenario larger than this is refused rather than read: imported machines are a few MiB at most, and a
 * runaway path (a huge log, a device file) must get an error, not a hang or an out-of-memory crash.
 */
export const MAX_PROGRAM_BYTES = 64 * 1024 * 1024;

/** The program as a path on disk: `file:` URIs become paths; relative paths are relative to the adapter's cwd. */
export function programPath(program: string, cwd: string = process.cwd()): string {
  if (/^file:/i.test(program)) return fileURLToPath(program);
  // any other URI scheme (untitled:, vscode-vfs:, …) names no file this process can read
  if (/^[a-z][\w+.-]+:/i.test(program) && !/^[a-zA-Z]:[\\/]/.test(program)) {
    throw new Error(`'${program}' is not a file path: the standalone adapter (mmscn dap) reads scenarios from disk`);
  }
  return isAbsolute(program) ? program : resolve(cwd, program);
}

/** Reads scenarios from disk with messages that say what is wrong (the adapter prefixes "cannot read PATH: "). */
export const diskFiles: FileAccessor = {
  async readFile(program: string): Promise<string> {
    const path = programPath(program);
    try {
      const st = await stat(path);
      if (st.isDirectory()) throw new Error('it is a directory, not a .mmscn file');
      if (!st.isFile()) throw new Error('it is not a regular file');
      if (st.size > MAX_PROGRAM_BYTES) throw new Error(`it is ${st.size} bytes; a scenario may have at most ${MAX_PROGRAM_BYTES}`);
      return await readFile(path, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') throw new Error('no such file', { cause: e });
      if (err.code === 'EACCES' || err.code === 'EPERM') throw new Error('permission denied', { cause: e });
      if (err.code === 'EISDIR') throw new Error('it is a directory, not a .mmscn file', { cause: e });
      throw err;
    }
  },
};

/**
 * The adapter on stdio: `program` is made absolute before the shared session sees it, so that the stack frames'
 * paths and the client's setBreakpoints paths (absolute, from the editor) name the same file.
 */
export class StandaloneDebugSession extends MmscnDebugSession {
  constructor(private readonly cwd: string = process.cwd()) {
    super(diskFiles);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: MmscnLaunchArgs): void {
    super.launchRequest(response, this.absolute(args));
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): void {
    const launch = args?.arguments as MmscnLaunchArgs | undefined;
    super.restartRequest(response, launch ? { ...args, arguments: this.absolute(launch) } : args);
  }

  private absolute(args: MmscnLaunchArgs): MmscnLaunchArgs {
    if (typeof args.program !== 'string' || !args.program) return args;
    try {
      return { ...args, program: programPath(args.program, this.cwd) };
    } catch {
      return args; // not a file path: the read fails with the message that says so
    }
  }
}

/**
 * Serves one debug session on stdin/stdout until the client disconnects or closes the pipe. stdout carries only
 * DAP messages: anything else written there (a stray console.log) would corrupt the stream, so it goes to stderr.
 */
export function runDap(): void {
  const toStderr = (...a: unknown[]) => process.stderr.write(a.map((x) => (typeof x === 'string' ? x : String(x))).join(' ') + '\n');
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
  const session = new StandaloneDebugSession();
  // The base class ends the process on any stream 'error' event, including a message that is not JSON. A client's
  // garbage message is reported and skipped (the framing is intact: its Content-Length was read); a broken pipe ends.
  session.removeAllListeners('error');
  session.on('error', (ev: DebugProtocol.Event) => {
    const what = String(ev.body ?? 'unknown error');
    process.stderr.write(`mmscn dap: ${what}\n`);
    if (!what.startsWith('Error handling data')) session.shutdown();
  });
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}
