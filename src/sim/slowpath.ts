// __alloc_pages_slowpath() of 6.12 (mm/page_alloc.c): wake_all_kswapds, the ALLOC_WMARK_MIN attempt with
// gfp_to_alloc_flags, initial async compaction for costly / non-movable high orders, then the retry loop of direct
// reclaim (__alloc_pages_direct_reclaim: try_to_free_pages, drain, unreserve_highatomic_pageblock), direct
// compaction (__alloc_pages_direct_compact -> try_to_compact_pages with deferral), should_reclaim_retry,
// should_compact_retry and __alloc_pages_may_oom. No process model: when the OOM killer would run, or when the
// kernel would loop for ever, the simulator stops and says so (errno ENOMEM, `slowpath.oom` / `gaveUp`).
import type { Core } from './core.js';
import type { CompactScan, SlowpathSummary } from './api.js';
import { zoneWatermarkOk, type Zone } from './zone.js';
import { MOVABLE, HIGHATOMIC, ZONE_NORMAL, isMergeable, PAGE_ALLOC_COSTLY_ORDER } from './consts.js';
import {
  allocFast, failReason, getPageFromFreelist, gfpToAllocFlags, wakeAllKswapds, zonelist,
  type AllocRequest, type AllocResult,
} from './alloc.js';
import {
  ALLOC_CMA, ALLOC_HARDER, ALLOC_HIGHATOMIC, ALLOC_KSWAPD, ALLOC_LEGACY_RESERVES, ALLOC_MIN_RESERVE, ALLOC_NOFRAGMENT, ALLOC_NO_WATERMARKS, ALLOC_WMARK_HIGH,
} from './internal.js';
import {
  __GFP_DIRECT_RECLAIM, __GFP_FS, __GFP_HARDWALL, __GFP_IO, __GFP_MEMALLOC, __GFP_NOFAIL, __GFP_NOMEMALLOC,
  __GFP_NORETRY, __GFP_RETRY_MAYFAIL, __GFP_THISNODE, gfpMigratetype, gfpZone,
} from './gfp.js';
import { drainAll } from './pcp.js';
import { moveFreepagesBlock } from './pageblock.js';
import { compactZoneDirect } from './compaction/index.js';
import type { CompactResult } from './compaction/constants.js';
import { lruGenCaveatDue } from './reclaim/lru-gen-caveat.js';
import { describeStats, LRU_GEN_CAVEAT, MAX_RECLAIM_RETRIES, newStats, totalReclaimed, tryToFreePages, zoneReclaimablePages, type ReclaimStats } from './reclaim/vmscan.js';
import { lruZoneSizes } from './reclaim/lru.js';
import { ZONE_NAMES } from '../shared/format.js';
import { pow2 } from './pfn.js';

/** enum compact_priority */
export const COMPACT_PRIO_SYNC_FULL = 0;
export const COMPACT_PRIO_SYNC_LIGHT = 1;
export const COMPACT_PRIO_ASYNC = 2;
const MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL;
const MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT;
const DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT;
const INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC;
const PRIO_NAMES = ['COMPACT_PRIO_SYNC_FULL', 'COMPACT_PRIO_SYNC_LIGHT', 'COMPACT_PRIO_ASYNC'];
const MAX_COMPACT_RETRIES = 16;
const COMPACT_MAX_DEFER_SHIFT = 6;
const RESULT_ORDER: CompactResult[] = [
  'COMPACT_NOT_SUITABLE_ZONE', 'COMPACT_SKIPPED', 'COMPACT_DEFERRED', 'COMPACT_NO_SUITABLE_PAGE', 'COMPACT_CONTINUE',
  'COMPACT_COMPLETE', 'COMPACT_PARTIAL_SKIPPED', 'COMPACT_CONTENDED', 'COMPACT_SUCCESS',
];
const maxResult = (a: CompactResult, b: CompactResult) => (RESULT_ORDER.indexOf(a) >= RESULT_ORDER.indexOf(b) ? a : b);

/** What the slow path did, for the operation's result. */
export interface SlowpathReport {
  /** nodes whose kswapd was woken */
  kswapdWoken: number[];
  /** direct reclaim runs and what they reclaimed, summed */
  reclaimRuns: number;
  reclaim: ReclaimStats;
  /** one entry per zone direct compaction looked at */
  compaction: { zone: string; priority: string; result: CompactResult; detail: string; scan?: CompactScan }[];
  /** loops through `retry:` after the first attempt, and the counters of the retry rules */
  retries: number;
  noProgressLoops: number;
  compactionRetries: number;
  /** the OOM decision, when the slow path reached __alloc_pages_may_oom */
  oom: { invoked: boolean; reason: string } | null;
  /** why the slow path gave up (null when it succeeded) */
  gaveUp: string | null;
  /** policy lru_gen on: the reclaim it did is the classic LRU's, not the kernel's MGLRU */
  lruGen: boolean;
}

export interface SlowpathResult extends AllocResult {
  slowpath: SlowpathReport | null;
}

/** gfp_compaction_allowed(): CONFIG_COMPACTION && __GFP_IO */
const compactionAllowed = (gfp: number) => (gfp & __GFP_IO) !== 0;

/** compaction_deferred() */
export function compactionDeferred(z: Zone, order: number): boolean {
  const limit = pow2(z.compactDeferShift);
  if (order < z.compactOrderFailed) return false;
  if (++z.compactConsidered >= limit) {
    z.compactConsidered = limit;
    return false;
  }
  return true;
}
/** defer_compaction() */
export function deferCompaction(z: Zone, order: number): void {
  z.compactConsidered = 0;
  z.compactDeferShift++;
  if (order < z.compactOrderFailed) z.compactOrderFailed = order;
  if (z.compactDeferShift > COMPACT_MAX_DEFER_SHIFT) z.compactDeferShift = COMPACT_MAX_DEFER_SHIFT;
}
/** compaction_defer_reset() */
export function compactionDeferReset(z: Zone, order: number, allocSuccess: boolean): void {
  if (allocSuccess) {
    z.compactConsidered = 0;
    z.compactDeferShift = 0;
  }
  if (order >= z.compactOrderFailed) z.compactOrderFailed = order + 1;
}

/** unreserve_highatomic_pageblock(): give a HIGHATOMIC block back to the request's type; force before OOM */
function unreserveHighatomic(c: Core, zl: Zone[], mt: number, force: boolean): boolean {
  for (const z of zl) {
    if (!force && z.nrReservedHighatomic <= c.pbPages) continue;
    for (let order = 0; order <= c.maxOrder; order++) {
      const b = c.listHead(z, order, HIGHATOMIC);
      if (!b) continue;
      const pmt = c.getMt(b.pfn);
      if (pmt === HIGHATOMIC) {
        const size = Math.min(Math.max(c.pbPages, pow2(order)), z.nrReservedHighatomic);
        z.nrReservedHighatomic -= size;
      }
      if (!isMergeable(mt)) continue;
      if (order < c.pbo) {
        const moved = moveFreepagesBlock(c, c.pbStart(b.pfn), mt);
        c.setMt(b.pfn, mt, 'unreserve_highatomic_pageblock');
        if (moved > 0) return true;
      } else {
        c.moveFree(b, mt);
        c.setMtRange(b.pfn, order, mt, 'unreserve_highatomic_pageblock');
        return true;
      }
    }
  }
  return false;
}

/**
 * alloc_pages with the whole 6.12 slow path. `req.cpu` is the allocating cpu (reclaimed pages go to its pcp lists).
 */
export function allocPagesSlowpath(c: Core, req: AllocRequest): SlowpathResult {
  const why: string[] = [];
  const f = allocFast(c, req, why);
  if (f && 'early' in f) return { ...f.early, slowpath: null };
  // getPageFromFreelist's result has `slowpath: null` already
  if (f) return f as SlowpathResult;
  return slowpath(c, req, why);
}

/** the slow path proper (its closures are allocated only when the fast path failed) */
function slowpath(c: Core, req: AllocRequest, why: string[]): SlowpathResult {
  const gfp = req.gfp, order = req.order;
  const highest = req.highestZone ?? gfpZone(gfp);
  const zl = zonelist(c, req.nid, highest, !!(gfp & __GFP_THISNODE)).filter((z) => !req.exclude?.(z));
  const mt = gfpMigratetype(gfp);
  const canDirectReclaim = (gfp & __GFP_DIRECT_RECLAIM) !== 0;
  const canCompact = compactionAllowed(gfp);
  const nofail = (gfp & __GFP_NOFAIL) !== 0;
  const costly = order > PAGE_ALLOC_COSTLY_ORDER;
  const rep: SlowpathReport = {
    kswapdWoken: [], reclaimRuns: 0, reclaim: newStats(), compaction: [], retries: 0, noProgressLoops: 0, compactionRetries: 0, oom: null, gaveUp: null,
    lruGen: c.pol.lru_gen === 'on',
  };
  let lastWhy: string[] = why;
  const attempt = (flags: number, r2: AllocRequest = req): AllocResult => {
    const w: string[] = [];
    const r = getPageFromFreelist(c, r2, flags & ~ALLOC_NOFRAGMENT, w);
    if (w.length) lastWhy = w;
    return r;
  };
  const wake = () => {
    for (const n of wakeAllKswapds(c, req)) if (!rep.kswapdWoken.includes(n)) rep.kswapdWoken.push(n);
  };
  const done = (r: AllocResult): SlowpathResult => ({ ...r, slowpath: rep });
  const fail = (gaveUp: string): SlowpathResult => {
    rep.gaveUp = gaveUp;
    return { pfn: -1, zone: null, reason: `${failReason(req, lastWhy)}; slow path: ${summarize(rep)}`, slowpath: rep };
  };

  // __alloc_pages_direct_compact()
  let compactResult: CompactResult = 'COMPACT_SKIPPED';
  const directCompact = (prio: number, flags: number): AllocResult | null => {
    if (!order) return null;
    compactResult = tryToCompactPages(c, rep, zl, order, mt, prio, req.cpu, canCompact, highest);
    if (compactResult === 'COMPACT_SKIPPED') return null;
    c.vm.compact_stall++; // count_vm_event(COMPACTSTALL), __alloc_pages_direct_compact
    const r = attempt(flags);
    if (r.pfn >= 0) {
      r.zone!.compactBlockskipFlush = false; // the skip hints helped: kswapd need not clear them
      compactionDeferReset(r.zone!, order, true);
      c.vm.compact_success++; // count_vm_event(COMPACTSUCCESS)
      return r;
    }
    c.vm.compact_fail++; // count_vm_event(COMPACTFAIL)
    return null;
  };

  let allocFlags = gfpToAllocFlags(gfp, order, c.pol.atomic_reserves);
  let compactPriority = DEF_COMPACT_PRIORITY;
  let compactionRetries = 0;
  let noProgressLoops = 0;
  if (allocFlags & ALLOC_KSWAPD) wake();
  let r = attempt(allocFlags);
  if (r.pfn >= 0) return done(r);

  // costly, or non-movable high-order: async compaction first (the ALLOC_NO_WATERMARKS attempt has not happened)
  const pfmemalloc = !(gfp & __GFP_NOMEMALLOC) && (gfp & __GFP_MEMALLOC) !== 0;
  if (canDirectReclaim && canCompact && (costly || (order > 0 && mt !== MOVABLE)) && !pfmemalloc) {
    const p = directCompact(INIT_COMPACT_PRIORITY, allocFlags);
    if (p) return done(p);
    if (costly && gfp & __GFP_NORETRY) {
      if (compactResult === 'COMPACT_SKIPPED' || compactResult === 'COMPACT_DEFERRED') {
        return fail(`costly order ${order} with __GFP_NORETRY: initial compaction ${compactResult}`);
      }
      if (gfp & __GFP_THISNODE) return fail(`costly order ${order} with __GFP_NORETRY|__GFP_THISNODE: no reclaim after failed compaction`);
      compactPriority = INIT_COMPACT_PRIORITY;
    }
  }

  // the kernel can loop for ever (__GFP_NOFAIL, !__GFP_FS OOM); stop when a full round changes nothing
  let stuck = 0;
  for (;;) { // retry:
    rep.retries++;
    if (allocFlags & ALLOC_KSWAPD) wake();
    // __gfp_pfmemalloc_flags(): __GFP_MEMALLOC without __GFP_NOMEMALLOC (PF_MEMALLOC / OOM victims: no process model)
    if (pfmemalloc) allocFlags = ALLOC_NO_WATERMARKS | (mt === MOVABLE ? ALLOC_CMA : 0) | (allocFlags & ALLOC_KSWAPD);
    r = attempt(allocFlags);
    if (r.pfn >= 0) return done(r);
    if (!canDirectReclaim) return nopage('no __GFP_DIRECT_RECLAIM: the caller cannot reclaim');

    // __alloc_pages_direct_reclaim()
    const fr = tryToFreePages(c, zl, order, gfp, highest, req.cpu);
    rep.reclaimRuns++;
    addStats(rep.reclaim, fr.stats);
    const progress = fr.progress;
    if (progress) {
      r = attempt(allocFlags);
      if (r.pfn < 0) {
        unreserveHighatomic(c, zl, mt, false);
        drainAll(c, c.zones.filter((z) => z.populated), null);
        r = attempt(allocFlags);
      }
      if (r.pfn >= 0) return done(r);
    }
    const p = directCompact(compactPriority, allocFlags);
    if (p) return done(p);
    if (gfp & __GFP_NORETRY) return nopage(`__GFP_NORETRY: no retry after one round of reclaim (${progress} pages) and compaction (${compactResult})`);
    if (costly && (!canCompact || !(gfp & __GFP_RETRY_MAYFAIL))) {
      return nopage(`costly order ${order} > PAGE_ALLOC_COSTLY_ORDER without ${canCompact ? '__GFP_RETRY_MAYFAIL' : '__GFP_IO (no compaction)'}: no retry`);
    }
    // should_reclaim_retry()
    if (progress && order <= PAGE_ALLOC_COSTLY_ORDER) noProgressLoops = 0;
    else noProgressLoops++;
    rep.noProgressLoops = noProgressLoops;
    if (shouldReclaimRetry(c, zl, order, highest, allocFlags, noProgressLoops, mt)) continue;
    // should_compact_retry(), only after reclaim made progress
    if (progress > 0 && canCompact) {
      const s = shouldCompactRetry(c, zl, order, highest, compactResult, compactPriority, compactionRetries);
      compactPriority = s.priority;
      compactionRetries = s.retries;
      rep.compactionRetries = compactionRetries;
      if (s.retry) continue;
    }
    // __alloc_pages_may_oom()
    const hr = attempt(ALLOC_WMARK_HIGH, { ...req, gfp: (gfp | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM });
    if (hr.pfn >= 0) return done(hr);
    const no = oomSkipped(gfp, order, highest);
    if (no) {
      rep.oom = { invoked: false, reason: no };
      return nopage(`out of retries (no_progress_loops ${noProgressLoops}); the OOM killer is not invoked: ${no}`);
    }
    if (!(gfp & __GFP_FS)) {
      // out_of_memory() returns true without killing for !__GFP_FS: *did_some_progress = 1 -> retry
      rep.oom = { invoked: false, reason: 'out_of_memory() does not kill for an allocation without __GFP_FS (it does not compensate for IO-less reclaim) but reports progress' };
      noProgressLoops = 0;
      if (progress || ++stuck < 2) continue;
      rep.gaveUp = 'the kernel would retry indefinitely (!__GFP_FS: out_of_memory reports progress without killing); the simulator stops';
      return { pfn: -1, zone: null, reason: `${failReason(req, lastWhy)}; slow path: ${summarize(rep)}`, slowpath: rep };
    }
    rep.oom = { invoked: true, reason: `out_of_memory(): the OOM killer would run (order ${order} <= PAGE_ALLOC_COSTLY_ORDER, reclaim made no progress for ${noProgressLoops} loops, no zone could meet its min watermark with all reclaimable pages)` };
    if (nofail) {
      // __alloc_pages_cpuset_fallback(ALLOC_NO_WATERMARKS) after the kill: no ALLOC_CMA (CMA pageblocks are not used)
      r = attempt(ALLOC_NO_WATERMARKS);
      if (r.pfn >= 0) return done(r);
    }
    rep.gaveUp = 'the OOM killer would run; without a process model the simulator cannot say what the kill frees and stops with -ENOMEM (the kernel would retry after the kill)';
    return { pfn: -1, zone: null, reason: `${failReason(req, lastWhy)}; slow path: ${summarize(rep)}`, slowpath: rep };
  }

  function nopage(why: string): SlowpathResult {
    if (nofail) {
      if (!canDirectReclaim) return fail(`${why}; __GFP_NOFAIL without __GFP_DIRECT_RECLAIM fails anyway`);
      // __alloc_pages_cpuset_fallback(ALLOC_MIN_RESERVE) since 6.3 (min/2); before, ALLOC_HARDER (min/4 below min,
      // and for order > 0 the HIGHATOMIC list, reserving a block: rmqueue / get_page_from_freelist of mainline 6.1)
      // — the same switch as the atomic reserves (`atomic_reserves`). Then the kernel loops (retry).
      const legacy = c.pol.atomic_reserves === 'gfp_atomic';
      const fb = legacy ? ALLOC_HARDER | ALLOC_LEGACY_RESERVES | (order > 0 ? ALLOC_HIGHATOMIC : 0) : ALLOC_MIN_RESERVE;
      // the fallback's alloc_flags replace the request's: no ALLOC_CMA, so CMA pageblocks are neither used nor counted
      const nf = attempt(fb);
      if (nf.pfn >= 0) return done(nf);
      return fail(`${why}; __GFP_NOFAIL: the kernel would keep retrying (${legacy ? 'ALLOC_HARDER' : 'ALLOC_MIN_RESERVE'} fallback failed); the simulator stops`);
    }
    return fail(why);
  }
}

function addStats(a: ReclaimStats, b: ReclaimStats): void {
  for (const k of Object.keys(a.scanned) as (keyof ReclaimStats['scanned'])[]) { a.scanned[k] += b.scanned[k]; a.reclaimed[k] += b.reclaimed[k]; }
  a.slab += b.slab; a.activated += b.activated; a.deactivated += b.deactivated; a.dirty += b.dirty; a.writeback += b.writeback; a.swapped += b.swapped; a.continued += b.continued;
  a.priority = Math.min(a.priority, b.priority);
}

/** one line: what the slow path did (`caveat`: say LRU_GEN_CAVEAT when it reclaimed under lru_gen on) */
export function summarize(rep: SlowpathReport, caveat = rep.lruGen): string {
  const parts: string[] = [];
  if (rep.kswapdWoken.length) parts.push(`kswapd woken on node ${rep.kswapdWoken.join(', ')}`);
  if (rep.reclaimRuns) parts.push(`direct reclaim ×${rep.reclaimRuns}: ${totalReclaimed(rep.reclaim)} pages (${describeStats(rep.reclaim, true)})${caveat ? ` [${LRU_GEN_CAVEAT}]` : ''}`);
  if (rep.compaction.length) {
    const last = new Map<string, string>();
    for (const x of rep.compaction) last.set(x.zone, `${x.result} at ${x.priority}`);
    parts.push(`direct compaction: ${[...last].map(([z, s]) => `${z} ${s}`).join(', ')}`);
  }
  if (rep.retries > 1) parts.push(`${rep.retries - 1} retr${rep.retries === 2 ? 'y' : 'ies'}`);
  if (rep.oom) parts.push(rep.oom.reason);
  if (rep.gaveUp) parts.push(`gave up: ${rep.gaveUp}`);
  return parts.join('; ');
}

/** try_to_compact_pages(): each zone of the zonelist, skipping deferred ones above MIN_COMPACT_PRIORITY */
function tryToCompactPages(c: Core, rep: SlowpathReport, zl: Zone[], order: number, mt: number, prio: number, cpu: number, allowed: boolean, highest: number): CompactResult {
  if (!allowed) return 'COMPACT_SKIPPED';
  let rc: CompactResult = 'COMPACT_SKIPPED';
  for (const z of zl) {
    const zname = `node ${z.nid} ${z.name}`;
    if (prio > MIN_COMPACT_PRIORITY && compactionDeferred(z, order)) {
      rc = maxResult('COMPACT_DEFERRED', rc);
      rep.compaction.push({ zone: zname, priority: PRIO_NAMES[prio], result: 'COMPACT_DEFERRED', detail: `compaction_deferred: defer_shift ${z.compactDeferShift}, order_failed ${z.compactOrderFailed}` });
      continue;
    }
    const out = compactZoneDirect(c, z, order, mt, prio, cpu, highest);
    rep.compaction.push({ zone: zname, priority: PRIO_NAMES[prio], result: out.result, detail: out.reason, ...(out.scan ? { scan: out.scan } : {}) });
    rc = maxResult(out.result, rc);
    if (out.result === 'COMPACT_SUCCESS') {
      compactionDeferReset(z, order, false);
      break;
    }
    if (prio !== COMPACT_PRIO_ASYNC && (out.result === 'COMPACT_COMPLETE' || out.result === 'COMPACT_PARTIAL_SKIPPED')) deferCompaction(z, order);
  }
  return rc;
}

/**
 * should_reclaim_retry(): false after MAX_RECLAIM_RETRIES loops without progress, or when no zone would meet its min
 * watermark (for this order) even with all its reclaimable pages free; before giving up the highatomic reserves
 * are unreserved (and a successful unreserve means retry).
 */
function shouldReclaimRetry(c: Core, zl: Zone[], order: number, highest: number, flags: number, noProgressLoops: number, mt: number): boolean {
  let ret = false;
  if (noProgressLoops <= MAX_RECLAIM_RETRIES) {
    const lrus = new Map<number, number[][]>();
    for (const z of zl) {
      let l = lrus.get(z.nid);
      if (!l) lrus.set(z.nid, (l = lruZoneSizes(c, z.nid)));
      const available = zoneReclaimablePages(c, z, l) + z.free;
      if (zoneWatermarkOk(z, order, z.wmMin + z.boost, highest, flags, c.pol.highatomic_watermark, available) === null) { ret = true; break; }
    }
  }
  if (!ret) return unreserveHighatomic(c, zl, mt, true);
  return ret;
}

/** should_compact_retry() */
function shouldCompactRetry(c: Core, zl: Zone[], order: number, highest: number, result: CompactResult, priority: number, retries: number): { retry: boolean; priority: number; retries: number } {
  if (!order) return { retry: false, priority, retries };
  if (result === 'COMPACT_SKIPPED') {
    // compaction_zonelist_suitable(): would __compaction_suitable pass with free + reclaimable / order?
    const lrus = new Map<number, number[][]>();
    for (const z of zl) {
      let l = lrus.get(z.nid);
      if (!l) lrus.set(z.nid, (l = lruZoneSizes(c, z.nid)));
      const available = Math.floor(zoneReclaimablePages(c, z, l) / order) + z.free;
      if (compactionSuitableFree(c, z, order, highest, available)) return { retry: true, priority, retries };
    }
    return { retry: false, priority, retries };
  }
  let max = MAX_COMPACT_RETRIES;
  if (result === 'COMPACT_SUCCESS') {
    if (order > PAGE_ALLOC_COSTLY_ORDER) max = Math.floor(max / 4);
    if (++retries <= max) return { retry: true, priority, retries };
  }
  const minPriority = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY : MIN_COMPACT_PRIORITY;
  if (priority > minPriority) return { retry: true, priority: priority - 1, retries: 0 };
  return { retry: false, priority, retries };
}

/** __compaction_suitable(zone, order, highest_zoneidx, free_pages): order-0 watermark (low for costly orders, else
 *  min) + compact_gap(order), with ALLOC_CMA */
function compactionSuitableFree(c: Core, z: Zone, order: number, highest: number, free: number): boolean {
  const mark = (order > PAGE_ALLOC_COSTLY_ORDER ? z.wmLow : z.wmMin) + z.boost + 2 * pow2(order);
  return zoneWatermarkOk(z, 0, mark, highest, ALLOC_CMA, c.pol.highatomic_watermark, free) === null;
}

/** __alloc_pages_may_oom(): why the OOM killer is not invoked, or null when out_of_memory() is called */
export function oomSkipped(gfp: number, order: number, highest: number): string | null {
  if (order > PAGE_ALLOC_COSTLY_ORDER) return `order ${order} > PAGE_ALLOC_COSTLY_ORDER: the OOM killer will not help higher order allocations`;
  if (gfp & __GFP_RETRY_MAYFAIL) return '__GFP_RETRY_MAYFAIL: the caller has a fallback';
  if (gfp & __GFP_THISNODE) return '__GFP_THISNODE: the OOM killer may not free memory on a specific node';
  if (highest < ZONE_NORMAL) return `highest zone ${ZONE_NAMES[highest]} < Normal: no OOM kill for lowmem`;
  return null;
}

/** the report as the operation result carries it */
export function slowpathSummary(rep: SlowpathReport): SlowpathSummary {
  return {
    kswapdWoken: rep.kswapdWoken.slice(), reclaimRuns: rep.reclaimRuns,
    reclaimed: { ...rep.reclaim.reclaimed, slab: rep.reclaim.slab },
    compaction: rep.compaction.map((x) => ({ ...x })), retries: rep.retries, noProgressLoops: rep.noProgressLoops,
    compactionRetries: rep.compactionRetries, oom: rep.oom ? { ...rep.oom } : null, gaveUp: rep.gaveUp, text: summarize(rep),
  };
}

/** the slow path as an operation's note says it: with LRU_GEN_CAVEAT only on the operation's first reclaim line */
export function slowpathNoteText(c: Core, rep: SlowpathReport): string {
  return summarize(rep, rep.lruGen && rep.reclaimRuns > 0 && lruGenCaveatDue(c));
}

/**
 * __alloc_pages() for an internal caller (hugetlb pool growth, alloc_and_dissolve_hugetlb_folio, migration
 * targets): the same slow path as any allocation, as the kernel runs it. When the request left the fast path the
 * summary (with `caller`) is kept for the operation's result, and a note says what reclaim/compaction did.
 */
export function allocPagesInternal(c: Core, req: AllocRequest, caller: string): SlowpathResult {
  const r = allocPagesSlowpath(c, req);
  if (r.slowpath) {
    const s = { caller, ...slowpathSummary(r.slowpath) };
    c.slowpaths.push(s);
    if (r.pfn >= 0 && (r.slowpath.reclaimRuns || r.slowpath.compaction.length)) c.note(`${caller}: slow path: ${slowpathNoteText(c, r.slowpath)}`);
  }
  return r;
}
