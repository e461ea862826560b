// Zone watermarks, lowmem_reserve (zoneinfo "protection") and pcp batch/high against the oracle recordings
// (test/fixtures/oracle, copied from the project's oracle recordings: Debian 6.12.117, 1 CPU, THP "[always] madvise
// never", vm.min_free_kbytes=45056).
//
// The machine: the oracle's layout (DMA [1, 0x1000), DMA32 [0x1000, 0x3ffe0), DIMMs coldplugged offline) on the
// real simulator (Machine), with memblock `reserved` ranges that leave the boot zones the oracle's final managed
// counts: DMA 3840 (the x86 low 1 MiB, pfns 1..0xff, is reserved: 4095 − 255) and DMA32 226775 (kernel image,
// memmap, initrd, page tables: 31241 pages, put where the nokaslr kernel sits, at 16 MiB). Present counts differ
// from the kernel's (the sim counts reserved pages as present, the kernel does not count the e820 holes); only
// managed enters these formulas. Hot-plugged blocks need nothing injected: their managed pages are exact.
//
// Every snapshot is compared EXACTLY: min/low/high/promo of every zone, all protection entries, pcp batch. The
// kernel computed the boot watermarks earlier than it counted its final managed pages: init_per_zone_wmark_min
// (postcore_initcall) and khugepaged's start (hugepage_init) ran when DMA + DMA32 managed was 227713 pages — dmesg
// "Memory: 910852K/1048056K available" — and free_initrd_mem/free_initmem later raised it to 230615 without
// recomputing the marks. The replay machines say so with `reserved … initmem` (2902 pages freed after the marks,
// boot.ts freeInitmem). lowmem_reserve shows the final count only because the harness's boot_info reads
// /proc/sys/vm/lowmem_reserve_ratio, whose handler recomputes it on reads; the replay does the same.
//
// pcp high is auto-tuned by the kernel (6.7+) and is not compared exactly: it must be BOOT_PAGESET_HIGH (0) for a
// pageset never used (ZONE_DMA) or lie in [high_min, high_max] as zone_highsize computes them, where the kernel may
// still show the previous step's bound (pageset_update leaves pcp->high alone until the next clamp on use).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine } from '../../../src/sim/machine.js';
import { resolvePolicies } from '../../../src/sim/policies.js';
import type { MachineSpec, Operation, ZoneName } from '../../../src/sim/scenario.js';
import type { ZoneView } from '../../../src/sim/api.js';
import { recomputeWatermarks, recommendedMinFreeKbytes, setupLowmemReserve } from '../../../src/sim/watermark.js';
import { zoneBatchsize } from '../../../src/sim/pcp.js';
import { run } from './helpers.js';
import { ZONE_NAMES } from '../../../src/shared/format.js';

const ORACLE = join(__dirname, '../../fixtures/oracle');
const L = { line: 1, col: 1, endLine: 1, endCol: 1 };
const GiB = 262144;
const D1: [number, number] = [0x100000, 0x100000 + GiB]; // blocks 32..39
const D2: [number, number] = [0x140000, 0x140000 + GiB / 2]; // blocks 40..43

interface OZone { managed: number; min: number; low: number; high: number; promo: number; protection: number[]; pcp_high?: number; pcp_batch?: number }
interface Snap { zoneinfo?: Record<string, OZone> }
interface Oracle { snapshots: Record<string, Snap>; snapshot_order: string[]; boot: { params: Record<string, string>; dmesg: string[] } }

/** a recording; a missing file is an error (it is part of the repository), never a skipped test */
function load(name: string): Oracle {
  return JSON.parse(readFileSync(join(ORACLE, `${name}.json`), 'utf8')) as Oracle;
}

/** the oracle machine; `dma32Reserved` pages reserved at 16 MiB */
function oracleMachine(dimms: [number, number][], memmapOnMemory: MachineSpec['memmapOnMemory'] = 'off', dma32Reserved = 258016 - 226775, initmem = 0): Machine {
  const spec: MachineSpec = {
    pageblockOrder: 9, maxPageOrder: 10, memoryBlockPages: 32768, sectionPages: 32768, cpus: 1,
    memmapOnMemory, movableNode: false,
    nodes: [{
      nid: 0,
      zones: [{ zone: 'DMA', start: 1, end: 0x1000, loc: L }, { zone: 'DMA32', start: 0x1000, end: 0x3ffe0, loc: L }],
      reserved: [{ start: 1, end: 0x100, loc: L }, { start: 0x1000, end: 0x1000 + dma32Reserved, loc: L },
        ...(initmem ? [{ start: 0x1000 + dma32Reserved, end: 0x1000 + dma32Reserved + initmem, initmem: true, loc: L }] : [])],
      hotplug: dimms.map(([start, end]) => ({ start, end, state: 'offline' as const, loc: L })),
      loc: L,
    }],
    cma: [], hugetlb: [], virtioMem: [],
  };
  return new Machine(spec, resolvePolicies('6.12'), 1);
}

/** pages freed after the boot watermarks: free_initrd_mem + free_initmem (dmesg "Memory: 910852K" = 227713 pages managed then; 230615 at the end) */
const LATE = 230615 - 227713;

function view(m: Machine, z: ZoneName): ZoneView | undefined {
  return m.zones().find((v) => v.nid === 0 && v.zone === z);
}
/** the five "protection" entries zoneinfo prints (ZONE_DEVICE, empty, repeats the last sum) */
function protection(m: Machine, zid: number): number[] {
  const z = m.c.zone(0, zid);
  return [...z.lowmemReserve, zid < 3 ? z.lowmemReserve[3] : 0];
}
function marks(m: Machine, zid: number): number[] {
  const z = m.c.zone(0, zid);
  return [z.wmMin, z.wmLow, z.wmHigh, z.wmPromo];
}

/** pcp_high history per zone: every [high_min, high_max] the simulator computed up to now */
type Bounds = Map<ZoneName, [number, number][]>;
function recordBounds(m: Machine, b: Bounds): void {
  for (const zn of ZONE_NAMES) {
    const v = view(m, zn);
    if (!v) { b.delete(zn); continue; } // unpopulated: the pageset is reset (zone_pcp_reset)
    const p = v.pcp[0];
    if (!b.has(zn)) b.set(zn, []);
    b.get(zn)!.push([p.high_min, p.high_max]);
  }
}

/** compare every zone of one snapshot; `exact` false allows ±tol on marks (boot snapshot) */
function compare(m: Machine, o: Snap, label: string, bounds: Bounds, tol = 0): void {
  const zi = o.zoneinfo!;
  for (let zid = 0; zid < 4; zid++) {
    const zn = ZONE_NAMES[zid];
    const oz = zi[zn];
    const z = m.c.zone(0, zid);
    const where = `${label} ${zn}`;
    if (zn !== 'DMA' && zn !== 'DMA32') assert.equal(z.managed, oz.managed, `${where}: managed (the replay itself is off)`);
    const got = marks(m, zid);
    const want = [oz.min, oz.low, oz.high, oz.promo];
    if (tol === 0) assert.deepEqual(got, want, `${where}: min/low/high/promo`);
    else got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol, `${where}: mark ${i} ${g} vs ${want[i]} (±${tol})`));
    assert.deepEqual(protection(m, zid), oz.protection, `${where}: protection`);
    const v = view(m, zn);
    if (oz.pcp_batch === undefined || oz.pcp_high === undefined) {
      assert.ok(!v, `${where}: the oracle prints no pageset, the zone must be unpopulated`);
      continue;
    }
    assert.ok(v, `${where}: populated`);
    const p = v.pcp[0];
    assert.equal(p.batch, oz.pcp_batch, `${where}: pcp batch`);
    if (oz.pcp_high === 0) {
      // BOOT_PAGESET_HIGH: the pageset was never used (nothing allocates from or frees to ZONE_DMA's pcp)
      assert.equal(zn, 'DMA', `${where}: only ZONE_DMA's pcp is never used in these recordings`);
      assert.equal(p.high, 0, `${where}: pcp high of an unused pageset`);
      continue;
    }
    const hist = bounds.get(zn) ?? [];
    const [lo, hi] = hist[hist.length - 1];
    const inNow = oz.pcp_high >= lo && oz.pcp_high <= hi;
    const inEarlier = hist.some(([a, b]) => oz.pcp_high! >= a && oz.pcp_high! <= b);
    assert.ok(inNow || inEarlier, `${where}: pcp high ${oz.pcp_high} outside [high_min, high_max] = [${lo}, ${hi}] (and every earlier step's)`);
  }
}

/** replay one case: `steps` maps each snapshot label to the operations before it */
function replay(o: Oracle, m: Machine, steps: Record<string, Operation[]>): void {
  const bounds: Bounds = new Map();
  recordBounds(m, bounds);
  // the harness's boot_info read /proc/sys/vm/lowmem_reserve_ratio: lowmem_reserve_ratio_sysctl_handler()
  // recomputes lowmem_reserve on reads (not the watermarks)
  setupLowmemReserve(m.c);
  for (const label of o.snapshot_order) {
    for (const op of steps[label] ?? []) {
      const r = run(m, op);
      if (op.op === 'online' || op.op === 'offline') {
        const want = (op as { expect?: string }).expect;
        if (want) assert.equal(r.errno, want, `${label}: ${op.op} ${op.block}`);
        else assert.ok(r.ok, `${label}: ${op.op} ${op.block}: ${r.reason}`);
      }
    }
    recordBounds(m, bounds);
    const snap = o.snapshots[label];
    if (!snap.zoneinfo) continue;
    compare(m, snap, label, bounds);
  }
}

const on = (block: number, type: 'online' | 'online_kernel' | 'online_movable' = 'online'): Operation => ({ op: 'online', block, type });
const off = (block: number): Operation => ({ op: 'offline', block });
/** an operation the recording saw fail with errno */
const failing = (op: Operation, errno: string): Operation => ({ ...op, expect: errno }) as unknown as Operation;

const a = load('a-default-online');
const b = load('b-online-movable');
const dOff = load('d-memmap-off');
const dOn = load('d-memmap-on-memory');

describe('oracle watermarks: the rules', () => {
  it('boot: min_free_kbytes is THP\'s recommendation, 11 pageblocks per zone ≤ Normal (DMA, DMA32) = 45056 kB', () => {
    const m = oracleMachine([D1]);
    assert.equal(m.c.minFreeKbytes, 45056);
    if (a) assert.equal(a.boot.params['vm.min_free_kbytes'], '45056');
    // without khugepaged the sqrt formula alone: int_sqrt(16 × lowmem kB)
    recomputeWatermarks(m.c, false);
    assert.ok(m.c.minFreeKbytes < 45056 && m.c.minFreeKbytes > 3000, `sqrt formula: ${m.c.minFreeKbytes}`);
    recomputeWatermarks(m.c);
    assert.equal(m.c.minFreeKbytes, 45056);
  });
  it('ZONE_MOVABLE does not count as a THP zone; its min is clamp(managed/1024, 32, 128)', () => {
    const m = oracleMachine([D1]);
    run(m, on(32, 'online_movable'));
    // still 2 zones: 11264 pages (the 5% cap, read after the sqrt-based setup, is 11461 pages)
    assert.equal(m.c.minFreeKbytes, 512 * 2 * 11 * 4);
    assert.equal(m.c.zone(0, 3).wmMin, 32);
    // the cap reads the high watermarks as they stand: with the THP ones in place it is lower (5% of 213722)
    assert.equal(recommendedMinFreeKbytes(m.c), Math.floor(213722 / 20) * 4);
  });
  it('zone_batchsize: 0 under 4 MiB (pageset batch max(1, ·)), 7/15/31/63 from 128/256/384/768 MiB', () => {
    assert.equal(zoneBatchsize(3840), 0);
    assert.deepEqual([32768, 65536, 98304, 131072, 196608, 262144].map(zoneBatchsize), [7, 15, 31, 31, 63, 63]);
  });
  it('boot marks are exact with the boot-time managed count (dmesg "Memory: 910852K" = 227713 pages)', function () {
    const m = oracleMachine([D1], 'off', 258016 - (227713 - 3840));
    assert.equal(m.c.zone(0, 0).managed + m.c.zone(0, 1).managed, 227713);
    assert.ok(a.boot.dmesg.some((l) => l.includes('Memory: 910852K/')));
    const zi = a.snapshots.before.zoneinfo!;
    for (const zid of [0, 1]) {
      const o = zi[ZONE_NAMES[zid]];
      assert.deepEqual(marks(m, zid), [o.min, o.low, o.high, o.promo], ZONE_NAMES[zid]);
    }
    // lowmem_reserve, by contrast, shows the final managed count (885 = 226775/256): not checked on this machine
  });
});

describe('oracle watermarks: init memory freed after the boot marks (`reserved … initmem`)', () => {
  // free_initrd_mem() (rootfs_initcall) and free_initmem() (end of kernel_init) free 230615 − 227713 = 2902 pages
  // after init_per_zone_wmark_min() (postcore) and khugepaged's set_recommended_min_free_kbytes() (subsys) set the
  // marks; free_reserved_area() → adjust_managed_page_count() recomputes nothing
  // the kernel's 31241 reserved pages stay; 2902 more are reserved at boot and freed late
  const initmemMachine = (): Machine => oracleMachine([D1], 'off', 258016 - 226775, LATE);
  it('managed ends at the kernel\'s final count and the boot marks are exact', () => {
    const m = initmemMachine();
    assert.equal(m.c.zone(0, 1).managed, 226775);
    assert.equal(m.c.zone(0, 0).managed + m.c.zone(0, 1).managed, 230615);
    const zi = a.snapshots.before.zoneinfo!;
    for (const zid of [0, 1]) {
      const o = zi[ZONE_NAMES[zid]];
      assert.deepEqual(marks(m, zid), [o.min, o.low, o.high, o.promo], ZONE_NAMES[zid]);
    }
    assert.equal(view(m, 'DMA32')!.managed, 226775);
  });
  it('lowmem_reserve keeps the boot-time count too; the recording\'s 885 comes from the harness reading the sysctl', () => {
    const m = initmemMachine();
    // setup_per_zone_lowmem_reserve() ran in init_per_zone_wmark_min() with DMA32 managed 223873: 223873/256 = 874
    assert.equal(protection(m, 0)[1], Math.floor((226775 - LATE) / 256));
    // guest/lib.sh boot_info runs `cat /proc/sys/vm/lowmem_reserve_ratio`, and lowmem_reserve_ratio_sysctl_handler()
    // (mm/page_alloc.c) calls setup_per_zone_lowmem_reserve() on reads as well as writes
    setupLowmemReserve(m.c);
    assert.deepEqual(protection(m, 0), a.snapshots.before.zoneinfo!.DMA.protection);
    assert.deepEqual(marks(m, 1), [11074, 13842, 16610, 19378]);
  });
});

describe('oracle watermarks: replay', () => {
  it('a-default-online: online 32..39 into Normal', function () {
    const steps: Record<string, Operation[]> = {};
    for (let n = 32; n <= 39; n++) steps[`after-online-${n}`] = [on(n)];
    replay(a, oracleMachine([D1], 'off', undefined, LATE), steps);
  });
  it('b-online-movable: movable, kernel, offline in the middle, mixed', function () {
    const steps: Record<string, Operation[]> = {};
    for (let n = 32; n <= 39; n++) steps[`after-movable-${n}`] = [on(n, 'online_movable')];
    steps.step3 = [failing(on(33, 'online_kernel'), 'EINVAL'), failing(on(33), 'EINVAL'), on(40, 'online_kernel')];
    steps.step4 = [on(41)];
    steps.step5a = [off(36)];
    steps.step5b = [on(36, 'online_kernel')];
    steps.step6 = [on(42, 'online_movable')];
    steps['after-all'] = [on(43)];
    replay(b, oracleMachine([D1, D2], 'off', undefined, LATE), steps);
  });
  for (const [o, mom, culprit] of [[dOff, 'off', 0x100402], [dOn, 'on', 0x100404]] as const) {
    it(`d-memmap-${mom === 'off' ? 'off' : 'on-memory'}: online, online_movable, online_kernel, offline ×2, offline -EBUSY`, function () {
      const steps: Record<string, Operation[]> = {
        // the kernel page the recording's offline of 32 trips over (kmsg "unmovable page")
        'after-online-32': [on(32), { op: 'page', start: culprit, end: culprit + 1, kind: 'slab', modifiers: [] }],
        'after-online_movable-33': [on(33, 'online_movable')],
        'after-online_kernel-34': [on(34, 'online_kernel')],
        'after-offline-33': [off(33)],
        'after-offline-34': [off(34)],
        'after-offline-32': [failing(off(32), 'EBUSY')],
      };
      replay(o, oracleMachine([D1], mom, undefined, LATE), steps);
    });
  }
});
