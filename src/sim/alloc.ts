// The page allocator entry (mm/page_alloc.c): zonelists, __zone_watermark_ok / zone_watermark_fast,
// get_page_from_freelist (ALLOC_NOFRAGMENT first pass), rmqueue (pcp or buddy), rmqueue_buddy (HIGHATOMIC),
// reserve_highatomic_pageblock, and the slow path's alloc flags (gfp_to_alloc_flags). allocPages() is the fast path
// plus the slow path's first attempt (what internal allocations use); allocPagesSlowpath() (slowpath.ts) adds
// kswapd wakeups, direct reclaim, direct compaction, the retry rules and the OOM decision.
import { HIGHATOMIC, MAX_NR_ZONES, ZONE_NORMAL, ZONE_DMA32, isMergeable } from './consts.js';
import type { Core } from './core.js';
import type { Policies } from './scenario.js';
import { zoneWatermarkOk, zoneWatermarkUnusableFree, zonesPresentEpoch, type Zone } from './zone.js';
import {
  ALLOC_CMA, ALLOC_HARDER, ALLOC_HIGHATOMIC, ALLOC_KSWAPD, ALLOC_LEGACY_RESERVES, ALLOC_MIN_RESERVE, ALLOC_NOFRAGMENT, ALLOC_NON_BLOCK, ALLOC_NO_WATERMARKS, ALLOC_OOM,
  ALLOC_WMARK_LOW, ALLOC_WMARK_MASK, ALLOC_WMARK_MIN,
} from './internal.js';
import { RMQUEUE_NORMAL, rmqueue } from './fallback.js';
import { wakeupKcompactd } from './compaction/kcompactd-wake.js';
import { rmqueueSmallest } from './buddy.js';
import { pcpAllowedOrder, rmqueuePcplist } from './pcp.js';
import { moveFreepagesBlock, prepMoveFreepagesBlock } from './pageblock.js';
import {
  __GFP_ATOMIC, __GFP_DIRECT_RECLAIM, __GFP_HIGH, __GFP_KSWAPD_RECLAIM, __GFP_NOMEMALLOC, __GFP_THISNODE, gfpMigratetype, gfpZone, gfpString,
} from './gfp.js';
import { ZONE_NAMES, MIGRATETYPE_NAMES } from '../shared/format.js';
import { wakeNote } from './wake-notes.js';

export interface AllocRequest {
  order: number;
  gfp: number;
  /** preferred node */
  nid: number;
  cpu: number;
  /** pins the highest zone index (the op's `zone X`); default gfp_zone(gfp) */
  highestZone?: number;
  /** zones an allocation must not use (e.g. the one being drained); rarely used */
  exclude?: (z: Zone) => boolean;
  /** pfn ranges a migration target must avoid are naturally excluded (isolated free pages sit on ISOLATE) */
}
export interface AllocResult {
  pfn: number;
  zone: Zone | null;
  reason: string | null;
}

/**
 * the zonelist: preferred node first (all its zones <= highest, highest first), then other nodes. Shared and
 * read-only: built once per (nid, highest, thisNode) while the zones and what is populated stay the same (a journal
 * jump or a clone has other zone objects; hotplug changes present counts), since every allocation asks for it and a
 * new list was ~170 bytes of garbage per order-0 allocation.
 */
export function zonelist(c: Core, nid: number, highest: number, thisNode: boolean): readonly Zone[] {
  if (nid < 0 || nid >= c.nrNodes || highest < 0 || highest >= MAX_NR_ZONES) return buildZonelist(c, nid, highest, thisNode);
  const cache = c.caches.zonelists;
  const epoch = zonesPresentEpoch();
  if (cache.zones !== c.zones || cache.epoch !== epoch) {
    cache.zones = c.zones;
    cache.epoch = epoch;
    cache.lists = [];
  }
  const key = ((nid * MAX_NR_ZONES + highest) << 1) | (thisNode ? 1 : 0);
  return (cache.lists[key] ??= buildZonelist(c, nid, highest, thisNode));
}
function buildZonelist(c: Core, nid: number, highest: number, thisNode: boolean): Zone[] {
  const out: Zone[] = [];
  zonelistNode(c, nid, highest, out);
  if (!thisNode) for (let n = 0; n < c.nrNodes; n++) if (n !== nid) zonelistNode(c, n, highest, out);
  return out;
}
function zonelistNode(c: Core, n: number, highest: number, out: Zone[]): void {
  if (n < 0 || n >= c.nrNodes) return;
  for (let zi = highest; zi >= 0; zi--) {
    const z = c.zone(n, zi);
    if (z.populated) out.push(z);
  }
}

function wmark(z: Zone, flags: number): number {
  const w = flags & ALLOC_WMARK_MASK;
  return (w === 0 ? z.wmMin : w === 1 ? z.wmLow : z.wmHigh) + z.boost;
}

/** zone_watermark_fast() */
function zoneWatermarkFast(c: Core, z: Zone, order: number, mark: number, highest: number, flags: number): string | null {
  if (!order) {
    let usable = z.free;
    const reserved = zoneWatermarkUnusableFree(z, 0, flags, c.pol.highatomic_watermark);
    usable -= Math.min(usable, reserved);
    if (usable > mark + (z.lowmemReserve[highest] ?? 0)) return null;
  }
  return zoneWatermarkOk(z, order, mark, highest, flags, c.pol.highatomic_watermark);
}

/** reserve_highatomic_pageblock(): after a successful ALLOC_HIGHATOMIC allocation */
function reserveHighatomic(c: Core, z: Zone, pfn: number, order: number): void {
  // 6.8+ (Charan Teja Kalla): no reserve at all when 1% of the zone is below a pageblock; cap ALIGN(1%, pageblock).
  // Before: cap 1% + one pageblock, no minimum.
  let maxManaged: number;
  if (c.pol.highatomic_reserve === 'aligned') {
    if (Math.floor(z.managed / 100) < c.pbPages) return;
    maxManaged = Math.ceil(Math.floor(z.managed / 100) / c.pbPages) * c.pbPages;
  } else maxManaged = Math.floor(z.managed / 100) + c.pbPages;
  if (z.nrReservedHighatomic >= maxManaged) return;
  const mt = c.getMt(pfn);
  if (!isMergeable(mt)) return;
  if (order < c.pbo) {
    const prep = prepMoveFreepagesBlock(c, z, pfn);
    if (!prep) return;
    moveFreepagesBlock(c, prep.start, HIGHATOMIC);
    c.setMt(prep.start, HIGHATOMIC, 'reserve_highatomic_pageblock');
    z.nrReservedHighatomic += c.pbPages;
  } else {
    c.setMtRange(pfn, order, HIGHATOMIC, 'reserve_highatomic_pageblock');
    z.nrReservedHighatomic += 1 << order;
  }
}

/**
 * rmqueue(): pcp for pcp-allowed orders, else (or when the pcp refill found nothing) rmqueue_buddy (HIGHATOMIC first
 * for ALLOC_HIGHATOMIC). ALLOC_HIGHATOMIC does not bypass the pcp: rmqueue() tries rmqueue_pcplist() for every
 * pcp_allowed_order(); the refill (rmqueue_bulk -> __rmqueue) just never takes HIGHATOMIC pages.
 */
function rmqueueZone(c: Core, z: Zone, cpu: number, order: number, mt: number, flags: number): number {
  if (pcpAllowedOrder(c, order)) {
    const p = rmqueuePcplist(c, z, cpu, order, mt, flags);
    if (p >= 0) return p;
  }
  let p = -1;
  if (flags & ALLOC_HIGHATOMIC) p = rmqueueSmallest(c, z, order, HIGHATOMIC);
  if (p < 0) {
    p = rmqueue(c, z, order, mt, flags, { m: RMQUEUE_NORMAL });
    // 6.3+: OOM victims and non-blocking order-0 requests may take the HIGHATOMIC reserve rather than fail; before
    // 6.3 rmqueue_buddy had no such fallback
    if (p < 0 && flags & (ALLOC_OOM | ALLOC_NON_BLOCK) && !(flags & ALLOC_LEGACY_RESERVES)) p = rmqueueSmallest(c, z, order, HIGHATOMIC);
  }
  return p;
}

/** get_page_from_freelist() */
export function getPageFromFreelist(c: Core, req: AllocRequest, flagsIn: number, why: string[], zonesOfReq?: readonly Zone[]): AllocResult {
  const highest = req.highestZone ?? gfpZone(req.gfp);
  const mt = gfpMigratetype(req.gfp);
  // zonesOfReq: the caller's zonelist(c, req.nid, highest, thisNode) of this moment (the fast path's)
  const all = zonesOfReq ?? zonelist(c, req.nid, highest, !!(req.gfp & __GFP_THISNODE));
  const zl = req.exclude ? all.filter((z) => !req.exclude!(z)) : all;
  let flags = flagsIn;
  for (;;) {
    const noFallback = flags & ALLOC_NOFRAGMENT;
    let restart = false;
    for (const z of zl) {
      if (noFallback && c.nrNodes > 1 && z.nid !== zl[0].nid) {
        flags &= ~ALLOC_NOFRAGMENT;
        restart = true;
        break;
      }
      const mark = wmark(z, flags);
      // ALLOC_NO_WATERMARKS: goto try_this_zone
      const bad = flags & ALLOC_NO_WATERMARKS ? null : zoneWatermarkFast(c, z, req.order, mark, highest, flags);
      if (bad) {
        why.push(`node ${z.nid} ${z.name}: ${bad}`);
        continue;
      }
      const p = rmqueueZone(c, z, req.cpu, req.order, mt, flags);
      if (p >= 0) {
        if (flags & ALLOC_HIGHATOMIC) reserveHighatomic(c, z, p, req.order);
        // with `slowpath: null`, the fast path's result is allocPagesSlowpath's as it is (no copy per allocation)
        return { pfn: p, zone: z, reason: null, slowpath: null } as AllocResult;
      }
      why.push(`node ${z.nid} ${z.name}: no ${MIGRATETYPE_NAMES[mt]} page of order ${req.order} on the free lists${noFallback ? ' without fragmenting (ALLOC_NOFRAGMENT)' : ''}`);
    }
    if (restart) continue;
    if (flags & ALLOC_NOFRAGMENT) {
      flags &= ~ALLOC_NOFRAGMENT;
      continue;
    }
    return { pfn: -1, zone: null, reason: null };
  }
}

/** alloc_flags_nofragment(): NOFRAGMENT when the preferred zone is NORMAL (and DMA32 is populated on NUMA) */
function allocFlagsNofragment(c: Core, pref: Zone | undefined, gfp: number): number {
  let f = gfp & __GFP_KSWAPD_RECLAIM ? ALLOC_KSWAPD : 0;
  if (!pref || pref.zid !== ZONE_NORMAL) return f;
  if (c.nrNodes > 1 && !c.zone(pref.nid, ZONE_DMA32).populated) return f;
  f |= ALLOC_NOFRAGMENT;
  return f;
}

/**
 * gfp_to_alloc_flags() for the slow path. 6.3+ (`atomic_reserves gfp_high`): every non-blocking request gets
 * ALLOC_NON_BLOCK, ALLOC_HIGHATOMIC only with ALLOC_MIN_RESERVE (__GFP_HIGH) as well. Before 6.3 (`gfp_atomic`):
 * ALLOC_HARDER for __GFP_ATOMIC without __GFP_NOMEMALLOC, and every ALLOC_HARDER order > 0 request used (and
 * reserved) the HIGHATOMIC list (rmqueue / get_page_from_freelist: `order > 0 && alloc_flags & ALLOC_HARDER`),
 * encoded here as ALLOC_HARDER | ALLOC_HIGHATOMIC with the ALLOC_LEGACY_RESERVES marker. No rt tasks (no process
 * model), so the `rt_task(current)` branch never applies.
 */
export function gfpToAllocFlags(gfp: number, order: number, reserves: Policies['atomic_reserves'] = 'gfp_high'): number {
  let f = ALLOC_WMARK_MIN;
  if (gfp & __GFP_HIGH) f |= ALLOC_MIN_RESERVE;
  if (gfp & __GFP_KSWAPD_RECLAIM) f |= ALLOC_KSWAPD;
  if (reserves === 'gfp_atomic') {
    f |= ALLOC_LEGACY_RESERVES;
    if (gfp & __GFP_ATOMIC && !(gfp & __GFP_NOMEMALLOC)) {
      f |= ALLOC_HARDER;
      if (order > 0) f |= ALLOC_HIGHATOMIC;
    }
  } else if (!(gfp & __GFP_DIRECT_RECLAIM)) {
    if (!(gfp & __GFP_NOMEMALLOC)) {
      f |= ALLOC_NON_BLOCK;
      if (order > 0 && f & ALLOC_MIN_RESERVE) f |= ALLOC_HIGHATOMIC;
    }
  }
  if (gfpMigratetype(gfp) === 1) f |= ALLOC_CMA;
  return f;
}

/** the fast path of __alloc_pages(): low watermark, ALLOC_NOFRAGMENT when applicable, ALLOC_CMA for movable */
export function allocFast(c: Core, req: AllocRequest, why: string[]): AllocResult | { early: AllocResult } | null {
  const highest = req.highestZone ?? gfpZone(req.gfp);
  const zl = zonelist(c, req.nid, highest, !!(req.gfp & __GFP_THISNODE));
  if (req.order > c.maxOrder) return { early: { pfn: -1, zone: null, reason: `order ${req.order} > MAX_PAGE_ORDER ${c.maxOrder}` } };
  if (!zl.length) return { early: { pfn: -1, zone: null, reason: `no populated zone <= ${ZONE_NAMES[highest]} on node ${req.nid}` } };
  let flags = ALLOC_WMARK_LOW | allocFlagsNofragment(c, zl[0], req.gfp);
  if (gfpMigratetype(req.gfp) === 1) flags |= ALLOC_CMA;
  const r = getPageFromFreelist(c, req, flags, why, zl);
  return r.pfn >= 0 ? r : null;
}

export function failReason(req: AllocRequest, why: string[]): string {
  return `order-${req.order} ${MIGRATETYPE_NAMES[gfpMigratetype(req.gfp)]} allocation (${gfpString(req.gfp)}) failed: ${[...new Set(why)].join('; ')}`;
}

/**
 * __alloc_pages() cut short: the fast path, then the slow path's kswapd wakeup and first attempt (min watermark
 * with gfp_to_alloc_flags), no reclaim or compaction. Only the memmap of hot-added memory still uses it; the
 * `alloc` operation, slab growth, hugetlb pool growth and migration targets use allocPagesSlowpath /
 * allocPagesInternal (slowpath.ts).
 */
export function allocPages(c: Core, req: AllocRequest): AllocResult {
  const why: string[] = [];
  const f = allocFast(c, req, why);
  if (f && 'early' in f) return f.early;
  if (f) return f;
  const why2: string[] = [];
  const flags = gfpToAllocFlags(req.gfp, req.order, c.pol.atomic_reserves) & ~ALLOC_NOFRAGMENT;
  if (flags & ALLOC_KSWAPD) wakeAllKswapds(c, req);
  const r = getPageFromFreelist(c, req, flags, why2);
  if (r.pfn >= 0) return r;
  r.reason = failReason(req, why2.length ? why2 : why) +
    (req.gfp & __GFP_DIRECT_RECLAIM ? ' (this internal allocation does not run direct reclaim or compaction in the simulator)' : '');
  return r;
}

/** wake_all_kswapds() -> wakeup_kswapd() for each node of the zonelist (mm/page_alloc.c, mm/vmscan.c) */
export function wakeAllKswapds(c: Core, req: AllocRequest): number[] {
  const highest = req.highestZone ?? gfpZone(req.gfp);
  const woken: number[] = [];
  let last = -1;
  for (const z of zonelist(c, req.nid, highest, !!(req.gfp & __GFP_THISNODE))) {
    if (!z.managed || z.nid === last) continue;
    last = z.nid;
    if (wakeupKswapd(c, z.nid, req.gfp, req.order, highest)) woken.push(z.nid);
  }
  return woken;
}

/** pgdat_balanced(): some managed zone <= highest_zoneidx meets its high watermark (boost included) for order */
export function pgdatBalanced(c: Core, nid: number, order: number, highest: number): boolean {
  let any = false;
  for (let zid = 0; zid <= highest; zid++) {
    const z = c.zone(nid, zid);
    if (!z.managed) continue;
    any = true;
    if (zoneWatermarkOk(z, order, z.wmHigh + z.boost, highest, 0, c.pol.highatomic_watermark) === null) return true;
  }
  return !any;
}

/**
 * wakeup_kswapd(): records kswapd_order / kswapd_highest_zoneidx; a hopeless node (kswapd_failures >=
 * MAX_RECLAIM_RETRIES) or a balanced, unboosted one is not woken. Returns whether kswapd was woken.
 */
export function wakeupKswapd(c: Core, nid: number, gfp: number, order: number, highest: number): boolean {
  const k = c.kswapd[nid];
  if (k.highestZoneidx < 0 || k.highestZoneidx < highest) k.highestZoneidx = highest;
  if (k.order < order) k.order = order;
  let boosted = false;
  for (let zid = 0; zid <= highest; zid++) if (c.zone(nid, zid).boost) boosted = true;
  if (k.failures >= 16 || (pgdatBalanced(c, nid, order, highest) && !boosted)) {
    // hopeless or balanced node: leave it to direct reclaim if possible, else wake kcompactd (wakeup_kswapd)
    if (!(gfp & __GFP_DIRECT_RECLAIM)) {
      const kc = wakeupKcompactd(c, nid, order, highest);
      if (kc) c.emit(kc);
    }
    return false;
  }
  if (!k.woken) c.emit(wakeNote('kswapd', nid, order, ZONE_NAMES[highest]));
  k.woken = true;
  return true;
}
