// Replays test/fixtures/oracle/f-hugetlb-surplus.json (Debian 6.12.117 under qemu, case script in
// test/fixtures/oracle/cases/f-hugetlb-surplus.sh): nr_hugepages / free_hugepages / surplus_hugepages of the 2 MiB
// hstate after every step, and htlb_buddy_alloc_success. The kernel grew a hugetlbfs file with fallocate
// (alloc_hugetlb_folio → alloc_surplus_hugetlb_folio beyond the free pool); the scenario maps the same number of huge
// pages with `hugetlb 2M alloc` (the same surplus rule, through gather_surplus_pages); `rm` of the file is `free`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runText as run } from './helpers.js';

interface Rec {
  snapshot_order: string[];
  snapshots: Record<string, { hugepages: Record<string, { nr: number; free: number; surplus: number }>; vmstat?: Record<string, number> }>;
}
const rec = JSON.parse(readFileSync('test/fixtures/oracle/f-hugetlb-surplus.json', 'utf8')) as Rec;

/** the case's steps, each followed by the snapshot the guest took after it */
const STEPS: [string, string][] = [
  ['hugetlb 2M resize 2\nhugetlb 2M overcommit 2', 'pool2'],
  ['hugetlb 2M alloc 3 as f', 'falloc-3'], // fallocate -l 6M /mnt/h/f
  ['hugetlb 2M resize 1', 'shrink-1'],
  ['free f', 'after-rm'], // rm -f /mnt/h/f
  ['hugetlb 2M alloc 2 as s', 'surplus-1'], // fallocate -l 4M /mnt/h/s
  ['hugetlb 2M resize 4', 'grow-4'],
  ['free s', 'end'],
];

describe('oracle: hugetlb surplus pages (6.12.117, f-hugetlb-surplus)', () => {
  it('nr_hugepages, free_hugepages and surplus_hugepages after every step match the kernel', () => {
    assert.deepEqual(STEPS.map((s) => s[1]), rec.snapshot_order);
    let text = `kernel 6.12
machine {
  node 0 {
    zone DMA 0x1..0x1000
    zone DMA32 0x1000..0x40000
  }
}
`;
    for (const [ops, snap] of STEPS) {
      const h = rec.snapshots[snap]!.hugepages['hugepages-2048kB']!;
      text += `${ops}\nexpect hugetlb 2M total == ${h.nr}\nexpect hugetlb 2M free == ${h.free}\nexpect hugetlb 2M surplus == ${h.surplus}\n`;
    }
    // every huge page the kernel allocated came from the buddy allocator (boot had no pool): the counter since boot
    text += `expect vmstat htlb_buddy_alloc_success == ${rec.snapshots.end!.vmstat!.htlb_buddy_alloc_success}\n`;
    const o = run(text);
    assert.deepEqual(o.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    assert.equal(o.expectations.length, STEPS.length * 3 + 1);
  });
});
