// The simulator's public face: Machine runs operations (phase generators), answers state views, clones, and
// implements the narrow host interfaces hotplug (and later compaction/reporting) build on.
import type { MachineSpec, Operation, Policies, ZoneName, Migratetype, PageKind } from './scenario.js';
import { opErr, type BlockView, type Migration, type OpOutcome, type OpResult, type PageInfo, type SimEvent, type ZoneView, type Verdict } from './api.js';
import { AllocSteps, FreeSteps, OP_HANDLERS, type OpContext, type OpEnv, type SimOp } from './ops.js';
import { OpRun } from './oprun.js';
import { BLOCK_ABSENT, BLOCK_OFFLINE, Core, MOD_BIT, modsToList, type Kind } from './core.js';
import { MIGRATE_TYPES, MOVABLE, UNMOVABLE } from './consts.js';
import { boot } from './boot.js';
import { allocPagesInternal } from './slowpath.js';
import { GFP_KERNEL, GFP_USER, __GFP_MOVABLE, __GFP_NOWARN, __GFP_RECLAIMABLE, __GFP_RETRY_MAYFAIL, __GFP_THISNODE } from './gfp.js';
import { collectUnits, freeEnqueueUnits, freeLookupUnits, freeNow } from './free.js';
import { zonePcpDisable, zonePcpEnable } from './pcp.js';
import { freeBlock, FPI_TO_TAIL } from './buddy.js';
import { recomputeWatermarks } from './watermark.js';
import { sectionHasMemmap, startIsolatePageRange, testPagesIsolated, undoIsolatePageRange, validZone, type IsoMode } from './isolation.js';
import { migratePages, isMigratable } from './migrate.js';
import { allocContigRange, drive } from './contig.js';
import type { CmaArea } from './cma.js';
import { dissolve } from './hugetlb.js';
import { checkInvariants } from './invariants.js';
import { HotplugState, isHotplugOp, runHotplug, validZones, selectCtx, type HotplugHost } from './hotplug/index.js';
import type { VirtioMemHost } from './hotplug/virtio-mem-state.js';
import { populateMemmap } from './hotplug/vmemmap.js';
import { autoOnline } from './hotplug/memory.js';
import { vmemmapPagesForAdd } from './hotplug/memmap.js';
import { hex, ZONE_NAMES, MIGRATETYPE_NAMES } from '../shared/format.js';
import { pow2 } from './pfn.js';

export type { OpContext };

// eslint-disable-next-line require-yield
function* unmodelled(op: Operation): Generator<string, OpOutcome, void> {
  return opErr('EINVAL', `not yet modelled: ${(op as Operation).op}`);
}

/** every operation but alloc and free: its handler's generator (Machine.dispatch), created at the first step */
class GenRun extends OpRun {
  private inner: Iterator<string, OpOutcome, void> | null = null;
  constructor(private readonly machine: Machine, private readonly op: Operation, ctx: OpContext) {
    super(machine, ctx, op.op);
  }
  protected step(): string | OpOutcome {
    // created inside the step, as the delegating generator's prelude used to run: a malformed operation is an
    // internal error like any other throw
    this.inner ??= this.machine.dispatch(this.op, this.ctx, this.cpu);
    return this.inner.next().value;
  }
}

export class Machine {
  c: Core;
  hp: HotplugState;
  /** notes from boot (CMA alignment, pool shortfalls) */
  bootNotes: string[] = [];
  /** the HotplugHost view of this machine */
  readonly host: MachineHost = new MachineHost(this);

  constructor(readonly spec: MachineSpec, readonly policies: Policies, readonly seed: number, init = true) {
    this.c = new Core(spec, policies, seed);
    this.hp = init ? new HotplugState(spec, true, policies) : (undefined as unknown as HotplugState);
    if (!init) return;
    this.c.reportDev.register();
    const b = boot(this.c);
    this.c.cma = b.cma as CmaArea[];
    this.bootNotes = b.notes;
    // coldplugged DIMMs are added by acpi_memhotplug once the page allocator is up: their memmap (without
    // memmap_on_memory) is allocated from boot memory, as add_memory does (hotplug/vmemmap.ts)
    for (const n of spec.nodes) for (const h of n.hotplug) {
      if (h.state !== 'offline' || h.imported) continue;
      const mm = populateMemmap(this.host, h.start, h.end, n.nid, vmemmapPagesForAdd(spec, policies, h.end - h.start) > 0);
      if (!mm.ok) this.bootNotes.push(`memmap of the coldplugged range ${hex(h.start)}..${hex(h.end)} could not be allocated (vmemmap_populate -ENOMEM): the kernel would not add it; the simulator keeps it without charging its memmap`);
      else if (mm.pages) this.bootNotes.push(`memmap of the coldplugged range ${hex(h.start)}..${hex(h.end)}: ${mm.pages} pages allocated at boot`);
    }
    // with vmemmap_accounting=reserve their self-hosted memmap is reserved at add time (as add_memory does)
    if (policies.vmemmap_accounting === 'reserve') {
      for (const blk of this.hp.blocks.values()) if (blk.hotplugged && blk.state === 'offline' && blk.vmemmap) this.host.initVmemmap(blk.start, blk.vmemmap, blk.nid, null);
    }
    // coldplugged DIMMs are onlined at boot when memhp_default_state says so (add_memory_resource → online_memory_block)
    for (const n of spec.nodes) for (const h of n.hotplug) {
      if (h.state !== 'offline' || h.imported) continue;
      const ev: SimEvent[] = [];
      autoOnline(this.host, h.start, h.end, ev);
      for (const e of ev) if (e.type === 'note') this.bootNotes.push(e.text);
    }
  }

  clone(): Machine {
    const m = new Machine(this.spec, this.policies, this.seed, false);
    this.c.cloneInto(m.c);
    m.hp = this.hp.clone();
    m.bootNotes = this.bootNotes;
    return m;
  }

  checkInvariants(): string[] {
    return checkInvariants(this.c, (pfn) => this.hp.present(pfn) && !this.hp.isOnline(pfn));
  }

  // ================================================================== operations
  /**
   * The operation's steps, one phase name per step, and its result: a hand-written generator object (oprun.ts)
   * rather than a generator function. Nothing runs before the first next(), as with a generator. alloc and free
   * are one object each, their steps inline (the order-0 pcp cycle); every other operation runs its handler's
   * generator inside one.
   */
  run(op: Operation, ctx: OpContext): Generator<string, OpResult, void> {
    if (op.op === 'alloc') return new AllocSteps(this, ctx, op);
    if (op.op === 'free') return new FreeSteps(this, ctx, op);
    return new GenRun(this, op, ctx);
  }

  /** @internal (GenRun) the handler's own generator for an operation other than alloc and free, on `cpu` (in range: OpRun) */
  dispatch(op: Operation, ctx: OpContext, cpu: number): Iterator<string, OpOutcome, void> {
    const c = this.c;
    if (isHotplugOp(op)) return runHotplug(this.host, op);
    const handler = OP_HANDLERS[op.op as keyof typeof OP_HANDLERS] as ((e: OpEnv, o: SimOp) => Generator<string, OpOutcome, void>) | undefined;
    // an operation from outside the language (a hand-written JSON scenario) may name none
    if (!handler) return unmodelled(op);
    return handler({ c, host: this.host, ctx, cpu }, op);
  }

  // ================================================================== views
  pageblock(pfn: number): { migratetype: Migratetype; isolated: boolean } {
    const c = this.c;
    if (pfn < c.minPfn || pfn >= c.maxPfn) return { migratetype: 'unmovable', isolated: false };
    const iso = c.isIsolated(pfn);
    return { migratetype: iso ? 'isolate' : MIGRATETYPE_NAMES[c.storedMt(pfn)], isolated: iso };
  }

  /** /sys/kernel/mm/hugepages/hugepages-*kB/: nr_hugepages (surplus included) and free_hugepages */
  hugetlbPool(pages: number): { total: number; free: number } {
    let total = 0, free = 0;
    for (const p of this.c.pools.get(pages)?.values() ?? []) { total += p.total; free += p.free.length; }
    return { total, free };
  }
  /** /sys/kernel/mm/hugepages/hugepages-*kB/surplus_hugepages */
  hugetlbSurplus(pages: number): number {
    let n = 0;
    for (const p of this.c.pools.get(pages)?.values() ?? []) n += p.surplus;
    return n;
  }

  pageInfo(pfn: number): PageInfo {
    const c = this.c;
    const z = c.zoneOf(pfn);
    const pbPfn = c.pbStart(pfn);
    const base: PageInfo = {
      pfn, nid: z?.nid ?? (c.blockNidOf(c.blockOf(pfn)) >= 0 ? c.blockNidOf(c.blockOf(pfn)) : null), zone: z?.name ?? null,
      block: c.blockOf(pfn), pageblock: pbPfn,
      migratetype: z ? (c.isIsolated(pfn) ? 'isolate' : MIGRATETYPE_NAMES[c.storedMt(pfn)]) : null,
      isolated: z ? c.isIsolated(pfn) : false, state: 'hole', head: null, order: null, kind: null, modifiers: [],
      owner: null, cpu: null, lastMigration: null,
    };
    const e = c.extentContaining(pfn);
    if (e && (e.kind as string) === 'vmemmap') return { ...base, state: 'vmemmap' };
    if (!z) {
      // a hole inside a section with online memory: pfn_to_online_page() gives its struct page, which
      // memmap_init() → init_unavailable_range() (mm/mm_init.c) initialised PG_reserved in the zone it chose
      // (/proc/kpageflags: KPF_RESERVED; page_zone(): validZone)
      if (!e && sectionHasMemmap(c, pfn)) {
        const hz = validZone(c, pfn);
        return { ...base, nid: hz?.nid ?? base.nid, zone: hz?.name ?? null, kind: 'reserved' };
      }
      const b = this.hp.blocks.get(c.blockOf(pfn));
      return { ...base, state: b ? (b.state === 'offline' || this.hp.present(pfn) ? 'offline' : 'absent') : c.blockStateOf(c.blockOf(pfn)) === BLOCK_OFFLINE ? 'offline' : c.blockStateOf(c.blockOf(pfn)) === BLOCK_ABSENT && c.blockNidOf(c.blockOf(pfn)) >= 0 ? 'absent' : 'hole' };
    }
    const fb = c.freeContaining(pfn);
    if (fb) return { ...base, state: 'buddy', head: fb.pfn, order: fb.order };
    const pc = c.pcpContaining(pfn);
    if (pc) return { ...base, state: 'pcp', head: pc.pfn, order: pc.e.order, cpu: pc.e.cpu };
    if (e) {
      const us = 1 << e.order;
      const head = e.folio ? e.pfn + Math.floor((pfn - e.pfn) / us) * us : pfn;
      const info: PageInfo = {
        ...base, state: 'allocated', head, order: e.folio ? e.order : 0, kind: e.kind === 'hugetlb' ? null : (e.kind as PageKind),
        modifiers: modsToList(e.mods), owner: e.freeing >= 0 ? `${e.owner ?? ''} (being freed by cpu ${e.freeing})` : e.owner, lastMigration: e.lastMig ?? c.migLog.get(head) ?? null,
      };
      if (e.kind === 'hugetlb') return { ...info, state: e.hugeFree ? 'hugetlb_free' : 'allocated', owner: e.hugeFree ? 'hugetlb pool' : `hugetlb${e.owner ? ' ' + e.owner : ''}` };
      if (e.kind === 'offline') return { ...info, state: 'offline' };
      return info;
    }
    return base;
  }

  /** `reserved … uninitialised` ranges, sorted (present pages whose memmap the kernel has not initialised) */
  private uninitialisedRanges(): [number, number][] {
    const out: [number, number][] = [];
    for (const n of this.spec.nodes) for (const r of n.reserved) if (r.uninitialised) out.push([r.start, r.end]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  zones(): ZoneView[] {
    const c = this.c;
    const out: ZoneView[] = [];
    for (const z of c.zones) {
      if (!z.populated) continue;
      const freeCounts: number[][] = [];
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
        const row: number[] = [];
        for (let o = 0; o <= c.maxOrder; o++) row.push(z.cnt[o * MIGRATE_TYPES + mt]);
        freeCounts.push(row);
      }
      const pbc = [0, 0, 0, 0, 0, 0];
      // pagetypeinfo_showblockitemcount() (mm/vmstat.c): a pageblock counts when its first page is online and in
      // this zone; a page whose memmap is not initialised (deferred struct page init) has no zone yet: not counted
      const uninit = this.uninitialisedRanges();
      let ui = 0;
      for (let p = z.start; p < z.end; p += c.pbPages) {
        if (c.zoneOf(p) !== z) continue;
        while (ui < uninit.length && uninit[ui]![1] <= p) ui++;
        if (ui < uninit.length && uninit[ui]![0] <= p) continue;
        pbc[c.getMt(p)]++;
      }
      let reported = 0;
      for (const b of c.free.values()) if (b.zone === z.idx && b.reported) reported += 1 << b.order;
      const pageblockCounts = Object.fromEntries(MIGRATETYPE_NAMES.map((n, i) => [n, pbc[i]])) as Record<Migratetype, number>;
      out.push({
        nid: z.nid, zone: z.name, start_pfn: z.start, end_pfn: z.end, spanned: z.spanned, present: z.present, managed: z.managed,
        free: z.free, free_cma: z.freeCma, nr_isolate_pageblock: z.nrIsolate, contiguous: z.contiguous, cma_pages: z.cmaPages, reported,
        buddyinfo: z.nrFree.slice(), freeCounts, pageblockCounts,
        watermarks: { min: z.wmMin, low: z.wmLow, high: z.wmHigh, promo: z.wmPromo }, lowmem_reserve: z.lowmemReserve.slice(),
        nr_reserved_highatomic: z.nrReservedHighatomic,
        pcp: z.pcp.map((p, cpu) => ({ cpu, count: p.count, high: p.high, batch: p.batch, high_min: p.highMin, high_max: p.highMax })),
      });
    }
    return out;
  }

  blocks(): BlockView[] {
    const c = this.c;
    const out: BlockView[] = [];
    const ids = new Set<number>(this.hp.blocks.keys());
    for (const n of this.spec.nodes) for (const h of n.hotplug) if (h.state === 'absent') for (let b = c.blockOf(h.start); b <= c.blockOf(h.end - 1); b++) ids.add(b);
    for (const v of this.spec.virtioMem) for (let b = c.blockOf(v.start); b <= c.blockOf(v.end - 1); b++) ids.add(b);
    for (const id of [...ids].sort((a, b) => a - b)) {
      const b = this.hp.blocks.get(id);
      if (!b) {
        out.push({ id, start: id * this.spec.memoryBlockPages, pages: this.spec.memoryBlockPages, state: 'absent', zone: null, nid: c.blockNidOf(id) >= 0 ? c.blockNidOf(id) : null, valid_zones: [] });
        continue;
      }
      // valid_zones_show(): no fallback text — a failure here is a bug, reported as one, never a guessed zone
      const vz = validZones(selectCtx(this.host), b);
      out.push({ id, start: b.start, pages: b.pages, state: b.state, zone: b.state === 'online' ? b.zone : null, nid: b.nid, valid_zones: vz });
    }
    return out;
  }

}

/** The HotplugHost adapter over a Machine's core (docs/hotplug.md "What the core must provide"). */
export class MachineHost implements HotplugHost, VirtioMemHost {
  constructor(private readonly m: Machine) {}
  get c(): Core { return this.m.c; }
  get hp(): HotplugState { return this.m.hp; }
  get spec(): MachineSpec { return this.m.spec; }
  get policies(): Policies { return this.m.policies; }
  // ================================================================== HotplugHost
  zone(nid: number, zone: ZoneName) { return this.zoneRef(nid, zone); }
  zones() { return this.c.zones; }
  private zoneRef(nid: number, zone: ZoneName) { return this.c.zone(nid, ZONE_NAMES.indexOf(zone)); }
  event(e: SimEvent): void { this.c.emit(e); }

  initRange(start: number, nr: number, nid: number, zone: ZoneName, mt: Migratetype, isolate: boolean): void {
    const c = this.c;
    const z = this.zoneRef(nid, zone);
    for (const e of c.extentsIn(start, start + nr)) c.removeExtent(e);
    for (let p = start; p < start + nr; p += c.pbPages) {
      const pb = c.pbNo(p), i = pb - c.pbBase;
      c.pbZone[i] = z.idx;
      c.straddle.delete(pb);
      c.pbMt[i] = MIGRATETYPE_NAMES.indexOf(mt);
      c.pbIso[i] = isolate ? 1 : 0;
      if (isolate) c.isoMode.set(pb, 'offline');
    }
    c.addExtent(c.newExtent(start, nr, 0, false, 'offline', 0, 'hotplug'));
  }
  initVmemmap(start: number, nr: number, nid: number, zone: ZoneName | null): void {
    const c = this.c;
    for (const e of c.extentsIn(start, start + nr)) c.removeExtent(e);
    for (let p = start; p < start + nr; p += c.pbPages) {
      const pb = c.pbNo(p), i = pb - c.pbBase;
      c.pbZone[i] = zone ? this.zoneRef(nid, zone).idx : -1;
      c.straddle.delete(pb);
      c.pbMt[i] = UNMOVABLE;
      c.pbIso[i] = 0;
    }
    c.addExtent(c.newExtent(start, nr, 0, false, 'vmemmap' as Kind, 0, 'memmap_on_memory'));
  }
  poisonRange(start: number, nr: number): void {
    const c = this.c;
    for (const e of c.extentsIn(start, start + nr)) c.removeExtent(e);
    // free blocks left in the range (none after __offline_isolated_pages): walk whichever is smaller, the pages
    // of the range or the machine's free blocks, so offlining a large block costs O(min(pages, free blocks))
    if (nr > c.free.size) {
      for (const b of [...c.free.values()]) if (b.pfn < start + nr && b.pfn + pow2(b.order) > start) c.delFreeAccount(b);
    } else {
      for (let p = start; p < start + nr;) {
        const b = c.freeContaining(p);
        if (b) { c.delFreeAccount(b); p = b.pfn + pow2(b.order); continue; }
        p++;
      }
    }
    for (let p = start; p < start + nr; p += c.pbPages) {
      const pb = c.pbNo(p), i = pb - c.pbBase;
      c.pbZone[i] = -1;
      c.pbIso[i] = 0;
      c.isoMode.delete(pb);
      c.straddle.delete(pb);
    }
  }
  freeSectionUsage(start: number, nr: number): void {
    const c = this.c;
    // the zeroed usemap a re-add brings: migratetype 0 (UNMOVABLE), no skip hint, not isolated
    for (let p = start; p < start + nr; p += c.pbPages) {
      const i = c.pbNo(p) - c.pbBase;
      c.pbMt[i] = UNMOVABLE;
      c.pbSkip[i] = 0;
      c.pbIso[i] = 0;
    }
  }
  allocKernelPage(nid: number, order: number, owner: string): number {
    const c = this.c;
    // vmemmap_alloc_block() (mm/sparse-vmemmap.c): alloc_pages_node(), the whole __alloc_pages_slowpath
    const r = allocPagesInternal(c, { order, gfp: GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, nid, cpu: 0 }, 'vmemmap_alloc_block');
    if (r.pfn >= 0) c.addExtent(c.newExtent(r.pfn, 1 << order, 0, false, 'kernel', 0, owner));
    return r.pfn;
  }
  freeKernelPage(pfn: number, order: number): void {
    const c = this.c;
    const { units, err: e } = collectUnits(c, pfn, 0, order, true);
    if (e) throw new Error(`freeing memmap at ${hex(pfn)}: ${e}`);
    freeLookupUnits(c, units, 0);
    freeEnqueueUnits(c, units, 0);
  }
  freePagesCore(pfn: number, order: number): void {
    const c = this.c;
    const e = c.extentContaining(pfn);
    if (e) {
      const s = Math.max(e.pfn, pfn);
      const part = c.carve(e, s, Math.min(e.pfn + e.n, pfn + (1 << order)) - s);
      c.removeExtent(part);
    }
    for (const x of c.extentsIn(pfn, pfn + (1 << order))) c.removeExtent(x);
    freeBlock(c, c.zoneOf(pfn)!, pfn, order, FPI_TO_TAIL);
  }
  adjustIsolated(nid: number, zone: ZoneName, delta: number): void { this.zoneRef(nid, zone).nrIsolate += delta; }
  zoneChanged(_nid: number, _zone: ZoneName): void { recomputeWatermarks(this.c); }
  pcpDisable(nid: number, zone: ZoneName): void { zonePcpDisable(this.c, this.zoneRef(nid, zone)); }
  pcpEnable(nid: number, zone: ZoneName): void { zonePcpEnable(this.c, this.zoneRef(nid, zone)); }
  isolateRange(start: number, end: number): Verdict { return startIsolatePageRange(this.c, start, end, 'offline' as IsoMode); }
  undoIsolate(start: number, end: number): void { undoIsolatePageRange(this.c, start, end, MOVABLE); }
  scanMovable(start: number, end: number): { ret: 'found' | 'ENOENT' | 'EBUSY'; pfn: number | null } {
    for (const e of this.c.extentsIn(start, end)) {
      if (e.freeing >= 0) continue;
      if (isMigratable(e) && !(e.kind === 'hugetlb' && e.hugeFree)) return { ret: 'found', pfn: Math.max(start, e.pfn) };
    }
    return { ret: 'ENOENT', pfn: null };
  }
  migrateRange(start: number, end: number): Migration[] {
    const c = this.c;
    const mig: Migration[] = [];
    const heads: number[] = [];
    for (const e of c.extentsIn(start, end)) {
      if (e.freeing >= 0 || !isMigratable(e) || (e.kind === 'hugetlb' && e.hugeFree)) continue;
      const us = 1 << e.order;
      for (let p = Math.max(start, e.pfn); p < Math.min(end, e.pfn + e.n); p += e.folio ? us : 1) heads.push(e.folio ? e.pfn + Math.floor((p - e.pfn) / us) * us : p);
    }
    if (!heads.length) return mig;
    // do_migrate_range(): mtc.nid = the first folio's node, nmask = N_MEMORY without it unless it is the only
    // memory node — targets never land on the node being offlined while another node has memory
    const nid = c.zoneOf(heads[0])!.nid;
    const others = Array.from({ length: c.nrNodes }, (_, i) => i).filter((n) => n !== nid && c.zones.some((z) => z.nid === n && z.populated));
    migratePages(c, [...new Set(heads)], { reason: 'MR_MEMORY_HOTPLUG', nid, cpu: 0, gfp: GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL, ...(others.length ? { excludeNid: nid } : {}) }, mig);
    return mig;
  }
  dissolveFreeHugetlb(start: number, end: number): Verdict {
    for (const e of this.c.extentsIn(start, end)) {
      if (e.kind !== 'hugetlb') continue;
      if (!e.hugeFree) return { ok: false, pfn: e.pfn, reason: 'failure to dissolve huge pages: hugetlb folio in use' };
      dissolve(this.c, e.pfn, 0);
    }
    return { ok: true, pfn: null, reason: null };
  }
  testIsolated(start: number, end: number): Verdict { return testPagesIsolated(this.c, start, end, 'offline', true); }
  // ================================================================== VirtioMemHost
  virtioAllocContig(start: number, end: number, cpu: number, owner: string): OpOutcome {
    return drive(allocContigRange(this.c, start, end, { cma: false, gfp: GFP_KERNEL, cpu, owner }));
  }
  virtioSetFakeOffline(start: number, n: number, dirty: boolean, owner: string): void {
    const c = this.c;
    for (const e of c.extentsIn(start, start + n)) {
      const s = Math.max(e.pfn, start);
      c.removeExtent(c.carve(e, s, Math.min(e.pfn + e.n, start + n) - s));
    }
    c.addExtent(c.newExtent(start, n, 0, false, 'offline', dirty ? MOD_BIT.dirty : 0, owner));
  }
  virtioIsDirty(pfn: number): boolean {
    const e = this.c.extentContaining(pfn);
    return !!e && e.kind === 'offline' && (e.mods & MOD_BIT.dirty) !== 0;
  }
  virtioFreeContig(start: number, n: number, cpu: number): void { freeNow(this.c, start, n, cpu); }
  offlineIsolated(start: number, end: number): number {
    const c = this.c;
    let offline = 0;
    for (let p = start; p < end;) {
      const b = c.buddyAt(p);
      if (b) { c.delFreeAccount(b); p += 1 << b.order; continue; }
      const e = c.extentContaining(p);
      if (e) {
        const t = Math.min(end, e.pfn + e.n);
        if (e.kind === 'offline' || e.kind === 'hwpoison') offline += t - Math.max(p, e.pfn);
        p = t;
        continue;
      }
      p++;
    }
    return offline;
  }
}

