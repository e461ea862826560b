// The buddy allocator core (mm/page_alloc.c): expand, __rmqueue_smallest, __free_one_page, split_large_buddy,
// and taking specific pfns out of buddy (break_down_buddy_pages / isolate_freepages_range style).
import { ISOLATE, isMergeable } from './consts.js';
import { ALLOC_CMA } from './internal.js';
import type { Core, FreeBlock } from './core.js';
import { zoneWatermarkOk, type Zone } from './zone.js';
import { buddyPfnOf, pow2 } from './pfn.js';
import { MIGRATETYPE_NAMES } from '../shared/format.js';

/** FPI flags */
export const FPI_NONE = 0;
export const FPI_TO_TAIL = 1;
export const FPI_SKIP_REPORT_NOTIFY = 2;

/** page_del_and_expand(): remove b from its list, split it to `order`, account the pages taken */
export function delAndExpand(c: Core, b: FreeBlock, order: number, mt: number): number {
  const z = c.zones[b.zone];
  const high = b.order;
  c.delFree(b);
  const added = expandQuiet(c, z, b.pfn, order, high, mt);
  c.account(z, -(1 << high), b.mt);
  c.account(z, added, mt);
  return b.pfn;
}

/** expand(): split a block of order `high` down to `low`; upper halves go to the HEAD of list mt. Returns pages added. */
export function expandQuiet(c: Core, z: Zone, pfn: number, low: number, high: number, mt: number): number {
  let size = 1 << high;
  let added = 0;
  while (high > low) {
    high--;
    size >>= 1;
    c.addFree(z, pfn + size, high, mt, false);
    added += size;
  }
  return added;
}

/** __rmqueue_smallest(): the smallest order with a block on list mt; take its head; expand. Returns pfn or -1. */
export function rmqueueSmallest(c: Core, z: Zone, order: number, mt: number): number {
  for (let o = order; o <= c.maxOrder; o++) {
    const b = c.listHead(z, o, mt);
    if (!b) continue;
    return delAndExpand(c, b, order, mt);
  }
  return -1;
}

/** page_is_buddy() via find_buddy_page_pfn(): PageBuddy, same order, same zone */
function buddyOf(c: Core, z: Zone, pfn: number, order: number): FreeBlock | undefined {
  const bp = buddyPfnOf(pfn, order);
  const b = c.free.get(bp);
  if (!b || b.order !== order || b.zone !== z.idx) return undefined;
  return b;
}

/** buddy_merge_likely(): is the next-order buddy of the merged block free? (never for order >= MAX_PAGE_ORDER-1) */
function buddyMergeLikely(c: Core, z: Zone, pfn: number, buddyPfn: number, order: number): boolean {
  if (order >= c.maxOrder - 1) return false;
  const higher = Math.min(buddyPfn, pfn); // buddy_pfn & pfn
  return buddyOf(c, z, higher, order + 1) !== undefined;
}

/**
 * __free_one_page(): account, merge with free buddies (the cross-pageblock rule at order >= pageblock_order:
 * ISOLATE/CMA/HIGHATOMIC never merge with another type; 6.10+ retypes a mergeable buddy's pageblock),
 * then place at the head, or the tail for FPI_TO_TAIL / buddy_merge_likely. Returns the final head pfn.
 */
export function freeOnePage(c: Core, z: Zone, pfn: number, order: number, mt: number, fpi: number): number {
  c.account(z, 1 << order, mt);
  let buddyPfn = buddyPfnOf(pfn, order);
  const hygiene = c.pol.freelist_hygiene === 'on';
  const startOrder = order;
  while (order < c.maxOrder) {
    buddyPfn = buddyPfnOf(pfn, order);
    const buddy = buddyOf(c, z, pfn, order);
    if (!buddy) break;
    let buddyMt = mt;
    if (order >= c.pbo) {
      buddyMt = c.getMt(buddyPfn);
      if (mt !== buddyMt && (!isMergeable(mt) || !isMergeable(buddyMt))) break;
    }
    c.delFree(buddy);
    if (!hygiene && buddy.mt !== mt) {
      // pre-6.10: the buddy's pages were accounted under its list type; move the accounting to mt
      c.account(z, -(1 << order), buddy.mt);
      c.account(z, 1 << order, mt);
    }
    if (hygiene && buddyMt !== mt) {
      // 6.10+: "Match buddy type" so expand() later puts sub-blocks on the right lists
      c.setMtRange(buddyPfn, order, mt, 'merged with a ' + MIGRATETYPE_NAMES[mt] + ' buddy (__free_one_page)');
    }
    pfn = Math.min(pfn, buddyPfn); // pfn & buddy_pfn
    order++;
  }
  if (order > startOrder) c.emit({ type: 'merge', pfn, order });
  let tail: boolean;
  if (fpi & FPI_TO_TAIL) tail = true;
  else tail = buddyMergeLikely(c, z, pfn, buddyPfn, order);
  c.addFree(z, pfn, order, mt, tail);
  // page_reporting_notify_free(): a final order >= page_reporting_order requests a reporting pass
  if (!(fpi & FPI_SKIP_REPORT_NOTIFY) && order >= (c.pol.page_reporting_order > 0 && c.pol.page_reporting_order <= c.maxOrder ? c.pol.page_reporting_order : c.pbo)) c.reportDev.notify();
  return pfn;
}

/**
 * free_one_page() → split_large_buddy() (6.10+): a block larger than a pageblock is freed in pageblock-sized
 * chunks, each with its own pageblock's type. Pre-6.10 (__free_pages_ok): the whole block with the type of its
 * first pageblock.
 */
export function freeBlock(c: Core, z: Zone, pfn: number, order: number, fpi: number): void {
  if (c.pol.freelist_hygiene === 'off') {
    freeOnePage(c, z, pfn, order, c.getMt(pfn), fpi);
    return;
  }
  const end = pfn + (1 << order);
  const o = Math.min(order, c.pbo);
  for (let p = pfn; p < end; p += 1 << o) freeOnePage(c, z, p, o, c.getMt(p), fpi);
}

/**
 * memblock_free_all()'s freeBlock(FPI_TO_TAIL) of a MAX_PAGE_ORDER block of fresh memory (nothing in it free yet),
 * in one step when the result is known: with freelist hygiene (6.10+) split_large_buddy() frees it in
 * pageblock-sized chunks, each of which merges with the chunks freed before it (one type, mergeable, one zone)
 * until the last one makes the whole block. Every intermediate block is added and deleted again, so the lists,
 * the free map's order and the counters end as after the final add at the tail, and the reporting request is the
 * one the chunks make. Boot is not an operation: its events have no reader (Machine.run gives every operation its
 * own), so the chunks' merges are not recorded (a TiB machine would make a million of them).
 * `tail`: the block this function returned for the previous block of the zone, when nothing was added since (boot
 * frees a zone's blocks in pfn order: the new block is linked after it without looking the list tail up).
 * Returns the block added, or null (nothing done) when this does not apply.
 */
export function freeFreshMaxOrderToTail(c: Core, z: Zone, pfn: number, order: number, tail: FreeBlock | null): FreeBlock | null {
  if (c.pol.freelist_hygiene !== 'on' || order !== c.maxOrder || order <= c.pbo) return null;
  const mt = c.getMt(pfn);
  if (!isMergeable(mt)) return null;
  const chunks = 1 << (order - c.pbo);
  for (let i = 1; i < chunks; i++) if (c.getMt(pfn + i * c.pbPages) !== mt) return null;
  const reportOrder = c.pol.page_reporting_order > 0 && c.pol.page_reporting_order <= c.maxOrder ? c.pol.page_reporting_order : c.pbo;
  // chunk i merges once per trailing 1 bit of i: the merges make every order from pageblock_order + 1 up
  const merges = chunks - 1;
  c.account(z, chunks * c.pbPages, mt);
  // page_reporting_notify_free() after each chunk: the last chunk's final order is the block's
  if (order >= reportOrder) c.reportDev.notify();
  const b = c.addFreeNew(z, pfn, order, mt, true, tail);
  // the intermediate adds and deletes (freeGen counts every list change)
  c.freeGen += chunks - 1 + merges;
  return b;
}

/**
 * Take [start, start+n) out of buddy (the pages must all be free). Free blocks overlapping the range are removed
 * and the parts outside it are given back on the same list at the head, like break_down_buddy_pages().
 * Returns the first pfn that is not free, or -1 on success (nothing changed on failure).
 */
export function takeFree(c: Core, start: number, n: number): number {
  const end = start + n;
  // check first
  for (let p = start; p < end;) {
    const b = c.freeContaining(p);
    if (!b) return p;
    p = b.pfn + (1 << b.order);
  }
  takeFreeUnchecked(c, start, n);
  return -1;
}

/** takeFree() of pages known to be free (the caller chose them from the free lists) */
export function takeFreeUnchecked(c: Core, start: number, n: number): void {
  const end = start + n;
  for (let p = start; p < end;) {
    const b = c.freeContaining(p)!;
    const bEnd = b.pfn + (1 << b.order);
    const z = c.zones[b.zone];
    const mt = b.mt;
    c.delFreeAccount(b);
    breakDown(c, z, b.pfn, b.order, start, end, mt);
    p = bEnd;
  }
}

/** give back the parts of block [pfn, pfn+2^order) outside [s, e) (head of list mt, accounted) */
function breakDown(c: Core, z: Zone, pfn: number, order: number, s: number, e: number, mt: number): void {
  const bEnd = pfn + (1 << order);
  if (bEnd <= s || pfn >= e) {
    c.addFreeNew(z, pfn, order, mt, false);
    c.account(z, 1 << order, mt);
    return;
  }
  if (pfn >= s && bEnd <= e) return;
  const half = 1 << (order - 1);
  // like break_down_buddy_pages: the half NOT containing the target is added first (higher order first)
  breakDown(c, z, pfn + half, order - 1, s, e, mt);
  breakDown(c, z, pfn, order - 1, s, e, mt);
}

/**
 * __isolate_free_page(page, order) (mm/page_alloc.c; compaction and page reporting take free blocks with it): unless the block is isolated, zone_watermark_ok(order 0, min + 2^order,
 * ALLOC_CMA); unlink with accounting (Reported cleared); order >= pageblock_order - 1 → every mergeable pageblock
 * it covers becomes MOVABLE.
 */
export function isolateFreePage(c: Core, pfn: number, order: number): boolean {
  const b = c.buddyAt(pfn);
  if (!b || b.order !== order) return false;
  const z = c.zones[b.zone]!;
  if (b.mt !== ISOLATE && zoneWatermarkOk(z, 0, z.wmMin + (1 << order), 0, ALLOC_CMA, c.pol.highatomic_watermark) !== null) return false;
  c.delFreeAccount(b);
  if (order >= c.pbo - 1) {
    const n = Math.max(1, pow2(order - c.pbo));
    for (let i = 0; i < n; i++) {
      const p = c.pbStart(pfn) + i * c.pbPages;
      if (!c.isIsolated(p) && isMergeable(c.storedMt(p))) c.setMt(p, 1, '__isolate_free_page of a high-order block');
    }
  }
  return true;
}

/** __putback_isolated_page: __free_one_page(FPI_TO_TAIL | FPI_SKIP_REPORT_NOTIFY) with the current type */
export function putbackIsolatedPage(c: Core, pfn: number, order: number): void {
  const z = c.zoneOf(pfn)!;
  freeOnePage(c, z, pfn, order, c.getMt(pfn), FPI_TO_TAIL | FPI_SKIP_REPORT_NOTIFY);
}

// scratch of takeFreeUnitsUnchecked: the pieces breakDown() would add, in the order it adds them (reused)
const piecePfn: number[] = [];
const pieceOrder: number[] = [];
const pieceAlive: boolean[] = [];
let pieces = 0;
/** indices of the live pieces above the last unit taken, lowest pfn on top */
const above: number[] = [];
let nAbove = 0;

/**
 * breakDown() of [pfn, pfn+2^order) around [s, e) into the scratch pieces, in the same order of adds. It adds every
 * piece above the unit (descending pfn) before every piece below it: the pieces above go on the `above` stack in
 * that order, so its top is the lowest one.
 */
function breakDownLocal(pfn: number, order: number, s: number, e: number): void {
  const bEnd = pfn + (1 << order);
  if (bEnd <= s || pfn >= e) {
    piecePfn[pieces] = pfn;
    pieceOrder[pieces] = order;
    pieceAlive[pieces] = true;
    if (pfn >= e) above[nAbove++] = pieces;
    pieces++;
    return;
  }
  if (pfn >= s && bEnd <= e) return;
  const half = 1 << (order - 1);
  breakDownLocal(pfn + half, order - 1, s, e);
  breakDownLocal(pfn, order - 1, s, e);
}

/**
 * `for (const p of units) takeFreeUnchecked(c, p, us)` (units ascending, disjoint, each inside one free block, as
 * a fill chooses them), leaving exactly the same state: the free map (its order included), the lists, the
 * counters and freeGen. Per free block the units taken from it are played out on scratch pieces first, and only
 * the pieces that are still free at the end are added (at the head, in the order the one-by-one takes would have
 * added them): a block whose units are all taken costs one delete instead of a delete, adds and deletes per unit.
 * `blocks` (optional): the candidate free blocks, ascending, that every unit lies in (found without a probe).
 */
export function takeFreeUnitsUnchecked(c: Core, units: readonly number[], us: number, blocks?: readonly FreeBlock[]): void {
  const n = units.length;
  // the blocks the units are taken from, and the pieces of them left free, in the order the takes add them
  const dels: FreeBlock[] = [];
  const sPfn: number[] = [], sOrder: number[] = [], sMt: number[] = [], sZone: number[] = [];
  let ops = 0; // list changes the one-by-one takes make
  let bi = 0;
  for (let i = 0; i < n;) {
    const u0 = units[i]!;
    let b: FreeBlock;
    if (blocks) {
      while (blocks[bi]!.pfn + pow2(blocks[bi]!.order) <= u0) bi++;
      b = blocks[bi]!;
    } else b = c.freeContaining(u0)!;
    const bEnd = b.pfn + (1 << b.order);
    const z = c.zones[b.zone]!;
    const mt = b.mt;
    dels.push(b);
    c.account(z, -(1 << b.order), mt);
    pieces = nAbove = 0;
    breakDownLocal(b.pfn, b.order, u0, u0 + us);
    ops += 1 + pieces; // the delete of b, then every add and delete of a piece
    for (i++; i < n && units[i]! < bEnd; i++) {
      const p = units[i]!;
      // the piece containing p (what freeContaining finds): pieces above the last unit that end at or below p
      // stay free; the next one contains p (units are free and ascending)
      let k = -1;
      while (nAbove > 0) {
        const x = above[--nAbove]!;
        if (piecePfn[x]! + pow2(pieceOrder[x]!) > p) { k = x; break; }
      }
      if (k < 0 || piecePfn[k]! > p) throw new Error(`takeFreeUnitsUnchecked: page ${p} is not free`);
      pieceAlive[k] = false;
      const added = pieces;
      breakDownLocal(piecePfn[k]!, pieceOrder[k]!, p, p + us);
      ops += 1 + pieces - added;
    }
    let pages = 0;
    for (let k = 0; k < pieces; k++) {
      if (!pieceAlive[k]) continue;
      sPfn.push(piecePfn[k]!);
      sOrder.push(pieceOrder[k]!);
      sMt.push(mt);
      sZone.push(z.idx);
      pages += pow2(pieceOrder[k]!);
    }
    c.account(z, pages, mt);
  }
  // deleting the blocks first and adding the pieces after leaves the lists and the map as the interleaved takes
  // do: a delete does not reorder the others, and a piece whose head is a deleted block's comes after its delete
  c.delFreeMany(dels);
  c.addFreeNewHeads(sPfn.length, sPfn, sOrder, sMt, sZone);
  // freeGen counts every list change of the one-by-one takes: the ones skipped here too
  c.freeGen += ops - dels.length - sPfn.length;
}
