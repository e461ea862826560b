// The vm sysctls the simulator reads (/proc/sys/vm, kernel/sysctl.c tables in mm/page_alloc.c, mm/compaction.c,
// mm/vmscan.c of 6.12; 6.1 has the same names, ranges and handlers for these). Only knobs the model uses are here:
// writing one runs what its proc handler runs (e.g. min_free_kbytes_sysctl_handler -> setup_per_zone_wmarks).
import type { Core } from './core.js';
import { setupLowmemReserve, setupPerZoneWmarksAndPcp } from './watermark.js';
import { MAX_NR_ZONES } from './consts.js';
import { proactiveWakeNote, type WakeNote } from './wake-notes.js';

export { defaultSysctls, copySysctls, SYSCTLS, SYSCTL_NAMES, UNMODELLED_SYSCTLS, type SysctlState, type SysctlDef } from './sysctl-state.js';

/** what a sysctl write did: the handler's text, and the daemons it woke (wake notes, to follow the text) */
export interface SysctlWrite {
  text: string;
  wakes: WakeNote[];
}

/** Write a sysctl (the value(s) are in range: the language checked them). Returns what the handler did. */
export function writeSysctl(c: Core, name: string, values: number[]): SysctlWrite {
  if (name === 'compaction_proactiveness') {
    c.sysctl.compaction_proactiveness = values[0];
    return { text: `vm.compaction_proactiveness = ${values[0]}`, wakes: wakeProactive(c, values[0]) };
  }
  return { text: writePlain(c, name, values), wakes: [] };
}

/** the sysctls whose handler wakes nobody */
function writePlain(c: Core, name: string, values: number[]): string {
  const s = c.sysctl;
  switch (name) {
    case 'watermark_scale_factor':
      s.watermark_scale_factor = values[0];
      setupPerZoneWmarksAndPcp(c);
      return `vm.watermark_scale_factor = ${values[0]}: watermarks recomputed (__setup_per_zone_wmarks)`;
    case 'min_free_kbytes':
      c.minFreeKbytes = values[0];
      s.user_min_free_kbytes = values[0];
      setupPerZoneWmarksAndPcp(c);
      return `vm.min_free_kbytes = ${values[0]}: watermarks recomputed (__setup_per_zone_wmarks)`;
    case 'extfrag_threshold':
      s.extfrag_threshold = values[0];
      return `vm.extfrag_threshold = ${values[0]}`;
    case 'swappiness':
      s.swappiness = values[0];
      return `vm.swappiness = ${values[0]}`;
    case 'lowmem_reserve_ratio':
      for (let i = 0; i < values.length && i < MAX_NR_ZONES; i++) s.lowmem_reserve_ratio[i] = values[i] < 1 ? 0 : values[i];
      setupLowmemReserve(c);
      return `vm.lowmem_reserve_ratio = ${s.lowmem_reserve_ratio.join(' ')}: lowmem reserves recomputed (setup_per_zone_lowmem_reserve)`;
    default:
      throw new Error(`unknown sysctl vm.${name}`);
  }
}

/**
 * compaction_proactiveness_sysctl_handler() (mm/compaction.c): a non-zero write sets pgdat->proactive_compact_trigger
 * on every online node not already triggered and wakes its kcompactd (wake_up_interruptible(&kcompactd_wait)): until
 * it has run it is not a sleeper, so wakeup_kcompactd() only records a request (wq_has_sleeper), hence kcompactdWoken.
 * The woken kcompactd runs as the next `kcompactd` operation, or at a `hugetlb … resize`'s cond_resched(), as
 * wakeup_kcompactd's wakes do. (The proactive pass on kcompactd()'s timeout is no wake: it leaves kcompactdWoken.)
 * One structured wake note per node woken (wake-notes.ts).
 */
function wakeProactive(c: Core, value: number): WakeNote[] {
  if (!value) return [];
  const woken: WakeNote[] = [];
  for (const n of c.spec.nodes) {
    const k = c.kswapd[n.nid];
    if (!k || k.proactiveTrigger) continue;
    k.proactiveTrigger = true;
    k.kcompactdWoken = true;
    woken.push(proactiveWakeNote(n.nid, k.kcompactdOrder));
  }
  return woken;
}
