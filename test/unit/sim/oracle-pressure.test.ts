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
    // kcompactd, woken by kswapd going to sleep, compacted while the pool grew: 27 kcompactd_do_work passes for
    // 115 balance_pgdat runs, 42% of all the migrate scanning (the simulator's: see the note further down)
    const d = (k: string): number => hugeCache.vmstat[k]! - cache.vmstat[k]!;
    assert.equal(d('pageoutrun'), 115);
    assert.equal(d('compact_daemon_wake'), 27);
    assert.equal(d('compact_daemon_migrate_scanned'), 83_931);
    assert.equal(d('compact_migrate_scanned'), 200_288);
  });

  // `packed` is the guest's layout: p-pagecache-layout (below) shows the page cache filling whole pageblocks
  // (411 of DMA32's 504 entirely LRU pages); a `scattered` fill (4-page units at random) has none
  for (const layout of ['packed']) {
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
      // what kswapd freed reached the buddy lists (ZONE_RECLAIM_ACTIVE: nr_pcp_high keeps at most 4 × batch while
      // it reclaims): DMA32's pcp held 928 pages afterwards (365 in p-pagecache-layout's boot), not pcp->high
      // (13,858). The pages left there come from the last frees after kswapd slept, which the two boots already
      // differ on; the simulator kept 13,649 before it modelled ZONE_RECLAIM_ACTIVE.
      assert.equal(hugeCache.zoneinfo.DMA32!.pcp_count, 928);
      const pcp = out.machine.c.zones.find((z) => z.name === 'DMA32')!.pcp[0]!;
      assert.ok(pcp.count < 1000, `pcp ${pcp.count}`);
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

// test/fixtures/oracle/p-pagecache-layout.json: the page-cache half of the same case on another boot, with
// /proc/pagetypeinfo and a per-pageblock count of /proc/kpageflags (`pbscan`: pfn, buddy, lru, active, slab, huge,
// referenced, no flags) after the fill and after growing the pool to 100, 200 and 400.
//
// What the simulator does not reproduce yet, and why (the answers above do not depend on it):
// - compaction. The kernel stalled 14 times for the first 100 folios (12 pages migrated), stopped at 162 when asked
//   for 200 (three failed stalls at COMPACT_PRIO_SYNC_LIGHT with 246 pageblocks of clean page cache left: no
//   should_compact_retry below MIN_COMPACT_COSTLY_PRIORITY, and should_reclaim_retry needs a free order-9 block),
//   then got 400 with 161 stalls and 17,236 pages migrated; p-pagecache-hugetlb's single resize: 170 stalls,
//   20,200 migrated. The simulator, with the guest's (packed) layout, gets every folio from the free lists
//   after kswapd: 0 stalls. The recording shows why the kernel needed compaction: kswapd, woken for order 9,
//   reclaims compact_gap(9) = 1024 pages and then balances for order 0, so each run empties one 1024-page pair of
//   pageblocks; the folio takes the low half, and the high half is left with 510-511 free buddy pages and 1-2
//   pages that are neither buddy, LRU nor slab (34 such pageblocks after 100 folios) — not an order-9 block, so a later
//   folio needs compaction. The simulator leaves the high half whole (its folios lie in consecutive pageblocks). Those
//   pages are ext2's indirect blocks (p-pagecache-strays.json, test/unit/sim/oracle-pagecache-strays.test.ts): block-
//   device page cache, one per 1025 pages of the fill, which MGLRU keeps while kswapd evicts the data around them;
//   seen without flags because kcompactd migrated them after the resize and the freed page stayed on the pcp list.
//   Placed in the scenario (as samples/oracle/p-pagecache-hugetlb.mmscn does), the simulator compacts about as often.
// - kcompactd. The resize runs the kcompactd that kswapd woke at the same cond_resched() (kswapd_try_to_sleep →
//   wakeup_kcompactd); the kernel's was woken 27 times (compact_daemon_wake) and scanned 83,931 of the 200,288
//   pages compaction's migrate scanner scanned. The simulator's kswapd calls wakeup_kcompactd(order 9) at each of
//   its 139 sleeps (the kernel's balance_pgdat ran 115 times), and kcompactd_node_suitable() refuses every time:
//   the pair of pageblocks kswapd emptied holds a free order-9 page (COMPACT_SUCCESS), the same layout difference
//   as above. So compact_daemon_* stays 0 here (kernel 27 / 83,931 / 36,115) and nothing of it is compared.
describe('oracle p-pagecache-layout (6.12.117): where the page cache lies and what kswapd leaves', function () {
  this.timeout(120_000);
  const lay = JSON.parse(readFileSync(join(__dirname, '../../fixtures/oracle/p-pagecache-layout.json'), 'utf8')) as {
    snapshots: Record<string, Snap & { pbscan: string[]; hugepages: Record<string, { nr: number }> }>;
  };
  /** DMA32's whole pageblocks: [pfn, buddy, lru, active, slab, huge, referenced, noflags] */
  const blocks = (k: string): number[][] => lay.snapshots[k]!.pbscan.map((l) => l.split(' ').map(Number)).filter((r) => r.length === 8 && r[0]! >= 0x1000 && r[0]! + 512 <= 0x3ffe0);
  const lruFull = (k: string): number => blocks(k).filter((r) => r[2] === 512).length;
  /** the page cache of p-pagecache-hugetlb, which the scenarios above fill */
  const filePages = (): number => (snap('after-cache').meminfo['Inactive(file)']! + snap('after-cache').meminfo['Active(file)']!) / KB;

  it('the recording: the page cache fills whole pageblocks (the scenario\'s `packed`), slab lies in pageblocks of its own', () => {
    assert.equal(blocks('after-cache').length, 503);
    assert.equal(lruFull('after-cache'), 411);
    // ext2's buffer heads and inodes (nr_slab_reclaimable +5,962) took reclaimable pageblocks of their own
    assert.equal(blocks('after-cache').filter((r) => r[4]! > 0).length, 25);
    assert.equal(blocks('after-cache').filter((r) => r[4]! > 0 && r[2]! > 0).length, 4);
  });

  it('the simulator\'s packed fill lays out as many whole pageblocks of page cache (± the 25 slab pageblocks it does not model)', () => {
    const m = runText(scenario(`fill DMA32 ${percent(filePages())}% file packed`), { until: 2 }).machine;
    let full = 0;
    for (let pb = 0x1000; pb + 512 <= 0x3ffe0; pb += 512) {
      let n = 0;
      for (const e of m.c.extentsIn(pb, pb + 512)) if (e.kind === 'file') n += Math.min(e.pfn + e.n, pb + 512) - Math.max(e.pfn, pb);
      if (n === 512) full++;
    }
    assert.ok(Math.abs(full - lruFull('after-cache')) <= 25, `${full} pageblocks of page cache, kernel ${lruFull('after-cache')}`);
    // a scattered fill (4-page units at random over the zone) has none: not the guest's layout
    const sc = runText(scenario(`fill DMA32 ${percent(filePages())}% file scattered`), { until: 2 }).machine;
    let scFull = 0;
    for (let pb = 0x1000; pb + 512 <= 0x3ffe0; pb += 512) {
      let n = 0;
      for (const e of sc.c.extentsIn(pb, pb + 512)) if (e.kind === 'file') n += Math.min(e.pfn + e.n, pb + 512) - Math.max(e.pfn, pb);
      if (n === 512) scFull++;
    }
    assert.equal(scFull, 0);
  });

  it('the recording: after 100 folios the high half of each emptied 1024-page pair is not an order-9 block (1-2 pages taken)', () => {
    const s100 = blocks('after-hugetlb-100');
    assert.equal(lay.snapshots['after-hugetlb-100']!.hugepages['hugepages-2048kB']!.nr, 100);
    const huge = s100.filter((r) => r[5] === 512);
    assert.equal(huge.length, 100);
    // pageblocks with no page cache left, 510-511 free buddy pages and the rest without flags
    const holed = s100.filter((r) => r[2] === 0 && r[5] === 0 && r[1]! >= 510 && r[1]! < 512 && r[1]! + r[7]! === 512);
    assert.equal(holed.length, 34);
    // each is the upper half of an order-10 pair whose lower half became a folio
    const hugeAt = new Set(huge.map((r) => r[0]));
    assert.equal(holed.filter((r) => r[0]! % 1024 === 512 && hugeAt.has(r[0]! - 512)).length, 34);
    const d = (k: string, prev: string, key: string): number => lay.snapshots[k]!.vmstat[key]! - lay.snapshots[prev]!.vmstat[key]!;
    assert.equal(d('after-hugetlb-100', 'after-cache', 'compact_stall'), 14);
    assert.equal(d('after-hugetlb-100', 'after-cache', 'pgmigrate_success'), 12);
    // 200 asked, 162 got: the first failure ends set_max_huge_pages with clean page cache left
    assert.equal(lay.snapshots['after-hugetlb-200']!.hugepages['hugepages-2048kB']!.nr, 162);
    assert.equal(lruFull('after-hugetlb-200'), 246);
    assert.equal(lay.snapshots['after-hugetlb-400']!.hugepages['hugepages-2048kB']!.nr, 400);
  });
});
