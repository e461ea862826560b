// Shared fixtures for the language tests.
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/index.js';
import type { Scenario } from '../../../src/sim/scenario.js';

export const MACHINE = `machine {
  cpus 2
  node 0 {
    zone DMA32  0x1000..0x100000
    zone Normal 0x100000..0x140000
    hotplug 0x140000..0x180000 offline
  }
  cma cma0 0x120000+64M
  virtio_mem vmem0 node 0 0x200000+1G block 2M
}
`;

/** Analyses text that must be free of errors; returns the scenario. */
export function ok(text: string): Scenario {
  const a = analyze(text);
  const errs = a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`);
  assert.deepEqual(errs, []);
  assert.ok(a.scenario);
  return a.scenario;
}

/** Errors of a text, as `line:col message`. */
export function errors(text: string): string[] {
  return analyze(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`);
}

/** Expects exactly one error on `line` whose message contains `part`. */
export function oneError(text: string, line: number, part: string | RegExp): void {
  const e = errors(text);
  assert.equal(e.length, 1, `expected one error, got:\n${e.join('\n')}`);
  assert.ok(e[0]!.startsWith(`${line}:`), `error on line ${line} expected: ${e[0]}`);
  if (typeof part === 'string') assert.ok(e[0]!.includes(part), `"${part}" not in: ${e[0]}`);
  else assert.match(e[0]!, part);
}

/** Splits `text` at the cursor marker `|` into text and a 1-based position. */
export function cursor(src: string): { text: string; line: number; col: number } {
  const i = src.indexOf('|');
  const before = src.slice(0, i);
  const line = before.split('\n').length;
  const col = i - before.lastIndexOf('\n');
  return { text: src.slice(0, i) + src.slice(i + 1), line, col };
}

/** Lines after the machine, numbered from 1 + machine lines. */
export const M_LINES = MACHINE.split('\n').length - 1;
