// alloc_contig_range / alloc_contig_pages (mm/page_alloc.c §5 of the rule book), phase by phase:
// isolate → drain → migrate → dissolve → test → take → undo.
import type { Core } from './core.js';
import type { Migration } from './api.js';
import type { Errno } from './scenario.js';
import { COMPACT_CLUSTER_MAX, CONTIG_MIGRATE_TRIES, MAX_FOLIO_ORDER } from './consts.js';
import { busyReason, findLargeBuddy, sectionHasMemmap, startIsolatePageRange, testPagesIsolated, undoIsolatePageRange, validZone, type IsoMode, type StraddleMigrate } from './isolation.js';
import { drainAll, zonePcpDisable, zonePcpEnable } from './pcp.js';
import { migratePages, isMigratable, MIGRATE_GFP_CONTIG } from './migrate.js';
import { allocAndDissolve } from './hugetlb.js';
import { freeOnePage, FPI_NONE } from './buddy.js';
import { freeNow } from './free.js';
import { parseGfp, __GFP_COMP, __GFP_NOFAIL, __GFP_NORETRY, GFP_KERNEL, __GFP_HIGHMEM, __GFP_DMA, __GFP_DMA32, __GFP_MOVABLE, __GFP_THISNODE, __GFP_RECLAIMABLE, __GFP_WRITE, __GFP_HARDWALL, __GFP_IO, __GFP_FS, __GFP_RECLAIM, __GFP_RETRY_MAYFAIL, __GFP_NOWARN, __GFP_ZERO } from './gfp.js';
import { zonelist } from './alloc.js';
import type { Zone } from './zone.js';
import { extentsOfZone } from './populate.js';
import { pushAll } from './arrays.js';
import { SLAB_OBJECT_CAVEAT } from './reclaim/slab-pick.js';
import { hex } from '../shared/format.js';
import { MOD_BIT, MOD_PINNED_ANY } from './core.js';
import { opErr, type OpOutcome } from './api.js';
import { pow2 } from './pfn.js';

/** An OpResult before the machine attaches the op's events. */
const fail = (errno: Errno, pfn: number | null, reason: string, migrations: Migration[]): OpOutcome => opErr(errno, reason, pfn, { migrations });

export interface AcrOpts {
  cma: boolean;
  gfp: number;
  cpu: number;
  owner: string | null;
  kind?: 'kernel' | 'hugetlb';
}

/**
 * isolate_migratepages_range() (cc->alloc_contig): isolate up to COMPACT_CLUSTER_MAX pages of folios from pfn.
 * isolate_migratepages_block, one call per pageblock, counts COMPACTISOLATED for the pages it isolated; a block
 * that ends in -ENOMEM puts its pages back first (isolate_fail) and counts none.
 */
function isolateMigratepages(c: Core, pfn: number, end: number, o: AcrOpts, z: Zone, mig: Migration[]): { heads: number[]; next: number; err: OpOutcome | null } {
  const r = isolateMigratepagesRange(c, pfn, end, o, z, mig);
  c.vm.compact_isolated += r.counted;
  return r;
}

function isolateMigratepagesRange(c: Core, pfn: number, end: number, o: AcrOpts, z: Zone, mig: Migration[]): { heads: number[]; next: number; err: OpOutcome | null; counted: number } {
  const heads: number[] = [];
  let n = 0;
  let p = pfn;
  // pages isolated before the current pageblock (its isolate_migratepages_block call) began
  let block = c.pbStart(p), beforeBlock = 0;
  const enomem = (err: OpOutcome) => ({ heads, next: p, err, counted: beforeBlock });
  while (p < end) {
    if (c.pbStart(p) !== block) { block = c.pbStart(p); beforeBlock = n; }
    // pageblock_pfn_to_page(block_start, block_end, cc->zone): a pageblock of another zone is skipped
    if (p % c.pbPages === 0 || p === pfn) {
      const pbEnd = Math.min(end, c.pbStart(p) + c.pbPages);
      if (c.zoneOf(p) !== z || c.zoneOf(pbEnd - 1) !== z) { p = pbEnd; continue; }
    }
    const fb = c.freeContaining(p);
    if (fb) { p = fb.pfn + (1 << fb.order); continue; }
    const pc = c.pcpContaining(p);
    if (pc) { p = pc.pfn + (1 << pc.e.order); continue; }
    const e0 = c.extentContaining(p);
    if (!e0) { p++; continue; }
    const us = 1 << e0.order;
    const head = e0.pfn + Math.floor((p - e0.pfn) / us) * us;
    const nextP = e0.folio ? head + us : Math.min(e0.pfn + e0.n, end);
    if (e0.kind === 'hugetlb') {
      // isolate_or_dissolve_huge_folio()
      if (e0.order > c.maxOrder) return enomem(fail('ENOMEM', head, `gigantic hugetlb folio at ${hex(head)} (order ${e0.order} > MAX_PAGE_ORDER)`, mig));
      if (e0.hugeFree) {
        const r = allocAndDissolve(c, head, o.cpu);
        if (!r.ok) return enomem(fail('ENOMEM', head, r.reason ?? 'no replacement hugetlb folio', mig));
        p = head + us;
        continue;
      }
      heads.push(head); n += us; p = nextP;
    } else if (isMigratable(e0) && e0.freeing < 0) {
      if (e0.folio) { heads.push(head); n += us; }
      else for (let q = Math.max(p, e0.pfn); q < nextP; q++) { heads.push(q); n++; if (n >= COMPACT_CLUSTER_MAX) { p = q + 1; return { heads, next: p, err: null, counted: n }; } }
      p = nextP;
    } else {
      p = nextP;
    }
    if (n >= COMPACT_CLUSTER_MAX) break;
  }
  return { heads, next: p, err: null, counted: n };
}

/**
 * COMPACTISOLATED of isolate_freepages_range(start, end): one strict isolate_freepages_block per pageblock-sized
 * chunk (the next chunk begins where the last buddy ended); a chunk that meets a non-buddy page counts nothing
 * and ends the range. `stop`: where pageblock_pfn_to_page ended it (a pageblock of another zone), else end.
 */
function freeRangeIsolated(c: Core, start: number, stop: number, end: number): number {
  let counted = 0, p = start;
  while (p < stop) {
    const chunkEnd = Math.min(c.pbStart(p) + c.pbPages, end);
    let taken = 0;
    while (p < chunkEnd) {
      const b = c.buddyAt(p);
      if (!b) return counted;
      taken += 1 << b.order;
      p += 1 << b.order;
    }
    counted += taken;
  }
  return counted;
}

/** what alloc_contig_range did with the range's folios: pages reclaimed (clean page cache) and migrated */
export interface ContigStats {
  reclaimed: number;
  migrated: number;
}

/**
 * reclaim_clean_pages_from_list() (mm/vmscan.c): the isolated folios that are file LRU, not dirty, not movable_ops,
 * not unevictable and not hugetlb go through shrink_folio_list (may_unmap = 1, ignore_references = true: mapped
 * ones are unmapped, references are not checked). Writeback folios (case 2, global reclaim) and maybe-DMA-pinned
 * ones go to activate_locked (PG_active) and stay on the list; the rest are freed. Returns the folios left.
 */
function reclaimCleanPagesFromList(c: Core, list: number[], cpu: number, st: ContigStats): number[] {
  const left: number[] = [];
  for (const h of list) {
    const e = c.extentContaining(h);
    if (!e || e.kind !== 'file' || e.mods & (MOD_BIT.dirty | MOD_BIT.unevictable)) { left.push(h); continue; }
    const n = e.folio ? Math.min(1 << e.order, e.pfn + e.n - h) : 1;
    if (e.mods & (MOD_BIT.writeback | MOD_PINNED_ANY)) {
      // folio_clear_active, then activate_locked: folio_set_active
      if (!(e.mods & MOD_BIT.active)) c.carve(e, h, n).mods |= MOD_BIT.active;
      left.push(h);
      continue;
    }
    freeNow(c, h, n, cpu); // __remove_mapping + free_unref_folios
    st.reclaimed += n;
  }
  return left;
}

/** __alloc_contig_migrate_range(): migrate until the range is done; 5 tries without progress → -EBUSY */
function alloc_contig_migrate_range(c: Core, start: number, end: number, o: AcrOpts, z: Zone, mig: Migration[], st: ContigStats): OpOutcome | null {
  const nid = z.nid;
  let pfn = start;
  let list: number[] = [];
  let tries = 0;
  const offlineRetry = c.pol.contig_retry === 'offline';
  // migrate_pages passes since pages were last isolated: the simulated user's fatal signal comes after
  // policies.offline_signal_after of them (fatal_signal_pending at the top of the loop → -EINTR)
  let stuck = 0;
  while (pfn < end || list.length) {
    if (stuck >= c.pol.offline_signal_after) {
      return fail('EINTR', list[0] ?? null, `fatal signal after ${stuck} migration passes without progress${offlineRetry ? ' (contig_retry=offline)' : ''}`, mig);
    }
    if (!list.length) {
      const r = isolateMigratepages(c, pfn, end, o, z, mig);
      if (r.err) return r.err;
      list = r.heads;
      pfn = r.next;
      tries = 0;
      stuck = 0;
      if (!list.length) continue;
    } else if (++tries === CONTIG_MIGRATE_TRIES && !offlineRetry) {
      // -EBUSY: alloc_contig_range falls through to test_pages_isolated
      return null;
    }
    stuck++;
    list = reclaimCleanPagesFromList(c, list, o.cpu, st);
    if (!list.length) continue;
    // migration targets are movable whatever the caller's gfp: GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL
    // (mtc in __alloc_contig_migrate_range ≤6.12; __alloc_contig_verify_gfp_mask adds the same bits later)
    // zone and placement bits of the caller never reach the targets (≤6.12: mtc.gfp_mask is the constant;
    // later __alloc_contig_verify_gfp_mask strips GFP_ZONEMASK/__GFP_THISNODE/__GFP_MOVABLE first): a
    // GFP_HIGHUSER caller (gigantic hugetlb) must not get ZONE_MOVABLE targets
    const base = o.gfp & ~(__GFP_HIGHMEM | __GFP_DMA | __GFP_DMA32 | __GFP_MOVABLE | __GFP_THISNODE);
    const before = mig.length;
    const r = migratePages(c, list, { reason: 'MR_CONTIG_RANGE', nid, cpu: o.cpu, gfp: base | MIGRATE_GFP_CONTIG }, mig);
    for (let i = before; i < mig.length; i++) if (mig[i].result === 'ok') st.migrated += pow2(mig[i].order);
    if (r.enomem) return fail('ENOMEM', r.failed[0] ?? null, 'no migration target (migrate_pages -ENOMEM)', mig);
    list = r.failed;
  }
  return null;
}

/**
 * For isolate_straddle = migrate (5.19–6.9): isolate_single_pageblock() → __alloc_contig_migrate_range(head,
 * head + nr) on a compound page across the boundary; true when the folio left. (6.1 also isolates the head's
 * pageblock for the time of it; targets are not kept out of that pageblock here.)
 */
export function straddleMigrator(c: Core, o: AcrOpts, mig: Migration[], st: ContigStats): StraddleMigrate {
  return (head, nr) => {
    const before = c.extentContaining(head);
    const z = c.zoneOf(head);
    if (!before || !z) return false;
    const r = alloc_contig_migrate_range(c, head, head + nr, o, z, mig, st);
    return r === null && c.extentContaining(head) !== before;
  };
}

/** replace_free_hugepage_folios(): free hugetlb folios left in the range get a replacement and are dissolved */
function replaceFreeHugepageFolios(c: Core, start: number, end: number, cpu: number): OpOutcome | null {
  for (const e of c.extentsIn(start, end)) {
    if (e.kind !== 'hugetlb' || !e.hugeFree) continue;
    const r = allocAndDissolve(c, e.pfn, cpu);
    if (!r.ok) return fail('ENOMEM', e.pfn, r.reason ?? 'no replacement hugetlb folio', []);
  }
  return null;
}

/** validate the gfp of alloc_contig_range: only reclaim bits plus COMP/RETRY_MAYFAIL/NOWARN/ZERO are allowed */
export function contigGfp(names: string[]): { gfp: number; err: string | null } {
  const { gfp, unknown } = names.length ? parseGfp(names) : { gfp: GFP_KERNEL, unknown: null };
  if (unknown) return { gfp, err: `unknown gfp flag ${unknown}` };
  if (gfp & (__GFP_NOFAIL | __GFP_NORETRY)) return { gfp, err: 'gfp flags not allowed for alloc_contig_range (__GFP_NOFAIL/__GFP_NORETRY)' };
  // __alloc_contig_verify_gfp_mask(): zone/placement hints are ignored; anything but reclaim bits and
  // COMP/RETRY_MAYFAIL/NOWARN/ZERO (e.g. __GFP_HIGH of GFP_ATOMIC, __GFP_ACCOUNT, __GFP_[NO]MEMALLOC) is -EINVAL
  const hints = __GFP_HIGHMEM | __GFP_DMA | __GFP_DMA32 | __GFP_MOVABLE | __GFP_RECLAIMABLE | __GFP_WRITE | __GFP_HARDWALL | __GFP_THISNODE;
  const allowed = __GFP_IO | __GFP_FS | __GFP_RECLAIM | __GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN | __GFP_ZERO;
  if (gfp & ~(hints | allowed)) return { gfp, err: 'gfp flags not allowed for alloc_contig_range (only reclaim flags and __GFP_COMP/__GFP_RETRY_MAYFAIL/__GFP_NOWARN/__GFP_ZERO)' };
  return { gfp: gfp & ~(__GFP_HIGHMEM | __GFP_DMA | __GFP_DMA32 | __GFP_MOVABLE | __GFP_THISNODE), err: null };
}

/** alloc_contig_range(start, end, ACR_FLAGS_CMA?, gfp) as a phase generator */
export function* allocContigRange(c: Core, start: number, end: number, o: AcrOpts): Generator<string, OpOutcome, void> {
  const mig: Migration[] = [];
  if (end <= start) return fail('EINVAL', start, 'empty range', mig);
  if (o.gfp & __GFP_COMP && Math.log2(end - start) > MAX_FOLIO_ORDER) return fail('EINVAL', start, '__GFP_COMP range larger than MAX_FOLIO_ORDER', mig);
  // Only memory that has a memmap is a valid range (callers pass such ranges: cma, virtio-mem, hugetlb). A
  // firmware hole inside a present section does have one — PageReserved pages (init_unavailable_range) — and
  // start_isolate_page_range() meets it in its own order (first pageblock, last, then the rest):
  // __first_valid_page() returns it and has_unmovable_pages() refuses it → -EBUSY (isolation.ts firstValid)
  for (let p = start; p < end;) {
    const q = Math.min(end, c.pbStart(p) + c.pbPages);
    // a pageblock lies in one section: online at its start, or the section has memory somewhere
    if (c.firstOnline(p, q) !== p && !sectionHasMemmap(c, p)) return fail('EINVAL', p, `pfn ${hex(p)} has no memmap (no present section): not a range alloc_contig_range can be given`, mig);
    p = q;
  }
  const z = validZone(c, start)!;
  const mode: IsoMode = o.cma ? 'cma' : 'other';
  const disable = c.pol.contig_pcp === 'disable';
  if (c.pol.contig_slab_shrink === 'on') shrinkSlabInRange(c, start, end, o.cpu);
  if (disable) zonePcpDisable(c, z);
  const st: ContigStats = { reclaimed: 0, migrated: 0 };
  const iso = startIsolatePageRange(c, start, end, mode, straddleMigrator(c, o, mig, st));
  if (!iso.ok) {
    if (disable) zonePcpEnable(c, z);
    return fail('EBUSY', iso.pfn, iso.reason ?? 'isolation failed', mig);
  }
  yield 'isolate';
  const done = (r: OpOutcome): OpOutcome => {
    undoIsolatePageRange(c, start, end, o.cma ? 4 : 1);
    if (disable) zonePcpEnable(c, z);
    r.contig = st;
    return r;
  };
  if (!disable) drainAll(c, [z], null);
  yield 'drain';
  const mr = alloc_contig_migrate_range(c, start, end, o, z, mig, st);
  // no LRU_GEN_CAVEAT: reclaim_clean_pages_from_list takes the range's own folios (not the LRU's order), MGLRU or not
  if (st.reclaimed) c.note(`alloc_contig_range: reclaim_clean_pages_from_list: ${st.reclaimed} clean page-cache pages reclaimed, ${st.migrated} migrated`);
  if (mr && mr.errno !== 'EBUSY') { yield 'migrate'; return done({ ...mr, migrations: mig }); }
  yield 'migrate';
  const hr = replaceFreeHugepageFolios(c, start, end, o.cpu);
  if (hr) { yield 'dissolve'; return done({ ...hr, migrations: mig }); }
  yield 'dissolve';
  const outerStart = findLargeBuddy(c, start);
  const t = testPagesIsolated(c, outerStart, end, mode, !disable);
  yield 'test';
  if (!t.ok) return done(fail('EBUSY', t.pfn, t.reason ?? 'test_pages_isolated failed', mig));
  // isolate_freepages_range(outer_start, end): a pageblock outside cc->zone ends it (pageblock_pfn_to_page) → -EBUSY
  for (let q = outerStart; q < end; q = c.pbStart(q) + c.pbPages) {
    if (c.zoneOf(q) !== z || c.zoneOf(Math.min(end, c.pbStart(q) + c.pbPages) - 1) !== z) {
      c.vm.compact_isolated += freeRangeIsolated(c, outerStart, q, end);
      return done(fail('EBUSY', q, `isolate_freepages_range: pfn ${hex(q)} is not in ${z.name}, the zone of the range's first page`, mig));
    }
  }
  // every pfn must be a buddy; take them all
  c.vm.compact_isolated += freeRangeIsolated(c, outerStart, end, end);
  let p = outerStart;
  let outerEnd = end;
  while (p < end) {
    const b = c.buddyAt(p);
    if (!b) return done(fail('EBUSY', p, busyReason(c, p, true), mig));
    c.delFreeAccount(b);
    p += 1 << b.order;
    outerEnd = p;
  }
  // free the outer parts back (onto the ISOLATE lists), keep [start, end)
  const back = (s: number, e: number): void => {
    let q = s;
    while (q < e) {
      let order = 0;
      while (order < c.maxOrder && q % (1 << (order + 1)) === 0 && q + (1 << (order + 1)) <= e) order++;
      freeOnePage(c, c.zoneOf(q)!, q, order, c.getMt(q), FPI_NONE);
      q += 1 << order;
    }
  };
  if (o.gfp & __GFP_COMP) {
    // __GFP_COMP (6.12+): one compound page if the grabbed range is exactly [start, end) and a power of two
    // (prep_new_page), else -EINVAL (WARN "PFN range: requested ... allocated ..."). The pages are released
    // here as the later release_free_list() fix does; kernels without it leak them.
    const nr = end - start;
    if (start !== outerStart || end !== outerEnd || (nr & (nr - 1)) !== 0) {
      back(outerStart, outerEnd);
      yield 'take';
      return done(fail('EINVAL', start, `__GFP_COMP: requested [${hex(start)}, ${hex(end)}) but grabbed [${hex(outerStart)}, ${hex(outerEnd)})`, mig));
    }
    c.addExtent(c.newExtent(start, nr, Math.log2(nr), true, o.kind ?? 'kernel', 0, o.owner));
  } else {
    back(outerStart, start);
    back(end, outerEnd);
    c.addExtent(c.newExtent(start, end - start, 0, false, o.kind ?? 'kernel', 0, o.owner));
  }
  yield 'take';
  const r = done({ ok: true, errno: null, pfn: null, reason: null, allocated: [{ pfn: start, pages: end - start }], migrations: mig });
  yield 'undo';
  return r;
}

/** contig_slab_shrink=on (seed 000 proposal b): drop reclaimable slab pages in the range before isolating */
function shrinkSlabInRange(c: Core, start: number, end: number, cpu: number): void {
  let freed = 0;
  for (const e of c.extentsIn(start, end)) {
    if (e.kind === 'slab' && e.mods & MOD_BIT.reclaimable) {
      // a slab folio is freed whole (mm/slub.c __free_slab), so the pages freed are the whole folios the range meets
      const u = e.folio ? 1 << e.order : 1;
      const s = e.pfn + Math.floor((Math.max(start, e.pfn) - e.pfn) / u) * u;
      const t = Math.min(e.pfn + e.n, e.pfn + Math.ceil((Math.min(end, e.pfn + e.n) - e.pfn) / u) * u);
      c.note(`slab shrink (proposal): ${t - s} reclaimable slab pages at ${hex(s)} freed`);
      freeNow(c, s, t - s, cpu);
      freed += t - s;
    }
  }
  if (freed) c.note(`slab shrink (proposal): ${SLAB_OBJECT_CAVEAT}`);
}

/** run a phase generator to completion */
export function drive<T>(g: Generator<string, T, void>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** pfn_range_valid_contig() (<= 6.18): online, same zone, not Reserved, not hugetlb */
function pfnRangeValidContig(c: Core, z: Zone, start: number, nr: number): boolean {
  for (let p = start; p < start + nr;) {
    if (c.zoneOf(p) !== z) return false;
    const e = c.extentContaining(p);
    if (e && (e.kind === 'reserved' || e.kind === 'hugetlb')) return false;
    if (e) { p = e.pfn + e.n; continue; }
    const b = c.freeContaining(p);
    if (b) { p = b.pfn + (1 << b.order); continue; }
    p++;
  }
  return true;
}

/** alloc_contig_pages(nr, gfp, nid): walk the zonelist, naturally aligned candidates, first success wins */
export function allocContigPages(c: Core, nr: number, gfp: number, nid: number, highestZone: number, o: AcrOpts, onlyZone: Zone | null): OpOutcome & { tried: number } {
  let tried = 0;
  const mig: Migration[] = [];
  let last: OpOutcome | null = null;
  const st: ContigStats = { reclaimed: 0, migrated: 0 };
  const zones = onlyZone ? [onlyZone] : zonelist(c, nid, highestZone, !!(gfp & __GFP_THISNODE));
  for (const z of zones) {
    // pfn = ALIGN(zone_start_pfn, nr_pages): the mask formula (x + nr − 1) & ~(nr − 1), natural alignment for a
    // power of two, and the same bit arithmetic (not a rounding) for any other nr (alloc_contig_pages, 6.12)
    const v = z.start + nr - 1;
    let pfn = v - ((v % 2 ** 31) & (nr - 1));
    while (pfn + nr - 1 < z.end) {
      if (pfnRangeValidContig(c, z, pfn, nr)) {
        tried++;
        const r = drive(allocContigRange(c, pfn, pfn + nr, o));
        pushAll(mig, r.migrations);
        if (r.contig) { st.reclaimed += r.contig.reclaimed; st.migrated += r.contig.migrated; }
        if (r.ok) return { ...r, migrations: mig, tried, contig: st };
        last = r;
      }
      pfn += nr;
    }
  }
  return { ok: false, errno: 'ENOMEM', pfn: last?.pfn ?? null, reason: `no suitable range of ${nr} pages${last ? ` (last attempt: -${last.errno} ${last.reason})` : ''}`, allocated: [], migrations: mig, tried, ...(tried ? { contig: st } : {}) };
}

export { MIGRATE_GFP_CONTIG, extentsOfZone };
