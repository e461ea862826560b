// Shrinking a gigantic hugetlb pool: 6.12 frees each 1 GiB folio as one __GFP_COMP folio (folio_put →
// __free_pages_ok → split_large_buddy, mm/page_alloc.c) straight into the buddy; before, free_gigantic_folio →
// free_contig_range() freed it page by page through the pcp lists (policy gigantic_free).
import assert from 'node:assert/strict';
import { runText } from './helpers.js';

const text = (kernel: string) => `kernel ${kernel}
machine {
  cpus 2
  node 0 { zone Normal 0x40000..0x140000 }
}
hugetlb 1G resize 2
hugetlb 1G resize 0
`;
function normal(kernel: string, until?: number) {
  const out = runText(text(kernel), { until });
  assert.deepEqual(out.machine.checkInvariants(), []);
  const z = out.machine.zones().find((x) => x.zone === 'Normal')!;
  return { free: z.free, pcp: z.pcp.reduce((n, p) => n + p.count, 0), managed: z.managed };
}

describe('hugetlb: a gigantic folio goes back as one folio (6.12) or page by page (before)', () => {
  it('6.12: every page is back in the buddy, none on a pcp list', () => {
    const boot = normal('6.12', 0);
    const after = normal('6.12');
    assert.equal(after.pcp, boot.pcp);
    assert.equal(after.free, boot.free);
  });
  it('6.1: free_contig_range leaves pages on the pcp lists, outside NR_FREE_PAGES', () => {
    const boot = normal('6.1', 0);
    const after = normal('6.1');
    assert.ok(after.pcp > boot.pcp, `pcp ${after.pcp}`);
    assert.equal(after.free + after.pcp, boot.free + boot.pcp);
  });
});
