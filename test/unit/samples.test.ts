// Every sample is a regression test: it parses cleanly, runs under every variant with the invariant
// checker after each step, and every expectation in it holds.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../src/language/index.js';
import { runScenario } from '../../src/sim/runner.js';

function samples(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? samples(p) : p.endsWith('.mmscn') ? [p] : [];
  });
}

describe('samples run and every expectation holds', () => {
  const files = samples('samples');
  it('there are samples for every seed discussion', () => {
    for (const seed of ['000', '001', '002', '003', '004']) {
      assert.ok(files.some((f) => f.includes(`seed-${seed}`)), `no sample for seed ${seed}`);
    }
  });
  for (const file of files) {
    it(relative('samples', file), () => {
      const { scenario, diagnostics } = analyze(readFileSync(file, 'utf8'));
      const errors = diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`), []);
      assert.ok(scenario);
      for (const o of runScenario(scenario, { checkInvariants: true })) {
        const where = o.variant ? ` (variant ${o.variant})` : '';
        assert.deepEqual(o.errors.map((e) => `line ${e.loc.line}: ${e.message}`), [], `run errors${where}`);
        assert.deepEqual(o.invariants.map((e) => `line ${e.loc.line}: ${e.message}`), [], `invariants${where}`);
        const failed = o.expectations.filter((e) => !e.ok).map((e) => `line ${e.loc.line}: ${e.message}`);
        assert.deepEqual(failed, [], `expectations${where}`);
        assert.ok(o.expectations.length > 0, `no expectation was checked${where}`);
      }
    });
  }
});
