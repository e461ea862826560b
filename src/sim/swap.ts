// Swap slots a label's anon pages occupy after reclaim swapped them out. In the kernel the memory still exists:
// the page tables hold swap entries, and munmap/exit (zap_pte_range → free_swap_and_cache_nr, mm/memory.c and
// mm/swapfile.c) gives the slots back. The simulator records them per owner (Extent.owner, a label) as ranges of
// the pfns the owner's operation recorded (a migrated folio counts by the pfn it was allocated at, Core.moved), so
// a `free` of the label frees the slots of its swapped pages and the pages of its resident ones.
// Compact: one sorted flat array [start, n, start, n, …] per owner (a long pressure run swaps out millions of
// pages, mostly in runs: reclaim takes an operation's pages in pfn order). Arrays are never changed in place (the
// journal versions Core.swapped: vmap.ts), every change makes a new one.
import type { Core } from './core.js';

export interface Range { pfn: number; pages: number }

/** the key of pages without an owner (allocated outside a scenario's labels): their slots are never freed */
const NO_OWNER = '';

/** the pfn the unit at `head` was recorded at by its owner's operation (before any migration) */
export function originOf(c: Core, head: number): number {
  const k = c.movedKey.get(head);
  return k === undefined ? head : Number(k.slice(k.indexOf('\u0000') + 1));
}

/** pages swapped out during one reclaim batch, per owner: applied together (one new array per owner) */
export class SwapBatch {
  private readonly add = new Map<string, number[]>();
  note(owner: string | null, origin: number, pages: number): void {
    const k = owner ?? NO_OWNER;
    let l = this.add.get(k);
    if (!l) this.add.set(k, (l = []));
    const n = l.length;
    if (n && l[n - 2]! + l[n - 1]! === origin) l[n - 1]! += pages;
    else l.push(origin, pages);
  }
  commit(c: Core): void {
    for (const [k, l] of this.add) c.swapped.set(k, mergeRuns(c.swapped.get(k) ?? [], l));
    this.add.clear();
  }
}

/**
 * `runs` with the runs of `add` ([start, n, …], any order) added, in one pass: the union, with touching runs merged
 * (the recorded pfns of one owner are disjoint). A new array; `runs` is not changed.
 */
function mergeRuns(runs: readonly number[], add: readonly number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < add.length; i += 2) order.push(i);
  order.sort((x, y) => add[x]! - add[y]!);
  const out: number[] = [];
  const push = (s: number, n: number): void => {
    const m = out.length;
    if (m && out[m - 2]! + out[m - 1]! >= s) out[m - 1] = Math.max(out[m - 2]! + out[m - 1]!, s + n) - out[m - 2]!;
    else out.push(s, n);
  };
  let i = 0, j = 0;
  while (i < runs.length || j < order.length) {
    if (j >= order.length || (i < runs.length && runs[i]! <= add[order[j]!]!)) { push(runs[i]!, runs[i + 1]!); i += 2; }
    else { const x = order[j++]!; push(add[x]!, add[x + 1]!); }
  }
  return out;
}

/** index of the first run of `runs` that ends after pfn `p` (runs.length / 2 when none) */
function firstEndingAfter(runs: readonly number[], p: number): number {
  let lo = 0, hi = runs.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[2 * mid]! + runs[2 * mid + 1]! <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** the parts of `ranges` (recorded pfns of `owner`) that are in swap, in order */
export function swappedIn(c: Core, owner: string, ranges: readonly Range[]): Range[] {
  const runs = c.swapped.get(owner);
  if (!runs) return [];
  const out: Range[] = [];
  for (const r of ranges) {
    const end = r.pfn + Math.max(1, r.pages);
    for (let i = 2 * firstEndingAfter(runs, r.pfn); i < runs.length && runs[i]! < end; i += 2) {
      const s = Math.max(r.pfn, runs[i]!), t = Math.min(end, runs[i]! + runs[i + 1]!);
      if (s < t) out.push({ pfn: s, pages: t - s });
    }
  }
  return out;
}

/**
 * munmap of swapped-out pages: zap_pte_range → free_swap_and_cache_nr (mm/memory.c, mm/swapfile.c) puts each slot
 * back (get_nr_swap_pages grows). `ranges` come from swappedIn. Returns the slots freed.
 */
export function freeSwapSlots(c: Core, owner: string, ranges: readonly Range[]): number {
  const runs = c.swapped.get(owner);
  if (!runs) return 0;
  const cut = ranges.slice().sort((a, b) => a.pfn - b.pfn);
  const next: number[] = [];
  let freed = 0, k = 0;
  // one sweep: each run less the cut ranges inside it
  for (let i = 0; i < runs.length; i += 2) {
    let s = runs[i]!;
    const t = s + runs[i + 1]!;
    while (k < cut.length && cut[k]!.pfn + cut[k]!.pages <= s) k++;
    for (; k < cut.length && cut[k]!.pfn < t; k++) {
      const a = Math.max(s, cut[k]!.pfn), b = Math.min(t, cut[k]!.pfn + cut[k]!.pages);
      if (a > s) next.push(s, a - s);
      freed += b - a;
      s = b;
      if (cut[k]!.pfn + cut[k]!.pages > t) break;
    }
    if (s < t) next.push(s, t - s);
  }
  if (next.length) c.swapped.set(owner, next);
  else c.swapped.delete(owner);
  c.swapFree += freed;
  return freed;
}

/** pages in swap according to the per-owner records (the swap invariant: this + swapFree == the device's size) */
export function swappedTotal(c: Core): number {
  let n = 0;
  for (const runs of c.swapped.values()) for (let i = 1; i < runs.length; i += 2) n += runs[i]!;
  return n;
}

/** the swap ranges themselves are well formed: sorted, disjoint, not touching, positive */
export function swappedRunsBad(c: Core): string | null {
  for (const [k, runs] of c.swapped) {
    if (!runs.length || runs.length % 2) return `swap record of '${k}' has ${runs.length} numbers`;
    for (let i = 0; i < runs.length; i += 2) {
      if (!(runs[i + 1]! > 0) || (i && runs[i - 2]! + runs[i - 1]! >= runs[i]!)) return `swap record of '${k}' is not sorted disjoint ranges at ${i / 2}`;
    }
  }
  return null;
}
