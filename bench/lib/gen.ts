// Generators shared by the bench scripts (bench/*.ts) and the figures of `npm run bench` (bench/figures.ts).
import type { MachineSpec, Operation, Target } from '../../src/sim/scenario.js';
import type { Machine, OpContext } from '../../src/sim/machine.js';
import type { OpResult } from '../../src/sim/api.js';

const L = { line: 1, col: 1, endLine: 1, endCol: 1 };
export const G = 262144; // pages per GiB

/** The 256 GiB machine of bench/sim.ts: DMA, DMA32 to 4 GiB, Normal 252 GiB, 8 CPUs, a 1 GiB CMA area, boot hugetlb. */
export function spec256G(): MachineSpec {
  return {
    pageblockOrder: 9, maxPageOrder: 10, memoryBlockPages: 2 * G, sectionPages: 32768, cpus: 8, memmapOnMemory: 'off', movableNode: false,
    nodes: [{
      nid: 0, loc: L, hotplug: [], reserved: [{ start: 0x9f, end: 0x100, loc: L }, { start: 0x1000, end: 0x1000 + 16384, loc: L }],
      zones: [
        { zone: 'DMA', start: 1, end: 0x1000, loc: L },
        { zone: 'DMA32', start: 0x1000, end: 0x100000, loc: L },
        { zone: 'Normal', start: 0x100000, end: 0x100000 + 252 * G, loc: L },
      ],
    }],
    cma: [{ name: 'cma0', start: 0x100000 + 200 * G, end: 0x100000 + 201 * G, orderPerBit: 0, loc: L }],
    hugetlb: [{ pages: 512, count: 1024, nid: null, loc: L }, { pages: G, count: 4, nid: null, loc: L }],
    virtioMem: [],
  };
}

/** The language bench's scenario: `ops` operations (alloc, page, alloc_contig_range, expect, free). */
export function languageScenario(ops: number): string {
  const lines = [`kernel 6.12
machine {
  cpus 4
  node 0 {
    zone DMA32  0x1000..0x100000
    zone Normal 0x100000..0x4000000
  }
}
`];
  for (let i = 0; i < ops; i++) {
    const pfn = 0x100000 + ((i * 0x200) % 0x3f00000);
    switch (i % 5) {
      case 0: lines.push(`alloc order ${i % 11} movable as a${i}`); break;
      case 1: lines.push(`page 0x${(pfn + 0x10).toString(16)} slab`); break;
      case 2: lines.push(`alloc_contig_range 0x${pfn.toString(16)}..0x${(pfn + 0x200).toString(16)} as r${i}`); break;
      case 3: lines.push(`expect r${i - 1} -EBUSY at 0x${(pfn - 0x200 + 0x10).toString(16)}`); break;
      case 4: lines.push(`free a${i - 4} cpu ${i % 4}`); break;
    }
  }
  return lines.join('\n') + '\n';
}

/** bench/scenario.ts's text: the 256 GiB layout filled (40% movable, 2% slab), then `n` seeded operations. */
export function scenario256G(n = 10000): string {
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)]!;
  const hex = (v: number) => '0x' + v.toString(16);
  const lines = [
    'kernel 6.12', 'seed 3', 'machine {', '  cpus 8', '  memory_block_size 2G', '  node 0 {',
    '    zone DMA 0x1..0x1000', '    zone DMA32 0x1000..0x100000', '    zone Normal 0x100000..0x4000000', '  }', '}',
    'fill Normal 40% movable', 'fill Normal 2% slab',
  ];
  const live: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = rand();
    if (k < 0.4) {
      lines.push(`alloc order ${pick([0, 0, 0, 1, 2, 3, 9, 10])} ${pick(['movable', 'unmovable', 'reclaimable'])} as a${i}`);
      live.push(`a${i}`);
    } else if (k < 0.7 && live.length) lines.push(`free ${live.splice(Math.floor(rand() * live.length), 1)[0]}`);
    else if (k < 0.8) {
      const p = 0x100000 + Math.floor(rand() * (0x3f00000 / 0x400)) * 0x400;
      lines.push(`alloc_contig_range ${hex(p)}..${hex(p + 0x400)}`);
    } else if (k < 0.9) lines.push('drain');
    else {
      const p = 0x100000 + Math.floor(rand() * (0x3f00000 / 0x200)) * 0x200;
      lines.push(`isolate ${hex(p)}..${hex(p + 0x200)}`, `unisolate ${hex(p)}..${hex(p + 0x200)}`);
      i++;
    }
  }
  lines.push('expect Normal.nr_isolate_pageblock == 0');
  return lines.join('\n') + '\n';
}

/** A 4 TiB machine of two 2 TiB nodes (DMA, DMA32 and Normal on node 0, Normal on node 1), filled `pct`%. */
export function scenario4T(pct = 60): string {
  return `kernel 6.12
seed 1
machine {
  cpus 8
  memory_block_size 2G
  node 0 {
    zone DMA    0x1..0x1000
    zone DMA32  0x1000..0x100000
    zone Normal 0x100000..0x20000000
  }
  node 1 {
    zone Normal 0x20000000..0x40000000
  }
}
fill Normal ${pct}% movable
fill Normal ${pct}% movable node 1
`;
}

/**
 * Runs operations on `m` to completion, labelled as a scenario labels them (`free NAME` finds NAME's pages) and,
 * as the scenario runner, strictly: a page NAME no longer owns is an error. Not strict, `free NAME` of a reclaimable
 * slab folio shrink_slab had dropped freed whatever the allocator had put there since (another label's folio, whose
 * own free then failed as a double free: pressure-256G's 2 failed frees of unmovable order-9 allocations).
 */
export function labelledRunner(m: Machine): (op: Operation, cpu: number, label: string) => OpResult {
  const labels = new Map<string, OpResult>();
  // one context, its cpu and label set per operation: each operation runs to its end before the next starts
  const ctx: OpContext = {
    cpu: 0, label: '', strictLabels: true,
    resolve: (t: Target) => (t.kind === 'pfn' ? [{ pfn: t.pfn, pages: 0 }] : labels.get(t.name)?.allocated ?? []),
  };
  return (op, cpu, label) => {
    ctx.cpu = cpu;
    ctx.label = label;
    const g = m.run(op, ctx);
    for (;;) { const r = g.next(); if (r.done) { labels.set(label, r.value); return r.value; } }
  };
}

/**
 * A text shaped like `mmscn import` of a big machine (src/import): the header comment, a machine block with a node of
 * three zones and `reserved` ranges, then `lines` top-level population statements (`pages A..B KIND`, `folio P order
 * N KIND`, `pageblock P TYPE every 0x200 count N`, `pageset`), each on its own pfns. Used by the bench and the test of
 * analyzeOnce's memory (test/unit/language/analyze-once.test.ts).
 */
export function importLikeScenario(lines: number): string {
  const hex = (v: number) => '0x' + v.toString(16);
  const normalEnd = 0x100000 + Math.max(1, Math.ceil((lines * 0x40) / 0x40000)) * 0x40000;
  const out = [
    '# Imported by `mmscn import` (generated: bench/lib/gen.ts importLikeScenario)',
    'kernel latest', '', 'machine {', '  cpus 8', '  pageblock_order 9', '  max_page_order 10', '  config_cma off', '  memory_block_size 128M',
    '  node 0 {', '    zone DMA 0x1..0x1000', '    hole 0x9f..0x100', '    reserved 0x1..0x9f', '    zone DMA32 0x1000..0x100000',
    '    reserved 0x11ff..0x1200', '    reserved 0x13ff..0x1400', `    zone Normal 0x100000..${hex(normalEnd)}`, '  }', '}', '',
    'pageset DMA32 node 0 high 1443 batch 63', 'pageset Normal node 0 high 1443 batch 63',
    'pageblock 0x1000 unmovable every 0x200 count 9',
  ];
  const kinds = ['file', 'kernel', 'slab', 'anon', 'pagetable', 'pcp cpu 1', 'slab every 0x40 count 1'];
  // each statement owns 0x40 pages from 0x100000 up: pages runs, order-4 folios, and now and then a pageblock type
  for (let i = 0; i < lines; i++) {
    const p = 0x100000 + i * 0x40;
    const r = i % 7;
    if (r === 3) out.push(`folio ${hex(p)} order 4 ${kinds[i % 4]}`);
    else if (r === 5 && (p & 0x1ff) === 0) out.push(`pageblock ${hex(p)} movable`);
    else out.push(`pages ${hex(p + (i % 5))}..${hex(p + 0x11 + (i % 13))} ${kinds[i % 7]}`);
  }
  return out.join('\n') + '\n';
}
