// virtio-mem (drivers/virtio/virtio_mem.c, reference §11): not modelled yet. The operation fails with
// -EINVAL and says so, rather than giving an answer the kernel would not give.
import type { OpResult } from '../api.js';
import type { HotplugHost } from './host.js';
import { fail } from './result.js';

export function* virtioMem(h: HotplugHost, device: string, action: 'plug' | 'unplug', pages: number): Generator<string, OpResult, void> {
  yield 'run';
  const dev = h.spec.virtioMem.find((d) => d.name === device);
  if (!dev) return fail('EINVAL', `no virtio-mem device '${device}'`, []);
  return fail('EINVAL', `virtio-mem ${action} of ${pages} pages: not modelled yet (SBM/BBM plug and unplug are future work)`, []);
}
