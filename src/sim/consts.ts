// Kernel constants and enums the simulator uses (reference/kernel-mm.md §1).

/** enum migratetype (include/linux/mmzone.h). */
export const UNMOVABLE = 0;
export const MOVABLE = 1;
export const RECLAIMABLE = 2;
export const HIGHATOMIC = 3;
export const MIGRATE_PCPTYPES = 3;
export const CMA = 4;
export const ISOLATE = 5;
export const MIGRATE_TYPES = 6;

/** migratetype_is_mergeable(): mt < MIGRATE_PCPTYPES */
export function isMergeable(mt: number): boolean {
  return mt < MIGRATE_PCPTYPES;
}

/** fallbacks[] table (mm/page_alloc.c), tried in this order. */
export const FALLBACKS: readonly (readonly number[])[] = [
  [RECLAIMABLE, MOVABLE], // UNMOVABLE
  [RECLAIMABLE, UNMOVABLE], // MOVABLE
  [UNMOVABLE, MOVABLE], // RECLAIMABLE
];

/** zone_type (x86-64), ZONE_DEVICE not modelled. */
export const ZONE_DMA = 0;
export const ZONE_DMA32 = 1;
export const ZONE_NORMAL = 2;
export const ZONE_MOVABLE = 3;
export const MAX_NR_ZONES = 4;

export const PAGE_ALLOC_COSTLY_ORDER = 3;
/** MAX_FOLIO_ORDER with hugetlb on 64-bit: 16 GiB */
export const MAX_FOLIO_ORDER = 22;
/** NR_PCP_LISTS: orders 0..3 × 3 pcp types, plus two THP lists */
export const NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1);
export const NR_PCP_LISTS = NR_LOWORDER_PCP_LISTS + 2;
/** CONFIG_PCP_BATCH_SCALE_MAX default */
export const PCP_BATCH_SCALE_MAX = 5;
/** COMPACT_CLUSTER_MAX = SWAP_CLUSTER_MAX */
export const COMPACT_CLUSTER_MAX = 32;
/** migrate_pages: NR_MAX_MIGRATE_PAGES_RETRY (10) = 3 async batch passes + 7 sync */
export const MIGRATE_PASSES = 10;
/** __alloc_contig_migrate_range: tries without progress before -EBUSY */
export const CONTIG_MIGRATE_TRIES = 5;
