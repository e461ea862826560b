// `mmscn run FILE`: runs a scenario (every variant) and reports operations, expectations and state.
// Exit codes: 0 every expectation holds, 1 an expectation failed, 2 the file has errors,
// 3 the simulator failed on an operation (an internal error: a bug in mmscn, reported on stderr too).
import { readFileSync } from 'node:fs';
import { analyze } from '../language/index.js';
import { runScenario, type RunOutcome } from '../sim/runner.js';
import * as proc from '../sim/proc.js';
import { formatDiagnostic } from './diagnostics.js';
import { internalErrorText, opTitle } from '../sim/describe.js';
import { outcomeText } from '../shared/format.js';

export type ProcFormat = 'buddyinfo' | 'pagetypeinfo' | 'zoneinfo' | 'memory-blocks';
export interface RunCliOptions { json?: boolean; format?: ProcFormat; until?: number; variant?: string }

export function runFile(file: string, opts: RunCliOptions, write: (s: string) => void, writeErr: (s: string) => void = write): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    write(`${file}:1:1: error: cannot read file: ${(e as Error).message}`);
    return 2;
  }
  const { scenario, diagnostics } = analyze(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!scenario || errors.length) {
    for (const d of errors) write(formatDiagnostic(file, d));
    return 2;
  }
  if (opts.variant && !scenario.variants.some((v) => v.name === opts.variant)) {
    write(`${file}:1:1: error: no variant named '${opts.variant}' (variants: ${scenario.variants.map((v) => v.name).join(', ') || 'none'})`);
    return 2;
  }
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
  else for (const o of outcomes) writeHuman(file, o, write);
  const total = scenario.steps.length;
  for (const o of outcomes) {
    if (o.internal) writeErr(`${file}:${o.internal.loc.line}:${o.internal.loc.col}: ${o.variant ? `variant ${o.variant}: ` : ''}${internalErrorText(o.internal, total)}`);
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
    : proc.memoryBlocks(o.machine);
  return head + body.replace(/\n$/, '');
}

function writeHuman(file: string, o: RunOutcome, write: (s: string) => void): void {
  if (o.variant) write(`== variant ${o.variant}`);
  for (const r of o.ops) write(`${file}:${r.loc.line}: ${opTitle(r.op, r.name, r.cpu)}: ${outcomeText(r.result)}`);
  for (const e of o.errors) write(`${file}:${e.loc.line}:${e.loc.col}: error: ${e.message}`);
  for (const e of o.expectations) if (!e.ok) write(`${file}:${e.loc.line}:${e.loc.col}: expectation failed: ${e.message}`);
  const held = o.expectations.filter((e) => e.ok).length;
  const stopped = o.internal ? `; stopped by an internal error on line ${o.internal.loc.line}, ${o.internal.notRun} step(s) not run` : '';
  write(`${o.variant ? `variant ${o.variant}: ` : ''}${o.ops.length} operations, ${held}/${o.expectations.length} expectations hold${stopped}`);
}

export function toJson(o: RunOutcome) {
  return {
    variant: o.variant,
    policies: o.policies,
    ops: o.ops.map((r) => ({
      line: r.loc.line,
      op: r.op,
      name: r.name,
      cpu: r.cpu,
      ok: r.result.ok,
      errno: r.result.errno ? `-${r.result.errno}` : null,
      internal: r.result.internal ? `internal error: ${r.result.internal.message}` : null,
      pfn: r.result.pfn,
      reason: r.result.reason,
      allocated: r.result.allocated,
      migrations: r.result.migrations,
      // what __alloc_pages_slowpath did (alloc, slab grow), and the operation's notes
      ...(r.result.slowpath ? { slowpath: r.result.slowpath } : {}),
      notes: r.result.events.filter((e) => e.type === 'note').map((e) => (e as { text: string }).text),
    })),
    expectations: o.expectations.map((e) => ({ line: e.loc.line, ok: e.ok, message: e.message })),
    errors: o.errors.map((e) => ({ line: e.loc.line, message: e.message })),
    // the simulator failed on an operation: the run stopped before that step (zones/blocks are from before it)
    internal: o.internal && {
      line: o.internal.loc.line, step: o.internal.step + 1, op: o.internal.op, name: o.internal.name, cpu: o.internal.cpu,
      message: o.internal.message, notRun: o.internal.notRun,
    },
    zones: o.machine.zones(),
    blocks: o.machine.blocks(),
  };
}
