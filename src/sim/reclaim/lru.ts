// The per-node LRU lists (struct lruvec, classic two-list LRU with lru_gen disabled): anon/file × inactive/active,
// plus the pages that are on LRU_UNEVICTABLE. Built from the extents when reclaim starts (mm/vmscan.c works on
// lruvec->lists[]); the order is the extents' LRU stamp (older first), then pfn. Reclaim takes runs off the tail
// (lru_to_folio) and puts survivors back at the head with a fresh stamp, exactly as move_folios_to_lru does.
import type { Core } from '../core.js';
import { MOD_BIT } from '../core.js';
import { MAX_NR_ZONES } from '../consts.js';
import type { SlabRun } from './slab-pick.js';
import { cachedNodeLists, type LruRun } from './lru-cache.js';
import { isActiveLru, lruOf, shrinkableSlab } from './lru-list.js';
export type { LruRun } from './lru-cache.js';

export { LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE, LRU_NAMES, isFileLru, isActiveLru, lruOf, shrinkableSlab } from './lru-list.js';

/**
 * Folios isolated for migration (migrate_pages' list) are off the LRU: reclaim run by a migration target's
 * allocation never sees them. An extent that overlaps one is left out whole (extents are not split here).
 */
export function isMigrating(m: [number, number][] | null, pfn: number, n: number): boolean {
  if (!m) return false;
  // m is disjoint and sorted: the first range ending after pfn is the only candidate
  let lo = 0, hi = m.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m[mid][1] <= pfn) lo = mid + 1;
    else hi = mid;
  }
  return lo < m.length && m[lo][0] < pfn + n;
}

/** the union of [start, end) ranges as disjoint ranges sorted by start */
export function disjoint(r: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of r.slice().sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export class NodeLru {
  /** lists[lru]: runs from the tail (index head) to the list head (array end) */
  readonly lists: LruRun[][] = [[], [], [], []];
  private readonly first = [0, 0, 0, 0];
  /** pages per list and zone (lruvec_lru_size / NR_ZONE_LRU_BASE) */
  readonly size: number[][] = Array.from({ length: 4 }, () => new Array(MAX_NR_ZONES).fill(0));
  /** the node's reclaimable slab pages as [pfn, pages, pages per folio] runs (pfn order, zones in order) the shrinker may free: collected by the same
   *  pass over the extents (a second whole-node pass per reclaim run was most of a reclaim's time on big machines) */
  readonly slab: SlabRun[] = [];

  /**
   * The view reclaim works on: the lists kept between reclaim runs (lru-cache.ts: brought up to date from the extents,
   * exactly what a fresh build gives), or a fresh build while migrate_pages has folios isolated.
   */
  static forReclaim(c: Core, nid: number): NodeLru {
    if (c.migrating) return new NodeLru(c, nid);
    const l = new NodeLru(c, nid, cachedNodeLists(c, nid));
    if (verifyCache) verifyCache(l, new NodeLru(c, nid));
    return l;
  }

  /** a fresh build from every extent, or (`from`) a copy of the cached lists (their runs are shared: never changed here) */
  constructor(private readonly c: Core, readonly nid: number, from?: { runs: LruRun[][]; slab: SlabRun[]; size: number[][] }) {
    if (from) {
      for (let lru = 0; lru < 4; lru++) {
        this.lists[lru] = from.runs[lru]!.slice();
        this.size[lru] = from.size[lru]!.slice();
      }
      for (const r of from.slab) this.slab.push(r);
      return;
    }
    // the order is (stamp, pfn): runs are bucketed per list by stamp in one pass over every extent (cheaper than
    // a pfn-ordered walk of the node's zones), then the buckets are taken in stamp order, each in pfn order (the
    // full sort of every run was most of a reclaim run on big machines)
    const buckets: Map<number, LruRun[]>[] = [new Map(), new Map(), new Map(), new Map()];
    const slab: SlabRun[] = [];
    const lastStamp = [-1, -1, -1, -1];
    const lastList: (LruRun[] | null)[] = [null, null, null, null];
    const mig = c.migrating ? disjoint(c.migrating) : null;
    for (const e of c.ext.values()) {
      const z = c.zoneOf(e.pfn);
      if (!z || z.nid !== nid) continue;
      if (e.kind === 'slab') {
        if (shrinkableSlab(e)) slab.push([e.pfn, e.n, e.folio ? 1 << e.order : 1]);
        continue;
      }
      const lru = lruOf(e);
      if (lru < 0 || isMigrating(mig, e.pfn, e.n)) continue;
      // extents come in runs of one stamp (one operation's pages): look the bucket up only when the stamp changes
      let l: LruRun[] | undefined;
      if (lastStamp[lru] === e.lru) l = lastList[lru]!;
      else {
        const b = buckets[lru]!;
        l = b.get(e.lru);
        if (!l) b.set(e.lru, (l = []));
        lastStamp[lru] = e.lru;
        lastList[lru] = l;
      }
      l.push({ pfn: e.pfn, n: e.n, unit: e.folio ? 1 << e.order : 1, zid: z.zid });
      this.size[lru]![z.zid] += e.n;
    }
    for (let lru = 0; lru < 4; lru++) {
      const b = buckets[lru]!;
      const list = this.lists[lru]!;
      for (const stamp of [...b.keys()].sort((x, y) => x - y)) {
        const runs = b.get(stamp)!;
        runs.sort((x, y) => x.pfn - y.pfn);
        for (const r of runs) list.push(r);
      }
    }
    // the shrinker's order: zone by zone, pfn order inside each
    slab.sort((x, y) => c.zoneOf(x[0])!.zid - c.zoneOf(y[0])!.zid || x[0] - y[0]);
    for (const r of slab) this.slab.push(r);
  }

  /** lruvec_lru_size(lruvec, lru, zone_idx): pages on the list in zones <= zid */
  lruSize(lru: number, zid = MAX_NR_ZONES - 1): number {
    let s = 0;
    for (let i = 0; i <= zid; i++) s += this.size[lru][i];
    return s;
  }
  /** pages of the list in one zone (NR_ZONE_INACTIVE_FILE …) */
  zoneSize(lru: number, zid: number): number {
    return this.size[lru][zid];
  }
  empty(lru: number): boolean {
    return this.first[lru] >= this.lists[lru].length;
  }

  /**
   * isolate_lru_folios(): take folios off the tail until `nrToScan` pages of zones <= reclaimIdx were scanned;
   * folios of higher zones are skipped and spliced back at the head (they do not count as scanned).
   */
  isolate(lru: number, nrToScan: number, reclaimIdx: number): { taken: LruRun[]; scanned: number; skipped: number } {
    const list = this.lists[lru];
    const taken: LruRun[] = [];
    const skippedRuns: LruRun[] = [];
    let scan = 0, skipped = 0;
    while (scan < nrToScan && this.first[lru] < list.length) {
      const r = list[this.first[lru]];
      if (r.zid > reclaimIdx) {
        this.first[lru]++;
        skippedRuns.push(r);
        skipped += r.n;
        continue;
      }
      // whole folios, as many as the remaining budget needs (a folio may overshoot, as in the kernel)
      const folios = Math.max(1, Math.ceil((nrToScan - scan) / r.unit));
      const take = Math.min(r.n, folios * r.unit);
      const part = { ...r, n: take };
      if (take === r.n) this.first[lru]++;
      else list[this.first[lru]] = { ...r, pfn: r.pfn + take, n: r.n - take }; // a new run: cached runs are shared
      this.size[lru][r.zid] -= take;
      scan += take;
      taken.push(part);
    }
    if (skippedRuns.length) this.putback(lru, skippedRuns);
    return { taken, scanned: scan, skipped };
  }

  /** move_folios_to_lru() / list_splice to the head: the runs become the newest of `lru` (in the order given) */
  putback(lru: number, runs: LruRun[]): void {
    if (!runs.length) return;
    const stamp = ++this.c.lruSeq;
    // neighbouring runs of one batch are one range of pages: set their state once
    const merged: LruRun[] = [];
    for (const r of runs) {
      const last = merged[merged.length - 1];
      if (last && last.pfn + last.n === r.pfn && last.zid === r.zid && last.unit === r.unit) last.n += r.n;
      else merged.push({ ...r });
    }
    for (const r of merged) {
      this.lists[lru].push(r);
      this.size[lru][r.zid] += r.n;
      setLruState(this.c, r.pfn, r.n, isActiveLru(lru), stamp);
    }
    // compact the consumed prefix now and then
    if (this.first[lru] > 4096 && this.first[lru] * 2 > this.lists[lru].length) {
      this.lists[lru].splice(0, this.first[lru]);
      this.first[lru] = 0;
    }
  }

  /** the runs of a list from the tail (for tests and descriptions) */
  runs(lru: number): LruRun[] {
    return this.lists[lru].slice(this.first[lru]);
  }
}

/** tests: called with every cached view and a fresh build of the same state (test/unit/sim/lru-cache.test.ts) */
let verifyCache: ((cached: NodeLru, fresh: NodeLru) => void) | null = null;
export function setLruCacheCheck(f: ((cached: NodeLru, fresh: NodeLru) => void) | null): void {
  verifyCache = f;
}

/**
 * The pages per LRU list and zone of a node (what `new NodeLru(c, nid).size` holds), without building the lists:
 * for the zone_reclaimable_pages() checks of should_reclaim_retry / should_compact_retry.
 */
export function lruZoneSizes(c: Core, nid: number): number[][] {
  const size = Array.from({ length: 4 }, () => new Array<number>(MAX_NR_ZONES).fill(0));
  const mig = c.migrating ? disjoint(c.migrating) : null;
  for (let zid = 0; zid < MAX_NR_ZONES; zid++) {
    const z = c.zone(nid, zid);
    if (!z.populated) continue;
    for (const e of c.extentsIn(z.start, z.end)) {
      const lru = lruOf(e);
      if (lru < 0 || c.zoneOf(e.pfn) !== z || isMigrating(mig, e.pfn, e.n)) continue;
      size[lru]![zid] += e.n;
    }
  }
  return size;
}

/** set PG_active and the LRU stamp of the pages [pfn, pfn+n) (whole units; splits extents as needed) */
export function setLruState(c: Core, pfn: number, n: number, active: boolean, stamp: number): void {
  for (const e0 of c.extentsIn(pfn, pfn + n)) {
    const s = Math.max(e0.pfn, pfn);
    const e = c.carve(e0, s, Math.min(e0.pfn + e0.n, pfn + n) - s);
    e.lru = stamp;
    if (active) e.mods |= MOD_BIT.active;
    else e.mods &= ~MOD_BIT.active;
  }
}
