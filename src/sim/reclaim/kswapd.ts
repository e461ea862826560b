// kswapd (mm/vmscan.c): kswapd() takes the order and highest zone wakeup_kswapd recorded and runs balance_pgdat:
// priority DEF_PRIORITY..1, kswapd_shrink_node (nr_to_reclaim = sum of max(high watermark, SWAP_CLUSTER_MAX) of
// the zones <= reclaim_idx) until pgdat_balanced (some zone <= highest meets its high watermark for the order).
// Watermark boosts are reclaimed first without swap and cleared at the end. kswapd runs balance_pgdat again at once
// while prepare_kswapd_sleep is false (runKswapd). Going to sleep, kswapd wakes kcompactd
// (kswapd_try_to_sleep → wakeup_kcompactd). Not modelled: kswapd_age_node's anon aging before each pass is done
// inside shrink_lruvec only, the PGDAT_DIRTY / PGDAT_WRITEBACK pageout of dirty file pages by kswapd.
import type { Core } from '../core.js';
import { GFP_KERNEL } from '../gfp.js';
import { pgdatBalanced } from '../alloc.js';
import { wakeupKcompactd } from '../compaction/kcompactd-wake.js';
import { resetIsolationSuitableNode } from '../compaction/index.js';
import { compactGap } from '../compaction/constants.js';
import {
  DEF_PRIORITY, LRU_GEN_CAVEAT, MAX_RECLAIM_RETRIES, SWAP_CLUSTER_MAX, describeStats, newScanControl, newStats, shrinkNode, totalReclaimed, type ReclaimStats,
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
  /** balance_pgdat passes in this run (kswapd()'s loop, until prepare_kswapd_sleep) */
  passes: number;
  /** why the run stopped: balanced, hopeless (kswapd_failures ≥ MAX_RECLAIM_RETRIES), or the simulator's cap */
  stop: 'balanced' | 'hopeless' | 'cap' | 'asleep';
  /** what prepare_kswapd_sleep() decided after the last pass, at the order it checked ('' when kswapd was asleep) */
  decision: string;
  /** the first pass: kswapd_shrink_node() reclaimed compact_gap(order) and went on at order 0, or its priority loop
   *  ended with the node not balanced at the woken order */
  firstPass: { gapReached: boolean; unbalanced: boolean };
}

/**
 * kswapd()'s loop between two passes (mm/vmscan.c, 6.12), which one simulator run follows:
 * - kswapd(): reclaim_order = balance_pgdat(pgdat, alloc_order, highest_zoneidx). balance_pgdat() returns sc.order:
 *   the woken order, or 0 once kswapd_shrink_node() reclaimed compact_gap(order) pages. It increments
 *   pgdat->kswapd_failures when the pass reclaimed nothing (sc.nr_reclaimed == 0 after the priority loop; not when it
 *   left at `goto out` because the node was balanced); shrink_node() resets kswapd_failures to 0 whenever it
 *   reclaimed something.
 * - `if (reclaim_order < alloc_order) goto kswapd_try_sleep`: kswapd_try_to_sleep(alloc_order, reclaim_order) with
 *   the same highest_zoneidx. Otherwise back to the loop's top: alloc_order = reclaim_order =
 *   READ_ONCE(pgdat->kswapd_order) (0 unless a wakeup_kswapd() came meanwhile), highest_zoneidx =
 *   kswapd_highest_zoneidx(pgdat, highest_zoneidx) (the previous one: kswapd_highest_zoneidx is MAX_NR_ZONES after
 *   the reset), then kswapd_try_to_sleep(alloc_order, reclaim_order, highest_zoneidx).
 * - kswapd_try_to_sleep(): prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx) is true when the node is
 *   hopeless (kswapd_failures >= MAX_RECLAIM_RETRIES: "leave it to direct reclaim") or pgdat_balanced() at
 *   reclaim_order. Then reset_isolation_suitable(), wakeup_kcompactd(alloc_order), schedule_timeout(HZ/10) and,
 *   still true, schedule(): kswapd sleeps until the next wakeup_kswapd(). When it is false kswapd does not sleep at
 *   all (count KSWAPD_HIGH_WMARK_HIT_QUICKLY) and returns at once. A wakeup_kswapd() within the HZ/10 nap would
 *   count KSWAPD_LOW_WMARK_HIT_QUICKLY (remaining != 0) and raise kswapd_order to reclaim_order; the simulator has no
 *   clock to tell such a wake from one after the nap, so it takes every sleep as the full one and does not count
 *   KSWAPD_LOW_WMARK_HIT_QUICKLY (nor HIGH after a nap that timed out on a node unbalanced meanwhile).
 * - Back in kswapd(): "Read the new order and highest_zoneidx": alloc_order = kswapd_order (0: nothing allocates
 *   while a simulator operation runs kswapd), highest_zoneidx = kswapd_highest_zoneidx(previous), both reset, and
 *   balance_pgdat() runs again straight away.
 * So kswapd runs passes until the node is balanced at the order prepare_kswapd_sleep() checks, or hopeless. This
 * terminates: a pass that reclaims nothing bumps kswapd_failures (MAX_RECLAIM_RETRIES such passes in a row make the
 * node hopeless), and a pass that reclaims frees pages that nothing takes back during the run; MAX_KSWAPD_PASSES
 * caps it anyway, with a note.
 */
export const MAX_KSWAPD_PASSES = 1000;

/** one kswapd run for node `nid` (what happens between its wakeup and its next sleep): kswapd()'s loop above */
export function runKswapd(c: Core, nid: number, cpu: number): KswapdOutcome {
  const k = c.kswapd[nid];
  if (!k.woken) {
    return { ran: false, order: 0, highestZoneidx: -1, balanced: true, reclaimed: 0, stats: null, text: `kswapd${nid} is asleep: no allocation woke it (wakeup_kswapd)`, passes: 0, stop: 'asleep', decision: '', firstPass: { gapReached: false, unbalanced: false } };
  }
  const order = k.order;
  let highest = k.highestZoneidx;
  if (highest < 0) highest = ZONE_NAMES.length - 1;
  k.woken = false;
  k.order = 0;
  k.highestZoneidx = -1;
  let allocOrder = order;
  let reclaimed = 0;
  let passes = 0;
  let first = '';
  const firstPass = { gapReached: false, unbalanced: false };
  const more = { reclaimed: 0, failures: 0, stats: newStats() };
  const stats: ReclaimStats = newStats();
  let decision: string;
  let sleeps: boolean;
  let kcOrder: number;
  let stop: KswapdOutcome['stop'] = 'cap';
  for (;;) {
    const passOrder = allocOrder;
    const r = balancePgdat(c, nid, passOrder, highest, cpu);
    passes++;
    reclaimed += r.reclaimed;
    addStats(stats, r.stats);
    if (passes > 1) { more.reclaimed += r.reclaimed; addStats(more.stats, r.stats); if (!r.reclaimed) more.failures++; }
    // kswapd(): reclaim_order < alloc_order → goto kswapd_try_sleep (alloc_order kept for kcompactd); otherwise
    // alloc_order = reclaim_order = pgdat->kswapd_order read again (0: no wakeup_kswapd can come during the run)
    const dropped = r.reclaimOrder < passOrder;
    const sleepOrder = dropped ? r.reclaimOrder : k.order;
    kcOrder = dropped ? passOrder : k.order;
    const hopeless = k.failures >= MAX_RECLAIM_RETRIES;
    const balanced = !hopeless && pgdatBalanced(c, nid, sleepOrder, highest);
    sleeps = hopeless || balanced;
    if (sleeps) stop = hopeless ? 'hopeless' : 'balanced';
    // the note says what the kernel decided, at the order it decided it (not at the order kswapd was woken for)
    const at = dropped ? `at order ${sleepOrder} (prepare_kswapd_sleep)` : `at order ${sleepOrder} (prepare_kswapd_sleep, pgdat->kswapd_order read again`;
    const close = dropped ? '' : ')';
    decision = hopeless
      ? `node hopeless (kswapd_failures ${k.failures} ≥ MAX_RECLAIM_RETRIES, prepare_kswapd_sleep): kswapd sleeps, leaving the node to direct reclaim`
      : balanced
        ? `node balanced ${at}${close}: kswapd sleeps`
        : `node not balanced ${at}; kswapd_failures ${k.failures}): kswapd does not sleep`;
    if (passes === 1) {
      firstPass.gapReached = dropped;
      firstPass.unbalanced = !dropped && order > 0 && !r.balanced;
      first = `kswapd${nid}: balance_pgdat(order ${order}, highest zone ${ZONE_NAMES[highest]}): ` +
        `${r.reclaimed} pages reclaimed (${describeStats(r.stats)})` +
        (firstPass.gapReached ? `; ${gapClause(order)}` : '') +
        (firstPass.unbalanced ? `; ${unbalancedClause(order)}` : '') +
        `; ${decision}`;
    }
    // kswapd_try_to_sleep(): prepare_kswapd_sleep() false at the first check means no HZ/10 nap (remaining = 0) and
    // the second check sees the same node: count_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY). When it is true kswapd
    // naps; whether a wakeup comes within HZ/10 (KSWAPD_LOW_WMARK_HIT_QUICKLY) needs a clock: not counted (vmstat.ts)
    if (!sleeps) c.vm.kswapd_high_wmark_hit_quickly++;
    if (sleeps || passes >= MAX_KSWAPD_PASSES) break;
    // kswapd_try_to_sleep() returned without sleeping; kswapd() reads the new order and highest_zoneidx
    // (kswapd_highest_zoneidx: MAX_NR_ZONES → the previous one) and runs balance_pgdat() again
    allocOrder = k.order;
    if (k.highestZoneidx >= 0) highest = k.highestZoneidx;
    k.order = 0;
    k.highestZoneidx = -1;
  }
  let text = first;
  if (passes > 1) {
    text += `, so kswapd() ran balance_pgdat again at once (order ${allocOrder}, kswapd_try_to_sleep did not sleep): ` +
      `${passes - 1} more pass${passes === 2 ? '' : 'es'}, ${more.reclaimed} pages reclaimed (${describeStats(more.stats)})` +
      (more.failures ? `, ${more.failures} of them reclaiming nothing (kswapd_failures++)` : '') +
      `; after pass ${passes}: ${decision}`;
  }
  if (!sleeps) {
    // the pass cap: the last kswapd_try_to_sleep() did run (counted above); the kernel's next balance_pgdat does not
    text += ` — the simulator stopped after ${MAX_KSWAPD_PASSES} balance_pgdat passes (a cap the kernel does not have; its kswapd would go on)`;
  }
  text += `; ${passes} balance_pgdat pass${passes === 1 ? '' : 'es'} in this run`;
  if (c.pol.lru_gen === 'on' && reclaimed) text += ` [${LRU_GEN_CAVEAT}]`;
  if (sleeps) {
    const n = resetIsolationSuitableNode(c, nid, cpu);
    if (n) c.note(`kswapd${nid} going to sleep: reset_isolation_suitable cleared compaction's skip hints in ${n} zone${n === 1 ? '' : 's'}`);
    const kc = wakeupKcompactd(c, nid, kcOrder, highest);
    if (kc) c.emit(kc);
  }
  return { ran: true, order, highestZoneidx: highest, balanced: sleeps, reclaimed, stats, text, passes, stop, decision, firstPass };
}

/** the first pass's facts (KswapdOutcome.firstPass), as the notes say them */
export function gapClause(order: number): string {
  return `compact_gap(${order}) = ${compactGap(order)} pages reclaimed, so it went on at order 0 (kswapd_shrink_node)`;
}
export function unbalancedClause(order: number): string {
  return `its priority loop ended with the node not balanced at order ${order}`;
}

function addStats(to: ReclaimStats, s: ReclaimStats): void {
  for (const key of Object.keys(to.scanned) as (keyof ReclaimStats['scanned'])[]) {
    to.scanned[key] += s.scanned[key];
    to.reclaimed[key] += s.reclaimed[key];
  }
  to.slab += s.slab;
  to.activated += s.activated;
  to.deactivated += s.deactivated;
  to.dirty += s.dirty;
  to.writeback += s.writeback;
  to.swapped += s.swapped;
  to.continued += s.continued;
  to.priority = Math.min(to.priority, s.priority);
}

/** balance_pgdat() */
export function balancePgdat(c: Core, nid: number, order: number, highest: number, cpu: number): { reclaimed: number; balanced: boolean; reclaimOrder: number; stats: ReclaimStats } {
  c.vm.pageoutrun++; // balance_pgdat(): count_vm_event(PAGEOUTRUN), once per call, before the boost accounting
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
    if (kc) c.emit(kc);
  }
  void MAX_RECLAIM_RETRIES;
  // the order kswapd stopped reclaiming at (prepare_kswapd_sleep takes it)
  return { reclaimed: totalReclaimed(sc.stats), balanced, reclaimOrder: sc.order, stats: sc.stats };
}
