// How big a machine the simulator can hold, estimated from the spec before anything is allocated
// (docs/sim-model.md "Machine size limits"). `mmscn check`, the editor and `run` refuse a machine beyond these
// limits with a diagnostic at the machine/zone line instead of running out of memory.
import type { Loc, MachineSpec } from './scenario.js';
import { MAX_PFN, alignDown, alignUp, pow2 } from './pfn.js';
import { hex, mibCeil } from '../shared/format.js';

/**
 * Bytes of simulator state per unit (measured with bench/scale.ts, Node 20, rounded up):
 * - per pageblock of the spanned range: pbMt + pbIso + pbSkip (1 byte each) + pbZone (2 bytes), typed arrays (Core.pbHead, 4 bytes
 *   more, is not counted yet: the estimate's limits were kept when it came, so no machine's verdict changed);
 * - per memory block of the spanned range: blockState (1) + blockNid (2), plus the hotplug state's block
 *   record (an object in a Map, ~200 bytes) for every present block;
 * - per free buddy block: a FreeBlock object in Core.free (a Map), ~320 bytes of process memory (RSS slope from 4 TiB to 16 TiB). Boot frees every present page in
 *   MAX_PAGE_ORDER chunks, so a machine starts with present_pages / 2^MAX_PAGE_ORDER free blocks.
 */
export const BYTES_PER_PAGEBLOCK = 5;
export const BYTES_PER_BLOCK = 3;
export const BYTES_PER_PRESENT_BLOCK = 200;
export const BYTES_PER_FREE_BLOCK = 320;
/** The state one machine may need at boot. Node's default heap is ~4 GiB on a 64-bit host; the runner and the
 *  debugger keep copies of the state (checkpoints), so one machine gets a quarter of it. */
export const MACHINE_BYTES_LIMIT = 1024 * 2 ** 20;

export interface MachineSize {
  /** lowest pfn of any zone, hotplug range or virtio-mem device, aligned down to the allocation unit */
  minPfn: number;
  /** highest pfn (exclusive), aligned up to the allocation unit */
  maxPfn: number;
  /** estimated bytes of simulator state at boot */
  bytes: number;
  /** why the simulator cannot hold this machine, or null */
  error: string | null;
  /** where to report the error: the line of the range that sets the limit (the highest one for a pfn error) */
  loc: Loc | null;
}


/** Spanned range, memory estimate and the first limit the machine breaks (pure: used by the language and Core). */
export function checkMachineSize(spec: MachineSpec): MachineSize {
  const unit = Math.max(spec.memoryBlockPages, pow2(spec.maxPageOrder), pow2(spec.pageblockOrder));
  let lo = Infinity, hi = 0;
  let present = 0;
  let highLoc: Loc | null = null, bigLoc: Loc | null = null, bigPages = -1;
  const see = (start: number, end: number, loc: Loc, isPresent: boolean) => {
    if (end <= start) return;
    lo = Math.min(lo, start);
    if (end > hi) { hi = end; highLoc = loc; }
    if (isPresent) present += end - start;
    if (end - start > bigPages) { bigPages = end - start; bigLoc = loc; }
  };
  for (const n of spec.nodes) {
    for (const z of n.zones) see(z.start, z.end, z.loc, true);
    for (const h of n.hotplug) see(h.start, h.end, h.loc, true);
  }
  for (const v of spec.virtioMem) see(v.start, v.end, v.loc, true);
  if (!Number.isFinite(lo)) return { minPfn: 0, maxPfn: 0, bytes: 0, error: null, loc: null };
  if (hi > MAX_PFN) {
    return {
      minPfn: 0, maxPfn: 0, bytes: 0, loc: highLoc,
      error: `memory ends at pfn ${hex(hi)}, above the largest machine: physical addresses below 2^52 (MAX_PHYSMEM_BITS 52), pfns below ${hex(MAX_PFN)}`,
    };
  }
  const minPfn = alignDown(lo, unit);
  const maxPfn = alignUp(hi, unit);
  const pageblocks = (maxPfn - minPfn) / pow2(spec.pageblockOrder);
  const blocks = (maxPfn - minPfn) / spec.memoryBlockPages;
  const bytes = pageblocks * BYTES_PER_PAGEBLOCK + blocks * BYTES_PER_BLOCK +
    Math.ceil(present / spec.memoryBlockPages) * BYTES_PER_PRESENT_BLOCK + Math.ceil(present / pow2(spec.maxPageOrder)) * BYTES_PER_FREE_BLOCK;
  if (bytes > MACHINE_BYTES_LIMIT) {
    // the range that contributes most is where the user can act: a sparse layout blames the highest range
    const sparse = (maxPfn - minPfn) > 4 * present;
    return {
      minPfn, maxPfn, bytes, loc: sparse ? highLoc : bigLoc,
      error: `the simulator cannot hold this machine: ${hex(minPfn)}..${hex(maxPfn)} (${pageblocks} pageblocks, ${present} present pages in ${Math.ceil(present / pow2(spec.maxPageOrder))} max-order blocks) needs about ${mibCeil(bytes)} of state, above the ${mibCeil(MACHINE_BYTES_LIMIT)} limit (docs/sim-model.md "Machine size limits")`,
    };
  }
  return { minPfn, maxPfn, bytes, error: null, loc: null };
}
