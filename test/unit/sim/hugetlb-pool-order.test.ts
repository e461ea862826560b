// Which free folio a shrink of nr_hugepages gives back first (mm/hugetlb.c): remove_pool_hugetlb_folio() takes the
// head of the node's freelist, and enqueue_hugetlb_folio() list_move()s to the head. set_max_huge_pages() list_add()s
// each new folio to a local page_list (newest first) and prep_and_add_allocated_folios() enqueues that list in order,
// so after one resize the OLDEST folio of the batch is at the head: within a batch the first allocated goes first,
// across batches the last batch goes first. (Recording h-gigantic-pool: 800 then 300 left the Normal folios, the
// last allocated, in the pool and gave back the ZONE_MOVABLE ones.)
import assert from 'node:assert/strict';
import { runText } from './helpers.js';

const machine = (kernel = '6.12') => `kernel ${kernel}
machine {
  cpus 1
  node 0 { zone Normal 0x40000..0x48000 }
}
`;
const freeFolios = (text: string): number[] => [...runText(machine() + text).machine.c.pools.get(512)!.get(0)!.free].sort((a, b) => a - b);

describe('hugetlb: order of the pool freelist after nr_hugepages grows (set_max_huge_pages)', () => {
  it('four resizes by one: the shrink gives back the last allocated (each batch at the head)', () => {
    const all = freeFolios('hugetlb 2M resize 1\nhugetlb 2M resize 2\nhugetlb 2M resize 3\nhugetlb 2M resize 4\n');
    const kept = freeFolios('hugetlb 2M resize 1\nhugetlb 2M resize 2\nhugetlb 2M resize 3\nhugetlb 2M resize 4\nhugetlb 2M resize 2\n');
    assert.equal(all.length, 4);
    const order = runText(machine() + 'hugetlb 2M resize 1\nhugetlb 2M resize 2\nhugetlb 2M resize 3\nhugetlb 2M resize 4\n').machine.c.pools.get(512)!.get(0)!.free;
    // array end = list head: the allocation order is the array order
    assert.deepEqual(kept, [order[0]!, order[1]!].sort((a, b) => a - b));
  });
  it('one resize to four: the shrink gives back the first allocated of the batch', () => {
    const seq = runText(machine() + 'hugetlb 2M resize 1\nhugetlb 2M resize 2\nhugetlb 2M resize 3\nhugetlb 2M resize 4\n').machine.c.pools.get(512)!.get(0)!.free;
    const kept = freeFolios('hugetlb 2M resize 4\nhugetlb 2M resize 2\n');
    // the same buddy state allocates the same folios in the same order: keep the two allocated last
    assert.deepEqual(kept, [seq[2]!, seq[3]!].sort((a, b) => a - b));
  });
  it('before 6.7 (alloc_pool_huge_page → free_huge_page, one at a time): the shrink gives back the last allocated', () => {
    const seq = runText(machine('6.6') + 'hugetlb 2M resize 1\nhugetlb 2M resize 2\nhugetlb 2M resize 3\nhugetlb 2M resize 4\n').machine.c.pools.get(512)!.get(0)!.free;
    const kept = [...runText(machine('6.6') + 'hugetlb 2M resize 4\nhugetlb 2M resize 2\n').machine.c.pools.get(512)!.get(0)!.free].sort((a, b) => a - b);
    assert.deepEqual(kept, [seq[0]!, seq[1]!].sort((a, b) => a - b));
  });
});
