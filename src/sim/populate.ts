// Population: putting pages into a state directly (like isolate_freepages/take_page_off_buddy taking them out of
// buddy at exactly those pfns), seeded random fills, slab grow/shrink, pin/unpin.
import type { Core, Extent, FreeBlock, Kind } from './core.js';
import { MOD_BIT } from './core.js';
import type { FillClass, PageModifier } from './scenario.js';
import { CMA, HIGHATOMIC, ISOLATE, MIGRATE_PCPTYPES, MOVABLE, MIGRATE_TYPES, UNMOVABLE } from './consts.js';
import { moveFreepagesBlock } from './pageblock.js';
import { takeFree, takeFreeUnitsUnchecked } from './buddy.js';
import { pcpAdd } from './pcp.js';
import type { Zone } from './zone.js';
import { hex } from '../shared/format.js';
import { reserveKeys } from './nummap.js';
import { pow2 } from './pfn.js';

export function modsMask(mods: PageModifier[]): number {
  let m = 0;
  for (const x of mods) m |= MOD_BIT[x];
  return m;
}

/** why a pfn cannot be populated: it is not free */
export function whyNotFree(c: Core, p: number): string {
  if (!c.online(p)) return `pfn ${hex(p)} is not online memory`;
  const pc = c.pcpContaining(p);
  if (pc) return `page ${hex(p)} is on cpu ${pc.e.cpu}'s pcp list, not free in buddy`;
  const e = c.extentContaining(p);
  if (e) return `page ${hex(p)} is not free (${e.kind === 'hugetlb' ? 'hugetlb folio' : 'allocated: ' + e.kind})`;
  return `page ${hex(p)} is not free`;
}

/** `page`/`pages START..END KIND`: take the pages out of buddy; returns an error text or null */
export function populatePages(c: Core, start: number, end: number, kind: Kind | 'pcp', mods: number, owner: string | null, cpu: number): { err: string | null; pfn: number | null } {
  for (let p = start; p < end; p++) if (!c.online(p)) return { err: `pfn ${hex(p)} is not online memory`, pfn: p };
  const bad = takeFree(c, start, end - start);
  if (bad >= 0) return { err: whyNotFree(c, bad), pfn: bad };
  if (kind === 'pcp') {
    // zero-refcount pages on the cpu's pcp list (free_unref_page with the pageblock's type)
    for (let p = start; p < end; p++) {
      const z = c.zoneOf(p)!;
      let mt = c.getMt(p);
      if (mt === ISOLATE) { mt = c.storedMt(p); }
      pcpAdd(c, z, cpu % c.cpus, p, 0, mt >= MIGRATE_PCPTYPES ? MOVABLE : mt, mt);
    }
    return { err: null, pfn: null };
  }
  c.addExtent(c.newExtent(start, end - start, 0, false, kind, mods, owner));
  return { err: null, pfn: null };
}

/** `folio PFN order N KIND` */
export function populateFolio(c: Core, pfn: number, order: number, kind: Kind, mods: number, owner: string | null): { err: string | null; pfn: number | null } {
  const n = pow2(order);
  if (pfn % n) return { err: `pfn ${hex(pfn)} is not aligned to order ${order}`, pfn };
  for (let p = pfn; p < pfn + n; p += Math.min(n, c.pbPages)) if (!c.online(p)) return { err: `pfn ${hex(p)} is not online memory`, pfn: p };
  const bad = takeFree(c, pfn, n);
  if (bad >= 0) return { err: whyNotFree(c, bad), pfn: bad };
  c.addExtent(c.newExtent(pfn, n, order, true, kind, mods, owner));
  return { err: null, pfn: null };
}

function fillKind(c: Core, cls: FillClass, order: number): { kind: Kind; mods: number } {
  switch (cls) {
    case 'movable': return { kind: c.rng.next() & 1 ? 'file' : order === c.pbo ? 'thp' : 'anon', mods: 0 };
    case 'anon': return { kind: order === c.pbo ? 'thp' : 'anon', mods: 0 };
    case 'file': return { kind: 'file', mods: 0 };
    case 'slab': return { kind: 'slab', mods: 0 };
    case 'unmovable': return { kind: 'kernel', mods: 0 };
    case 'pagetable': return { kind: 'pagetable', mods: 0 };
  }
}

/**
 * `fill ZONE P% CLASS [order N] [packed]`: P% of the zone's managed pages become CLASS pages, taken from free
 * memory at random (seeded). Granularity (the unit a decision is made for): max(2^order, managed/65536 rounded
 * up to a power of two), capped at a pageblock, so a fill never creates more than ~65536 runs. Scattered:
 * uniform selection sampling over all free units; packed: consecutive free units from a random start.
 * Movable classes leave pageblock types alone. Unmovable classes (slab, unmovable, pagetable) go where the
 * allocator puts unmovable pages (see unmovableUnits): never into CMA, into UNMOVABLE pageblocks first, then
 * into pageblocks they claim for MIGRATE_UNMOVABLE.
 */
export function fill(c: Core, z: Zone, percent: number, cls: FillClass, order: number, packed: boolean, owner: string | null): { err: string | null; pages: number; unit: number } {
  const want = Math.floor((z.managed * percent) / 100);
  let u = Math.max(order, Math.ceil(Math.log2(Math.max(1, z.managed / 65536))));
  u = Math.min(u, Math.max(order, c.pbo));
  const us = 1 << u;
  const needed = Math.floor(want / us);
  // candidate units: inside free blocks of order >= u, in pfn order. Each block is read once (a fill of a TiB zone
  // sorts and walks ~10^6 blocks: no map lookup per block per pass), and the take below gets the blocks themselves
  const unmovable = UNMOVABLE_CLASSES.has(cls);
  const blocks: FreeBlock[] = [];
  // unmovable allocations never fall back to MIGRATE_CMA (fallbacks[] in mm/page_alloc.c)
  const listed = (o: number, mt: number) => o >= u && mt !== ISOLATE && !(unmovable && mt === CMA);
  let inLists = 0;
  for (let o = u; o <= c.maxOrder; o++) for (let mt = 0; mt < MIGRATE_TYPES; mt++) if (listed(o, mt)) inLists += z.cnt[o * MIGRATE_TYPES + mt]!;
  if (inLists * 4 >= c.free.size) {
    // most free blocks are candidates: read the free map in its own (memory) order rather than chasing list
    // links through it; every free block is on the list of its order and type, and the blocks are sorted below
    for (const b of c.free.values()) if (b.zone === z.idx && listed(b.order, b.mt)) blocks.push(b);
  } else {
    for (let o = u; o <= c.maxOrder; o++) {
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
        if (!listed(o, mt)) continue;
        for (let h = z.head[o * MIGRATE_TYPES + mt]!; h >= 0;) {
          const b = c.free.get(h)!;
          blocks.push(b);
          h = b.next;
        }
      }
    }
  }
  // pfn order (heads are distinct); the free map's order after boot is mostly pfn order already
  let inOrder = true;
  for (let i = 1; i < blocks.length && inOrder; i++) if (blocks[i - 1]!.pfn > blocks[i]!.pfn) inOrder = false;
  if (!inOrder) blocks.sort((a, b) => a.pfn - b.pfn);
  let total = 0;
  for (const b of blocks) total += pow2(b.order) / us;
  if (needed > total) return { err: `fill: ${needed * us} pages wanted but only ${total * us} free pages in units of ${us} in ${z.name}`, pages: 0, unit: us };
  let chosen: number[] = [];
  if (unmovable) {
    chosen = unmovableUnits(c, z, blocks, us, needed, packed);
  } else if (packed) {
    const k = c.rng.int(Math.max(1, total));
    let idx = 0;
    const all: number[] = [];
    for (const b of blocks) for (let p = b.pfn, end = p + pow2(b.order); p < end; p += us) all.push(p);
    while (chosen.length < needed) { chosen.push(all[(k + idx) % total]); idx++; }
    chosen.sort((a, b) => a - b);
  } else {
    let left = total, need = needed;
    for (let i = 0; i < blocks.length && need > 0; i++) {
      const h = blocks[i]!.pfn;
      const end = h + pow2(blocks[i]!.order);
      for (let p = h; p < end && need > 0; p += us) {
        if (c.rng.float() * left < need) { chosen.push(p); need--; }
        left--;
      }
    }
  }
  // the units are free, disjoint and ascending (chosen from the free blocks above): no check pass, one pass per
  // free block
  // an unmovable fill claimed pageblocks (move_freepages_block): their free blocks are new objects on other lists,
  // with the same heads and orders
  takeFreeUnitsUnchecked(c, chosen, us, unmovable ? blocks.map((b) => c.free.get(b.pfn)!) : blocks);
  reserveKeys(c.ext, chosen.length);
  for (const p of chosen) {
    const { kind, mods } = fillKind(c, cls, order);
    c.addExtent(c.newFillExtent(p, us, order, order > 0, kind, mods, owner));
  }
  return { err: null, pages: chosen.length * us, unit: us };
}

const UNMOVABLE_CLASSES: ReadonlySet<FillClass> = new Set<FillClass>(['slab', 'unmovable', 'pagetable']);

/**
 * The units an unmovable fill takes, as the allocator would place unmovable pages: __rmqueue_smallest() takes
 * them from MIGRATE_UNMOVABLE free lists first (pageblocks already unmovable); when those run dry,
 * __rmqueue_fallback() takes the largest free block of another type and try_to_claim_block() claims its
 * pageblock for MIGRATE_UNMOVABLE (set_pageblock_migratetype + move_freepages_block), and later unmovable
 * allocations fill that block. So: unmovable pageblocks first (pfn order), then the pageblocks with the most
 * free memory (fully free ones first; among equals in pfn order when packed, in seeded random order when
 * scattered), each filled before the next is claimed. Every pageblock that receives a page is claimed.
 */
function unmovableUnits(c: Core, z: Zone, blocks: readonly FreeBlock[], us: number, needed: number, packed: boolean): number[] {
  const span = Math.max(us, c.pbPages);
  const groups = new Map<number, number[]>();
  for (const b of blocks) {
    for (let p = b.pfn; p < b.pfn + (1 << b.order); p += us) {
      const g = p - (p % span);
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(p);
    }
  }
  const order = [...groups.keys()].sort((a, b) => a - b);
  const rank = new Map<number, number>();
  if (!packed) for (const g of order) rank.set(g, c.rng.float());
  const own = (g: number) => c.storedMt(g) === UNMOVABLE;
  order.sort((a, b) => {
    if (own(a) !== own(b)) return own(a) ? -1 : 1;
    if (own(a)) return a - b;
    const d = groups.get(b)!.length - groups.get(a)!.length;
    if (d) return d;
    return packed ? a - b : rank.get(a)! - rank.get(b)!;
  });
  const chosen: number[] = [];
  for (const g of order) {
    if (chosen.length >= needed) break;
    claimForUnmovable(c, z, g, span);
    for (const p of groups.get(g)!.sort((a, b) => a - b)) {
      if (chosen.length >= needed) break;
      chosen.push(p);
    }
  }
  return chosen.sort((a, b) => a - b);
}

/**
 * try_to_claim_block() for MIGRATE_UNMOVABLE on the pageblocks of [start, start+span): retype them and move
 * their free pages to the unmovable lists. A free block larger than a pageblock is claimed whole
 * (change_pageblock_range()), so a free block never sits on a list other than its pageblocks' type.
 */
function claimForUnmovable(c: Core, z: Zone, start: number, span: number): void {
  const retype = (pb: number) => {
    const was = c.storedMt(pb);
    if (was === UNMOVABLE || was === CMA || c.isIsolated(pb)) return;
    c.setMt(pb, UNMOVABLE, 'fill');
    if (was === HIGHATOMIC) z.nrReservedHighatomic -= c.pbPages;
  };
  for (let pb = start; pb < start + span; pb += c.pbPages) {
    if (c.storedMt(pb) === UNMOVABLE || c.storedMt(pb) === CMA || c.isIsolated(pb)) continue;
    const big = c.freeContaining(pb);
    if (big && big.order > c.pbo) {
      moveFreepagesBlock(c, big.pfn, UNMOVABLE);
      for (let q = big.pfn; q < big.pfn + pow2(big.order); q += c.pbPages) retype(q);
    } else {
      moveFreepagesBlock(c, pb, UNMOVABLE);
      retype(pb);
    }
  }
}

/** the extents of a zone of a given kind (walks the zone's pageblocks) */
export function extentsOfZone(c: Core, z: Zone, pred: (e: Extent) => boolean): Extent[] {
  if (!z.spanned) return [];
  return c.extentsIn(z.start, z.end).filter((e) => c.zoneOf(e.pfn) === z && pred(e));
}
