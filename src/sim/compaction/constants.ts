// Compaction constants and results (include/linux/compaction.h, mm/compaction.c, mm/internal.h).
import { pow2 } from '../pfn.js';

/** enum compact_result, with the names the tracepoints print. */
export type CompactResult =
  | 'COMPACT_NOT_SUITABLE_ZONE' // only ever seen in the mm_compaction_suitable tracepoint: callers get SKIPPED
  | 'COMPACT_SKIPPED'
  | 'COMPACT_DEFERRED'
  | 'COMPACT_NO_SUITABLE_PAGE'
  | 'COMPACT_CONTINUE'
  | 'COMPACT_COMPLETE'
  | 'COMPACT_PARTIAL_SKIPPED'
  | 'COMPACT_CONTENDED'
  | 'COMPACT_SUCCESS';

// PAGE_ALLOC_COSTLY_ORDER and COMPACT_CLUSTER_MAX are the allocator's (../consts.ts).
/** sysctl vm.extfrag_threshold default. */
export const EXTFRAG_THRESHOLD = 500;
/** sysctl vm.compaction_proactiveness default. */
export const COMPACTION_PROACTIVENESS = 20;
/** COMPACTION_HPAGE_ORDER = HPAGE_PMD_ORDER on x86-64 with THP. */
export const COMPACTION_HPAGE_ORDER = 9;

/** compact_gap(order) = 2UL << order: room for the isolated free pages plus the migrated copies. */
export function compactGap(order: number): number {
  return 2 * pow2(order);
}
