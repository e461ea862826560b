// The `mmscn` command line: check, run, import, verify.
import { Command, Option, InvalidArgumentError } from 'commander';
import { runCheck } from './check.js';
import { runFile, type ProcFormat } from './run.js';
import { LAYOUT_HELP, runImport } from './import.js';
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
    .addOption(new Option('--format <format>', 'print the final state in a kernel format').choices(['buddyinfo', 'pagetypeinfo', 'zoneinfo', 'memory-blocks']))
    .option('--until <step>', 'stop after this many steps', nonNegativeInt)
    .option('--variant <name>', 'run only this variant')
    .action((file: string, o: { json?: boolean; format?: ProcFormat; until?: number; variant?: string }) => {
      code = runFile(file, o, out, (s) => process.stderr.write(s + '\n'));
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
