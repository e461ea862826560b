// movable_kernel_fallback=harvest: Vitaly Kuznetsov's idea in the seed 001 thread (ZONE_NORMAL vs.
// ZONE_MOVABLE, March 2017), never merged: "when we're out of memory for kernel allocations in NORMAL
// we 'harvest' the first MOVABLE block and 'convert' it to NORMAL". Modelled with the mainline pieces:
// offline the lowest online MOVABLE block (memory_block_offline: isolation, migration, the usual
// failure modes) and online it again with online_kernel (memory_block_online → default kernel zone).
// Michal Hocko's objections show up as results: the sync migration can fail (pinned pages → -EINTR /
// -EBUSY), the block is no longer hot-removable afterwards, and nothing converts it back.
//
// The allocator (core) calls harvestMovableBlock() when an allocation that may not use ZONE_MOVABLE
// (gfp without __GFP_MOVABLE) fails in every kernel zone of the zonelist, before returning -ENOMEM,
// and retries the allocation once if it returns ok.
import type { OpResult, SimEvent } from '../api.js';
import type { HotplugHost } from './host.js';
import type { MemoryBlock } from './types.js';
import { memoryBlockOffline } from './offline.js';
import { memoryBlockOnline } from './online.js';
import { fail, ok } from './result.js';
import { pushAll } from '../arrays.js';

/** The block harvest would take: the lowest-addressed online hot-added ZONE_MOVABLE block (optionally on `nid`). */
export function harvestCandidate(h: HotplugHost, nid: number | null = null): MemoryBlock | null {
  let best: MemoryBlock | null = null;
  for (const b of h.hp.blocks.values()) {
    if (b.state !== 'online' || b.zone !== 'Movable' || !b.hotplugged) continue;
    if (nid !== null && b.nid !== nid) continue;
    if (!best || b.start < best.start) best = b;
  }
  return best;
}

/**
 * Convert one MOVABLE block to the kernel zone. Returns null when policy is off or there is no MOVABLE
 * block; otherwise the outcome (ok: retry the allocation; an error: the allocation fails with -ENOMEM).
 */
export function harvestMovableBlock(h: HotplugHost, nid: number | null = null): OpResult | null {
  if (h.policies.movable_kernel_fallback !== 'harvest') return null;
  const b = harvestCandidate(h, nid);
  if (!b) return null;
  const events: SimEvent[] = [{ type: 'note', text: `harvest: converting memory${b.id} from Movable to a kernel zone` }];
  const g = memoryBlockOffline(h, b);
  let r: IteratorResult<string, OpResult>;
  do r = g.next();
  while (!r.done);
  const offRes = r.value;
  pushAll(events, offRes.events);
  if (!offRes.ok) {
    return fail(offRes.errno ?? 'EBUSY', `harvest of memory${b.id} failed: ${offRes.reason ?? ''}`, events, offRes.pfn, offRes.migrations);
  }
  const onRes = memoryBlockOnline(h, b, 'online_kernel');
  pushAll(events, onRes.events);
  if (!onRes.ok) return fail(onRes.errno ?? 'EINVAL', `harvest: onlining memory${b.id} kernel failed: ${onRes.reason ?? ''}`, events, onRes.pfn, offRes.migrations);
  events.push({ type: 'note', text: `harvest: memory${b.id} is now ${b.zone}` });
  return ok(events, offRes.migrations);
}
