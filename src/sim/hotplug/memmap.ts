// memmap_on_memory (mm/memory_hotplug.c: memory_block_memmap_on_memory_pages,
// mhp_supports_memmap_on_memory; arch/x86: arch_supports_memmap_on_memory).
import type { MachineSpec, Policies } from '../scenario.js';
import { PAGE_SIZE } from '../../shared/format.js';

export const STRUCT_PAGE_BYTES = 64;
/** PMD_SIZE on x86-64 with 4K pages, in bytes */
export const PMD_BYTES = 2 * 1024 * 1024;
/** pfns whose struct pages fill one vmemmap PMD (32768 with 64-byte struct page) */
export const PMD_PFNS = PMD_BYTES / STRUCT_PAGE_BYTES;
/** entries of one page-table page (PTRS_PER_PMD): one PMD table maps the vmemmap of 512 × 32768 pfns = 64 GiB */
export const PMDS_PER_TABLE = PAGE_SIZE / 8;

/** one PMD's memmap (vmemmap.ts): a single order-9 block, or 512 base pages after the hugepage allocation failed */
export interface MemmapPmd {
  pfns: number[];
  order: number;
}

/** memory_block_memmap_size(): bytes of struct page for one memory block */
export function memmapBytes(blockPages: number): number {
  return blockPages * STRUCT_PAGE_BYTES;
}

/** memory_block_memmap_on_memory_pages(): PFN_UP(memmap size); force rounds up to a pageblock multiple. */
export function memmapOnMemoryPages(blockPages: number, mode: MachineSpec['memmapOnMemory'], pageblockPages: number): number {
  const nr = Math.ceil(memmapBytes(blockPages) / PAGE_SIZE);
  return mode === 'force' ? Math.ceil(nr / pageblockPages) * pageblockPages : nr;
}

/**
 * mhp_supports_memmap_on_memory(): mode on; memmap size page aligned; vmemmap pages pageblock aligned
 * (so the buddy part starts on a pageblock); something left for the buddy; and the x86 arch check
 * (the memmap covers whole PMDs). Returns the reason when it is not supported.
 */
export function memmapOnMemorySupport(spec: Pick<MachineSpec, 'memmapOnMemory' | 'memoryBlockPages' | 'pageblockOrder'>): { ok: boolean; pages: number; why: string | null } {
  const pb = 1 << spec.pageblockOrder;
  if (spec.memmapOnMemory === 'off') return { ok: false, pages: 0, why: 'memmap_on_memory is off' };
  const size = memmapBytes(spec.memoryBlockPages);
  const pages = memmapOnMemoryPages(spec.memoryBlockPages, spec.memmapOnMemory, pb);
  if (size % PAGE_SIZE) return { ok: false, pages: 0, why: 'memmap size is not page aligned' };
  if (pages % pb) return { ok: false, pages: 0, why: 'vmemmap pages are not pageblock aligned' };
  if (pages >= spec.memoryBlockPages) return { ok: false, pages: 0, why: 'the memmap would fill the whole block' };
  if (size % PMD_BYTES) return { ok: false, pages: 0, why: 'memmap size is not PMD aligned (x86 arch_supports_memmap_on_memory)' };
  return { ok: true, pages, why: null };
}

/**
 * Vmemmap pages each block of an add of `pages` pages gets: 0 when memmap_on_memory does not apply. Before 6.6
 * mhp_supports_memmap_on_memory(size) also required size == memory_block_size_bytes().
 */
export function vmemmapPagesForAdd(spec: Pick<MachineSpec, 'memmapOnMemory' | 'memoryBlockPages' | 'pageblockOrder'>, pol: Pick<Policies, 'memmap_on_memory_size'> | undefined, pages: number): number {
  if (pol?.memmap_on_memory_size === 'single_block' && pages !== spec.memoryBlockPages) return 0;
  return vmemmapPagesPerBlock(spec);
}

/** Vmemmap pages a block added now gets (mem->altmap->free), 0 without memmap_on_memory. */
export function vmemmapPagesPerBlock(spec: Pick<MachineSpec, 'memmapOnMemory' | 'memoryBlockPages' | 'pageblockOrder'>): number {
  const s = memmapOnMemorySupport(spec);
  return s.ok ? s.pages : 0;
}
