// ACPI ejection of a memory device (drivers/acpi/scan.c: acpi_scan_hot_remove → acpi_scan_try_to_offline →
// acpi_bus_offline in two passes, acpi_bus_online on failure; then acpi_memory_device_remove →
// __remove_memory, drivers/acpi/acpi_memhotplug.c): what `echo 1 > /sys/bus/acpi/devices/PNP0C80:XX/eject`
// or a `device_del` of a pc-dimm does.
import type { Migration, OpResult, SimEvent } from '../api.js';
import type { HotplugHost } from './host.js';
import type { MemoryBlock } from './types.js';
import { memoryBlockOffline } from './offline.js';
import { memoryBlockOnline } from './online.js';
import { removeMemory } from './memory.js';
import { fail, ok } from './result.js';
import { hex } from '../../shared/format.js';

export function* ejectMemory(h: HotplugHost, start: number, end: number): Generator<string, OpResult, void> {
  const events: SimEvent[] = [];
  const migrations: Migration[] = [];
  const bp = h.spec.memoryBlockPages;
  if (end <= start || start % bp || end % bp) return fail('EINVAL', `eject range ${hex(start)}..${hex(end)} is not made of whole memory blocks`, events, start);
  const blocks: MemoryBlock[] = [];
  for (let s = start; s < end; s += bp) {
    const b = h.hp.blocks.get(h.hp.blockOf(s));
    if (b) blocks.push(b);
  }
  if (!blocks.length) return fail('ENOENT', `no memory device (no memory block) at ${hex(start)}..${hex(end)}`, events, start);
  const note = (text: string): void => { events.push({ type: 'note', text }); };
  // pn->put_online: blocks this ejection offlined, with the type to bring them back
  const offlined: { b: MemoryBlock; type: 'online_kernel' | 'online_movable' }[] = [];
  const offline = function* (b: MemoryBlock): Generator<string, OpResult, void> {
    const type = b.zone === 'Movable' ? 'online_movable' as const : 'online_kernel' as const;
    const r = yield* memoryBlockOffline(h, b);
    events.push(...r.events);
    migrations.push(...r.migrations);
    if (r.ok) offlined.push({ b, type });
    return r;
  };
  const rollback = (): void => {
    // acpi_bus_online(): device_online() of every block the ejection offlined
    for (const o of offlined) {
      const r = memoryBlockOnline(h, o.b, o.type);
      events.push(...r.events);
      note(r.ok ? `memory${o.b.id} onlined again (${o.type})` : `memory${o.b.id} could not be onlined again: -${r.errno} ${r.reason ?? ''}`);
    }
  };
  // first pass: offline every block, note failures, go on
  const failed: { b: MemoryBlock; r: OpResult }[] = [];
  for (const b of blocks) {
    if (b.state !== 'online') continue; // device_offline() of an offline device returns 1: nothing to do
    const r = yield* offline(b);
    if (r.ok) continue;
    if (r.errno === 'EINTR') {
      // offline_pages() ends its migration loop only on a fatal signal; the kacpi_hotplug worker never gets one
      rollback();
      return { ok: false, errno: null, pfn: r.pfn, reason: `memory${b.id} would not go offline: the kacpi_hotplug worker has no signal to end offline_pages()'s retry loop, so the kernel keeps retrying (the simulator stopped after ${h.policies.offline_signal_after} passes: ${r.reason ?? ''}) and rolled back`, allocated: [], migrations, events };
    }
    failed.push({ b, r });
    note(`acpi_bus_offline (first pass): memory${b.id}: -${r.errno} ${r.reason ?? ''}`);
  }
  if (failed.length) {
    // second pass: the blocks still online, stopping at the first failure
    for (const { b } of failed) {
      const r = yield* offline(b);
      if (!r.ok) {
        rollback();
        return fail('EBUSY', `acpi_scan_try_to_offline: memory${b.id} did not go offline (${r.errno ? `-${r.errno} ` : ''}${r.reason ?? ''}); every block was onlined again`, events, r.pfn ?? b.start, migrations);
      }
    }
  }
  yield 'remove';
  // acpi_memory_device_remove() → __remove_memory()
  const r = removeMemory(h, start, end);
  events.push(...r.events);
  if (!r.ok) {
    rollback();
    return fail(r.errno ?? 'EBUSY', r.reason ?? 'remove_memory failed', events, r.pfn, migrations);
  }
  return ok(events, migrations);
}
