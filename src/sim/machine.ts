// The simulator's public face: Machine runs operations (phase generators), answers state views, clones, and
// implements the narrow host interfaces hotplug (and later compaction/reporting) build on.
import type { MachineSpec, Operation, Policies, Target, ZoneName, Migratetype, Errno, PageKind } from './scenario.js';
import type { BlockView, Migration, OpResult, PageInfo, SimEvent, ZoneView } from './api.js';
import { BLOCK_ABSENT, BLOCK_OFFLINE, Core, MOD_BIT, modsToList, type Extent, type Kind } from './core.js';
import { CMA, HIGHATOMIC, MIGRATE_TYPES, MOVABLE, UNMOVABLE, ZONE_MOVABLE } from './consts.js';
import { boot } from './boot.js';
import { allocPages } from './alloc.js';
import { allocPagesSlowpath, slowpathSummary, type SlowpathReport } from './slowpath.js';
import { runKswapd } from './reclaim/kswapd.js';
import { allocGfp, gfpZone, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_USER, __GFP_MOVABLE, __GFP_NOWARN, __GFP_RECLAIMABLE, __GFP_RETRY_MAYFAIL, __GFP_THISNODE } from './gfp.js';
import { collectUnits, freeEnqueueUnits, freeLookupUnits, freeNow, isMemmapPage } from './free.js';
import { fill, modsMask, populateFolio, populatePages, extentsOfZone } from './populate.js';
import { drainAll, zonePcpDisable, zonePcpEnable } from './pcp.js';
import { freeBlock, FPI_TO_TAIL } from './buddy.js';
import { recomputeWatermarks } from './watermark.js';
import { startIsolatePageRange, testPagesIsolated, undoIsolatePageRange, type IsoMode } from './isolation.js';
import { migratePages, isMigratable, type MigrateOpts } from './migrate.js';
import { allocContigPages, allocContigRange, contigGfp, drive, type ContigResult } from './contig.js';
import { cmaAlloc, cmaRelease, type CmaArea } from './cma.js';
import { dissolve } from './hugetlb.js';
import { resizePool } from './hugetlb-pool.js';
import { checkInvariants } from './invariants.js';
import { HotplugState, isHotplugOp, runHotplug, validZones, selectCtx, type HotplugHost } from './hotplug/index.js';
import type { IsolateResult } from './hotplug/host.js';
import type { VirtioMemHost } from './hotplug/virtio-mem-state.js';
import { harvestMovableBlock } from './hotplug/harvest.js';
import { populateMemmap } from './hotplug/vmemmap.js';
import { autoOnline } from './hotplug/memory.js';
import { vmemmapPagesForAdd } from './hotplug/memmap.js';
import { runCompact } from './compaction/index.js';
import { runReport } from './reporting/index.js';
import { moveFreepagesBlock } from './pageblock.js';
import { followLabel } from './labels.js';
import { pushAll } from './arrays.js';
import { hex, ZONE_NAMES, MIGRATETYPE_NAMES } from '../shared/format.js';

export interface OpContext {
  cpu: number;
  label: string;
  resolve(t: Target): { pfn: number; pages: number }[];
  /** labels are the owners of what their operation allocated (the runner): a page a label no longer owns is an error */
  strictLabels?: boolean;
  /** why a label names nothing any more (e.g. "a was freed at line 3"), or null */
  labelError?(t: Target): string | null;
}

type R = Omit<OpResult, 'events'>;
const ok = (extra: Partial<R> = {}): R => ({ ok: true, errno: null, pfn: null, reason: null, allocated: [], migrations: [], ...extra });
const err = (errno: Errno, reason: string, pfn: number | null = null, extra: Partial<R> = {}): R => ({ ok: false, errno, pfn, reason, allocated: [], migrations: [], ...extra });

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
    return checkInvariants(this.c);
  }

  // ================================================================== operations
  *run(op: Operation, ctx: OpContext): Generator<string, OpResult, void> {
    const events: SimEvent[] = [];
    // pages an operation puts on the LRU are younger than everything before (lru_cache_add at the list head)
    this.c.lruSeq++;
    const inner = this.dispatch(op, ctx);
    for (;;) {
      this.c.events = events;
      let r: IteratorResult<string, R>;
      try {
        r = inner.next();
      } catch (e) {
        // A throw is a simulator bug, never the kernel's answer: report it as an internal error (no errno) and
        // let the runner stop the run and restore the state from before this operation.
        const message = e instanceof Error ? e.message : String(e);
        return { ok: false, errno: null, pfn: null, reason: null, allocated: [], migrations: [], events, internal: { message } };
      }
      if (r.done) {
        const res = r.value as R & { events?: SimEvent[] };
        return { ...res, events: res.events ? [...events, ...res.events] : events };
      }
      events.push({ type: 'phase', phase: r.value });
      yield r.value;
    }
  }

  private zoneRef(nid: number, zone: ZoneName) {
    return this.c.zone(nid, ZONE_NAMES.indexOf(zone));
  }

  private *dispatch(op: Operation, ctx: OpContext): Generator<string, R, void> {
    const c = this.c;
    const cpu = ((ctx.cpu % c.cpus) + c.cpus) % c.cpus;
    if (isHotplugOp(op)) return (yield* runHotplug(this.host, op)) as R;
    switch (op.op) {
      case 'page': {
        if (op.end <= op.start) return err('EINVAL', 'empty range');
        const r = populatePages(c, op.start, op.end, op.kind, modsMask(op.modifiers), ctx.label, op.kind === 'pcp' ? op.cpu ?? cpu : cpu);
        yield 'run';
        return r.err ? err('EINVAL', r.err, r.pfn) : ok();
      }
      case 'folio': {
        const r = populateFolio(c, op.pfn, op.order, op.kind, modsMask(op.modifiers), ctx.label);
        yield 'run';
        return r.err ? err('EINVAL', r.err, r.pfn) : ok({ allocated: [{ pfn: op.pfn, pages: 2 ** op.order }] });
      }
      case 'pageblock': {
        // set_pageblock_migratetype() with move_freepages_block(), as a claimed block gets
        const z = c.zoneOf(op.pfn);
        yield 'run';
        if (!z) return err('EINVAL', `pfn ${hex(op.pfn)} is not online memory`, op.pfn);
        const start = c.pbStart(op.pfn);
        if (c.isIsolated(start)) return err('EBUSY', `pageblock ${hex(start)} is isolated`, start);
        const from = c.storedMt(start);
        if (from === CMA) return err('EINVAL', `pageblock ${hex(start)} is MIGRATE_CMA (part of a CMA area)`, start);
        const mt = MIGRATETYPE_NAMES.indexOf(op.migratetype);
        // a free block larger than a pageblock is retyped whole (change_pageblock_range, as when it is claimed)
        const big = c.freeContaining(start);
        const first = big && big.order > c.pbo ? big.pfn : start;
        const n = big && big.order > c.pbo ? 2 ** (big.order - c.pbo) : 1;
        for (let i = 0; i < n; i++) {
          const pb = first + i * c.pbPages;
          const was = c.storedMt(pb);
          if (was === CMA || c.isIsolated(pb)) continue;
          if (i === 0) moveFreepagesBlock(c, pb, mt);
          c.setMt(pb, mt, 'pageblock');
          if (was === HIGHATOMIC) z.nrReservedHighatomic -= c.pbPages;
          if (mt === HIGHATOMIC) z.nrReservedHighatomic += c.pbPages;
        }
        return ok();
      }
      case 'fill': {
        const z = this.zoneRef(op.zone.nid, op.zone.zone);
        if (!z.populated) return err('EINVAL', `zone ${op.zone.zone} of node ${op.zone.nid} is empty`);
        const r = fill(c, z, op.percent, op.cls, op.order, op.packed, ctx.label);
        yield 'run';
        if (r.err) return err('ENOMEM', r.err);
        c.note(`fill: ${r.pages} pages in units of ${r.unit}`);
        return ok();
      }
      case 'alloc': return yield* this.allocOp(op, ctx.label, cpu);
      case 'free': return yield* this.freeOp(op, ctx, cpu);
      case 'pin': return yield* this.pinOp(op.target, op.longterm, ctx, cpu);
      case 'unpin': {
        const t = this.resolveTarget(op.target, ctx);
        if (t.err) return err('EINVAL', t.err, t.errPfn);
        const units = this.targetUnits(t.ranges);
        if (typeof units === 'string') return err('EINVAL', units);
        for (const e of units) e.mods &= ~(2 | 4);
        yield 'run';
        return ok();
      }
      case 'slab_grow': {
        const z = this.zoneRef(op.zone.nid, op.zone.zone);
        const gfp = GFP_KERNEL | (op.reclaimable ? __GFP_RECLAIMABLE : 0);
        let slow: SlowpathReport | null = null;
        for (let i = 0; i < op.pages; i++) {
          const r = allocPagesSlowpath(c, { order: 0, gfp, nid: op.zone.nid, cpu, highestZone: z.zid });
          if (r.slowpath) slow = r.slowpath;
          if (r.pfn < 0) { yield 'run'; return err('ENOMEM', `slab grow: ${i} of ${op.pages} pages: ${r.reason}`, null, slow ? { slowpath: slowpathSummary(slow) } : {}); }
          c.addExtent(c.newExtent(r.pfn, 1, 0, false, 'slab', op.reclaimable ? 1 : 0, ctx.label));
        }
        yield 'run';
        return ok(slow ? { slowpath: slowpathSummary(slow) } : {});
      }
      case 'slab_shrink': {
        const z = this.zoneRef(op.zone.nid, op.zone.zone);
        const exts = extentsOfZone(c, z, (e) => e.kind === 'slab' && (e.mods & 1) !== 0);
        let total = 0;
        for (const e of exts) total += e.n;
        let need = Math.floor((total * op.percent) / 100);
        let left = total;
        const pick: number[] = [];
        for (const e of exts) for (let p = e.pfn; p < e.pfn + e.n && need > 0; p++, left--) if (c.rng.float() * left < need) { pick.push(p); need--; }
        for (const p of pick) freeNow(c, p, 1, cpu);
        c.note(`slab shrink: ${pick.length} of ${total} reclaimable slab pages freed`);
        yield 'run';
        return ok();
      }
      case 'drain': {
        const zones = op.zone ? [this.zoneRef(op.zone.nid, op.zone.zone)] : c.zones.filter((z) => z.populated);
        const n = drainAll(c, zones, op.cpu);
        c.note(`drained ${n} pages`);
        yield 'run';
        return ok();
      }
      case 'isolate': {
        const r = startIsolatePageRange(c, op.start, op.end, op.mode);
        yield 'run';
        return r.ok ? ok() : err('EBUSY', r.reason ?? 'isolation failed', r.pfn);
      }
      case 'unisolate': {
        undoIsolatePageRange(c, op.start, op.end);
        yield 'run';
        return ok();
      }
      case 'alloc_contig_range': {
        const g = contigGfp(op.gfp);
        if (g.err) return err('EINVAL', g.err, op.start);
        const r = yield* allocContigRange(c, op.start, op.end, { cma: op.cma, gfp: g.gfp, cpu, owner: ctx.label });
        return r;
      }
      case 'alloc_contig_pages': {
        const nid = op.nid ?? op.zone?.nid ?? 0;
        const only = op.zone ? this.zoneRef(op.zone.nid, op.zone.zone) : null;
        const r = allocContigPages(c, op.pages, GFP_KERNEL, nid, gfpZone(GFP_KERNEL), { cma: false, gfp: GFP_KERNEL, cpu, owner: ctx.label }, only);
        yield 'run';
        const { tried: _t, ...rest } = r;
        return rest;
      }
      case 'cma_alloc': {
        const a = c.cma.find((x) => x.name === op.area);
        if (!a) return err('EINVAL', `no CMA area named ${op.area}`);
        return yield* cmaAlloc(c, a, op.pages, op.align, cpu, ctx.label);
      }
      case 'cma_release': {
        const rt = this.resolveTarget(op.target, ctx);
        if (rt.err) return err('EINVAL', rt.err, rt.errPfn);
        for (const t of rt.ranges) {
          const pages = t.pages || (c.extentContaining(t.pfn)?.n ?? 1);
          const r = cmaRelease(c, t.pfn, pages, cpu);
          if (!r.ok) return err('EINVAL', r.reason ?? 'cma_release failed', t.pfn);
        }
        yield 'run';
        return ok();
      }
      case 'hugetlb_resize': {
        const r = resizePool(c, op.pages, op.count, op.nid, cpu);
        if (r.note) c.note(r.note);
        yield 'run';
        return ok();
      }
      case 'migrate': {
        const t = this.resolveTarget(op.target, ctx);
        if (t.err) return err('EINVAL', t.err, t.errPfn);
        const units = this.targetUnits(t.ranges);
        if (typeof units === 'string') return err('EINVAL', units);
        const mig: Migration[] = [];
        const heads = units.map((e) => e.pfn);
        const srcNid = c.zoneOf(heads[0] ?? 0)?.nid ?? 0;
        const r = migratePages(c, heads, { reason: 'MR_SYSCALL', nid: op.nid ?? srcNid, cpu, gfp: GFP_HIGHUSER_MOVABLE | (op.nid !== null ? __GFP_THISNODE : 0) }, mig);
        yield 'run';
        if (r.enomem) return err('ENOMEM', 'no migration target', r.failed[0] ?? null, { migrations: mig });
        if (r.failed.length) {
          const f = mig.find((m) => m.src === r.failed[0] && m.result !== 'ok');
          return err('EBUSY', `${r.failed.length} folio(s) not migrated: ${f?.reason ?? ''}`, r.failed[0], { migrations: mig });
        }
        return ok({ migrations: mig });
      }
      case 'compact': {
        const z = this.zoneRef(op.zone.nid, op.zone.zone);
        if (!z.populated) return err('EINVAL', `zone ${op.zone.zone} of node ${op.zone.nid} is empty`);
        return (yield* runCompact(c, z, op.order, cpu)) as R;
      }
      case 'report':
        return (yield* runReport(c, c.reportDev)) as R;
      case 'kswapd': {
        if (op.nid < 0 || op.nid >= c.nrNodes) return err('EINVAL', `node ${op.nid} does not exist`);
        const r = runKswapd(c, op.nid, cpu);
        c.note(r.text);
        yield 'run';
        return ok({ reason: r.text });
      }
      default:
        return err('EINVAL', `not yet modelled: ${(op as Operation).op}`);
    }
  }

  /** the pages a target names now: a label follows its migrated folios (labels.ts) */
  private resolveTarget(t: Target, ctx: OpContext): { ranges: { pfn: number; pages: number }[]; err: string | null; errPfn: number | null } {
    if (t.kind === 'name') {
      const why = ctx.labelError?.(t) ?? null;
      if (why) return { ranges: [], err: why, errPfn: null };
    }
    const ranges = ctx.resolve(t);
    if (t.kind !== 'name') return { ranges, err: null, errPfn: null };
    return followLabel(this.c, t.name, ranges, ctx.strictLabels === true);
  }

  /** the units (folios/pages as their own extents) a target names, each once */
  private targetUnits(ranges: { pfn: number; pages: number }[]): Extent[] | string {
    const out: Extent[] = [];
    const seen = new Set<number>();
    for (const t of ranges) {
      const end = t.pfn + Math.max(1, t.pages);
      for (let p = t.pfn; p < end;) {
        const u = this.c.unitAt(p);
        if (!u) return `page ${hex(p)} is not allocated`;
        if (!seen.has(u.pfn)) out.push(u);
        seen.add(u.pfn);
        p = u.pfn + u.n;
      }
    }
    return out;
  }

  private *allocOp(op: Extract<Operation, { op: 'alloc' }>, label: string, cpu: number): Generator<string, R, void> {
    const c = this.c;
    const { gfp, unknown } = allocGfp(op.gfp, op.migratetype);
    if (unknown) return err('EINVAL', `unknown gfp flag ${unknown}`);
    const nid = op.zone?.nid ?? 0;
    const highestZone = op.zone ? ZONE_NAMES.indexOf(op.zone.zone) : undefined;
    const allocated: { pfn: number; pages: number }[] = [];
    const kind: Kind = op.migratetype === 'movable' ? (op.order === c.pbo ? 'thp' : 'anon') : op.migratetype === 'unmovable' ? 'kernel' : 'slab';
    const mods = op.migratetype === 'reclaimable' ? 1 : 0;
    const extraMig: Migration[] = [];
    let slow: SlowpathReport | null = null;
    for (let i = 0; i < Math.max(1, op.count); i++) {
      // the whole slow path (reclaim, compaction, retries, OOM decision); the harvest proposal only runs after it
      // failed for a kernel zone, i.e. after reclaim and compaction of the kernel zones
      let r = allocPagesSlowpath(c, { order: op.order, gfp, nid, cpu, highestZone });
      if (r.slowpath) {
        slow = r.slowpath;
        if (r.pfn >= 0 && (r.slowpath.reclaimRuns || r.slowpath.compaction.length)) c.note(`allocation ${i + 1}: slow path: ${slowpathSummary(r.slowpath).text}`);
      }
      if (r.pfn < 0 && c.pol.movable_kernel_fallback === 'harvest' && (highestZone ?? gfpZone(gfp)) < ZONE_MOVABLE) {
        const h = harvestMovableBlock(this.host, nid);
        if (h?.ok) {
          pushAll(extraMig, h.migrations);
          for (const e of h.events) c.emit(e);
          r = allocPagesSlowpath(c, { order: op.order, gfp, nid, cpu, highestZone });
        }
      }
      if (r.pfn < 0) {
        yield 'run';
        const reason = op.count > 1 ? `allocation ${i + 1} of ${op.count}: ${r.reason}` : (r.reason ?? 'allocation failed');
        return err('ENOMEM', reason, null, { allocated, migrations: extraMig, ...(slow ? { slowpath: slowpathSummary(slow) } : {}) });
      }
      c.addExtent(c.newExtent(r.pfn, 1 << op.order, op.order, op.order > 0, kind, mods, label));
      allocated.push({ pfn: r.pfn, pages: 1 << op.order });
    }
    yield 'run';
    return ok({ allocated, migrations: extraMig, ...(slow ? { slowpath: slowpathSummary(slow) } : {}) });
  }

  private *freeOp(op: Extract<Operation, { op: 'free' }>, ctx: OpContext, cpu: number): Generator<string, R, void> {
    const c = this.c;
    const rt = this.resolveTarget(op.target, ctx);
    if (rt.err) return err('EINVAL', rt.err, rt.errPfn);
    const ranges = rt.ranges;
    if (!ranges.length) return err('EINVAL', 'nothing to free');
    const all: ReturnType<typeof collectUnits>['units'] = [];
    const seen = new Set<number>();
    for (const t of ranges) {
      const r = collectUnits(c, t.pfn, t.pages, op.order);
      if (r.err) return err('EINVAL', r.err, r.errPfn);
      for (const u of r.units) {
        // the same page or folio named twice: the second put would free freed memory
        if (seen.has(u.pfn)) return err('EINVAL', `page ${hex(t.pfn)}: ${u.order ? `folio ${hex(u.pfn)}` : `page ${hex(u.pfn)}`} is named twice by this free (double free)`, u.pfn);
        seen.add(u.pfn);
      }
      pushAll(all, r.units);
    }
    freeLookupUnits(c, all, cpu);
    yield 'lookup';
    freeEnqueueUnits(c, all, cpu);
    yield 'enqueue';
    return ok();
  }

  private *pinOp(target: Target, longterm: boolean, ctx: OpContext, cpu: number): Generator<string, R, void> {
    const c = this.c;
    const t = this.resolveTarget(target, ctx);
    if (t.err) return err('EINVAL', t.err, t.errPfn);
    const units = this.targetUnits(t.ranges);
    if (typeof units === 'string') return err('EINVAL', units);
    const mig: Migration[] = [];
    for (const u0 of units) {
      let u = u0;
      if (!isMigratable(u) && u.kind !== 'kernel') return err('EINVAL', `page ${hex(u.pfn)} (${u.kind}) cannot be pinned by GUP`, u.pfn);
      // struct pages are mapped only in the kernel's vmemmap: no user address for GUP to pin
      if (isMemmapPage(u)) return err('EINVAL', `page ${hex(u.pfn)} holds the ${u.owner}: not user memory, GUP cannot pin it`, u.pfn);
      const z = c.zoneOf(u.pfn)!;
      if (longterm && (z.zid === ZONE_MOVABLE || c.storedMt(u.pfn) === CMA) && isMigratable(u)) {
        // check_and_migrate_movable_pages(): FOLL_LONGTERM pages must leave ZONE_MOVABLE / CMA first
        const o: MigrateOpts = { reason: 'MR_LONGTERM_PIN', nid: z.nid, cpu, gfp: GFP_USER | __GFP_RETRY_MAYFAIL, noMovable: true };
        const r = migratePages(c, [u.pfn], o, mig);
        if (r.failed.length || r.enomem) return err('ENOMEM', `longterm pin: could not migrate ${hex(u.pfn)} out of ${z.name}${c.storedMt(u.pfn) === CMA ? '/CMA' : ''}`, u.pfn, { migrations: mig });
        const dst = mig[mig.length - 1].dst!;
        u = c.unitAt(dst)!;
      }
      u.mods |= longterm ? 4 : 2;
    }
    yield 'run';
    return ok({ migrations: mig });
  }

  // ================================================================== views
  pageblock(pfn: number): { migratetype: Migratetype; isolated: boolean } {
    const c = this.c;
    if (pfn < c.minPfn || pfn >= c.maxPfn) return { migratetype: 'unmovable', isolated: false };
    const iso = c.isIsolated(pfn);
    return { migratetype: iso ? 'isolate' : MIGRATETYPE_NAMES[c.storedMt(pfn)], isolated: iso };
  }

  hugetlbPool(pages: number): { total: number; free: number } {
    let total = 0, free = 0;
    for (const p of this.c.pools.get(pages)?.values() ?? []) { total += p.total; free += p.free.length; }
    return { total, free };
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
      let vz: string[];
      try { vz = validZones(selectCtx(this.host), b); } catch { vz = b.zone ? [b.zone] : ['none']; }
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
      for (const b of [...c.free.values()]) if (b.pfn < start + nr && b.pfn + 2 ** b.order > start) c.delFreeAccount(b);
    } else {
      for (let p = start; p < start + nr;) {
        const b = c.freeContaining(p);
        if (b) { c.delFreeAccount(b); p = b.pfn + 2 ** b.order; continue; }
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
  allocKernelPage(nid: number, order: number, owner: string): number {
    const c = this.c;
    const r = allocPages(c, { order, gfp: GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, nid, cpu: 0 });
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
  isolateRange(start: number, end: number): IsolateResult { return startIsolatePageRange(this.c, start, end, 'offline' as IsoMode); }
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
  dissolveFreeHugetlb(start: number, end: number): IsolateResult {
    for (const e of this.c.extentsIn(start, end)) {
      if (e.kind !== 'hugetlb') continue;
      if (!e.hugeFree) return { ok: false, pfn: e.pfn, reason: 'failure to dissolve huge pages: hugetlb folio in use' };
      dissolve(this.c, e.pfn, 0);
    }
    return { ok: true, pfn: null, reason: null };
  }
  testIsolated(start: number, end: number): IsolateResult { return testPagesIsolated(this.c, start, end, 'offline', true); }
  // ================================================================== VirtioMemHost
  virtioAllocContig(start: number, end: number, cpu: number, owner: string): ContigResult {
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

