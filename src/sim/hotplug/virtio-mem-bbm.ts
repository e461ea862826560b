// virtio-mem Big Block Mode (drivers/virtio/virtio_mem.c): virtio_mem_bbm_plug_request() and
// virtio_mem_bbm_unplug_request(). A big block is ADDED while its memory blocks exist, UNUSED otherwise;
// FAKE_OFFLINE is the transient state while it is being unplugged (Req.fakeOfflineBb).
import type { Errno } from '../scenario.js';
import { addAndOnline, fakeOffline, fakeOnline, offlineAndRemove } from './virtio-mem-online.js';
import { block, note, offlinePages, type Req, type VirtioMemHost } from './virtio-mem-state.js';
import { hex } from '../../shared/format.js';

const bbStart = (r: Req, id: number) => id * r.g.bbPages;

function ids(r: Req): number[] {
  const out: number[] = [];
  for (let id = r.g.firstId; id < (r.grp.vmemNext ?? r.g.firstId); id++) out.push(id);
  return out;
}

const added = (h: VirtioMemHost, r: Req, id: number) => !!block(h, h.hp.blockOf(bbStart(r, id)));

/** virtio_mem_bbm_plug_request(): unused big blocks first, then new ones */
export function* bbmPlug(h: VirtioMemHost, r: Req): Generator<string, Errno | null, void> {
  const couldAdd = () => offlinePages(h, r.dev, r.g) + r.g.bbPages <= r.g.offlineThreshold;
  // virtio_mem_bbm_plug_and_add_bb(): when adding fails the big block is unplugged again, UNUSED
  const plugAndAdd = function* (id: number): Generator<string, Errno | null, void> {
    const s = bbStart(r, id);
    note(r, `plugged big block ${id} (${hex(s)}..${hex(s + r.g.bbPages)})`);
    yield 'plug';
    if (!(yield* addAndOnline(h, r, s, s + r.g.bbPages, 1n))) {
      note(r, `unplugged big block ${id} again (add failed)`);
      return 'ENOMEM';
    }
    r.left--;
    return null;
  };
  for (const id of ids(r)) {
    if (added(h, r, id)) continue;
    if (!couldAdd()) return 'ENOSPC';
    const rc = yield* plugAndAdd(id);
    if (rc) return rc;
    if (!r.left) return null;
  }
  while (r.left) {
    if (!couldAdd()) { note(r, 'offline_threshold reached: not adding more memory'); return 'ENOSPC'; }
    const next = r.grp.vmemNext ?? r.g.firstId;
    if (next > r.g.lastUsableId) { note(r, 'device range exhausted (next_bb_id > last_usable_bb_id)'); return 'ENOSPC'; }
    r.grp.vmemNext = next + 1;
    const rc = yield* plugAndAdd(next);
    if (rc) return rc;
  }
  return null;
}

/**
 * virtio_mem_bbm_offline_remove_and_unplug_bb(): mark FAKE_OFFLINE, fake-offline every online section
 * (alloc_contig_range, rollback on failure), offline_and_remove_memory, then UNPLUG.
 */
function* offlineRemoveAndUnplug(h: VirtioMemHost, r: Req, id: number): Generator<string, Errno | null, void> {
  const start = bbStart(r, id);
  const end = start + r.g.bbPages;
  const sec = h.spec.sectionPages;
  r.fakeOfflineBb.add(id);
  const done: number[] = [];
  const rollback = (): void => {
    for (const p of done) if (h.hp.isOnline(p)) fakeOnline(h, r, p, sec);
    r.fakeOfflineBb.delete(id);
  };
  for (let p = start; p < end; p += sec) {
    if (!h.hp.isOnline(p)) continue; // pfn_to_online_page
    const rc = yield* fakeOffline(h, r, p, sec);
    if (rc !== 'ok') { rollback(); return rc; }
    done.push(p);
  }
  const ok = yield* offlineAndRemove(h, r, start, end);
  if (!ok) { rollback(); return 'EBUSY'; }
  r.fakeOfflineBb.delete(id);
  note(r, `big block ${id} offlined, removed and unplugged`);
  return null;
}

/** virtio_mem_bbm_unplug_request(): offline big blocks, then ZONE_MOVABLE-only ones, then any; highest first */
export function* bbmUnplug(h: VirtioMemHost, r: Req): Generator<string, Errno | null, void> {
  const sec = h.spec.sectionPages;
  const sections = (id: number) => {
    const out: number[] = [];
    for (let p = bbStart(r, id); p < bbStart(r, id) + r.g.bbPages; p += sec) out.push(p);
    return out;
  };
  const isOffline = (id: number) => sections(id).every((p) => !h.hp.isOnline(p));
  const isMovable = (id: number) => sections(id).every((p) => !h.hp.isOnline(p) || h.hp.link(p)?.zone === 'Movable');
  for (let pass = 0; pass < 3; pass++) {
    for (const id of ids(r).reverse()) {
      if (!added(h, r, id)) continue;
      if (pass === 0 && !isOffline(id)) continue;
      if (pass === 1 && !isMovable(id)) continue;
      note(r, `unplug big block ${id} (pass ${pass}: ${['offline', 'movable', 'any'][pass]})`);
      const rc = yield* offlineRemoveAndUnplug(h, r, id);
      if (rc === 'EBUSY') continue;
      if (!rc) r.left--;
      if (rc || !r.left) return rc;
    }
  }
  return r.left ? 'EBUSY' : null;
}
