// The `compact ZONE [order N]` operation: compact_zone on the core's state. machine.ts dispatches here:
//   case 'compact': return yield* runCompact(core, zone, op.order, ctx.cpu);
import type { OpResult } from '../api.js';
import type { Core } from '../core.js';
import { zoneSnapshot, type Zone } from '../zone.js';
import { freeNow } from '../free.js';
import { drainPagesZone } from '../pcp.js';
import { modsToList } from '../core.js';
import { isolateFreePage } from '../buddy.js';
import type { CompactionHost, PageDesc } from './host.js';
import { compactZone } from './scanner.js';
import type { CompactCounts, CompactOutcome } from './scanner.js';
import type { CompactParams } from './control.js';
import { resetIsolationSuitable } from './skip.js';
import { MOD_PINNED_ANY } from '../core.js';
import { MIGRATE_TYPES } from '../consts.js';
import { disjoint, isMigrating } from '../reclaim/lru.js';

/** the CompactionHost of zone z (exported for the unit tests of the scanners) */
export function compactionHost(c: Core, z: Zone, cpu: number): CompactionHost {
  // folios on a migrate_pages list (a migration target's allocation compacting) are isolated, off the LRU:
  // isolate_migratepages_block skips them like any non-LRU page
  const mig = c.migrating ? disjoint(c.migrating) : null;
  return {
    pageblockOrder: c.pbo,
    nrOrders: c.nrOrders,
    zoneName: `node ${z.nid} ${z.name}`,
    zoneStart: z.start,
    zoneEnd: z.end,
    blockValid: (s, e) => c.zoneOf(s) === z && c.zoneOf(e - 1) === z,
    page: (pfn): PageDesc => {
      if (c.zoneOf(pfn) !== z) return { t: 'hole' };
      const b = c.buddyAt(pfn);
      if (b) return { t: 'buddy', order: b.order };
      const e = c.extentContaining(pfn);
      if (!e) {
        // a pcp block or the tail of a free block (the scanner only lands there mid-block): all of it is free
        const p = c.pcpContaining(pfn);
        if (p) return { t: 'free', end: p.pfn + (1 << p.e.order) };
        const f = c.freeContaining(pfn);
        return { t: 'free', end: f ? f.pfn + (1 << f.order) : pfn + 1 };
      }
      const end = e.pfn + e.n; // one run: same kind, order, modifiers and owner for all of it
      if (e.freeing >= 0) return { t: 'free', end };
      const order = e.folio ? e.order : 0;
      const head = e.folio ? pfn - ((pfn - e.pfn) % (1 << order)) : pfn;
      if (mig && isMigrating(mig, head, 1 << order)) return { t: 'folio', head, order, kind: 'kernel', mods: [], hugetlb: false, end: head + (1 << order) };
      if (e.kind === 'hugetlb') return { t: 'folio', head, order, kind: null, mods: [], hugetlb: true, end };
      return { t: 'folio', head, order, kind: e.kind, mods: modsToList(e.mods), hugetlb: false, end };
    },
    pageblockMt: (pfn) => c.getMt(pfn),
    counters: () => zoneSnapshot(z, c.pol.highatomic_watermark),
    isolateFreePage: (pfn, order) => isolateFreePage(c, pfn, order),
    // release_free_list: mark_allocated + __free_pages: order <= 3 or 9 go to this cpu's pcp list
    releaseFreePage: (pfn, order) => {
      c.addExtent(c.newExtent(pfn, 1 << order, order, order > 0, 'kernel', 0, 'compaction'));
      freeNow(c, pfn, 1 << order, cpu);
    },
    migrate: (src, order, dst) => {
      const e = c.unitAt(src);
      if (!e) return { ok: false, result: 'EBUSY', reason: 'source vanished' };
      if (e.mods & MOD_PINNED_ANY) {
        // a pinned file page (anon ones were skipped at isolation): -EAGAIN on every pass. The target stays
        // isolated: migrate_pages hands it to compaction_free() (the scanner's giveBack), which puts it back on
        // cc->freepages; release_free_list frees it at the end. Freeing it here too was a double free.
        return { ok: false, result: 'EAGAIN', reason: 'pinned: refcount mismatch, -EAGAIN on all 10 passes' };
      }
      const d = c.addExtent(c.newExtent(dst, 1 << order, order, e.folio && order > 0, e.kind, e.mods, e.owner));
      const m = { src, dst, order, result: 'ok' as const, reason: 'MR_COMPACTION' };
      (d.pfn === dst ? d : c.unitAt(dst)!).lastMig = m;
      c.emit({ type: 'migrate', m });
      c.noteMoved(src, dst, e.owner);
      freeNow(c, src, 1 << order, cpu);
      c.vm.pgmigrate_success += 1 << order; // migrate_pages(): PGMIGRATE_SUCCESS (MR_COMPACTION)
      return { ok: true };
    },
    split: (head) => {
      const e = c.unitAt(head);
      if (!e || !e.folio) return false;
      c.removeExtent(e);
      c.addExtent({ ...e, folio: false, order: 0, kind: e.kind === 'thp' ? 'anon' : e.kind });
      c.splitMoved(head, 1 << e.order); // a migrated folio's label follows each base page
      return true;
    },
    drainLocal: () => void drainPagesZone(c, z, cpu),
    cache: z,
    getSkip: (pfn) => c.getSkip(pfn),
    setSkip: (pfn, on) => c.setSkip(pfn, on),
    listFirst: (order, mt) => z.head[order * MIGRATE_TYPES + mt]!,
    listLast: (order, mt) => z.tail[order * MIGRATE_TYPES + mt]!,
    listNext: (pfn) => c.free.get(pfn)!.next,
    listPrev: (pfn) => c.free.get(pfn)!.prev,
    nrFree: (order) => z.nrFree[order] ?? 0,
    moveFreelistTail: (pfn) => c.freelistTail(c.free.get(pfn)!),
    moveFreelistHead: (pfn) => c.freelistHead(c.free.get(pfn)!),
  };
}

/**
 * The `compact ZONE [order N]` operation. order < 0: the zone's part of compact_memory (compact_node(pgdat, false):
 * MIGRATE_SYNC, whole zone, skip hints ignored, not direct). order > 0: a direct compaction of a MOVABLE request at
 * COMPACT_PRIO_SYNC_LIGHT (compact_zone_order: MIGRATE_SYNC_LIGHT, from the cached pfns, skip hints honoured).
 */
export function* runCompact(c: Core, z: Zone, order: number, cpu: number): Generator<string, OpResult, void> {
  const p: CompactParams = order < 0
    ? { order, freelist: c.pol.compaction_freelist, mode: 'sync', wholeZone: true, ignoreSkipHint: true, extfragThreshold: c.sysctl.extfrag_threshold }
    : { order, freelist: c.pol.compaction_freelist, mode: 'sync_light', direct: true, extfragThreshold: c.sysctl.extfrag_threshold };
  const out = yield* compactZone(compactionHost(c, z, cpu), p);
  countCompactEvents(c, out.counts);
  for (const e of out.events) c.emit(e);
  return {
    ok: out.result === 'COMPACT_SUCCESS',
    errno: null,
    pfn: null,
    reason: out.reason,
    allocated: [],
    migrations: out.migrations,
    events: [],
    ...(out.scan ? { compaction: [out.scan] } : {}),
  };
}

/**
 * compact_zone's end: count_compact_events(COMPACTMIGRATE_SCANNED / COMPACTFREE_SCANNED, cc->total_*_scanned);
 * COMPACTISOLATED is counted by the isolating functions as they go (same total)
 */
export function countCompactEvents(c: Core, n: CompactCounts): void {
  c.vm.compact_migrate_scanned += n.migrateScanned;
  c.vm.compact_free_scanned += n.freeScanned;
  c.vm.compact_isolated += n.isolated;
}

function runToEnd(c: Core, g: Generator<string, CompactOutcome, void>): CompactOutcome {
  for (;;) {
    const r = g.next();
    if (r.done) {
      countCompactEvents(c, r.value.counts);
      for (const e of r.value.events) c.emit(e);
      return r.value;
    }
  }
}

/**
 * compact_zone_order() for direct compaction of an allocation (mm/compaction.c): MIGRATE_ASYNC at
 * COMPACT_PRIO_ASYNC, else MIGRATE_SYNC_LIGHT; COMPACT_PRIO_SYNC_FULL (prio 0) compacts the whole zone, ignores
 * skip hints and takes targets from any pageblock type; cc->migratetype and cc->highest_zoneidx are the request's.
 * Runs to completion.
 */
export function compactZoneDirect(c: Core, z: Zone, order: number, migratetype: number, prio: number, cpu: number, highest: number): CompactOutcome {
  const full = prio === 0, async = prio === 2;
  return runToEnd(c, compactZone(compactionHost(c, z, cpu), {
    order, freelist: c.pol.compaction_freelist, migratetype, mode: async ? 'async' : 'sync_light', direct: true,
    wholeZone: full, ignoreSkipHint: full, ignoreBlockSuitable: full, extfragThreshold: c.sysctl.extfrag_threshold, highestZoneidx: highest,
    cmaCheck: c.pol.compaction_cma_check,
  }));
}

/**
 * kcompactd_do_work()'s compact_zone for one zone: MIGRATE_SYNC_LIGHT, cc->migratetype from GFP_KERNEL (UNMOVABLE),
 * not direct, from the cached pfns with skip hints honoured; cc.highest_zoneidx = kcompactd_highest_zoneidx.
 */
export function compactZoneKcompactd(c: Core, z: Zone, order: number, migratetype: number, cpu: number, highest: number): CompactOutcome {
  return runToEnd(c, compactZone(compactionHost(c, z, cpu), { order, freelist: c.pol.compaction_freelist, migratetype, mode: 'sync_light', extfragThreshold: c.sysctl.extfrag_threshold, highestZoneidx: highest }));
}

/**
 * compact_node(pgdat, proactive=true)'s compact_zone for one zone (mm/compaction.c): order -1, MIGRATE_SYNC_LIGHT,
 * whole zone, skip hints ignored, stopping with COMPACT_SUCCESS once fragmentation_score_zone(zone) <= `wmarkLow`.
 */
export function compactZoneProactive(c: Core, z: Zone, wmarkLow: number, cpu: number): CompactOutcome {
  return runToEnd(c, compactZone(compactionHost(c, z, cpu), {
    order: -1, freelist: c.pol.compaction_freelist, mode: 'sync_light', wholeZone: true, ignoreSkipHint: true, proactive: { wmarkLow },
    extfragThreshold: c.sysctl.extfrag_threshold,
  }));
}

/** reset_isolation_suitable(pgdat) for node nid: __reset_isolation_suitable on each populated zone */
export function resetIsolationSuitableNode(c: Core, nid: number, cpu: number): number {
  let n = 0;
  for (const z of c.zones) if (z.nid === nid && z.populated && resetIsolationSuitable(compactionHost(c, z, cpu))) n++;
  return n;
}
