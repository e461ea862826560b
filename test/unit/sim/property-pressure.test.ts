// Property test under memory pressure (issue 7): seeded scenarios of a few hundred operations over the reclaim
// machinery — page cache clean/dirty/writeback, anon with and without swap, mlocked, reclaimable slab, allocations
// that reach the slow path (costly and non-costly orders, GFP_KERNEL, __GFP_NORETRY, __GFP_RETRY_MAYFAIL,
// GFP_ATOMIC/NOWAIT), kswapd, kcompactd, compact, vm sysctls, hugetlb resize/overcommit/surplus alloc,
// alloc_contig_range over page cache, frees — with checkInvariants (LRU vs extents, swap, hugetlb pools, skip
// hints, conservation) after every step. The generator is test/fuzz/scenario-gen.ts (PRESSURE_MIX).
import assert from 'node:assert/strict';
import { fuzzOne, PRESSURE_MIX } from '../../fuzz/scenario-gen.js';
import type { KernelPreset, Operation } from '../../../src/sim/scenario.js';
import type { OpResult } from '../../../src/sim/api.js';
import type { Machine } from '../../../src/sim/machine.js';

const STEPS = Number(process.env.MMSCN_PRESSURE_STEPS ?? 300);

/** what the runs reached, so a generator that stops exercising the slow path fails loudly */
interface Coverage { swapUsed: number; reclaimed: number; compaction: number; oomDecisions: number; kswapdWoken: number; surplusAllocs: number; acrOk: number }

function runSeeds(seeds: number[], kernel: KernelPreset, swap: boolean, cov: Coverage): void {
  for (const seed of seeds) {
    const f = fuzzOne({
      seed, steps: STEPS, kernel, swap, weights: PRESSURE_MIX, pressure: true,
      onStep: (op: Operation, res: OpResult, m: Machine) => {
        cov.swapUsed = Math.max(cov.swapUsed, (m.c.spec.swapPages ?? 0) - m.c.swapFree);
        const sp = res.slowpath;
        if (sp) {
          const r = sp.reclaimed;
          cov.reclaimed += r.inactive_anon + r.active_anon + r.inactive_file + r.active_file + r.slab;
          cov.compaction += sp.compaction.length;
          if (sp.oom) cov.oomDecisions++;
          cov.kswapdWoken += sp.kswapdWoken.length;
        }
        if (op.op === 'hugetlb_alloc' && res.ok) cov.surplusAllocs++;
        if (op.op === 'alloc_contig_range' && res.ok) cov.acrOk++;
      },
    });
    assert.equal(f, null, f ? `seed ${f.seed} (${f.kernel}, swap ${swap}) step ${f.step}: ${f.message}\n${f.repro}` : '');
  }
}

describe('property: the reclaim and compaction machinery keeps the invariants', function () {
  this.timeout(120000);
  const cov: Coverage = { swapUsed: 0, reclaimed: 0, compaction: 0, oomDecisions: 0, kswapdWoken: 0, surplusAllocs: 0, acrOk: 0 };
  it(`6.12 with swap: 3 seeds × ${STEPS} operations`, () => runSeeds([1, 2, 3], '6.12', true, cov));
  it(`6.12 without swap: 2 seeds × ${STEPS} operations`, () => runSeeds([4, 5], '6.12', false, cov));
  it(`latest with swap: 1 seed × ${STEPS} operations`, () => runSeeds([6], 'latest', true, cov));
  // (the OOM decision itself needs every node exhausted with nothing reclaimable: test/unit/sim/slowpath.test.ts has it)
  it('the runs reached reclaim, swap-out, compaction, kswapd, hugetlb surplus and alloc_contig_range', function () {
    if (STEPS < 300) this.skip();
    assert.ok(cov.reclaimed > 0, JSON.stringify(cov));
    assert.ok(cov.swapUsed > 0, JSON.stringify(cov));
    assert.ok(cov.compaction > 0, JSON.stringify(cov));
    assert.ok(cov.kswapdWoken > 0, JSON.stringify(cov));
    assert.ok(cov.surplusAllocs > 0, JSON.stringify(cov));
    assert.ok(cov.acrOk > 0, JSON.stringify(cov));
  });
});
