// Page isolation (mm/page_isolation.c): has_unmovable_pages/page_is_unmovable, set_migratetype_isolate,
// __move_freepages_block_isolate (splitting a larger free buddy), unset_migratetype_isolate (order-9 putback
// merge), start_isolate_page_range / isolate_single_pageblock (pageblock granularity, 5.19+) or whole
// MAX_ORDER-1 blocks (isolation_granularity=max_order), undo_isolate_page_range, test_pages_isolated.
import type { Core, Extent } from './core.js';
import { buddyPfnOf } from './pfn.js';
import { CMA, ISOLATE, MOVABLE, MAX_FOLIO_ORDER, ZONE_MOVABLE } from './consts.js';
import { freeBlock, freeOnePage, FPI_NONE, FPI_SKIP_REPORT_NOTIFY, FPI_TO_TAIL } from './buddy.js';
import { moveFreepagesBlock } from './pageblock.js';
import { isLruOrMovableOps } from './pageblock.js';
import type { Zone } from './zone.js';
import { hex, MIGRATETYPE_NAMES, ZONE_NAMES } from '../shared/format.js';
import { MOD_PINNED_ANY } from './core.js';
import { MOD_BIT } from './core.js';
import type { Verdict } from './api.js';

export type IsoMode = 'other' | 'cma' | 'offline';
export const OK: Verdict = { ok: true, pfn: null, reason: null };

/** the page kind a kernel developer recognises, for reasons */
export function kindText(e: Extent): string {
  if (e.kind === 'hugetlb') return e.hugeFree ? 'free hugetlb folio' : 'hugetlb folio';
  if (e.kind === 'slab') return e.mods & MOD_BIT.reclaimable ? 'slab, reclaimable' : 'slab';
  if (e.kind === 'pagetable') return 'page table';
  if (e.kind === 'reserved') return 'PageReserved';
  return e.kind;
}

/**
 * has_unmovable_pages() → page_is_unmovable() over [start, end) inside one pageblock: the first unmovable page.
 * PageReserved is always unmovable (even in ZONE_MOVABLE); in ZONE_MOVABLE nothing else is checked; compound:
 * hugetlb skipped, non-LRU compound unmovable; refcount 0 (buddy, pcp, being freed) movable; MEM_OFFLINE
 * tolerates HWPoison and PageOffline; LRU or movable_ops movable; everything else (slab, page tables, ...) not.
 */
export function hasUnmovablePages(c: Core, start: number, end: number, mode: IsoMode): Verdict | null {
  if (c.storedMt(start) === CMA && !c.isIsolated(start)) {
    if (mode === 'cma') return null;
    return { ok: false, pfn: start, reason: 'CMA pageblock (isolation mode is not CMA_ALLOC)' };
  }
  const z = c.zoneOf(c.pbStart(start)) ?? c.zoneOf(start);
  for (let p = start; p < end;) {
    const fb = c.freeContaining(p);
    if (fb) { p = fb.pfn + (1 << fb.order); continue; }
    const pc = c.pcpContaining(p);
    if (pc) { p = pc.pfn + (1 << pc.e.order); continue; }
    const e = c.extentContaining(p);
    if (!e) {
      if (!c.online(p)) return { ok: false, pfn: p, reason: 'unmovable page (PageReserved: memory hole)' };
      p++;
      continue;
    }
    const next = e.folio ? e.pfn + Math.floor((p - e.pfn) / (1 << e.order) + 1) * (1 << e.order) : e.pfn + e.n;
    if (e.kind === 'reserved') return { ok: false, pfn: p, reason: 'unmovable page (PageReserved)' };
    if (z && z.zid === ZONE_MOVABLE) { p = next; continue; }
    if (e.folio && e.order > 0) {
      if (e.order > MAX_FOLIO_ORDER) return { ok: false, pfn: p, reason: 'unmovable page (compound order > MAX_FOLIO_ORDER)' };
      if (e.kind === 'hugetlb') { p = next; continue; }
      // !folio_test_lru(folio) && !__folio_test_movable(folio): LRU and movable_ops folios are movable
      if (!isLruOrMovableOps(e.kind)) return { ok: false, pfn: p, reason: `unmovable page (non-LRU compound page: ${kindText(e)})` };
      p = next;
      continue;
    }
    if (e.freeing >= 0) { p = next; continue; }
    if (mode === 'offline' && (e.kind === 'hwpoison' || e.kind === 'offline')) { p = next; continue; }
    if (isLruOrMovableOps(e.kind)) { p = next; continue; }
    return { ok: false, pfn: p, reason: `unmovable page (${kindText(e)})` };
  }
  return null;
}

/** find_large_buddy(): a free buddy starting at or before pfn (within MAX_ORDER) that straddles it, else pfn */
export function findLargeBuddy(c: Core, start: number): number {
  let pfn = start;
  let order = 0;
  while (!c.buddyAt(pfn)) {
    if (++order > c.maxOrder) return start;
    pfn = pfn - (pfn % (1 << order));
  }
  const b = c.buddyAt(pfn)!;
  if (pfn + (1 << b.order) > start) return pfn;
  return start;
}

function toggleIsolate(c: Core, pfn: number, on: boolean, restoreMt: number): void {
  c.setIsolate(pfn, on);
  if (!on && c.pol.isolate_migratetype === 'lost') {
    // <= 6.16: the 3-bit field held ISOLATE; undo writes the caller's migratetype
    c.setMt(pfn, restoreMt, `isolation undone: migratetype lost, ${MIGRATETYPE_NAMES[restoreMt]} written (isolate_migratetype=lost, <=6.16)`);
  }
}

/** __move_freepages_block_isolate(): false when the pageblock straddles the zone */
function moveFreepagesBlockIsolate(c: Core, z: Zone, pfn: number, isolate: boolean, restoreMt: number): boolean {
  const start = c.pbStart(pfn);
  if (!z.spans(start) || !z.spans(start + c.pbPages - 1) || c.zoneOf(start) !== z || c.zoneOf(start + c.pbPages - 1) !== z) return false;
  if (c.pbo < c.maxOrder) {
    let bp = findLargeBuddy(c, start);
    if (bp === start) {
      const b = c.buddyAt(start);
      if (!(b && b.order > c.pbo)) bp = -1;
    }
    if (bp >= 0) {
      // we are part of a larger buddy: take it out, flip this block, re-free it in pageblock chunks
      const b = c.buddyAt(bp)!;
      c.delFreeAccount(b);
      toggleIsolate(c, start, isolate, restoreMt);
      const end = bp + (1 << b.order);
      for (let p = bp; p < end; p += c.pbPages) freeOnePage(c, z, p, c.pbo, c.getMt(p), FPI_NONE);
      return true;
    }
  }
  moveFreepagesBlock(c, start, isolate ? ISOLATE : c.pol.isolate_migratetype === 'lost' ? restoreMt : c.storedMt(start));
  toggleIsolate(c, start, isolate, restoreMt);
  return true;
}

/** set_migratetype_isolate() for the pageblock containing pfn, checking [start, end) ∩ the block */
export function setMigratetypeIsolate(c: Core, pfn: number, mode: IsoMode, start: number, end: number): Verdict {
  const pb = c.pbStart(pfn);
  const first = firstValid(c, pb, pb + c.pbPages);
  if (first < 0) return OK;
  const z = validZone(c, first)!;
  if (c.isIsolated(pb)) return { ok: false, pfn: pb, reason: `pageblock ${hex(pb)} is already isolated` };
  const unm = hasUnmovablePages(c, Math.max(first, start), Math.min(pb + c.pbPages, end), mode);
  if (unm) {
    c.emit({ type: 'isolate', pfn: pb, ok: false, why: unm.reason ?? undefined });
    return { ok: false, pfn: unm.pfn, reason: unm.reason };
  }
  const restore = c.storedMt(pb) === CMA || mode === 'cma' ? CMA : MOVABLE;
  if (!moveFreepagesBlockIsolate(c, z, pb, true, restore)) {
    c.emit({ type: 'isolate', pfn: pb, ok: false, why: 'pageblock straddles the zone boundary' });
    return { ok: false, pfn: pb, reason: 'pageblock straddles the zone boundary' };
  }
  c.isoMode.set(c.pbNo(pb), mode);
  z.nrIsolate++;
  c.emit({ type: 'isolate', pfn: pb, ok: true });
  return OK;
}

/** unset_migratetype_isolate() */
export function unsetMigratetypeIsolate(c: Core, pfn: number, restoreMtIn?: number): void {
  const pb = c.pbStart(pfn);
  if (!c.isIsolated(pb)) return;
  const first = firstValid(c, pb, pb + c.pbPages);
  const z = validZone(c, first >= 0 ? first : pb)!;
  const mode = c.isoMode.get(c.pbNo(pb));
  const restoreMt = restoreMtIn ?? (mode === 'cma' || c.storedMt(pb) === CMA ? CMA : MOVABLE);
  const b = c.buddyAt(pb);
  let isolatedPage = false;
  if (b && b.order >= c.pbo && b.order < c.maxOrder) {
    const bud = c.buddyAt(buddyPfnOf(pb, b.order));
    if (bud && bud.order === b.order && bud.zone === b.zone && !c.isIsolated(bud.pfn)) {
      // __isolate_free_page() (no watermark for an isolated block), clear isolation, __putback_isolated_page()
      const order = b.order;
      c.delFreeAccount(b);
      toggleIsolate(c, pb, false, restoreMt);
      freeOnePage(c, z, pb, order, c.getMt(pb), FPI_TO_TAIL | FPI_SKIP_REPORT_NOTIFY);
      isolatedPage = true;
    }
  }
  if (!isolatedPage) moveFreepagesBlockIsolate(c, z, pb, false, restoreMt);
  c.isoMode.delete(c.pbNo(pb));
  z.nrIsolate--;
  c.emit({ type: 'unisolate', pfn: pb, to: MIGRATETYPE_NAMES[c.getMt(pb)] });
}

/**
 * present_section_nr() && online_section() for pfn's section: some pageblock of it has online memory. A firmware
 * hole inside such a section has a memmap (PageReserved, init_unavailable_range) and pfn_to_online_page() returns it.
 */
export function sectionHasMemmap(c: Core, pfn: number): boolean {
  const sp = c.spec.sectionPages;
  const s0 = pfn - (pfn % sp);
  return c.firstOnline(s0, s0 + sp) >= 0;
}

/**
 * __first_valid_page() (mm/page_isolation.c): the first pfn pfn_to_online_page() accepts. That is online memory or
 * a hole inside an online section (a PageReserved page), so holes reach has_unmovable_pages() in
 * start_isolate_page_range()'s own order. A pageblock never spans two sections, so one section check suffices.
 */
function firstValid(c: Core, s: number, e: number): number {
  const p = c.firstOnline(s, e);
  if (p === s) return p;
  return s < e && sectionHasMemmap(c, s) ? s : p;
}

/**
 * page_zone() of a valid pfn. A hole's page was initialised at boot by memmap_init() (mm/mm_init.c):
 * memmap_init_zone_range() gives the hole before each zone-clamped memblock range that range's zone and node
 * (init_unavailable_range(*hole_pfn, start_pfn, zone_id, nid)), so a hole takes the zone of the next boot memory
 * wherever it is, even sections away; the hole after the last range takes the last node's highest populated zone.
 */
export function validZone(c: Core, pfn: number): Zone | null {
  const z = c.zoneOf(pfn);
  if (z || pfn < 0) return z;
  return holeZone(c, pfn);
}

/** memmap_init()'s zone for a pfn outside boot memory: the zone of the next memory range, else the last zone */
function holeZone(c: Core, pfn: number): Zone | null {
  let best: { pfn: number; nid: number; zid: number } | null = null;
  let last: { pfn: number; nid: number } | null = null;
  for (const n of c.spec.nodes) {
    const holes = (n.holes ?? []).slice().sort((a, b) => a.start - b.start);
    for (const zs of n.zones) {
      if (zs.end <= zs.start) continue;
      const zid = ZONE_NAMES.indexOf(zs.zone);
      // the first memory pfn of this zone above pfn (its span minus the node's firmware holes)
      let m = Math.max(zs.start, pfn + 1);
      for (const h of holes) if (h.start <= m && m < h.end) m = h.end;
      if (m < zs.end && (!best || m < best.pfn)) best = { pfn: m, nid: n.nid, zid };
      // the end of this zone's memory, for the last range
      let e = zs.end;
      for (let i = holes.length - 1; i >= 0; i--) if (holes[i]!.start < e && e <= holes[i]!.end) e = holes[i]!.start;
      if (e > zs.start && (!last || e > last.pfn)) last = { pfn: e, nid: n.nid };
    }
  }
  if (best) return c.zone(best.nid, best.zid);
  if (!last) return null;
  // memmap_init(): zone_id is the last populated zone of the last range's node
  const node = c.spec.nodes.find((n) => n.nid === last!.nid)!;
  const zid = Math.max(...node.zones.filter((zs) => zs.end > zs.start).map((zs) => ZONE_NAMES.indexOf(zs.zone)));
  return c.zone(last.nid, zid);
}

/** the isolation unit: a pageblock, or max(MAX_ORDER_NR_PAGES, pageblock_nr_pages) before 5.19 */
export function isoUnit(c: Core): number {
  return c.pol.isolation_granularity === 'pageblock' ? c.pbPages : Math.max(1 << c.maxOrder, c.pbPages);
}
export function isoBounds(c: Core, start: number, end: number): [number, number] {
  const u = isoUnit(c);
  return [start - (start % u), Math.ceil(end / u) * u];
}

/**
 * 5.19–6.9 (isolate_straddle = migrate): isolate_single_pageblock() migrates a PageHuge / LRU / __PageMovable
 * compound page across the boundary with __alloc_contig_migrate_range(head, head + nr). The caller that can migrate
 * (alloc_contig_range, offline_pages) passes this; true when [head, head + nr) was emptied.
 */
export type StraddleMigrate = (head: number, nr: number) => boolean;

/** isolate_single_pageblock(): isolate the block at/before `boundary` and scan for a compound page across it */
function isolateSinglePageblock(c: Core, boundary: number, mode: IsoMode, before: boolean, skip: boolean, migrate?: StraddleMigrate): Verdict {
  const blk = before ? boundary - c.pbPages : boundary;
  const z = validZone(c, firstValid(c, blk, blk + c.pbPages));
  if (!z) return OK;
  const scanFrom = Math.max(blk - (blk % (1 << c.maxOrder)), z.start);
  if (!skip) {
    const r = setMigratetypeIsolate(c, blk, mode, blk, blk + c.pbPages);
    if (!r.ok) return r;
  }
  if (before ? !c.online(boundary) : !c.online(boundary - 1)) return OK;
  for (let p = scanFrom; p < boundary;) {
    if (!c.online(p)) { p++; continue; }
    const b = c.buddyAt(p);
    if (b) { p += 1 << b.order; continue; }
    const e = c.extentContaining(p);
    if (e && e.folio && e.order > 0) {
      const head = e.pfn + Math.floor((p - e.pfn) / (1 << e.order)) * (1 << e.order);
      const nr = 1 << e.order;
      if (head + nr <= boundary) { p = head + nr; continue; }
      // 6.10+: a PageHuge folio is stepped over (the range's migration deals with it); anything else fails
      if (c.pol.isolate_straddle === 'skip_huge' && e.kind === 'hugetlb') { p = head + nr; continue; }
      const why = straddleMigrate(c, e, head, nr, boundary, migrate);
      if (why === null) {
        // 6.1: continue from the free buddy the migration left at p (no buddy there: failed)
        const fb = c.freeContaining(p);
        if (fb) {
          if (fb.pfn + (1 << fb.order) > boundary && fb.order > c.pbo) {
            // split_free_page() at the boundary: the freed folio's buddy goes back in pageblock pieces, each on its
            // own pageblock's list (the isolated one stays apart)
            c.delFreeAccount(fb);
            for (let q = fb.pfn; q < fb.pfn + (1 << fb.order); q += c.pbPages) freeOnePage(c, z, q, c.pbo, c.getMt(q), FPI_NONE);
          }
          p = fb.pfn;
          continue;
        }
      }
      if (!skip) unsetMigratetypeIsolate(c, blk);
      return { ok: false, pfn: head, reason: why ?? `compound page (${kindText(e)}, order ${e.order}) across ${hex(boundary)} migrated, but no free page was left at ${hex(p)}` };
    }
    if (e) { p = Math.min(boundary, e.pfn + e.n); continue; }
    const fb = c.freeContaining(p);
    if (fb) { p = fb.pfn + (1 << fb.order); continue; }
    p++;
  }
  return OK;
}

/**
 * A compound page across an isolation boundary that is not stepped over: null when it was migrated away, else why
 * isolate_single_pageblock() fails (-EBUSY).
 */
function straddleMigrate(c: Core, e: Extent, head: number, nr: number, boundary: number, migrate?: StraddleMigrate): string | null {
  const what = `compound page (${kindText(e)}, order ${e.order}) straddles the pageblock boundary ${hex(boundary)}`;
  if (c.pol.isolate_straddle !== 'migrate') return what;
  if (e.kind !== 'hugetlb' && !isLruOrMovableOps(e.kind)) return what;
  // isolate_or_dissolve_huge_page() fences gigantic folios off with -ENOMEM; isolate_single_pageblock → -EBUSY
  if (e.kind === 'hugetlb' && e.order > c.maxOrder) return `${what}: a gigantic hugetlb folio cannot be migrated or dissolved by alloc_contig_range (isolate_or_dissolve_huge_page -ENOMEM)`;
  if (!migrate) return `${what}: this caller does not migrate it during isolation`;
  return migrate(head, nr) ? null : `${what}: migrating it failed (__alloc_contig_migrate_range)`;
}

/** start_isolate_page_range(); on failure nothing stays isolated */
export function startIsolatePageRange(c: Core, start: number, end: number, mode: IsoMode, migrate?: StraddleMigrate): Verdict {
  const [s, e] = isoBounds(c, start, end);
  if (c.pol.isolation_granularity === 'max_order') {
    // before 5.19: every pageblock of the MAX_ORDER-aligned range, whole pageblocks checked
    for (let p = s; p < e; p += c.pbPages) {
      if (firstValid(c, p, p + c.pbPages) < 0) continue;
      const r = setMigratetypeIsolate(c, p, mode, p, p + c.pbPages);
      if (!r.ok) {
        for (let q = s; q < p; q += c.pbPages) unsetMigratetypeIsolate(c, q);
        return r;
      }
    }
    return OK;
  }
  let r = isolateSinglePageblock(c, s, mode, false, false, migrate);
  if (!r.ok) return r;
  const skip = s === e - c.pbPages;
  r = isolateSinglePageblock(c, e, mode, true, skip, migrate);
  if (!r.ok) { unsetMigratetypeIsolate(c, s); return r; }
  for (let p = s + c.pbPages; p < e - c.pbPages; p += c.pbPages) {
    if (firstValid(c, p, p + c.pbPages) < 0) continue;
    r = setMigratetypeIsolate(c, p, mode, start, end);
    if (!r.ok) {
      for (let q = s; q < p; q += c.pbPages) unsetMigratetypeIsolate(c, q);
      unsetMigratetypeIsolate(c, e - c.pbPages);
      return r;
    }
  }
  return OK;
}

/** undo_isolate_page_range() */
export function undoIsolatePageRange(c: Core, start: number, end: number, restoreMt?: number): void {
  const [s, e] = isoBounds(c, start, end);
  for (let p = s; p < e; p += c.pbPages) if (c.isIsolated(p)) unsetMigratetypeIsolate(c, p, restoreMt);
}

/** why a page is not free for test_pages_isolated */
export function busyReason(c: Core, p: number, drained: boolean): string {
  const pc = c.pcpContaining(p);
  if (pc) return `page on a PCP list${drained ? ' after drain' : ''} (cpu ${pc.e.cpu})`;
  const e = c.extentContaining(p);
  if (e) {
    if (e.freeing >= 0) return `page being freed by cpu ${e.freeing} (refcount 0, not yet on a PCP list or in buddy)`;
    if (e.mods & MOD_PINNED_ANY) return `pinned page: migration failed after 10 passes`;
    if (e.kind === 'hugetlb') return e.hugeFree ? 'free hugetlb folio not dissolved' : 'hugetlb folio not migrated';
    if (isLruOrMovableOps(e.kind)) return `${kindText(e)} page not migrated`;
    return `unmovable page (${kindText(e)})`;
  }
  return 'page not in buddy';
}

/** test_pages_isolated(): every pageblock isolated, every page a buddy (MEM_OFFLINE: HWPoison/PageOffline skipped) */
export function testPagesIsolated(c: Core, start: number, end: number, mode: IsoMode, drained: boolean): Verdict {
  for (let p = c.pbStart(start); p < end; p += c.pbPages) {
    const f = firstValid(c, Math.max(p, start), Math.min(end, p + c.pbPages));
    if (f >= 0 && !c.isIsolated(f)) return { ok: false, pfn: f, reason: `pageblock ${hex(c.pbStart(f))} is not isolated` };
  }
  for (let p = start; p < end;) {
    const b = c.buddyAt(p);
    if (b) { p += 1 << b.order; continue; }
    if (mode === 'offline') {
      const e = c.extentContaining(p);
      if (e && (e.kind === 'hwpoison' || e.kind === 'offline')) { p = Math.min(end, e.pfn + e.n); continue; }
    }
    if (!c.online(p)) return { ok: false, pfn: p, reason: 'not online memory' };
    return { ok: false, pfn: p, reason: busyReason(c, p, drained) };
  }
  return OK;
}

export { freeBlock };
