// Entry point for the core's Machine.run(): the hotplug operations as phase generators.
// online/add_memory/remove_memory have one phase, `run`; offline yields pcp_disable, isolate, migrate,
// dissolve, test, offline (docs/language.md).
import type { OpResult } from '../api.js';
import type { Operation } from '../scenario.js';
import type { HotplugHost } from './host.js';
import { memoryBlockOnline } from './online.js';
import { memoryBlockOffline } from './offline.js';
import { addMemory, removeMemory } from './memory.js';
import { virtioMem } from './virtio-mem.js';
import { ejectMemory } from './eject.js';
import { fail } from './result.js';

export type HotplugOp = Extract<Operation, { op: 'online' | 'offline' | 'add_memory' | 'remove_memory' | 'eject' | 'virtio_mem' }>;

export function isHotplugOp(op: Operation): op is HotplugOp {
  return op.op === 'online' || op.op === 'offline' || op.op === 'add_memory' || op.op === 'remove_memory' || op.op === 'eject' || op.op === 'virtio_mem';
}

export function* runHotplug(h: HotplugHost, op: HotplugOp): Generator<string, OpResult, void> {
  switch (op.op) {
    case 'online': {
      const b = h.hp.blocks.get(op.block);
      // no memoryN device: the write fails to open (-ENOENT)
      if (!b) return fail('ENOENT', `no memory block ${op.block} (/sys/devices/system/memory/memory${op.block})`, []);
      yield 'run';
      return memoryBlockOnline(h, b, op.type);
    }
    case 'offline': {
      const b = h.hp.blocks.get(op.block);
      if (!b) return fail('ENOENT', `no memory block ${op.block} (/sys/devices/system/memory/memory${op.block})`, []);
      return yield* memoryBlockOffline(h, b);
    }
    case 'add_memory':
      yield 'run';
      return addMemory(h, op.start, op.end, op.nid);
    case 'remove_memory':
      yield 'run';
      return removeMemory(h, op.start, op.end);
    case 'eject':
      return yield* ejectMemory(h, op.start, op.end);
    case 'virtio_mem':
      return yield* virtioMem(h, op.device, op.action, op.pages);
  }
}

export { HotplugState } from './state.js';
export type { HotplugHost } from './host.js';
export { validZones, zoneForPfnRange } from './zones.js';
export { selectCtx } from './online.js';
