// What keeps kswapd's emptied pageblock pairs from being order-9 free blocks, checked against the real kernel:
// test/fixtures/oracle/p-pagecache-strays.json is Debian's 6.12.117 under qemu (1 GiB, 1 CPU, no swap; case script
// in test/fixtures/oracle/cases/), p-pagecache-layout's fill and nr_hugepages=100 with the kmem page events traced
// from before the fill to after the last scan.
//
// The pages are ext2's indirect blocks. The file system is ext2 (driven by ext4's indirect-block code: no extents), so
// every 1024 data blocks of the file need one indirect block; ext4_ind_map_blocks() → __getblk_slow() puts it in the
// block device's page cache (grow_dev_folio(): GFP_NOFS|__GFP_NOFAIL|__GFP_HARDWALL|__GFP_MOVABLE, a movable
// page-cache page), allocated by dd in the middle of the data pages. So the packed fill holds one metadata page per
// 1025 pages, and each 1024-page pair one of them (its offset moves up by one page per pair). The page is accessed once
// per block mapped through it (touch_buffer → folio_mark_accessed), and 6.12's MGLRU (CONFIG_LRU_GEN_ENABLED=y) keeps
// such a page in a higher tier: kswapd evicts the data pages around it and not it (the trace has no kswapd free of
// any of them). The folio takes the pair's low half; the high half is 511 free pages and the metadata page: no free
// order-9 page, so the next folio needs compaction, which migrates it (it is movable). The scans after the resize see
// a page with no flags at all there: kcompactd migrated the metadata page away after the resize returned, and the
// freed source page sits on the pcp list (mm_page_free by kcompactd0, no mm_page_pcpu_drain after it).
//
// The simulator has no file-system metadata: the scenario places it (`pages … file active every 1025`, before the
// packed fill; `active` stands for MGLRU's protection, which the simulator does not model). With it the simulator
// stalls in compaction about as often as the kernel did; without it, never.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultOf, runText } from './helpers.js';
import { guest1G } from './oracle-replay.js';

interface Snap { vmstat: Record<string, number>; meminfo: Record<string, number>; zoneinfo: Record<string, { free: number; pcp_count?: number; spanned: number }>; pbscan: string[]; strays: string[]; trace: string[]; hist: string[] }
const rec = JSON.parse(readFileSync(join(__dirname, '../../fixtures/oracle/p-pagecache-strays.json'), 'utf8')) as { snapshots: Record<string, Snap> };
const hugetlbRec = JSON.parse(readFileSync(join(__dirname, '../../fixtures/oracle/p-pagecache-hugetlb.json'), 'utf8')) as { snapshots: Record<string, Snap> };
const snap = (k: string): Snap => rec.snapshots[k]!;
const KB = 4;
const BDEV_GFP = 'GFP_NOFS|__GFP_NOFAIL|__GFP_COMP|__GFP_HARDWALL|__GFP_MOVABLE';

/** the trace's events per stray pfn (stack lines dropped) */
function events(): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let cur: string[] | null = null;
  for (const l of snap('trace').trace) {
    const m = /^PFN (\d+) events=/.exec(l);
    if (m) out.set(Number(m[1]), (cur = []));
    else if (cur && !/^\s*=>/.test(l)) cur.push(l);
  }
  return out;
}
/** [pfn, buddy, lru, active, slab, huge, referenced, noflags] per pageblock */
const pbscan = (k: string): Map<number, number[]> => new Map(snap(k).pbscan.map((l) => l.split(' ').map(Number)).filter((r) => r.length === 8).map((r) => [r[0]!, r]));

describe('oracle p-pagecache-strays (6.12.117): what kswapd leaves in each emptied pair of pageblocks', function () {
  this.timeout(120_000);
  const ev = events();
  // the single non-buddy page of a pageblock whose other 511 pages are free buddy pages
  const strays = snap('after-hugetlb-100').strays.map((l) => l.split(' ').map(Number)).filter((r) => r.length === 6 && r[5] === 511);
  const single = strays.map((r) => r[0]!);

  it('the recording: each is the high half of a pair whose low half became a folio, one page with no flags', () => {
    assert.equal(single.length, 17);
    const after = pbscan('after-hugetlb-100');
    for (const r of strays) {
      const pb = r[4]!;
      assert.equal(pb % 1024, 512, `pageblock 0x${pb.toString(16)}`);
      assert.equal(after.get(pb - 512)![5], 512, `low half of 0x${pb.toString(16)} is a hugetlb folio`);
      assert.deepEqual([r[1], r[2]], [0, 0]); // kpageflags: no flag at all (kpagecount is the mapcount: 0)
    }
  });

  it('the recording: they are ext2 indirect blocks — block-device page cache allocated by dd between the data pages, never reclaimed by kswapd', () => {
    for (const pfn of single) {
      const e = ev.get(pfn)!;
      const alloc = e.filter((l) => /\bdd-\d+ .* mm_page_alloc: /.test(l));
      assert.equal(alloc.length, 1, `0x${pfn.toString(16)}: ${e.join('\n')}`);
      assert.ok(alloc[0]!.includes(`gfp_flags=${BDEV_GFP}`), alloc[0]);
      assert.ok(!e.some((l) => /kswapd\d+-\d+ .* mm_page_free: /.test(l)), `0x${pfn.toString(16)} freed by kswapd`);
      // after the resize kcompactd migrated it away: the source page went to the pcp list and stayed there
      const free = e.findIndex((l) => /kcompactd\d+-\d+ .* mm_page_free: /.test(l));
      assert.ok(free >= 0, `0x${pfn.toString(16)}: ${e.join('\n')}`);
      assert.ok(!e.slice(free).some((l) => /mm_page_(pcpu_drain|alloc)/.test(l)));
    }
    // after the fill the pairs were page cache through and through: 512 LRU pages, one of them referenced
    const cache = pbscan('after-cache');
    for (const r of strays) assert.deepEqual([cache.get(r[4]!)![2], cache.get(r[4]!)![6]], [512, 1]);
    // the allocation site: ext4_ind_map_blocks → __getblk_slow, once per 1024 data pages of the file
    const blocks = snap('trace').hist.join('\n').split(/^\{/m);
    const hits = (f: (b: string) => boolean): number => Number(/hitcount:\s+(\d+)/.exec(blocks.find(f)!)![1]);
    const n = hits((b) => b.includes('__getblk_slow') && b.includes('ext4_ind_map_blocks') && !b.includes('alloc_buffer_head'));
    // the data pages dd wrote (ext4_write_begin → __filemap_get_folio): 12 direct blocks, then an indirect block for
    // the next 1024, then the double-indirect block and one indirect block per further 1024
    const data = hits((b) => b.includes('__filemap_get_folio') && b.includes('ext4_write_begin') && !b.includes('getblk'));
    assert.equal(data, 211_456);
    assert.equal(n, 208);
    assert.equal(n, 2 + Math.ceil((data - 12 - 1024) / 1024));
    // one per 1025 pages of the fill: consecutive strays are a whole number of 1025-page periods apart
    for (let i = 1; i < single.length; i++) assert.equal((single[i]! - single[i - 1]!) % 1025, 0, `0x${single[i]!.toString(16)}`);
  });

  // p-pagecache-hugetlb: the same fill (216,695 pages of page cache, so 211 indirect blocks at one per 1025) and one
  // resize to 400, which the kernel met with 170 compaction stalls
  const h = hugetlbRec.snapshots;
  const d = (k: string): number => h['after-hugetlb-cache']!.vmstat[k]! - h['after-cache']!.vmstat[k]!;
  const filePages = (h['after-cache']!.meminfo['Inactive(file)']! + h['after-cache']!.meminfo['Active(file)']!) / KB;
  const before = h['before']!.zoneinfo.DMA32!;
  const kernelUsed = before.spanned - before.free - (before.pcp_count ?? 0);
  const DMA32_PAGES = 0x3ffe0 - 0x1000;
  const start = 0x1000 + kernelUsed;
  const scenario = (metadata: boolean): string => `${guest1G()}pages 0x1000..0x${start.toString(16)} kernel
${metadata ? `pages 0x${(start + 12).toString(16)}..0x${(start + 13).toString(16)} file active every 1025 count ${Math.round(filePages / 1025)}\n` : ''}fill DMA32 ${Math.round((100 * filePages) / DMA32_PAGES)}% file packed
hugetlb 2M resize 400 as h
`;

  it('the simulator with one metadata page per 1025 pages of the fill compacts as often as the kernel did (170 stalls ± 15%); without them it never does', () => {
    assert.equal(d('compact_stall'), 170);
    const out = runText(scenario(true));
    assert.equal(resultOf(out, 'h').ok, true);
    assert.equal(out.machine.c.vm.htlb_buddy_alloc_success, 400);
    const stalls = out.machine.c.vm.compact_stall;
    assert.ok(Math.abs(stalls - 170) <= 0.15 * 170, `simulator ${stalls} compaction stalls, kernel 170`);
    // not compared: the kernel migrated 20,200 pages (55,305 isolated; direct compaction and kcompactd together) and
    // failed 20 of its stalls; the simulator migrates little more than the metadata pages themselves and fails none.
    // Why: test/unit/sim/oracle-compaction-volume.test.ts (a traced boot: most direct runs migrate 1-2 pages, as here;
    // the volume is pageblocks kswapd had partly reclaimed, movable memory the scenario has as `kernel`, kcompactd)
    assert.equal(d('pgmigrate_success'), 20_200);
    assert.ok(out.machine.c.vm.pgmigrate_success < d('pgmigrate_success') / 10, `${out.machine.c.vm.pgmigrate_success}`);
    const bare = runText(scenario(false));
    assert.equal(bare.machine.c.vm.compact_stall, 0);
  });
});
// Not reproduced, with the metadata in place: how much compaction migrates (kernel 20,200 pages for 400 folios,
// simulator ~630; the cause: oracle-compaction-volume.test.ts), compaction failures (kernel 20, simulator 0) and p-pagecache-layout's stop at 162 when
// asked for 200 after 100 (the simulator gets all 200). The kernel's direct compaction also moves the page cache that
// kswapd has not reached yet; and MGLRU's generations and tiers (which pages kswapd evicts first, which it protects)
// are not modelled: the simulator's kswapd reclaims the inactive list in LRU order, with `active` standing in for
// MGLRU's protection of the metadata pages.
