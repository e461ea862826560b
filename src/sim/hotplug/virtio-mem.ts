// virtio-mem (drivers/virtio/virtio_mem.c, reference §11). One operation = the device's requested size
// changes by ±pages (like `qom-set requested-size`), then the driver's work function runs once
// (virtio_mem_run_wq: cleanup of pending blocks, then plug or unplug the difference). The retry timer is
// not modelled: a later op runs the work function again with the remaining difference.
//
// Result: ok when plugged_size == requested_size afterwards. Otherwise the driver's error (-EBUSY: busy
// memory could not be unplugged; -ENOSPC: device range exhausted or too much offline memory; -ENOMEM),
// with the first failing pfn and alloc_contig_range's reason, and "unplugged X of Y" in the reason.
// The driver works in whole subblocks / big blocks (nb_sb = diff / sb_size, rounded down): a remainder it
// cannot express returns 0 in the kernel and leaves the device idle; here that is -EINVAL saying so.
import type { OpResult, SimEvent } from '../api.js';
import type { Errno } from '../scenario.js';
import type { HotplugHost } from './host.js';
import { fail, ok } from './result.js';
import { deviceGroup, geometry, isVirtioMemHost, mib, pluggedPages, type Req } from './virtio-mem-state.js';
import { sbmCleanup, sbmPlug, sbmUnplug } from './virtio-mem-sbm.js';
import { bbmPlug, bbmUnplug } from './virtio-mem-bbm.js';

export function* virtioMem(h: HotplugHost, device: string, action: 'plug' | 'unplug', pages: number, cpu = 0): Generator<string, OpResult, void> {
  const dev = h.spec.virtioMem.find((d) => d.name === device);
  if (!dev) return fail('EINVAL', `no virtio-mem device '${device}'`, []);
  if (!isVirtioMemHost(h)) return fail('EINVAL', 'virtio-mem needs alloc_contig_range from the host (VirtioMemHost)', []);
  const g = geometry(h.spec, h.policies.isolation_granularity, dev);
  const grp = deviceGroup(h, dev, g);
  const region = dev.end - dev.start;
  const oldReq = grp.vmemRequested ?? 0;
  const newReq = oldReq + (action === 'plug' ? pages : -pages);
  const unit = g.mode === 'sbm' ? g.sbPages : g.bbPages;
  const unitName = g.mode === 'sbm' ? `${mib(g.sbPages)} subblock` : `${mib(g.bbPages)} big block`;
  // the device (QEMU) refuses sizes outside [0, region size] and not in device blocks
  if (newReq < 0) return fail('EINVAL', `requested size would be negative (requested ${mib(oldReq)}, unplug ${mib(pages)})`, []);
  if (newReq > region) return fail('EINVAL', `requested size ${mib(newReq)} exceeds the device region (${mib(region)})`, []);
  if (pages % dev.blockPages) return fail('EINVAL', `${pages} pages is not a multiple of the device block size (${dev.blockPages} pages)`, []);
  grp.vmemRequested = newReq;
  yield 'run'; // the config change is seen; the work function runs

  const events: SimEvent[] = [];
  const r: Req = {
    dev, g, grp, cpu, emit: (e) => h.event(e), migrations: [], left: 0, failPfn: null, failReason: null, fakeOfflineBb: new Set(),
  };
  const before = pluggedPages(h, dev, g);
  h.event({
    type: 'note',
    text: `virtio-mem ${dev.name}: ${g.mode.toUpperCase()}, ${g.mode === 'sbm' ? `sb_size ${mib(g.sbPages)} (${g.sbsPerMb} per ${mib(g.mbPages)} memory block)` : `bb_size ${mib(g.bbPages)}`}; requested_size ${mib(oldReq)} → ${mib(newReq)}, plugged_size ${mib(before)}`,
  });

  // virtio_mem_run_wq(): cleanup of leftovers (fully unplugged blocks whose removal failed before)
  if (g.mode === 'sbm') yield* sbmCleanup(h, r);

  let rc: Errno | null = null;
  if (newReq !== before) {
    const diff = Math.abs(newReq - before);
    r.left = Math.floor(diff / unit);
    const dir = newReq > before ? 'plug' : 'unplug';
    if (r.left) {
      if (dir === 'plug') rc = g.mode === 'sbm' ? yield* sbmPlug(h, r) : yield* bbmPlug(h, r);
      else rc = g.mode === 'sbm' ? yield* sbmUnplug(h, r) : yield* bbmUnplug(h, r);
    }
  }
  const after = pluggedPages(h, dev, g);
  const want = Math.abs(newReq - before);
  const did = Math.abs(after - before);
  const verb = newReq >= before ? 'plugged' : 'unplugged';
  const amounts = `${verb} ${mib(did)} of ${mib(want)}; plugged_size ${mib(after)}, requested_size ${mib(newReq)}`;
  h.event({ type: 'note', text: `virtio-mem ${dev.name}: ${amounts}` });
  if (after === newReq) return ok(events, r.migrations);
  if (rc) {
    const why = rc === 'EBUSY' ? (r.failReason ? `busy: ${r.failReason}` : 'busy') : rc === 'ENOSPC' ? 'no space: device range exhausted or offline_threshold reached' : `-${rc}`;
    return fail(rc, `${amounts}; ${why}`, events, r.failPfn, r.migrations);
  }
  // the driver returned 0 with a remainder smaller than one subblock / big block
  return fail('EINVAL', `${amounts}; ${mib(Math.abs(newReq - after))} is less than one ${unitName}: the driver rounds down (nothing to do, returns 0)`, events, null, r.migrations);
}
