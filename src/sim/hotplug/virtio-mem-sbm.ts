// virtio-mem Sub Block Mode (drivers/virtio/virtio_mem.c): virtio_mem_sbm_plug_request() and
// virtio_mem_sbm_unplug_request() with the memory block state order of the kernel.
// Return values are the driver's: 0 (null here) or an errno.
import type { Errno } from '../scenario.js';
import { addAndOnline, fakeOffline, fakeOnline, offlineAndRemove, removeBlocks } from './virtio-mem-online.js';
import { allOnes, bit, block, note, offlinePages, sbmState, type Req, type SbmState, type VirtioMemHost } from './virtio-mem-state.js';
import { hex } from '../../shared/format.js';

const mbStart = (r: Req, id: number) => id * r.g.mbPages;

/** the device's memory block ids that are (or were) in use: [first_mb_id, next_mb_id) */
function ids(r: Req): number[] {
  const out: number[] = [];
  for (let id = r.g.firstId; id < (r.grp.vmemNext ?? r.g.firstId); id++) out.push(id);
  return out;
}

/** virtio_mem_could_add_memory(): offline_size + size ≤ offline_threshold */
function couldAdd(h: VirtioMemHost, r: Req, pages: number): boolean {
  return offlinePages(h, r.dev, r.g) + pages <= r.g.offlineThreshold;
}

/** virtio_mem_sbm_plug_any_sb(): plug the first unplugged subblocks of an added block; fake-online them if online */
function plugAnySb(h: VirtioMemHost, r: Req, id: number): void {
  const b = block(h, id)!;
  const old = sbmState(h, r.g, id);
  const n = r.g.sbsPerMb;
  while (r.left) {
    let sb = 0;
    while (sb < n && (b.vmemPlugged! & bit(sb))) sb++; // virtio_mem_sbm_first_unplugged_sb
    if (sb >= n) break;
    let count = 1;
    while (count < r.left && sb + count < n && !(b.vmemPlugged! & bit(sb + count))) count++;
    // VIRTIO_MEM_REQ_PLUG (the device ACKs)
    for (let i = sb; i < sb + count; i++) b.vmemPlugged! |= bit(i);
    r.left -= count;
    const pfn = mbStart(r, id) + sb * r.g.sbPages;
    note(r, `plugged subblocks ${sb}..${sb + count - 1} of memory${id} (${hex(pfn)}..${hex(pfn + count * r.g.sbPages)}) [${old}]`);
    if (old === 'OFFLINE_PARTIAL') continue;
    fakeOnline(h, r, pfn, count * r.g.sbPages);
  }
}

/** virtio_mem_sbm_plug_request() */
export function* sbmPlug(h: VirtioMemHost, r: Req): Generator<string, Errno | null, void> {
  // partially plugged blocks first, lowest first
  for (const st of ['KERNEL_PARTIAL', 'MOVABLE_PARTIAL', 'OFFLINE_PARTIAL'] as SbmState[]) {
    for (const id of ids(r)) {
      if (sbmState(h, r.g, id) !== st) continue;
      plugAnySb(h, r, id);
      yield 'plug';
      if (!r.left) return null;
    }
  }
  // then unused blocks (plugged and removed earlier), then new ones (virtio_mem_sbm_prepare_next_mb)
  // virtio_mem_sbm_plug_and_add_mb(): when adding fails the subblocks are unplugged again, the block is UNUSED
  const plugAndAdd = function* (id: number): Generator<string, Errno | null, void> {
    const count = Math.min(r.left, r.g.sbsPerMb);
    const start = mbStart(r, id);
    note(r, `plugged subblocks 0..${count - 1} of memory${id} (${hex(start)}..${hex(start + count * r.g.sbPages)})`);
    yield 'plug';
    if (!(yield* addAndOnline(h, r, start, start + r.g.mbPages, allOnes(count)))) {
      note(r, `unplugged subblocks 0..${count - 1} of memory${id} again (add failed)`);
      return 'ENOMEM';
    }
    r.left -= count;
    return null;
  };
  for (const id of ids(r)) {
    if (sbmState(h, r.g, id) !== 'UNUSED') continue;
    if (!couldAdd(h, r, r.g.mbPages)) return 'ENOSPC';
    const rc = yield* plugAndAdd(id);
    if (rc) return rc;
    if (!r.left) return null;
  }
  while (r.left) {
    if (!couldAdd(h, r, r.g.mbPages)) { note(r, 'offline_threshold reached: not adding more memory'); return 'ENOSPC'; }
    const next = r.grp.vmemNext ?? r.g.firstId;
    if (next > r.g.lastUsableId) { note(r, 'device range exhausted (next_mb_id > last_usable_mb_id)'); return 'ENOSPC'; }
    r.grp.vmemNext = next + 1;
    const rc = yield* plugAndAdd(next);
    if (rc) return rc;
  }
  return null;
}

/** virtio_mem_sbm_unplug_sb_online(): fake-offline, unplug (the device ACKs), KERNEL→KERNEL_PARTIAL etc. */
function* unplugSbOnline(h: VirtioMemHost, r: Req, id: number, sb: number, count: number): Generator<string, 'ok' | 'EBUSY' | 'ENOMEM', void> {
  const pfn = mbStart(r, id) + sb * r.g.sbPages;
  const rc = yield* fakeOffline(h, r, pfn, count * r.g.sbPages);
  if (rc !== 'ok') return rc;
  const b = block(h, id)!;
  for (let i = sb; i < sb + count; i++) b.vmemPlugged! &= ~bit(i);
  note(r, `unplugged subblock${count > 1 ? `s ${sb}..${sb + count - 1}` : ` ${sb}`} of memory${id}`);
  return 'ok';
}

/** virtio_mem_sbm_try_remove_unplugged_mb(): a fully unplugged block is offlined and removed */
function* tryRemoveUnplugged(h: VirtioMemHost, r: Req, id: number): Generator<string, boolean, void> {
  const b = block(h, id);
  if (!b || b.vmemPlugged) return true;
  const start = mbStart(r, id);
  const ok = yield* offlineAndRemove(h, r, start, start + r.g.mbPages);
  if (ok) note(r, `memory${id} fully unplugged: offlined and removed`);
  else note(r, `memory${id} fully unplugged but offline_and_remove_memory failed: retried on the next request (have_unplugged_mb)`);
  return ok;
}

/** virtio_mem_sbm_unplug_any_sb_online(): whole block first, then single subblocks from the top, skipping busy ones */
function* unplugAnySbOnline(h: VirtioMemHost, r: Req, id: number): Generator<string, Errno | null, void> {
  const n = r.g.sbsPerMb;
  const b = block(h, id)!;
  let removeIt = false;
  if (r.left >= n && b.vmemPlugged === allOnes(n)) {
    const rc = yield* unplugSbOnline(h, r, id, 0, n);
    if (rc === 'ok') { r.left -= n; removeIt = true; }
    else if (rc !== 'EBUSY') return rc;
  }
  if (!removeIt) {
    for (let sb = n - 1; sb >= 0 && r.left; sb--) {
      while (sb >= 0 && !(b.vmemPlugged! & bit(sb))) sb--;
      if (sb < 0) break;
      const rc = yield* unplugSbOnline(h, r, id, sb, 1);
      if (rc === 'EBUSY') continue;
      if (rc !== 'ok') return rc;
      r.left -= 1;
    }
  }
  yield* tryRemoveUnplugged(h, r, id); // errors are ignored ("not critical, we'll retry later")
  return null;
}

/** virtio_mem_sbm_unplug_any_sb_offline(): unplug from the top in runs; remove the block once empty */
function* unplugAnySbOffline(h: VirtioMemHost, r: Req, id: number): Generator<string, Errno | null, void> {
  const b = block(h, id)!;
  let sb = r.g.sbsPerMb - 1;
  while (r.left) {
    while (sb >= 0 && !(b.vmemPlugged! & bit(sb))) sb--;
    if (sb < 0) break;
    let count = 1;
    while (count < r.left && sb > 0 && b.vmemPlugged! & bit(sb - 1)) { count++; sb--; }
    for (let i = sb; i < sb + count; i++) b.vmemPlugged! &= ~bit(i);
    note(r, `unplugged subblocks ${sb}..${sb + count - 1} of offline memory${id}`);
    r.left -= count;
    sb--;
  }
  yield 'unplug';
  if (!b.vmemPlugged) {
    const start = mbStart(r, id);
    if (removeBlocks(h, r, start, start + r.g.mbPages)) note(r, `memory${id} fully unplugged: removed`);
    yield 'offline';
  }
  return null;
}

/** virtio_mem_sbm_unplug_request() */
export function* sbmUnplug(h: VirtioMemHost, r: Req): Generator<string, Errno | null, void> {
  const order: SbmState[] = ['OFFLINE_PARTIAL', 'OFFLINE', 'MOVABLE_PARTIAL', 'KERNEL_PARTIAL', 'MOVABLE', 'KERNEL'];
  for (const st of order) {
    for (const id of ids(r).reverse()) {
      if (sbmState(h, r.g, id) !== st) continue;
      note(r, `unplug from memory${id} [${st}]`);
      const rc = st.startsWith('OFFLINE') ? yield* unplugAnySbOffline(h, r, id) : yield* unplugAnySbOnline(h, r, id);
      if (rc || !r.left) return rc;
    }
  }
  return r.left ? 'EBUSY' : null;
}

/** virtio_mem_cleanup_pending_mb(): retry offlining and removing fully unplugged blocks */
export function* sbmCleanup(h: VirtioMemHost, r: Req): Generator<string, void, void> {
  for (const st of ['MOVABLE_PARTIAL', 'KERNEL_PARTIAL', 'OFFLINE_PARTIAL'] as SbmState[]) {
    for (const id of ids(r)) {
      const b = block(h, id);
      if (b && !b.vmemPlugged && sbmState(h, r.g, id) === st) yield* tryRemoveUnplugged(h, r, id);
    }
  }
}
