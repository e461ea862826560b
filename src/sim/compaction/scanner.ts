// compact_zone (mm/compaction.c) for one zone and order: the migrate scanner goes up from the zone start,
// the free scanner down from the last pageblock, until compact_finished says SUCCESS or the scanners meet.
// Modelled run: direct compaction of a MOVABLE request at COMPACT_PRIO_SYNC_LIGHT (MIGRATE_SYNC_LIGHT,
// ALLOC_WMARK_MIN, ALLOC_CMA), whole zone, fresh skip hints. order < 0 = compact_memory (MIGRATE_SYNC, no
// suitability check, no early finish). Not modelled: fast_isolate_freepages / fast_find_migrateblock (they
// only pick other start points), compaction capture, deferral, too_many_isolated throttling, async mode.
import type { Migration, SimEvent } from '../api.js';
import type { CompactResult } from './constants.js';
import type { CompactionHost } from './host.js';
import { compactionSuitAllocationOrder } from './suitable.js';
import { MOVABLE as MT_MOVABLE } from '../consts.js';
import { CompactControl, type CompactParams, type Folio } from './control.js';
import { hex } from '../../shared/format.js';

export type { CompactParams };

export interface CompactOutcome {
  result: CompactResult;
  reason: string;
  migrations: Migration[];
  events: SimEvent[];
}

/** compact_zone(): compaction_suitable, then migrate-scanner rounds until compact_finished, then release_free_list */
export function* compactZone(h: CompactionHost, p: CompactParams): Generator<string, CompactOutcome, void> {
  const cc = new CompactControl(h, p);
  if (!cc.viaCompactMemory) {
    const s = compactionSuitAllocationOrder(h.counters(), p.order, { allocCma: cc.mt === MT_MOVABLE, extfragThreshold: p.extfragThreshold });
    if (s.result !== 'COMPACT_CONTINUE') {
      const traced = s.trace && s.trace !== s.result ? ` (mm_compaction_suitable: ${s.trace})` : '';
      return { result: s.result, reason: `${s.result}${traced}: ${s.why}`, migrations: cc.migrations, events: cc.events };
    }
    cc.note(`compaction_suitable: ${s.why}; order-0 target ${s.target}`);
  }

  let ret: CompactResult;
  let round = 0;
  outer: while ((ret = cc.compactFinished()) === 'COMPACT_CONTINUE') {
    cc.finishPageblock = cc.pbStart(cc.lastMigratedPfn) === cc.pbStart(cc.migratePfn);
    for (;;) { // rescan:
      const list: Folio[] = [];
      const got = cc.isolateMigratepages(list);
      round++;
      yield 'scan';
      if (got) {
        cc.lastMigratedPfn = Math.max(h.zoneStart, cc.pbStart(cc.migratePfn - 1));
        const err = cc.migratePages(list);
        cc.nrMigratepages = 0;
        yield 'migrate';
        if (err !== 0) {
          if (err < 0 && !cc.scannersMet()) { ret = 'COMPACT_CONTENDED'; break outer; }
          if (cc.migratePfn % cc.pb !== 0 && !cc.sync && !cc.finishPageblock) {
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
      const cur = cc.migratePfn - (cc.migratePfn % 2 ** p.order);
      if (cc.lastMigratedPfn < cur) { h.drainLocal(); cc.lastMigratedPfn = 0; }
    }
  }
  // out: release_free_list
  for (const b of cc.pool.drainAll()) h.releaseFreePage(b.pfn, b.order);
  for (const [why, pfns] of cc.skipped) cc.note(`skipped ${why}: ${pfns.map(hex).join(', ')}${pfns.length === 8 ? ', …' : ''}`);
  const moved = cc.migrations.filter((m) => m.result === 'ok').length;
  const reason = `${ret}: ${round} scanner round${round === 1 ? "" : "s"}, ${moved} folio${moved === 1 ? "" : "s"} migrated, scanners at ${hex(cc.migratePfn)} / ${hex(cc.freePfn)}`;
  return { result: ret, reason, migrations: cc.migrations, events: cc.events };
}
