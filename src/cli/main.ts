// The `mmscn` command line: check, run, import.
import { Command, Option, InvalidArgumentError } from 'commander';
import { runCheck } from './check.js';
import { runFile, type ProcFormat } from './run.js';

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
    .description('run a scenario on the simulator (exit 0 when every expectation holds, 1 when one fails, 2 on errors)')
    .argument('<file>', 'scenario file (.mmscn)')
    .option('--json', 'per-operation results and final per-zone state as JSON')
    .addOption(new Option('--format <format>', 'print the final state in a kernel format').choices(['buddyinfo', 'pagetypeinfo', 'zoneinfo', 'memory-blocks']))
    .option('--until <step>', 'stop after this many steps', nonNegativeInt)
    .option('--variant <name>', 'run only this variant')
    .action((file: string, o: { json?: boolean; format?: ProcFormat; until?: number; variant?: string }) => {
      code = runFile(file, o, out);
    });

  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    const err = e as { exitCode?: number; code?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return Promise.resolve(0);
    return Promise.resolve(2);
  }
  return Promise.resolve(code);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((c) => process.exit(c));
}
