// Per-cpu pagesets (mm/page_alloc.c §3 of the rule book): pcp_allowed_order, zone_batchsize, zone_highsize,
// rmqueue_pcplist + rmqueue_bulk refill, free_frozen_page_commit, free_pcppages_bulk, drain, zone_pcp_disable.
// pcp->high is clamped into [high_min, high_max] on use and never tuned upward (see setupPcp); free_high and
// ZONE_BELOW_HIGH adjustments are not modelled; ZONE_RECLAIM_ACTIVE (kswapd running) is (nr_pcp_high).
import { CMA, ISOLATE, MIGRATE_PCPTYPES, MOVABLE, NR_LOWORDER_PCP_LISTS, NR_PCP_LISTS, PAGE_ALLOC_COSTLY_ORDER, PCP_BATCH_SCALE_MAX } from './consts.js';
import type { Core } from './core.js';
import type { Zone, Pcp } from './zone.js';
import { freeOnePage, freeBlock, FPI_NONE } from './buddy.js';
import { rmqueue, RMQUEUE_NORMAL } from './fallback.js';
import { pow2 } from './pfn.js';

/** pcp_allowed_order(): order <= PAGE_ALLOC_COSTLY_ORDER, or the THP order (== pageblock_order) */
export function pcpAllowedOrder(c: Core, order: number): boolean {
  return order <= PAGE_ALLOC_COSTLY_ORDER || order === c.pbo;
}

/** order_to_pindex() */
export function orderToPindex(c: Core, mt: number, order: number): number {
  if (order > PAGE_ALLOC_COSTLY_ORDER) return NR_LOWORDER_PCP_LISTS + (mt === MOVABLE ? 1 : 0);
  return MIGRATE_PCPTYPES * order + mt;
}
export function pindexToOrder(c: Core, pindex: number): number {
  return pindex >= NR_LOWORDER_PCP_LISTS ? c.pbo : Math.floor(pindex / MIGRATE_PCPTYPES);
}

function rounddownPow2(x: number): number {
  return x < 1 ? 0 : pow2(Math.floor(Math.log2(x)));
}
/** zone_batchsize(): ~0.1% of the zone or 1 MiB, whichever is smaller, /4, then rounddown_pow_of_two(b + b/2) − 1 (0 for zones under 4 MiB) */
export function zoneBatchsize(managed: number): number {
  let b = Math.floor(Math.min(Math.floor(managed / 1024), 256) / 4);
  if (b < 1) b = 1;
  return rounddownPow2(b + (b >> 1)) - 1;
}

/** MIN_PERCPU_PAGELIST_HIGH_FRACTION */
const MIN_PERCPU_PAGELIST_HIGH_FRACTION = 8;
/** BOOT_PAGESET_HIGH / BOOT_PAGESET_BATCH */
const BOOT_PAGESET_HIGH = 0;
const BOOT_PAGESET_BATCH = 1;

/**
 * zone_highsize(zone, batch, cpu_online = 0, high_fraction): the low watermark (high_fraction 0) or managed /
 * high_fraction, split over the CPUs (the model does not bind CPUs to nodes: all of them), at least 4 × batch.
 */
export function zoneHighsize(c: Core, z: Zone, batch: number, highFraction: number): number {
  const total = highFraction ? Math.floor(z.managed / highFraction) : z.wmLow;
  return Math.max(Math.floor(total / c.cpus), batch << 2);
}

/**
 * zone_pcp_update(zone, 0) → zone_set_pageset_high_and_batch() (vm.percpu_pagelist_high_fraction = 0):
 * batch = max(1, zone_batchsize), high_min = zone_highsize(.., 0), high_max = zone_highsize(.., 8).
 * Like pageset_update(), it leaves pcp->high alone: that is clamped into [high_min, high_max] the next time the
 * pcp is used (nr_pcp_alloc / nr_pcp_high), so a pageset never used keeps BOOT_PAGESET_HIGH (0) — /proc/zoneinfo
 * shows "high: 0" for ZONE_DMA — and after high_min rose a pcp shows the old high until its next use. Auto-tuning
 * upward is not modelled, so high exceeds high_min only after high_min dropped; decay_pcp_high() (vmstat worker)
 * brings it back down within seconds and is assumed to have run (as watermark_boost is assumed reset).
 * An unpopulated zone has the boot pageset (zone_pcp_reset on offline; setup_zone_pageset re-inits it on online).
 */
export function setupPcp(c: Core, z: Zone): void {
  if (!z.populated) {
    for (const p of z.pcp) {
      p.high = BOOT_PAGESET_HIGH; p.highMin = BOOT_PAGESET_HIGH; p.highMax = BOOT_PAGESET_HIGH; p.batch = BOOT_PAGESET_BATCH;
      p.freeCount = 0; p.allocFactor = 0;
    }
    return;
  }
  const batch = Math.max(1, zoneBatchsize(z.managed));
  const hmin = zoneHighsize(c, z, batch, 0);
  const hmax = zoneHighsize(c, z, batch, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
  const decayed = (high: number) => (high > hmin ? hmin : high);
  if (z.pcpDisabled) {
    // zone_pcp_disable holds pcp_batch_high_lock: the new values are what zone_pcp_enable restores
    z.savedPcp = z.pcp.map((p, i) => ({ high: decayed(z.savedPcp[i]?.high ?? p.high), highMin: hmin, highMax: hmax, batch }));
    return;
  }
  for (const p of z.pcp) {
    p.batch = batch;
    p.highMin = hmin;
    p.highMax = hmax;
    p.high = decayed(p.high);
  }
}

/** pcp->high = clamp(pcp->high, high_min, high_max), as nr_pcp_alloc() and nr_pcp_high() start */
function clampHigh(p: Pcp): number {
  p.high = Math.min(Math.max(p.high, p.highMin), p.highMax);
  return p.high;
}

/**
 * nr_pcp_high() without free_high / ZONE_BELOW_HIGH: clamp pcp->high, and while kswapd is reclaiming the zone
 * (ZONE_RECLAIM_ACTIVE) lower it by max(free_count, batch) (not below high_min) and keep at most batch << 2 pages
 * ("If reclaim is active, limit the number of pages that can be stored on pcp lists").
 */
function nrPcpHigh(z: Zone, p: Pcp, batch: number): number {
  const high = clampHigh(p);
  if (!high || !z.reclaimActive) return high;
  p.high = Math.max(high - Math.max(p.freeCount, batch), p.highMin);
  return Math.min(batch << 2, p.high);
}

/** nr_pcp_alloc() */
function nrPcpAlloc(p: Pcp, order: number): number {
  const high = clampHigh(p);
  const base = p.batch;
  if (high < base) return 1;
  let batch = order ? base : base << p.allocFactor;
  if (!order) {
    const maxNr = Math.max(high - p.count - base, base);
    if (batch <= maxNr && p.allocFactor < PCP_BATCH_SCALE_MAX) p.allocFactor++;
    batch = Math.min(batch, maxNr);
  }
  if (batch > 1) batch = Math.max(batch >> order, 2);
  return batch;
}

/**
 * rmqueue_pcplist(): pop the list head; an empty list is refilled by rmqueue_bulk() (pages appended at the tail
 * in allocation order). Returns pfn or -1.
 */
export function rmqueuePcplist(c: Core, z: Zone, cpu: number, order: number, mt: number, flags: number): number {
  const p = z.pcp[cpu];
  p.freeCount >>= 1;
  const pindex = orderToPindex(c, mt, order);
  const list = p.lists[pindex];
  if (list.length === 0) {
    const want = nrPcpAlloc(p, order);
    const mode = { m: RMQUEUE_NORMAL };
    const got: number[] = [];
    for (let i = 0; i < want; i++) {
      const pfn = rmqueue(c, z, order, mt, flags, mode);
      if (pfn < 0) break;
      got.push(pfn);
    }
    if (got.length === 0) return -1;
    // head → tail = got[0..]; our arrays keep the head at the end
    for (let i = got.length - 1; i >= 0; i--) {
      list.push(got[i]);
      c.pcpPages.set(got[i], { cpu, zone: z.idx, order, pindex, cachedMt: c.getMt(got[i]) === CMA ? CMA : mt });
    }
    p.count += got.length << order;
    c.emit({ type: 'pcp', cpu, action: 'refill', pfn: got[0], order });
  }
  const pfn = list.pop()!;
  c.pcpPages.delete(pfn);
  p.count -= 1 << order;
  return pfn;
}

/** put a page on a pcp list head (list_add) */
export function pcpAdd(c: Core, z: Zone, cpu: number, pfn: number, order: number, listMt: number, cachedMt: number): void {
  const p = z.pcp[cpu];
  const pindex = orderToPindex(c, listMt, order);
  p.lists[pindex].push(pfn);
  p.count += 1 << order;
  c.pcpPages.set(pfn, { cpu, zone: z.idx, order, pindex, cachedMt });
}

/**
 * free_pcppages_bulk(): round-robin over lists starting at pindex, freeing from each list's TAIL; each page goes
 * to buddy with its pageblock's current type (6.10+), or the type cached at free time (before; the pageblock type
 * when the zone has isolated pageblocks).
 */
export function freePcppagesBulk(c: Core, z: Zone, cpu: number, count: number, pindex: number): void {
  const p = z.pcp[cpu];
  count = Math.min(p.count, count);
  pindex = pindex - 1;
  const isolatedPbs = z.nrIsolate > 0;
  while (count > 0) {
    let list: number[];
    do {
      if (++pindex > NR_PCP_LISTS - 1) pindex = 0;
      list = p.lists[pindex];
    } while (list.length === 0);
    const order = pindexToOrder(c, pindex);
    // the pages this visit takes from the tail, unlinked at once (one splice, not a shift per page: a pcp list
    // of a big zone holds tens of thousands of pages); freed in the same order as before
    const take = list.splice(0, Math.min(list.length, Math.ceil(count / (1 << order))));
    for (const pfn of take) {
      const ent = c.pcpPages.get(pfn)!;
      c.pcpPages.delete(pfn);
      count -= 1 << order;
      p.count -= 1 << order;
      let mt: number;
      if (c.pol.freelist_hygiene === 'on' || isolatedPbs) mt = c.getMt(pfn);
      else mt = ent.cachedMt;
      freeOnePage(c, z, pfn, order, mt, FPI_NONE);
    }
  }
}

/** drain_pages_zone(): everything on one cpu's pageset for this zone goes back to buddy */
export function drainPagesZone(c: Core, z: Zone, cpu: number): number {
  const p = z.pcp[cpu];
  const total = p.count;
  let count = p.count;
  while (count > 0) {
    const toDrain = Math.min(count, Math.max(1, p.batch) << PCP_BATCH_SCALE_MAX);
    freePcppagesBulk(c, z, cpu, toDrain, 0);
    count = p.count;
  }
  if (total) c.emit({ type: 'pcp', cpu, action: 'drain', pfn: z.start, order: 0 });
  return total;
}

/** drain_all_pages(zone|NULL) / drain_local_pages */
export function drainAll(c: Core, zones: Zone[], cpu: number | null): number {
  let n = 0;
  for (const z of zones) {
    for (let cp = 0; cp < c.cpus; cp++) if (cpu === null || cpu === cp) n += drainPagesZone(c, z, cp);
  }
  return n;
}

/** zone_pcp_disable(): high_min = high_max = 0, batch = 1 on every cpu, then drain all */
export function zonePcpDisable(c: Core, z: Zone): void {
  if (z.pcpDisabled++ === 0) {
    z.savedPcp = z.pcp.map((p) => ({ high: p.high, highMin: p.highMin, highMax: p.highMax, batch: p.batch }));
    for (const p of z.pcp) { p.high = 0; p.highMin = 0; p.highMax = 0; p.batch = 1; }
  }
  drainAll(c, [z], null);
}
/** zone_pcp_enable(): restore the saved high/batch */
export function zonePcpEnable(c: Core, z: Zone): void {
  if (z.pcpDisabled === 0) return;
  if (--z.pcpDisabled === 0) {
    z.pcp.forEach((p, i) => {
      const s = z.savedPcp[i];
      if (s) { p.high = s.high; p.highMin = s.highMin; p.highMax = s.highMax; p.batch = s.batch; }
    });
    z.savedPcp = [];
  }
}

/** The migratetype read by the free path (free_frozen_pages / free_unref_page): the pageblock's type. */
export function freeLookup(c: Core, pfn: number): number {
  return c.getMt(pfn);
}

/**
 * The enqueue half of free_frozen_pages(): ISOLATE → buddy (free_one_page); pcp-allowed order → the cpu's pcp
 * list (CMA/HIGHATOMIC onto the MOVABLE list), then free_pcppages_bulk when count >= high; else buddy.
 */
export function freeEnqueue(c: Core, z: Zone, cpu: number, pfn: number, order: number, mt: number): 'buddy' | 'pcp' {
  if (!pcpAllowedOrder(c, order) || mt === ISOLATE) {
    freeBlock(c, z, pfn, order, FPI_NONE);
    return 'buddy';
  }
  const cached = mt;
  const listMt = mt >= MIGRATE_PCPTYPES ? MOVABLE : mt;
  const p = z.pcp[cpu];
  p.allocFactor >>= 1;
  pcpAdd(c, z, cpu, pfn, order, listMt, cached);
  const batch = p.batch;
  if (p.freeCount < batch << PCP_BATCH_SCALE_MAX) p.freeCount += 1 << order;
  const high = nrPcpHigh(z, p, batch);
  if (p.count >= high) {
    // nr_pcp_free()
    const nr = high < batch ? 1 : Math.min(Math.max(p.freeCount, batch), high - batch);
    freePcppagesBulk(c, z, cpu, nr, orderToPindex(c, listMt, order));
  }
  return 'pcp';
}

