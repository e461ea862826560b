// Offlining a memory block: drivers/base/memory.c memory_block_offline() and mm/memory_hotplug.c
// offline_pages(), scan_movable_pages(), do_migrate_range(), remove_pfn_range_from_zone(),
// mhp_deinit_memmap_on_memory(). A generator: it yields the phases pcp_disable, isolate, migrate,
// dissolve, test, offline so another CPU can run in between.
import type { Migration, OpResult, SimEvent } from '../api.js';
import type { HotplugHost } from './host.js';
import type { MemoryBlock } from './types.js';
import { clearZoneContiguous, setZoneContiguous, shrinkZoneSpan } from './span.js';
import { adjustPresent, contiguousUpdate } from './online.js';
import { fail, ok } from './result.js';
import { pushAll } from '../arrays.js';
import { hex } from '../../shared/format.js';

const SUBSECTION = 512; // PAGES_PER_SUBSECTION (2 MiB)

/** remove_pfn_range_from_zone(): poison the memmap, shrink the zone span (≤6.18 also contiguous). */
function removePfnRangeFromZone(h: HotplugHost, b: MemoryBlock, start: number, nr: number): void {
  const zone = b.zone!;
  const z = h.zone(b.nid, zone);
  h.hp.setLink(start, nr, null); // page_init_poison
  const early = contiguousUpdate(h) === 'move_pfn_range';
  if (early) clearZoneContiguous(z);
  shrinkZoneSpan(z, start, start + nr, h.hp.view(), Math.min(SUBSECTION, h.spec.sectionPages));
  if (early) setZoneContiguous(z, h.hp.view(), 1 << h.spec.pageblockOrder);
}

/** memory_block_offline() + offline_pages() */
export function* memoryBlockOffline(h: HotplugHost, b: MemoryBlock): Generator<string, OpResult, void> {
  const events: SimEvent[] = [];
  const migrations: Migration[] = [];
  // device_offline() returns 1 for an offline device → -EINVAL
  if (b.state !== 'online') return fail('EINVAL', `memory${b.id} is already offline`, events, b.start);
  // mem->zone == NULL: the block spans zones (boot memory) → -EINVAL
  if (b.zone === null) return fail('EINVAL', 'memory block spans multiple zones (valid_zones: none)', events, b.start);
  const zone = b.zone;
  const z = h.zone(b.nid, zone);
  const reserve = h.policies.vmemmap_accounting === 'reserve';
  const nrV = b.vmemmap;
  const start = b.start + nrV;
  const end = b.start + b.pages;
  const nr = end - start;
  const late = contiguousUpdate(h) === 'memory_block';
  // present −= nr_vmemmap first (accounted back on failure)
  if (nrV && !reserve) adjustPresent(h, b, zone, -nrV);
  const failed = (r: OpResult): OpResult => {
    if (nrV && !reserve) adjustPresent(h, b, zone, nrV);
    return r;
  };

  // ---- offline_pages(start, nr, zone, group)
  const pb = 1 << h.spec.pageblockOrder;
  if (!nr || start % pb || end % h.spec.sectionPages) return failed(fail('EINVAL', 'offline_pages: range not aligned', events, start));
  // walk_system_ram_range() must count every page of the range as System RAM
  const hole = h.hp.firstHole(start, end);
  if (hole >= 0) return failed(fail('EINVAL', 'memory holes', events, hole));
  const first = h.hp.link(start);
  const last = h.hp.link(end - 1);
  if (first?.zone !== zone || last?.zone !== zone) return failed(fail('EINVAL', 'multizone range', events, start));

  if (late) clearZoneContiguous(z);
  h.pcpDisable(b.nid, zone); // zone_pcp_disable(); lru_cache_disable()
  yield 'pcp_disable';
  const iso = h.isolateRange(start, end); // start_isolate_page_range(MEM_OFFLINE)
  yield 'isolate';
  if (!iso.ok) {
    h.pcpEnable(b.nid, zone);
    if (late) setZoneContiguous(z, h.hp.view(), pb);
    const why = iso.reason ? `failure to isolate range: ${iso.reason}` : 'failure to isolate range';
    return failed(fail('EBUSY', why, events, iso.pfn));
  }
  const undo = (errno: 'EBUSY' | 'EINTR' | 'ENOMEM', reason: string, pfn: number | null): OpResult => {
    h.undoIsolate(start, end); // undo_isolate_page_range(MIGRATE_MOVABLE) ; MEM_CANCEL_OFFLINE
    h.pcpEnable(b.nid, zone);
    if (late) setZoneContiguous(z, h.hp.view(), pb);
    return failed(fail(errno, reason, events, pfn, migrations));
  };

  const signalAfter = h.policies.offline_signal_after;
  const maxPasses = h.policies.offline_max_passes;
  let passes = 0;
  for (;;) {
    let scan: ReturnType<HotplugHost['scanMovable']>;
    let lastFailed: number | null = null;
    do {
      // any pending signal: the simulated user gives up after offline_signal_after passes
      if (signalAfter && passes >= signalAfter) {
        return undo('EINTR', `signal backoff (after ${passes} migration passes${lastFailed !== null ? `; ${hex(lastFailed)} would not migrate` : ''})`, lastFailed);
      }
      scan = h.scanMovable(start, end);
      if (scan.ret === 'found') {
        const ms = h.migrateRange(scan.pfn!, end); // do_migrate_range: failures are put back silently
        pushAll(migrations, ms);
        passes++;
        const bad = ms.find((m) => m.result !== 'ok');
        lastFailed = bad ? bad.src : null;
        yield 'migrate';
        // mm-tree proposal (memory_hotplug.offline_migrate_max_passes): give up with -EBUSY
        if (maxPasses && passes >= maxPasses && bad) {
          return undo('EBUSY', `migration failed after ${passes} passes (offline_max_passes): ${bad.reason}`, bad.src);
        }
      }
    } while (scan.ret === 'found');
    if (scan.ret !== 'ENOENT') return undo('EBUSY', 'unmovable page', scan.pfn);
    const dis = h.dissolveFreeHugetlb(start, end);
    yield 'dissolve';
    if (!dis.ok) return undo('EBUSY', `failure to dissolve huge pages${dis.reason ? ': ' + dis.reason : ''}`, dis.pfn);
    const t = h.testIsolated(start, end); // test_pages_isolated(MEM_OFFLINE)
    yield 'test';
    if (t.ok) break;
    passes++;
    if (signalAfter && passes >= signalAfter) return undo('EINTR', `signal backoff (test_pages_isolated fails at ${hex(t.pfn ?? start)}${t.reason ? ': ' + t.reason : ''})`, t.pfn);
  }

  // ---- success: __offline_isolated_pages marks the sections offline and deletes the buddy blocks
  h.hp.setOnline(b.id, false);
  const alreadyOffline = h.offlineIsolated(start, end);
  h.adjustIsolated(b.nid, zone, -(nr / pb));
  h.pcpEnable(b.nid, zone);
  z.managed -= nr - alreadyOffline; // adjust_managed_page_count
  adjustPresent(h, b, zone, -nr);
  h.zoneChanged(b.nid, zone);
  h.poisonRange(start, nr);
  removePfnRangeFromZone(h, b, start, nr);
  // mhp_deinit_memmap_on_memory(): the vmemmap pfns leave the zone too; the span shrinks again
  if (nrV && !reserve) {
    h.poisonRange(b.start, nrV);
    h.initVmemmap(b.start, nrV, b.nid, null); // still holding the memmap until the memory is removed
    removePfnRangeFromZone(h, b, b.start, nrV);
  }
  if (late) setZoneContiguous(z, h.hp.view(), pb);
  b.state = 'offline';
  b.zone = null;
  yield 'offline';
  events.push({ type: 'zone', zone, nid: b.nid, what: `memory${b.id} offline: span [${hex(z.start)}, ${hex(z.end)}) present ${z.present} managed ${z.managed}` });
  return ok(events, migrations);
}
