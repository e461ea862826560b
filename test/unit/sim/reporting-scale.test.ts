// Free page reporting on a big zone: the pass walks the free lists it reports from, never a copy of them per
// batch (mm/page_reporting.c page_reporting_cycle), and reports exactly what it reported before that change.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { ScenarioRun } from '../../../src/sim/runner.js';
import { buddyinfo } from '../../../src/sim/proc.js';
import { MIGRATE_TYPES } from '../../../src/sim/consts.js';
import type { Machine } from '../../../src/sim/machine.js';

function run(text: string): ScenarioRun {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = new ScenarioRun(scenario!, null, {});
  r.runToEnd();
  return r;
}

function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16);
}
/** FNV-1a over every free list, head → tail: pfn, order, type, PageReported */
function listsHash(m: Machine): string {
  let h = 0x811c9dc5;
  const mix = (n: number) => { for (const ch of String(n) + ',') h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0; };
  for (const z of m.c.zones) {
    if (!z.populated) continue;
    for (let o = 0; o < m.c.nrOrders; o++) for (let mt = 0; mt < MIGRATE_TYPES; mt++) for (const b of m.c.listIter(z, o, mt)) { mix(b.pfn); mix(o); mix(mt); mix(b.reported ? 1 : 0); }
  }
  return h.toString(16);
}

const ONE_GIB = (policy: string) => `${policy}machine {
  cpus 2
  node 0 {
    zone Normal 0x40000+1G
  }
}
fill Normal 20% movable order 0 packed
pageblock 0x50000 unmovable
pageblock 0x60200 reclaimable
alloc order 9 movable count 20 as t
alloc order 3 unmovable count 50 as u
report
free t
free u
drain
report
report
alloc order 10 movable count 5 as v
report
`;

describe('free page reporting at scale', () => {
  // Figures recorded with the list-copying implementation (before bench/scale.ts's change), same seed.
  it('reports the same on a 1 GiB zone as the list-copying implementation did', function () {
    this.timeout(60_000);
    const r = run(ONE_GIB(''));
    const reasons = r.ops.filter((o) => o.op === 'report').map((o) => o.result.reason);
    const z = r.machine.zones().find((x) => x.zone === 'Normal')!;
    assert.deepEqual(reasons, [
      'page_reporting: 65 blocks (65536 pages) marked Reported in 3 reports; device REQUESTED, rescheduled in 2 s',
      'page_reporting: 64 blocks (65024 pages) marked Reported in 2 reports; device REQUESTED, rescheduled in 2 s',
      'page_reporting: 64 blocks (65536 pages) marked Reported in 2 reports; device REQUESTED, rescheduled in 2 s',
      'page_reporting: 9 blocks (9216 pages) marked Reported in 1 reports; device IDLE',
    ]);
    assert.equal(z.reported, 204288);
    assert.equal(buddyinfo(r.machine), 'Node 0, zone   Normal      0      0      1      2      0      1      0      0      1      1    199 \n');
    assert.equal(listsHash(r.machine), '1c50ce93', 'every free list in the same order with the same PageReported bits');
    assert.equal(fnv(JSON.stringify(r.ops.filter((o) => o.op === 'report').map((o) => o.result))), 'dc12d9fe', 'the same notes (batches, rotations)');
  });

  it('hinting on a 1 GiB zone is unchanged too', function () {
    this.timeout(60_000);
    const r = run(ONE_GIB('policy page_reporting = hinting\n'));
    const reasons = r.ops.filter((o) => o.op === 'report').map((o) => o.result.reason);
    const z = r.machine.zones().find((x) => x.zone === 'Normal')!;
    assert.deepEqual(reasons, [
      'hinting: 176 blocks (180224 pages) marked Offline in 11 hints; device IDLE',
      'hinting: 0 blocks (0 pages) marked Offline in 0 hints; device IDLE',
      'hinting: 0 blocks (0 pages) marked Offline in 0 hints; device IDLE',
      'hinting: 0 blocks (0 pages) marked Offline in 0 hints; device IDLE',
    ]);
    assert.equal(z.reported, 180224);
    assert.equal(listsHash(r.machine), 'd0030be8');
    assert.equal(fnv(JSON.stringify(r.ops.filter((o) => o.op === 'report').map((o) => o.result))), '29d20d76');
  });

  it('hinting takes a block freed during a hint first in the next round (the walk resumes only over untouched lists)', function () {
    this.timeout(60_000);
    const r = run(`policy page_reporting = hinting
machine {
  cpus 2
  node 0 {
    zone Normal 0x40000+1G
  }
}
alloc order 10 movable count 2 as p
interleave {
  cpu 0: report as r
  cpu 1: free p
  schedule cpu 0 isolate, cpu 0 report, cpu 1 enqueue
}
`);
    const rep = r.ops.find((o) => o.op === 'report')!;
    const notes = rep.result.events.filter((e) => e.type === 'note').map((e) => (e as { text: string }).text);
    assert.match(notes[0]!, /^node 0 Normal order 10 \(nr_free 254 >= 0 Offline \+ 32\): 16 blocks \(16384 pages\) isolated for hinting: 0x40800 0x40c00 /);
    // the order-10 blocks freed on cpu 1 while the first batch was with the device are at the list head
    assert.match(notes[1]!, /^node 0 Normal order 10 \(nr_free 256 >= 16 Offline \+ 32\): 16 blocks \(16384 pages\) isolated for hinting: 0x40400 0x40000 0x44800 /);
    assert.match(notes[2]!, /isolated for hinting: 0x48000 0x48400 /);
    assert.equal(rep.result.reason, 'hinting: 240 blocks (245760 pages) marked Offline in 15 hints; device REQUESTED, rescheduled in 2 s');
  });

  it('one hinting cycle over a free 256 GiB zone is linear in its blocks (was quadratic: 14 s for 64 GiB)', function () {
    this.timeout(120_000);
    const r = run('policy page_reporting = hinting\nmachine { node 0 { zone Normal 0x0+256G } }\n');
    const t0 = performance.now();
    const g = r.machine.run({ op: 'report' }, { cpu: 0, label: 'r', resolve: () => [] });
    let res = g.next();
    while (!res.done) res = g.next();
    const ms = performance.now() - t0;
    assert.equal(res.value.reason, 'hinting: 65520 blocks (67092480 pages) marked Offline in 4095 hints; device IDLE');
    assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  });

  it('one reporting pass over a free 1 TiB zone takes well under a second', function () {
    this.timeout(120_000);
    const r = run('machine { node 0 { zone Normal 0x0+1T } }\n');
    const t0 = performance.now();
    const g = r.machine.run({ op: 'report' }, { cpu: 0, label: 'r', resolve: () => [] });
    let res = g.next();
    while (!res.done) res = g.next();
    const ms = performance.now() - t0;
    assert.match(res.value.reason!, /^page_reporting: 16416 blocks \(16809984 pages\) marked Reported in 513 reports; device REQUESTED/);
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  });
});

describe('memory offline at scale', () => {
  it('offlining a 16 GiB block of a 1 TiB machine costs its pageblocks and free blocks, not its pages', function () {
    this.timeout(120_000);
    const r = run('machine {\n  memory_block_size 16G\n  node 0 { zone Normal 0x0+1T }\n}\n');
    const t0 = performance.now();
    const g = r.machine.run({ op: 'offline', block: 40 }, { cpu: 0, label: 'o', resolve: () => [] });
    let res = g.next();
    while (!res.done) res = g.next();
    const ms = performance.now() - t0;
    assert.equal(res.value.ok, true, res.value.reason ?? '');
    assert.equal(r.machine.pageInfo(40 * 4194304).state, 'offline');
    assert.equal(r.machine.zones().find((z) => z.zone === 'Normal')!.free, 2 ** 28 - 4194304);
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  });
});
