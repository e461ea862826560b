// A long scenario must not grow memory with every operation's full event trace: offline/online loops used to
// keep ~100 events per operation forever (issue: 10,000 offline/online loops ran out of memory).
import assert from 'node:assert/strict';
import { analyze } from '../../src/language/index.js';
import { FULL_TRACE_OPS, ScenarioRun } from '../../src/sim/runner.js';
import { failingPageblocks } from '../../src/extension/inspectorModel.js';

const HEAD = `machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone DMA    0x1..0x1000
    zone DMA32  0x1000..0x3ffe0
    hotplug 0x100000..0x140000 offline
  }
}
online block 32 online_movable
online block 33 online_movable
`;

function run(text: string, timeTravel = false): ScenarioRun {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  const r = new ScenarioRun(scenario!, null, { timeTravel });
  r.runToEnd();
  return r;
}

const retained = (r: ScenarioRun) => r.ops.reduce((n, o) => n + o.result.events.length, 0);

describe('runner memory on long scenarios', function () {
  this.timeout(120_000);

  it('offline/online loops keep a bounded event trace (the latest operations keep theirs in full)', () => {
    const loop = 'offline block 32\nonline block 32 online_movable\n';
    const short = run(HEAD + loop.repeat(30));
    const long = run(HEAD + loop.repeat(300));
    assert.equal(long.ops.length, 602);
    assert.ok(long.ops.every((o) => o.result.ok), 'every offline/online succeeds');
    // each operation leaves ~100 events: the old ones are dropped, so 10x the loops keeps about the same
    const perOp = retained(long) / FULL_TRACE_OPS;
    assert.ok(perOp > 50, `the latest operations keep their trace (${perOp} events per op)`);
    assert.ok(retained(long) <= retained(short) + 16, `retained events: ${retained(short)} after 30 loops, ${retained(long)} after 300`);
    const recent = long.ops.slice(-FULL_TRACE_OPS);
    assert.ok(recent.every((o) => o.droppedEvents === undefined && o.result.events.length > 0));
    assert.ok(long.ops.slice(0, -FULL_TRACE_OPS).every((o) => o.droppedEvents !== undefined));
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      // with node --expose-gc: 300 loops leave a few MiB at most (they used to keep ~13 KiB per loop here, ~4 MiB per loop on big blocks)
      gc();
      const before = process.memoryUsage().heapUsed;
      const r: ScenarioRun = run(HEAD + loop.repeat(300));
      gc();
      const after = process.memoryUsage().heapUsed;
      void r; // the run stays reachable until the heap is measured
      assert.ok(after - before < 8 * 2 ** 20, `heap grew ${((after - before) / 2 ** 20).toFixed(1)} MiB`);
    }
  });

  it("an old operation's failed isolation is still shown (the inspector's failing pageblocks)", () => {
    const text = HEAD + 'page 0x20010 slab\nalloc_contig_range 0x20000..0x20400 as off\n' + 'offline block 32\nonline block 32 online_movable\n'.repeat(40);
    const r = run(text);
    const off = r.ops.find((o) => o.name === 'off')!;
    assert.equal(off.result.ok, false);
    assert.notEqual(off.droppedEvents, undefined, 'the record is old enough to have been compacted');
    assert.ok(off.result.events.some((e) => e.type === 'isolate' && !e.ok), 'its failed isolation is kept');
    const failing = failingPageblocks(r.machine, r.ops);
    assert.ok(failing.some((f) => f.name === 'off'), JSON.stringify(failing));
  });
});
