// `mmscn explore FILE`: race search over the `interleave` blocks of a scenario (src/sim/explore.ts). For each
// interleave (and variant): how many schedules ran and were cut, then each distinct outcome with a `schedule …`
// line that reproduces it. Exit codes: 0 done, 2 the file has errors or no interleave.
import { findVariant, runVariants } from '../app/run.js';
import { prepareFile } from './prepare.js';
import { explore } from '../sim/runner.js';
import { exploreText, interleaveSteps, type ExploreReport } from '../sim/explore.js';

export { exploreText };

export interface ExploreCliOptions { max?: number; variant?: string; json?: boolean }

export function exploreFile(file: string, opts: ExploreCliOptions, write: (s: string) => void): number {
  const scenario = prepareFile(file, opts.variant, write);
  if (!scenario) return 2;
  const steps = interleaveSteps(scenario);
  if (!steps.length) {
    write(`${file}:1:1: error: no \`interleave\` block to explore`);
    return 2;
  }
  const variants = opts.variant ? [findVariant(scenario, opts.variant)!] : runVariants(scenario);
  const reports: ExploreReport[] = [];
  for (const v of variants) for (const i of steps) reports.push(explore(scenario, v, i, { max: opts.max }));
  if (opts.json) {
    write(JSON.stringify({ file, interleaves: reports.map((r) => ({ ...r, outcomes: r.outcomes.map(({ checks: _c, ...o }) => o) })) }, null, 2));
    return 0;
  }
  for (const r of reports) for (const line of exploreText(file, r)) write(line);
  return 0;
}
