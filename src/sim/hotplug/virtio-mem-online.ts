// virtio-mem's side of memory hotplug (drivers/virtio/virtio_mem.c): the online_page callback
// (virtio_mem_online_page), fake-offlining (virtio_mem_fake_offline: alloc_contig_range with retries),
// fake-onlining (virtio_mem_fake_online), adding a memory block with add_memory_driver_managed() and
// auto-onlining it, and offline_and_remove_memory().
import { populateMemmap } from './vmemmap.js';
import type { ZoneName } from '../scenario.js';
import type { MemoryBlock } from './types.js';
import { memoryBlockOnline, setOnlinePageCallback, type OnlinePageCallback } from './online.js';
import { memoryBlockOffline } from './offline.js';
import { removeMemory } from './memory.js';
import { bit, block, deviceGroup, deviceOf, geometry, isVirtioMemHost, note, type Geometry, type Req, type VirtioMemHost, type VmemBlock } from './virtio-mem-state.js';
import { pushAll } from '../arrays.js';
import { hex } from '../../shared/format.js';
import { pow2 } from '../pfn.js';

/** The auto-online type for memory virtio-mem adds (memhp_default_online_type): "online", i.e. zone_for_pfn_range(). */
export const VIRTIO_MEM_ONLINE_TYPE = 'online' as const;

/**
 * virtio_mem_online_page(): online a chunk of order `order` (≤ MAX_PAGE_ORDER, inside one memory block).
 * SBM: fully plugged → generic_online_page; fully unplugged (or a single subblock) → fake-offline with
 * PageDirty; a mixture → subblock by subblock. BBM: online unless the big block is being fake-offlined.
 * Returns the pages added to managed.
 */
export function virtioOnlinePage(h: VirtioMemHost, pfn: number, order: number, fakeOfflineBb?: Set<number>): number {
  const dev = deviceOf(h.spec, pfn);
  if (!dev) {
    h.freePagesCore(pfn, order); // not virtio-mem memory: generic_online_page
    return pow2(order);
  }
  const g = geometry(h.spec, h.policies.isolation_granularity, dev);
  const owner = `virtio-mem ${dev.name}`;
  const end = pfn + pow2(order);
  if (g.mode === 'bbm') {
    if (fakeOfflineBb?.has(Math.floor(pfn / g.bbPages))) {
      h.virtioSetFakeOffline(pfn, pow2(order), true, owner);
      return 0;
    }
    h.freePagesCore(pfn, order);
    return pow2(order);
  }
  const b = block(h, h.hp.blockOf(pfn));
  const plugged = b?.vmemPlugged ?? 0n;
  const sbOf = (p: number) => Math.floor((p - (b ? b.start : 0)) / g.sbPages);
  const first = sbOf(pfn);
  const last = sbOf(end - 1);
  let mask = 0n;
  for (let i = first; i <= last; i++) mask |= bit(i);
  if ((plugged & mask) === mask) {
    h.freePagesCore(pfn, order);
    return pow2(order);
  }
  if (first === last || (plugged & mask) === 0n) {
    h.virtioSetFakeOffline(pfn, pow2(order), true, owner);
    return 0;
  }
  // a mixture: process subblock by subblock (at least a pageblock each)
  const sbOrder = Math.log2(g.sbPages);
  let added = 0;
  for (let p = pfn; p < end; p += g.sbPages) added += virtioOnlinePage(h, p, sbOrder, fakeOfflineBb);
  return added;
}

// register_virtio_mem_device() → set_online_page_callback(): every onlining of device memory (the
// `online` op, harvest, offline_and_remove_memory's re-onlining) keeps unplugged subblocks fake-offline
setOnlinePageCallback((h, pfn, order) => (deviceOf(h.spec, pfn) && isVirtioMemHost(h) ? virtioOnlinePage(h, pfn, order) : null));

export function onlineCallback(h: VirtioMemHost, fakeOfflineBb?: Set<number>): OnlinePageCallback {
  return (pfn: number, order: number, _zone: ZoneName) => virtioOnlinePage(h, pfn, order, fakeOfflineBb);
}

/** the zone an online pfn is in (page_zone), for is_zone_movable_page() and adjust_managed_page_count() */
function zoneAt(h: VirtioMemHost, pfn: number): { nid: number; zone: ZoneName } {
  const l = h.hp.link(pfn);
  if (!l) throw new Error(`virtio-mem: pfn ${hex(pfn)} is not linked to a zone`);
  return l;
}

/**
 * virtio_mem_fake_offline(): alloc_contig_range(pfn, pfn+n, ACR_FLAGS_NONE, GFP_KERNEL), up to 5 tries
 * in ZONE_MOVABLE and 1 in kernel zones; -ENOMEM returns at once, any other failure ends as -EBUSY.
 * Success: PageOffline (not dirty), managed −= n. A generator: yields `unplug` after every attempt.
 */
export function* fakeOffline(h: VirtioMemHost, r: Req, pfn: number, n: number): Generator<string, 'ok' | 'EBUSY' | 'ENOMEM', void> {
  const z = zoneAt(h, pfn);
  const movable = z.zone === 'Movable';
  const owner = `virtio-mem ${r.dev.name}`;
  for (let tryNo = 1; tryNo <= 5; tryNo++) {
    const res = h.virtioAllocContig(pfn, pfn + n, r.cpu, owner);
    pushAll(r.migrations, res.migrations);
    if (res.ok) {
      h.virtioSetFakeOffline(pfn, n, false, owner);
      h.zone(z.nid, z.zone).managed -= n; // adjust_managed_page_count(-n)
      note(r, `fake-offlined ${hex(pfn)}..${hex(pfn + n)} (alloc_contig_range ok, try ${tryNo}); ${z.zone}.managed −= ${n}`);
      yield 'unplug';
      return 'ok';
    }
    note(r, `alloc_contig_range(${hex(pfn)}, ${hex(pfn + n)}) try ${tryNo}${movable ? '/5' : '/1'} in ${z.zone}: -${res.errno} at ${res.pfn !== null ? hex(res.pfn) : '?'} (${res.reason ?? ''})`);
    if (r.failPfn === null) {
      r.failPfn = res.pfn ?? pfn;
      r.failReason = res.reason ?? `alloc_contig_range -${res.errno}`;
    }
    yield 'unplug';
    if (res.errno === 'ENOMEM') return 'ENOMEM';
    if (!movable) break;
  }
  return 'EBUSY';
}

/**
 * virtio_mem_fake_online(): give fake-offline pages back, in chunks of the largest order pfn|n allows.
 * Never-onlined (PageDirty) chunks go through generic_online_page (freed to the tail); pages that came
 * from alloc_contig_range through free_contig_range. managed += n either way.
 */
export function fakeOnline(h: VirtioMemHost, r: Req, pfn: number, n: number): void {
  let order = h.spec.maxPageOrder;
  while ((pfn | n) % pow2(order)) order--;
  const z = zoneAt(h, pfn);
  for (let i = 0; i < n; i += pow2(order)) {
    if (h.virtioIsDirty(pfn + i)) h.freePagesCore(pfn + i, order);
    else h.virtioFreeContig(pfn + i, pow2(order), r.cpu);
    h.zone(z.nid, z.zone).managed += pow2(order);
  }
  note(r, `fake-onlined ${hex(pfn)}..${hex(pfn + n)}; ${z.zone}.managed += ${n}`);
}

/**
 * add_memory_driver_managed(mgid, start, size, "System RAM (virtio_mem)", MHP_MERGE_RESOURCE|MHP_NID_IS_MGID)
 * of [start, end) (whole memory blocks, no memmap_on_memory), then auto-online every block with
 * VIRTIO_MEM_ONLINE_TYPE through virtio-mem's online_page callback. `plugged` is each block's bitmap.
 */
export function* addAndOnline(h: VirtioMemHost, r: Req, start: number, end: number, plugged: bigint): Generator<string, boolean, void> {
  const grp = r.grp;
  // arch_add_memory(): the memmap comes from the page allocator (no altmap)
  const mm = populateMemmap(h, start, end, r.dev.nid, false);
  if (!mm.ok) {
    note(r, `add_memory_driver_managed(${hex(start)}..${hex(end)}): -ENOMEM (vmemmap_populate: no memory for the memmap)`);
    return false;
  }
  if (mm.pages) note(r, `memmap of ${hex(start)}..${hex(end)}: ${mm.pages} pages allocated (vmemmap_populate)`);
  const before = h.hp.groups.length;
  h.hp.addRange(start, end, r.dev.nid); // memory blocks, offline; it registers a static group: drop it
  h.hp.groups.splice(before, h.hp.groups.length - before);
  const blocks: VmemBlock[] = [];
  for (let s = start; s < end; s += r.g.mbPages) {
    const b = block(h, h.hp.blockOf(s))!;
    b.group = grp.id;
    b.vmemmap = 0; // virtio-mem does not pass MHP_MEMMAP_ON_MEMORY
    b.vmemPlugged = plugged;
    blocks.push(b);
  }
  note(r, `add_memory_driver_managed(${hex(start)}..${hex(end)}): ${blocks.map((b) => `memory${b.id}`).join(', ')} added, offline`);
  for (const b of blocks) {
    const res = memoryBlockOnline(h, b, VIRTIO_MEM_ONLINE_TYPE, onlineCallback(h, r.fakeOfflineBb));
    for (const e of res.events) r.emit(e);
    if (!res.ok) note(r, `auto-online of memory${b.id} failed: -${res.errno} ${res.reason ?? ''} (the block stays offline)`);
    else note(r, `memory${b.id} onlined (${VIRTIO_MEM_ONLINE_TYPE}) to ${b.zone}`);
    yield 'online';
  }
  return true;
}

/** remove_memory() of offline device blocks; keeps the dynamic group's unit size (removeRange shrinks static groups) */
export function removeBlocks(h: VirtioMemHost, r: Req, start: number, end: number): boolean {
  const unit = r.grp.pages;
  const res = removeMemory(h, start, end);
  r.grp.pages = unit;
  for (const e of res.events) r.emit(e);
  if (!res.ok) note(r, `remove_memory(${hex(start)}..${hex(end)}) failed: -${res.errno} ${res.reason ?? ''}`);
  return res.ok;
}

/**
 * offline_and_remove_memory(start, size): offline every online block (the fake-offline pages are skipped:
 * the driver drops their references in MEM_GOING_OFFLINE), then remove. On failure every block it offlined
 * is onlined again (through the callback, so unplugged memory stays fake-offline) and the error returned.
 */
export function* offlineAndRemove(h: VirtioMemHost, r: Req, start: number, end: number): Generator<string, boolean, void> {
  const done: { b: MemoryBlock; zone: ZoneName | null }[] = [];
  for (let s = start; s < end; s += r.g.mbPages) {
    const b = block(h, h.hp.blockOf(s))!;
    if (b.state !== 'online') continue;
    const zone = b.zone; // try_offline_memory_block remembers online_kernel / online_movable
    const res = yield* memoryBlockOffline(h, b);
    pushAll(r.migrations, res.migrations);
    for (const e of res.events) r.emit(e);
    if (!res.ok) {
      note(r, `offline_and_remove_memory: offlining memory${b.id} failed: -${res.errno} ${res.reason ?? ''}`);
      if (r.failPfn === null) { r.failPfn = res.pfn ?? b.start; r.failReason = `offlining memory${b.id}: ${res.reason ?? res.errno}`; }
      for (const o of done) {
        // try_reonline_memory_block()
        const back = memoryBlockOnline(h, o.b, o.zone === 'Movable' ? 'online_movable' : 'online_kernel', onlineCallback(h, r.fakeOfflineBb));
        for (const e of back.events) r.emit(e);
      }
      return false;
    }
    done.push({ b, zone });
  }
  return removeBlocks(h, r, start, end);
}

export { deviceGroup };
export type { Geometry };
