// The compaction's private free-page pool (cc->freepages) and its allocator, pure over {pfn, order}.
// The buddy side (__isolate_free_page, freeing) is the caller's; this only decides which pfn is handed out.
//
// order0 (<= 6.8): isolate_freepages_block adds whole buddies to one list (list_add_tail), then
//   split_map_pages splits each into order-0 pages with list_add onto a temporary list: the list ends up in
//   reverse pfn order, so compaction_alloc (head) hands out the highest pfn first. compaction_alloc returns
//   NULL for nothing else: large folios never get here (isolate_migratepages_block skips every compound page).
// multi_order (>= 6.9, Zi Yan "enable compacting >0 order folios"): cc->freepages[order] keeps buddies whole
//   (list_add_tail); compaction_alloc takes the head of the smallest non-empty list of order >= folio_order,
//   returns its first 2^order pages and puts the upper halves at the heads of the lower lists (list_add).
//   compaction_free puts a target that was not used back at the head of its order's list.
import { pow2 } from '../pfn.js';

export interface FreeBlock {
  pfn: number;
  order: number;
}

export type FreelistMode = 'order0' | 'multi_order';

export class CompactionFreepages {
  /** lists[order], index 0 = list head. In order0 mode only lists[0] is used after split_map_pages. */
  readonly lists: FreeBlock[][];
  /** cc->nr_freepages, in pages */
  nrFreepages = 0;

  constructor(readonly mode: FreelistMode, readonly nrOrders = 11) {
    this.lists = Array.from({ length: nrOrders }, () => []);
  }

  /** isolate_freepages_block: one isolated buddy joins the pool (list_add_tail). */
  add(b: FreeBlock): void {
    this.nrFreepages += pow2(b.order);
    if (this.mode === 'multi_order') this.lists[b.order]!.push({ ...b });
    else this.pending.push({ ...b });
  }

  private pending: FreeBlock[] = [];

  /**
   * End of isolate_freepages (order0 only): split_map_pages. Every pending block is split to order 0 and
   * each page list_add'ed onto a temporary list, which is spliced at the head of cc->freepages.
   * Returns the splits done (pfn, from order) for the event log.
   */
  splitMapPages(): FreeBlock[] {
    if (this.mode !== 'order0') return [];
    // list_add of every page in turn = the pages in reverse order (built from the back: linear, not unshift)
    const total = this.pending.reduce((s, b) => s + pow2(b.order), 0);
    const tmp: FreeBlock[] = new Array(total);
    let i = total;
    for (const b of this.pending) for (let k = 0; k < pow2(b.order); k++) tmp[--i] = { pfn: b.pfn + k, order: 0 };
    const split = this.pending.filter((b) => b.order > 0);
    this.pending = [];
    this.lists[0] = this.lists[0]!.length ? tmp.concat(this.lists[0]!) : tmp;
    return split;
  }

  get empty(): boolean {
    return this.nrFreepages === 0;
  }

  /**
   * compaction_alloc without the refill: the target for a folio of `order`, or null (the caller then runs
   * isolate_freepages once and retries; still null means -ENOMEM for this folio).
   * `splits` receives the blocks broken up to serve it (multi_order).
   */
  take(order: number, splits: { pfn: number; fromOrder: number; toOrder: number }[] = []): FreeBlock | null {
    if (this.mode === 'order0') {
      if (order > 0) return null;
      const b = this.lists[0]!.shift();
      if (!b) return null;
      this.nrFreepages -= 1;
      return b;
    }
    let start = order;
    while (start < this.nrOrders && this.lists[start]!.length === 0) start++;
    if (start >= this.nrOrders) return null;
    const b = this.lists[start]!.shift()!;
    let size = pow2(start);
    if (start > order) splits.push({ pfn: b.pfn, fromOrder: start, toOrder: order });
    while (start > order) {
      start--;
      size >>= 1;
      this.lists[start]!.unshift({ pfn: b.pfn + size, order: start });
    }
    this.nrFreepages -= pow2(order);
    return { pfn: b.pfn, order };
  }

  /** compaction_free: a target migrate_pages did not use goes back to the head of its list. */
  giveBack(b: FreeBlock): void {
    this.nrFreepages += pow2(b.order);
    this.lists[this.mode === 'multi_order' ? b.order : 0]!.unshift({ ...b });
  }

  /** release_free_list / release_freepages: everything left, in list order (order 0 list first). */
  drainAll(): FreeBlock[] {
    const out = [...this.pending, ...this.lists.flat()];
    this.pending = [];
    for (const l of this.lists) l.length = 0;
    this.nrFreepages = 0;
    return out;
  }
}
