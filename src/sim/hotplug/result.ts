// OpResult helpers for the hotplug operations.
import type { Migration, OpResult, SimEvent } from '../api.js';
import type { Errno } from '../scenario.js';

export function ok(events: SimEvent[], migrations: Migration[] = []): OpResult {
  return { ok: true, errno: null, pfn: null, reason: null, allocated: [], migrations, events };
}

export function fail(errno: Errno, reason: string, events: SimEvent[], pfn: number | null = null, migrations: Migration[] = []): OpResult {
  return { ok: false, errno, pfn, reason, allocated: [], migrations, events };
}

