// add_memory / remove_memory (mm/memory_hotplug.c: check_hotplug_memory_range, add_memory_resource,
// try_remove_memory; drivers/base/memory.c: create/remove_memory_block_devices).
import type { OpResult, SimEvent } from '../api.js';
import type { HotplugHost } from './host.js';
import { fail, ok } from './result.js';
import { vmemmapPagesForAdd } from './memmap.js';
import { depopulateMemmap, populateMemmap } from './vmemmap.js';
import { memoryBlockOnline } from './online.js';
import { hex, PAGE_SIZE } from '../../shared/format.js';

/** check_hotplug_memory_range(): start and size must be memory-block aligned, size > 0. */
function checkRange(h: HotplugHost, start: number, end: number, events: SimEvent[]): OpResult | null {
  const bp = h.spec.memoryBlockPages;
  if (end <= start || start % bp || (end - start) % bp) {
    return fail('EINVAL', `Block size [${hex(bp * PAGE_SIZE)}] unaligned hotplug range: start ${hex(start * PAGE_SIZE)}, size ${hex((end - start) * PAGE_SIZE)}`, events, start);
  }
  return null;
}

/** add_memory(nid, start, size): sections present, memory blocks offline (memhp_default_state=offline). */
export function addMemory(h: HotplugHost, start: number, end: number, nid: number): OpResult {
  const events: SimEvent[] = [];
  const bad = checkRange(h, start, end, events);
  if (bad) return bad;
  for (let s = start; s < end; s += h.spec.memoryBlockPages) {
    // register_memory_resource(): the range conflicts with existing System RAM → -EEXIST
    if (h.hp.blocks.has(h.hp.blockOf(s))) return fail('EEXIST' as never, `memory${h.hp.blockOf(s)} already exists (register_memory_resource: -EEXIST)`, events, s);
  }
  // arch_add_memory() → sparse_add_section(): the memmap, from the block's altmap with memmap_on_memory,
  // else from the page allocator (-ENOMEM when it has none: nothing is added)
  const mm = populateMemmap(h, start, end, nid, vmemmapPagesForAdd(h.spec, h.policies, end - start) > 0);
  if (!mm.ok) return fail('ENOMEM', `vmemmap_populate: no memory for the memmap of ${hex(start)}..${hex(end)} (order-9 and order-0 allocations failed)`, events, start);
  if (mm.pages) events.push({ type: 'note', text: `memmap of ${hex(start)}..${hex(end)}: ${mm.pages} pages allocated from the buddy allocator (${mm.pmds.map(([, m]) => m.pfns.length === 1 ? `order ${m.order} at ${hex(m.pfns[0]!)}` : `${m.pfns.length} order-0 pages`).join(', ')})` });
  h.hp.addRange(start, end, nid);
  for (let s = start; s < end; s += h.spec.memoryBlockPages) {
    const b = h.hp.blocks.get(h.hp.blockOf(s))!;
    // with MHP_MEMMAP_ON_MEMORY the altmap holds this block's memmap from now on
    if (b.vmemmap) h.initVmemmap(b.start, b.vmemmap, nid, null);
    events.push({ type: 'note', text: `memory${b.id} added, offline${b.vmemmap ? `, ${b.vmemmap} vmemmap pages at ${hex(b.start)}` : ''}` });
  }
  autoOnline(h, start, end, events);
  return ok(events);
}

/**
 * add_memory_resource(): `if (mhp_get_default_online_type() != MMOP_OFFLINE) walk_memory_blocks(start, size, NULL,
 * online_memory_block)` — each block onlined with memhp_default_state; a failure leaves it offline (ignored).
 */
export function autoOnline(h: HotplugHost, start: number, end: number, events: SimEvent[]): void {
  const type = h.policies.memhp_default_state;
  if (type === 'offline') return;
  for (let s = start; s < end; s += h.spec.memoryBlockPages) {
    const b = h.hp.blocks.get(h.hp.blockOf(s));
    if (!b || b.state !== 'offline') continue;
    const r = memoryBlockOnline(h, b, type);
    events.push(...r.events);
    events.push({ type: 'note', text: r.ok ? `memory${b.id} auto-onlined (${type}) to ${b.zone}` : `memory${b.id}: auto-online (${type}) failed: -${r.errno} ${r.reason ?? ''} (stays offline)` });
  }
}

/** remove_memory(): every block must be offline (check_memblock_offlined_cb → -EBUSY). */
export function removeMemory(h: HotplugHost, start: number, end: number): OpResult {
  const events: SimEvent[] = [];
  const bad = checkRange(h, start, end, events);
  if (bad) return bad;
  for (let s = start; s < end; s += h.spec.memoryBlockPages) {
    const b = h.hp.blocks.get(h.hp.blockOf(s));
    if (!b) continue; // walk_memory_blocks skips holes in the range
    if (b.state !== 'offline') return fail('EBUSY', `memory${b.id} is still online`, events, b.start);
    if (!b.hotplugged) return fail('EBUSY', `memory${b.id} is boot memory`, events, b.start);
  }
  for (let s = start; s < end; s += h.spec.memoryBlockPages) {
    const b = h.hp.blocks.get(h.hp.blockOf(s));
    if (b) h.poisonRange(b.start, b.pages);
  }
  h.hp.removeRange(start, end);
  // only hot-added blocks get here, whose sections section_activate() gave a kzalloc'd usage: it is freed (an early
  // section's boot usage would be kept, but boot memory is not removable here)
  h.freeSectionUsage(start, end - start);
  // arch_remove_memory() → section_deactivate(): the memmap pages go back to the allocator
  const freed = depopulateMemmap(h, start, end);
  events.push({ type: 'note', text: `removed ${hex(start)}..${hex(end)}${freed ? `; ${freed} memmap pages freed` : ''}` });
  return ok(events);
}
