// kcompactd (mm/compaction.c): one wakeup of the kcompactd() loop, the `kcompactd [node N]` operation. With a request
// recorded by wakeup_kcompactd (kcompactd_work_requested) it runs kcompactd_do_work; otherwise its 500 ms timeout
// expired (or vm.compaction_proactiveness woke it) and it does proactive compaction when
// should_proactive_compact_node(), then kcompactd_do_work without sleeping if a request is pending (runKcompactd).
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
  /** what the wakeup ran, in order: 'work' kcompactd_do_work; 'proactive' compact_node(pgdat, true); 'idle' the
   *  proactive path without compaction. A proactive path (or idle) may be followed by 'work' (runKcompactd) */
  steps: ('work' | 'proactive' | 'idle')[];
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

/**
 * One wakeup of kcompactd() (mm/compaction.c, 6.12), up to where it would sleep again:
 * - the loop's top: wait_event_freezable_timeout(kcompactd_wait, kcompactd_work_requested(pgdat), timeout) returns
 *   at once when kcompactd_work_requested() (kcompactd_max_order > 0, or proactive_compact_trigger) already holds;
 *   with a request and no trigger kcompactd runs kcompactd_do_work and `continue`s: back at the top nothing is
 *   requested any more (kcompactd_do_work cleared kcompactd_max_order; nothing calls wakeup_kcompactd meanwhile), so
 *   it sleeps.
 * - otherwise (the trigger, or the HPAGE_FRAG_CHECK_INTERVAL_MSEC timeout: a `kcompactd` operation with nothing
 *   requested) the proactive path: should_proactive_compact_node(), compact_node(pgdat, true), then the trigger is
 *   cleared. Back at the top the wait checks kcompactd_work_requested() before sleeping: a request kept while the
 *   trigger was set (kcompactd_max_order > 0) returns at once, and kcompactd_do_work runs without sleeping — in the
 *   same operation, which then says both passes.
 */
export function runKcompactd(c: Core, nid: number, cpu: number, proactiveness = c.sysctl.compaction_proactiveness): KcompactdOutcome {
  const k = c.kswapd[nid];
  const out: KcompactdOutcome = { steps: [], zones: [], migrations: [], scans: [], text: '' };
  const triggered = k.proactiveTrigger;
  k.kcompactdWoken = false; // it runs: back to sleep on its wait queue at the end of the wakeup
  // kcompactd(): woken with proactive_compact_trigger set, it skips kcompactd_do_work (`&& !pgdat->proactive_compact_trigger`)
  if (k.kcompactdOrder > 0 && !triggered) {
    out.text = `kcompactd${nid}: ${kcompactdDoWork(c, nid, cpu, out)}`;
    return out;
  }
  out.text = `kcompactd${nid}: ${proactivePass(c, nid, cpu, proactiveness, triggered, out)}`;
  k.proactiveTrigger = false; // `if (unlikely(pgdat->proactive_compact_trigger)) pgdat->proactive_compact_trigger = false`
  // the loop's top again: kcompactd_work_requested() holds, so wait_event_freezable_timeout() returns without sleeping
  if (k.kcompactdOrder > 0) {
    const order = k.kcompactdOrder;
    out.text += `; then, the order ${order} request still pending (kcompactd_work_requested), without sleeping: ${kcompactdDoWork(c, nid, cpu, out)}`;
  }
  return out;
}

/** kcompactd_do_work(): the text of the pass (without the `kcompactdN: ` prefix); zones, migrations, scans into out */
function kcompactdDoWork(c: Core, nid: number, cpu: number, out: KcompactdOutcome): string {
  const k = c.kswapd[nid];
  // kcompactd_do_work(): MIGRATE_SYNC_LIGHT, cc.migratetype 0 (MIGRATE_UNMOVABLE), gfp GFP_KERNEL
  out.steps.push('work');
  const zones: KcompactdOutcome['zones'] = [];
  c.vm.compact_daemon_wake++; // kcompactd_do_work: count_compact_event(KCOMPACTD_WAKE)
  const order = k.kcompactdOrder, highest = Math.min(k.kcompactdHighest, MAX_NR_ZONES - 1);
  for (let zid = 0; zid <= highest; zid++) {
    const z = c.zone(nid, zid);
    if (!z.populated) continue;
    const name = `node ${nid} ${z.name}`;
    if (compactionDeferred(z, order)) {
      zones.push({ zone: name, result: 'deferred', detail: `compaction_deferred: defer_shift ${z.compactDeferShift}, order_failed ${z.compactOrderFailed}` });
      continue;
    }
    // kcompactd_do_work asks with the zone's own index (no lowmem reserve); compact_zone then with the request's
    const s = compactionSuitAllocationOrder(zoneSnapshot(z, c.pol.highatomic_watermark), order, { wmark: z.wmMin, allocCma: false, extfragThreshold: c.sysctl.extfrag_threshold, highest: zid });
    if (s.result !== 'COMPACT_CONTINUE') {
      zones.push({ zone: name, result: 'not suitable', detail: `${s.result}: ${s.why}` });
      continue;
    }
    const r = compactZoneKcompactd(c, z, order, UNMOVABLE, cpu, k.kcompactdHighest);
    countDaemonEvents(c, r.counts);
    out.migrations.push(...r.migrations);
    if (r.scan) out.scans.push(r.scan);
    zones.push({ zone: name, result: r.result, detail: r.reason });
    if (r.result === 'COMPACT_SUCCESS') compactionDeferReset(z, order, false);
    else if (r.result === 'COMPACT_PARTIAL_SKIPPED' || r.result === 'COMPACT_COMPLETE') {
      // buddy pages stranded on pcp lists could coalesce: drain_all_pages(zone), then defer like sync direct compaction
      drainAll(c, [z], null);
      deferCompaction(z, order);
    }
  }
  if (k.kcompactdOrder <= order) k.kcompactdOrder = 0;
  if (k.kcompactdHighest >= highest) k.kcompactdHighest = MAX_NR_ZONES - 1;
  out.zones.push(...zones);
  return `kcompactd_do_work(order ${order}, highest zone ${ZONE_NAMES[highest]}): ` +
    (zones.map((x) => `${x.zone} ${x.result}`).join(', ') || 'no populated zone');
}

/** the proactive path: should_proactive_compact_node(), then compact_node(pgdat, true); the pass's text */
function proactivePass(c: Core, nid: number, cpu: number, proactiveness: number, triggered: boolean, out: KcompactdOutcome): string {
  // should_proactive_compact_node() (kswapd is never running between operations)
  const high = fragmentationScoreWmark(false, proactiveness);
  const score = nodeFragmentationScore(c, nid);
  const why = triggered ? 'woken by vm.compaction_proactiveness (proactive_compact_trigger)' : 'nothing requested';
  if (!proactiveness || score <= high) {
    out.steps.push('idle');
    return proactiveness
      ? `${why}; fragmentation score ${score} <= ${high} (proactiveness ${proactiveness}): no proactive compaction`
      : `${why} and proactive compaction is off (compaction_proactiveness 0)`;
  }
  // compact_node(pgdat, true): every populated zone, order -1, MIGRATE_SYNC_LIGHT, until the zone's score <= low
  out.steps.push('proactive');
  const zones: KcompactdOutcome['zones'] = [];
  const low = fragmentationScoreWmark(true, proactiveness);
  for (let zid = 0; zid < MAX_NR_ZONES; zid++) {
    const z = c.zone(nid, zid);
    if (!z.populated) continue;
    const r = compactZoneProactive(c, z, low, cpu);
    countDaemonEvents(c, r.counts); // compact_node(pgdat, proactive = true)
    out.migrations.push(...r.migrations);
    if (r.scan) out.scans.push(r.scan);
    zones.push({ zone: `node ${nid} ${z.name}`, result: r.result, detail: r.reason });
  }
  out.zones.push(...zones);
  const after = nodeFragmentationScore(c, nid);
  return `${triggered ? 'woken by vm.compaction_proactiveness (proactive_compact_trigger): ' : ''}proactive compaction (fragmentation score ${score} > ${high}): ` +
    `${zones.map((x) => `${x.zone} ${x.result}`).join(', ')}; score now ${after}` +
    (after >= score ? ' (no progress: kcompactd would defer its next proactive run, timeout << COMPACT_MAX_DEFER_SHIFT)' : '');
}
