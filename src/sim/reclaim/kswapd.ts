// kswapd (mm/vmscan.c): kswapd() takes the order and highest zone wakeup_kswapd recorded and runs balance_pgdat:
// priority DEF_PRIORITY..1, kswapd_shrink_node (nr_to_reclaim = sum of max(high watermark, SWAP_CLUSTER_MAX) of
// the zones <= reclaim_idx) until pgdat_balanced (some zone <= highest meets its high watermark for the order).
// Watermark boosts are reclaimed first without swap and cleared at the end. Going to sleep, kswapd wakes kcompactd
// (kswapd_try_to_sleep → wakeup_kcompactd). Not modelled: kswapd_age_node's anon aging before each pass is done
// inside shrink_lruvec only, the PGDAT_DIRTY / PGDAT_WRITEBACK pageout of dirty file pages by kswapd.
import type { Core } from '../core.js';
import { GFP_KERNEL } from '../gfp.js';
import { pgdatBalanced } from '../alloc.js';
import { wakeupKcompactd } from '../compaction/kcompactd-wake.js';
import { resetIsolationSuitableNode } from '../compaction/index.js';
import { compactGap } from '../compaction/constants.js';
import {
  DEF_PRIORITY, LRU_GEN_CAVEAT, MAX_RECLAIM_RETRIES, SWAP_CLUSTER_MAX, describeStats, newScanControl, shrinkNode, totalReclaimed, type ReclaimStats,
} from './vmscan.js';
import { ZONE_NAMES } from '../../shared/format.js';

export interface KswapdOutcome {
  ran: boolean;
  order: number;
  highestZoneidx: number;
  /** kswapd goes to sleep: prepare_kswapd_sleep() at the order kswapd_try_to_sleep() judges (hopeless, or balanced there) */
  balanced: boolean;
  reclaimed: number;
  stats: ReclaimStats | null;
  text: string;
}

/** one kswapd run for node `nid` (what happens between its wakeup and its next sleep) */
export function runKswapd(c: Core, nid: number, cpu: number): KswapdOutcome {
  const k = c.kswapd[nid];
  if (!k.woken) {
    return { ran: false, order: 0, highestZoneidx: -1, balanced: true, reclaimed: 0, stats: null, text: `kswapd${nid} is asleep: no allocation woke it (wakeup_kswapd)` };
  }
  const order = k.order;
  let highest = k.highestZoneidx;
  if (highest < 0) highest = ZONE_NAMES.length - 1;
  k.woken = false;
  k.order = 0;
  k.highestZoneidx = -1;
  const r = balancePgdat(c, nid, order, highest, cpu);
  // kswapd(): reclaim_order = balance_pgdat(); when it fell back to order 0 (compact_gap reclaimed) it goes to
  // kswapd_try_to_sleep(alloc_order, reclaim_order); otherwise it reads pgdat->kswapd_order again (0 unless a new
  // wakeup_kswapd came meanwhile; none can here) and tries to sleep at that order. kswapd_try_to_sleep(): only when
  // prepare_kswapd_sleep(reclaim_order) (hopeless after MAX_RECLAIM_RETRIES failures, or pgdat_balanced at
  // reclaim_order) does reset_isolation_suitable(pgdat) clear compaction's skip hints (after a direct compaction
  // finished a full pass: compact_blockskip_flush) and wakeup_kcompactd(pgdat, alloc_order, highest_zoneidx) run.
  const dropped = r.reclaimOrder < order;
  const sleepOrder = dropped ? r.reclaimOrder : k.order;
  const allocOrder = dropped ? order : k.order;
  const hopeless = k.failures >= MAX_RECLAIM_RETRIES;
  const balanced = pgdatBalanced(c, nid, sleepOrder, highest);
  // the note says what the kernel decided, at the order it decided it (not at the order kswapd was woken for)
  const at = dropped ? `at order ${sleepOrder} (prepare_kswapd_sleep)` : `at order ${sleepOrder} (prepare_kswapd_sleep, pgdat->kswapd_order read again`;
  const close = dropped ? '' : ')';
  const decision = hopeless
    ? `node hopeless (kswapd_failures ${k.failures} ≥ MAX_RECLAIM_RETRIES, prepare_kswapd_sleep): kswapd sleeps, leaving the node to direct reclaim`
    : balanced
      ? `node balanced ${at}${close}: kswapd sleeps`
      : `node not balanced ${at}; kswapd_failures ${k.failures}): kswapd does not sleep (the kernel runs balance_pgdat again at order ${dropped ? 0 : k.order}; the simulator runs it when wakeup_kswapd wakes it again)`;
  const text = `kswapd${nid}: balance_pgdat(order ${order}, highest zone ${ZONE_NAMES[highest]}): ` +
    `${r.reclaimed} pages reclaimed (${describeStats(r.stats)})` +
    (dropped ? `; compact_gap(${order}) = ${compactGap(order)} pages reclaimed, so it went on at order 0 (kswapd_shrink_node)` : '') +
    (!dropped && order > 0 && !r.balanced ? `; its priority loop ended with the node not balanced at order ${order}` : '') +
    `; ${decision}` +
    (c.pol.lru_gen === 'on' && r.reclaimed ? ` [${LRU_GEN_CAVEAT}]` : '');
  if (hopeless || balanced) {
    const n = resetIsolationSuitableNode(c, nid, cpu);
    if (n) c.note(`kswapd${nid} going to sleep: reset_isolation_suitable cleared compaction's skip hints in ${n} zone${n === 1 ? '' : 's'}`);
    const kc = wakeupKcompactd(c, nid, allocOrder, highest);
    if (kc) c.note(kc);
  }
  return { ran: true, order, highestZoneidx: highest, balanced: hopeless || balanced, reclaimed: r.reclaimed, stats: r.stats, text };
}

/** balance_pgdat() */
export function balancePgdat(c: Core, nid: number, order: number, highest: number, cpu: number): { reclaimed: number; balanced: boolean; reclaimOrder: number; stats: ReclaimStats } {
  const sc = newScanControl({ gfp: GFP_KERNEL, reclaimIdx: highest, order, nrToReclaim: 0, kswapd: true, cpu });
  const zoneBoosts: number[] = [];
  let nrBoostReclaim = 0;
  for (let zid = 0; zid <= highest; zid++) {
    const z = c.zone(nid, zid);
    zoneBoosts[zid] = z.managed ? z.boost : 0;
    nrBoostReclaim += zoneBoosts[zid];
  }
  const boosted = nrBoostReclaim > 0;
  let balanced: boolean;
  // set_reclaim_active() at restart:, clear_reclaim_active() at out: (pcp lists hold at most 4 × batch meanwhile)
  const setReclaimActive = (on: boolean) => {
    for (let zid = 0; zid <= highest; zid++) {
      const z = c.zone(nid, zid);
      if (z.managed) z.reclaimActive = on;
    }
  };
  restart: for (;;) {
    setReclaimActive(true);
    sc.priority = DEF_PRIORITY;
    do {
      const before = sc.nrReclaimed;
      let raisePriority = true;
      sc.reclaimIdx = highest;
      balanced = pgdatBalanced(c, nid, sc.order, highest);
      if (!balanced && nrBoostReclaim) { nrBoostReclaim = 0; continue restart; }
      if (!nrBoostReclaim && balanced) break restart;
      if (nrBoostReclaim && sc.priority === DEF_PRIORITY - 2) raisePriority = false;
      sc.maySwap = !nrBoostReclaim;
      sc.nrScanned = 0;
      sc.stats.priority = sc.priority;
      // kswapd_shrink_node()
      sc.nrToReclaim = 0;
      for (let zid = 0; zid <= sc.reclaimIdx; zid++) {
        const z = c.zone(nid, zid);
        if (z.managed) sc.nrToReclaim += Math.max(z.wmHigh + z.boost, SWAP_CLUSTER_MAX);
      }
      const nodeBefore = sc.nrReclaimed;
      shrinkNode(c, nid, sc);
      if (sc.order && sc.nrReclaimed >= compactGap(sc.order)) sc.order = 0;
      if (Math.max(sc.nrScanned, sc.nrReclaimed - nodeBefore) >= sc.nrToReclaim) raisePriority = false;
      const got = sc.nrReclaimed - before;
      nrBoostReclaim -= Math.min(nrBoostReclaim, got);
      if (nrBoostReclaim && !got) break;
      if (raisePriority || !got) sc.priority--;
    } while (sc.priority >= 1);
    if (!sc.nrReclaimed && sc.priority < 1 && !sc.noCacheTrimMode && sc.cacheTrimModeFailed) {
      sc.noCacheTrimMode = true;
      continue restart;
    }
    if (!sc.nrReclaimed) c.kswapd[nid].failures++;
    balanced = pgdatBalanced(c, nid, order, highest);
    break;
  }
  setReclaimActive(false);
  if (boosted) {
    for (let zid = 0; zid <= highest; zid++) {
      const z = c.zone(nid, zid);
      if (zoneBoosts[zid]) z.boost -= Math.min(z.boost, zoneBoosts[zid]);
    }
    // balance_pgdat(): "as there is now likely space, wakeup kcompact to defragment pageblocks"
    const kc = wakeupKcompactd(c, nid, c.pbo, highest);
    if (kc) c.note(kc);
  }
  void MAX_RECLAIM_RETRIES;
  // the order kswapd stopped reclaiming at (prepare_kswapd_sleep takes it)
  return { reclaimed: totalReclaimed(sc.stats), balanced, reclaimOrder: sc.order, stats: sc.stats };
}
