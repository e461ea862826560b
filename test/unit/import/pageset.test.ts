// Issue 14: zoneinfo's per-cpu pagesets (`high:`, `batch:`) are imported as `pageset ZONE node N [cpu C] high H
// batch B`, so the imported machine shows the captured pcp->high and pcp->batch instead of the simulator's own
// (zone_set_pageset_high_and_batch(); the kernel's high also follows its auto-tuning, nr_pcp_high()/decay_pcp_high()).
// Fixture test/fixtures/proc-snapshot-pcp-high: proc-snapshot-movable with other per-cpu high/batch values.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readSnapshot } from '../../../src/import/fs.js';
import { generate, pagesetLines } from '../../../src/import/generate.js';
import { parseZoneinfo } from '../../../src/import/parse.js';
import { analyze } from '../../../src/language/index.js';
import { complete } from '../../../src/language/complete.js';
import { hover } from '../../../src/language/hover.js';
import { runScenario } from '../../../src/sim/runner.js';
import { zoneinfo } from '../../../src/sim/proc.js';
import type { Machine } from '../../../src/sim/machine.js';

const DIR = join(__dirname, '../../fixtures/proc-snapshot-pcp-high');

function run(text: string): Machine {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}: ${d.message}`), []);
  const [o] = runScenario(scenario!);
  assert.deepEqual(o!.errors, []);
  assert.equal(o!.internal, null);
  return o!.machine;
}
/** "node zone cpu high batch" of every pageset of a zoneinfo text */
function pagesets(text: string): string[] {
  return parseZoneinfo(text).flatMap((z) => (z.pcpHigh ?? []).map((h, cpu) => `${z.nid} ${z.zone} cpu${cpu} high ${h} batch ${z.pcpBatch![cpu]}`));
}

describe('import: per-cpu pageset high and batch (zoneinfo)', function () {
  this.timeout(60000);
  const captured = readFileSync(join(DIR, 'proc/zoneinfo'), 'utf8');
  it('parses `high:` and `batch:` of each pageset, not the watermark `high`', () => {
    const z = parseZoneinfo(captured).find((x) => x.zone === 'Normal')!;
    assert.deepEqual(z.pcpHigh, [2046, 0]);
    assert.deepEqual(z.pcpBatch, [63, 63]);
    assert.deepEqual(z.pcpCounts, [86, 3]);
    // out of range for an int: an error at the line, not a scenario `check` rejects
    assert.throws(() => parseZoneinfo(captured.replace('batch: 63', 'batch: 4294967295')), (e: Error) => e.message === '/proc/zoneinfo:65: error: pcp->batch 4294967295 is above INT_MAX');
  });
  it('a captured batch of 0 is left out (the simulator keeps its own, at least 1)', () => {
    assert.deepEqual(pagesetLines({ nid: 0, zone: 'Normal', managed: 10, pcpHigh: [4], pcpBatch: [0] }, 1), ['pageset Normal node 0 high 4']);
  });
  it('the imported scenario shows the captured high and batch of every pageset (the simulator computes others)', () => {
    const res = generate(readSnapshot(DIR, false));
    assert.match(res.text, /\npageset Normal node 0 cpu 0 high 2046 batch 63\npageset Normal node 0 cpu 1 high 0 batch 63\n/);
    assert.match(res.text, /\npageset Movable node 0 high 512 batch 15\n/); // the same on every cpu: one line
    const want = pagesets(captured).filter((p) => !/ DMA /.test(p)); // DMA is not modelled by this capture
    assert.deepEqual(pagesets(zoneinfo(run(res.text))).filter((p) => !/ DMA /.test(p)), want);
    // and `expect` on them holds
    run(`${res.text}\nexpect Normal.pcp_high == 2046\nexpect Normal.pcp_batch == 63\nexpect DMA32.pcp_high == 1234\n`);
    // without the pageset lines the simulator's own values differ: the import is what makes them equal
    const own = pagesets(zoneinfo(run(res.text.replace(/^pageset .*$/gm, ''))));
    assert.notDeepEqual(own.filter((p) => !/ DMA /.test(p)), want);
  });
  it('pagesetLines: one line when every cpu agrees, one per cpu otherwise, none without pagesets', () => {
    assert.deepEqual(pagesetLines({ nid: 1, zone: 'Normal', managed: 100, pcpHigh: [5, 5], pcpBatch: [3, 3] }, 2), ['pageset Normal node 1 high 5 batch 3']);
    assert.deepEqual(pagesetLines({ nid: 0, zone: 'DMA32', managed: 100, pcpHigh: [5, 6], pcpBatch: [3, 3] }, 2), ['pageset DMA32 node 0 cpu 0 high 5 batch 3', 'pageset DMA32 node 0 cpu 1 high 6 batch 3']);
    assert.deepEqual(pagesetLines({ nid: 0, zone: 'DMA', managed: 0, pcpHigh: [0], pcpBatch: [1] }, 1), []);
    assert.deepEqual(pagesetLines({ nid: 0, zone: 'Normal', managed: 10 }, 1), []);
  });
  it('`pageset`: located errors for a missing high, a bad batch, a cpu or zone that does not exist', () => {
    const m = 'machine {\n  cpus 2\n  node 0 {\n    zone Normal 0x10000..0x50000\n  }\n}\n';
    const err = (l: string) => analyze(m + l + '\n').diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`);
    assert.deepEqual(err('pageset Normal batch 3'), ['7:1 `pageset` needs `high N` (the pageset\'s pcp->high, as /proc/zoneinfo prints it)']);
    assert.deepEqual(err('pageset Normal high 7 batch 0'), ['7:23 batch 0 must be 1 to INT_MAX (pcp->batch is at least BOOT_PAGESET_BATCH, 1)']);
    assert.deepEqual(err('pageset Normal high 0x80000000'), ['7:16 high 2147483648 is above INT_MAX (pcp->high is an int)']);
    assert.deepEqual(err('pageset Normal cpu 2 high 7'), ['7:16 cpu 2 does not exist: the machine has 2 CPUs (`cpus 2` in machine)']);
    assert.deepEqual(err('pageset DMA high 4'), ['7:9 node 0 has no ZONE_DMA (zones: Normal)']);
    assert.deepEqual(err('pageset Normal high 4 order 2'), ['7:23 `order` is not an option of `pageset` (options: node, cpu, high, batch)']);
    // the watermark field `high` is still a zone field
    assert.deepEqual(err('expect Normal.high > 0'), []);
    const mm = run(m + 'pageset Normal cpu 1 high 7\nexpect Normal.pcp_high != 7\n');
    assert.match(zoneinfo(mm), /cpu: 1\n\s+count: 0\n\s+high:\s+7\n/);
  });
  it('`pageset` is completed and documented on hover (statement, `high`, `batch`)', () => {
    const m = 'machine {\n  cpus 2\n  node 0 {\n    zone Normal 0x10000..0x50000\n  }\n}\n';
    assert.ok(complete(m + 'pag', 7, 4).some((c) => c.label === 'pageset'));
    assert.deepEqual(complete(m + 'pageset ', 7, 9).map((c) => c.label), ['Normal']);
    assert.deepEqual(complete(m + 'pageset Normal ', 7, 16).map((c) => c.label).sort(), ['batch', 'cpu', 'high', 'node']);
    const t = m + 'pageset Normal cpu 1 high 7 batch 3\n';
    assert.match(hover(t, 7, 3)!.contents, /^\*\*pageset\*\* — `pageset ZONE \[node N\] \[cpu C\] high H \[batch B\]`[\s\S]*pcp->high/);
    assert.match(hover(t, 7, 24)!.contents, /pcp->high/);
    assert.match(hover(t, 7, 31)!.contents, /pcp->batch/);
  });
});
