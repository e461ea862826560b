// The `report` operation: one page_reporting_process pass (or one hinting cycle) on the core's state
// (__isolate_free_page / __putback_isolated_page are the allocator's, in buddy.ts). machine.ts dispatches here:
//   case 'report': return yield* runReport(core, device);   // device: the machine's PageReportingDevice
import { opOk, type OpResult } from '../api.js';
import type { Core } from '../core.js';
import { isolateFreePage, putbackIsolatedPage } from '../buddy.js';
import { MIGRATE_TYPES } from '../consts.js';
import { zoneSnapshot } from '../zone.js';
import type { ReportingHost } from './host.js';
import { reportingPass } from './process.js';
import { type PageReportingDevice, reportingOrder } from './state.js';

function host(c: Core): ReportingHost {
  return {
    nrOrders: c.nrOrders,
    pageblockOrder: c.pbo,
    zones: () => c.zones.filter((z) => z.populated).map((z) => ({ idx: z.idx, label: `node ${z.nid} ${z.name}`, low: z.wmLow, counters: zoneSnapshot(z, c.pol.highatomic_watermark) })),
    counters: (i) => zoneSnapshot(c.zones[i]!, c.pol.highatomic_watermark),
    reportedCount: (i, o, mt) => c.zones[i]!.nrReported[o * MIGRATE_TYPES + mt]!,
    generation: () => c.freeGen,
    head: (i, o, mt) => c.zones[i]!.head[o * MIGRATE_TYPES + mt]!,
    entry: (pfn) => {
      const b = c.free.get(pfn)!;
      return { reported: b.reported, next: b.next };
    },
    onList: (pfn, o, mt) => {
      const b = c.free.get(pfn);
      return b !== undefined && b.order === o && b.mt === mt;
    },
    nrFree: (i, o) => c.zones[i]!.nrFree[o]!,
    isolateFreePage: (pfn, o) => isolateFreePage(c, pfn, o),
    takeBlock: (pfn, o) => {
      const b = c.buddyAt(pfn);
      if (!b || b.order !== o) return false;
      c.delFreeAccount(b);
      return true;
    },
    putback: (pfn, o) => putbackIsolatedPage(c, pfn, o),
    buddyOrder: (pfn) => c.buddyAt(pfn)?.order ?? null,
    setReported: (pfn) => {
      const b = c.buddyAt(pfn);
      if (b) c.markReported(b, true);
    },
    // list_rotate_to_front: move the entries before pfn, in order, to the tail
    rotateToFront: (i, o, mt, pfn) => {
      const z = c.zones[i]!;
      for (let h = c.listHead(z, o, mt); h && h.pfn !== pfn; h = c.listHead(z, o, mt)) {
        const rep = h.reported;
        c.delFree(h);
        c.markReported(c.addFree(z, h.pfn, o, mt, true), rep);
      }
    },
  };
}

export function* runReport(c: Core, device: PageReportingDevice): Generator<string, OpResult, void> {
  const order = reportingOrder(c.pol.page_reporting_order, c.pbo, c.maxOrder);
  const out = yield* reportingPass(host(c), c.pol.page_reporting, order, device);
  for (const e of out.events) c.emit(e);
  return { ...opOk({ reason: out.reason }), events: [] };
}

