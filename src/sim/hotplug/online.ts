// Onlining a memory block: drivers/base/memory.c memory_block_online() and mm/memory_hotplug.c
// online_pages(), move_pfn_range_to_zone(), online_pages_range(), adjust_present_page_count(),
// mhp_init_memmap_on_memory().
import type { OpResult, SimEvent } from '../api.js';
import type { ZoneName } from '../scenario.js';
import type { HotplugHost } from './host.js';
import type { MemoryBlock, MemoryGroup, OnlineType } from './types.js';
import { zoneForPfnRange, type ZoneSelectCtx } from './zones.js';
import { clearZoneContiguous, resizeZoneRange, setZoneContiguous } from './span.js';
import { fail, ok } from './result.js';
import { hex } from '../../shared/format.js';
import { pow2 } from '../pfn.js';

/** Where set_zone_contiguous runs: inside move_pfn_range_to_zone (≤ 6.18, before the sections are
 * online, so a zone that just got memory reads non-contiguous) or around memory_block_{on,off}line. */
export type ContiguousUpdate = 'move_pfn_range' | 'memory_block';
export function contiguousUpdate(h: HotplugHost): ContiguousUpdate {
  return (h.policies as { hotplug_contiguous?: ContiguousUpdate }).hotplug_contiguous ?? 'move_pfn_range';
}

export function selectCtx(h: HotplugHost): ZoneSelectCtx {
  return {
    zones: h.zones(),
    groups: h.hp.groups,
    movableNode: h.spec.movableNode,
    policy: h.policies.online_policy,
    ratio: h.policies.auto_movable_ratio,
    // memory_hotplug.auto_movable_numa_aware (mm/memory_hotplug.c, default Y)
    numaAware: h.policies.auto_movable_numa_aware !== 'off',
    pfn: h.hp.view(),
    sectionPages: h.spec.sectionPages,
  };
}

const pageblockPages = (h: HotplugHost) => 1 << h.spec.pageblockOrder;

/** adjust_present_page_count(): zone present (and present_early for early sections), group counters. */
export function adjustPresent(h: HotplugHost, b: MemoryBlock, zone: ZoneName, nr: number): void {
  const z = h.zone(b.nid, zone);
  z.present += nr;
  if (!b.hotplugged) z.presentEarly += nr;
  const g = h.hp.group(b);
  if (g && zone === 'Movable') g.presentMovable += nr;
  else if (g) g.presentKernel += nr;
}

/** move_pfn_range_to_zone(): grow the span, link and init the memmap, (≤6.18) recompute contiguous. */
function movePfnRangeToZone(h: HotplugHost, nid: number, zone: ZoneName, start: number, nr: number, vmemmap: boolean): void {
  const z = h.zone(nid, zone);
  const early = contiguousUpdate(h) === 'move_pfn_range';
  if (early) clearZoneContiguous(z);
  resizeZoneRange(z, start, nr); // resize_pgdat_range follows from the zones (update_pgdat_span)
  h.hp.setLink(start, nr, zone);
  if (vmemmap) h.initVmemmap(start, nr, nid, zone); // MIGRATE_UNMOVABLE, not isolated
  else h.initRange(start, nr, nid, zone, 'movable', true); // MIGRATE_MOVABLE + isolated (MIGRATE_ISOLATE ≤6.16)
  if (early) setZoneContiguous(z, h.hp.view(), pageblockPages(h));
}

/** online_pages_range(): free in the largest chunks the alignment allows, order = min(MAX_PAGE_ORDER, __ffs(pfn)). */
export function onlineChunks(start: number, nr: number, maxOrder: number): { pfn: number; order: number }[] {
  const out: { pfn: number; order: number }[] = [];
  for (let pfn = start; pfn < start + nr;) {
    let order = maxOrder;
    if (pfn) {
      let ffs = 0; // __ffs(pfn), capped
      while (ffs < maxOrder && pfn % pow2(ffs + 1) === 0) ffs++;
      order = ffs;
    }
    out.push({ pfn, order });
    pfn += pow2(order);
  }
  return out;
}

/**
 * online_page_callback (set_online_page_callback): frees one online_pages_range() chunk and returns the
 * pages it added to managed. The default is generic_online_page(); virtio-mem installs its own, which keeps
 * unplugged subblocks fake-offline (src/sim/hotplug/virtio-mem-online.ts).
 */
export type OnlinePageCallback = (pfn: number, order: number, zone: ZoneName) => number;

/** The registered online_page callback: pages added to managed, or null for memory it does not manage. */
type GlobalOnlinePage = (h: HotplugHost, pfn: number, order: number) => number | null;
let onlinePageHook: GlobalOnlinePage | null = null;
/** set_online_page_callback() (virtio-mem registers one for all onlining, whoever triggers it) */
export function setOnlinePageCallback(cb: GlobalOnlinePage | null): void {
  onlinePageHook = cb;
}

/** online_pages() */
function onlinePages(h: HotplugHost, b: MemoryBlock, start: number, nr: number, zone: ZoneName, events: SimEvent[], onlinePage?: OnlinePageCallback): OpResult | null {
  const pb = pageblockPages(h);
  if (!nr || start % pb || (start + nr) % h.spec.sectionPages) return fail('EINVAL', 'online_pages: range not pageblock/section aligned', events, start);
  movePfnRangeToZone(h, b.nid, zone, start, nr, false);
  h.adjustIsolated(b.nid, zone, nr / pb);
  for (const c of onlineChunks(start, nr, h.spec.maxPageOrder)) {
    const hooked = onlinePage ? onlinePage(c.pfn, c.order, zone) : onlinePageHook ? onlinePageHook(h, c.pfn, c.order) : null;
    if (hooked !== null) h.zone(b.nid, zone).managed += hooked; // online_page_callback
    else {
      h.freePagesCore(c.pfn, c.order); // generic_online_page → __free_pages_core (tail)
      h.zone(b.nid, zone).managed += pow2(c.order); // adjust_managed_page_count
    }
  }
  h.hp.setOnline(b.id, true); // online_mem_sections
  adjustPresent(h, b, zone, nr);
  h.undoIsolate(start, start + nr); // undo_isolate_page_range(MIGRATE_MOVABLE); nr_isolate_pageblock back down
  h.zoneChanged(b.nid, zone); // init_per_zone_wmark_min, pcp limits
  return null;
}

/** memory_block_online(); `type` is what was written to memoryN/state. */
export function memoryBlockOnline(h: HotplugHost, b: MemoryBlock, type: OnlineType, onlinePage?: OnlinePageCallback): OpResult {
  const events: SimEvent[] = [];
  // device_online() returns 1 for an online device; state_store turns that into -EINVAL
  if (b.state === 'online') return fail('EINVAL', `memory${b.id} is already online`, events, b.start);
  const group: MemoryGroup | null = h.hp.group(b);
  const zone = zoneForPfnRange(selectCtx(h), type, b.nid, group, b.start, b.pages);
  events.push({ type: 'zone', zone, nid: b.nid, what: `memory${b.id}: zone_for_pfn_range(${type}) → ${zone}` });
  const z = h.zone(b.nid, zone);
  const late = contiguousUpdate(h) === 'memory_block';
  if (late) clearZoneContiguous(z);
  const reserve = h.policies.vmemmap_accounting === 'reserve';
  const nrV = b.vmemmap;
  // mhp_init_memmap_on_memory(): the vmemmap pfns join the zone as UNMOVABLE, PageVmemmapSelfHosted
  // (reserve: Michal Hocko's proposal, seed discussion — they stay where they were reserved, outside any zone)
  if (nrV && !reserve) movePfnRangeToZone(h, b.nid, zone, b.start, nrV, true);
  const err = onlinePages(h, b, b.start + nrV, b.pages - nrV, zone, events, onlinePage);
  if (err) {
    if (nrV && !reserve) h.hp.setLink(b.start, nrV, null); // mhp_deinit_memmap_on_memory
    return err;
  }
  // vmemmap pages are present but never managed
  if (nrV && !reserve) adjustPresent(h, b, zone, nrV);
  b.state = 'online';
  b.zone = zone;
  if (late) setZoneContiguous(z, h.hp.view(), pageblockPages(h));
  events.push({ type: 'zone', zone, nid: b.nid, what: `span [${hex(z.start)}, ${hex(z.end)}) present ${z.present} managed ${z.managed}` });
  return ok(events);
}
