// GFP flags as the simulator understands them (include/linux/gfp_types.h) and gfp_zone().
import { MOVABLE, RECLAIMABLE, UNMOVABLE, ZONE_DMA, ZONE_DMA32, ZONE_MOVABLE, ZONE_NORMAL } from './consts.js';
import { hex } from '../shared/format.js';

export const __GFP_DMA = 1 << 0;
export const __GFP_HIGHMEM = 1 << 1;
export const __GFP_DMA32 = 1 << 2;
export const __GFP_MOVABLE = 1 << 3;
export const __GFP_RECLAIMABLE = 1 << 4;
export const __GFP_HIGH = 1 << 5;
export const __GFP_IO = 1 << 6;
export const __GFP_FS = 1 << 7;
export const __GFP_ZERO = 1 << 8;
/** ___GFP_ATOMIC 0x200u until 6.3 ("mm: discard __GFP_ATOMIC"): part of GFP_ATOMIC, read by gfp_to_alloc_flags
 *  before 6.3 only; the bit is unused since */
export const __GFP_ATOMIC = 1 << 9;
export const __GFP_DIRECT_RECLAIM = 1 << 10;
export const __GFP_KSWAPD_RECLAIM = 1 << 11;
export const __GFP_WRITE = 1 << 12;
export const __GFP_NOWARN = 1 << 13;
export const __GFP_RETRY_MAYFAIL = 1 << 14;
export const __GFP_NOFAIL = 1 << 15;
export const __GFP_NORETRY = 1 << 16;
export const __GFP_MEMALLOC = 1 << 17;
export const __GFP_COMP = 1 << 18;
export const __GFP_NOMEMALLOC = 1 << 19;
export const __GFP_HARDWALL = 1 << 20;
export const __GFP_THISNODE = 1 << 21;
export const __GFP_ACCOUNT = 1 << 22;
export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;

export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
export const GFP_ATOMIC = __GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM; // the 6.1 definition; 6.3+ ignore __GFP_ATOMIC
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM | __GFP_NOWARN;
export const GFP_NOIO = __GFP_RECLAIM;
export const GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
export const GFP_USER = GFP_KERNEL | __GFP_HARDWALL;
export const GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
export const GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;
export const GFP_TRANSHUGE_LIGHT = (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM;
export const GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM;

const NAMES: Record<string, number> = {
  GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_NOIO, GFP_NOFS, GFP_USER, GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE,
  GFP_TRANSHUGE, GFP_TRANSHUGE_LIGHT, GFP_DMA: __GFP_DMA, GFP_DMA32: __GFP_DMA32, GFP_KERNEL_ACCOUNT: GFP_KERNEL | __GFP_ACCOUNT,
  __GFP_DMA, __GFP_HIGHMEM, __GFP_DMA32, __GFP_MOVABLE, __GFP_RECLAIMABLE, __GFP_HIGH, __GFP_IO, __GFP_FS, __GFP_ZERO, __GFP_ATOMIC,
  __GFP_DIRECT_RECLAIM, __GFP_KSWAPD_RECLAIM, __GFP_RECLAIM, __GFP_WRITE, __GFP_NOWARN, __GFP_RETRY_MAYFAIL,
  __GFP_NOFAIL, __GFP_NORETRY, __GFP_MEMALLOC, __GFP_COMP, __GFP_NOMEMALLOC, __GFP_HARDWALL, __GFP_THISNODE,
  __GFP_ACCOUNT,
};

/** Parse a list of flag names ("GFP_ATOMIC", "__GFP_HIGH"); a string may itself contain '|'. */
export function parseGfp(names: string[]): { gfp: number; unknown: string | null } {
  let gfp = 0;
  for (const raw of names) {
    for (const n of raw.split('|').map((s) => s.trim()).filter(Boolean)) {
      const v = NAMES[n];
      if (v === undefined) return { gfp, unknown: n };
      gfp |= v;
    }
  }
  return { gfp, unknown: null };
}

/** The gfp an `alloc` operation uses: the given flags (default by migratetype), with the op's mobility bits. */
export function allocGfp(names: string[], mt: 'movable' | 'unmovable' | 'reclaimable'): { readonly gfp: number; readonly unknown: string | null } {
  // no flags named: one answer per migratetype, made once (every order-0 alloc of the pcp cycle asks)
  if (!names.length) return DEFAULT_ALLOC_GFP[mt];
  return allocGfpOf(names, mt);
}
function allocGfpOf(names: string[], mt: 'movable' | 'unmovable' | 'reclaimable'): { gfp: number; unknown: string | null } {
  let { gfp, unknown } = names.length ? parseGfp(names) : { gfp: mt === 'movable' ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL, unknown: null };
  gfp &= ~(__GFP_MOVABLE | __GFP_RECLAIMABLE);
  if (mt === 'movable') gfp |= __GFP_MOVABLE;
  if (mt === 'reclaimable') gfp |= __GFP_RECLAIMABLE;
  return { gfp, unknown };
}
const DEFAULT_ALLOC_GFP = {
  movable: Object.freeze(allocGfpOf([], 'movable')),
  unmovable: Object.freeze(allocGfpOf([], 'unmovable')),
  reclaimable: Object.freeze(allocGfpOf([], 'reclaimable')),
};

/** gfp_migratetype() */
export function gfpMigratetype(gfp: number): number {
  if (gfp & __GFP_MOVABLE) return MOVABLE;
  if (gfp & __GFP_RECLAIMABLE) return RECLAIMABLE;
  return UNMOVABLE;
}

/** gfp_zone(): the highest zone index an allocation may use */
export function gfpZone(gfp: number): number {
  if (gfp & __GFP_DMA) return ZONE_DMA;
  if (gfp & __GFP_DMA32) return ZONE_DMA32;
  if (gfp & __GFP_HIGHMEM && gfp & __GFP_MOVABLE) return ZONE_MOVABLE;
  return ZONE_NORMAL;
}

/** include/trace/events/mmflags.h __def_gfpflag_names (6.1's __GFP_ATOMIC after __GFP_HIGH): the order %pGg names in */
const GFPFLAG_NAMES = [
  'GFP_TRANSHUGE', 'GFP_TRANSHUGE_LIGHT', 'GFP_HIGHUSER_MOVABLE', 'GFP_HIGHUSER', 'GFP_USER', 'GFP_KERNEL_ACCOUNT', 'GFP_KERNEL',
  'GFP_NOFS', 'GFP_ATOMIC', 'GFP_NOIO', 'GFP_NOWAIT', 'GFP_DMA', '__GFP_HIGHMEM', 'GFP_DMA32', '__GFP_HIGH', '__GFP_ATOMIC', '__GFP_IO',
  '__GFP_FS', '__GFP_NOWARN', '__GFP_RETRY_MAYFAIL', '__GFP_NOFAIL', '__GFP_NORETRY', '__GFP_COMP', '__GFP_ZERO', '__GFP_NOMEMALLOC',
  '__GFP_MEMALLOC', '__GFP_HARDWALL', '__GFP_THISNODE', '__GFP_RECLAIMABLE', '__GFP_MOVABLE', '__GFP_ACCOUNT', '__GFP_WRITE',
  '__GFP_RECLAIM', '__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM',
].map((name) => ({ name, mask: NAMES[name] }));

/** A gfp mask as the kernel's %pGg prints it (lib/vsprintf.c format_flags()): each name whose bits are all still
 *  set, in GFPFLAG_NAMES order, then any leftover bits in hex. */
export function gfpString(gfp: number): string {
  const parts: string[] = [];
  let left = gfp;
  for (const { name, mask } of GFPFLAG_NAMES) {
    if (!left) break;
    if ((left & mask) !== mask) continue;
    parts.push(name);
    left &= ~mask;
  }
  if (left || !parts.length) parts.push(hex(left));
  return parts.join('|');
}
