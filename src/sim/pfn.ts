// Exact pfn arithmetic. Pfns are JavaScript numbers (doubles: integers exact below 2^53), so the machine can have
// memory at and above pfn 2^32 (16 TiB physical with 4 KiB pages). JavaScript's bitwise operators (`>>>`, `<<`,
// `&`, `^`, `|0`) work on 32-bit integers and would truncate such pfns: never apply them to a pfn. Use these
// helpers (powers of two only), which are exact for every pfn below MAX_PFN.

/**
 * The largest machine the language accepts: physical addresses below 2^52 (x86-64 MAX_PHYSMEM_BITS with
 * 5-level paging, arch/x86/include/asm/sparsemem.h; 46 with 4-level), i.e. pfns below 2^(52 - PAGE_SHIFT 12)
 * = 2^40. Every pfn computation below that (pfn + 2^order, alignments, buddy pfns) is exact in a double.
 * How much of that range one machine may span is a separate, memory-based limit (src/sim/limits.ts).
 */
export const MAX_PHYSMEM_BITS = 52;
export const PAGE_SHIFT = 12;
export const MAX_PFN = 2 ** (MAX_PHYSMEM_BITS - PAGE_SHIFT);

/**
 * 2^n, exactly as `2 ** n`. Node 20's optimizing compiler computes `2 ** n` with a call to the C library's pow
 * (~30 ns, against ~0.5 ns for a shift): a shift for 0 <= n <= 30 (every order and shift the allocator uses).
 */
export function pow2(n: number): number {
  return n >= 0 && n <= 30 && (n | 0) === n ? 1 << n : 2 ** n;
}

/** pfn rounded down to a multiple of n (n a power of two): pfn & ~(n - 1) */
export function alignDown(pfn: number, n: number): number {
  return pfn - (pfn % n);
}
/** pfn rounded up to a multiple of n (n a power of two): ALIGN(pfn, n) */
export function alignUp(pfn: number, n: number): number {
  const r = pfn % n;
  return r ? pfn + n - r : pfn;
}
/** __find_buddy_pfn(): pfn ^ (1 << order) */
export function buddyPfnOf(pfn: number, order: number): number {
  const s = pow2(order);
  return Math.floor(pfn / s) % 2 ? pfn - s : pfn + s;
}
/** pfn >> shift */
export function shr(pfn: number, shift: number): number {
  return Math.floor(pfn / pow2(shift));
}
