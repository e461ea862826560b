// OpResult helpers for the hotplug operations: the shared opOk / opErr (api.ts) with the events they collected.
import { opErr, opOk, type Migration, type OpResult, type SimEvent } from '../api.js';
import type { Errno } from '../scenario.js';

export function ok(events: SimEvent[], migrations: Migration[] = []): OpResult {
  return { ...opOk({ migrations }), events };
}

export function fail(errno: Errno, reason: string, events: SimEvent[], pfn: number | null = null, migrations: Migration[] = []): OpResult {
  return { ...opErr(errno, reason, pfn, { migrations }), events };
}
