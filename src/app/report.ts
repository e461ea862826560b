// One wording of a run's report, for every front end: the CLI's `mmscn run`, the editor's output channel after
// Run Scenario, the debug console. Each front end picks where lines go; the words are the same everywhere.
import type { OpRecord, RunOutcome } from '../sim/runner.js';
import type { BlockRecord } from '../sim/interleave.js';
import { POPULATION_OPS } from '../sim/scenario.js';
import { internalErrorText, opTitle } from '../sim/describe.js';
import { outcomeText } from '../shared/format.js';

/** `FILE:LINE: alloc_contig_range r [cpu 1]: ✗ -EBUSY at pfn …` (`where` is `FILE:LINE` or the debugger's place) */
export function opLine(where: string, r: Pick<OpRecord, 'op' | 'name' | 'cpu' | 'result'>): string {
  // a free that succeeded says what it freed when part of the label was in swap (the pages vs the swap slots)
  const said = r.op === 'free' && r.result.ok && r.result.reason ? ` — ${r.result.reason}` : '';
  return `${where}: ${opTitle(r.op, r.name, r.cpu)}: ${outcomeText(r.result)}${said}`;
}

/** Population (page, fill, …) succeeding is not news: an imported machine has thousands of such lines. */
export function isNews(r: Pick<OpRecord, 'op' | 'result'>): boolean {
  return !r.result.ok || !POPULATION_OPS.has(r.op);
}

/** `12 operations, 3/4 expectations hold` */
export function countsText(ops: number, expectations: readonly { ok: boolean }[]): string {
  return `${ops} operations, ${expectations.filter((e) => e.ok).length}/${expectations.length} expectations hold`;
}

export interface ReportStyle {
  /** total top-level steps of the scenario (internal error text says "step i/N") */
  steps: number;
  /** leave out population that succeeded (the editor's output; the CLI lists every operation) */
  quietPopulation?: boolean;
  /** where an internal error goes: 'inline' in the report, or 'apart' (the summary says where the run stopped, and
   *  the caller writes `internalLine` elsewhere: the CLI's stderr) */
  internal: 'inline' | 'apart';
}

/** The report of one variant's run, line by line: operations, errors, failed expectations, the summary. */
export function reportLines(file: string, o: RunOutcome, style: ReportStyle): string[] {
  const out: string[] = [];
  if (o.variant) out.push(`== variant ${o.variant}`);
  // the same line said again and again (one statement expanded into many operations, e.g. `pages … every N count
  // M`) is said once with its count
  let last = '', times = 0;
  const flush = () => { if (times) out.push(times > 1 ? `${last} (×${times})` : last); };
  for (const r of o.ops) {
    if (style.quietPopulation && !isNews(r)) continue;
    const line = opLine(`${file}:${r.loc.line}`, r);
    if (line === last) { times++; continue; }
    flush();
    last = line;
    times = 1;
  }
  flush();
  // lock waits (src/sim/interleave.ts): the order the interleave really ran in differs from the schedule line
  for (const sc of o.schedules ?? []) for (const b of sc.blocks) out.push(`${file}:${b.loc.line}: interleave: ${blockText(b)}`);
  for (const e of o.errors) out.push(`${file}:${e.loc.line}:${e.loc.col}: error: ${e.message}`);
  for (const e of o.expectations) if (!e.ok) out.push(`${file}:${e.loc.line}:${e.loc.col}: expectation failed: ${e.message}`);
  if (o.internal && style.internal === 'inline') out.push(`${file}:${o.internal.loc.line}:${o.internal.loc.col}: ${internalErrorText(o.internal, style.steps)}`);
  const stopped = o.internal && style.internal === 'apart' ? `; stopped by an internal error on line ${o.internal.loc.line}, ${o.internal.notRun} step(s) not run` : '';
  out.push(`${o.variant ? `variant ${o.variant}: ` : ''}${countsText(o.ops.length, o.expectations)}${stopped}`);
  return out;
}

/** The internal error of a run, located (`FILE:LINE:COL: variant V: internal error in …`), or null. */
export function internalLine(file: string, o: RunOutcome, steps: number): string | null {
  if (!o.internal) return null;
  return `${file}:${o.internal.loc.line}:${o.internal.loc.col}: ${o.variant ? `variant ${o.variant}: ` : ''}${internalErrorText(o.internal, steps)}`;
}

/** `cpu 1 waited for cma_mutex held by cpu 0 (cpu 0 ran on first)` */
export function blockText(b: BlockRecord): string {
  return `cpu ${b.cpu} waited${b.phase ? ` after '${b.phase}'` : ' before its first phase'} for ${b.lock}, held by cpu ${b.holder}: cpu ${b.holder} ran on first`;
}
