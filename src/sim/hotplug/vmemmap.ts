// The memmap of hot-added memory without memmap_on_memory (mm/sparse.c: sparse_add_section →
// section_activate → populate_section_memmap; mm/sparse-vmemmap.c: __populate_section_memmap →
// x86 vmemmap_populate → vmemmap_populate_hugepages; freed by section_deactivate → depopulate_section_memmap
// → vmemmap_free → remove_pmd_table → free_hugepage_table).
//
// x86-64 maps the vmemmap with 2 MiB PMDs: one PMD holds the struct pages of 32768 pfns (128 MiB). Each PMD
// not yet mapped takes one order-9 vmemmap_alloc_block(PMD_SIZE, node) = alloc_pages_node(node,
// GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_NOWARN, 9): from the added memory's node, falling back along the
// zonelist (DMA32 while the node has no ZONE_NORMAL). When that fails, vmemmap_populate_hugepages falls back
// to vmemmap_populate_basepages: 512 order-0 allocations; a failure there is -ENOMEM for add_memory.
// With memmap_on_memory the block's altmap supplies the memmap (altmap_alloc_block_buf): nothing is allocated.
// A PUD entry of the vmemmap not yet populated (no struct page of its 2^24 pfns = 64 GiB mapped: no boot memory
// there, nothing added) first takes a PMD table page: vmemmap_pud_populate → vmemmap_alloc_block_zero(PAGE_SIZE,
// node), order 0, never from the altmap (so memmap_on_memory pays it too); free_pmd_table frees it at remove
// once every PMD in it is none. Not modelled: a new PUD table (one page per 32 TiB) and the kzalloc'ed
// mem_section_usage (slab).
import type { HotplugHost } from './host.js';
import { PMD_BYTES, PMD_PFNS, PMDS_PER_TABLE, type MemmapPmd } from './memmap.js';
import { hex, PAGE_SIZE } from '../../shared/format.js';

/** get_order(PMD_SIZE) */
export const PMD_ORDER = Math.log2(PMD_BYTES / PAGE_SIZE);
const PTES_PER_PMD = PMD_BYTES / PAGE_SIZE;

export interface PopulateResult {
  ok: boolean;
  /** pages taken from the buddy allocator */
  pages: number;
  /** PMDs populated from the allocator, as [pmd index, pages] */
  pmds: [number, MemmapPmd][];
}

/**
 * vmemmap_populate(start, end, nid, altmap) for the struct pages of [start, end): every PMD not yet mapped
 * (boot memory, an earlier add, or this block's altmap) is allocated. On failure everything this call
 * allocated is freed again (section_activate's error path: section_deactivate).
 */
export function populateMemmap(h: HotplugHost, start: number, end: number, nid: number, altmap: boolean): PopulateResult {
  const res: PopulateResult = { ok: true, pages: 0, pmds: [] };
  const tables: number[] = [];
  const undo = (): PopulateResult => {
    for (const [i, m] of res.pmds) { freePmd(h, m); h.hp.setMemmap(i, null); }
    for (const pud of tables) { h.freeKernelPage(h.hp.memmapTableOf(pud)!, 0); h.hp.setMemmapTable(pud, null); }
    return { ok: false, pages: 0, pmds: [] };
  };
  for (let idx = Math.floor(start / PMD_PFNS); idx * PMD_PFNS < end; idx++) {
    if (h.hp.memmapMapped(idx)) continue;
    const pud = Math.floor(idx / PMDS_PER_TABLE);
    if (!h.hp.memmapTableMapped(pud)) {
      // vmemmap_pud_populate(): pud_none → a zeroed page for the PMD table (GFP_KERNEL|__GFP_ZERO|__GFP_RETRY_MAYFAIL)
      const t = h.allocKernelPage(nid, 0, `vmemmap PMD table for ${hex(pud * PMDS_PER_TABLE * PMD_PFNS)}..${hex((pud + 1) * PMDS_PER_TABLE * PMD_PFNS)}`);
      if (t < 0) return undo();
      h.hp.setMemmapTable(pud, t);
      tables.push(pud);
      res.pages += 1;
    }
    if (altmap) {
      h.hp.setMemmap(idx, { pfns: [], order: 0 });
      continue;
    }
    const owner = `memmap of ${hex(idx * PMD_PFNS)}..${hex((idx + 1) * PMD_PFNS)}`;
    const huge = h.allocKernelPage(nid, PMD_ORDER, owner);
    let pmd: MemmapPmd | null = null;
    if (huge >= 0) pmd = { pfns: [huge], order: PMD_ORDER };
    else {
      h.event({ type: 'note', text: `${owner}: no order-${PMD_ORDER} block after the slow path (reclaim and compaction), 512 order-0 pages instead (vmemmap_populate_basepages)` });
      // vmemmap_populate_basepages(): one page per PTE
      const pfns: number[] = [];
      for (let i = 0; i < PTES_PER_PMD; i++) {
        const p = h.allocKernelPage(nid, 0, owner);
        if (p < 0) break;
        pfns.push(p);
      }
      if (pfns.length === PTES_PER_PMD) pmd = { pfns, order: 0 };
      else for (const p of pfns) h.freeKernelPage(p, 0);
    }
    if (!pmd) return undo();
    h.hp.setMemmap(idx, pmd);
    res.pmds.push([idx, pmd]);
    res.pages += pmd.pfns.length << pmd.order;
  }
  return res;
}

/**
 * vmemmap_free(start, end): a PMD whose pfns hold no present section any more is unmapped and its pages are
 * freed (free_hugepage_table → free_pages, through the pcp: order 9 is a pcp order with THP). Returns the
 * pages given back to the allocator.
 */
export function depopulateMemmap(h: HotplugHost, start: number, end: number): number {
  let pages = 0;
  for (let idx = Math.floor(start / PMD_PFNS); idx * PMD_PFNS < end; idx++) {
    const m = h.hp.memmapOf(idx);
    if (!m) continue;
    if (h.hp.anyPresent(idx * PMD_PFNS, (idx + 1) * PMD_PFNS)) continue;
    pages += freePmd(h, m);
    h.hp.setMemmap(idx, null);
  }
  // remove_pud_table → free_pmd_table(): a table this hot-add allocated goes once all its PMDs are none
  const first = Math.floor(Math.floor(start / PMD_PFNS) / PMDS_PER_TABLE);
  const last = Math.floor(Math.floor((end - 1) / PMD_PFNS) / PMDS_PER_TABLE);
  for (let pud = first; pud <= last; pud++) {
    const t = h.hp.memmapTableOf(pud);
    if (t === null || !h.hp.memmapTableEmpty(pud)) continue;
    h.freeKernelPage(t, 0);
    h.hp.setMemmapTable(pud, null);
    pages += 1;
  }
  return pages;
}

function freePmd(h: HotplugHost, m: MemmapPmd): number {
  for (const p of m.pfns) h.freeKernelPage(p, m.order);
  return m.pfns.length << m.order;
}
