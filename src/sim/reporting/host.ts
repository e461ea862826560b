// What a reporting pass needs from the simulator core (the adapter lives in ./index.ts).
import type { ZoneSnapshot } from '../zone.js';

export interface ReportingZone {
  /** global zone index, passed back to the host */
  idx: number;
  label: string;
  low: number;
  counters: ZoneSnapshot;
}

export interface ReportingHost {
  readonly nrOrders: number;
  readonly pageblockOrder: number;
  /** for_each_zone, populated ones */
  zones(): ReportingZone[];
  counters(zone: number): ZoneSnapshot;
  /** blocks with PageReported ("Offline") on free_area[order].free_list[mt] (kept by the core, O(1)) */
  reportedCount(zone: number, order: number, mt: number): number;
  /** changes to any free list so far: equal values mean no list was touched in between */
  generation(): number;
  /** first block on free_area[order].free_list[mt], -1 when the list is empty (list_first_entry) */
  head(zone: number, order: number, mt: number): number;
  /** the free block at pfn: PageReported and the pfn of the next block on its list (-1 at the tail) */
  entry(pfn: number): { reported: boolean; next: number };
  /** pfn heads a free block of this order on this type's list */
  onList(pfn: number, order: number, mt: number): boolean;
  /** free_area[order].nr_free */
  nrFree(zone: number, order: number): number;
  /** __isolate_free_page(page, order): min watermark + 2^order, unlink, accounted out of NR_FREE_PAGES */
  isolateFreePage(pfn: number, order: number): boolean;
  /** the 2019 proposal's allocator: unlink this exact block (no expand, no watermark), accounted */
  takeBlock(pfn: number, order: number): boolean;
  /** __putback_isolated_page: __free_one_page(FPI_TO_TAIL | FPI_SKIP_REPORT_NOTIFY) with the block's current type */
  putback(pfn: number, order: number): void;
  /** buddy_order(page) if PageBuddy(page), else null */
  buddyOrder(pfn: number): number | null;
  /** __SetPageReported / the "Offline" buddy type */
  setReported(pfn: number): void;
  /** list_rotate_to_front(&page->lru, list): pfn becomes the head, the entries before it go to the tail */
  rotateToFront(zone: number, order: number, mt: number, pfn: number): void;
}
