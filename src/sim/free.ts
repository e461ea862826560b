// Freeing allocated pages: __free_pages / folio_put → free_frozen_pages (free_unref_page), split into the
// `lookup` phase (free_pages_prepare + get_pfnblock_migratetype) and the `enqueue` phase (pcp or buddy).
import type { Core, Extent } from './core.js';
import { freeEnqueue, freeLookup, pcpAllowedOrder } from './pcp.js';
import { freeBlock, FPI_NONE } from './buddy.js';
import { hex } from '../shared/format.js';
import { MOD_PINNED_ANY } from './core.js';

export interface FreeUnit {
  pfn: number;
  order: number;
  /** the migratetype read at lookup (only meaningful for pcp-allowed orders) */
  mt: number;
}

/** units (folios, pages) of allocated memory overlapping [pfn, pfn+pages); error text when something there is not freeable */
/** struct pages of hotplugged memory allocated by vmemmap_populate (hotplug/vmemmap.ts names the owner so) */
export function isMemmapPage(e: Extent): boolean {
  return e.kind === 'kernel' && e.owner !== null && e.owner.startsWith('memmap of ');
}

/**
 * units (folios, pages) of allocated memory overlapping [pfn, pfn+pages); error text when something there is not
 * freeable. `asOwner`: the subsystem that allocated them frees them (vmemmap_free), not a scenario's free.
 */
export function collectUnits(c: Core, pfn: number, pages: number, forcedOrder: number | null, asOwner = false): { units: FreeUnit[]; err: string | null; errPfn: number | null } {
  const units: FreeUnit[] = [];
  if (forcedOrder !== null) {
    const n = 1 << forcedOrder;
    if (pfn % n) return { units, err: `pfn ${hex(pfn)} is not aligned to order ${forcedOrder}`, errPfn: pfn };
    for (let p = pfn; p < pfn + n;) {
      const e = c.extentContaining(p);
      const bad = e ? unfreeable(e, asOwner) : notAllocated(c, p);
      if (bad) return { units, err: bad, errPfn: p };
      p = e!.pfn + e!.n;
    }
    units.push({ pfn, order: forcedOrder, mt: -1 });
    return { units, err: null, errPfn: null };
  }
  const end = pfn + Math.max(1, pages);
  for (let p = pfn; p < end;) {
    const e = c.extentContaining(p);
    if (!e) return { units, err: notAllocated(c, p), errPfn: p };
    const bad = unfreeable(e, asOwner);
    if (bad) return { units, err: bad, errPfn: p };
    const us = 1 << e.order;
    let u = e.pfn + Math.floor((p - e.pfn) / us) * us;
    const stop = Math.min(end, e.pfn + e.n);
    for (; u < stop; u += us) units.push({ pfn: u, order: e.folio ? e.order : 0, mt: -1 });
    p = u;
  }
  return { units, err: null, errPfn: null };
}

/** why a scenario's free (or the owner's, `asOwner`) may not put this extent's pages, or null */
export function unfreeable(e: Extent, asOwner: boolean): string | null {
  if (e.freeing >= 0) return `page ${hex(e.pfn)} is already being freed`;
  if (!asOwner && isMemmapPage(e)) return `page ${hex(e.pfn)} holds the ${e.owner} (vmemmap_populate), not a page a scenario allocated`;
  if (e.kind === 'reserved') return `page ${hex(e.pfn)} is PageReserved (memblock), not an allocated page`;
  // PageOffline pages belong to their driver (virtio-mem fake-offline, offlined memory): not managed, no put
  if (e.kind === 'offline') return `page ${hex(e.pfn)} is PageOffline (owned by ${e.owner ?? 'its driver'}), not an allocated page`;
  if ((e.kind as string) === 'vmemmap') return `page ${hex(e.pfn)} holds the memmap (memmap_on_memory), not an allocated page`;
  if (e.kind === 'hugetlb') return `page ${hex(e.pfn)} is a hugetlb folio: resize the pool instead`;
  if (e.mods & MOD_PINNED_ANY) return `page ${hex(e.pfn)} is pinned: unpin it first`;
  return null;
}
function notAllocated(c: Core, p: number): string {
  if (!c.online(p)) return `pfn ${hex(p)} is not online memory`;
  // a page a label allocated can also have been freed by the kernel since: shrink_slab drops reclaimable slab,
  // reclaim swaps out anon and drops page cache
  const since = 'a double free, or the kernel freed it since (shrink_slab drops reclaimable slab; reclaim swaps out anon and drops page cache)';
  if (c.freeContaining(p)) return `page ${hex(p)} is free (in buddy): ${since}`;
  const pc = c.pcpContaining(p);
  if (pc) return `page ${hex(p)} is free (on cpu ${pc.e.cpu}'s pcp list): ${since}`;
  return `page ${hex(p)} is not allocated`;
}

/**
 * lookup: the refcount drops to zero (the extent is marked as being freed by `cpu`) and, for pcp-allowed orders,
 * the pageblock's migratetype is read (free_frozen_pages). The pages stay out of buddy until enqueue.
 */
export function freeLookupUnits(c: Core, units: FreeUnit[], cpu: number): void {
  for (let i = 0; i < units.length;) {
    // consecutive units of one run (free_contig_range's pages, a label's order-0 pages): one extent marked for
    // all of them instead of one carved extent per page; the pages are in the same state either way
    const u = units[i]!;
    const e = c.extentContaining(u.pfn);
    let j = i + 1;
    let stop = u.pfn + (1 << u.order);
    if (e && stop <= e.pfn + e.n && e.freeing < 0) {
      while (j < units.length && units[j]!.pfn === stop && units[j]!.order === u.order && stop + (1 << u.order) <= e.pfn + e.n) { stop += 1 << u.order; j++; }
    }
    if (j > i + 1) {
      const part = u.pfn === e!.pfn && stop === e!.pfn + e!.n ? e! : carveAligned(c, e!, u.pfn, stop - u.pfn);
      part.freeing = cpu;
      for (let k = i; k < j; k++) units[k]!.mt = pcpAllowedOrder(c, units[k]!.order) ? freeLookup(c, units[k]!.pfn) : -1;
      i = j;
      continue;
    }
    i++;
    const n = 1 << u.order;
    // carve the unit out and mark it
    let p = u.pfn;
    while (p < u.pfn + n) {
      const e = c.extentContaining(p)!;
      const s = Math.max(e.pfn, u.pfn);
      const len = Math.min(e.pfn + e.n, u.pfn + n) - s;
      const part = len === e.n ? e : carveAligned(c, e, s, len);
      part.freeing = cpu;
      p = s + len;
    }
    u.mt = pcpAllowedOrder(c, u.order) ? freeLookup(c, u.pfn) : -1;
  }
}

function carveAligned(c: Core, e: Extent, s: number, len: number): Extent {
  // a forced-order free may cut a run of units; runs are of order-0 pages or whole folios here
  return c.carve(e, s, len);
}

/** enqueue: drop the extents and put each unit on the pcp list or into buddy */
export function freeEnqueueUnits(c: Core, units: FreeUnit[], cpu: number): void {
  // the extent removed last, when it covered more than its unit (a run marked at lookup): the next units in it
  // have nothing left to remove (no per-page lookups of extents that are gone)
  let covS = -1, covE = -1;
  for (const u of units) {
    const n = 1 << u.order;
    if (u.pfn < covS || u.pfn + n > covE) {
      for (const e of c.extentsIn(u.pfn, u.pfn + n)) {
        c.removeExtent(e);
        if (e.pfn <= u.pfn && e.pfn + e.n >= u.pfn + n) { covS = e.pfn; covE = e.pfn + e.n; }
      }
    }
    c.migLog.delete(u.pfn);
    c.dropMoved(u.pfn);
    const z = c.zoneOf(u.pfn)!;
    if (u.order > c.maxOrder && c.pol.gigantic_free === 'folio') {
      // 6.12: folio_put of a __GFP_COMP gigantic folio → __free_pages_ok → split_large_buddy(): straight into the
      // buddy in pageblock-sized chunks (freeBlock splits them), never the pcp
      for (let p = u.pfn; p < u.pfn + n; p += 1 << c.maxOrder) freeBlock(c, c.zoneOf(p)!, p, c.maxOrder, FPI_NONE);
    } else if (u.order > c.maxOrder) {
      // free_contig_range(): page by page
      for (let p = u.pfn; p < u.pfn + n; p++) freeEnqueue(c, c.zoneOf(p)!, cpu, p, 0, freeLookup(c, p));
    } else if (u.mt < 0) {
      freeBlock(c, z, u.pfn, u.order, FPI_NONE);
    } else {
      freeEnqueue(c, z, cpu, u.pfn, u.order, u.mt);
    }
  }
}

/** free now (lookup and enqueue back to back), e.g. a migration source or a dissolved hugetlb folio */
export function freeNow(c: Core, pfn: number, pages: number, cpu: number): void {
  const { units } = collectUnitsAny(c, pfn, pages);
  freeLookupUnits(c, units, cpu);
  freeEnqueueUnits(c, units, cpu);
}

/** like collectUnits but accepts any kind (internal frees of hugetlb, pinned-less sources) */
function collectUnitsAny(c: Core, pfn: number, pages: number): { units: FreeUnit[] } {
  const units: FreeUnit[] = [];
  for (const e of c.extentsIn(pfn, pfn + pages)) {
    const us = 1 << e.order;
    const s = Math.max(e.pfn, pfn), t = Math.min(e.pfn + e.n, pfn + pages);
    for (let u = e.pfn + Math.floor((s - e.pfn) / us) * us; u < t; u += us) units.push({ pfn: u, order: e.folio ? e.order : 0, mt: -1 });
  }
  return { units };
}
