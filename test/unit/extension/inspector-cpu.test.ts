// The inspector's operation rows say which CPU ran each operation of an interleave (issue 9).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';
import { migrationRows, opRows } from '../../../src/extension/inspectorModel.js';

describe('inspector: CPU of each operation', () => {
  it('marks the operations of an interleave with their CPU, not the single-CPU steps on cpu 0', () => {
    const s = analyze(readFileSync('samples/seed-000-alloc-contig-range/c-pcp-race.mmscn', 'utf8')).scenario!;
    const out = runScenario(s, { variant: 'drain_once' })[0]!;
    const rows = opRows(out.ops).map((r) => [r.line, r.op, r.cpuShown ? r.cpu : null]);
    assert.deepEqual(rows, [[23, 'page', null], [26, 'alloc_contig_range', 0], [27, 'free', 1], [39, 'drain', null], [40, 'alloc_contig_range', null]]);
    const mig = migrationRows(out.ops);
    assert.ok(mig.every((m) => m.op !== 'alloc_contig_range' || m.line !== 26 || (m.cpuShown && m.cpu === 0)));
  });
});
