// The sleeping locks an operation of an `interleave` holds between its phases (linux 6.12).
//
// A phase (the code between two stop points of an operation) runs atomically in the simulator. That is what the
// spinlocks give the kernel: zone->lock, the pcp spinlocks (pcp_spin_lock), cma->lock and hugetlb_lock are
// always dropped before an operation could stop (a phase under a spinlock is atomic), so they never decide which
// order is possible. What does is the *sleeping* locks an operation still holds while it is stopped between two
// phases: another CPU whose next phase needs one of them sleeps until the holder releases it.
//
// Model: for an operation, `needs(prev)` is the set of sleeping locks the phase after `prev` (null: its first
// phase) takes or keeps, and `heldAfter(phase)` the set it still holds when stopped after `phase`. An operation
// takes everything it needs in its first phase (each rule below takes its locks there in the kernel too), so a
// stopped operation never waits for a lock another stopped operation holds: no lock-order deadlock can arise.
import type { Operation, Policies } from './scenario.js';

export type LockMode = 'exclusive' | 'shared';
export interface LockUse { lock: string; mode: LockMode }

export interface OpLocks {
  needs(prev: string | null): readonly LockUse[];
  heldAfter(phase: string): readonly LockUse[];
  /** where this rule comes from (shown in messages and the debugger) */
  why: string;
}

/** `static DEFINE_MUTEX(cma_mutex)`, mm/cma.c */
export const CMA_MUTEX = 'cma_mutex';
/** `static DEFINE_MUTEX(pcp_batch_high_lock)`, mm/page_alloc.c */
export const PCP_BATCH_HIGH_LOCK = 'pcp_batch_high_lock';
/** `DEFINE_STATIC_PERCPU_RWSEM(mem_hotplug_lock)`, mm/memory_hotplug.c */
export const MEM_HOTPLUG_LOCK = 'mem_hotplug_lock';
/** `static DEFINE_MUTEX(device_hotplug_lock)`, drivers/base/core.c */
export const DEVICE_HOTPLUG_LOCK = 'device_hotplug_lock';

const X = (lock: string): LockUse => ({ lock, mode: 'exclusive' });
const NONE: readonly LockUse[] = [];

// The rules are objects built once (module level) or classes whose methods live on the prototype: opLocks runs
// for every operation, and closures made per call cost (tests run under esbuild keepNames, a defineProperty each).
// The lock lists are shared and never mutated (callers only read them).

/** the same locks needed in every phase and held after every phase */
class ConstantLocks implements OpLocks {
  constructor(private readonly locks: readonly LockUse[], readonly why: string) {}
  needs(): readonly LockUse[] { return this.locks; }
  heldAfter(): readonly LockUse[] { return this.locks; }
}

/** the phases of offline_pages() between zone_pcp_disable() and zone_pcp_enable() */
const OFFLINE_PHASES = new Set(['pcp_disable', 'isolate', 'migrate', 'dissolve', 'test']);

const CMA_ONLY: readonly LockUse[] = [X(CMA_MUTEX)];
const CMA_PCP: readonly LockUse[] = [X(CMA_MUTEX), X(PCP_BATCH_HIGH_LOCK)];
const PCP_ONLY: readonly LockUse[] = [X(PCP_BATCH_HIGH_LOCK)];
const HOTPLUG: readonly LockUse[] = [X(DEVICE_HOTPLUG_LOCK), X(MEM_HOTPLUG_LOCK)];
const OFFLINE_ALL: readonly LockUse[] = [X(DEVICE_HOTPLUG_LOCK), X(MEM_HOTPLUG_LOCK), X(PCP_BATCH_HIGH_LOCK)];
const DEVICE_ONLY: readonly LockUse[] = [X(DEVICE_HOTPLUG_LOCK)];

// __cma_alloc(), mm/cma.c: `mutex_lock(&cma_mutex); ret = alloc_contig_range(...); mutex_unlock(&cma_mutex);`
// around every attempt: two cma_alloc calls never run alloc_contig_range at the same time (any CMA area).
// Known difference: the kernel claims the bitmap range (under cma->lock) *before* mutex_lock, so a waiter
// has already picked its range; the simulator's first phase searches the bitmap after the wait. Both pick a
// range the holder's set bits exclude; they differ only when the holder then fails and clears its bits.
const CMA_WHY = 'cma_alloc holds cma_mutex around alloc_contig_range (__cma_alloc, mm/cma.c)';
const CMA_ALLOC: OpLocks = new ConstantLocks(CMA_ONLY, CMA_WHY);
const CMA_ALLOC_PCP_DISABLE: OpLocks = {
  // after `undo` only the end is left (mutex_unlock): it needs what it holds
  needs(prev: string | null) { return prev !== 'undo' ? CMA_PCP : CMA_ONLY; },
  heldAfter(ph: string) { return ph !== 'undo' ? CMA_PCP : CMA_ONLY; },
  why: CMA_WHY,
};
const CONTIG_DRAIN_ONCE: OpLocks = new ConstantLocks(NONE, 'alloc_contig_range drains the pcp once (drain_all_pages), no sleeping lock kept');
const CONTIG_PCP_DISABLE: OpLocks = {
  needs(prev: string | null) { return prev === 'undo' ? NONE : PCP_ONLY; },
  heldAfter(ph: string) { return ph === 'undo' ? NONE : PCP_ONLY; },
  why: 'contig_pcp = disable: zone_pcp_disable() takes pcp_batch_high_lock until zone_pcp_enable() (mm/page_alloc.c)',
};
// one phase; with the disable proposal it needs pcp_batch_high_lock inside it
const CONTIG_PAGES_WHY = 'alloc_contig_pages runs alloc_contig_range in one phase';
const CONTIG_PAGES: OpLocks = new ConstantLocks(NONE, CONTIG_PAGES_WHY);
const CONTIG_PAGES_PCP_DISABLE: OpLocks = new ConstantLocks(PCP_ONLY, CONTIG_PAGES_WHY);
// state_store/online_store → lock_device_hotplug_sysfs() (drivers/base/memory.c, core.c); memory_block_offline()
// → mem_hotplug_begin() (percpu_down_write(&mem_hotplug_lock)); offline_pages() → zone_pcp_disable()
// (mutex_lock(&pcp_batch_high_lock)) … zone_pcp_enable() (mutex_unlock) on success and on failure.
// The simulator stops after `offline` only once all of that is done.
const OFFLINE: OpLocks = {
  needs(prev: string | null) { return prev === 'offline' ? NONE : OFFLINE_ALL; },
  heldAfter(ph: string) { return ph === 'offline' ? NONE : OFFLINE_ALL; },
  why: 'offline_pages holds mem_hotplug_lock (write) and pcp_batch_high_lock from zone_pcp_disable() to zone_pcp_enable()',
};
// online_store → lock_device_hotplug_sysfs(); memory_block_online() → mem_hotplug_begin(); one phase
const ONLINE: OpLocks = new ConstantLocks(HOTPLUG, 'online: device_hotplug_lock and mem_hotplug_lock (write), memory_block_online (drivers/base/memory.c)');
// add_memory()/remove_memory() → lock_device_hotplug(); add_memory_resource()/try_remove_memory() →
// mem_hotplug_begin() (mm/memory_hotplug.c); one phase
const ADD_MEMORY: OpLocks = new ConstantLocks(HOTPLUG, 'add_memory: lock_device_hotplug() and mem_hotplug_begin() (mm/memory_hotplug.c)');
const REMOVE_MEMORY: OpLocks = new ConstantLocks(HOTPLUG, 'remove_memory: lock_device_hotplug() and mem_hotplug_begin() (mm/memory_hotplug.c)');
// acpi_device_hotplug() → lock_device_hotplug() for the whole ejection (drivers/acpi/scan.c); each block's
// offline holds mem_hotplug_lock and pcp_batch_high_lock as `offline` does; __remove_memory() takes
// mem_hotplug_lock again. The next phase may be another block's offline, so it needs all three.
const EJECT: OpLocks = {
  needs() { return OFFLINE_ALL; },
  heldAfter(ph: string) { return OFFLINE_PHASES.has(ph) ? OFFLINE_ALL : DEVICE_ONLY; },
  why: 'eject holds device_hotplug_lock throughout (acpi_device_hotplug) and the offline locks per block',
};
// page_reporting_process() is the device's delayed work (mm/page_reporting.c): one run at a time. It drops
// zone->lock around the report itself (the `report` phase), which is why other CPUs may run there.
const REPORT: OpLocks = new ConstantLocks([X('page_reporting work')], 'page reporting: one page_reporting_process work item (mm/page_reporting.c)');
// alloc, free, drain (pcpu_drain_mutex is taken and dropped inside the phase), compact (zone and lru
// spinlocks), hugetlb resize (h->resize_lock inside its one phase), migrate, …: nothing kept between stops
const NO_LOCKS: OpLocks = new ConstantLocks(NONE, 'no sleeping lock kept between phases');

/** The lock rule of one operation under the given policies. */
export function opLocks(op: Operation, pol: Pick<Policies, 'contig_pcp'>): OpLocks {
  // contig_pcp = disable (seed 000 proposal c): alloc_contig_range() brackets its work with zone_pcp_disable() /
  // zone_pcp_enable() as offline_pages() does, so it holds pcp_batch_high_lock from `isolate` until `take` is done
  // (the simulator enables the pcp in `undo`). Mainline 6.12 only calls drain_all_pages() once: no sleeping lock.
  const contigPcp = pol.contig_pcp === 'disable';
  switch (op.op) {
    case 'cma_alloc':
      return contigPcp ? CMA_ALLOC_PCP_DISABLE : CMA_ALLOC;
    case 'alloc_contig_range':
      return contigPcp ? CONTIG_PCP_DISABLE : CONTIG_DRAIN_ONCE;
    case 'alloc_contig_pages':
      return contigPcp ? CONTIG_PAGES_PCP_DISABLE : CONTIG_PAGES;
    case 'offline':
      return OFFLINE;
    case 'online':
      return ONLINE;
    case 'add_memory':
      return ADD_MEMORY;
    case 'remove_memory':
      return REMOVE_MEMORY;
    case 'eject':
      return EJECT;
    case 'virtio_mem':
      // virtio_mem_run_wq() is one work item per device: a work item never runs concurrently with itself. The hotplug
      // locks it takes inside (offline_and_remove_memory, add_memory_driver_managed) are not modelled across its stops.
      return new ConstantLocks([X(`virtio_mem ${op.device} work`)], 'virtio-mem: one work item per device (virtio_mem_run_wq); its hotplug locks are not modelled between stops');
    case 'report':
      return REPORT;
    default:
      return NO_LOCKS;
  }
}

/**
 * Does `want` conflict with `held` (held by another CPU)? A mutex excludes everyone; a rwsem (mem_hotplug_lock:
 * get_online_mems() readers vs mem_hotplug_begin() writer, percpu_down_read/percpu_down_write) excludes a writer
 * and readers from each other, and lets readers share it.
 */
export function conflicts(want: LockUse, held: LockUse): boolean {
  return want.lock === held.lock && (want.mode === 'exclusive' || held.mode === 'exclusive');
}

/** The first lock of `needs` that one of `others` holds, with that holder. */
export function firstConflict<T>(needs: readonly LockUse[], others: readonly { who: T; held: readonly LockUse[] }[]): { lock: LockUse; holder: T } | null {
  for (const want of needs) {
    for (const o of others) for (const h of o.held) if (conflicts(want, h)) return { lock: h, holder: o.who };
  }
  return null;
}

/** How a lock reads in messages: `mem_hotplug_lock (write)`. */
export function lockText(l: LockUse): string {
  return l.lock === MEM_HOTPLUG_LOCK ? `${l.lock} (${l.mode === 'exclusive' ? 'write' : 'read'})` : l.lock;
}

/**
 * Can two operations' phases be reordered without changing anything? Only when they touch disjoint state: the
 * simulator does not know the footprint of most operations (allocations and migrations may use any zone, a drain
 * touches every CPU's lists), so this is deliberately narrow — single-CPU population-free ops on pfns of different
 * zones. Used by `explore` (sleep sets): independent phases are not permuted.
 */
export function independent(a: Operation, b: Operation, zoneOf: (pfn: number) => number | null): boolean {
  const za = localZone(a, zoneOf);
  const zb = localZone(b, zoneOf);
  return za !== null && zb !== null && za !== zb;
}

/** the one zone an operation touches, when it touches only one (else null) */
function localZone(op: Operation, zoneOf: (pfn: number) => number | null): number | null {
  switch (op.op) {
    // (pin is not: a longterm pin migrates the page out of ZONE_MOVABLE/CMA, allocating elsewhere)
    case 'free': case 'unpin':
      return op.target.kind === 'pfn' ? zoneOf(op.target.pfn) : null;
    case 'isolate': case 'unisolate': {
      const a = zoneOf(op.start);
      return a !== null && a === zoneOf(op.end - 1) ? a : null;
    }
    default:
      return null;
  }
}
