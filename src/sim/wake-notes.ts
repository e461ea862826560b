// Where a woken daemon runs, as the wake notes say it. wakeup_kswapd() (mm/vmscan.c) and wakeup_kcompactd()
// (mm/compaction.c) only wake a thread: it runs when it gets the CPU. After a single operation that is the next
// `kswapd` / `kcompactd` operation; inside a loop that yields the CPU (set_max_huge_pages()'s cond_resched(),
// mm/hugetlb.c) it is that cond_resched(), so the loop retells the notes of the wakes it ran.
import type { Core } from './core.js';

export const KSWAPD_RUNS_LATER = 'it runs with the `kswapd` operation';
export const KCOMPACTD_RUNS_LATER = 'it runs with the `kcompactd` operation';

/** the wake notes among events[from, to) now say the daemon ran `where` (e.g. "at …'s next cond_resched()") */
export function retellWakes(c: Core, from: number, to: number, where: string): void {
  for (let i = from; i < to && i < c.events.length; i++) {
    const e = c.events[i]!;
    if (e.type !== 'note') continue;
    if (e.text.endsWith(KSWAPD_RUNS_LATER)) c.events[i] = { type: 'note', text: e.text.slice(0, -KSWAPD_RUNS_LATER.length) + `it runs ${where}` };
    else if (e.text.endsWith(KCOMPACTD_RUNS_LATER)) c.events[i] = { type: 'note', text: e.text.slice(0, -KCOMPACTD_RUNS_LATER.length) + `it runs ${where}` };
  }
}
