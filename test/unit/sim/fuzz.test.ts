// Random scenarios over every operation (test/fuzz/scenario-gen.ts): after every step checkInvariants holds
// (incl. page conservation) and no operation ends in an internal simulator error. Short here; the long run is
// `npx tsx bench/fuzz.ts` (docs/performance.md "Fuzzing"). MMSCN_FUZZ=N runs N scenarios here instead.
import assert from 'node:assert/strict';
import { fuzzOne, BENCH_MIX } from '../../fuzz/scenario-gen.js';

const N = Number(process.env.MMSCN_FUZZ ?? 3);

describe('fuzz: random scenarios keep the invariants', function () {
  this.timeout(Math.max(60000, N * 5000));
  it(`${N} seeded scenarios over every operation (two nodes, hotplug, CMA, hugetlb, virtio-mem)`, () => {
    for (let seed = 1; seed <= N; seed++) {
      const f = fuzzOne({ seed, steps: 30 });
      assert.equal(f, null, f ? `seed ${f.seed} (${f.kernel}) step ${f.step}: ${f.message}\n${f.repro}` : '');
    }
  });
  it('the bench op mix (bench/sim.ts weights)', () => {
    const f = fuzzOne({ seed: 12345, steps: 60, kernel: 'latest', weights: BENCH_MIX });
    assert.equal(f, null, f ? `step ${f.step}: ${f.message}\n${f.repro}` : '');
  });
});
