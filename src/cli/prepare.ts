// Reading a scenario file for a CLI command (run, explore): the prepared scenario, or the located errors
// written and exit code 2. The same `prepareRun` as every other front end (src/app/run.ts).
import { readFileSync } from 'node:fs';
import { findVariant, prepareRun } from '../app/run.js';
import type { Scenario } from '../sim/scenario.js';
import { formatDiagnostic } from './diagnostics.js';

export function prepareFile(file: string, variant: string | undefined, write: (s: string) => void): Scenario | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    write(`${file}:1:1: error: cannot read file: ${(e as Error).message}`);
    return null;
  }
  const prepared = prepareRun(text, { once: true });
  if (!prepared.ok) {
    for (const d of prepared.errors) write(formatDiagnostic(file, d));
    return null;
  }
  const { scenario } = prepared;
  if (variant && !findVariant(scenario, variant)) {
    write(`${file}:1:1: error: no variant named '${variant}' (variants: ${scenario.variants.map((v) => v.name).join(', ') || 'none'})`);
    return null;
  }
  return scenario;
}
