// `mmscn explore FILE`: race search over the `interleave` blocks of a scenario (src/sim/explore.ts). For each
// interleave (and variant): how many schedules ran and were cut, then each distinct outcome with a `schedule …`
// line that reproduces it. Exit codes: 0 done, 2 the file has errors or no interleave.
import { readFileSync } from 'node:fs';
import { analyze } from '../language/index.js';
import { explore } from '../sim/runner.js';
import { interleaveSteps, type ExploreReport } from '../sim/explore.js';
import { formatDiagnostic } from './diagnostics.js';

export interface ExploreCliOptions { max?: number; variant?: string; json?: boolean }

export function exploreFile(file: string, opts: ExploreCliOptions, write: (s: string) => void): number {
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
  const steps = interleaveSteps(scenario);
  if (!steps.length) {
    write(`${file}:1:1: error: no \`interleave\` block to explore`);
    return 2;
  }
  const all = scenario.variants.length ? scenario.variants : [null];
  const variants = opts.variant ? all.filter((v) => v?.name === opts.variant) : all;
  if (!variants.length) {
    write(`${file}:1:1: error: no variant named '${opts.variant}' (variants: ${scenario.variants.map((v) => v.name).join(', ') || 'none'})`);
    return 2;
  }
  const reports: ExploreReport[] = [];
  for (const v of variants) for (const i of steps) reports.push(explore(scenario, v, i, { max: opts.max }));
  if (opts.json) {
    write(JSON.stringify({ file, interleaves: reports.map((r) => ({ ...r, outcomes: r.outcomes.map(({ checks: _c, ...o }) => o) })) }, null, 2));
    return 0;
  }
  for (const r of reports) for (const line of exploreText(file, r)) write(line);
  return 0;
}

/** The human-readable report of one explored interleave (also what the editor shows). */
export function exploreText(file: string, r: ExploreReport): string[] {
  const out: string[] = [];
  const cut = `${r.prunedLocks} choices cut by locks, ${r.prunedCommuting} by commuting operations`;
  out.push(`${file}:${r.loc.line}: interleave${r.variant ? ` (variant ${r.variant})` : ''}: ${r.schedules} schedules run, ${cut}${r.complete ? '' : ' — stopped at the bound (--max): more schedules exist'}; ${r.outcomes.length} outcome${r.outcomes.length === 1 ? '' : 's'}`);
  r.outcomes.forEach((o, k) => {
    out.push(`  outcome ${k + 1} (${o.count} schedule${o.count === 1 ? '' : 's'}): ${o.key}`);
    out.push(`    ${o.line ?? `(no schedule line reproduces it: ${o.trace.map((t) => `cpu ${t.cpu} ${t.phase ?? 'ends'}`).join(', ')})`}`);
  });
  return out;
}
