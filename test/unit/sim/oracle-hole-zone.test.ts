// The zone and flags of a hole's pages against the real kernel (Debian 6.12.117 under qemu, test/fixtures/oracle/).
// memmap_init() (mm/mm_init.c) initialises every hole page of a present section with init_unavailable_range(), which
// prints "On node N, zone Z: K pages in unavailable ranges" for each hole: Z is the zone (page_zone()) it gave them.
// The machine of each recording is built from its own boot log (zone ranges, early memory node ranges), so the test
// compares the simulator's validZone() of every hole page with the zone the kernel printed, hole by hole:
// - f-pci-hole: the 32-page e820 hole under the PCI hole (0xbffe0..0xc0000) is Normal — the next memory range's zone
//   (4 GiB), not DMA32 whose memory precedes it;
// - a-default-online, q-compact-memory: the hole after the last range, to its section end, is DMA32 (the last node's
//   highest populated zone);
// - g-numa-offline: the same hole on node 1 is node 1's DMA32;
// - all: pfn 0 (before the first range, 1 page) and 0x9f..0x100 (97 pages) are DMA.
// And /proc/kpageflags: init_unavailable_range() sets PG_reserved on them (h-reserved-scan's pfnscan of memory23).
import assert from 'node:assert/strict';
import { runText } from './helpers.js';
import { loadRecording, pc4G } from './oracle-replay.js';
import { sectionHasMemmap, validZone } from '../../../src/sim/isolation.js';
import { countKpageflags } from '../../../src/sim/kpageflags.js';
import type { Core } from '../../../src/sim/core.js';

const hex = (n: number): string => '0x' + n.toString(16);

/** the machine the kernel laid out, from its boot log: zone ranges clamped to each node's span, gaps as holes */
function machineFromBoot(dmesg: string[]): string {
  const zones: { name: string; lo: number; hi: number }[] = [];
  const ranges = new Map<number, [number, number][]>();
  for (const l of dmesg) {
    const z = /\]\s+(DMA|DMA32|Normal)\s+\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]/.exec(l);
    if (z) zones.push({ name: z[1]!, lo: Number(BigInt(z[2]!) >> 12n), hi: Number((BigInt(z[3]!) + 1n) >> 12n) });
    const n = /\]\s+node\s+(\d+): \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]/.exec(l);
    if (n) {
      const nid = Number(n[1]);
      if (!ranges.has(nid)) ranges.set(nid, []);
      ranges.get(nid)!.push([Number(BigInt(n[2]!) >> 12n), Number((BigInt(n[3]!) + 1n) >> 12n)]);
    }
  }
  let text = 'kernel 6.12\nmachine {\n  memory_block_size 128M\n  cpus 1\n';
  for (const [nid, rs] of ranges) {
    const ns = rs[0]![0], ne = rs[rs.length - 1]![1];
    text += `  node ${nid} {\n`;
    // zone_spanned_pages_in_node(): the zone's range clamped to the node's span
    for (const z of zones) {
      const a = Math.max(z.lo, ns), b = Math.min(z.hi, ne);
      if (a < b) text += `    zone ${z.name} ${hex(a)}..${hex(b)}\n`;
    }
    for (let i = 1; i < rs.length; i++) text += `    hole ${hex(rs[i - 1]![1])}..${hex(rs[i]![0])}\n`;
    text += '  }\n';
  }
  return text + '}\n';
}

/** the kernel's lines, in boot order */
function kernelHoles(dmesg: string[]): string[] {
  return dmesg.map((l) => /On node (\d+), zone (\w+): (\d+) pages in unavailable ranges/.exec(l))
    .filter((m) => m).map((m) => `node ${m![1]} ${m![2]}: ${m![3]}`);
}

/** the simulator's: each run of pfns in no zone inside a present section, with validZone() of its pages */
function simHoles(c: Core): string[] {
  const out: string[] = [];
  const sp = c.spec.sectionPages;
  let top = 0;
  for (const n of c.spec.nodes) for (const z of n.zones) top = Math.max(top, z.end);
  top = Math.ceil(top / sp) * sp;
  let run: { nid: number; zone: string; n: number } | null = null;
  for (let p = 0; p <= top; p++) {
    const hole = p < top && c.zoneOf(p) === null && sectionHasMemmap(c, p);
    if (!hole) {
      if (run) out.push(`node ${run.nid} ${run.zone}: ${run.n}`);
      run = null;
      // skip memory a section at a time where possible
      continue;
    }
    const z = validZone(c, p);
    assert.ok(z, `no zone for hole page ${hex(p)}`);
    if (run && (run.nid !== z.nid || run.zone !== z.name)) throw new Error(`hole run changes zone at ${hex(p)}`);
    if (run) run.n++;
    else run = { nid: z.nid, zone: z.name, n: 1 };
  }
  return out;
}

describe('oracle: the zone of hole pages (memmap_init → init_unavailable_range, 6.12.117)', () => {
  for (const name of ['f-pci-hole', 'a-default-online', 'q-compact-memory', 'g-numa-offline']) {
    it(`${name}: every hole's zone and size as the kernel printed them`, () => {
      const dmesg = loadRecording(name).boot.dmesg;
      const want = kernelHoles(dmesg);
      assert.ok(want.length >= 3, `${name}: the recording has the unavailable-ranges lines`);
      assert.deepEqual(simHoles(runText(machineFromBoot(dmesg)).machine.c), want);
    });
  }
  it('the boot-log machine of f-pci-hole is the pc4G machine the other replays use (same zones and holes)', () => {
    const a = runText(machineFromBoot(loadRecording('f-pci-hole').boot.dmesg)).machine.c;
    const b = runText(pc4G()).machine.c;
    assert.deepEqual(a.spec.nodes.map((n) => n.zones.map((z) => [z.zone, z.start, z.end])), b.spec.nodes.map((n) => n.zones.map((z) => [z.zone, z.start, z.end])));
    assert.deepEqual(simHoles(a), simHoles(b));
  });
  it('h-reserved-scan: /proc/kpageflags shows the 32 hole pages of memory23 PG_reserved (with the 16384 of swiotlb)', () => {
    const scan = loadRecording('h-reserved-scan').snapshots as unknown as Record<string, { pfnscan: { blocks: Record<string, Record<string, number>> } }>;
    const kernel = scan.boot!.pfnscan.blocks.memory23!;
    const c = runText(pc4G()).machine.c;
    const count = (kind: 'reserved' | 'nopage'): number => {
      const r = countKpageflags(c, 23 * 32768, 24 * 32768, kind, c.spec.sectionPages);
      assert.ok('count' in r, 'unknown' in r ? r.unknown : '');
      return r.count;
    };
    assert.equal(count('reserved'), kernel.reserved);
    assert.equal(count('nopage'), kernel.nopage);
    // the hole pages alone: reserved in the kernel (16416 - 16384 swiotlb pages), and in the simulator's count
    const holeOnly = countKpageflags(c, 0xbffe0, 0xc0000, 'reserved', c.spec.sectionPages);
    assert.deepEqual(holeOnly, { count: 32 });
  });
  it('`expect page P reserved` holds for a hole page of a present section, as /proc/kpageflags shows it', () => {
    const o = runText(`${pc4G()}expect page 0xbffe0 reserved
expect page 0xbffff reserved
expect page 0x9f reserved
`);
    assert.deepEqual(o.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    // a hole outside every present section has no page at all (KPF_NOPAGE): not reserved
    const no = runText(`${pc4G()}expect page 0xc0000 reserved
`);
    assert.equal(no.expectations[0]!.ok, false);
  });
});
