// Zone selection for onlining (mm/memory_hotplug.c: zone_for_pfn_range and friends) and the sysfs
// valid_zones text (drivers/base/memory.c: valid_zones_show). Pure functions over zone spans.
import type { ZoneName } from '../scenario.js';
import { type HpZone, type MemoryBlock, type MemoryGroup, type OnlineType, type PfnView, zoneEnd, zoneIsEmpty } from './types.js';

export interface ZoneSelectCtx {
  /** every zone of every node (empty zones included or omitted: an absent zone reads as empty) */
  zones: readonly HpZone[];
  groups: readonly MemoryGroup[];
  /** movable_node (kernel command line) */
  movableNode: boolean;
  /** memory_hotplug.online_policy */
  policy: 'contig-zones' | 'auto-movable';
  /** memory_hotplug.auto_movable_ratio */
  ratio: number;
  /** memory_hotplug.auto_movable_numa_aware (default Y) */
  numaAware: boolean;
  pfn: PfnView;
  sectionPages: number;
}

const EMPTY = (nid: number, zone: ZoneName): HpZone =>
  ({ nid, name: zone, start: 0, end: 0, present: 0, presentEarly: 0, managed: 0, cmaPages: 0, contiguous: false });

export function zoneOf(zones: readonly HpZone[], nid: number, zone: ZoneName): HpZone {
  return zones.find((z) => z.nid === nid && z.name === zone) ?? EMPTY(nid, zone);
}

/** zone_intersects(): spans, not presence; an empty zone intersects nothing. */
export function zoneIntersects(z: HpZone, start: number, nr: number): boolean {
  if (zoneIsEmpty(z)) return false;
  return !(start >= zoneEnd(z) || start + nr <= z.start);
}

/** default_kernel_zone_for_pfn(): the first of DMA, DMA32 the range intersects, else ZONE_NORMAL. */
export function defaultKernelZone(zones: readonly HpZone[], nid: number, start: number, nr: number): ZoneName {
  for (const name of ['DMA', 'DMA32'] as const) {
    if (zoneIntersects(zoneOf(zones, nid, name), start, nr)) return name;
  }
  return 'Normal';
}

/** default_zone_for_pfn(): the contig-zones policy. */
export function defaultZone(ctx: ZoneSelectCtx, nid: number, start: number, nr: number): ZoneName {
  const k = defaultKernelZone(ctx.zones, nid, start, nr);
  const inKernel = zoneIntersects(zoneOf(ctx.zones, nid, k), start, nr);
  const inMovable = zoneIntersects(zoneOf(ctx.zones, nid, 'Movable'), start, nr);
  // inherit the zone when exactly one of them spans the range
  if (inKernel !== inMovable) return inKernel ? k : 'Movable';
  // neither, or both overlap: kernel zone unless movable_node
  return ctx.movableNode ? 'Movable' : k;
}

const populated = (z: HpZone) => z.present > 0; // populated_zone()

/** auto_movable_can_online_movable(): would nr more MOVABLE pages keep MOVABLE:KERNEL_EARLY ≤ ratio? */
export function autoMovableCanOnlineMovable(ctx: ZoneSelectCtx, nid: number | null, group: MemoryGroup | null, nr: number): boolean {
  let kernelEarly = 0;
  let movable = 0;
  // auto_movable_stats_account_zone()
  for (const z of ctx.zones) {
    if (!populated(z) || (nid !== null && z.nid !== nid)) continue;
    if (z.name === 'Movable') movable += z.present;
    else {
      kernelEarly += z.presentEarly;
      movable += z.cmaPages; // CMA behaves like ZONE_MOVABLE
      kernelEarly -= z.cmaPages;
    }
  }
  // walk_dynamic_memory_groups(): other dynamic groups' MOVABLE needs kernel_early of their own
  let req = 0;
  let groupMovable = 0;
  for (const g of ctx.groups) {
    if (!g.dynamic || g === group || (group !== null && g.id === group.id)) continue;
    if (nid !== null && g.nid !== nid) continue;
    if (ctx.ratio === 0) continue;
    const pages = Math.floor((g.presentMovable * 100) / ctx.ratio) - g.presentKernel;
    if (pages > 0) req += pages;
    groupMovable += g.presentMovable;
  }
  if (kernelEarly <= req) return false;
  kernelEarly -= req;
  movable -= groupMovable;
  if (group?.dynamic) kernelEarly += group.presentKernel;
  movable += nr;
  return movable <= Math.floor((ctx.ratio * kernelEarly) / 100);
}

/** auto_movable_zone_for_pfn(): the auto-movable policy. */
export function autoMovableZone(ctx: ZoneSelectCtx, nid: number, group: MemoryGroup | null, start: number, nr: number): ZoneName {
  const kernel = () => defaultKernelZone(ctx.zones, nid, start, nr);
  if (!ctx.ratio) return kernel();
  let maxPages: number;
  let online = 0;
  if (group && !group.dynamic) {
    // static group (DIMM): if any part is KERNEL, online the rest KERNEL; plan for the whole group
    maxPages = group.pages;
    online = group.presentMovable;
    if (group.presentKernel) return kernel();
  } else if (!group || group.pages === nr) {
    maxPages = nr;
  } else {
    // dynamic group: look at the online sections of this unit
    maxPages = group.pages;
    const first = Math.floor(start / group.pages) * group.pages;
    for (let pfn = first; pfn < first + group.pages; pfn += ctx.sectionPages) {
      const p = ctx.pfn.online(pfn);
      if (!p) continue;
      if (p.zone !== 'Movable') return kernel();
      online += ctx.sectionPages;
    }
  }
  const need = maxPages - online;
  if (!autoMovableCanOnlineMovable(ctx, null, group, need)) return kernel();
  if (ctx.numaAware && !autoMovableCanOnlineMovable(ctx, nid, group, need)) return kernel();
  return 'Movable';
}

/** zone_for_pfn_range(). */
export function zoneForPfnRange(
  ctx: ZoneSelectCtx, type: OnlineType, nid: number, group: MemoryGroup | null, start: number, nr: number,
): ZoneName {
  if (type === 'online_kernel') return defaultKernelZone(ctx.zones, nid, start, nr);
  if (type === 'online_movable') return 'Movable';
  if (ctx.policy === 'auto-movable') return autoMovableZone(ctx, nid, group, start, nr);
  return defaultZone(ctx, nid, start, nr);
}

/**
 * valid_zones_show(): an online block shows its zone ("none" if it spans zones); an offline block shows
 * the zone "online" would pick, then the other allowed zones (kernel, movable) that differ from it.
 */
export function validZones(ctx: ZoneSelectCtx, b: MemoryBlock): string[] {
  if (b.state === 'online') return [b.zone ?? 'none'];
  const group = b.group === null ? null : ctx.groups.find((g) => g.id === b.group) ?? null;
  const def = zoneForPfnRange(ctx, 'online', b.nid, group, b.start, b.pages);
  const out: string[] = [def];
  for (const t of ['online_kernel', 'online_movable'] as const) {
    const z = zoneForPfnRange(ctx, t, b.nid, group, b.start, b.pages);
    if (z !== def) out.push(z); // print_allowed_zone()
  }
  return out;
}
