// A test double for the allocator core behind the hotplug code (src/sim/hotplug/host.ts): zones as
// plain structs, free memory as a list of freed chunks, pageblock types per pfn, and a few populated
// pages (unmovable kernel pages, pinned or movable user pages). Enough to check the hotplug rules
// (zone choice, spans, present/managed, errors, the chunks online_pages frees) without the buddy.
import type { Migration, SimEvent } from '../../../src/sim/api.js';
import { DEFAULT_POLICIES } from '../../../src/sim/policies.js';
import type { MachineSpec, Migratetype, Policies, ZoneName } from '../../../src/sim/scenario.js';
import type { HotplugHost } from '../../../src/sim/hotplug/host.js';
import { HotplugState } from '../../../src/sim/hotplug/state.js';
import type { HpZone } from '../../../src/sim/hotplug/types.js';
import { type Verdict } from '../../../src/sim/api.js';

const L = { line: 1, col: 1, endLine: 1, endCol: 1 };

export class FakeZone implements HpZone {
  start = 0;
  end = 0;
  present = 0;
  presentEarly = 0;
  managed = 0;
  cmaPages = 0;
  contiguous = false;
  nrIsolate = 0;
  constructor(readonly nid: number, readonly name: ZoneName) {}
  get spanned(): number {
    return this.end - this.start;
  }
}

export type FakePage = 'slab' | 'pagetable' | 'anon' | 'anon-pinned';

/** The oracle machine: 1 GiB boot RAM (DMA [1, 0x1000), DMA32 [0x1000, 0x3ffe0)), DIMMs from 4 GiB. */
export function oracleSpec(dimms: [number, number][], memmapOnMemory: MachineSpec['memmapOnMemory'] = 'off'): MachineSpec {
  return {
    pageblockOrder: 9, maxPageOrder: 10, memoryBlockPages: 32768, sectionPages: 32768, cpus: 1,
    memmapOnMemory, movableNode: false,
    nodes: [{
      nid: 0,
      zones: [{ zone: 'DMA', start: 1, end: 0x1000, loc: L }, { zone: 'DMA32', start: 0x1000, end: 0x3ffe0, loc: L }],
      reserved: [],
      hotplug: dimms.map(([start, end]) => ({ start, end, state: 'offline' as const, loc: L })),
      loc: L,
    }],
    cma: [], hugetlb: [], virtioMem: [],
  };
}

export class FakeHost implements HotplugHost {
  readonly hp: HotplugState;
  readonly policies: Policies;
  readonly zs: FakeZone[] = [];
  /** chunks handed to the buddy by online_pages_range, per zone */
  freed: { zone: ZoneName; pfn: number; order: number }[] = [];
  /** pageblock migratetype by pageblock pfn */
  pageblocks = new Map<number, Migratetype>();
  pages = new Map<number, FakePage>();
  vmemmap = new Set<number>();
  pcpDisabled = 0;
  log: string[] = [];

  constructor(readonly spec: MachineSpec, policies: Partial<Policies> = {}) {
    this.policies = { ...DEFAULT_POLICIES, ...policies };
    this.hp = new HotplugState(spec, true, this.policies);
    for (const n of spec.nodes) {
      for (const z of n.zones) {
        const fz = this.zone(n.nid, z.zone) as FakeZone;
        fz.start = z.start;
        fz.end = z.end;
        fz.present = fz.presentEarly = fz.managed = z.end - z.start;
      }
    }
  }

  zone(nid: number, name: ZoneName): HpZone {
    let z = this.zs.find((x) => x.nid === nid && x.name === name);
    if (!z) this.zs.push((z = new FakeZone(nid, name)));
    return z;
  }
  z(name: ZoneName, nid = 0): FakeZone {
    return this.zone(nid, name) as FakeZone;
  }
  zones(): HpZone[] {
    return this.zs;
  }
  event(_e: SimEvent): void {}

  initRange(start: number, nr: number, _nid: number, _zone: ZoneName, mt: Migratetype): void {
    for (let p = start; p < start + nr; p += 512) this.pageblocks.set(p, mt);
  }
  initVmemmap(start: number, nr: number): void {
    for (let p = start; p < start + nr; p++) this.vmemmap.add(p);
    for (let p = start; p < start + nr; p += 512) this.pageblocks.set(p, 'unmovable');
  }
  /** memmap allocations (allocKernelPage): pfn → order; they come from boot DMA32 at 0x20000 upwards */
  kernelPages = new Map<number, number>();
  /** pages the fake allocator still has for allocKernelPage */
  kernelBudget = Infinity;
  private nextKernel = 0x20000;
  allocKernelPage(_nid: number, order: number): number {
    if (this.kernelBudget < 1 << order) return -1;
    this.kernelBudget -= 1 << order;
    const pfn = this.nextKernel;
    this.nextKernel += 1 << order;
    this.kernelPages.set(pfn, order);
    return pfn;
  }
  freeKernelPage(pfn: number, order: number): void {
    if (this.kernelPages.get(pfn) !== order) throw new Error(`fake: freeing ${pfn.toString(16)} order ${order} not allocated`);
    this.kernelPages.delete(pfn);
    this.kernelBudget += 1 << order;
  }
  poisonRange(start: number, nr: number): void {
    for (let p = start; p < start + nr; p += 512) this.pageblocks.delete(p);
    for (let p = start; p < start + nr; p++) this.vmemmap.delete(p);
    this.freed = this.freed.filter((c) => c.pfn < start || c.pfn >= start + nr);
  }
  freeSectionUsage(): void {} // the fake keeps no pageblock flags of absent memory (poisonRange dropped them)
  freePagesCore(pfn: number, order: number): void {
    const l = this.hp.link(pfn);
    this.freed.push({ zone: l!.zone, pfn, order });
  }
  adjustIsolated(nid: number, zone: ZoneName, delta: number): void {
    this.z(zone, nid).nrIsolate += delta;
  }
  zoneChanged(): void {}
  pcpDisable(): void {
    this.pcpDisabled++;
  }
  pcpEnable(): void {
    this.pcpDisabled--;
  }
  isolateRange(start: number, end: number): Verdict {
    const l = this.hp.link(start);
    for (let p = start; p < end; p++) {
      const k = this.pages.get(p);
      // has_unmovable_pages(): in ZONE_MOVABLE nothing but PageReserved is checked
      if ((k === 'slab' || k === 'pagetable') && l?.zone !== 'Movable') return { ok: false, pfn: p, reason: `unmovable page (${k})` };
    }
    this.log.push(`isolate ${start.toString(16)}`);
    this.z(l!.zone!).nrIsolate += (end - start) / 512; // set_migratetype_isolate per pageblock
    return { ok: true, pfn: null, reason: null };
  }
  undoIsolate(start: number, end: number): void {
    this.log.push(`undo ${start.toString(16)}`);
    const l = this.hp.link(start);
    this.z(l!.zone).nrIsolate -= (end - start) / 512; // unset_migratetype_isolate per pageblock
  }
  scanMovable(start: number, end: number): { ret: 'found' | 'ENOENT' | 'EBUSY'; pfn: number | null } {
    for (let p = start; p < end; p++) {
      const k = this.pages.get(p);
      if (k === 'anon' || k === 'anon-pinned') return { ret: 'found', pfn: p };
    }
    return { ret: 'ENOENT', pfn: null };
  }
  migrateRange(start: number, end: number): Migration[] {
    const out: Migration[] = [];
    for (let p = start; p < end; p++) {
      const k = this.pages.get(p);
      if (k === 'anon') {
        this.pages.delete(p);
        out.push({ src: p, dst: 0x2000, order: 0, result: 'ok', reason: 'MR_MEMORY_HOTPLUG' });
      } else if (k === 'anon-pinned') {
        out.push({ src: p, dst: null, order: 0, result: 'EAGAIN', reason: 'pinned: refcount mismatch' });
      }
    }
    return out;
  }
  dissolveFreeHugetlb(): Verdict {
    return { ok: true, pfn: null, reason: null };
  }
  testIsolated(): Verdict {
    return { ok: true, pfn: null, reason: null };
  }
  offlineIsolated(start: number, end: number): number {
    this.freed = this.freed.filter((c) => c.pfn < start || c.pfn >= end);
    return 0;
  }

  // ---- views for the tests
  /** buddyinfo of the chunks freed into `zone` (no splits: what onlining alone produces) */
  buddy(zone: ZoneName): number[] {
    const b = new Array(11).fill(0);
    for (const c of this.freed) if (c.zone === zone) b[c.order]++;
    return b;
  }
  pageblockCounts(start: number, end: number): Partial<Record<Migratetype, number>> {
    const out: Partial<Record<Migratetype, number>> = {};
    for (let p = start; p < end; p += 512) {
      const t = this.pageblocks.get(p);
      if (t) out[t] = (out[t] ?? 0) + 1;
    }
    return out;
  }
}
