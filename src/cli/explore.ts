// `mmscn explore FILE`: race search over the `interleave` blocks of a scenario (src/sim/explore.ts). For each
// interleave (and variant): how many schedules ran and were cut, then each distinct outcome with a `schedule …`
// line that reproduces it. Exit codes: 0 done, 2 the file has errors or no interleave.
import { readFileSync } from 'node:fs';
import { analyze } from '../language/index.js';
import { explore } from '../sim/runner.js';
import { exploreText, interleaveSteps, type ExploreReport } from '../sim/explore.js';

export { exploreText };
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
