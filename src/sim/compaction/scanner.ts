// compact_zone (mm/compaction.c) for one zone and order: compaction_suitable, __reset_isolation_suitable when
// compaction_restarting, the scanners from the zone's cached pfns (or the zone ends for a whole-zone run), migrate
// scanner rounds (fast_find_migrateblock, isolate_migratepages) and free scanner refills (fast_isolate_freepages,
// isolate_freepages) until compact_finished says SUCCESS or the scanners meet, then release_free_list and the
// cached free pfn. The mode, whole_zone, ignore_skip_hint and direct_compaction come from the caller
// (CompactParams). Not modelled: compaction capture, too_many_isolated throttling, lock contention.
import type { CompactScan, Migration, SimEvent } from '../api.js';
import type { CompactResult } from './constants.js';
import type { CompactionHost } from './host.js';
import { compactionSuitAllocationOrder } from './suitable.js';
import { MOVABLE as MT_MOVABLE } from '../consts.js';
import { CompactControl, type CompactParams, type Folio } from './control.js';
import { hex } from '../../shared/format.js';
import { compactionRestarting, resetIsolationSuitable } from './skip.js';
import { pow2 } from '../pfn.js';

export type { CompactParams };

export interface CompactOutcome {
  result: CompactResult;
  reason: string;
  migrations: Migration[];
  events: SimEvent[];
  /** the scanners of the run (null when compaction_suitable said no before they started) */
  scan: CompactScan | null;
  /** what the run adds to /proc/vmstat: COMPACTMIGRATE_SCANNED, COMPACTFREE_SCANNED, COMPACTISOLATED */
  counts: CompactCounts;
}

/** cc->total_migrate_scanned and cc->total_free_scanned at the end of compact_zone, and the pages isolated */
export interface CompactCounts {
  migrateScanned: number;
  freeScanned: number;
  isolated: number;
}

const NO_COUNTS: CompactCounts = { migrateScanned: 0, freeScanned: 0, isolated: 0 };

/** compact_zone(): compaction_suitable, then migrate-scanner rounds until compact_finished, then release_free_list */
export function* compactZone(h: CompactionHost, p: CompactParams): Generator<string, CompactOutcome, void> {
  const cc = new CompactControl(h, p);
  if (!cc.viaCompactMemory) {
    // the non-CMA check only where the kernel has it (compaction_cma_check: mainline by 6.15, not 6.12)
    const async = cc.async && p.cmaCheck === 'async_costly';
    const s = compactionSuitAllocationOrder(h.counters(), p.order, { allocCma: cc.mt === MT_MOVABLE, async, extfragThreshold: p.extfragThreshold, highest: p.highestZoneidx });
    if (s.result !== 'COMPACT_CONTINUE') {
      const traced = s.trace && s.trace !== s.result ? ` (mm_compaction_suitable: ${s.trace})` : '';
      return { result: s.result, reason: `${s.result}${traced}: ${s.why}`, migrations: cc.migrations, events: cc.events, scan: null, counts: { ...NO_COUNTS } };
    }
    cc.note(`compaction_suitable: ${s.why}; order-0 target ${s.target}`);
  }
  // clear the skip hints if compaction is about to be retried after being deferred the most
  const reset = compactionRestarting(h.cache, p.order) && resetIsolationSuitable(h);
  if (reset) cc.note('compaction_restarting: __reset_isolation_suitable cleared the skip hints and moved the cached pfns');
  // where the scanners start: the zone ends, or the cached pfns when they are inside the zone
  const z = h.cache;
  if (cc.wholeZone) {
    cc.migratePfn = h.zoneStart;
    cc.freePfn = cc.pbStart(h.zoneEnd - 1);
  } else {
    cc.migratePfn = cc.async ? z.compactCachedMigrateAsync : z.compactCachedMigrateSync;
    cc.freePfn = z.compactCachedFreePfn;
    if (cc.freePfn < h.zoneStart || cc.freePfn >= h.zoneEnd) z.compactCachedFreePfn = cc.freePfn = cc.pbStart(h.zoneEnd - 1);
    if (cc.migratePfn < h.zoneStart || cc.migratePfn >= h.zoneEnd) z.compactCachedMigrateAsync = z.compactCachedMigrateSync = cc.migratePfn = h.zoneStart;
    if (cc.migratePfn <= z.compactInitMigratePfn) cc.wholeZone = true;
  }
  const migrateStart = cc.migratePfn, freeStart = cc.freePfn;
  // until a block with isolation candidates is found, keep the async and sync cached pfns together
  let updateCached = cc.async && z.compactCachedMigrateAsync === z.compactCachedMigrateSync;

  let ret: CompactResult;
  let round = 0;
  outer: while ((ret = cc.compactFinished()) === 'COMPACT_CONTINUE') {
    cc.finishPageblock = cc.pbStart(cc.lastMigratedPfn) === cc.pbStart(cc.migratePfn);
    for (;;) { // rescan:
      const list: Folio[] = [];
      const got = cc.isolateMigratepages(list);
      round++;
      yield 'scan';
      if (!got && updateCached) z.compactCachedMigrateSync = z.compactCachedMigrateAsync;
      if (got) {
        updateCached = false;
        cc.lastMigratedPfn = Math.max(h.zoneStart, cc.pbStart(cc.migratePfn - 1));
        const err = cc.migratePages(list);
        cc.nrMigratepages = 0;
        yield 'migrate';
        if (err !== 0) {
          if (err < 0 && !cc.scannersMet()) { ret = 'COMPACT_CONTENDED'; break outer; }
          if (cc.migratePfn % cc.pb !== 0 && !cc.ignoreSkipHint && !cc.sync && !cc.finishPageblock) {
            cc.finishPageblock = true;
            if (p.order === 9) cc.lastMigratedPfn = 0;
            continue;
          }
        }
      }
      break;
    }
    // check_drain: left the cc->order aligned block we migrated from → drain the local pcp lists
    if (p.order > 0 && cc.lastMigratedPfn) {
      const cur = cc.migratePfn - (cc.migratePfn % pow2(p.order));
      if (cc.lastMigratedPfn < cur) { h.drainLocal(); cc.lastMigratedPfn = 0; }
    }
  }
  // out: release_free_list; the free scanner restarts at the highest released block next time (only go back)
  let high = -1;
  for (const b of cc.pool.drainAll()) {
    h.releaseFreePage(b.pfn, b.order);
    if (b.pfn > high) high = b.pfn;
  }
  if (high >= 0 && cc.pbStart(high) > z.compactCachedFreePfn) z.compactCachedFreePfn = cc.pbStart(high);
  for (const [why, pfns] of cc.skipped) cc.note(`skipped ${why}: ${pfns.map(hex).join(', ')}${pfns.length === 8 ? ', …' : ''}`);
  const moved = cc.migrations.filter((m) => m.result === 'ok').length;
  const scan: CompactScan = {
    zone: h.zoneName, result: ret, wholeZone: cc.wholeZone, ignoreSkipHint: cc.ignoreSkipHint,
    migrateStart, freeStart, migrateEnd: cc.migratePfn, freeEnd: cc.freePfn,
    fastMigrate: cc.fastMigrate.slice(0, 16), fastFree: cc.fastFree.slice(0, 16),
    skipSet: cc.skipSet.length, skipSetPfns: cc.skipSet.slice(0, 16), skipHonoured: cc.skipHonoured, reset,
  };
  const reason = `${ret}: ${round} scanner round${round === 1 ? '' : 's'}, ${moved} folio${moved === 1 ? '' : 's'} migrated, ${scanText(scan)}`;
  const counts = { migrateScanned: cc.totalMigrateScanned, freeScanned: cc.totalFreeScanned, isolated: cc.totalIsolated };
  return { result: ret, reason, migrations: cc.migrations, events: cc.events, scan, counts };
}

/** the scanners in words: start → end, the fast searches, the skip hints */
export function scanText(s: CompactScan): string {
  const parts = [`migrate scanner ${hex(s.migrateStart)} → ${hex(s.migrateEnd)}, free scanner ${hex(s.freeStart)} → ${hex(s.freeEnd)}` +
    (s.wholeZone ? ' (whole zone)' : ' (from the cached pfns)')];
  if (s.fastMigrate.length) parts.push(`fast_find_migrateblock chose ${s.fastMigrate.map(hex).join(', ')}`);
  if (s.fastFree.length) parts.push(`fast_isolate_freepages took ${s.fastFree.map((b) => `${hex(b.pfn)} (order ${b.order})`).join(', ')}`);
  if (s.skipSet) parts.push(`${s.skipSet} pageblock${s.skipSet === 1 ? '' : 's'} marked skip`);
  if (s.skipHonoured) parts.push(`${s.skipHonoured} skipped for a skip hint`);
  if (s.ignoreSkipHint) parts.push('skip hints ignored');
  return parts.join(', ');
}
