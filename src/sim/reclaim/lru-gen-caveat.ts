// policy lru_gen on: reclaim amounts are the classic LRU's (LRU_GEN_CAVEAT). An operation that reports reclaim line
// by line (a hugetlb resize: kswapd at each cond_resched() and each allocation's direct reclaim; `alloc … count N`)
// says the caveat once, on its first line that reclaimed, not on every line; a result's own summary (the slow path
// text, a `kswapd` operation's reason, the resize's closing note) says it itself. The first line is the one kept
// when the runner trims an old operation's notes (runner.ts KEPT_NOTES).
import type { Core } from '../core.js';
import { LRU_GEN_CAVEAT } from './vmscan.js';

/** ` [LRU_GEN_CAVEAT]`, or '' when lru_gen is off */
export function lruGenCaveat(c: Core): string {
  return c.pol.lru_gen === 'on' ? ` [${LRU_GEN_CAVEAT}]` : '';
}

/** whether a reclaim line of this operation should still carry the caveat: lru_gen on, and no note of the operation
 *  has said it yet (the operation's events, c.events, are read from the start: the first reclaim line says it) */
export function lruGenCaveatDue(c: Core): boolean {
  if (c.pol.lru_gen !== 'on') return false;
  for (const e of c.events) if (e.type === 'note' && e.text.includes(LRU_GEN_CAVEAT)) return false;
  return true;
}
