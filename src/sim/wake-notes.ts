// Wake notes. wakeup_kswapd() (mm/vmscan.c), wakeup_kcompactd() and compaction_proactiveness_sysctl_handler()
// (mm/compaction.c) only wake a thread: it runs
// when it gets the CPU. A wake is recorded as a structured note (api.ts Wake: which daemon, which node, the order,
// where it runs) whose text is rendered here from those facts, and only here. A wake runs with the next `kswapd` /
// `kcompactd` operation unless a loop that yields the CPU (set_max_huge_pages()'s cond_resched(), mm/hugetlb.c)
// runs the daemon first: that loop tells the wake where it ran (PendingWakes.ran), and the text is rendered again.
import type { SimEvent, Wake, WakeRun } from './api.js';
import type { Core } from './core.js';

export type WakeNote = Extract<SimEvent, { type: 'note' }>;

function where(w: Wake): string {
  const r = w.runs;
  switch (r.at) {
    case 'operation': return `with the \`${w.daemon}\` operation`;
    case 'next_cond_resched': return `at ${r.caller}()'s next cond_resched()`;
    case 'this_cond_resched': return `at this cond_resched(), after ${r.after}`;
  }
}

/** the note of a wake, from its facts */
export function wakeText(w: Wake): string {
  if (w.proactive) return `kcompactd${w.nid} woken (proactive_compact_trigger) by vm.compaction_proactiveness (compaction_proactiveness_sysctl_handler): a proactive pass; it runs ${where(w)}`;
  return w.daemon === 'kswapd'
    ? `kswapd${w.nid} woken: order ${w.order}, highest zone ${w.highestZone} (wakeup_kswapd); it runs ${where(w)}`
    : `kcompactd${w.nid} woken for order ${w.order} (wakeup_kcompactd); it runs ${where(w)}`;
}

/** a wake's note event; until something runs the daemon, it runs with the next operation of its name */
export function wakeNote(daemon: Wake['daemon'], nid: number, order: number, highestZone: Wake['highestZone']): WakeNote {
  const wake: Wake = { daemon, nid, order, highestZone, runs: { at: 'operation' } };
  return { type: 'note', text: wakeText(wake), wake };
}

/** compaction_proactiveness_sysctl_handler()'s wake of kcompactd on node `nid` (`order`: kcompactd_max_order, untouched) */
export function proactiveWakeNote(nid: number, order: number): WakeNote {
  const wake: Wake = { daemon: 'kcompactd', nid, order, highestZone: null, runs: { at: 'operation' }, proactive: true };
  return { type: 'note', text: wakeText(wake), wake };
}

/**
 * The wakes of the running operation whose daemon has not run yet, for a loop that runs daemons itself (at its
 * cond_resched()). It reads the operation's events from where it was created, each event once.
 */
export class PendingWakes {
  private seen: number;
  private readonly pending: number[] = [];

  constructor(private readonly c: Core) {
    this.seen = c.events.length;
  }

  /** `daemon` ran on node `nid`: each of its wakes not yet run now runs where `runs` says for the wake at that index */
  ran(daemon: Wake['daemon'], nid: number, runs: (at: number) => WakeRun): void {
    const ev = this.c.events;
    for (; this.seen < ev.length; this.seen++) {
      const e = ev[this.seen]!;
      if (e.type === 'note' && e.wake && e.wake.runs.at === 'operation') this.pending.push(this.seen);
    }
    let kept = 0;
    for (const i of this.pending) {
      const e = ev[i] as WakeNote;
      const w = e.wake!;
      if (w.daemon !== daemon || w.nid !== nid) { this.pending[kept++] = i; continue; }
      const wake: Wake = { ...w, runs: runs(i) };
      ev[i] = { type: 'note', text: wakeText(wake), wake };
    }
    this.pending.length = kept;
  }
}
