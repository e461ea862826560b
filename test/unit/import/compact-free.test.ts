// Issue 14, the reported anomaly: "after `compact` on an imported machine, the simulator's free-page count in Normal
// dropped by ~7,000 pages". Reproduced on this VM's import (pcp lists empty before): Normal's free went from 2224430
// to 2216517 (−7913) while cpu 0's pcp list grew from 0 to 7913 (its high is 8486). Not a bug: the kernel does the
// same. Migration frees each source folio with folio_put() (migrate_folio_done(), mm/migrate.c) → free_frozen_pages
// → free_frozen_page_commit() (mm/page_alloc.c), which puts it on this cpu's pcp list; NR_FREE_PAGES counts only the
// buddy (account_freepages() in __free_one_page), so it drops by what the pcp list gains until pcp->count reaches
// high and free_pcppages_bulk() returns a batch. compact_memory (order −1) never drains the pcp lists: only
// compact_zone's check for cc->order > 0 calls lru_add_drain_cpu_zone(). What compaction keeps is free + pcp.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { runScenario, type RunOutcome } from '../../../src/sim/runner.js';

const scenario = (compact: boolean) => `machine {
  cpus 2
  node 0 {
    zone DMA32 0x1000..0x20000
    zone Normal 0x20000..0x40000
  }
}
seed 7
fill Normal 45% movable
${compact ? 'compact Normal node 0\n' : ''}`;

function normal(compact: boolean): { free: number; pcp: number[] } {
  const { scenario: s, diagnostics } = analyze(scenario(compact));
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const [o] = runScenario(s!) as [RunOutcome];
  assert.equal(o.internal, null);
  const z = o.machine.c.zones.find((x) => x.populated && x.name === 'Normal')!;
  return { free: z.free, pcp: z.pcp.map((p) => p.count) };
}

describe('compaction and the free-page count (issue 14 anomaly)', () => {
  it('compact drops NR_FREE_PAGES by exactly what the pcp lists gain: free + pcp is kept, as in the kernel', () => {
    const before = normal(false), after = normal(true);
    const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
    assert.ok(after.free < before.free, `free ${before.free} → ${after.free}: the migrated sources went to a pcp list`);
    assert.equal(before.free - after.free, sum(after.pcp) - sum(before.pcp));
    assert.equal(after.free + sum(after.pcp), before.free + sum(before.pcp));
  });
});
