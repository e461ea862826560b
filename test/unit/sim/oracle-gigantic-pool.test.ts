// Replay of test/fixtures/oracle/h-gigantic-pool.json (cases/h-gigantic-pool.sh, Debian 6.12.117 under qemu, 1 CPU):
// the 4 GiB pc machine of f-pci-hole (3 GiB below the PCI hole, 1 GiB at 4 GiB) plus two coldplugged 1 GiB DIMMs,
// blocks 40-47 onlined kernel (ZONE_NORMAL 4-6 GiB) and 48-55 onlined movable (ZONE_MOVABLE 6-7 GiB). Then the
// 1 GiB pool grows and shrinks, with the 2 MiB pool grown and shrunk in between.
// - Gigantic folios: alloc_gigantic_folio → folio_alloc_gigantic → alloc_contig_pages(htlb_alloc_mask = GFP_HIGHUSER,
//   since hugepage_movable_supported() is false for a gigantic hstate): the zonelist of ZONE_NORMAL, so ZONE_MOVABLE
//   (entirely free, 1 GiB aligned) is never used; a candidate range with a PageReserved or PageHuge page is skipped
//   (pfn_range_valid_contig, mm/page_alloc.c). Normal's [4G,5G) holds the memblock allocations at the top of memory,
//   DMA32's [2G,3G) the swiotlb buffer (64 MiB, memblock top-down below 4 GiB; h-reserved-scan.json counts 16384 + 32
//   PageReserved pages in memory23), so only [5G,6G) and [1G,2G) can hold one: the kernel never had more than 2.
// - Shrink: the last folio allocated goes first (enqueue_hugetlb_folio adds at the head of the freelist,
//   remove_pool_hugetlb_folio takes the head); a gigantic folio returns to the buddy as 256 order-10 blocks.
// - Free counts are the buddy's plus the per-cpu lists' (order-9 frees go to the pcp: free_unref_page), compared
//   within TOL pages (the kernel's own small allocations).
import assert from 'node:assert/strict';
import { loadRecording, pc4G } from './oracle-replay.js';
import { runText } from './helpers.js';

interface HSnap { hugepages: Record<string, { nr: number; free: number }> }
const rec = loadRecording('h-gigantic-pool');
const snaps = rec.snapshots as unknown as Record<string, HSnap & { zoneinfo: Record<string, { free: number }> }>;
const G = 262144;
/** free pages a step may differ by from the kernel's (its own allocations: slab, page tables; the recording differs by 38 at most) */
const TOL = 64;

// the machine of f-pci-hole (managed as the kernel's, the swiotlb buffer under the PCI hole) plus the two DIMMs
const machine = `${pc4G('hotplug 0x140000..0x180000 offline\n    hotplug 0x180000..0x1c0000 offline')}${Array.from({ length: 8 }, (_, i) => `online block ${40 + i} online_kernel`).join('\n')}
${Array.from({ length: 8 }, (_, i) => `online block ${48 + i} online_movable`).join('\n')}
`;

/** the case's steps after onlining, each followed by the snapshot the guest took after it */
const STEPS: [string, string][] = [
  ['hugetlb 1G resize 1', 'g1'],
  ['hugetlb 1G resize 2', 'g2'],
  ['hugetlb 1G resize 4', 'g4'],
  ['hugetlb 1G resize 1', 'g4-to-1'],
  ['hugetlb 2M resize 800', 'm800'],
  ['hugetlb 1G resize 3', 'm800-g3'],
  ['hugetlb 2M resize 300', 'm300'],
  ['hugetlb 1G resize 3', 'm300-g3'],
  ['hugetlb 1G resize 0', 'g0'],
  ['hugetlb 2M resize 0', 'm0'],
];
const ZONES = ['DMA32', 'Normal', 'Movable'];

function freeAt(n: number): Record<string, number> {
  const out = runText(machine + STEPS.slice(0, n).map((s) => s[0]).join('\n') + '\n');
  return Object.fromEntries(out.machine.zones().filter((z) => ZONES.includes(z.zone)).map((z) => [z.zone, z.free + z.pcp.reduce((n, p) => n + p.count, 0)]));
}
/** free pages in the buddy and on the per-cpu lists (zoneinfo `pages free` + pcp `count`): alloc_contig_range's
 *  drain_all_pages and order-9 frees onto the pcp move pages between the two */
const recFree = (label: string) => Object.fromEntries(ZONES.map((z) => [z, snaps[label]!.zoneinfo[z]!.free + (snaps[label]!.zoneinfo[z] as unknown as { pcp_count: number }).pcp_count]));

describe('oracle h-gigantic-pool: 1 GiB pool grow/shrink next to ZONE_MOVABLE (6.12.117)', () => {
  it('the recording: the kernel got 2 gigantic folios at most, from Normal then DMA32, never Movable', () => {
    assert.deepEqual(STEPS.map((s) => s[1]), rec.snapshot_order.slice(2));
    // h-reserved-scan (same machine at boot, /proc/kpageflags): [1G,2G) all free, memory23 (0xb8000..0xc0000) holds
    // the swiotlb buffer and the e820 hole as PageReserved, memory39 the 18744 memblock pages at the top
    const scan = (loadRecording('h-reserved-scan').snapshots as unknown as Record<string, { pfnscan: { blocks: Record<string, { buddy: number; reserved: number }> } }>);
    for (let b = 8; b < 16; b++) assert.equal(scan.boot!.pfnscan.blocks[`memory${b}`]!.buddy, 32768);
    assert.equal(scan.boot!.pfnscan.blocks.memory23!.reserved, 16384 + 32);
    assert.equal(scan.boot2!.pfnscan.blocks.memory39!.reserved, 262144 - 243400);
    const d = (a: string, b: string, z: string) => recFree(b)[z]! - recFree(a)[z]!;
    assert.ok(Math.abs(d('online', 'g1', 'Normal') + G) < TOL);
    assert.ok(Math.abs(d('g1', 'g2', 'DMA32') + G) < TOL);
    assert.equal(snaps.g4!.hugepages['hugepages-1048576kB']!.nr, 2);
    assert.ok(Math.abs(d('g2', 'g4-to-1', 'DMA32') - G) < TOL);
  });

  it('nr_hugepages and free_hugepages of both sizes after every step match the kernel', () => {
    let text = machine;
    for (const [op, label] of STEPS) {
      text += op + '\n';
      for (const [size, key] of [['1G', 'hugepages-1048576kB'], ['2M', 'hugepages-2048kB']] as const) {
        const h = snaps[label]!.hugepages[key]!;
        text += `expect hugetlb ${size} total == ${h.nr}\nexpect hugetlb ${size} free == ${h.free}\n`;
      }
    }
    const out = runText(text);
    assert.deepEqual(out.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    assert.equal(out.expectations.length, STEPS.length * 4);
  });

  it(`every zone's free count changes by the kernel's amount at every step (within ${TOL} pages)`, () => {
    let prev = freeAt(0);
    let prevRec = recFree('online');
    const bad: string[] = [];
    STEPS.forEach(([op, label], i) => {
      const now = freeAt(i + 1);
      const nowRec = recFree(label);
      for (const z of ZONES) {
        const got = now[z]! - prev[z]!;
        const want = nowRec[z]! - prevRec[z]!;
        if (Math.abs(got - want) > TOL) bad.push(`${label} (${op}): ${z} free changed by ${got}, kernel ${want}`);
      }
      prev = now;
      prevRec = nowRec;
    });
    assert.deepEqual(bad, []);
  });

  it(`after shrinking both pools every zone's free count is back to the kernel's (within ${TOL} pages of its boot-to-online difference)`, () => {
    const online = freeAt(0);
    const end = freeAt(STEPS.length);
    for (const z of ZONES) {
      const want = recFree('m0')[z]! - recFree('online')[z]!;
      assert.ok(Math.abs(end[z]! - online[z]! - want) <= TOL, `${z}: simulator ${end[z]! - online[z]!}, kernel ${want}`);
    }
  });
});
