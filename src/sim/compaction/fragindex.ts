// External fragmentation measures, pure over free_area[order].nr_free (the /proc/buddyinfo row).
// mm/vmstat.c: fill_contig_page_info, __fragmentation_index, extfrag_for_order;
// mm/compaction.c: fragmentation_score_zone(_weighted), fragmentation_score_wmark, should_proactive_compact_node.
import { COMPACTION_HPAGE_ORDER, COMPACTION_PROACTIVENESS } from './constants.js';
import { pow2 } from '../pfn.js';

export interface ContigPageInfo {
  freePages: number;
  freeBlocksTotal: number;
  freeBlocksSuitable: number;
}

/** fill_contig_page_info: nrFree[o] = free_area[o].nr_free (every migratetype list, isolated ones included). */
export function fillContigPageInfo(nrFree: readonly number[], suitableOrder: number): ContigPageInfo {
  const info: ContigPageInfo = { freePages: 0, freeBlocksTotal: 0, freeBlocksSuitable: 0 };
  nrFree.forEach((blocks, order) => {
    info.freeBlocksTotal += blocks;
    info.freePages += blocks * pow2(order);
    if (order >= suitableOrder) info.freeBlocksSuitable += blocks * pow2(order - suitableOrder);
  });
  return info;
}

/**
 * __fragmentation_index: 0 when nothing is free, -1000 when a block of `order` exists, else
 * 1000 - (1000 + free_pages*1000/2^order) / total, integer division (div_u64). Towards 0: the request
 * fails for lack of memory; towards 1000: it fails because of fragmentation.
 */
export function fragmentationIndex(nrFree: readonly number[], order: number): number {
  const info = fillContigPageInfo(nrFree, order);
  if (info.freeBlocksTotal === 0) return 0;
  if (info.freeBlocksSuitable > 0) return -1000;
  const requested = pow2(order);
  return 1000 - Math.floor((1000 + Math.floor((info.freePages * 1000) / requested)) / info.freeBlocksTotal);
}

/** extfrag_for_order: percentage of free memory not usable for an allocation of `order`. */
export function extfragForOrder(nrFree: readonly number[], order: number): number {
  const info = fillContigPageInfo(nrFree, order);
  if (info.freePages === 0) return 0;
  return Math.floor(((info.freePages - info.freeBlocksSuitable * pow2(order)) * 100) / info.freePages);
}

/** fragmentation_score_zone: extfrag_for_order(zone, COMPACTION_HPAGE_ORDER). */
export function fragmentationScoreZone(nrFree: readonly number[], hpageOrder = COMPACTION_HPAGE_ORDER): number {
  return extfragForOrder(nrFree, hpageOrder);
}

/** fragmentation_score_zone_weighted: score * zone present / (node present + 1). */
export function fragmentationScoreZoneWeighted(score: number, zonePresent: number, nodePresent: number): number {
  return Math.floor((score * zonePresent) / (nodePresent + 1));
}

/** fragmentation_score_node: the sum of the weighted zone scores (populated zones of the node). */
export function fragmentationScoreNode(zones: readonly { nrFree: readonly number[]; present: number }[]): number {
  const nodePresent = zones.reduce((s, z) => s + z.present, 0);
  return zones.reduce((s, z) => s + fragmentationScoreZoneWeighted(fragmentationScoreZone(z.nrFree), z.present, nodePresent), 0);
}

/** mm/compaction.c fragmentation_score_wmark (6.1, 6.12): low = max(100 - proactiveness, 5); high = min(low + 10, 100). */
export function fragmentationScoreWmark(low: boolean, proactiveness = COMPACTION_PROACTIVENESS): number {
  // fragmentation_score_wmark(): the low mark is capped at 5 so a proactiveness near 100 does not compact forever
  const wmarkLow = Math.max(100 - proactiveness, 5);
  return low ? wmarkLow : Math.min(wmarkLow + 10, 100);
}

/** should_proactive_compact_node (kswapd idle assumed): node score > high mark; proactiveness 0 disables it. */
export function shouldProactiveCompact(nodeScore: number, proactiveness = COMPACTION_PROACTIVENESS): boolean {
  if (proactiveness === 0) return false;
  return nodeScore > fragmentationScoreWmark(false, proactiveness);
}

/** __compact_finished for proactive compaction: continue while the zone score is above the low mark. */
export function proactiveZoneDone(zoneScore: number, proactiveness = COMPACTION_PROACTIVENESS): boolean {
  return zoneScore <= fragmentationScoreWmark(true, proactiveness);
}
