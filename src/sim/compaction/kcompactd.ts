// kcompactd (mm/compaction.c): one pass of the kcompactd() loop, the `kcompactd [node N]` operation. With a request
// recorded by wakeup_kcompactd (kcompactd_work_requested) it runs kcompactd_do_work; otherwise its 500 ms timeout
// expired and it does proactive compaction when should_proactive_compact_node() (vm.compaction_proactiveness).
import type { Core } from '../core.js';
import { UNMOVABLE, MAX_NR_ZONES } from '../consts.js';
import { zoneSnapshot } from '../zone.js';
import { drainAll } from '../pcp.js';
import { compactionDeferred, compactionDeferReset, deferCompaction } from '../slowpath.js';
import { compactZoneKcompactd, compactZoneProactive } from './index.js';
import { compactionSuitAllocationOrder } from './suitable.js';
import type { CompactResult } from './constants.js';
import type { CompactCounts } from './scanner.js';
import { fragmentationScoreNode, fragmentationScoreWmark } from './fragindex.js';
import type { CompactScan, Migration } from '../api.js';
import { ZONE_NAMES } from '../../shared/format.js';

export interface KcompactdOutcome {
  /** 'work': kcompactd_do_work; 'proactive': compact_node(pgdat, true); 'idle': nothing to do */
  kind: 'work' | 'proactive' | 'idle';
  zones: { zone: string; result: CompactResult | 'deferred' | 'not suitable'; detail: string }[];
  migrations: Migration[];
  /** the compact_zone runs, one per zone compacted */
  scans: CompactScan[];
  text: string;
}

/** fragmentation_score_node() of node nid: weighted by present pages (spanned minus holes: z.present) */
export function nodeFragmentationScore(c: Core, nid: number): number {
  const zones = [];
  for (let zid = 0; zid < MAX_NR_ZONES; zid++) {
    const z = c.zone(nid, zid);
    if (z.populated) zones.push({ nrFree: z.nrFree, present: z.present });
  }
  return fragmentationScoreNode(zones);
}

/** kcompactd_do_work / compact_node(proactive): KCOMPACTD_MIGRATE_SCANNED, KCOMPACTD_FREE_SCANNED after each zone */
function countDaemonEvents(c: Core, n: CompactCounts): void {
  c.vm.compact_daemon_migrate_scanned += n.migrateScanned;
  c.vm.compact_daemon_free_scanned += n.freeScanned;
}

export function runKcompactd(c: Core, nid: number, cpu: number, proactiveness = c.sysctl.compaction_proactiveness): KcompactdOutcome {
  const k = c.kswapd[nid];
  const out: KcompactdOutcome = { kind: 'idle', zones: [], migrations: [], scans: [], text: '' };
  // kcompactd(): woken with proactive_compact_trigger set, it skips kcompactd_do_work (a pending request waits for
  // the next pass) and goes to should_proactive_compact_node / compact_node(pgdat, true); the trigger is cleared after
  const triggered = k.proactiveTrigger;
  k.proactiveTrigger = false;
  k.kcompactdWoken = false; // it runs: back to sleep on its wait queue at the end of the pass
  if (k.kcompactdOrder > 0 && !triggered) {
    // kcompactd_do_work(): MIGRATE_SYNC_LIGHT, cc.migratetype 0 (MIGRATE_UNMOVABLE), gfp GFP_KERNEL
    out.kind = 'work';
    c.vm.compact_daemon_wake++; // kcompactd_do_work: count_compact_event(KCOMPACTD_WAKE)
    const order = k.kcompactdOrder, highest = Math.min(k.kcompactdHighest, MAX_NR_ZONES - 1);
    for (let zid = 0; zid <= highest; zid++) {
      const z = c.zone(nid, zid);
      if (!z.populated) continue;
      const name = `node ${nid} ${z.name}`;
      if (compactionDeferred(z, order)) {
        out.zones.push({ zone: name, result: 'deferred', detail: `compaction_deferred: defer_shift ${z.compactDeferShift}, order_failed ${z.compactOrderFailed}` });
        continue;
      }
      // kcompactd_do_work asks with the zone's own index (no lowmem reserve); compact_zone then with the request's
      const s = compactionSuitAllocationOrder(zoneSnapshot(z, c.pol.highatomic_watermark), order, { wmark: z.wmMin, allocCma: false, extfragThreshold: c.sysctl.extfrag_threshold, highest: zid });
      if (s.result !== 'COMPACT_CONTINUE') {
        out.zones.push({ zone: name, result: 'not suitable', detail: `${s.result}: ${s.why}` });
        continue;
      }
      const r = compactZoneKcompactd(c, z, order, UNMOVABLE, cpu, k.kcompactdHighest);
      countDaemonEvents(c, r.counts);
      out.migrations.push(...r.migrations);
      if (r.scan) out.scans.push(r.scan);
      out.zones.push({ zone: name, result: r.result, detail: r.reason });
      if (r.result === 'COMPACT_SUCCESS') compactionDeferReset(z, order, false);
      else if (r.result === 'COMPACT_PARTIAL_SKIPPED' || r.result === 'COMPACT_COMPLETE') {
        // buddy pages stranded on pcp lists could coalesce: drain_all_pages(zone), then defer like sync direct compaction
        drainAll(c, [z], null);
        deferCompaction(z, order);
      }
    }
    if (k.kcompactdOrder <= order) k.kcompactdOrder = 0;
    if (k.kcompactdHighest >= highest) k.kcompactdHighest = MAX_NR_ZONES - 1;
    out.text = `kcompactd${nid}: kcompactd_do_work(order ${order}, highest zone ${ZONE_NAMES[highest]}): ` +
      (out.zones.map((x) => `${x.zone} ${x.result}`).join(', ') || 'no populated zone');
    return out;
  }
  // the timeout path (or the trigger): should_proactive_compact_node() (kswapd is never running between operations)
  const high = fragmentationScoreWmark(false, proactiveness);
  const score = nodeFragmentationScore(c, nid);
  const why = triggered ? 'woken by vm.compaction_proactiveness (proactive_compact_trigger)' : 'nothing requested';
  if (!proactiveness || score <= high) {
    out.text = proactiveness
      ? `kcompactd${nid}: ${why}; fragmentation score ${score} <= ${high} (proactiveness ${proactiveness}): no proactive compaction`
      : `kcompactd${nid}: ${why} and proactive compaction is off (compaction_proactiveness 0)`;
    return out;
  }
  // compact_node(pgdat, true): every populated zone, order -1, MIGRATE_SYNC_LIGHT, until the zone's score <= low
  out.kind = 'proactive';
  const low = fragmentationScoreWmark(true, proactiveness);
  for (let zid = 0; zid < MAX_NR_ZONES; zid++) {
    const z = c.zone(nid, zid);
    if (!z.populated) continue;
    const r = compactZoneProactive(c, z, low, cpu);
    countDaemonEvents(c, r.counts); // compact_node(pgdat, proactive = true)
    out.migrations.push(...r.migrations);
    if (r.scan) out.scans.push(r.scan);
    out.zones.push({ zone: `node ${nid} ${z.name}`, result: r.result, detail: r.reason });
  }
  const after = nodeFragmentationScore(c, nid);
  out.text = `kcompactd${nid}: ${triggered ? 'woken by vm.compaction_proactiveness (proactive_compact_trigger): ' : ''}proactive compaction (fragmentation score ${score} > ${high}): ` +
    `${out.zones.map((x) => `${x.zone} ${x.result}`).join(', ')}; score now ${after}` +
    (after >= score ? ' (no progress: kcompactd would defer its next proactive run, timeout << COMPACT_MAX_DEFER_SHIFT)' : '');
  return out;
}
