// What mm/internal.h shares between the allocator's files: the alloc_flags bits (ALLOC_*).
// Constants only, so any module of src/sim may import it without creating a cycle.

/** alloc_flags bits we model (mm/internal.h) */
export const ALLOC_WMARK_MIN = 0;
export const ALLOC_WMARK_LOW = 1;
export const ALLOC_WMARK_HIGH = 2;
export const ALLOC_WMARK_MASK = 3;
export const ALLOC_NO_WATERMARKS = 4;
export const ALLOC_OOM = 8;
export const ALLOC_NON_BLOCK = 0x10;
export const ALLOC_MIN_RESERVE = 0x20;
export const ALLOC_CMA = 0x80;
export const ALLOC_HIGHATOMIC = 0x200;
export const ALLOC_NOFRAGMENT = 0x100;
export const ALLOC_KSWAPD = 0x800;
export const ALLOC_RESERVES = ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM;
/**
 * Simulator-only marker (no kernel bit): the reserve bits mean what they meant before 6.3 (policy
 * `atomic_reserves gfp_atomic`): 0x10 is ALLOC_HARDER (__GFP_ATOMIC) and 0x20 ALLOC_HIGH (__GFP_HIGH), and
 * __zone_watermark_ok / rmqueue read them the old way. Set only by gfp_to_alloc_flags of a pre-6.3 preset.
 */
export const ALLOC_LEGACY_RESERVES = 0x10000;
export const ALLOC_HARDER = ALLOC_NON_BLOCK;
