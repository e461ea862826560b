// compaction_suit_allocation_order's check of the free memory outside CMA for async costly non-CMA requests:
// not in 6.12 (Debian 6.12.117 mm/compaction.c has no `async` argument), in mainline by 6.15 (policy
// compaction_cma_check: off before, async_costly since).
import { strict as assert } from 'node:assert';
import { runText } from './helpers.js';
import { compactZoneDirect } from '../../../src/sim/compaction/index.js';
import { presetPolicies } from '../../../src/sim/policies.js';
import { UNMOVABLE, MOVABLE } from '../../../src/sim/consts.js';
import type { KernelPreset } from '../../../src/sim/scenario.js';

/** Normal 0x8000..0x10000, its upper half a CMA area; the lower half taken: the free memory is all CMA */
const text = (kernel: string) => `kernel ${kernel}
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
  cma cma0 0xc000..0x10000
}
pages 0x8000..0xc000 kernel
`;

/** direct compaction of Normal for an order-9 request of `mt` at COMPACT_PRIO_ASYNC (2) or SYNC_LIGHT (1) */
function direct(kernel: string, mt: number, prio: number) {
  const out = runText(text(kernel));
  const c = out.machine.c;
  const z = c.zone(0, 2);
  return compactZoneDirect(c, z, 9, mt, prio, 0, 2);
}
const OUTSIDE = /not enough free memory outside CMA/;

describe('compaction_suit_allocation_order: the non-CMA free check (policy compaction_cma_check)', () => {
  it('presets: off up to 6.12, async_costly from 6.15', () => {
    for (const k of ['5.10', '6.1', '6.6', '6.12'] as KernelPreset[]) assert.equal(presetPolicies(k).compaction_cma_check, 'off', k);
    for (const k of ['6.15', '6.17', 'latest'] as KernelPreset[]) assert.equal(presetPolicies(k).compaction_cma_check, 'async_costly', k);
  });
  it('6.12: async direct compaction for an unmovable order-9 request is not skipped for lack of non-CMA memory', () => {
    const r = direct('6.12', UNMOVABLE, 2);
    assert.doesNotMatch(r.reason ?? '', OUTSIDE);
  });
  for (const k of ['6.15', 'latest']) {
    it(`${k}: the same request is skipped (COMPACT_SKIPPED: not enough free memory outside CMA)`, () => {
      const r = direct(k, UNMOVABLE, 2);
      assert.equal(r.result, 'COMPACT_SKIPPED');
      assert.match(r.reason ?? '', OUTSIDE);
    });
    it(`${k}: not for sync compaction, nor for a movable (ALLOC_CMA) request`, () => {
      assert.doesNotMatch(direct(k, UNMOVABLE, 1).reason ?? '', OUTSIDE);
      assert.doesNotMatch(direct(k, MOVABLE, 2).reason ?? '', OUTSIDE);
    });
  }
});
