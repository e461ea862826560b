// Free page reporting: the device state machine and the constants (mm/page_reporting.c, merged 5.7)
// and the early hinting design's trigger (A. Duyck, April 2019, seed 004).
import { PAGE_SIZE } from '../../shared/format.js';
import { pow2 } from '../pfn.js';

/** PAGE_REPORTING_CAPACITY: scatterlist entries per prdev->report() call */
export const PAGE_REPORTING_CAPACITY = 32;
/** seed 004: "only hint on a limited amount of memory at a time. Something like 64MB" */
export const HINTING_BATCH_BYTES = 64 * 1024 * 1024;
/** seed 004 / Duyck's early series: PAGE_REPORTING_HWM, a high-water mark of 32 unreported blocks per order */
export const HINTING_HWM = 32;

export type ReportingState = 'IDLE' | 'REQUESTED' | 'ACTIVE';

/** The prdev->state atomic: __page_reporting_request and page_reporting_process's transitions. */
export class PageReportingDevice {
  state: ReportingState = 'IDLE';
  /** delayed work scheduled (schedule_delayed_work); the `report` op is the work running */
  scheduled = false;

  /**
   * __page_reporting_notify → __page_reporting_request, called by __free_one_page for a final order >=
   * page_reporting_order without FPI_SKIP_REPORT_NOTIFY. REQUESTED: nothing; ACTIVE → REQUESTED (the running
   * pass will reschedule); IDLE → REQUESTED and the work is scheduled in 2 s.
   */
  notify(): void {
    if (this.state === 'REQUESTED') return;
    const prev = this.state;
    this.state = 'REQUESTED';
    if (prev === 'IDLE') this.scheduled = true;
  }

  /** page_reporting_register: the initial flush request. */
  register(): void {
    this.state = 'IDLE';
    this.notify();
  }

  /** page_reporting_process start: state = ACTIVE. */
  begin(): void {
    this.scheduled = false;
    this.state = 'ACTIVE';
  }

  /** page_reporting_cycle ran out of budget: atomic_set(state, REQUESTED). */
  budgetExhausted(): void {
    this.state = 'REQUESTED';
  }

  /**
   * End of page_reporting_process: cmpxchg(ACTIVE → IDLE); if it had gone back to REQUESTED, the work
   * is rescheduled in 2 s. Returns whether another pass is scheduled.
   */
  end(): boolean {
    if (this.state === 'ACTIVE') {
      this.state = 'IDLE';
      return false;
    }
    this.scheduled = true;
    return true;
  }
}

/** page_reporting_order: 0 (unset) means pageblock_order (page_reporting_register). */
export function reportingOrder(policyOrder: number, pageblockOrder: number, maxOrder: number): number {
  return policyOrder > 0 && policyOrder <= maxOrder ? policyOrder : pageblockOrder;
}

/** page_reporting_process_zone's gate: zone_watermark_ok(order 0, low + (CAPACITY << order), ALLOC_CMA). */
export function reportingWatermark(low: number, order: number): number {
  return low + PAGE_REPORTING_CAPACITY * pow2(order);
}

/** page_reporting_cycle: budget = DIV_ROUND_UP(nr_free, CAPACITY * 16); it stops once budget < 0. */
export function reportingBudget(nrFree: number): number {
  return Math.ceil(nrFree / (PAGE_REPORTING_CAPACITY * 16));
}

/**
 * The hinting trigger of the 2019 proposal: free_area[order].nr_free (= nr_freed - nr_bound) has grown
 * HINTING_HWM blocks past the ones already hinted ("Offline") on that order.
 */
export function hintingTriggered(nrFree: number, hinted: number): boolean {
  return nrFree >= hinted + HINTING_HWM;
}

/** Blocks of `order` that fit in one 64 MiB hinting batch (4 KiB pages). */
export function hintingBatchBlocks(order: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.floor(HINTING_BATCH_BYTES / (pageSize * pow2(order))));
}
