// The memmap of hot-added memory without memmap_on_memory comes from the page allocator
// (sparse_add_section → section_activate → populate_section_memmap → x86 vmemmap_populate_hugepages:
// one order-9 vmemmap_alloc_block per 128 MiB section) and goes back at remove (section_deactivate).
// Checked against two recordings of 6.12.117 made with ../shared/oracle/harness for this test
// (test/fixtures/oracle/cases/e-hotadd-*.sh): a 512 MiB DIMM hot-added with device_add, onlined movable,
// offlined, and removed with device_del.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/language/index.js';
import type { Machine } from '../../../src/sim/machine.js';
import { runText as runOutcome, resultOf } from './helpers.js';

const oracle = JSON.parse(readFileSync(join(__dirname, '../../fixtures/oracle/hotadd-memmap.json'), 'utf8')) as {
  cases: Record<string, { snapshots: Record<string, Record<string, [number, number, number, number, number]>> }>;
};
/** free + pcp pages of a zone in a recorded snapshot (the memmap is freed to the pcp lists: order 9 is a pcp order) */
const kfree = (c: string, snap: string, zone: string): number => {
  const z = oracle.cases[c]!.snapshots[snap]![zone]!;
  return z[0] + z[1];
};

const runText = (text: string, until?: number): Machine => runOutcome(text, { until }).machine;
/** NR_FREE_PAGES + pcp pages of a zone */
function sfree(m: Machine, zone: string): number {
  const z = m.zones().find((x) => x.zone === zone)!;
  return z.free + z.pcp.reduce((n, p) => n + p.count, 0);
}
const machine1g = (hotplug: string, extra = '') => `machine {
  memory_block_size 128M
  cpus 1
  ${extra}
  node 0 {
    zone DMA 0x1..0x1000
    zone DMA32 0x1000..0x3ffe0
    ${hotplug}
  }
}
`;
const OPS = `add_memory 0x100000..0x120000 node 0
online block 32 online_movable
offline block 32
remove_memory 0x100000..0x120000
`;

describe('hot-add: the memmap comes from the page allocator (memmap_on_memory off)', () => {
  it('1 GiB machine (no ZONE_NORMAL): add takes 4 × order 9 from DMA32, remove gives them back — as 6.12 did', () => {
    const text = machine1g('hotplug 0x100000..0x120000 absent') + OPS;
    const before = sfree(runText(text, 0), 'DMA32');
    const added = runText(text, 1);
    assert.equal(before - sfree(added, 'DMA32'), 2048);
    // the kernel: free + pcp dropped by 2048 (± its own background allocations)
    const kd = kfree('e-hotadd-1g', 'before', 'DMA32') - kfree('e-hotadd-1g', 'after-add', 'DMA32');
    assert.ok(Math.abs(kd - 2048) < 64, `kernel delta ${kd}`);
    // the memmap is unmovable kernel memory in DMA32
    const kernelPages = [...added.c.ext.values()].filter((e) => e.kind === 'kernel' && e.owner?.startsWith('memmap of'));
    assert.equal(kernelPages.reduce((n, e) => n + e.n, 0), 2048);
    for (const e of kernelPages) assert.equal(added.c.zoneOf(e.pfn)!.name, 'DMA32');
    const removed = runText(text, 4);
    assert.equal(sfree(removed, 'DMA32'), before);
    const kr = kfree('e-hotadd-1g', 'after-remove', 'DMA32') - kfree('e-hotadd-1g', 'after-offline-32', 'DMA32');
    assert.ok(Math.abs(kr - 2048) < 64, `kernel delta at remove ${kr}`);
  });

  it('5 GiB machine: the memmap comes from ZONE_NORMAL; DMA32 is untouched (exactly, as recorded)', () => {
    const text = `machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone DMA 0x1..0x1000
    zone DMA32 0x1000..0xc0000
    zone Normal 0x100000..0x180000
    hotplug 0x180000..0x1a0000 absent
  }
}
add_memory 0x180000..0x1a0000 node 0
`;
    const m0 = runText(text, 0);
    const m1 = runText(text, 1);
    assert.equal(sfree(m0, 'Normal') - sfree(m1, 'Normal'), 2048);
    assert.equal(sfree(m0, 'DMA32'), sfree(m1, 'DMA32'));
    assert.equal(kfree('e-hotadd-5g', 'before', 'DMA32'), kfree('e-hotadd-5g', 'after-add', 'DMA32'));
    const kd = kfree('e-hotadd-5g', 'before', 'Normal') - kfree('e-hotadd-5g', 'after-add', 'Normal');
    assert.ok(Math.abs(kd - 2048) < 128, `kernel delta ${kd}`);
  });

  it('memmap_on_memory: the block hosts its own memmap, nothing comes from the allocator', () => {
    const text = machine1g('hotplug 0x100000..0x120000 absent', 'memmap_on_memory on') + 'add_memory 0x100000..0x120000 node 0\n';
    assert.equal(sfree(runText(text, 0), 'DMA32') - sfree(runText(text, 1), 'DMA32'), 0);
  });

  it('no memory for the memmap: add_memory fails -ENOMEM and adds nothing', () => {
    const text = machine1g('hotplug 0x100000..0x120000 absent') + `fill DMA32 100% unmovable packed
fill DMA 100% unmovable packed
add_memory 0x100000..0x120000 node 0 as a
expect a -ENOMEM
`;
    const out = runOutcome(text);
    assert.ok(out.expectations.every((e) => e.ok), JSON.stringify(out.expectations));
    assert.equal(out.machine.hp.blocks.has(32), false);
    assert.equal(out.machine.checkInvariants().length, 0);
  });

  it('a coldplugged DIMM pays for its memmap at boot; an imported one already has (its pages are in the capture)', () => {
    const cold = sfree(runText(machine1g('hotplug 0x100000..0x120000 offline'), 0), 'DMA32');
    const imported = sfree(runText(machine1g('hotplug 0x100000..0x120000 offline imported'), 0), 'DMA32');
    const none = sfree(runText(machine1g(''), 0), 'DMA32');
    assert.equal(none - cold, 2048);
    assert.equal(imported, none);
  });

  // x86 vmemmap_populate_hugepages → vmemmap_pud_populate(): a vmemmap PUD entry maps one PMD table = the struct
  // pages of 2^24 pfns (64 GiB). The recordings add at 4 GiB and 6 GiB, inside the table boot memory already
  // populated: no page-table page there (their deltas beyond 2048, +20 and +63 pages, are the kernel's other
  // allocations of an add: memory block devices, sysfs, ACPI). Memory added in a fresh 64 GiB region needs a
  // zeroed order-0 page for the table first (vmemmap_alloc_block_zero(PAGE_SIZE), never from the altmap), which
  // free_pmd_table() gives back at remove once the table is empty.
  const far = (extra = '') => machine1g('hotplug 0x1000000..0x1040000 absent', extra);
  const farOps = `add_memory 0x1000000..0x1020000 node 0
add_memory 0x1020000..0x1040000 node 0
remove_memory 0x1020000..0x1040000
remove_memory 0x1000000..0x1020000
`;
  it('memory added at 64 GiB: one more page for the vmemmap PMD table, once; freed with the last PMD in it', () => {
    const text = far() + farOps;
    const f = (n: number) => sfree(runText(text, n), 'DMA32');
    assert.equal(f(0) - f(1), 2048 + 1);
    assert.equal(f(1) - f(2), 2048); // same table
    assert.equal(f(3) - f(2), 2048); // the table still holds the first add's PMDs
    assert.equal(f(4), f(0));
    const tables = [...runText(text, 1).c.ext.values()].filter((e) => e.kind === 'kernel' && e.owner?.startsWith('vmemmap PMD table'));
    assert.equal(tables.reduce((n, e) => n + e.n, 0), 1);
  });
  it('memory added at 64 GiB with memmap_on_memory: the table page still comes from the allocator', () => {
    const text = far('memmap_on_memory on') + farOps;
    assert.equal(sfree(runText(text, 0), 'DMA32') - sfree(runText(text, 1), 'DMA32'), 1);
  });

  it('`imported` on an absent range is an error at its line', () => {
    const a = analyze(machine1g('hotplug 0x100000..0x120000 absent imported'));
    const e = a.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(e.length, 1);
    assert.match(e[0]!.message, /imported/);
    assert.equal(e[0]!.loc.line, 8);
  });
});

describe('memmap_on_memory and the size of the add (mhp_supports_memmap_on_memory)', () => {
  const text = (kernel: string, range: string) => `kernel ${kernel}
machine {
  memory_block_size 128M
  cpus 1
  memmap_on_memory on
  node 0 {
    zone DMA 0x1..0x1000
    zone DMA32 0x1000..0x3ffe0
    hotplug 0x100000..0x120000 absent
  }
}
add_memory ${range} node 0
`;
  const blocks = (m: Machine) => [...m.hp.blocks.values()].filter((b) => b.hotplugged).map((b) => b.vmemmap);
  it('6.12: a 512 MiB add gets an altmap in every block; nothing from the allocator', () => {
    const m0 = runText(text('6.12', '0x100000..0x120000'), 0), m = runText(text('6.12', '0x100000..0x120000'));
    assert.deepEqual(blocks(m), [512, 512, 512, 512]);
    assert.equal(sfree(m0, 'DMA32') - sfree(m, 'DMA32'), 0);
  });
  it('6.1: only an add of exactly one memory block self-hosts; a 512 MiB add takes its memmap from DMA32', () => {
    const m0 = runText(text('6.1', '0x100000..0x120000'), 0), m = runText(text('6.1', '0x100000..0x120000'));
    assert.deepEqual(blocks(m), [0, 0, 0, 0]);
    assert.equal(sfree(m0, 'DMA32') - sfree(m, 'DMA32'), 2048);
    assert.deepEqual(blocks(runText(text('6.1', '0x100000..0x108000'))), [512]);
  });
});

describe('memhp_default_state: add_memory_resource onlines what it adds', () => {
  const text = (state: string, hotplug: string, op = '') => `policy memhp_default_state = ${state}
${machine1g(hotplug)}${op}`;
  const states = (m: Machine) => [...m.hp.blocks.values()].filter((b) => b.hotplugged).map((b) => `${b.state} ${b.zone ?? ''}`.trim());
  it('offline (default): added blocks stay offline', () => {
    assert.deepEqual(states(runText(text('offline', 'hotplug 0x100000..0x120000 absent', 'add_memory 0x100000..0x120000 node 0\n'))), ['offline', 'offline', 'offline', 'offline']);
  });
  it('online_movable: add_memory onlines every block to ZONE_MOVABLE', () => {
    assert.deepEqual(states(runText(text('online_movable', 'hotplug 0x100000..0x120000 absent', 'add_memory 0x100000..0x120000 node 0\n'))), ['online Movable', 'online Movable', 'online Movable', 'online Movable']);
  });
  it('online: the default zone (contig-zones: ZONE_NORMAL)', () => {
    assert.deepEqual(states(runText(text('online', 'hotplug 0x100000..0x110000 absent', 'add_memory 0x100000..0x110000 node 0\n'))), ['online Normal', 'online Normal']);
  });
  it('a coldplugged DIMM is onlined at boot', () => {
    const m = runText(text('online_kernel', 'hotplug 0x100000..0x110000 offline'), 0);
    assert.deepEqual(states(m), ['online Normal', 'online Normal']);
    assert.deepEqual(m.checkInvariants(), []);
  });
});

describe('eject: ACPI removal of a memory device (acpi_scan_hot_remove)', () => {
  const base = `${machine1g('hotplug 0x100000..0x120000 offline')}online block 32 online_movable
online block 33 online_kernel
online block 34 online_movable
`;
  const res = (text: string, name: string) => {
    const out = runOutcome(text);
    return { out, r: resultOf(out, name) };
  };
  it('every block offline, then removed: the blocks are gone and the memmap is back', () => {
    const { out, r } = res(base + 'eject 0x100000..0x120000 as e\n', 'e');
    assert.equal(r.ok, true, r.reason ?? '');
    assert.equal([...out.machine.hp.blocks.values()].filter((b) => b.hotplugged).length, 0);
    assert.equal(sfree(out.machine, 'DMA32'), sfree(runText(machine1g(''), 0), 'DMA32'));
  });
  it('an unmovable page in the ZONE_NORMAL block: both passes fail, every block is onlined again, -EBUSY', () => {
    const { out, r } = res(base + 'page 0x108010 slab\neject 0x100000..0x120000 as e\n', 'e');
    assert.equal(r.errno, 'EBUSY');
    assert.match(r.reason!, /memory33/);
    const st = (id: number) => { const b = out.machine.hp.blocks.get(id)!; return `${b.state} ${b.zone}`; };
    assert.deepEqual([32, 33, 34, 35].map(st), ['online Movable', 'online Normal', 'online Movable', 'offline null']);
  });
  it('an unmovable page in ZONE_MOVABLE passes isolation and never migrates: the kernel would retry forever — said, not an errno', () => {
    const { r } = res(base + 'page 0x110010 slab\neject 0x100000..0x120000 as e\n', 'e');
    assert.equal(r.ok, false);
    assert.equal(r.errno, null);
    assert.match(r.reason!, /keeps retrying/);
  });
});

describe('hot-add: the memmap allocation goes through the whole slow path (vmemmap_alloc_block)', () => {
  // vmemmap_alloc_block() (mm/sparse-vmemmap.c): alloc_pages_node(node, GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_NOWARN,
  // get_order(PMD_SIZE)) — __alloc_pages_slowpath with direct reclaim and compaction, as any GFP_KERNEL allocation
  it('a node full of clean page cache: reclaim and compaction give the order-9 blocks (no 512 order-0 fallback), and the result says so', () => {
    const text = `${machine1g('hotplug 0x100000..0x120000 absent')}fill DMA 100% file
fill DMA32 100% file
add_memory 0x100000..0x120000 node 0 as a
`;
    const out = runOutcome(text);
    const r = resultOf(out, 'a');
    assert.equal(r.ok, true, r.reason ?? '');
    assert.equal(r.slowpath?.caller, 'vmemmap_alloc_block');
    assert.ok(r.slowpath!.reclaimed.inactive_file > 0, r.slowpath!.text);
    assert.ok(!r.events.some((e) => e.type === 'note' && /vmemmap_populate_basepages/.test(e.text)));
    const blocks = [...out.machine.c.ext.values()].filter((e) => e.kind === 'kernel' && e.owner?.startsWith('memmap of'));
    assert.equal(blocks.reduce((n, e) => n + e.n, 0), 2048);
  });
});
