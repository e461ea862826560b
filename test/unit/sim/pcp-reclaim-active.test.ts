// ZONE_RECLAIM_ACTIVE (mm/vmscan.c balance_pgdat: set_reclaim_active / clear_reclaim_active; mm/page_alloc.c
// nr_pcp_high): while kswapd reclaims a zone, a pcp list keeps at most batch << 2 pages, so what kswapd frees reaches
// the buddy lists (and merges) instead of piling up to pcp->high (the low watermark on one CPU). The 6.12 recordings
// p-pagecache-hugetlb / p-pagecache-layout show it: after kswapd reclaimed ~200,000 pages for 400 huge pages, DMA32's
// pcp held 928 (365) pages, not the ~13,858 of pcp->high.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';

const TEXT = `kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
fill Normal 100% file
alloc order 0 unmovable gfp GFP_NOWAIT as a
kswapd as k
`;

describe('pcp lists while kswapd reclaims (ZONE_RECLAIM_ACTIVE, nr_pcp_high)', () => {
  it('kswapd\'s freed pages go to the buddy lists: the pcp keeps fewer than 4 × batch', () => {
    const [o] = runScenario(analyze(TEXT).scenario!);
    const r = new Map(o!.ops.map((x) => [x.name, x.result]));
    assert.match(r.get('k')!.reason!, /balanced/);
    const z = o!.machine.c.zones.find((x) => x.name === 'Normal')!;
    const p = z.pcp[0]!;
    assert.ok(p.highMin > 4 * p.batch, `high_min ${p.highMin} is above 4 × batch ${p.batch}: the limit matters here`);
    assert.ok(p.count < 4 * p.batch, `pcp count ${p.count} < 4 × batch ${4 * p.batch}`);
    // the flag is kswapd's only while it runs (clear_reclaim_active)
    assert.equal(z.reclaimActive, false);
    assert.deepEqual(o!.machine.checkInvariants(), []);
  });
});
