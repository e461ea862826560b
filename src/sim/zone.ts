// struct zone and struct per_cpu_pages: the per-zone counters, free_area list heads and pagesets.
// Free blocks themselves live in Core.free (keyed by head pfn); a zone only holds list heads/tails/counts.
import { CMA, HIGHATOMIC, MIGRATE_PCPTYPES, MIGRATE_TYPES, NR_PCP_LISTS } from './consts.js';
import {
  ALLOC_CMA, ALLOC_HARDER, ALLOC_HIGHATOMIC, ALLOC_LEGACY_RESERVES, ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK, ALLOC_OOM, ALLOC_RESERVES, ALLOC_WMARK_MASK,
} from './internal.js';
import type { Policies, ZoneName } from './scenario.js';
import { ZONE_NAMES } from '../shared/format.js';

type HighatomicWatermark = Policies['highatomic_watermark'];

/** struct per_cpu_pages. lists[i] is an array whose LAST element is the list head (LIFO end), index 0 the tail. */
export class Pcp {
  count = 0;
  high = 0;
  highMin = 0;
  highMax = 0;
  batch = 1;
  freeCount = 0;
  allocFactor = 0;
  lists: number[][] = [];
  constructor() {
    for (let i = 0; i < NR_PCP_LISTS; i++) this.lists.push([]);
  }
  clone(): Pcp {
    const p = new Pcp();
    p.count = this.count; p.high = this.high; p.highMin = this.highMin; p.highMax = this.highMax;
    p.batch = this.batch; p.freeCount = this.freeCount; p.allocFactor = this.allocFactor;
    p.lists = this.lists.map((l) => l.slice());
    return p;
  }
}

/** bumped by every write of any zone's present count: what is populated (zonelist()'s cache) can have changed */
let presentEpoch = 0;
export const zonesPresentEpoch = (): number => presentEpoch;

export class Zone {
  /** spanned = end - start; an empty zone has start = end = 0 (zone_is_empty) */
  start = 0;
  end = 0;
  private presentPages = 0;
  presentEarly = 0;
  managed = 0;
  cmaPages = 0;
  /** nr_isolate_pageblock */
  nrIsolate = 0;
  /** NR_FREE_PAGES (account_freepages: ISOLATE excluded) */
  free = 0;
  /** NR_FREE_CMA_PAGES */
  freeCma = 0;
  nrFreeHighatomic = 0;
  nrReservedHighatomic = 0;
  wmMin = 0;
  wmLow = 0;
  wmHigh = 0;
  wmPromo = 0;
  boost = 0;
  lowmemReserve: number[] = [0, 0, 0, 0];
  contiguous = false;
  /** compaction deferral (mm/compaction.c defer_compaction / compaction_deferred / compaction_defer_reset) */
  compactConsidered = 0;
  compactDeferShift = 0;
  compactOrderFailed = 0;
  /**
   * compaction's cached scanner positions (struct zone, mm/compaction.c): compact_cached_migrate_pfn[ASYNC, SYNC],
   * compact_cached_free_pfn, compact_init_migrate_pfn / compact_init_free_pfn (set only by
   * __reset_isolation_suitable) and compact_blockskip_flush. Zero at boot like the kernel's zeroed struct zone:
   * compact_zone puts an out-of-zone cached pfn back to the zone ends.
   */
  compactCachedMigrateAsync = 0;
  compactCachedMigrateSync = 0;
  compactCachedFreePfn = 0;
  compactInitMigratePfn = 0;
  compactInitFreePfn = 0;
  compactBlockskipFlush = false;
  /**
   * ZONE_RECLAIM_ACTIVE (mm/vmscan.c set_reclaim_active / clear_reclaim_active): set for the zones <= highest_zoneidx
   * while balance_pgdat runs; nr_pcp_high() then keeps at most 4 × batch pages on a pcp list, so the pages kswapd
   * frees reach the buddy lists. Never set between operations (kswapd runs inside one).
   */
  reclaimActive = false;
  /** free_area[order].free_list[mt]: head/tail pfn (-1 = empty) and length; index order*MIGRATE_TYPES+mt */
  head: number[];
  tail: number[];
  cnt: number[];
  /** free_area[order].nr_free */
  nrFree: number[];
  /** per list (index order*MIGRATE_TYPES+mt): blocks on it with PageReported (Core.markReported keeps it) */
  nrReported: number[];
  pcp: Pcp[] = [];
  /** zone_pcp_disable nesting (pcp_batch_high_lock held) and the values to restore */
  pcpDisabled = 0;
  savedPcp: { high: number; highMin: number; highMax: number; batch: number }[] = [];

  constructor(public readonly idx: number, public readonly nid: number, public readonly zid: number, nrOrders: number, cpus: number) {
    this.head = new Array(nrOrders * MIGRATE_TYPES).fill(-1);
    this.tail = new Array(nrOrders * MIGRATE_TYPES).fill(-1);
    this.cnt = new Array(nrOrders * MIGRATE_TYPES).fill(0);
    this.nrFree = new Array(nrOrders).fill(0);
    this.nrReported = new Array(nrOrders * MIGRATE_TYPES).fill(0);
    for (let c = 0; c < cpus; c++) this.pcp.push(new Pcp());
  }
  get name(): ZoneName {
    return ZONE_NAMES[this.zid];
  }
  get spanned(): number {
    return this.end - this.start;
  }
  /** present_pages */
  get present(): number {
    return this.presentPages;
  }
  set present(v: number) {
    this.presentPages = v;
    presentEpoch++;
  }
  /** populated_zone() */
  get populated(): boolean {
    return this.presentPages > 0;
  }
  spans(pfn: number): boolean {
    return pfn >= this.start && pfn < this.end;
  }
  clone(): Zone {
    const z = Object.create(Zone.prototype) as Zone;
    Object.assign(z, this);
    z.lowmemReserve = this.lowmemReserve.slice();
    z.head = this.head.slice();
    z.tail = this.tail.slice();
    z.cnt = this.cnt.slice();
    z.nrFree = this.nrFree.slice();
    z.nrReported = this.nrReported.slice();
    z.pcp = this.pcp.map((p) => p.clone());
    z.savedPcp = this.savedPcp.map((s) => ({ ...s }));
    return z;
  }
}

/**
 * The struct zone counters __zone_watermark_ok reads. A Zone is one; compaction and page reporting pass a snapshot
 * of the same fields (zoneSnapshot) so their pure rules ask the very same question.
 */
export interface WatermarkZone {
  /** NR_FREE_PAGES (account_freepages: isolated free pages are not counted) */
  readonly free: number;
  /** NR_FREE_CMA_PAGES */
  readonly freeCma: number;
  readonly nrFreeHighatomic: number;
  readonly nrReservedHighatomic: number;
  /** lowmem_reserve[highest_zoneidx] */
  readonly lowmemReserve: readonly number[];
  /** free_area[order].nr_free */
  readonly nrFree: readonly number[];
  /** blocks on free_area[order].free_list[mt], index order*MIGRATE_TYPES+mt */
  readonly cnt: readonly number[];
}

/**
 * __zone_watermark_unusable_free() (mm/page_alloc.c). Yu Zhao's "keep track of free highatomic" (late 2024, stable
 * 6.12.y): the free highatomic pages; before it (highatomic_watermark `reserved`) the whole reserve, free or not.
 */
export function zoneWatermarkUnusableFree(z: WatermarkZone, order: number, flags: number, highatomic: HighatomicWatermark): number {
  let u = (1 << order) - 1;
  // before 6.3 only ALLOC_HARDER / ALLOC_OOM (`alloc_harder`) could use the highatomic reserve, not ALLOC_HIGH
  const reserves = flags & ALLOC_LEGACY_RESERVES ? flags & (ALLOC_HARDER | ALLOC_OOM) : flags & ALLOC_RESERVES;
  if (!reserves) u += highatomic === 'free' ? z.nrFreeHighatomic : z.nrReservedHighatomic;
  if (!(flags & ALLOC_CMA)) u += z.freeCma;
  return u;
}

/**
 * __zone_watermark_ok() (mm/page_alloc.c), the one watermark check of the simulator: the allocator, kswapd,
 * compaction (compaction_suitable, __isolate_free_page) and page reporting all ask it. Returns null when ok,
 * else why not.
 */
export function zoneWatermarkOk(
  z: WatermarkZone, order: number, mark: number, highestZone: number, flags: number,
  highatomic: HighatomicWatermark, freePages = z.free,
): string | null {
  let min = mark;
  const free = freePages - zoneWatermarkUnusableFree(z, order, flags, highatomic);
  if (flags & ALLOC_LEGACY_RESERVES) {
    // before 6.3: ALLOC_HIGH takes min/2; alloc_harder (ALLOC_HARDER | ALLOC_OOM) then min/2 for OOM, else min/4
    if (flags & ALLOC_MIN_RESERVE) min -= Math.floor(min / 2);
    if (flags & ALLOC_OOM) min -= Math.floor(min / 2);
    else if (flags & ALLOC_HARDER) min -= Math.floor(min / 4);
  } else if (flags & ALLOC_RESERVES) {
    if (flags & ALLOC_MIN_RESERVE) {
      min -= Math.floor(min / 2);
      if (flags & ALLOC_NON_BLOCK) min -= Math.floor(min / 4);
    }
    if (flags & ALLOC_OOM) min -= Math.floor(min / 2);
  }
  const reserve = z.lowmemReserve[highestZone] ?? 0;
  if (free <= min + reserve) {
    return `free ${free} <= ${WMARK_NAMES[flags & ALLOC_WMARK_MASK]} watermark ${min}${reserve ? ` + lowmem_reserve ${reserve}` : ''}`;
  }
  if (!order) return null;
  for (let o = order; o < z.nrFree.length; o++) {
    if (!z.nrFree[o]) continue;
    const at = o * MIGRATE_TYPES;
    for (let mt = 0; mt < MIGRATE_PCPTYPES; mt++) if (z.cnt[at + mt]! > 0) return null;
    if (flags & ALLOC_CMA && z.cnt[at + CMA]! > 0) return null;
    if (flags & (ALLOC_HIGHATOMIC | ALLOC_OOM) && z.cnt[at + HIGHATOMIC]! > 0) return null;
  }
  return `no free block of order >= ${order} on an allowed free list`;
}
const WMARK_NAMES = ['min', 'low', 'high', 'high'];

/**
 * A copy of a zone's counters for the pure compaction and page-reporting rules: what __zone_watermark_ok reads,
 * with the machine's highatomic_watermark policy, the marks, and the free lists per type.
 */
export interface ZoneSnapshot extends WatermarkZone {
  highatomic: HighatomicWatermark;
  min: number;
  low: number;
  /** lists[mt][order]: blocks on free_area[order].free_list[mt] */
  lists: number[][];
}

export function zoneSnapshot(z: Zone, highatomic: HighatomicWatermark): ZoneSnapshot {
  const nrOrders = z.nrFree.length;
  const lists = Array.from({ length: MIGRATE_TYPES }, (_, mt) => Array.from({ length: nrOrders }, (_, o) => z.cnt[o * MIGRATE_TYPES + mt]!));
  return {
    free: z.free, freeCma: z.freeCma, nrFreeHighatomic: z.nrFreeHighatomic, nrReservedHighatomic: z.nrReservedHighatomic,
    lowmemReserve: z.lowmemReserve.slice(), nrFree: z.nrFree.slice(), cnt: z.cnt.slice(),
    highatomic, lists, min: z.wmMin, low: z.wmLow,
  };
}

/**
 * zone_watermark_ok(zone, order, mark, highest_zoneidx, alloc_flags) on a snapshot. __isolate_free_page and
 * page_reporting_process_zone ask with highest_zoneidx 0 (lowmem_reserve[0] is 0); compaction's checks with the
 * request's (cc->highest_zoneidx), so a zone whose lowmem reserve would refuse the allocation is not "suitable".
 */
export function snapshotWatermarkOk(z: ZoneSnapshot, order: number, mark: number, flags: number, highest = 0): boolean {
  return zoneWatermarkOk(z, order, mark, highest, flags, z.highatomic) === null;
}
