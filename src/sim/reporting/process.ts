// One free page reporting pass over every zone, as a generator with the phases isolate → report → putback
// around each prdev->report() call (the zone lock is dropped only there, so only there can another CPU run).
// policies.page_reporting = reporting: mm/page_reporting.c page_reporting_process / _process_zone / _cycle /
//   _drain (5.7+, budget since 5.8): lists order >= page_reporting_order, every migratetype but ISOLATE.
// hinting: A. Duyck's April 2019 proposal (seed 004): per free_area, a high-water mark nr_free >= hinted + 32
//   wakes the hinting; up to 64 MiB of non-"Offline" blocks are pulled by a special __rmqueue_smallest without
//   expand (no watermark: the 64 MiB cap is the proposal's answer to the false-OOM worry), hinted, then freed
//   back to the list tail and marked Offline. Allocations take list heads, so Offline pages are used last.
import type { SimEvent } from '../api.js';
import { ISOLATE as MT_ISOLATE } from '../consts.js';
import { ALLOC_CMA } from '../internal.js';
import { snapshotWatermarkOk } from '../zone.js';
import type { ReportingHost } from './host.js';
import {
  hintingBatchBlocks,
  hintingTriggered,
  PAGE_REPORTING_CAPACITY,
  type PageReportingDevice,
  reportingBudget,
  reportingWatermark,
} from './state.js';
import { hex } from '../../shared/format.js';
import { pow2 } from '../pfn.js';

export interface ReportOutcome {
  /** blocks marked Reported / Offline by this pass */
  blocks: number;
  pages: number;
  /** prdev->report() calls (hints sent) */
  reports: number;
  reason: string;
  events: SimEvent[];
}

const MIGRATE_TYPES = 6;

interface Entry { pfn: number; order: number }

export function* reportingPass(
  h: ReportingHost,
  mode: 'reporting' | 'hinting',
  order: number,
  device: PageReportingDevice,
): Generator<string, ReportOutcome, void> {
  const out: ReportOutcome = { blocks: 0, pages: 0, reports: 0, reason: '', events: [] };
  const note = (text: string) => out.events.push({ type: 'note', text });

  // free-list generations around a hinting round: the walk may resume only if nothing but this pass's own
  // putback touched a list between the round's takes and the next round
  let genAfterTake = -1;
  let genAfterPutback = -1;
  // prdev->report() with the lock dropped, then page_reporting_drain (newest scatterlist entry first)
  function* report(label: string, batch: Entry[], drainReverse: boolean): Generator<string, void, void> {
    const pages = batch.reduce((s, e) => s + pow2(e.order), 0);
    note(`${label}: ${batch.length} blocks (${pages} pages) isolated for ${mode === 'hinting' ? 'hinting' : 'prdev->report()'}: ${batch.map((e) => hex(e.pfn)).join(' ')}`);
    yield 'isolate';
    out.reports++;
    yield 'report';
    const untouched = h.generation() === genAfterTake;
    for (const e of drainReverse ? [...batch].reverse() : batch) {
      h.putback(e.pfn, e.order);
      // "If page was not commingled with another page we can consider the result to be reported"
      if (h.buddyOrder(e.pfn) === e.order) {
        h.setReported(e.pfn);
        out.blocks++;
        out.pages += pow2(e.order);
      } else note(`${hex(e.pfn)} merged on putback: not marked`);
    }
    genAfterPutback = untouched ? h.generation() : -1;
    yield 'putback';
  }

  device.begin();
  for (const z of h.zones()) {
    if (mode === 'hinting') {
      // Each round takes the first `limit` non-Offline blocks of the lists in type order (head → tail), hints
      // them and frees them back to the tails, marked. The walk resumes where the last round stopped when no
      // list changed since its putback (the blocks before that point are Offline, or were put back Offline at
      // the tails), so a cycle costs the blocks it visits, not lists × rounds.
      for (let o = order; o < h.nrOrders; o++) {
        let resume: { mt: number; pfn: number } | null = null;
        for (;;) {
          let hinted = 0;
          for (let mt = 0; mt < MIGRATE_TYPES; mt++) if (mt !== MT_ISOLATE) hinted += h.reportedCount(z.idx, o, mt);
          if (!hintingTriggered(h.nrFree(z.idx, o), hinted)) break;
          const limit = hintingBatchBlocks(o);
          const batch: Entry[] = [];
          const from: { mt: number; pfn: number } | null =
            resume && h.generation() === genAfterPutback && h.onList(resume.pfn, o, resume.mt) ? resume : null;
          resume = null;
          walk: for (let mt: number = from?.mt ?? 0; mt < MIGRATE_TYPES; mt++) {
            if (mt === MT_ISOLATE) continue;
            for (let pfn: number = from && mt === from.mt ? from.pfn : h.head(z.idx, o, mt); pfn >= 0;) {
              const e = h.entry(pfn);
              const next = e.next;
              if (!e.reported) {
                if (batch.length >= limit) { resume = { mt, pfn }; break walk; }
                if (h.takeBlock(pfn, o)) batch.push({ pfn, order: o });
              }
              pfn = next;
            }
          }
          if (batch.length === 0) break;
          genAfterTake = h.generation();
          yield* report(`${z.label} order ${o} (nr_free ${h.nrFree(z.idx, o) + batch.length} >= ${hinted} Offline + 32)`, batch, false);
        }
      }
      continue;
    }
    // page_reporting_process_zone
    const wm = reportingWatermark(z.low, order);
    if (!snapshotWatermarkOk(h.counters(z.idx), 0, wm, ALLOC_CMA)) {
      note(`${z.label}: skipped, NR_FREE_PAGES ${h.counters(z.idx).free} below low + 32<<${order} = ${wm}`);
      continue;
    }
    let batch: Entry[] = [];
    for (let o = order; o < h.nrOrders; o++) {
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
        if (mt === MT_ISOLATE) continue; // "We do not pull pages from the isolate free list"
        // page_reporting_cycle: list_for_each_entry_safe over the live list (`next` is read before the page is
        // handled); after a report, next = list_first_entry(list). Each step costs O(1): the walk is
        // proportional to the blocks it visits, never a copy of the list per batch.
        if (h.head(z.idx, o, mt) < 0) continue;
        let budget = reportingBudget(h.nrFree(z.idx, o));
        let stop: number | null = null;
        for (let pfn = h.head(z.idx, o, mt); pfn >= 0;) {
          const page = h.entry(pfn);
          const next = page.next;
          if (page.reported) { pfn = next; continue; }
          if (budget < 0) {
            device.budgetExhausted();
            note(`${z.label} order ${o} ${mt}: budget used up, reporting REQUESTED again`);
            stop = pfn;
            break;
          }
          if (batch.length < PAGE_REPORTING_CAPACITY) {
            if (!h.isolateFreePage(pfn, o)) {
              note(`${z.label}: __isolate_free_page(${hex(pfn)}, ${o}) refused (min watermark)`);
              stop = pfn;
              break;
            }
            batch.push({ pfn, order: o });
            pfn = next;
            continue;
          }
          h.rotateToFront(z.idx, o, mt, pfn); // the first unprocessed page becomes the head
          yield* report(`${z.label} order ${o}`, batch, true);
          batch = [];
          budget--;
          pfn = h.head(z.idx, o, mt); // next = list_first_entry(list)
        }
        if (stop !== null) h.rotateToFront(z.idx, o, mt, stop);
      }
    }
    if (batch.length) yield* report(`${z.label} leftover`, batch, true);
  }
  const again = device.end();
  out.reason = `${mode === 'hinting' ? 'hinting' : 'page_reporting'}: ${out.blocks} blocks (${out.pages} pages) marked ${mode === 'hinting' ? 'Offline' : 'Reported'} in ${out.reports} ${mode === 'hinting' ? 'hints' : 'reports'}; device ${device.state}${again ? ', rescheduled in 2 s' : ''}`;
  return out;
}
