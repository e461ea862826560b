// /proc/kpageflags (Documentation/admin-guide/mm/pagemap.rst; fs/proc/page.c stable_page_flags()): one 64-bit
// little-endian word per pfn. Pure: the caller reads the file in bounded chunks and feeds them in pfn order; this
// keeps only run-length kinds, compound (THP) heads and all-zero pageblocks, never a word per page.
export const KPF = {
  LRU: 5, SLAB: 7, BUDDY: 10, ANON: 12, SWAPBACKED: 14, COMPOUND_HEAD: 15, COMPOUND_TAIL: 16, HUGE: 17, NOPAGE: 20,
  THP: 22, OFFLINE: 23, PGTABLE: 26, RESERVED: 32,
} as const;

/** what a page is, as far as the flags say; `free` = in the buddy (KPF_BUDDY), `none` = all flags zero */
export type KpfKind = 'free' | 'anon' | 'file' | 'slab' | 'pagetable' | 'hugetlb' | 'reserved' | 'offline' | 'nopage' | 'kernel' | 'none';

/** bit n of the 64-bit flags word (lo, hi). A module function, not a closure made per call: kindOf runs for every
 *  page of a live machine (6 million for 24 GiB), and under tsx each closure cost an Object.defineProperty
 *  (esbuild's keepNames), a quarter of `verify --live`'s time. */
function bit(lo: number, hi: number, n: number): number {
  return n < 32 ? (lo >>> n) & 1 : (hi >>> (n - 32)) & 1;
}

export function kindOf(lo: number, hi: number): KpfKind {
  if (bit(lo, hi, KPF.NOPAGE)) return 'nopage';
  if (bit(lo, hi, KPF.BUDDY)) return 'free';
  if (bit(lo, hi, KPF.OFFLINE)) return 'offline';
  if (bit(lo, hi, KPF.RESERVED)) return 'reserved';
  if (bit(lo, hi, KPF.HUGE)) return 'hugetlb';
  if (bit(lo, hi, KPF.SLAB)) return 'slab';
  if (bit(lo, hi, KPF.PGTABLE)) return 'pagetable';
  if (bit(lo, hi, KPF.ANON) || bit(lo, hi, KPF.SWAPBACKED)) return 'anon';
  if (bit(lo, hi, KPF.LRU)) return 'file';
  if (!lo && !hi) return 'none';
  return 'kernel';
}

export interface KpfRun { start: number; end: number; kind: KpfKind }
export interface KpfSummary {
  /** maximal runs of one kind, in pfn order (at most maxRuns; `truncated` past that) */
  runs: KpfRun[];
  /** THP compound pages: head pfn, order (from the head and its tails), anon or file */
  thp: { pfn: number; order: number; kind: 'anon' | 'file' }[];
  /** first pfns of pageblocks whose words are all zero (memmap never initialised, or never touched) */
  zeroBlocks: Set<number>;
  truncated: boolean;
  words: number;
}

export class KpfSummariser {
  readonly s: KpfSummary = { runs: [], thp: [], zeroBlocks: new Set(), truncated: false, words: 0 };
  private head: { pfn: number; n: number; kind: 'anon' | 'file' } | null = null;
  private pbZero = true;
  constructor(private readonly pbPages: number, private readonly maxRuns: number) {}

  /** feeds `buf` (whole 8-byte words) holding pfns firstPfn… ; calls must come in ascending, non-overlapping pfn order */
  add(buf: Uint8Array, firstPfn: number): void {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const runs = this.s.runs;
    for (let i = 0; i < buf.length >>> 3; i++) {
      const pfn = firstPfn + i;
      const lo = dv.getUint32(i * 8, true), hi = dv.getUint32(i * 8 + 4, true);
      this.s.words++;
      if (pfn % this.pbPages === 0) this.pbZero = true;
      if (lo || hi) this.pbZero = false;
      if (pfn % this.pbPages === this.pbPages - 1 && this.pbZero) this.s.zeroBlocks.add(pfn - this.pbPages + 1);
      // compound pages: a head, then tails (stable_page_flags: KPF_COMPOUND_HEAD / _TAIL, KPF_THP on both)
      const tail = (lo >>> KPF.COMPOUND_TAIL) & 1, headBit = (lo >>> KPF.COMPOUND_HEAD) & 1, thp = (lo >>> KPF.THP) & 1;
      if (this.head && !(tail && this.head.pfn + this.head.n === pfn)) this.endHead();
      if (this.head && tail) this.head.n++;
      else if (headBit && thp) this.head = { pfn, n: 1, kind: (lo >>> KPF.ANON) & 1 ? 'anon' : 'file' };
      const kind = kindOf(lo, hi);
      const last = runs[runs.length - 1];
      if (last && last.kind === kind && last.end === pfn) { last.end++; continue; }
      if (runs.length >= this.maxRuns) { this.s.truncated = true; continue; }
      runs.push({ start: pfn, end: pfn + 1, kind });
    }
  }

  private endHead(): void {
    const h = this.head!;
    this.head = null;
    const order = Math.log2(h.n);
    // a whole, naturally aligned folio (a head whose tails were cut by a chunk boundary is not one)
    if (Number.isInteger(order) && order > 0 && h.pfn % h.n === 0) this.s.thp.push({ pfn: h.pfn, order, kind: h.kind });
  }

  finish(): KpfSummary {
    if (this.head) this.endHead();
    return this.s;
  }
}

/**
 * hugetlb folios in /proc/kpageflags: a head word with KPF_HUGE and KPF_COMPOUND_HEAD, then its tails (KPF_HUGE and
 * KPF_COMPOUND_TAIL; stable_page_flags() sets KPF_HUGE on every page of a hugetlb folio). Fed in ascending pfn
 * order like KpfSummariser; keeps one entry per folio: its head pfn and its number of pages.
 */
export class HugeHeadScanner {
  readonly heads: { pfn: number; pages: number }[] = [];
  private cur: { pfn: number; pages: number } | null = null;

  add(buf: Uint8Array, firstPfn: number): void {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0; i < buf.length >>> 3; i++) {
      const lo = dv.getUint32(i * 8, true);
      const pfn = firstPfn + i;
      const huge = (lo >>> KPF.HUGE) & 1;
      if (huge && (lo >>> KPF.COMPOUND_TAIL) & 1 && this.cur && this.cur.pfn + this.cur.pages === pfn) { this.cur.pages++; continue; }
      this.cur = null;
      if (huge && (lo >>> KPF.COMPOUND_HEAD) & 1) { this.cur = { pfn, pages: 1 }; this.heads.push(this.cur); }
    }
  }
}
