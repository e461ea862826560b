// The `mmscn` command line: check, run, explore, import, verify, the language server (lsp) and the debug adapter (dap).
import { Command, Option, InvalidArgumentError } from 'commander';
import { runCheck } from './check.js';
import { runFile, type ProcFormat } from './run.js';
import { exploreFile } from './explore.js';
import { LAYOUT_HELP, runImport } from './import.js';
import { startLanguageServer } from '../lsp/main.js';
import { runDap } from './dap.js';
import { runVerify } from './verify.js';
import { VERIFY_OPS_HELP } from '../import/verify.js';

const out = (s: string) => process.stdout.write(s + '\n');

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

export function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command()
    .name('mmscn')
    .description('Linux memory-management scenarios: check, run and import')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('check')
    .description('report syntax and semantic errors as file:line:col: error: message (exit 2 on errors)')
    .argument('<files...>', 'scenario files (.mmscn)')
    .action((files: string[]) => {
      code = runCheck(files, out);
    });

  program
    .command('run')
    .description('run a scenario on the simulator (exit 0 when every expectation holds, 1 when one fails, 2 on errors, 3 on an internal simulator error)')
    .argument('<file>', 'scenario file (.mmscn)')
    .option('--json', 'per-operation results and final per-zone state as JSON')
    .addOption(new Option('--format <format>', 'print the final state in a kernel format').choices(['buddyinfo', 'pagetypeinfo', 'zoneinfo', 'memory-blocks', 'vmstat']))
    .option('--until <step>', 'stop after this many steps', nonNegativeInt)
    .option('--variant <name>', 'run only this variant')
    .action((file: string, o: { json?: boolean; format?: ProcFormat; until?: number; variant?: string }) => {
      code = runFile(file, o, out, (s) => process.stderr.write(s + '\n'));
    });

  program
    .command('explore')
    .description('race search: run the interleave blocks under every schedule the kernel could execute (bounded) and print each distinct outcome with a schedule line that reproduces it')
    .argument('<file>', 'scenario file (.mmscn)')
    .option('--max <n>', 'stop after this many schedules per interleave (default 2000)', nonNegativeInt)
    .option('--variant <name>', 'explore only this variant')
    .option('--json', 'the reports as JSON')
    .action((file: string, o: { max?: number; variant?: string; json?: boolean }) => {
      code = exploreFile(file, o, out);
    });

  program
    .command('import')
    .description('turn a real machine (this one, or a saved directory of its /proc and /sys files) into a scenario whose simulated free lists, pageblock counts and zone sizes match it (exit 2 on unreadable or malformed input)')
    .option('--live', 'read this machine (/proc, /sys; /proc/pagetypeinfo and /proc/iomem need root)')
    .option('--from <dir>', 'read a saved directory: DIR/proc/…, DIR/sys/devices/system/memory/…')
    .option('-o, --output <file>', 'write the scenario to FILE (default: standard output)')
    .option('--save <dir>', 'with --live: also save the files read (the one consistent snapshot imported) under DIR, for --from')
    .addHelpText('after', '\n' + LAYOUT_HELP)
    .action((o: { live?: boolean; from?: string; output?: string; save?: string }) => {
      code = runImport(o, out, (s) => process.stderr.write(s + '\n'));
    });

  program
    .command('lsp')
    .description('the language server (Language Server Protocol) for editors: diagnostics, completion, hover, symbols, folding, semantic tokens, formatting, mmscn/run (docs/editors.md)')
    .option('--stdio', 'talk LSP over standard input and output (the default)')
    .option('--node-ipc', 'talk LSP over a node IPC channel (when started by a Node client)')
    .option('--socket <port>', 'talk LSP over a socket on this port')
    .option('--clientProcessId <pid>', 'exit when this process exits')
    .action(() => {
      // vscode-languageserver reads the transport from process.argv itself
      startLanguageServer(process.argv);
    });

  program
    .command('dap')
    .description('serve the mmscn debug adapter (Debug Adapter Protocol) on stdin/stdout, for nvim-dap, dape and other DAP clients; launch arguments: program (required), stopOnEntry, variant, kernel, runToLine, checkInvariants')
    .action(() => {
      runDap();
    });

  program
    .command('verify')
    .description('predict an operation on this machine in the simulator, perform it on the machine, restore the machine, and print both side by side (root; exit 1 when the machine could not be restored, 2 on errors)')
    .argument('<operation...>', VERIFY_OPS_HELP)
    .option('--live', 'this machine (required: verify changes it, then restores it)')
    .option('--json', 'the report as JSON')
    .addHelpText('after', '\nWhat is compared and why the two can differ: docs/import.md "mmscn verify".')
    .action((words: string[], o: { live?: boolean; json?: boolean }) => {
      code = runVerify(o, words, out, (s) => process.stderr.write(s + '\n'));
    });

  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    const err = e as { exitCode?: number; code?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return Promise.resolve(0);
    // commander already printed its own usage errors; anything else is ours and must not exit silently
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) return Promise.resolve(2);
    process.stderr.write(`mmscn: internal error: ${e instanceof Error ? e.message : String(e)}\nThis is a bug in mmscn: please report it with the command and input that caused it.\n`);
    return Promise.resolve(3);
  }
  return Promise.resolve(code);
}

if (require.main === module) {
  // Set the exit code and let the process end by itself: process.exit() would end it before stdout
  // drains, cutting output through a pipe (`mmscn run --json | …`) at the 64 KiB the pipe holds.
  main(process.argv.slice(2)).then((c) => {
    process.exitCode = c;
  });
}
