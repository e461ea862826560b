// `mmscn run FILE`: runs a scenario (every variant) and reports operations, expectations and state.
// Exit codes: 0 every expectation holds, 1 an expectation failed, 2 the file has errors,
// 3 the simulator failed on an operation (an internal error: a bug in mmscn, reported on stderr too).
import { runScenario, type RunOutcome } from '../sim/runner.js';
import * as proc from '../sim/proc.js';
import { prepareFile } from './prepare.js';
import { internalLine, reportLines } from '../app/report.js';
import { toJson } from '../app/json.js';

export { toJson };

export type ProcFormat = 'buddyinfo' | 'pagetypeinfo' | 'zoneinfo' | 'memory-blocks' | 'vmstat';
export interface RunCliOptions { json?: boolean; format?: ProcFormat; until?: number; variant?: string }

export function runFile(file: string, opts: RunCliOptions, write: (s: string) => void, writeErr: (s: string) => void = write): number {
  const scenario = prepareFile(file, opts.variant, write);
  if (!scenario) return 2;
  let outcomes: RunOutcome[];
  try {
    outcomes = runScenario(scenario, { until: opts.until, variant: opts.variant });
  } catch (e) {
    // the simulator refused the machine (src/sim/limits.ts) or failed: a located message, never a silent exit 2
    const loc = scenario.machine.nodes[0]?.loc ?? { line: 1, col: 1 };
    write(`${file}:${loc.line}:${loc.col}: error: ${(e as Error).message}`);
    return 2;
  }
  if (opts.json) write(JSON.stringify({ file, variants: outcomes.map(toJson) }, null, 2));
  else if (opts.format) for (const o of outcomes) write(renderFormat(o, opts.format, outcomes.length > 1));
  else for (const o of outcomes) for (const line of reportLines(file, o, { steps: scenario.steps.length, internal: 'apart' })) write(line);
  for (const o of outcomes) {
    const line = internalLine(file, o, scenario.steps.length);
    if (line) writeErr(line);
  }
  if (outcomes.some((o) => o.internal)) return 3;
  if (outcomes.some((o) => o.errors.length)) return 2;
  return outcomes.some((o) => o.expectations.some((e) => !e.ok)) ? 1 : 0;
}

function renderFormat(o: RunOutcome, f: ProcFormat, many: boolean): string {
  const head = many ? `# variant ${o.variant}\n` : '';
  const body =
    f === 'buddyinfo' ? proc.buddyinfo(o.machine)
    : f === 'pagetypeinfo' ? proc.pagetypeinfo(o.machine)
    : f === 'zoneinfo' ? proc.zoneinfo(o.machine)
    : f === 'vmstat' ? proc.vmstat(o.machine)
    : proc.memoryBlocks(o.machine);
  return head + body.replace(/\n$/, '');
}
