// checkInvariants(): the state is self-consistent (lists, counters, alignment, zones, isolation, hygiene).
import type { Core, FreeBlock } from './core.js';
import type { Zone } from './zone.js';
import { CMA, HIGHATOMIC, ISOLATE, MAX_NR_ZONES, MIGRATE_TYPES } from './consts.js';
import { hex, MIGRATETYPE_NAMES } from '../shared/format.js';
import { MOD_BIT, MOD_PINNED_ANY } from './core.js';
import { LRU_NAMES, lruOf, lruZoneSizes, NodeLru } from './reclaim/lru.js';
import { swappedRunsBad, swappedTotal } from './swap.js';
import { UNPINNABLE } from './population-rules.js';

/** `offlinePresent(pfn)`: the memory block holding pfn is present but offline (hotplug state, which Core does not hold) */
export function checkInvariants(c: Core, offlinePresent?: (pfn: number) => boolean): string[] {
  const out: string[] = [];
  const bad = (s: string): void => { if (out.length < 50) out.push(s); };
  const seen = new Set<number>();
  for (const z of c.zones) {
    let free = 0, cma = 0, ha = 0;
    for (let o = 0; o <= c.maxOrder; o++) {
      let nr = 0;
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
        let n = 0, prev = -1, rep = 0;
        for (const b of walkList(c, z, o, mt, bad)) {
          n++;
          if (b.reported) rep++;
          seen.add(b.pfn);
          if (b.prev !== prev) bad(`${z.name}: list ${MIGRATETYPE_NAMES[mt]}[${o}] broken prev link at ${hex(b.pfn)}`);
          prev = b.pfn;
          if (b.order !== o || b.mt !== mt || b.zone !== z.idx) bad(`${z.name}: block ${hex(b.pfn)} on list ${MIGRATETYPE_NAMES[mt]}[${o}] says order ${b.order} mt ${b.mt}`);
          if (b.pfn % (1 << o)) bad(`${z.name}: free block ${hex(b.pfn)} not aligned to order ${o}`);
          if (!z.spans(b.pfn) || !z.spans(b.pfn + (1 << o) - 1)) bad(`${z.name}: free block ${hex(b.pfn)} order ${o} outside the zone span`);
          if (c.zoneOf(b.pfn) !== z || c.zoneOf(b.pfn + (1 << o) - 1) !== z) bad(`free block ${hex(b.pfn)} order ${o} is on ${z.name}'s lists but its pages are not online in it`);
          const pbmt = c.getMt(b.pfn);
          if (mt === ISOLATE ? pbmt !== ISOLATE : pbmt === ISOLATE) bad(`free block ${hex(b.pfn)} on ${MIGRATETYPE_NAMES[mt]} list but pageblock is ${MIGRATETYPE_NAMES[pbmt]}`);
          if (c.pol.freelist_hygiene === 'on' && mt !== ISOLATE) {
            for (let p = b.pfn; p < b.pfn + (1 << o); p += c.pbPages) {
              if (c.getMt(p) !== mt) bad(`freelist hygiene: free block ${hex(b.pfn)} order ${o} on ${MIGRATETYPE_NAMES[mt]} list but pageblock ${hex(c.pbStart(p))} is ${MIGRATETYPE_NAMES[c.getMt(p)]}`);
            }
          }
          if (mt !== ISOLATE) free += 1 << o;
          if (mt === CMA) cma += 1 << o;
          if (mt === HIGHATOMIC) ha += 1 << o;
        }
        if (rep !== z.nrReported[o * MIGRATE_TYPES + mt]) bad(`${z.name}: list ${MIGRATETYPE_NAMES[mt]}[${o}] has ${rep} Reported blocks, count says ${z.nrReported[o * MIGRATE_TYPES + mt]}`);
        if (n !== z.cnt[o * MIGRATE_TYPES + mt]) bad(`${z.name}: list ${MIGRATETYPE_NAMES[mt]}[${o}] has ${n} blocks, count says ${z.cnt[o * MIGRATE_TYPES + mt]}`);
        nr += n;
      }
      if (nr !== z.nrFree[o]) bad(`${z.name}: nr_free[${o}] = ${z.nrFree[o]} but lists hold ${nr}`);
    }
    if (free !== z.free) bad(`${z.name}: NR_FREE_PAGES ${z.free} but non-isolated lists hold ${free}`);
    if (cma !== z.freeCma) bad(`${z.name}: NR_FREE_CMA_PAGES ${z.freeCma} but CMA lists hold ${cma}`);
    if (ha !== z.nrFreeHighatomic) bad(`${z.name}: nr_free_highatomic ${z.nrFreeHighatomic} but lists hold ${ha}`);
    let iso = 0;
    if (z.spanned) for (let p = c.pbStart(z.start); p < z.end; p += c.pbPages) if (c.pbZone[c.pbi(p)] === z.idx && c.isIsolated(p)) iso++;
    if (iso !== z.nrIsolate) bad(`${z.name}: nr_isolate_pageblock ${z.nrIsolate} but ${iso} pageblocks are isolated`);
    // pcp
    z.pcp.forEach((p, cpu) => {
      let n = 0;
      p.lists.forEach((l, i) => {
        const order = i >= 12 ? c.pbo : Math.floor(i / 3);
        for (const pfn of l) {
          n += 1 << order;
          const e = c.pcpPages.get(pfn);
          if (!e || e.cpu !== cpu || e.zone !== z.idx || e.pindex !== i) bad(`pcp page ${hex(pfn)} on cpu ${cpu} list ${i} not indexed`);
        }
      });
      if (n !== p.count) bad(`${z.name} cpu ${cpu}: pcp count ${p.count} but lists hold ${n}`);
    });
  }
  if (seen.size !== c.free.size) bad(`${c.free.size} free blocks indexed but ${seen.size} on lists`);
  // free blocks must not overlap one another (a block re-added inside a bigger one, a head freed twice)
  const fb = [...c.free.values()].sort((a, b) => a.pfn - b.pfn);
  for (let i = 1; i < fb.length; i++) {
    const a = fb[i - 1]!, b = fb[i]!;
    if (b.pfn < a.pfn + (1 << a.order)) bad(`free block ${hex(b.pfn)} order ${b.order} overlaps free block ${hex(a.pfn)} order ${a.order}`);
  }
  // overlaps: free blocks vs extents vs pcp, one sweep over both sorted lists (a lookup per free block was most of
  // the checker's time on a filled machine)
  const heads = [...c.ext.keys()].sort((a, b) => a - b);
  const overlapsExtent = (s: number, e: number, j: number): { j: number; hit: number } => {
    while (j < heads.length && heads[j]! + c.ext.get(heads[j]!)!.n <= s) j++;
    return { j, hit: j < heads.length && heads[j]! < e ? heads[j]! : -1 };
  };
  let j = 0;
  for (const b of fb) {
    const r = overlapsExtent(b.pfn, b.pfn + (1 << b.order), j);
    j = r.j;
    if (r.hit >= 0) bad(`free block ${hex(b.pfn)} order ${b.order} overlaps allocated extent ${hex(r.hit)}`);
  }
  j = 0;
  for (const pfn of [...c.pcpPages.keys()].sort((a, b) => a - b)) {
    const p = c.pcpPages.get(pfn)!;
    if (c.freeContaining(pfn)) bad(`pcp page ${hex(pfn)} is also in buddy`);
    const r = overlapsExtent(pfn, pfn + (1 << p.order), j);
    j = r.j;
    if (r.hit >= 0) bad(`pcp page ${hex(pfn)} is also allocated (extent ${hex(r.hit)})`);
    if (p.order > 0 && pfn % (1 << p.order)) bad(`pcp page ${hex(pfn)} not aligned`);
  }
  let prevEnd = -1;
  for (const h of heads) {
    const e = c.ext.get(h)!;
    if (h < prevEnd) bad(`extent ${hex(h)} overlaps the previous one`);
    prevEnd = h + e.n;
    if (e.n <= 0) bad(`extent ${hex(h)} is empty`);
    if (e.folio && h % (1 << e.order)) bad(`folio ${hex(h)} not aligned to order ${e.order}`);
    if (e.n > c.pbPages && !(e.folio && e.n === 1 << e.order)) bad(`extent ${hex(h)} (${e.n} pages) crosses pageblocks`);
    if (e.n <= c.pbPages && c.pbStart(h) !== c.pbStart(h + e.n - 1)) bad(`extent ${hex(h)} crosses a pageblock boundary`);
  }
  // every managed page is in exactly one place: buddy, pcp or allocated
  for (const v of conservation(c)) bad(v);
  for (const v of pressureInvariants(c, offlinePresent)) bad(v);
  return out;
}

/** LRU pages (folio_lru_list), slab, hugetlb: which modifiers a kind of page can carry */
const LRU_KINDS = new Set(['anon', 'thp', 'file']);
const LRU_ONLY = MOD_BIT.active | MOD_BIT.unevictable | MOD_BIT.dirty | MOD_BIT.writeback;

/**
 * The reclaim state between operations: LRU lists vs extents, swap, hugetlb pools vs folios, skip hints, kswapd.
 * (Exported for tests; checkInvariants runs it.)
 */
export function pressureInvariants(c: Core, offlinePresent: (pfn: number) => boolean = () => false): string[] {
  const out: string[] = [];
  const bad = (s: string): void => { if (out.length < 50) out.push(s); };
  // between operations nothing is isolated for migration (migrate_pages puts every folio back or frees it)
  if (c.migrating !== null && c.migrating.length) bad(`${c.migrating.length} folio ranges still isolated for migration between operations`);
  // swap: used + free == size, so 0 <= free <= size
  const swapTotal = c.spec.swapPages ?? 0;
  if (!(c.swapFree >= 0 && c.swapFree <= swapTotal) || !Number.isInteger(c.swapFree)) bad(`swap: ${c.swapFree} pages free of ${swapTotal} (used + free != size)`);
  // the slots in use are the swapped-out pages recorded per owner (swap.ts): each is freed by its owner's free
  const runsBad = swappedRunsBad(c);
  if (runsBad) bad(runsBad);
  const recorded = swappedTotal(c);
  if (recorded !== swapTotal - c.swapFree) bad(`swap: ${swapTotal - c.swapFree} slots in use but ${recorded} swapped-out pages recorded per owner (used + free != size)`);
  // extents: one zone each, modifiers the kind can carry, LRU stamps from the clock
  /** pages per node, list and zone: [(nid * 4 + lru) * MAX_NR_ZONES + zid] */
  const lruPages = new Array<number>(c.nrNodes * 4 * MAX_NR_ZONES).fill(0);
  const hugeHeads = new Map<string, { n: number; free: number }>();
  for (const e of c.ext.values()) {
    const z = c.zoneOf(e.pfn);
    // GUP cannot pin a slab folio or a page with a page type (mm/memory.c validate_page_before_insert; population
    // and `pin` refuse them)
    if (e.mods & MOD_PINNED_ANY && e.kind in UNPINNABLE) bad(`extent ${hex(e.pfn)} is ${e.kind} but pinned (GUP cannot pin ${UNPINNABLE[e.kind as keyof typeof UNPINNABLE]})`);
    if (e.kind === 'reserved' || e.kind === 'offline' || (e.kind as string) === 'vmemmap') continue;
    if (z && e.n > 1 && c.zoneOf(e.pfn + e.n - 1) !== z) bad(`extent ${hex(e.pfn)} (${e.n} pages, ${e.kind}) spans two zones`);
    if (!LRU_KINDS.has(e.kind) && e.mods & LRU_ONLY) bad(`extent ${hex(e.pfn)} is ${e.kind} but carries LRU state (active/unevictable/dirty/writeback)`);
    if (e.kind !== 'slab' && e.mods & MOD_BIT.reclaimable) bad(`extent ${hex(e.pfn)} is ${e.kind} but marked reclaimable (slab only)`);
    if (e.kind === 'thp' && !e.folio) bad(`thp extent ${hex(e.pfn)} is not a folio`);
    if (e.kind !== 'hugetlb' && e.hugeFree) bad(`extent ${hex(e.pfn)} is ${e.kind} but marked free in a hugetlb pool`);
    if (e.freeing >= 0) bad(`extent ${hex(e.pfn)} is still being freed by cpu ${e.freeing} between operations`);
    if (LRU_KINDS.has(e.kind) && (e.lru < 0 || e.lru > c.lruSeq)) bad(`extent ${hex(e.pfn)} has LRU stamp ${e.lru} beyond the clock ${c.lruSeq}`);
    const lru = lruOf(e);
    if (lru >= 0 && z) lruPages[(z.nid * 4 + lru) * MAX_NR_ZONES + z.zid] += e.n;
    if (e.kind === 'hugetlb' && z) {
      if (!e.folio || e.pfn % e.n || e.n !== 1 << e.order) bad(`hugetlb extent ${hex(e.pfn)} (${e.n} pages, order ${e.order}) is not one folio`);
      const k = `${e.n}/${z.nid}`;
      const h = hugeHeads.get(k) ?? { n: 0, free: 0 };
      h.n++;
      if (e.hugeFree) h.free++;
      hugeHeads.set(k, h);
    }
  }
  // LRU: the lists reclaim builds hold every LRU extent once, on its own list and zone, oldest first
  for (let nid = 0; nid < c.nrNodes; nid++) {
    if (!c.zones.some((z) => z.nid === nid && z.populated)) continue;
    const l = new NodeLru(c, nid);
    const sizes = lruZoneSizes(c, nid);
    for (let lru = 0; lru < 4; lru++) {
      const per = new Array<number>(l.size[lru]!.length).fill(0);
      let prevStamp = -1, prevPfn = -1;
      for (const r of l.runs(lru)) {
        const e = c.ext.get(r.pfn); // NodeLru makes one run per extent, from its head
        const z = c.zoneOf(r.pfn);
        if (!e || lruOf(e) !== lru || !z || z.nid !== nid || z.zid !== r.zid) { bad(`node ${nid} ${LRU_NAMES[lru]}: run ${hex(r.pfn)} (${r.n} pages) is not an extent of this list and zone`); continue; }
        if (e.pfn + e.n < r.pfn + r.n) bad(`node ${nid} ${LRU_NAMES[lru]}: run ${hex(r.pfn)} (${r.n} pages) runs past its extent`);
        if (e.lru < prevStamp || (e.lru === prevStamp && r.pfn < prevPfn)) bad(`node ${nid} ${LRU_NAMES[lru]}: run ${hex(r.pfn)} is out of LRU order`);
        prevStamp = e.lru; prevPfn = r.pfn;
        per[r.zid] += r.n;
      }
      for (let zid = 0; zid < per.length; zid++) {
        const fromExt = lruPages[(nid * 4 + lru) * MAX_NR_ZONES + zid] ?? 0;
        if (per[zid] !== fromExt || l.size[lru]![zid] !== fromExt || sizes[lru]![zid] !== fromExt) {
          bad(`node ${nid} zone ${zid} ${LRU_NAMES[lru]}: extents hold ${fromExt} pages, lists ${per[zid]}, lruvec size ${l.size[lru]![zid]}, zone count ${sizes[lru]![zid]}`);
        }
      }
    }
  }
  // hugetlb pools: counts vs folios (nr_huge_pages_node, free list, surplus_huge_pages_node)
  for (const [pages, nodes] of c.pools) {
    for (const [nid, p] of nodes) {
      const h = hugeHeads.get(`${pages}/${nid}`) ?? { n: 0, free: 0 };
      const where = `hugetlb ${pages}-page pool of node ${nid}`;
      if (p.surplus < 0 || p.surplus > p.total) bad(`${where}: surplus ${p.surplus} outside 0..total ${p.total}`);
      if (p.total !== h.n) bad(`${where}: nr_huge_pages ${p.total} but ${h.n} hugetlb folios on the node`);
      if (p.free.length !== h.free) bad(`${where}: free list holds ${p.free.length} folios but ${h.free} are marked free`);
      if (new Set(p.free).size !== p.free.length) bad(`${where}: a folio is twice on the free list`);
      for (const f of p.free) {
        const e = c.ext.get(f);
        if (!e || e.kind !== 'hugetlb' || !e.hugeFree || e.n !== pages || c.zoneOf(f)?.nid !== nid) bad(`${where}: free list entry ${hex(f)} is not a free ${pages}-page hugetlb folio of the node`);
      }
    }
  }
  for (const [k, h] of hugeHeads) {
    const [pages, nid] = k.split('/').map(Number);
    if (!c.pools.get(pages!)?.get(nid!)) bad(`${h.n} hugetlb folios of ${pages} pages on node ${nid} belong to no pool`);
  }
  // skip hints only on pageblocks with online pages (PB_migrate_skip lives in the section's usemap), or offline ones
  // still present: offline_pages() leaves the usemap alone, section_deactivate() frees it at remove (mm/sparse.c)
  for (let i = 0; i < c.pbSkip.length; i++) if (c.pbSkip[i] && c.pbZone[i]! < 0 && !offlinePresent((c.pbBase + i) * c.pbPages)) bad(`pageblock ${hex((c.pbBase + i) * c.pbPages)} has PB_migrate_skip but no online pages`);
  // kswapd / kcompactd requests name real zone indexes and orders
  c.kswapd.forEach((k, nid) => {
    if (k.order < 0 || k.order > c.maxOrder || k.highestZoneidx < -1 || k.highestZoneidx >= MAX_NR_ZONES || k.failures < 0) bad(`node ${nid} kswapd state out of range: ${JSON.stringify(k)}`);
    if (k.kcompactdOrder < 0 || k.kcompactdOrder > c.maxOrder || k.kcompactdHighest < 0 || k.kcompactdHighest >= MAX_NR_ZONES) bad(`node ${nid} kcompactd request out of range: ${JSON.stringify(k)}`);
  });
  c.lruCost.forEach((k, nid) => { if (k.anon < 0 || k.file < 0) bad(`node ${nid} lru cost negative: ${JSON.stringify(k)}`); });
  return out;
}

/**
 * Walk free_area[o].free_list[mt] head → tail, never more than the free map holds: a link to a head missing
 * from the map, or a cycle, is reported and ends the walk (the checker must terminate on corrupt lists).
 */
function* walkList(c: Core, z: Zone, o: number, mt: number, bad: (s: string) => void): Generator<FreeBlock> {
  let p = z.head[o * MIGRATE_TYPES + mt]!;
  const where = `${z.name}: list ${MIGRATETYPE_NAMES[mt]}[${o}]`;
  const visited = new Set<number>();
  let from = -1;
  while (p >= 0) {
    if (visited.has(p)) { bad(`${where} has a cycle: ${hex(from)} links back to ${hex(p)}`); return; }
    if (visited.size >= c.free.size) { bad(`${where} is longer than the free map (${c.free.size} blocks)`); return; }
    const b = c.free.get(p);
    if (!b) { bad(`${where} links to ${hex(p)}${from >= 0 ? ` (after ${hex(from)})` : ' (its head)'}, which is not in the free map`); return; }
    visited.add(p);
    from = p;
    p = b.next;
    yield b;
  }
}

/** free + allocated + pcp + isolated-free == managed, per zone (managed pages only: reserved/vmemmap excluded) */
export function conservation(c: Core): string[] {
  const out: string[] = [];
  for (const z of c.zones) {
    if (!z.populated) continue;
    let freeAll = 0;
    for (let o = 0; o <= c.maxOrder; o++) for (let mt = 0; mt < MIGRATE_TYPES; mt++) freeAll += z.cnt[o * MIGRATE_TYPES + mt] << o;
    let pcp = 0;
    for (const p of z.pcp) pcp += p.count;
    let alloc = 0;
    if (z.spanned) for (const e of c.extentsIn(z.start, z.end)) {
      if (c.zoneOf(e.pfn) !== z || e.kind === 'reserved' || (e.kind as string) === 'vmemmap' || e.kind === 'offline') continue;
      alloc += e.n;
    }
    if (freeAll + pcp + alloc !== z.managed) out.push(`${z.name}: buddy ${freeAll} + pcp ${pcp} + allocated ${alloc} = ${freeAll + pcp + alloc} != managed ${z.managed}`);
  }
  return out;
}
