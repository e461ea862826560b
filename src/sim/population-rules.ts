// Which page states a population statement may create: the states the kernel can have. Shared by the language
// (an error with a location) and the simulator (EINVAL for an operation built elsewhere).
import type { PageKind, PageModifier } from './scenario.js';

/** folios on an LRU list (folio_lru_list(), include/linux/mm_inline.h): only they have active/unevictable/dirty/writeback state */
const LRU_KINDS: readonly string[] = ['anon', 'file', 'thp'];
const LRU_MODIFIERS: readonly PageModifier[] = ['dirty', 'writeback', 'unevictable', 'active'];
/** THP_ORDERS_ALL_ANON (include/linux/huge_mm.h): anon THP orders are 2..PMD_ORDER (orders 0 and 1 are excluded) */
export const THP_MIN_ORDER = 2;

/** the kinds no user mapping can hold, so no GUP pin: what validate_page_before_insert refuses */
export const UNPINNABLE: Partial<Record<PageKind, string>> = { slab: 'a slab page', pagetable: 'a page table (PageTable is a page type)', offline: 'a PageOffline page (a page type)' };

/**
 * Why `kind` with `modifiers` cannot be populated (null: it can). `folioOrder` is the order of `folio … order N`,
 * null for `page`/`pages` (independent order-0 pages); `pmdOrder` the largest THP order (pageblock_order here).
 */
export function populationError(kind: PageKind | 'pcp', modifiers: readonly PageModifier[], folioOrder: number | null, pmdOrder: number): string | null {
  if (kind === 'pcp') return null;
  // the language says this first, in its own words; an operation built elsewhere gets it here
  if (modifiers.includes('reclaimable') && kind !== 'slab') return '`reclaimable` only applies to `slab` pages';
  // GUP pins only what a user mapping holds, and vm_insert_page() refuses a slab folio and any page with a page
  // type — PageTable, PageOffline (mm/memory.c validate_page_before_insert: folio_test_slab || page_has_type ->
  // -EINVAL); `kernel` and `vmalloc` pages stay pinnable (drivers map them that way)
  const pin = modifiers.find((m) => m === 'pinned' || m === 'longterm');
  if (pin && UNPINNABLE[kind]) return `\`${pin}\` does not apply to \`${kind}\` pages: GUP cannot pin ${UNPINNABLE[kind]} (vm_insert_page refuses it)`;
  const lruMod = modifiers.find((m) => LRU_MODIFIERS.includes(m));
  if (lruMod && !LRU_KINDS.includes(kind)) return `\`${lruMod}\` only applies to LRU pages (anon, file, thp), not \`${kind}\``;
  if (kind === 'thp') {
    if (folioOrder === null) return 'a `thp` is a large folio: `folio PFN order N thp`';
    if (folioOrder < THP_MIN_ORDER || folioOrder > pmdOrder) return `a \`thp\` is a large folio of order ${THP_MIN_ORDER} to ${pmdOrder} (THP_ORDERS_ALL_ANON), not ${folioOrder}`;
  }
  return null;
}
