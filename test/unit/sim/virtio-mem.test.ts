// virtio-mem (drivers/virtio/virtio_mem.c): mode selection, plug (only plugged subblocks onlined),
// unplug order across SBM block states, 5 vs 1 alloc_contig_range tries, -EBUSY skip, whole-block
// removal, BBM, and the 5.18 (4 MiB) vs 5.19 (2 MiB) subblock size. Exact values, invariants after each op.
import assert from 'node:assert/strict';
import { machine, run, spec } from './helpers.js';
import type { Machine } from '../../../src/sim/machine.js';
import type { KernelPreset, MachineSpec, Operation, Policies } from '../../../src/sim/scenario.js';
import type { OpResult } from '../../../src/sim/api.js';
import { geometry } from '../../../src/sim/hotplug/virtio-mem-state.js';

const L = { line: 1, col: 1, endLine: 1, endCol: 1 };
const MB = 32768; // 128 MiB memory block
const DEV = 0x100000; // device start: memory block 32
const B32 = 32, B33 = 33, B34 = 34;

function vmSpec(blockPages = 512, memoryBlockPages = MB): MachineSpec {
  const s = spec({ zones: [['DMA32', 0x1000, 0x40000], ['Normal', 0x40000, 0x80000]], memoryBlockPages });
  s.virtioMem.push({ name: 'vmem0', nid: 0, start: DEV, end: DEV + 8 * MB, blockPages, loc: L });
  return s;
}

function boot(o: { kernel?: KernelPreset; pol?: Partial<Policies>; blockPages?: number } = {}): Machine {
  return machine(vmSpec(o.blockPages), o.kernel ?? 'latest', o.pol ?? {});
}

/** run an op and check the invariants after it */
function op(m: Machine, o: Operation): OpResult {
  const r = run(m, o);
  assert.deepEqual(m.checkInvariants(), [], `invariants after ${JSON.stringify(o)}`);
  return r;
}
const plug = (m: Machine, pages: number) => op(m, { op: 'virtio_mem', device: 'vmem0', action: 'plug', pages });
const unplug = (m: Machine, pages: number) => op(m, { op: 'virtio_mem', device: 'vmem0', action: 'unplug', pages });
const zone = (m: Machine, name: string) => m.zones().find((z) => z.zone === name);
const blockState = (m: Machine, id: number) => {
  const b = m.blocks().find((x) => x.id === id)!;
  return b.state === 'online' ? `online ${b.zone}` : b.state;
};
const notes = (r: OpResult) => r.events.filter((e) => e.type === 'note').map((e) => (e as { text: string }).text);
const acrTries = (r: OpResult, start: number) => notes(r).filter((t) => t.includes(`alloc_contig_range(0x${start.toString(16)},`)).length;
const sbStart = (block: number, sb: number, sbPages = 512) => block * MB + sb * sbPages;

describe('virtio-mem: mode selection (virtio_mem_init_hotplug)', () => {
  const s = vmSpec();
  const dev = (blockPages: number) => ({ ...s.virtioMem[0], blockPages });
  it('2 MiB device blocks, 128 MiB memory blocks: SBM, 64 subblocks of 2 MiB', () => {
    const g = geometry(s, 'pageblock', dev(512));
    assert.deepEqual([g.mode, g.sbPages, g.sbsPerMb, g.firstId, g.lastUsableId], ['sbm', 512, 64, 32, 39]);
    assert.equal(g.offlineThreshold, 262144); // max(2 blocks, 1 GiB)
  });
  it('before 5.19 the subblock floor is max(MAX_ORDER_NR_PAGES, pageblock) = 4 MiB: 32 per block', () => {
    const g = geometry(s, 'max_order', dev(512));
    assert.deepEqual([g.mode, g.sbPages, g.sbsPerMb], ['sbm', 1024, 32]);
  });
  it('a device block larger than the floor sets the subblock size', () => {
    const g = geometry(s, 'pageblock', dev(4096)); // 16 MiB
    assert.deepEqual([g.mode, g.sbPages, g.sbsPerMb], ['sbm', 4096, 8]);
  });
  it('device block ≥ memory block: BBM with bb_size = max(device block, memory block)', () => {
    assert.deepEqual((({ mode, bbPages }) => ({ mode, bbPages }))(geometry(s, 'pageblock', dev(MB))), { mode: 'bbm', bbPages: MB });
    const g = geometry(s, 'pageblock', dev(2 * MB));
    assert.deepEqual([g.mode, g.bbPages, g.firstId, g.lastUsableId], ['bbm', 2 * MB, 16, 19]);
    assert.equal(g.offlineThreshold, 262144);
  });
});

describe('virtio-mem SBM plug', () => {
  it('adds and onlines whole blocks, only plugged subblocks become managed', () => {
    const m = boot();
    const r = plug(m, MB + 2 * 512); // 66 subblocks
    assert.equal(r.ok, true, r.reason ?? '');
    assert.equal(blockState(m, B32), 'online Normal');
    assert.equal(blockState(m, B33), 'online Normal');
    assert.equal(blockState(m, B34), 'absent');
    const n = zone(m, 'Normal')!;
    assert.equal(n.present, 262144 + 2 * MB);
    assert.equal(n.managed, 262144 + MB + 1024);
    // both blocks' memmap (one order-9 vmemmap block per 128 MiB section) came from the page allocator
    assert.equal(n.free, 262144 + MB + 1024 - 2 * 512);
    assert.equal(m.pageInfo(sbStart(B33, 0)).state, 'buddy');
    assert.equal(m.pageInfo(sbStart(B33, 1) + 511).state, 'buddy');
    const off = m.pageInfo(sbStart(B33, 2));
    assert.equal(off.state, 'offline');
    assert.deepEqual(off.modifiers, ['dirty']); // never onlined: PageDirty
    assert.equal(m.pageInfo(sbStart(B33, 63) + 511).state, 'offline');
  });

  it('fills partially plugged blocks first and fake-onlines the new subblocks', () => {
    const m = boot();
    plug(m, MB + 1024);
    const r = plug(m, 1024);
    assert.equal(r.ok, true);
    assert.ok(notes(r).some((t) => t.includes('plugged subblocks 2..3 of memory33')), notes(r).join('\n'));
    assert.equal(zone(m, 'Normal')!.managed, 262144 + MB + 2048);
    assert.equal(m.pageInfo(sbStart(B33, 2)).state, 'buddy');
    assert.equal(m.pageInfo(sbStart(B33, 4)).state, 'offline');
    assert.equal(blockState(m, B34), 'absent');
  });

  it('auto-movable onlines the device blocks to ZONE_MOVABLE (dynamic group)', () => {
    const m = boot({ pol: { online_policy: 'auto-movable' } });
    plug(m, 2 * MB);
    assert.equal(blockState(m, B32), 'online Movable');
    assert.equal(blockState(m, B33), 'online Movable');
    assert.equal(zone(m, 'Movable')!.managed, 2 * MB);
    const g = m.hp.groups.find((x) => x.dynamic)!;
    assert.deepEqual([g.pages, g.presentMovable, g.presentKernel], [MB, 2 * MB, 0]);
  });

  it('-ENOSPC once the device range is exhausted; -EINVAL beyond the region size', () => {
    const m = boot();
    assert.equal(plug(m, 8 * MB).ok, true);
    assert.equal(plug(m, 512).errno, 'EINVAL');
    const m2 = boot();
    const r = op(m2, { op: 'virtio_mem', device: 'vmem0', action: 'unplug', pages: 512 });
    assert.equal(r.errno, 'EINVAL'); // requested size would be negative
  });
});

describe('virtio-mem SBM unplug', () => {
  it('order of block states: partial blocks before full ones, MOVABLE before KERNEL, highest first', () => {
    // memory32 KERNEL (full) and memory33 KERNEL_PARTIAL: the partial block is emptied and removed first
    const m = boot();
    plug(m, MB + 1024);
    let r = unplug(m, 1536); // 3 subblocks
    assert.equal(r.ok, true);
    assert.equal(blockState(m, B33), 'absent');
    assert.equal(m.pageInfo(sbStart(B32, 63)).state, 'offline');
    assert.equal(m.pageInfo(sbStart(B32, 62)).state, 'buddy');
    assert.equal(zone(m, 'Normal')!.managed, 262144 + MB - 512);
    // a later plug fills the partial block again instead of adding a new one; the subblock came from
    // alloc_contig_range, so it goes back through free_contig_range (order-0 frees: the pcp list first)
    plug(m, 512);
    assert.equal(m.pageInfo(sbStart(B32, 63)).state, 'pcp');
    assert.equal(zone(m, 'Normal')!.managed, 262144 + MB);
    assert.equal(blockState(m, B33), 'absent');

    // MOVABLE before KERNEL, even when the MOVABLE block is the lower one
    const m2 = boot();
    plug(m2, 2 * MB);
    op(m2, { op: 'offline', block: B32 });
    assert.equal(op(m2, { op: 'online', block: B32, type: 'online_movable' }).ok, true);
    assert.equal(blockState(m2, B32), 'online Movable');
    assert.equal(blockState(m2, B33), 'online Normal');
    assert.equal(zone(m2, 'Movable')!.managed, MB); // re-onlined through virtio-mem's callback: fully plugged
    r = unplug(m2, 512);
    assert.equal(r.ok, true);
    assert.equal(m2.pageInfo(sbStart(B32, 63)).state, 'offline');
    assert.equal(m2.pageInfo(sbStart(B33, 63)).state, 'buddy');
    assert.equal(zone(m2, 'Movable')!.managed, MB - 512);
  });

  it('re-onlining a partially plugged block by hand goes through virtio-mem\'s online_page callback', () => {
    const m = boot();
    plug(m, 1024);
    op(m, { op: 'offline', block: B32 });
    assert.equal(zone(m, 'Normal')!.managed, 262144);
    op(m, { op: 'online', block: B32, type: 'online_movable' });
    assert.equal(zone(m, 'Movable')!.managed, 1024);
    assert.equal(zone(m, 'Movable')!.present, MB);
    assert.equal(m.pageInfo(sbStart(B32, 2)).state, 'offline');
    assert.equal(unplug(m, 512).ok, true); // MOVABLE_PARTIAL now
    assert.equal(zone(m, 'Movable')!.managed, 512);
  });

  it('OFFLINE blocks go first and are unplugged without alloc_contig_range, then removed', () => {
    const m = boot();
    plug(m, 2 * MB);
    op(m, { op: 'offline', block: B32 });
    const r = unplug(m, MB);
    assert.equal(r.ok, true);
    assert.equal(blockState(m, B32), 'absent');
    assert.equal(blockState(m, B33), 'online Normal');
    assert.equal(notes(r).filter((t) => t.includes('alloc_contig_range(')).length, 0);
    assert.equal(zone(m, 'Normal')!.managed, 262144 + MB);
  });

  it('kernel zone: one try, the busy subblock is skipped, -EBUSY with the amount and the first failure', () => {
    const m = boot();
    plug(m, 1024); // subblocks 0 and 1 of memory32
    op(m, { op: 'page', start: sbStart(B32, 1) + 0x10, end: sbStart(B32, 1) + 0x11, kind: 'slab', modifiers: [] });
    const r = unplug(m, 1024);
    assert.equal(r.ok, false);
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, sbStart(B32, 1) + 0x10);
    assert.match(r.reason!, /unplugged 2M of 4M/);
    assert.match(r.reason!, /slab/);
    assert.equal(acrTries(r, sbStart(B32, 1)), 1);
    assert.equal(acrTries(r, sbStart(B32, 0)), 0); // succeeded at the first try: no failure note
    assert.equal(m.pageInfo(sbStart(B32, 0)).state, 'offline');
    assert.deepEqual(m.pageInfo(sbStart(B32, 0)).modifiers, []); // fake-offlined after onlining: not dirty
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 512);
    // the device still wants 2 MiB less: a later request retries with the remaining difference
    op(m, { op: 'free', target: { kind: 'pfn', pfn: sbStart(B32, 1) + 0x10 }, order: null });
    const again = unplug(m, 0);
    assert.equal(again.ok, true, again.reason ?? '');
    assert.equal(blockState(m, B32), 'absent');
  });

  it('ZONE_MOVABLE: five tries before a subblock is skipped', () => {
    const m = boot({ pol: { online_policy: 'auto-movable' } });
    plug(m, 1024);
    op(m, { op: 'page', start: sbStart(B32, 1) + 0x10, end: sbStart(B32, 1) + 0x11, kind: 'anon', modifiers: ['pinned'] });
    const r = unplug(m, 1024);
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, sbStart(B32, 1) + 0x10);
    assert.match(r.reason!, /unplugged 2M of 4M/);
    assert.match(r.reason!, /pinned/);
    assert.equal(acrTries(r, sbStart(B32, 1)), 5);
    assert.equal(zone(m, 'Movable')!.managed, 512);
  });

  it('an online block: the whole block first, then removal once empty (offline_and_remove_memory)', () => {
    const m = boot();
    plug(m, 2 * MB);
    op(m, { op: 'page', start: sbStart(B33, 5), end: sbStart(B33, 5) + 0x100, kind: 'anon', modifiers: [] });
    const r = unplug(m, MB);
    assert.equal(r.ok, true, r.reason ?? '');
    assert.ok(notes(r).some((t) => t.includes(`fake-offlined 0x${(B33 * MB).toString(16)}..0x${((B33 + 1) * MB).toString(16)}`)), notes(r).join('\n'));
    assert.equal(blockState(m, B33), 'absent');
    assert.equal(r.migrations.filter((x) => x.result === 'ok').length, 0x100);
    const n = zone(m, 'Normal')!;
    assert.equal(n.managed, 262144 + MB);
    assert.equal(n.present, 262144 + MB);
    assert.equal(n.end_pfn, (B32 + 1) * MB);
    assert.equal(n.nr_isolate_pageblock, 0);
  });

  it('a busy whole block falls back to single subblocks; a partly unplugged block stays', () => {
    const m = boot();
    plug(m, MB);
    op(m, { op: 'page', start: sbStart(B32, 40) + 3, end: sbStart(B32, 40) + 4, kind: 'pagetable', modifiers: [] });
    const r = unplug(m, MB);
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, sbStart(B32, 40) + 3);
    assert.match(r.reason!, /unplugged 126M of 128M/);
    assert.equal(blockState(m, B32), 'online Normal');
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 512);
    assert.equal(m.pageInfo(sbStart(B32, 40)).state, 'buddy');
    assert.equal(m.pageInfo(sbStart(B32, 41)).state, 'offline');
  });

  it('-ENOMEM from alloc_contig_range returns at once (no five tries in ZONE_MOVABLE)', () => {
    const m = boot({ pol: { online_policy: 'auto-movable' } });
    // the device's memmap (vmemmap_populate, no altmap for virtio-mem) is allocated while there is memory
    plug(m, 512);
    assert.equal(blockState(m, B32), 'online Movable');
    // then no free memory outside the device: migration has no target
    op(m, { op: 'fill', zone: { nid: 0, zone: 'DMA32' }, percent: 100, cls: 'unmovable', order: 0, packed: true });
    op(m, { op: 'fill', zone: { nid: 0, zone: 'Normal' }, percent: 99, cls: 'unmovable', order: 0, packed: true });
    while (op(m, { op: 'alloc', order: 0, migratetype: 'unmovable', gfp: [], zone: { nid: 0, zone: 'Normal' }, count: 64 }).ok);
    op(m, { op: 'page', start: sbStart(B32, 0) + 7, end: sbStart(B32, 0) + 8, kind: 'anon', modifiers: [] });
    const r = unplug(m, 512);
    assert.equal(r.errno, 'ENOMEM', r.reason ?? '');
    assert.equal(acrTries(r, sbStart(B32, 0)), 1);
    assert.equal(m.pageInfo(sbStart(B32, 0) + 7).state, 'allocated');
    assert.equal(zone(m, 'Movable')!.managed, 512);
  });
});

describe('virtio-mem subblock size: 5.18 (4 MiB) vs 5.19 (2 MiB)', () => {
  const scenario = (kernel: KernelPreset) => {
    const m = boot({ kernel });
    assert.equal(plug(m, 2048).ok, true); // 8 MiB
    for (const p of [sbStart(B32, 1) + 0x10, sbStart(B32, 3) + 0x10]) op(m, { op: 'page', start: p, end: p + 1, kind: 'slab', modifiers: [] });
    return { m, r: unplug(m, 1024) };
  };
  it('5.19: 2 MiB subblocks next to the slab pages are unplugged', () => {
    const { m, r } = scenario('5.19');
    assert.equal(r.ok, true, r.reason ?? '');
    assert.equal(m.pageInfo(sbStart(B32, 0)).state, 'offline');
    assert.equal(m.pageInfo(sbStart(B32, 2)).state, 'offline');
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 1024);
  });
  it('5.18: both 4 MiB subblocks hold a slab page: nothing unplugged, -EBUSY', () => {
    const { m, r } = scenario('5.18');
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, sbStart(B32, 3) + 0x10);
    assert.match(r.reason!, /unplugged 0M of 4M/);
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 2048);
  });
  it('5.18: a 2 MiB request is less than one subblock: the driver does nothing (-EINVAL here)', () => {
    const m = boot({ kernel: '5.18' });
    const r = plug(m, 512);
    assert.equal(r.errno, 'EINVAL');
    assert.match(r.reason!, /less than one 4M subblock/);
    assert.equal(blockState(m, B32), 'absent');
    // the next 2 MiB makes it a whole subblock
    assert.equal(plug(m, 512).ok, true);
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 1024);
  });
});

describe('virtio-mem BBM (device block ≥ memory block)', () => {
  it('plugs and onlines big blocks; unplug fake-offlines, offlines and removes the highest first', () => {
    const m = boot({ blockPages: MB });
    assert.equal(plug(m, 3 * MB).ok, true);
    assert.deepEqual([B32, B33, 34].map((b) => blockState(m, b)), ['online Normal', 'online Normal', 'online Normal']);
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 3 * MB);
    op(m, { op: 'page', start: 34 * MB + 0x100, end: 34 * MB + 0x101, kind: 'slab', modifiers: [] });
    const r = unplug(m, MB);
    assert.equal(r.ok, true, r.reason ?? '');
    // big block 34 is busy (slab): skipped with one try; 33 goes
    assert.equal(acrTries(r, 34 * MB), 1);
    assert.deepEqual([B32, B33, 34].map((b) => blockState(m, b)), ['online Normal', 'absent', 'online Normal']);
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 2 * MB);
    assert.equal(zone(m, 'Normal')!.present, 262144 + 2 * MB);
  });
  it('a plug reuses the unused big block first', () => {
    const m = boot({ blockPages: MB });
    plug(m, 2 * MB);
    unplug(m, MB);
    assert.equal(blockState(m, B33), 'absent');
    plug(m, MB);
    assert.equal(blockState(m, B33), 'online Normal');
    assert.equal(blockState(m, B34), 'absent');
  });
});

describe('virtio-mem state survives Machine.clone()', () => {
  it('the clone has its own bitmap and requested size', () => {
    const m = boot();
    plug(m, 1024);
    const c = m.clone();
    plug(c, 1024);
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 1024);
    assert.equal(zone(c, 'Normal')!.managed, 262144 + 2048);
    assert.equal(m.pageInfo(sbStart(B32, 2)).state, 'offline');
    assert.equal(c.pageInfo(sbStart(B32, 2)).state, 'buddy');
    // the original's requested size is still 4 MiB: plugging 4 MiB more plugs exactly 4 MiB
    plug(m, 1024);
    assert.equal(zone(m, 'Normal')!.managed, 262144 + 2048);
  });
});
