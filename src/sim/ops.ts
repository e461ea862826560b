// The operations of a scenario, one handler per `op` (memory hotplug's are in hotplug/index.ts): a table the
// compiler checks is complete, so a new operation is one entry here (and its kind in scenario.ts). alloc and free
// are state machines of their own (AllocSteps, FreeSteps); Machine.run dispatches every other operation through
// OP_HANDLERS.
import type { Operation, Target, ZoneName } from './scenario.js';
import type { Migration } from './api.js';
import { opErr as err, opOk as ok, type OpOutcome } from './api.js';
import type { Core, Extent, Kind } from './core.js';
import type { Zone } from './zone.js';
import { CMA, HIGHATOMIC, ZONE_MOVABLE } from './consts.js';
import { allocPagesSlowpath, slowpathNoteText, slowpathSummary, type SlowpathReport } from './slowpath.js';
import { runKswapd } from './reclaim/kswapd.js';
import { pickSlabFolios, SLAB_OBJECT_CAVEAT, type SlabRun } from './reclaim/slab-pick.js';
import { SYSCTLS, writeSysctl } from './sysctl.js';
import { runKcompactd } from './compaction/kcompactd.js';
import { allocGfp, gfpZone, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_USER, __GFP_RECLAIMABLE, __GFP_RETRY_MAYFAIL, __GFP_THISNODE } from './gfp.js';
import { collectUnits, freeEnqueueUnits, freeLookupUnits, freeNow, isMemmapPage, unfreeable } from './free.js';
import { fill, modsMask, populateFolio, populatePages, extentsOfZone } from './populate.js';
import { drainAll, freeEnqueue, freeLookup } from './pcp.js';
import { startIsolatePageRange, undoIsolatePageRange } from './isolation.js';
import { migratePages, isMigratable, type MigrateOpts } from './migrate.js';
import { allocContigPages, allocContigRange, contigGfp } from './contig.js';
import { cmaAlloc, cmaRelease } from './cma.js';
import { resizePool } from './hugetlb-pool.js';
import { allocSurplusHugetlb, dequeueHugetlb, dissolve, freeHugeFolio, memoryNodes, pool } from './hugetlb.js';
import type { HotplugHost, HotplugOp } from './hotplug/index.js';
import { harvestMovableBlock } from './hotplug/harvest.js';
import { runCompact } from './compaction/index.js';
import { runReport } from './reporting/index.js';
import { moveFreepagesBlock } from './pageblock.js';
import { followLabel, type Range } from './labels.js';
import { OpRun, phaseEvent, type OpContext, type OpMachine, type PhaseEvent } from './oprun.js';
import { freeSwapSlots } from './swap.js';
import { pushAll } from './arrays.js';
import { hex, MIGRATETYPE_NAMES, ZONE_NAMES } from '../shared/format.js';
import { MOD_BIT, MOD_PINNED_ANY } from './core.js';
import { populationError } from './population-rules.js';
import { pow2 } from './pfn.js';

export type { OpContext } from './oprun.js';

/** what a handler works on: the core, the machine's hotplug view, the operation's context and its cpu (in range) */
export interface OpEnv {
  readonly c: Core;
  readonly host: HotplugHost;
  readonly ctx: OpContext;
  readonly cpu: number;
}

/** every operation but memory hotplug's */
export type SimOp = Exclude<Operation, HotplugOp>;
type Handler<K extends SimOp['op']> = (e: OpEnv, op: Extract<SimOp, { op: K }>) => Generator<string, OpOutcome, void>;

function zoneRef(c: Core, nid: number, zone: ZoneName): Zone {
  return c.zone(nid, ZONE_NAMES.indexOf(zone));
}

/** the pages a target names now: a label follows its migrated folios (labels.ts) */
/** `swapped`: the label's recorded pages that reclaim swapped out (not in memory; swap.ts) */
export function resolveTarget(c: Core, t: Target, ctx: OpContext): { ranges: Range[]; swapped: Range[]; err: string | null; errPfn: number | null } {
  if (t.kind === 'name') {
    const why = ctx.labelError?.(t) ?? null;
    if (why) return { ranges: [], swapped: [], err: why, errPfn: null };
  }
  const ranges = ctx.resolve(t);
  if (t.kind !== 'name') return { ranges, swapped: [], err: null, errPfn: null };
  return followLabel(c, t.name, ranges, ctx.strictLabels === true);
}

type AllocOp = Extract<SimOp, { op: 'alloc' }>;
type FreeOp = Extract<SimOp, { op: 'free' }>;

/** what alloc and free run on: the core (read at each step) and the machine's hotplug view */
export interface StepMachine extends OpMachine { readonly host: HotplugHost }

/**
 * The `alloc` operation as a hand-written state machine rather than a generator (the order-0 pcp cycle runs
 * millions of them; a generator's creation and resumption, and a wrapper around it, were a measurable share): one
 * step, 'run', after all its allocations, and the outcome built after the step as the generator built it. An
 * invalid gfp flag answers before any step.
 */
/** the phases of the alloc and free steps */
const PH_RUN = phaseEvent('run');
const PH_LOOKUP = phaseEvent('lookup');
const PH_ENQUEUE = phaseEvent('enqueue');

export class AllocSteps extends OpRun {
  private phase = 0;
  /** the allocations made (null until the first: most alloc operations make one, built as a one-element literal) */
  private allocated: { pfn: number; pages: number }[] | null = null;
  private readonly extraMig: Migration[] = [];
  private slow: SlowpathReport | null = null;
  /** the failure's reason (ENOMEM), or null when every allocation succeeded */
  private failed: string | null = null;
  constructor(private readonly sm: StepMachine, ctx: OpContext, private readonly op: AllocOp) {
    super(sm, ctx, 'alloc');
  }
  protected step(c: Core): string | PhaseEvent | OpOutcome {
    if (this.phase++ === 0) return this.run(c) ?? PH_RUN;
    const extra = this.slow ? { slowpath: slowpathSummary(this.slow) } : null;
    if (this.failed !== null) return err('ENOMEM', this.failed, null, { allocated: this.allocated ?? [], migrations: this.extraMig, ...extra });
    // ok({ allocated, migrations, slowpath? }) built directly: the same keys in the same order
    const allocated = this.allocated ?? [];
    if (extra) {
      const res: OpOutcome = { ok: true, errno: null, pfn: null, reason: null, allocated, migrations: this.extraMig };
      res.slowpath = extra.slowpath;
      return res;
    }
    // `events` last and empty: OpRun fills it in (a store to a field the literal has; adding it was a property
    // transition and a new backing store per operation, ~10% of the order-0 pcp cycle)
    return { ok: true, errno: null, pfn: null, reason: null, allocated, migrations: this.extraMig, events: undefined };
  }
  /** everything before the step; an outcome when the operation ends without one */
  private run(c: Core): OpOutcome | null {
    const { op, extraMig, cpu } = this;
    const label = this.ctx.label;
    const { gfp, unknown } = allocGfp(op.gfp, op.migratetype);
    if (unknown) return err('EINVAL', `unknown gfp flag ${unknown}`);
    const nid = op.zone?.nid ?? 0;
    const highestZone = op.zone ? ZONE_NAMES.indexOf(op.zone.zone) : undefined;
    const kind: Kind = op.migratetype === 'movable' ? (op.order === c.pbo ? 'thp' : 'anon') : op.migratetype === 'unmovable' ? 'kernel' : 'slab';
    const mods = op.migratetype === 'reclaimable' ? MOD_BIT.reclaimable : 0;
    for (let i = 0; i < Math.max(1, op.count); i++) {
      // the whole slow path (reclaim, compaction, retries, OOM decision); the harvest proposal only runs after it
      // failed for a kernel zone, i.e. after reclaim and compaction of the kernel zones
      let r = allocPagesSlowpath(c, { order: op.order, gfp, nid, cpu, highestZone });
      if (r.slowpath) {
        this.slow = r.slowpath;
        if (r.pfn >= 0 && (r.slowpath.reclaimRuns || r.slowpath.compaction.length)) c.note(`allocation ${i + 1}: slow path: ${slowpathNoteText(c, r.slowpath)}`);
      }
      if (r.pfn < 0 && c.pol.movable_kernel_fallback === 'harvest' && (highestZone ?? gfpZone(gfp)) < ZONE_MOVABLE) {
        const h = harvestMovableBlock(this.sm.host, nid);
        if (h?.ok) {
          pushAll(extraMig, h.migrations);
          for (const e of h.events) c.emit(e);
          r = allocPagesSlowpath(c, { order: op.order, gfp, nid, cpu, highestZone });
        }
      }
      if (r.pfn < 0) {
        this.failed = op.count > 1 ? `allocation ${i + 1} of ${op.count}: ${r.reason}` : (r.reason ?? 'allocation failed');
        return null;
      }
      c.addExtent(c.newExtent(r.pfn, 1 << op.order, op.order, op.order > 0, kind, mods, label));
      const got = { pfn: r.pfn, pages: 1 << op.order };
      if (this.allocated) this.allocated.push(got);
      else this.allocated = [got];
    }
    return null;
  }
}

/**
 * The `free` operation as a hand-written state machine: the free of one order-0 page a label owns (the pcp cycle)
 * makes the same state changes as the general path (freeGeneral) at the same steps ('lookup', then 'enqueue'),
 * without the unit arrays and without looking the extent up once per step; anything else runs the general path.
 */
export class FreeSteps extends OpRun {
  private phase = 0;
  private general: Generator<string, OpOutcome, void> | null = null;
  private pfn = -1;
  private mt = -1;
  constructor(private readonly sm: StepMachine, ctx: OpContext, private readonly op: FreeOp) {
    super(sm, ctx, 'free');
  }
  protected step(c: Core): string | PhaseEvent | OpOutcome {
    if (this.general) return this.general.next().value;
    const cpu = this.cpu;
    switch (this.phase++) {
      case 0: {
        const one = this.op.order === null ? ownedSinglePage(c, this.op.target, this.ctx) : null;
        if (!one) {
          this.general = freeGeneral({ c, host: this.sm.host, ctx: this.ctx, cpu }, this.op);
          return this.general.next().value;
        }
        // freeLookupUnits: the page's refcount drops (being freed by cpu) and the pageblock's type is read
        this.pfn = one.pfn;
        one.freeing = cpu;
        this.mt = freeLookup(c, one.pfn);
        return PH_LOOKUP;
      }
      case 1: {
        // freeEnqueueUnits: the extent (looked up again: another cpu's operation may have run since) goes, then
        // the page goes to the pcp list (order 0 is always pcp-allowed)
        const pfn = this.pfn;
        const kept = c.ext.get(pfn);
        const now = kept && kept.n === 1 ? kept : c.extentContaining(pfn);
        if (now) c.removeExtent(now);
        c.migLog.delete(pfn);
        c.dropMoved(pfn);
        freeEnqueue(c, c.zoneOf(pfn)!, cpu, pfn, 0, this.mt);
        return PH_ENQUEUE;
      }
      default:
        // ok() with the empty `events` key OpRun fills in (AllocSteps.step)
        return { ok: true, errno: null, pfn: null, reason: null, allocated: [], migrations: [], events: undefined };
    }
  }
}

/** free: the general path (any target, forced orders, folios, hugetlb folios, errors) */
function* freeGeneral(e: OpEnv, op: FreeOp): Generator<string, OpOutcome, void> {
  const { c, cpu, ctx } = e;
  const rt = resolveTarget(c, op.target, ctx);
  if (rt.err) return err('EINVAL', rt.err, rt.errPfn);
  const ranges = rt.ranges;
  const inSwap = pagesOf(rt.swapped);
  // swapped-out anon is unmapped (zap_pte_range), never freed by order (__free_pages)
  if (inSwap && op.order !== null) return err('EINVAL', `${inSwap} of the pages are swapped out (anon): swap entries are freed by unmapping them (zap_pte_range), not by __free_pages of order ${op.order}; free the label without \`order\``);
  if (!ranges.length && !inSwap) return err('EINVAL', 'nothing to free');
  const all: ReturnType<typeof collectUnits>['units'] = [];
  const seen = new Set<number>();
  // in-use hugetlb folios (hugetlb … alloc): their last put is free_huge_folio(), never the pcp
  const huge: number[] = [];
  for (const t of ranges) {
    const h = c.extentContaining(t.pfn);
    if (h && h.kind === 'hugetlb' && !h.hugeFree && h.freeing < 0 && !(h.mods & MOD_PINNED_ANY)) {
      for (let p = h.pfn; p < Math.max(t.pfn + t.pages, h.pfn + 1); p += h.n) {
        const u = c.extentContaining(p);
        if (!u || u.kind !== 'hugetlb' || u.hugeFree) return err('EINVAL', `page ${hex(p)} is not an in-use hugetlb folio`, p);
        if (seen.has(u.pfn)) return err('EINVAL', `page ${hex(t.pfn)}: hugetlb folio ${hex(u.pfn)} is named twice by this free (double free)`, u.pfn);
        seen.add(u.pfn);
        huge.push(u.pfn);
      }
      continue;
    }
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
  for (const p of huge) if (freeHugeFolio(c, p, cpu) === 'buddy') c.note(`hugetlb folio ${hex(p)} was surplus: freed to the buddy allocator (free_huge_folio)`);
  if (inSwap && op.target.kind === 'name') {
    // munmap/exit of swapped-out anon: zap_pte_range → free_swap_and_cache_nr (mm/memory.c, mm/swapfile.c) puts the
    // slots back; the pages themselves were freed when reclaim swapped them out
    const slots = freeSwapSlots(c, op.target.name, rt.swapped);
    const resident = pagesOf(ranges);
    const text = `${inSwap} of ${inSwap + resident} pages were swapped out: ${slots} swap slots freed (zap_pte_range → free_swap_and_cache_nr), ${resident} resident pages freed`;
    c.note(text);
    yield 'enqueue';
    return ok({ reason: text });
  }
  yield 'enqueue';
  return ok();
}

/**
 * The extent of the one page a `free` of a label names, when that is a lone order-0 page the label owns and a
 * scenario may free (what resolveTarget, the hugetlb check and collectUnits would find, and nothing else); else
 * null and the general path decides (errors included).
 */
function ownedSinglePage(c: Core, t: Target, ctx: OpContext): Extent | null {
  if (t.kind !== 'name' || ctx.labelError?.(t)) return null;
  const ranges = ctx.resolve(t);
  if (ranges.length !== 1 || ranges[0]!.pages > 1) return null;
  // a one-page extent is keyed by its pfn: extents are disjoint, so the extent containing pfn is then that one
  // (and when none is keyed there, or it is longer, this path does not apply)
  const x = c.ext.get(ranges[0]!.pfn);
  if (!x || x.n !== 1 || x.order !== 0 || x.owner !== t.name || x.freeing >= 0 || x.kind === 'hugetlb') return null;
  return unfreeable(x, false) === null ? x : null;
}

function pagesOf(ranges: readonly Range[]): number {
  let n = 0;
  for (const r of ranges) n += r.pages;
  return n;
}

function targetUnits(c: Core, ranges: { pfn: number; pages: number }[]): Extent[] | string {
  const out: Extent[] = [];
  const seen = new Set<number>();
  for (const t of ranges) {
    const end = t.pfn + Math.max(1, t.pages);
    for (let p = t.pfn; p < end;) {
      const u = c.unitAt(p);
      if (!u) return `page ${hex(p)} is not allocated`;
      if (!seen.has(u.pfn)) out.push(u);
      seen.add(u.pfn);
      p = u.pfn + u.n;
    }
  }
  return out;
}

/** every operation's handler but alloc's and free's (their state machines above, which Machine.run makes itself) */
export const OP_HANDLERS: { readonly [K in Exclude<SimOp['op'], 'alloc' | 'free'>]: Handler<K> } = {
  *page(e, op) {
    const { c, cpu, ctx } = e;
    if (op.end <= op.start) return err('EINVAL', 'empty range');
    const why = populationError(op.kind, op.modifiers, null, c.pbo);
    if (why) return err('EINVAL', why, op.start);
    const r = populatePages(c, op.start, op.end, op.kind, modsMask(op.modifiers), ctx.label, op.kind === 'pcp' ? op.cpu ?? cpu : cpu);
    yield 'run';
    return r.err ? err('EINVAL', r.err, r.pfn) : ok();
  },
  *folio(e, op) {
    const { c, ctx } = e;
    const why = populationError(op.kind, op.modifiers, op.order, c.pbo);
    if (why) return err('EINVAL', why, op.pfn);
    const r = populateFolio(c, op.pfn, op.order, op.kind, modsMask(op.modifiers), ctx.label);
    yield 'run';
    return r.err ? err('EINVAL', r.err, r.pfn) : ok({ allocated: [{ pfn: op.pfn, pages: pow2(op.order) }] });
  },
  *pageblock(e, op) {
    const { c } = e;
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
    const n = big && big.order > c.pbo ? pow2(big.order - c.pbo) : 1;
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
  },
  *pageset(e, op) {
    const { c } = e;
    // struct per_cpu_pages as zoneinfo_show_print() (mm/vmstat.c) shows it; high_min/high_max stay the simulator's
    // (zone_set_pageset_high_and_batch()), so the next use clamps high into them as nr_pcp_high() does
    const z = zoneRef(c, op.zone.nid, op.zone.zone);
    yield 'run';
    if (!z.populated) return err('EINVAL', `zone ${op.zone.zone} of node ${op.zone.nid} is empty (its pagesets are the boot pageset)`);
    if (z.pcpDisabled) return err('EBUSY', `the pagesets of zone ${op.zone.zone} of node ${op.zone.nid} are disabled (zone_pcp_disable())`);
    for (const [cpu, p] of z.pcp.entries()) {
      if (op.cpu !== null && cpu !== op.cpu) continue;
      p.high = op.high;
      if (op.batch !== null) p.batch = op.batch;
    }
    return ok();
  },
  *fill(e, op) {
    const { c, ctx } = e;
    const z = zoneRef(c, op.zone.nid, op.zone.zone);
    if (!z.populated) return err('EINVAL', `zone ${op.zone.zone} of node ${op.zone.nid} is empty`);
    const r = fill(c, z, op.percent, op.cls, op.order, op.packed, ctx.label);
    yield 'run';
    if (r.err) return err('ENOMEM', r.err);
    c.note(`fill: ${r.pages} pages in units of ${r.unit}`);
    return ok();
  },
  *pin(e, op) {
  const { c, cpu, ctx } = e;
    const { target, longterm } = op;
  const t = resolveTarget(c, target, ctx);
  if (t.err) return err('EINVAL', t.err, t.errPfn);
  if (t.swapped.length) {
    // GUP faults swapped-out pages back in first (faultin_page → handle_mm_fault → do_swap_page): swap-in is not
    // modelled, so the pin is refused rather than guessed
    const n = pagesOf(t.swapped);
    return err('EINVAL', `${n} of its ${n + pagesOf(t.ranges)} pages are swapped out: GUP would swap them in first (do_swap_page), which the simulator does not model`, t.swapped[0]!.pfn);
  }
  const units = targetUnits(c, t.ranges);
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
    u.mods |= longterm ? MOD_BIT.longterm : MOD_BIT.pinned;
  }
  yield 'run';
  return ok({ migrations: mig });

  },
  *unpin(e, op) {
    const { ctx } = e;
    const t = resolveTarget(e.c, op.target, ctx);
    if (t.err) return err('EINVAL', t.err, t.errPfn);
    const units = targetUnits(e.c, t.ranges);
    if (typeof units === 'string') return err('EINVAL', units);
    for (const e of units) e.mods &= ~MOD_PINNED_ANY;
    yield 'run';
    return ok();
  },
  *slab_grow(e, op) {
    const { c, cpu, ctx } = e;
    const z = zoneRef(c, op.zone.nid, op.zone.zone);
    const gfp = GFP_KERNEL | (op.reclaimable ? __GFP_RECLAIMABLE : 0);
    let slow: SlowpathReport | null = null;
    for (let i = 0; i < op.pages; i++) {
      const r = allocPagesSlowpath(c, { order: 0, gfp, nid: op.zone.nid, cpu, highestZone: z.zid });
      if (r.slowpath) slow = r.slowpath;
      if (r.pfn < 0) { yield 'run'; return err('ENOMEM', `slab grow: ${i} of ${op.pages} pages: ${r.reason}`, null, slow ? { slowpath: slowpathSummary(slow) } : {}); }
      c.addExtent(c.newExtent(r.pfn, 1, 0, false, 'slab', op.reclaimable ? MOD_BIT.reclaimable : 0, ctx.label));
    }
    yield 'run';
    return ok(slow ? { slowpath: slowpathSummary(slow) } : {});
  },
  *slab_shrink(e, op) {
    const { c, cpu } = e;
    const z = zoneRef(c, op.zone.nid, op.zone.zone);
    const exts = extentsOfZone(c, z, (e) => e.kind === 'slab' && (e.mods & MOD_BIT.reclaimable) !== 0);
    let total = 0;
    for (const e of exts) total += e.n;
    const want = Math.floor((total * op.percent) / 100);
    // a slab folio is freed whole (mm/slub.c __free_slab): the pages freed are whole folios, which may be a few
    // more than wanted; the note says both then
    const r = pickSlabFolios(c.rng, exts.map((e): SlabRun => [e.pfn, e.n, e.folio ? 1 << e.order : 1]), total, want);
    for (const [p, n] of r.folios) freeNow(c, p, n, cpu);
    const whole = r.freed !== want ? ` (${want} wanted: slab folios are freed whole)` : '';
    c.note(`slab shrink: ${r.freed} of ${total} reclaimable slab pages freed${whole}${r.freed ? ` [${SLAB_OBJECT_CAVEAT}]` : ''}`);
    yield 'run';
    return ok();
  },
  *drain(e, op) {
    const { c } = e;
    const zones = op.zone ? [zoneRef(c, op.zone.nid, op.zone.zone)] : c.zones.filter((z) => z.populated);
    const n = drainAll(c, zones, op.cpu);
    c.note(`drained ${n} pages`);
    yield 'run';
    return ok();
  },
  *isolate(e, op) {
    const { c } = e;
    const r = startIsolatePageRange(c, op.start, op.end, op.mode);
    yield 'run';
    return r.ok ? ok() : err('EBUSY', r.reason ?? 'isolation failed', r.pfn);
  },
  *unisolate(e, op) {
    const { c } = e;
    undoIsolatePageRange(c, op.start, op.end);
    yield 'run';
    return ok();
  },
  *alloc_contig_range(e, op) {
    const { c, cpu, ctx } = e;
    const g = contigGfp(op.gfp);
    if (g.err) return err('EINVAL', g.err, op.start);
    const r = yield* allocContigRange(c, op.start, op.end, { cma: op.cma, gfp: g.gfp, cpu, owner: ctx.label });
    return r;
  },
  *alloc_contig_pages(e, op) {
    const { c, cpu, ctx } = e;
    const nid = op.nid ?? op.zone?.nid ?? 0;
    const only = op.zone ? zoneRef(c, op.zone.nid, op.zone.zone) : null;
    const r = allocContigPages(c, op.pages, GFP_KERNEL, nid, gfpZone(GFP_KERNEL), { cma: false, gfp: GFP_KERNEL, cpu, owner: ctx.label }, only);
    yield 'run';
    const { tried: _t, ...rest } = r;
    return rest;
  },
  *cma_alloc(e, op) {
    const { c, cpu, ctx } = e;
    const a = c.cma.find((x) => x.name === op.area);
    if (!a) return err('EINVAL', `no CMA area named ${op.area}`);
    return yield* cmaAlloc(c, a, op.pages, op.align, cpu, ctx.label);
  },
  *cma_release(e, op) {
    const { c, cpu, ctx } = e;
    const rt = resolveTarget(e.c, op.target, ctx);
    if (rt.err) return err('EINVAL', rt.err, rt.errPfn);
    for (const t of rt.ranges) {
      const pages = t.pages || (c.extentContaining(t.pfn)?.n ?? 1);
      const r = cmaRelease(c, t.pfn, pages, cpu);
      if (!r.ok) return err('EINVAL', r.reason ?? 'cma_release failed', t.pfn);
    }
    yield 'run';
    return ok();
  },
  *hugetlb_resize(e, op) {
    const { c, cpu } = e;
    const r = resizePool(c, op.pages, op.count, op.nid, cpu);
    if (r.note) c.note(r.note);
    yield 'run';
    return ok();
  },
  *hugetlb_overcommit(e, op) {
    // nr_overcommit_hugepages_store(): gigantic hstates have no surplus pages (-EINVAL)
    if (op.pages > 1 << e.c.maxOrder) return err('EINVAL', 'nr_overcommit_hugepages of a gigantic hstate cannot be set (nr_overcommit_hugepages_store)');
    e.c.hugeOvercommit.set(op.pages, op.count);
    yield 'run';
    return ok();
  },
  *hugetlb_alloc(e, op) {
    const { c, cpu, ctx } = e;
    const nid = 0; // the faulting task's node (numa_node_id()): cpus are not bound to nodes in the simulator
    // mmap: hugetlb_reserve_pages → hugetlb_acct_memory → gather_surplus_pages(): what the free folios cannot cover
    // comes from alloc_surplus_hugetlb_folio(), each tried on every memory node in order; all or nothing
    let free = 0;
    for (const p of c.pools.get(op.pages)?.values() ?? []) free += p.free.length;
    const fresh: number[] = [];
    let why: string | null = null;
    for (let needed = op.count - free; needed > 0; needed--) {
      let f = -1;
      for (const n of [nid, ...memoryNodes(c).filter((x) => x !== nid)]) {
        const r = allocSurplusHugetlb(c, op.pages, n, cpu);
        if (r.pfn >= 0) { f = r.pfn; break; }
        why = r.reason;
      }
      if (f < 0) {
        // gather_surplus_pages() frees what it got (free_huge_folio: surplus → back to the buddy) and fails the mmap
        for (const p of fresh) { pool(c, op.pages, c.zoneOf(p)!.nid).surplus--; dissolve(c, p, cpu); }
        yield 'run';
        return err('ENOMEM', `hugetlb_reserve_pages: ${op.count} huge pages wanted, ${free} free, ${fresh.length} surplus allocated: ${why ?? 'no surplus page'}`);
      }
      fresh.push(f);
    }
    // the faults: alloc_hugetlb_folio() → dequeue_hugetlb_folio_vma() takes each from the reserved free folios
    const allocated: { pfn: number; pages: number }[] = [];
    for (let i = 0; i < op.count; i++) {
      const f = dequeueHugetlb(c, op.pages, nid);
      if (f < 0) { yield 'run'; return err('ENOMEM', 'no free huge page for a fault (isolated pageblocks?)', null, { allocated }); }
      c.extentContaining(f)!.owner = ctx.label;
      allocated.push({ pfn: f, pages: op.pages });
    }
    yield 'run';
    return ok({ allocated });
  },
  *migrate(e, op) {
    const { c, cpu, ctx } = e;
    const t = resolveTarget(e.c, op.target, ctx);
    if (t.err) return err('EINVAL', t.err, t.errPfn);
    // swapped-out pages are not present: migrate_pages skips them (queue_folios_pte_range), move_pages says -ENOENT
    if (t.swapped.length) c.note(`${pagesOf(t.swapped)} swapped-out pages not migrated (not present in memory)`);
    if (!t.ranges.length && t.swapped.length) { yield 'run'; return ok(); }
    const units = targetUnits(e.c, t.ranges);
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
  },
  *compact(e, op) {
    const { c, cpu } = e;
    const z = zoneRef(c, op.zone.nid, op.zone.zone);
    if (!z.populated) return err('EINVAL', `zone ${op.zone.zone} of node ${op.zone.nid} is empty`);
    return yield* runCompact(c, z, op.order, cpu);
  },
  *report(e) {
    const { c } = e;
    return yield* runReport(c, c.reportDev);
  },
  *kcompactd(e, op) {
    const { c, cpu } = e;
    if (op.nid < 0 || op.nid >= c.nrNodes) return err('EINVAL', `node ${op.nid} does not exist`);
    const r = runKcompactd(c, op.nid, cpu);
    c.note(r.text);
    yield 'run';
    return ok({ reason: r.text, migrations: r.migrations, ...(r.scans.length ? { compaction: r.scans } : {}) });
  },
  *sysctl(e, op) {
    // proc_dointvec_minmax: an unknown knob or a value out of range is -EINVAL and changes nothing (the language
    // reports both at their location; operations built elsewhere reach here unchecked)
    const def = SYSCTLS[op.name];
    if (!def) return err('EINVAL', `vm.${op.name} is not a sysctl the simulator models`);
    const bad = op.values.find((v) => !Number.isInteger(v) || v < def.min || v > def.max);
    if (bad !== undefined || !op.values.length || op.values.length > def.maxValues) {
      return err('EINVAL', `vm.${op.name}: ${op.values.join(' ') || 'no value'} is not ${def.maxValues > 1 ? `up to ${def.maxValues} values` : 'a value'} in ${def.min}..${def.max}`);
    }
    const w = writeSysctl(e.c, op.name, op.values);
    e.c.note(w.text);
    for (const wake of w.wakes) e.c.emit(wake);
    yield 'run';
    return ok({ reason: w.text });
  },
  *kswapd(e, op) {
    const { c, cpu } = e;
    if (op.nid < 0 || op.nid >= c.nrNodes) return err('EINVAL', `node ${op.nid} does not exist`);
    const r = runKswapd(c, op.nid, cpu);
    c.note(r.text);
    yield 'run';
    return ok({ reason: r.text });
  },
};
