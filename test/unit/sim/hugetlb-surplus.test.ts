// hugetlb surplus pages (mm/hugetlb.c, 6.12): nr_overcommit_hugepages (nr_overcommit_hugepages_store), surplus folios
// from alloc_surplus_hugetlb_folio() when a mapping's reservation (gather_surplus_pages) needs more than the free
// pool, set_max_huge_pages() turning in-use folios into surplus when nr_hugepages shrinks below them
// (adjust_pool_surplus) and back into persistent ones when it grows, and free_huge_folio() freeing a folio to the
// buddy allocator while its node has surplus. Numbers as /sys/kernel/mm/hugepages/hugepages-2048kB/ shows them:
// nr_hugepages (surplus included), free_hugepages, surplus_hugepages.
import assert from 'node:assert/strict';
import { runText as run, resultOf } from './helpers.js';
import { analyze } from '../../../src/language/index.js';
import type { RunOutcome } from '../../../src/sim/runner.js';

const M = (pool: number) => `kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x20000
  }
  hugetlb 2M pool ${pool}
}
`;
const failed = (o: RunOutcome) => o.expectations.filter((e) => !e.ok).map((e) => e.message);

describe('hugetlb surplus pages (nr_overcommit_hugepages)', () => {
  it('a mapping bigger than the free pool takes surplus pages up to the overcommit; all or nothing; surplus goes back to the buddy on free', () => {
    const o = run(`${M(2)}hugetlb 2M alloc 3 as none
expect none -ENOMEM
expect hugetlb 2M total == 2
hugetlb 2M overcommit 2
hugetlb 2M alloc 3 as h
expect h ok
expect hugetlb 2M total == 3
expect hugetlb 2M free == 0
expect hugetlb 2M surplus == 1
hugetlb 2M alloc 2 as k
expect k -ENOMEM reason "nr_overcommit_hugepages 2"
expect hugetlb 2M total == 3
expect hugetlb 2M surplus == 1
free h
expect hugetlb 2M total == 2
expect hugetlb 2M free == 2
expect hugetlb 2M surplus == 0
`);
    assert.deepEqual(failed(o), []);
    assert.equal(resultOf(o, 'h').allocated.length, 3);
    // the failed mapping gave back the one surplus folio it got: htlb_buddy_alloc_success counts it anyway
    assert.equal(o.machine.c.vm.htlb_buddy_alloc_success, 2 + 1 + 1);
  });

  it('shrinking nr_hugepages below the in-use count makes in-use folios surplus (set_max_huge_pages → adjust_pool_surplus)', () => {
    const o = run(`${M(4)}hugetlb 2M alloc 3 as h
hugetlb 2M resize 1
expect hugetlb 2M total == 3
expect hugetlb 2M free == 0
expect hugetlb 2M surplus == 2
free h
expect hugetlb 2M total == 1
expect hugetlb 2M free == 1
expect hugetlb 2M surplus == 0
`);
    assert.deepEqual(failed(o), []);
  });

  it('growing nr_hugepages turns surplus folios into persistent ones before allocating', () => {
    const o = run(`${M(0)}hugetlb 2M overcommit 2
hugetlb 2M alloc 2 as h
expect hugetlb 2M surplus == 2
hugetlb 2M resize 3
expect hugetlb 2M total == 3
expect hugetlb 2M free == 1
expect hugetlb 2M surplus == 0
free h
expect hugetlb 2M total == 3
expect hugetlb 2M free == 3
`);
    assert.deepEqual(failed(o), []);
    assert.equal(o.machine.c.vm.htlb_buddy_alloc_success, 3);
  });

  it('in-use hugetlb folios in kpageflags: huge and compound, their anon flag not modelled', () => {
    const o = run(`${M(1)}hugetlb 2M alloc 1 as h
expect kpageflags 0x8000..0x20000 huge == 512
expect kpageflags 0x8000..0x20000 lru == 0
expect kpageflags 0x8000..0x20000 anon == 0
`);
    const f = failed(o);
    assert.equal(f.length, 1);
    assert.match(f[0], /not modelled: page 0x[0-9a-f]+ is hugetlb \(in use/);
  });

  it('gigantic pages have no overcommit (nr_overcommit_hugepages_store: -EINVAL), an error at the size', () => {
    const d = analyze(`${M(0)}hugetlb 1G overcommit 1\n`).diagnostics.filter((x) => x.severity === 'error');
    assert.equal(d.length, 1);
    assert.match(d[0].message, /gigantic huge pages \(1G\) have no overcommit/);
    assert.deepEqual([d[0].loc.line, d[0].loc.col], [8, 9]);
  });
});
