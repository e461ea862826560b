// Page reclaim (mm/vmscan.c, classic LRU): try_to_free_pages -> do_try_to_free_pages -> shrink_zones -> shrink_node
// -> prepare_scan_control, shrink_lruvec (get_scan_count, shrink_list, shrink_active_list, shrink_inactive_list ->
// isolate_lru_folios + shrink_folio_list) and shrink_slab; should_continue_reclaim, compaction_ready.
// What a folio's fate is (shrink_folio_list): clean unpinned file -> freed; dirty file -> activated (only the flusher
// or kswapd with PGDAT_DIRTY write it back; neither is modelled, so dirty pages stay); writeback -> activated
// (folio_set_reclaim); pinned -> activated (folio_maybe_dma_pinned) or, anon, kept; anon -> swapped out when swap
// has room (the device is synchronous: freed in the same pass) and __GFP_IO is set, else kept/activated.
// Not modelled: referenced bits and folio_check_references (every scanned folio is unreferenced), refault
// detection and workingset, memcgs (one root lruvec per node), throttling (too_many_isolated,
// throttle_direct_reclaim, reclaim_throttle), MGLRU (CONFIG_LRU_GEN_ENABLED), demotion, lazyfree anon.
import type { Core } from '../core.js';
import { MOD_BIT } from '../core.js';
import { MAX_NR_ZONES, PAGE_ALLOC_COSTLY_ORDER } from '../consts.js';
import { zoneSnapshot, zoneWatermarkOk, type Zone } from '../zone.js';
import { freeNow } from '../free.js';
import { originOf, SwapBatch } from '../swap.js';
import { __GFP_FS, __GFP_IO } from '../gfp.js';
import { compactionSuitable } from '../compaction/suitable.js';
import { compactGap } from '../compaction/constants.js';
import { pickSlabFolios, SLAB_OBJECT_CAVEAT, type SlabRun } from './slab-pick.js';
import {
  LRU_ACTIVE_ANON, LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE, LRU_NAMES, NodeLru, isActiveLru, isFileLru, lruZoneSizes,
  type LruRun,
} from './lru.js';
import { pow2 } from '../pfn.js';

export const DEF_PRIORITY = 12;
export const SWAP_CLUSTER_MAX = 32;
export const MAX_RECLAIM_RETRIES = 16;
/** MAX_SWAPPINESS (vm.swappiness is c.sysctl.swappiness, default 60) */
const MAX_SWAPPINESS = 200;
/** SHRINK_BATCH, DEFAULT_SEEKS */
const SHRINK_BATCH = 128;
const DEFAULT_SEEKS = 2;

/** what one reclaim run did, per list */
export interface ReclaimStats {
  scanned: Record<(typeof LRU_NAMES)[number], number>;
  reclaimed: Record<(typeof LRU_NAMES)[number], number>;
  /** pages reclaimed from reclaimable slab through the shrinker */
  slab: number;
  /** folios moved to the active list (dirty, writeback, pinned), and deactivated by shrink_active_list */
  activated: number;
  deactivated: number;
  /** dirty / writeback file pages met (not reclaimable synchronously) */
  dirty: number;
  writeback: number;
  /** anon pages written to swap */
  swapped: number;
  /** lowest priority reached */
  priority: number;
  /** shrink_node passes repeated because should_continue_reclaim() said so (reclaim for compaction) */
  continued: number;
}

export function newStats(): ReclaimStats {
  const z = () => ({ inactive_anon: 0, active_anon: 0, inactive_file: 0, active_file: 0 });
  return { scanned: z(), reclaimed: z(), slab: 0, activated: 0, deactivated: 0, dirty: 0, writeback: 0, swapped: 0, priority: DEF_PRIORITY, continued: 0 };
}
export function totalReclaimed(s: ReclaimStats): number {
  return s.reclaimed.inactive_anon + s.reclaimed.active_anon + s.reclaimed.inactive_file + s.reclaimed.active_file + s.slab;
}
/** what a reclaim result says when the kernel would reclaim by MGLRU generations (policy lru_gen on) */
export const LRU_GEN_CAVEAT = 'MGLRU (lru_gen on) is not modelled: these pages were taken in the classic two-list LRU order; the kernel reclaims by generation (lru_gen_shrink_node), so which pages go first may differ, and so may how many a run takes: MGLRU has no should_continue_reclaim, and try_to_shrink_lruvec evicts MIN_LRU_BATCH (64) folios at a time until it has scanned the LRU pages >> priority (get_nr_to_scan) or reclaimed max(nr_to_reclaim, compact_gap(order)) (should_abort_scan), so a direct reclaim at DEF_PRIORITY on a node of under 1 GiB of LRU pages takes one batch (64 pages a run in the p-pagecache-hugetlb recording); whether clean page cache and anon (with swap) can be reclaimed does not differ';

/**
 * `direct`: a direct reclaim run (try_to_free_pages), where how long should_continue_reclaim goes on depends on
 * kswapd, which the simulator does not run meanwhile
 */
export function describeStats(s: ReclaimStats, direct = false): string {
  const parts: string[] = [];
  for (const k of LRU_NAMES) if (s.scanned[k] || s.reclaimed[k]) parts.push(`${k} scanned ${s.scanned[k]} reclaimed ${s.reclaimed[k]}`);
  if (s.slab) parts.push(`slab ${s.slab} [${SLAB_OBJECT_CAVEAT}]`);
  if (s.swapped) parts.push(`${s.swapped} anon pages swapped out`);
  if (s.dirty) parts.push(`${s.dirty} dirty file pages kept (no writeback from direct reclaim)`);
  if (s.writeback) parts.push(`${s.writeback} pages under writeback kept`);
  if (s.deactivated) parts.push(`${s.deactivated} deactivated`);
  if (s.continued) {
    parts.push(`shrink_node repeated ${s.continued}× by should_continue_reclaim (reclaim for compaction: a costly order goes on ` +
      'until compaction_suitable() or the min watermark at the order; the pages it frees go to the pcp lists first, and ' +
      'NR_FREE_PAGES, which those checks count, leaves them out until a list passes pcp->high)');
    if (direct) {
      parts.push('kswapd, woken by this allocation, did not run meanwhile (not modelled: the kernel\'s can, at reclaim\'s ' +
        'cond_resched() or on another CPU, and while it reclaims ZONE_RECLAIM_ACTIVE keeps the pcp lists at 4 × batch ' +
        'and it frees pages itself, so the kernel\'s run can stop sooner)');
    }
  }
  return parts.length ? parts.join(', ') : 'nothing scanned';
}

/** struct scan_control (the fields the simulator uses) */
export interface ScanControl {
  nrToReclaim: number;
  gfp: number;
  reclaimIdx: number;
  order: number;
  priority: number;
  maySwap: boolean;
  kswapd: boolean;
  nrReclaimed: number;
  nrScanned: number;
  mayDeactivate: number;
  forceDeactivate: boolean;
  skippedDeactivate: boolean;
  cacheTrimMode: boolean;
  cacheTrimModeFailed: boolean;
  noCacheTrimMode: boolean;
  fileIsTiny: boolean;
  compactionReady: boolean;
  cpu: number;
  stats: ReclaimStats;
  /** LRU views per node, built on first use in this reclaim run */
  lru: Map<number, NodeLru>;
  /** per node: the reclaimable slab pages the shrinker may free, as [pfn, pages] runs (built on first use) */
  slab: Map<number, SlabRun[]>;
}
const DEACTIVATE_ANON = 1;
const DEACTIVATE_FILE = 2;

export function newScanControl(p: { gfp: number; reclaimIdx: number; order: number; nrToReclaim: number; kswapd: boolean; cpu: number }): ScanControl {
  return {
    ...p, priority: DEF_PRIORITY, maySwap: true, nrReclaimed: 0, nrScanned: 0, mayDeactivate: 0, forceDeactivate: false,
    skippedDeactivate: false, cacheTrimMode: false, cacheTrimModeFailed: false, noCacheTrimMode: false, fileIsTiny: false,
    compactionReady: false, stats: newStats(), lru: new Map(), slab: new Map(),
  };
}

function nodeLru(c: Core, sc: ScanControl, nid: number): NodeLru {
  let l = sc.lru.get(nid);
  if (!l) sc.lru.set(nid, (l = NodeLru.forReclaim(c, nid)));
  return l;
}

/** can_reclaim_anon_pages(): is there room on a swap device (demotion is not modelled) */
export function canReclaimAnon(c: Core): boolean {
  return c.swapFree > 0;
}

/** zone_reclaimable_pages(): file LRU pages, plus anon when swap has room; the zone's free pages when that is 0.
 *  `sizes`: the node's pages per list and zone (NodeLru.size or lruZoneSizes) */
export function zoneReclaimablePages(c: Core, z: Zone, sizes?: number[][]): number {
  const s = sizes ?? lruZoneSizes(c, z.nid);
  let nr = s[LRU_INACTIVE_FILE]![z.zid]! + s[LRU_ACTIVE_FILE]![z.zid]!;
  if (canReclaimAnon(c)) nr += s[LRU_INACTIVE_ANON]![z.zid]! + s[LRU_ACTIVE_ANON]![z.zid]!;
  if (nr === 0) nr = z.free;
  return nr;
}

/** inactive_is_low(): inactive * sqrt(10 * GB) < active */
function inactiveIsLow(l: NodeLru, inactiveLru: number): boolean {
  const inactive = l.lruSize(inactiveLru), active = l.lruSize(inactiveLru + 1);
  const gb = Math.floor((inactive + active) / 262144);
  const ratio = gb ? Math.floor(Math.sqrt(10 * gb)) : 1;
  return inactive * ratio < active;
}

/** prepare_scan_control(): may_deactivate, cache_trim_mode, file_is_tiny (refaults not modelled: never observed) */
function prepareScanControl(c: Core, nid: number, sc: ScanControl): void {
  const l = nodeLru(c, sc, nid);
  if (!sc.forceDeactivate) {
    sc.mayDeactivate = (inactiveIsLow(l, LRU_INACTIVE_ANON) ? DEACTIVATE_ANON : 0) | (inactiveIsLow(l, LRU_INACTIVE_FILE) ? DEACTIVATE_FILE : 0);
  } else sc.mayDeactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
  const inactiveFile = l.lruSize(LRU_INACTIVE_FILE);
  sc.cacheTrimMode = Math.floor(inactiveFile / pow2(sc.priority)) > 0 && !(sc.mayDeactivate & DEACTIVATE_FILE) && !sc.noCacheTrimMode;
  let free = 0, highWm = 0;
  for (let zid = 0; zid < MAX_NR_ZONES; zid++) {
    const z = c.zone(nid, zid);
    if (!z.managed) continue;
    free += z.free;
    highWm += z.wmHigh + z.boost;
  }
  const file = l.lruSize(LRU_ACTIVE_FILE) + l.lruSize(LRU_INACTIVE_FILE);
  sc.fileIsTiny = file + free <= highWm && !(sc.mayDeactivate & DEACTIVATE_ANON) && Math.floor(l.lruSize(LRU_INACTIVE_ANON) / pow2(sc.priority)) > 0;
}

/** get_scan_count(): pages to scan per list at this priority */
function getScanCount(c: Core, nid: number, sc: ScanControl): number[] {
  const l = nodeLru(c, sc, nid);
  let balance: 'equal' | 'fract' | 'anon' | 'file';
  let fraction = [0, 0], denominator = 1;
  if (!sc.maySwap || !canReclaimAnon(c)) balance = 'file';
  else if (!sc.priority && c.sysctl.swappiness) balance = 'equal';
  else if (sc.fileIsTiny) balance = 'anon';
  else if (sc.cacheTrimMode) balance = 'file';
  else {
    balance = 'fract';
    const cost = c.lruCost[nid];
    let total = cost.anon + cost.file;
    const anonCost = total + cost.anon, fileCost = total + cost.file;
    total = anonCost + fileCost;
    const swappiness = c.sysctl.swappiness;
    const ap = Math.floor((swappiness * (total + 1)) / (anonCost + 1));
    const fp = Math.floor(((MAX_SWAPPINESS - swappiness) * (total + 1)) / (fileCost + 1));
    fraction = [ap, fp];
    denominator = ap + fp;
  }
  const nr = [0, 0, 0, 0];
  for (let lru = 0; lru < 4; lru++) {
    const file = isFileLru(lru) ? 1 : 0;
    let scan = Math.floor(l.lruSize(lru, sc.reclaimIdx) / pow2(sc.priority));
    if (balance === 'fract') scan = Math.floor((scan * fraction[file]) / denominator);
    else if (balance === 'file' || balance === 'anon') { if ((balance === 'file') !== (file === 1)) scan = 0; }
    nr[lru] = scan;
  }
  return nr;
}

/** lru_note_cost(): cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated; halved when above a quarter of the LRU */
function lruNoteCost(c: Core, l: NodeLru, nid: number, file: boolean, nrIo: number, nrRotated: number): void {
  const cost = c.lruCost[nid];
  const v = nrIo * SWAP_CLUSTER_MAX + nrRotated;
  if (file) cost.file += v; else cost.anon += v;
  const lrusize = l.lruSize(0) + l.lruSize(1) + l.lruSize(2) + l.lruSize(3);
  if (cost.file + cost.anon > Math.floor(lrusize / 4)) { cost.file = Math.floor(cost.file / 2); cost.anon = Math.floor(cost.anon / 2); }
}

/** shrink_active_list(): every isolated folio is deactivated (referenced bits / VM_EXEC rotation not modelled) */
function shrinkActiveList(c: Core, nid: number, nrToScan: number, sc: ScanControl, lru: number): void {
  const l = nodeLru(c, sc, nid);
  const { taken, scanned } = l.isolate(lru, nrToScan, sc.reclaimIdx);
  sc.stats.scanned[LRU_NAMES[lru]] += scanned;
  let n = 0;
  for (const r of taken) n += r.n;
  sc.stats.deactivated += n;
  l.putback(lru - 1, taken);
}

/** shrink_folio_list() for a batch isolated from an inactive list; returns pages reclaimed */
function shrinkFolioList(c: Core, nid: number, l: NodeLru, lru: number, taken: LruRun[], sc: ScanControl): { reclaimed: number; pageout: number } {
  const keep: LruRun[] = [], activate: LruRun[] = [];
  let reclaimed = 0, pageout = 0;
  const file = isFileLru(lru);
  // each free below is freeNow + `reclaimed +=` written out: no closure made per call
  const swapped = new SwapBatch();
  for (const r of taken) {
    const end = r.pfn + r.n;
    // one segment per extent: its folios share kind and modifiers, so they share their fate
    for (let p = r.pfn; p < end;) {
      const e = c.extentContaining(p);
      if (!e) { p += r.unit; continue; } // cannot happen: isolated pages are allocated
      const segEnd = Math.min(end, e.pfn + e.n);
      const n = segEnd - p;
      const seg: LruRun = { pfn: p, n, unit: r.unit, zid: r.zid };
      const mods = e.mods;
      sc.nrScanned += n;
      p = segEnd;
      if (mods & MOD_BIT.writeback) {
        // folio_test_writeback: mark PG_reclaim and activate (writeback_throttling_sane for global reclaim)
        sc.stats.writeback += n;
        activate.push(seg);
        continue;
      }
      if (!file) {
        // anon: add_to_swap (needs __GFP_IO, an unpinned folio and room on the swap device)
        if (!(sc.gfp & __GFP_IO) || mods & (MOD_BIT.pinned | MOD_BIT.longterm)) { keep.push(seg); continue; }
        // the slots stay in use until the owner unmaps the pages (free of its label: swap.ts), recorded by the pfn
        // the owner's operation allocated them at (before any migration)
        const owner = e.owner;
        for (let q = seg.pfn; q < segEnd; q += r.unit) {
          if (c.swapFree >= r.unit) {
            // pageout() to a synchronous swap device: written, clean, freed in this pass
            c.swapFree -= r.unit; sc.stats.swapped += r.unit; pageout += r.unit;
            swapped.note(owner, originOf(c, q), r.unit);
            freeNow(c, q, r.unit, sc.cpu); reclaimed += r.unit;
          } else if (r.unit > 1) {
            // add_to_swap failed for a large folio: split_folio_to_list, the base pages are tried one by one
            const origin = originOf(c, q);
            splitFolio(c, q);
            for (let b = q; b < q + r.unit; b++) {
              if (c.swapFree >= 1) { c.swapFree--; sc.stats.swapped++; pageout++; swapped.note(owner, origin + (b - q), 1); freeNow(c, b, 1, sc.cpu); reclaimed++; }
              else activate.push({ pfn: b, n: 1, unit: 1, zid: r.zid }); // activate_locked_split
            }
          } else activate.push({ pfn: q, n: 1, unit: 1, zid: r.zid }); // activate_locked_split
        }
        continue;
      }
      if (mods & (MOD_BIT.pinned | MOD_BIT.longterm)) { activate.push(seg); continue; } // folio_maybe_dma_pinned
      if (mods & MOD_BIT.dirty) {
        // dirty file folio: reclaim does not write it (folio_set_reclaim; goto activate_locked)
        sc.stats.dirty += n;
        activate.push(seg);
        continue;
      }
      freeNow(c, seg.pfn, n, sc.cpu); reclaimed += n; // __remove_mapping + free_unref_folios
    }
  }
  swapped.commit(c);
  sc.stats.reclaimed[LRU_NAMES[lru]] += reclaimed;
  sc.stats.activated += activate.reduce((s, r) => s + r.n, 0);
  l.putback(lru, keep);
  l.putback(lru + 1, activate);
  void nid;
  return { reclaimed, pageout };
}

function splitFolio(c: Core, head: number): void {
  const e = c.unitAt(head);
  if (!e || !e.folio) return;
  c.removeExtent(e);
  c.addExtent({ ...e, folio: false, order: 0, kind: e.kind === 'thp' ? 'anon' : e.kind });
  c.splitMoved(head, 1 << e.order); // a migrated folio's label follows each base page
}

/** shrink_inactive_list() */
function shrinkInactiveList(c: Core, nid: number, nrToScan: number, sc: ScanControl, lru: number): number {
  const l = nodeLru(c, sc, nid);
  const { taken, scanned } = l.isolate(lru, nrToScan, sc.reclaimIdx);
  sc.stats.scanned[LRU_NAMES[lru]] += scanned;
  if (!taken.length) return 0;
  const r = shrinkFolioList(c, nid, l, lru, taken, sc);
  lruNoteCost(c, l, nid, isFileLru(lru), r.pageout, scanned - r.reclaimed);
  return r.reclaimed;
}

/** shrink_list() */
function shrinkList(c: Core, nid: number, lru: number, nrToScan: number, sc: ScanControl): number {
  if (isActiveLru(lru)) {
    if (sc.mayDeactivate & (isFileLru(lru) ? DEACTIVATE_FILE : DEACTIVATE_ANON)) shrinkActiveList(c, nid, nrToScan, sc, lru);
    else sc.skippedDeactivate = true;
    return 0;
  }
  return shrinkInactiveList(c, nid, nrToScan, sc, lru);
}

/** shrink_lruvec() */
function shrinkLruvec(c: Core, nid: number, sc: ScanControl): void {
  const nr = getScanCount(c, nid, sc);
  const targets = nr.slice();
  const proportional = !sc.kswapd && sc.priority === DEF_PRIORITY;
  let nrReclaimed = 0;
  while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
    for (let lru = 0; lru < 4; lru++) {
      if (!nr[lru]) continue;
      const n = Math.min(nr[lru], SWAP_CLUSTER_MAX);
      nr[lru] -= n;
      nrReclaimed += shrinkList(c, nid, lru, n, sc);
    }
    if (nrReclaimed < sc.nrToReclaim || proportional) continue;
    const nrFile = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE];
    const nrAnon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
    if (!nrFile || !nrAnon) break;
    let lru: number, percentage: number;
    if (nrFile > nrAnon) {
      lru = LRU_INACTIVE_ANON;
      percentage = Math.floor((nrAnon * 100) / (targets[LRU_INACTIVE_ANON] + targets[LRU_ACTIVE_ANON] + 1));
    } else {
      lru = LRU_INACTIVE_FILE;
      percentage = Math.floor((nrFile * 100) / (targets[LRU_INACTIVE_FILE] + targets[LRU_ACTIVE_FILE] + 1));
    }
    nr[lru] = 0;
    nr[lru + 1] = 0;
    lru = lru === LRU_INACTIVE_FILE ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
    for (const x of [lru, lru + 1]) {
      const scanned = targets[x] - nr[x];
      nr[x] = Math.floor((targets[x] * (100 - percentage)) / 100);
      nr[x] -= Math.min(nr[x], scanned);
    }
  }
  sc.nrReclaimed += nrReclaimed;
  // can_age_anon_pages (total_swap_pages > 0) && inactive_is_low(anon)
  const l = nodeLru(c, sc, nid);
  if ((c.spec.swapPages ?? 0) > 0 && inactiveIsLow(l, LRU_INACTIVE_ANON)) shrinkActiveList(c, nid, SWAP_CLUSTER_MAX, sc, LRU_ACTIVE_ANON);
}

/**
 * shrink_slab() with one NUMA-aware shrinker over the node's reclaimable slab pages, one object per page (a
 * picked object frees its whole slab folio)
 * (do_shrink_slab: delta = (freeable >> priority) * 4 / DEFAULT_SEEKS, at most 2 * freeable, in SHRINK_BATCH
 * batches; nr_deferred not modelled). Filesystem caches (super_cache_scan) stop without __GFP_FS.
 * Which pages a shrink frees is a seeded random choice, as `slab shrink` makes it.
 */
function shrinkSlab(c: Core, nid: number, sc: ScanControl): number {
  if (!(sc.gfp & __GFP_FS)) return 0;
  let runs = sc.slab.get(nid);
  if (!runs) {
    // collected when the node's LRU view was built (LRU reclaim never frees slab pages, so it is still exact)
    runs = nodeLru(c, sc, nid).slab.map(([p, n, u]): SlabRun => [p, n, u]);
    sc.slab.set(nid, runs);
  }
  let freeable = 0;
  for (const r of runs) freeable += r[1];
  if (!freeable) return 0;
  let total = Math.floor((Math.floor(freeable / pow2(sc.priority)) * 4) / DEFAULT_SEEKS);
  total = Math.min(total, 2 * freeable);
  let scanned = 0;
  while (total >= SHRINK_BATCH || total >= freeable) {
    const n = Math.min(SHRINK_BATCH, total);
    scanned += n;
    total -= n;
    if (scanned >= freeable || n === 0) break;
  }
  const want = Math.min(freeable, scanned);
  if (!want) return 0;
  // selection sampling over the pages in pfn order (one draw per page until `want` are picked); the runs are kept
  // as runs (a per-page list of a big machine's slab was most of a reclaim run's time). A picked page frees its
  // whole slab folio, and reclaim counts the folio's pages: __free_slab → mm_account_reclaimed_pages(1 << order)
  // (mm/slub.c), added to sc->nr_reclaimed by flush_reclaim_state in shrink_node (mm/vmscan.c)
  const r = pickSlabFolios(c.rng, runs, freeable, want);
  for (const [p, n] of r.folios) freeNow(c, p, n, sc.cpu);
  sc.slab.set(nid, r.rest);
  sc.stats.slab += r.freed;
  return r.freed;
}

/** in_reclaim_compaction() */
function inReclaimCompaction(sc: ScanControl): boolean {
  return !!(sc.gfp & __GFP_IO) && sc.order > 0 && (sc.order > PAGE_ALLOC_COSTLY_ORDER || sc.priority < DEF_PRIORITY - 2);
}

/** compaction_suitable(zone, order, highest_zoneidx) */
export function compactionSuitableZone(c: Core, z: Zone, order: number, highest: number, free = z.free): boolean {
  const counters = { ...zoneSnapshot(z, c.pol.highatomic_watermark), free, min: z.wmMin + z.boost, low: z.wmLow + z.boost };
  return compactionSuitable(counters, order, counters.min, c.sysctl.extfrag_threshold, highest).result === 'COMPACT_CONTINUE';
}

/** zone_watermark_ok() with the zone's mark (boost included) */
function wmOk(c: Core, z: Zone, order: number, mark: number, highest: number): boolean {
  return zoneWatermarkOk(z, order, mark + z.boost, highest, 0, c.pol.highatomic_watermark) === null;
}

/** should_continue_reclaim() */
function shouldContinueReclaim(c: Core, nid: number, nrReclaimed: number, sc: ScanControl): boolean {
  if (!inReclaimCompaction(sc)) return false;
  if (!nrReclaimed) return false;
  for (let zid = 0; zid <= sc.reclaimIdx; zid++) {
    const z = c.zone(nid, zid);
    if (!z.managed) continue;
    if (wmOk(c, z, sc.order, z.wmMin, sc.reclaimIdx)) return false;
    if (compactionSuitableZone(c, z, sc.order, sc.reclaimIdx)) return false;
  }
  const l = nodeLru(c, sc, nid);
  let inactive = l.lruSize(LRU_INACTIVE_FILE);
  if (canReclaimAnon(c)) inactive += l.lruSize(LRU_INACTIVE_ANON);
  return inactive > compactGap(sc.order);
}

/** shrink_node() */
export function shrinkNode(c: Core, nid: number, sc: ScanControl): void {
  for (;;) {
    const before = sc.nrReclaimed;
    prepareScanControl(c, nid, sc);
    shrinkLruvec(c, nid, sc);
    sc.nrReclaimed += shrinkSlab(c, nid, sc); // flush_reclaim_state (root reclaim)
    const nodeReclaimed = sc.nrReclaimed - before;
    if (shouldContinueReclaim(c, nid, nodeReclaimed, sc)) { sc.stats.continued++; continue; }
    if (nodeReclaimed) c.kswapd[nid].failures = 0;
    else if (sc.cacheTrimMode) sc.cacheTrimModeFailed = true;
    return;
  }
}

/** compaction_ready() */
function compactionReady(c: Core, z: Zone, sc: ScanControl): boolean {
  if (!(sc.gfp & __GFP_IO)) return false;
  if (wmOk(c, z, sc.order, z.wmMin, sc.reclaimIdx)) return true;
  if (!compactionSuitableZone(c, z, sc.order, sc.reclaimIdx)) return false;
  return wmOk(c, z, 0, z.wmHigh + compactGap(sc.order), sc.reclaimIdx);
}

/** shrink_zones(): each node of the zonelist once; costly orders skip zones where compaction is ready */
function shrinkZones(c: Core, zonelist: Zone[], sc: ScanControl): void {
  let last = -1;
  for (const z of zonelist) {
    if (z.zid > sc.reclaimIdx) continue;
    if (sc.order > PAGE_ALLOC_COSTLY_ORDER && compactionReady(c, z, sc)) { sc.compactionReady = true; continue; }
    if (z.nid === last) continue;
    last = z.nid;
    shrinkNode(c, z.nid, sc);
  }
}

/**
 * try_to_free_pages() -> do_try_to_free_pages(): priority DEF_PRIORITY..0 until SWAP_CLUSTER_MAX pages are
 * reclaimed (or compaction is ready); with nothing reclaimed it retries once more (memcg_full_walk), then with
 * force_deactivate when active lists were skipped. Returns the pages reclaimed (1 when only compaction is ready).
 */
export function tryToFreePages(c: Core, zonelist: Zone[], order: number, gfp: number, reclaimIdx: number, cpu: number): { progress: number; stats: ReclaimStats } {
  const sc = newScanControl({ gfp, reclaimIdx, order, nrToReclaim: SWAP_CLUSTER_MAX, kswapd: false, cpu });
  let fullWalk = false;
  for (;;) {
    sc.priority = DEF_PRIORITY;
    do {
      sc.nrScanned = 0;
      sc.stats.priority = sc.priority;
      shrinkZones(c, zonelist, sc);
      if (sc.nrReclaimed >= sc.nrToReclaim) break;
      if (sc.compactionReady) break;
    } while (--sc.priority >= 0);
    if (sc.nrReclaimed) return { progress: sc.nrReclaimed, stats: sc.stats };
    if (sc.compactionReady) return { progress: 1, stats: sc.stats };
    if (!fullWalk) { fullWalk = true; continue; }
    if (sc.skippedDeactivate) { sc.forceDeactivate = true; sc.skippedDeactivate = false; continue; }
    return { progress: 0, stats: sc.stats };
  }
}
