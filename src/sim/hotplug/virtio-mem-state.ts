// virtio-mem device state (drivers/virtio/virtio_mem.c): mode and geometry (virtio_mem_init_hotplug), the
// per-device dynamic memory group, the subblock bitmap and the derived SBM memory block states.
//
// All state lives in the HotplugState so that Machine.clone() copies it: extra primitive fields on the
// device's MemoryGroup (requested size, next_mb_id) and on each added MemoryBlock (the plugged-subblock
// bitmap as a bigint). A memory block that is not added (UNUSED) has no MemoryBlock and nothing plugged.
import type { MachineSpec, VirtioMemSpec } from '../scenario.js';
import type { OpResult, SimEvent } from '../api.js';
import type { HotplugHost } from './host.js';
import type { MemoryBlock, MemoryGroup } from './types.js';
import type { OpOutcome } from '../api.js';
import { PAGE_SIZE } from '../../shared/format.js';

/** What virtio-mem needs from the allocator core beyond HotplugHost (implemented by MachineHost). */
export interface VirtioMemHost extends HotplugHost {
  /** alloc_contig_range(start, end, ACR_FLAGS_NONE, GFP_KERNEL), run to completion; the pages stay allocated */
  virtioAllocContig(start: number, end: number, cpu: number, owner: string): OpOutcome;
  /** virtio_mem_set_fake_offline(): [start, start+n) become PageOffline (PageDirty = never onlined); not managed */
  virtioSetFakeOffline(start: number, n: number, dirty: boolean, owner: string): void;
  /** PageDirty() of a fake-offline page: kept fake-offline when its block was onlined (never onlined) */
  virtioIsDirty(pfn: number): boolean;
  /** free_contig_range() of fake-offline pages that came from alloc_contig_range (order-0 frees: pcp or buddy) */
  virtioFreeContig(start: number, n: number, cpu: number): void;
}

export function isVirtioMemHost(h: HotplugHost): h is VirtioMemHost {
  return typeof (h as Partial<VirtioMemHost>).virtioAllocContig === 'function';
}

/** the device's struct memory_group (memory_group_register_dynamic), plus the driver state we keep with it */
export interface VmemGroup extends MemoryGroup {
  vmem?: string;
  /** requested_size in pages (the device config; each `plug`/`unplug` op changes it) */
  vmemRequested?: number;
  /** sbm.next_mb_id / bbm.next_bb_id */
  vmemNext?: number;
}

export interface VmemBlock extends MemoryBlock {
  /** SBM: bit i set = subblock i plugged (sbm.sb_states); BBM: all ones while the big block is added */
  vmemPlugged?: bigint;
}

export type SbmState = 'UNUSED' | 'OFFLINE' | 'OFFLINE_PARTIAL' | 'KERNEL' | 'KERNEL_PARTIAL' | 'MOVABLE' | 'MOVABLE_PARTIAL';

export interface Geometry {
  mode: 'sbm' | 'bbm';
  /** memory block pages */
  mbPages: number;
  /** SBM subblock pages (sb_size) */
  sbPages: number;
  sbsPerMb: number;
  /** BBM big block pages (bb_size) */
  bbPages: number;
  /** the subblock floor: pageblock (≥5.19) or max(MAX_ORDER_NR_PAGES, pageblock) (<5.19) */
  floorPages: number;
  /** first_mb_id / first_bb_id and last_usable_*_id (unit = memory block in SBM, big block in BBM) */
  firstId: number;
  lastUsableId: number;
  /** offline_threshold in pages */
  offlineThreshold: number;
}

const GIB = 262144; // pages

/** virtio_mem_init_hotplug() */
export function geometry(spec: MachineSpec, isolationGranularity: 'pageblock' | 'max_order', dev: VirtioMemSpec): Geometry {
  const pb = 1 << spec.pageblockOrder;
  const mb = spec.memoryBlockPages;
  // ≥5.19: "alloc_contig_range() works reliably with pageblock granularity on ZONE_NORMAL, use
  // pageblock_nr_pages"; before: max(MAX_ORDER_NR_PAGES, pageblock_nr_pages) (4 MiB on x86-64)
  const floorPages = isolationGranularity === 'max_order' ? Math.max(1 << spec.maxPageOrder, pb) : pb;
  const sb = Math.max(dev.blockPages, floorPages);
  if (sb < mb) {
    // SBM: at least two subblocks per memory block; the first memory block is rounded up
    const firstId = Math.ceil(dev.start / mb);
    return {
      mode: 'sbm', mbPages: mb, sbPages: sb, sbsPerMb: mb / sb, bbPages: 0, floorPages,
      firstId, lastUsableId: Math.floor(dev.end / mb) - 1, offlineThreshold: Math.max(2 * mb, GIB),
    };
  }
  // BBM: bb_size = max(device block size, memory block size) (bbm_block_size / force_bbm not modelled)
  const bb = Math.max(dev.blockPages, mb);
  return {
    mode: 'bbm', mbPages: mb, sbPages: 0, sbsPerMb: 0, bbPages: bb, floorPages,
    firstId: Math.ceil(dev.start / bb), lastUsableId: Math.floor(dev.end / bb) - 1,
    offlineThreshold: Math.max(2 * bb, 2 * mb, GIB),
  };
}

/** The device's dynamic memory group (unit_pages = memory block in SBM, big block in BBM), created on first use. */
export function deviceGroup(h: HotplugHost, dev: VirtioMemSpec, g: Geometry): VmemGroup {
  const found = (h.hp.groups as VmemGroup[]).find((x) => x.vmem === dev.name);
  if (found) return found;
  const grp: VmemGroup = {
    id: h.hp.groups.length, nid: dev.nid, dynamic: true, pages: g.mode === 'sbm' ? g.mbPages : g.bbPages,
    presentKernel: 0, presentMovable: 0, vmem: dev.name, vmemRequested: 0, vmemNext: g.firstId,
  };
  h.hp.groups.push(grp);
  return grp;
}

/** the device (if any) whose range holds pfn */
export function deviceOf(spec: MachineSpec, pfn: number): VirtioMemSpec | null {
  return spec.virtioMem.find((d) => pfn >= d.start && pfn < d.end) ?? null;
}

export const popcount = (x: bigint): number => {
  let n = 0;
  for (let v = x; v; v &= v - 1n) n++;
  return n;
};
export const allOnes = (n: number): bigint => (1n << BigInt(n)) - 1n;
export const bit = (i: number): bigint => 1n << BigInt(i);

export function block(h: HotplugHost, id: number): VmemBlock | undefined {
  return h.hp.blocks.get(id) as VmemBlock | undefined;
}

/** virtio_mem_sbm_get_mb_state(), derived from the memory block and its bitmap */
export function sbmState(h: HotplugHost, g: Geometry, id: number): SbmState {
  const b = block(h, id);
  if (!b) return 'UNUSED';
  const full = (b.vmemPlugged ?? 0n) === allOnes(g.sbsPerMb);
  if (b.state === 'offline') return full ? 'OFFLINE' : 'OFFLINE_PARTIAL';
  const kind = b.zone === 'Movable' ? 'MOVABLE' : 'KERNEL';
  return full ? kind : `${kind}_PARTIAL`;
}

/** plugged_size in pages, from the device's added blocks */
export function pluggedPages(h: HotplugHost, dev: VirtioMemSpec, g: Geometry): number {
  let n = 0;
  for (let id = Math.floor(dev.start / g.mbPages); id * g.mbPages < dev.end; id++) {
    const b = block(h, id);
    if (!b) continue;
    n += g.mode === 'sbm' ? popcount(b.vmemPlugged ?? 0n) * g.sbPages : b.pages;
  }
  return n;
}

/** offline_size in pages: added device memory that is offline */
export function offlinePages(h: HotplugHost, dev: VirtioMemSpec, g: Geometry): number {
  let n = 0;
  for (let id = Math.floor(dev.start / g.mbPages); id * g.mbPages < dev.end; id++) {
    const b = block(h, id);
    if (b && b.state === 'offline') n += b.pages;
  }
  return n;
}

export const mib = (pages: number): string => {
  const m = (pages * PAGE_SIZE) / (1 << 20);
  return m >= 1024 && m % 1024 === 0 ? `${m / 1024}G` : `${m}M`;
};

/** The running request: counters and the first failure, for the op's result. */
export interface Req {
  dev: VirtioMemSpec;
  g: Geometry;
  grp: VmemGroup;
  cpu: number;
  /** the host's event sink (Machine: the running op's event buffer, in order with the core's events) */
  emit(e: SimEvent): void;
  migrations: OpResult['migrations'];
  /** units (subblocks / big blocks) still to do: nb_sb / nb_bb */
  left: number;
  /** first failing pfn and the kernel's reason (alloc_contig_range or offlining) */
  failPfn: number | null;
  failReason: string | null;
  /** virtio_mem_fake_offline() transient BBM state: big blocks being fake-offlined keep onlined memory fake-offline */
  fakeOfflineBb: Set<number>;
}

export function note(r: Req, text: string): void {
  r.emit({ type: 'note', text: `virtio-mem ${r.dev.name}: ${text}` });
}
