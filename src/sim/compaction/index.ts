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
import type { CompactOutcome } from './scanner.js';
import { MOD_PINNED_ANY } from '../core.js';
import { disjoint, isMigrating } from '../reclaim/lru.js';

function host(c: Core, z: Zone, cpu: number): CompactionHost {
  // folios on a migrate_pages list (a migration target's allocation compacting) are isolated, off the LRU:
  // isolate_migratepages_block skips them like any non-LRU page
  const mig = c.migrating ? disjoint(c.migrating) : null;
  return {
    pageblockOrder: c.pbo,
    nrOrders: c.nrOrders,
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
      return true;
    },
    drainLocal: () => void drainPagesZone(c, z, cpu),
  };
}

export function* runCompact(c: Core, z: Zone, order: number, cpu: number): Generator<string, OpResult, void> {
  const out = yield* compactZone(host(c, z, cpu), { order, freelist: c.pol.compaction_freelist, extfragThreshold: c.sysctl.extfrag_threshold });
  for (const e of out.events) c.emit(e);
  return {
    ok: out.result === 'COMPACT_SUCCESS',
    errno: null,
    pfn: null,
    reason: out.reason,
    allocated: [],
    migrations: out.migrations,
    events: [],
  };
}


/**
 * compact_zone_order() for direct compaction of an allocation (mm/compaction.c): MIGRATE_ASYNC at
 * COMPACT_PRIO_ASYNC, else MIGRATE_SYNC_LIGHT; cc->migratetype is the request's. The scanner always starts at the
 * zone ends with fresh skip hints (cached pfns, skip hints and fast_isolate_freepages are not modelled), i.e. as
 * COMPACT_PRIO_SYNC_FULL's whole_zone/ignore_skip_hint run. Runs to completion (no phases).
 */
export function compactZoneDirect(c: Core, z: Zone, order: number, migratetype: number, async: boolean, cpu: number): CompactOutcome {
  const g = compactZone(host(c, z, cpu), { order, freelist: c.pol.compaction_freelist, migratetype, async, extfragThreshold: c.sysctl.extfrag_threshold });
  for (;;) {
    const r = g.next();
    if (r.done) {
      for (const e of r.value.events) c.emit(e);
      return r.value;
    }
  }
}

/**
 * compact_node(pgdat, proactive=true)'s compact_zone for one zone (mm/compaction.c): order -1, MIGRATE_SYNC_LIGHT,
 * stopping with COMPACT_SUCCESS once fragmentation_score_zone(zone) <= `wmarkLow`. Runs to completion.
 */
export function compactZoneProactive(c: Core, z: Zone, wmarkLow: number, cpu: number): CompactOutcome {
  const g = compactZone(host(c, z, cpu), { order: -1, freelist: c.pol.compaction_freelist, proactive: { wmarkLow } });
  for (;;) {
    const r = g.next();
    if (r.done) {
      for (const e of r.value.events) c.emit(e);
      return r.value;
    }
  }
}
