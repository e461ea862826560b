// Memory under pressure, checked against the real kernel: test/fixtures/oracle/p-pagecache-hugetlb.json is Debian's
// 6.12.117 under qemu (1 GiB, 1 CPU, no swap; case script in test/fixtures/oracle/cases/). Clean page cache on an
// ext2 disk fills most of DMA32, then nr_hugepages=400 (more than is free): set_max_huge_pages() →
// alloc_pool_huge_folio() (__GFP_RETRY_MAYFAIL) gets all 400 — kswapd, woken by each allocation and run at the
// loop's cond_resched(), reclaimed 204,542 pages, direct reclaim only 1,216. Then the same amount of shmem (tmpfs,
// no swap: nothing reclaim can take) → the pool stops at 198 at the first failure.
// The boot-time kernel memory and the page cache are laid out by the scenario, not copied page by page, so the
// counts of compaction events differ; the answers (pages obtained, what reclaim could take) must not.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultOf, runText } from './helpers.js';
import { guest1G } from './oracle-replay.js';
import type { Machine } from '../../../src/sim/machine.js';
import type { OpResult } from '../../../src/sim/api.js';

interface Snap { zoneinfo: Record<string, { free: number; pcp_count?: number; spanned: number }>; meminfo: Record<string, number>; vmstat: Record<string, number>; hugepages: Record<string, { nr: number }> }
const rec = JSON.parse(readFileSync(join(__dirname, '../../fixtures/oracle/p-pagecache-hugetlb.json'), 'utf8')) as { snapshots: Record<string, Snap> };
const snap = (k: string): Snap => rec.snapshots[k]!;
const KB = 4; // kB per page

// the guest's layout (as samples/oracle/a-default-online.mmscn): DMA 0x1..0x1000, DMA32 0x1000..0x3ffe0
const DMA32_PAGES = 0x3ffe0 - 0x1000;
const before = snap('before').zoneinfo.DMA32;
/** DMA32 pages the booted kernel did not have free (memblock reservations, its own allocations) */
const kernelUsed = before.spanned - before.free - (before.pcp_count ?? 0);
const percent = (pages: number): number => Math.round((100 * pages) / DMA32_PAGES);

function scenario(fill: string): string {
  return `${guest1G()}pages 0x1000..0x${(0x1000 + kernelUsed).toString(16)} kernel
${fill}
hugetlb 2M resize 400 as h
`;
}
const notes = (r: OpResult): string[] => r.events.flatMap((e) => (e.type === 'note' ? [e.text] : []));
const count = (m: Machine, kind: string): number => {
  let n = 0;
  for (const e of m.c.ext.values()) if (e.kind === kind) n += e.n;
  return n;
};

describe('oracle p-pagecache-hugetlb (6.12.117): growing the hugetlb pool under pressure', function () {
  this.timeout(120_000);
  const cache = snap('after-cache');
  const filePages = (cache.meminfo['Inactive(file)']! + cache.meminfo['Active(file)']!) / KB;
  const hugeCache = snap('after-hugetlb-cache');

  it('the recording: all 400 folios, reclaimed by kswapd', () => {
    assert.equal(hugeCache.hugepages['hugepages-2048kB']!.nr, 400);
    const kswapd = hugeCache.vmstat.pgsteal_kswapd! - cache.vmstat.pgsteal_kswapd!;
    const direct = hugeCache.vmstat.pgsteal_direct! - cache.vmstat.pgsteal_direct!;
    assert.ok(kswapd > 100 * direct, `kswapd ${kswapd}, direct ${direct}`);
  });

  for (const layout of ['scattered', 'packed']) {
    it(`clean page cache (${layout}): the pool reaches 400 as the kernel's did, kswapd reclaiming at set_max_huge_pages' cond_resched()`, () => {
      const out = runText(scenario(`fill DMA32 ${percent(filePages)}% file ${layout}`));
      const h = resultOf(out, 'h');
      assert.equal(h.ok, true, h.reason ?? '');
      assert.equal(out.machine.c.vm.htlb_buddy_alloc_success, 400);
      assert.equal(out.machine.c.vm.htlb_buddy_alloc_fail, 0);
      // as in the kernel, kswapd did (nearly) all the reclaim: the note says how much
      const note = notes(h).find((t) => /kswapd ran \d+× at cond_resched\(\), \d+ pages reclaimed/.test(t));
      assert.ok(note, JSON.stringify(notes(h)));
      const byKswapd = Number(/(\d+) pages reclaimed/.exec(note)![1]);
      const reclaimed = count(runText(scenario(`fill DMA32 ${percent(filePages)}% file ${layout}`), { until: 2 }).machine, 'file') - count(out.machine, 'file');
      assert.ok(byKswapd >= 0.9 * reclaimed, `kswapd ${byKswapd} of ${reclaimed}`);
    });
  }

  const shmem = snap('after-shmem');
  const hugeShmem = snap('after-hugetlb-shmem');
  const shmemPages = shmem.meminfo.Shmem! / KB;

  it('the recording: shmem without swap stops the pool at its first failure', () => {
    assert.equal(hugeShmem.hugepages['hugepages-2048kB']!.nr, 198);
    assert.equal(hugeShmem.vmstat.htlb_buddy_alloc_fail! - shmem.vmstat.htlb_buddy_alloc_fail!, 1);
    assert.equal(hugeShmem.vmstat.pgsteal_anon! - shmem.vmstat.pgsteal_anon!, 0);
  });

  // dd into tmpfs takes pages in order, as `packed` lays them out (the kernel migrated nothing here either)
  for (const layout of ['packed']) {
    it(`shmem, no swap (${layout}): the pool stops where the kernel's did (198 ± 8), nothing reclaimed`, () => {
      const fill = `fill DMA32 ${percent(shmemPages)}% anon ${layout}`;
      const out = runText(scenario(fill));
      const h = resultOf(out, 'h');
      const got = out.machine.c.vm.htlb_buddy_alloc_success;
      assert.ok(Math.abs(got - 198) <= 8, `${got} folios: ${h.reason}`);
      assert.equal(out.machine.c.vm.htlb_buddy_alloc_fail, 1);
      const said = [h.reason ?? '', ...notes(h)].join('\n');
      assert.match(said, new RegExp(`nr_hugepages is ${got}, not 400: not enough contiguous memory`));
      // no anon page was reclaimed: as many as the fill made
      assert.equal(count(out.machine, 'anon'), count(runText(scenario(fill), { until: 2 }).machine, 'anon'));
    });
  }
});
