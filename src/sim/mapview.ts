// Zone-map summaries for the inspector: a pfn window cut into cells of `cellPages` pages (a power of two).
// cellPages >= pageblock: each cell aggregates whole pageblocks (zoomed out); cellPages < pageblock: each cell
// is part of one pageblock, down to single pages (cellPages = 1, where PageInfo adds buddy orders).
// Pure and cheap: it reads the machine's sparse structures (per-pageblock typed arrays, the free-block map,
// the extent map, the PCP map, the memory blocks) once each, never walking pages, so a 256 GiB machine
// (131072 pageblocks) summarises in milliseconds. Columnar arrays, JSON-friendly (sent to the webview).
import type { Machine } from './machine.js';
import type { Extent } from './core.js';
import { MIGRATETYPE_NAMES } from '../shared/format.js';
import { MOD_BIT, MOD_PINNED_ANY } from './core.js';

/** What a page is used for, as the map shows it (kernel order of concern for offlining/contig allocation). */
export const PAGE_CLASSES = ['free', 'pcp', 'movable', 'unmovable', 'reclaimable', 'pinned', 'hugetlb', 'vmemmap', 'offline', 'other'] as const;
export type PageClass = (typeof PAGE_CLASSES)[number];
export const CLS = Object.fromEntries(PAGE_CLASSES.map((c, i) => [c, i])) as Record<PageClass, number>;

/** Migratetypes in kernel order (the `mt` rows). */

/** Cell flags (any pageblock/page of the cell). */
export const F_ISOLATED = 1;
export const F_CMA = 2;
export const F_VMEMMAP = 4;
export const F_OFFLINE = 8;
export const F_ABSENT = 16;
export const F_HOLE = 32;
export const F_ZONE_MIX = 64;
export const F_HUGETLB = 128;

/** memory block states as numbers (blockState row) */
export const BS_HOLE = -1;
export const BS_ABSENT = 0;
export const BS_OFFLINE = 1;
export const BS_ONLINE = 2;

export interface MapSummary {
  /** first pfn (aligned down to cellPages) and end (exclusive) of the window */
  start: number;
  end: number;
  cellPages: number;
  cells: number;
  pageblockPages: number;
  memoryBlockPages: number;
  /** "nid:Zone" names the `zone` row indexes */
  zoneNames: string[];
  /** per cell: index into zoneNames of the zone owning most of its online pages, -1 when none */
  zone: number[];
  /** per cell: memory block id of its first pfn */
  block: number[];
  /** per cell: state of the memory block of its first pfn (BS_*) */
  blockState: number[];
  /** per cell: F_* flags */
  flags: number[];
  /** mt[m][cell]: pageblocks (of those with online pages) whose stored migratetype is m; with cellPages < pageblock, 1 for the cell's pageblock */
  mt: number[][];
  /** per cell: isolated pageblocks */
  isolated: number[];
  /** per cell: online pages (in a zone) */
  online: number[];
  /** counts[class][cell]: pages of each PAGE_CLASSES entry */
  counts: number[][];
  /** only when cellPages == 1: buddy/folio head and order of each page (-1 when none) */
  head?: number[];
  order?: number[];
}

export interface MapRequest {
  start: number;
  end: number;
  /** cells at most: the resolution is the smallest power of two that fits */
  maxCells?: number;
  /** or an explicit resolution (a power of two) */
  cellPages?: number;
}

/** Largest window the per-page view (cellPages = 1) accepts. */
export const MAX_PAGE_CELLS = 8192;

/** Smallest power of two >= (end - start) / maxCells. */
export function chooseCellPages(start: number, end: number, maxCells: number): number {
  const need = Math.ceil((end - start) / Math.max(1, maxCells));
  let p = 1;
  while (p < need) p *= 2;
  return p;
}

/** The window the whole machine occupies: [0, highest pfn it can ever have); it starts at the machine's lowest pfn
 *  when the empty space below the memory is larger than the memory's span (memory only above 2^32, say). */
export function machineWindow(m: Machine): { start: number; end: number } {
  const { minPfn, maxPfn } = m.c;
  return { start: minPfn > maxPfn - minPfn ? minPfn : 0, end: maxPfn };
}

/** How a page of an allocated extent is shown. */
export function classOf(e: Extent): PageClass {
  switch (e.kind as string) {
    case 'vmemmap': return 'vmemmap';
    case 'offline': case 'hwpoison': return 'offline';
    case 'hugetlb': return 'hugetlb';
  }
  if (e.mods & MOD_PINNED_ANY) return 'pinned';
  switch (e.kind) {
    case 'anon': case 'file': case 'thp': case 'movable_ops': return 'movable';
    case 'slab': return e.mods & MOD_BIT.reclaimable ? 'reclaimable' : 'unmovable';
    default: return 'unmovable'; // kernel, pagetable, vmalloc, reserved
  }
}

export function summarize(m: Machine, req: MapRequest): MapSummary {
  const c = m.c;
  const pbPages = c.pbPages;
  const mbp = m.spec.memoryBlockPages;
  const cellPages = req.cellPages ?? chooseCellPages(req.start, req.end, req.maxCells ?? 4096);
  if (cellPages < 1 || (cellPages & (cellPages - 1)) !== 0) throw new Error(`cellPages ${cellPages} is not a power of two`);
  const start = Math.max(0, req.start - (req.start % cellPages));
  const end = Math.max(start + cellPages, Math.min(Math.max(req.end, start + 1), c.maxPfn));
  const cells = Math.ceil((end - start) / cellPages);
  const winEnd = start + cells * cellPages;
  const row = () => new Array<number>(cells).fill(0);
  const zoneNames: string[] = [];
  const zoneIdx = new Map<number, number>();
  const zoneKey = (zi: number): number => {
    let k = zoneIdx.get(zi);
    if (k === undefined) {
      const z = c.zones[zi]!;
      k = zoneNames.length;
      zoneNames.push(`${z.nid}:${z.name}`);
      zoneIdx.set(zi, k);
    }
    return k;
  };
  const s: MapSummary = {
    start, end: winEnd, cellPages, cells, pageblockPages: pbPages, memoryBlockPages: mbp, zoneNames,
    zone: row().fill(-1), block: row(), blockState: row(), flags: row(), mt: MIGRATETYPE_NAMES.map(row),
    isolated: row(), online: row(), counts: PAGE_CLASSES.map(row),
  };
  const cellOf = (pfn: number) => Math.floor((pfn - start) / cellPages);
  /** adds n pages at pfn (clipped to the window) to arr, spread over the cells they cover */
  const addRange = (arr: number[], pfn: number, n: number): void => {
    let p = Math.max(pfn, start);
    const e = Math.min(pfn + n, winEnd);
    while (p < e) {
      const ci = cellOf(p);
      const ce = start + (ci + 1) * cellPages;
      const q = Math.min(e, ce);
      arr[ci] += q - p;
      p = q;
    }
  };
  const flagRange = (flag: number, pfn: number, n: number): void => {
    const a = Math.max(pfn, start);
    const b = Math.min(pfn + n, winEnd);
    if (a >= b) return;
    for (let ci = cellOf(a); ci <= cellOf(b - 1); ci++) s.flags[ci] |= flag;
  };

  // ---- pageblocks: migratetype, isolation, CMA, zone, online pages
  const zoneVotes = new Map<number, number>(); // cell*4096+zoneKey → pages, only for mixed cells
  // pageblocks of the window that the machine has (its arrays start at minPfn)
  const pb0 = Math.max(c.pbNo(start), c.pbBase);
  const pb1 = c.pbNo(winEnd - 1);
  const nPb = c.pbBase + c.pbMt.length;
  for (let pb = pb0; pb <= pb1 && pb < nPb; pb++) {
    const zi = c.pbZone[pb - c.pbBase]!;
    const pbStart = pb * pbPages;
    const first = cellOf(Math.max(pbStart, start));
    const last = cellOf(Math.min(pbStart + pbPages, winEnd) - 1);
    if (zi < 0) continue;
    const mt = c.pbMt[pb - c.pbBase]!;
    const iso = c.pbIso[pb - c.pbBase] !== 0;
    for (let ci = first; ci <= last; ci++) {
      s.mt[mt]![ci]++;
      if (iso) { s.isolated[ci]++; s.flags[ci] |= F_ISOLATED; }
      if (mt === 4) s.flags[ci] |= F_CMA;
    }
    const st = c.straddle.get(pb);
    const ranges = st ? st.map((r) => ({ start: r.start, n: r.end - r.start, zone: r.zone })) : [{ start: pbStart, n: pbPages, zone: zi }];
    for (const r of ranges) {
      const before = first <= last ? s.online.slice(first, last + 1) : [];
      addRange(s.online, r.start, r.n);
      const k = zoneKey(r.zone);
      for (let ci = first; ci <= last; ci++) {
        const got = s.online[ci]! - before[ci - first]!;
        if (got <= 0) continue;
        if (s.zone[ci] === -1) s.zone[ci] = k;
        else if (s.zone[ci] !== k) s.flags[ci] |= F_ZONE_MIX;
        zoneVotes.set(ci * 4096 + k, (zoneVotes.get(ci * 4096 + k) ?? 0) + got);
      }
    }
  }
  // a cell shared by zones belongs to the one with most pages there
  for (let ci = 0; ci < cells; ci++) {
    if (!(s.flags[ci]! & F_ZONE_MIX)) continue;
    let best = -1, bestN = -1;
    for (let k = 0; k < zoneNames.length; k++) {
      const n = zoneVotes.get(ci * 4096 + k) ?? 0;
      if (n > bestN) { best = k; bestN = n; }
    }
    s.zone[ci] = best;
  }

  // ---- memory blocks
  for (let id = Math.floor(start / mbp); id * mbp < winEnd; id++) {
    const b = m.hp.blocks.get(id);
    const state = b ? (b.state === 'online' ? BS_ONLINE : b.state === 'offline' ? BS_OFFLINE : BS_ABSENT) : c.blockNidOf(id) >= 0 ? BS_ABSENT : BS_HOLE;
    const a = Math.max(id * mbp, start);
    const e = Math.min((id + 1) * mbp, winEnd);
    for (let ci = cellOf(a); ci <= cellOf(e - 1); ci++) {
      if (start + ci * cellPages >= a) { s.block[ci] = id; s.blockState[ci] = state; }
    }
    if (state === BS_OFFLINE) flagRange(F_OFFLINE, a, e - a);
    else if (state === BS_ABSENT) flagRange(F_ABSENT, a, e - a);
    else if (state === BS_HOLE) flagRange(F_HOLE, a, e - a);
    else {
      // an online block can have pageblocks with no zone (a hole inside it, or beyond the zone end)
      for (let p = a; p < e; p += pbPages) if (!(c.pbZone[c.pbi(p)]! >= 0)) flagRange(F_HOLE, p, Math.min(pbPages, e - p));
    }
  }

  // ---- pages: free blocks, PCP lists, allocated extents (sparse maps, each read once)
  const cnt = s.counts;
  for (const b of c.free.values()) {
    const n = 1 << b.order;
    if (b.pfn + n <= start || b.pfn >= winEnd) continue;
    addRange(cnt[CLS.free]!, b.pfn, n);
  }
  for (const [pfn, e] of c.pcpPages) {
    const n = 1 << e.order;
    if (pfn + n <= start || pfn >= winEnd) continue;
    addRange(cnt[CLS.pcp]!, pfn, n);
  }
  const big = 64 * pbPages;
  const scan = (e: Extent) => {
    if (e.pfn + e.n <= start || e.pfn >= winEnd) return;
    const cls = classOf(e);
    addRange(cnt[CLS[cls]]!, e.pfn, e.n);
    if (cls === 'vmemmap') flagRange(F_VMEMMAP, e.pfn, e.n);
    else if (cls === 'hugetlb') flagRange(F_HUGETLB, e.pfn, e.n);
  };
  if (winEnd - start <= big && c.ext.size > (winEnd - start) / pbPages) {
    // a small window of a busy machine: the pageblock index finds the extents without reading them all
    for (const e of c.extentsIn(start, winEnd)) scan(e);
  } else {
    for (const e of c.ext.values()) scan(e);
  }
  // online pages nothing accounts for (e.g. taken off the free lists by an isolation in progress)
  for (let ci = 0; ci < cells; ci++) {
    let used = 0;
    for (let k = 0; k < PAGE_CLASSES.length - 1; k++) if (k !== CLS.vmemmap && k !== CLS.offline) used += cnt[k]![ci]!;
    cnt[CLS.other]![ci] = Math.max(0, s.online[ci]! - used);
  }

  // ---- single pages: buddy/folio head and order from PageInfo (only here, a small window)
  if (cellPages === 1 && cells <= MAX_PAGE_CELLS) {
    s.head = row().fill(-1);
    s.order = row().fill(-1);
    for (let ci = 0; ci < cells; ci++) {
      const info = m.pageInfo(start + ci);
      if (info.head !== null) s.head[ci] = info.head;
      if (info.order !== null) s.order[ci] = info.order;
    }
  }
  return s;
}

/** The migratetype a cell is coloured by: the type of most of its pageblocks (-1: no online pageblock). */
export function dominantMt(s: MapSummary, ci: number): number {
  let best = -1, bestN = 0;
  for (let t = 0; t < s.mt.length; t++) {
    const n = s.mt[t]![ci]!;
    if (n > bestN) { best = t; bestN = n; }
  }
  return best;
}
