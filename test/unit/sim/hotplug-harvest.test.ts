// movable_kernel_fallback=harvest (seed 001 proposal): converting the lowest MOVABLE block to NORMAL.
import assert from 'node:assert/strict';
import { memoryBlockOnline } from '../../../src/sim/hotplug/online.js';
import { harvestMovableBlock } from '../../../src/sim/hotplug/harvest.js';
import type { Policies } from '../../../src/sim/scenario.js';
import { FakeHost, oracleSpec } from './hotplug-fake.js';

function setup(p: Partial<Policies>): FakeHost {
  const h = new FakeHost(oracleSpec([[0x100000, 0x140000]]), p);
  for (const id of [32, 33, 34]) assert.ok(memoryBlockOnline(h, h.hp.blocks.get(id)!, 'online_movable').ok);
  return h;
}

describe('harvest: convert the lowest MOVABLE block to NORMAL', () => {
  it('is a no-op with the policy off (mainline: the kernel allocation fails with ENOMEM)', () => {
    assert.equal(harvestMovableBlock(setup({})), null);
  });
  it('offlines block 32 (its movable pages migrate) and onlines it to Normal', () => {
    const h = setup({ movable_kernel_fallback: 'harvest' });
    h.pages.set(0x100010, 'anon');
    const r = harvestMovableBlock(h)!;
    assert.ok(r.ok, r.reason ?? '');
    assert.equal(r.migrations.length, 1);
    assert.equal(h.hp.blocks.get(32)!.zone, 'Normal');
    assert.deepEqual([h.z('Normal').start, h.z('Normal').end, h.z('Normal').present], [0x100000, 0x108000, 32768]);
    assert.deepEqual([h.z('Movable').start, h.z('Movable').end, h.z('Movable').present], [0x108000, 0x118000, 65536]);
  });
  it('fails like offlining does when a page will not migrate (pinned → signal backoff)', () => {
    const h = setup({ movable_kernel_fallback: 'harvest', offline_signal_after: 10 });
    h.pages.set(0x100010, 'anon-pinned');
    const r = harvestMovableBlock(h)!;
    assert.equal(r.errno, 'EINTR');
    assert.equal(h.hp.blocks.get(32)!.zone, 'Movable');
  });
});
