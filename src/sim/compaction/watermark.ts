// A pure __zone_watermark_ok (mm/page_alloc.c) over a snapshot of zone counters, so compaction_suitable
// and the page_reporting watermark gate can be computed (and unit-tested) without a Machine.

/** migratetype indices, kernel order: UNMOVABLE=0 MOVABLE=1 RECLAIMABLE=2 HIGHATOMIC=3 CMA=4 ISOLATE=5 */
export const MT_UNMOVABLE = 0;
export const MT_MOVABLE = 1;
export const MT_RECLAIMABLE = 2;
export const MT_HIGHATOMIC = 3;
export const MT_CMA = 4;
export const MT_ISOLATE = 5;
/** MIGRATE_PCPTYPES: the lists any allocation may look at in the high-order part of the check */
export const MIGRATE_PCPTYPES = 3;

export interface WatermarkZone {
  /** NR_FREE_PAGES (isolated free pages are not counted: account_freepages) */
  nrFreePages: number;
  /** NR_FREE_CMA_PAGES */
  nrFreeCma: number;
  /** zone->nr_free_highatomic */
  nrFreeHighatomic: number;
  /** lowmem_reserve[highest_zoneidx] for the check at hand (0 for the zone's own index or lower) */
  lowmemReserve: number;
  /** counts[mt][order]: blocks on free_area[order].free_list[mt] */
  lists: number[][];
}

export interface WatermarkFlags {
  cma?: boolean;        // ALLOC_CMA
  highatomic?: boolean; // ALLOC_HIGHATOMIC (or ALLOC_OOM) for the list check
  reserves?: boolean;   // ALLOC_RESERVES: highatomic pages count as usable
}

/** __zone_watermark_unusable_free + __zone_watermark_ok without the ALLOC_HIGH/OOM min reductions. */
export function zoneWatermarkOk(z: WatermarkZone, order: number, mark: number, f: WatermarkFlags = {}): boolean {
  let free = z.nrFreePages - (2 ** order - 1);
  if (!f.reserves) free -= z.nrFreeHighatomic;
  if (!f.cma) free -= z.nrFreeCma;
  if (free <= mark + z.lowmemReserve) return false;
  if (order === 0) return true;
  const nOrders = z.lists[0]?.length ?? 0;
  for (let o = order; o < nOrders; o++) {
    for (let mt = 0; mt < MIGRATE_PCPTYPES; mt++) if ((z.lists[mt]?.[o] ?? 0) > 0) return true;
    if (f.cma && (z.lists[MT_CMA]?.[o] ?? 0) > 0) return true;
    if (f.highatomic && (z.lists[MT_HIGHATOMIC]?.[o] ?? 0) > 0) return true;
  }
  return false;
}
