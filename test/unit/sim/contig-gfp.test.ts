// alloc_contig_range's migration targets are MOVABLE allocations whatever gfp the caller passed: they must
// not claim or steal pageblocks for MIGRATE_UNMOVABLE.
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';

describe('alloc_contig_range migration targets', () => {
  it('come from MIGRATE_MOVABLE and retype no pageblock', () => {
    const s = analyze(`kernel 6.12
machine {
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
}
page 0x50010 anon
alloc_contig_range 0x50000..0x50200 as r
expect r ok
expect r migrated == 1
`).scenario!;
    const [o] = runScenario(s);
    assert.ok(o!.expectations.every((e) => e.ok), o!.expectations.map((e) => e.message).join('; '));
    const r = o!.ops[1]!.result;
    assert.deepEqual(r.events.filter((e) => e.type === 'retype'), []);
    const dst = r.migrations[0]!.dst!;
    assert.equal(o!.machine.pageblock(dst).migratetype, 'movable');
    const normal = o!.machine.zones().find((z) => z.zone === 'Normal')!;
    assert.equal(normal.pageblockCounts.unmovable, 0);
  });
});

describe('alloc_contig_range and a fatal signal (A7)', () => {
  const scenarioWith = (policy: string) => analyze(`kernel 6.12
${policy}
machine {
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
}
page 0x50010 anon pinned
alloc_contig_range 0x50000..0x50200 as r
`).scenario!;
  it('a signal after 2 passes without progress: -EINTR after exactly 2 migration attempts', () => {
    const [o] = runScenario(scenarioWith('policy offline_signal_after = 2'));
    const r = o!.ops[1]!.result;
    assert.equal(r.errno, 'EINTR');
    assert.equal(r.pfn, 0x50010);
    assert.equal(r.migrations.length, 2);
    assert.equal(o!.machine.zones().find((z) => z.zone === 'Normal')!.nr_isolate_pageblock, 0);
  });
  it('no signal within 5 tries: -EBUSY after 5 attempts, as mainline', () => {
    const [o] = runScenario(scenarioWith(''));
    const r = o!.ops[1]!.result;
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.migrations.length, 5);
  });
  it('contig_retry=offline: -EINTR after exactly offline_signal_after attempts', () => {
    const [o] = runScenario(scenarioWith('policy contig_retry = offline\npolicy offline_signal_after = 20'));
    const r = o!.ops[1]!.result;
    assert.equal(r.errno, 'EINTR');
    assert.equal(r.migrations.length, 20);
  });
});
