// /proc/kpageflags over a pfn range (fs/proc/page.c kpageflags_read → stable_page_flags, linux 6.12): how many pages
// of [start, end) have one flag, as the oracle harness's `pfnscan` (guest/lib.sh) counts them. Only flags the
// simulator knows for every page state it has; a page whose flag it cannot know makes the count "not modelled".
import { MOD_BIT, type Core, type Extent } from './core.js';
import { hex } from '../shared/format.js';
import { KPF_KINDS, type KpfKind } from './kpageflags-kinds.js';

/** flag bits per KPF_KINDS index */
const B = Object.fromEntries(KPF_KINDS.map((k, i) => [k, 1 << i])) as Record<KpfKind, number>;
/** stable_page_flags() sets a flag outside KPF_KINDS (PG_owner_2, PG_hwpoison, PG_dirty …): the page is not `noflags` */
const OTHER = 1 << 30;
/** a bit the simulator cannot know for this page */
const ALL = (1 << KPF_KINDS.length) - 1;

/** what stable_page_flags() gives the pages of an allocated extent: [flags, unknown] for a head (or order-0) page and a tail page */
function extentFlags(e: Extent): { head: [number, number]; tail: [number, number]; why: string } {
  const compound = e.folio && e.order > 0;
  const ht = (f: number, u = 0): { head: [number, number]; tail: [number, number] } => ({
    head: [f | (compound ? B.head : 0), u], tail: [f | B.tail, u],
  });
  const why = `page ${hex(e.pfn)} is ${e.kind}`;
  switch (e.kind) {
    // LRU folios: PG_lru on the folio; anon mapping (PAGE_MAPPING_ANON); large rmappable folios are KPF_THP
    case 'anon': return { ...ht(B.lru | B.anon | (compound ? B.thp : 0) | OTHER), why };
    case 'thp': return { ...ht(B.lru | B.anon | B.thp | OTHER), why };
    case 'file': return { ...ht(B.lru | (compound ? B.thp : 0) | OTHER), why };
    case 'slab': return { ...ht(B.slab), why }; // folio_test_slab(folio): every page of the slab folio
    case 'pagetable': return { ...ht(B.pgtable), why };
    case 'kernel': case 'vmalloc': return { ...ht(0), why };
    case 'reserved': return { ...ht(B.reserved), why };
    case 'offline': return { ...ht(B.offline | (e.mods & MOD_BIT.dirty ? OTHER : 0)), why }; // virtio-mem fake-offline: PageDirty too
    case 'hwpoison': return { ...ht(OTHER), why }; // PG_hwpoison set, off the free lists
    // zsmalloc and balloon pages: never on the LRU, not anon; balloon pages are PageOffline, zsmalloc ones are not
    case 'movable_ops': return { ...ht(0, B.offline | B.noflags), why: `${why} (balloon pages are PageOffline, zsmalloc pages are not)` };
    case 'hugetlb':
      // folio_test_hugetlb(): KPF_HUGE on every page; a free pool folio has no mapping; an in-use one's mapping is
      // whatever mapped it (anon for MAP_PRIVATE|MAP_ANONYMOUS, a hugetlbfs file otherwise)
      return e.hugeFree ? { ...ht(B.huge), why } : { ...ht(B.huge | OTHER, B.anon), why: `${why} (in use: anon or hugetlbfs mapping)` };
    default:
      // 'vmemmap' (memmap_on_memory): mhp_init_memmap_on_memory clears PageOffline and sets PG_owner_2
      // (SetPageVmemmapSelfHosted): no counted flag, not noflags
      if ((e.kind as string) === 'vmemmap') return { head: [OTHER, 0], tail: [OTHER, 0], why };
      return { head: [0, ALL], tail: [0, ALL], why };
  }
}

function has(flags: number, kind: KpfKind): boolean {
  return kind === 'noflags' ? (flags & ~B.noflags) === 0 : (flags & B[kind]) !== 0;
}

/**
 * Pages of [start, end) that /proc/kpageflags reports with `kind`, or why the simulator cannot say.
 * - sections with no online memory (offline, absent, holes): pfn_to_online_page() == NULL → KPF_NOPAGE only;
 * - pfns of an online section that belong to no zone (holes, the section's tail): init_unavailable_range() makes
 *   them PG_reserved;
 * - free buddy blocks: KPF_BUDDY on every page (PageBuddy on the head, is_free_buddy_page() for the tails, whose
 *   refcount is 0); pages on pcp lists: no flag at all;
 * - allocated pages: extentFlags().
 */
export function countKpageflags(c: Core, start: number, end: number, kind: KpfKind, sectionPages: number): { count: number } | { unknown: string } {
  let count = 0;
  const add = (flags: number, n: number) => { if (has(flags, kind)) count += n; };
  // sections: online when any of their pfns is in a zone
  const onlineRanges: [number, number][] = [];
  for (let sec = Math.floor(start / sectionPages) * sectionPages; sec < end; sec += sectionPages) {
    const a = Math.max(sec, start);
    const b = Math.min(sec + sectionPages, end);
    if (c.firstOnline(sec, sec + sectionPages) >= 0) onlineRanges.push([a, b]);
    else add(B.nopage, b - a);
  }
  const clip = (p: number, n: number): number => {
    let got = 0;
    for (const [a, b] of onlineRanges) got += Math.max(0, Math.min(b, p + n) - Math.max(a, p));
    return got;
  };
  let accounted = 0;
  for (const f of c.free.values()) {
    const n = 1 << f.order;
    if (f.pfn + n <= start || f.pfn >= end) continue;
    const k = clip(f.pfn, n);
    add(B.buddy, k);
    accounted += k;
  }
  for (const [pfn, p] of c.pcpPages) {
    const n = 1 << p.order;
    if (pfn + n <= start || pfn >= end) continue;
    const k = clip(pfn, n);
    add(0, k);
    accounted += k;
  }
  for (const e of c.extentsIn(start, end)) {
    const f = extentFlags(e);
    if (e.freeing >= 0) return { unknown: `page ${hex(e.pfn)} is being freed (between the free's phases)` };
    const unit = e.folio ? 1 << e.order : 1;
    for (let u = e.pfn; u < e.pfn + e.n; u += unit) {
      const heads = clip(u, 1);
      const tails = unit > 1 ? clip(u + 1, unit - 1) : 0;
      if (!heads && !tails) continue;
      const needs = kind === 'noflags' ? ALL : B[kind];
      if ((heads && (f.head[1] & needs)) || (tails && (f.tail[1] & needs))) return { unknown: `${f.why}: its ${kind} flag is not modelled` };
      add(f.head[0], heads);
      add(f.tail[0], tails);
      accounted += heads + tails;
    }
  }
  // pfns of online sections that are in no zone: PG_reserved (init_unavailable_range); the vmemmap of a block under
  // vmemmap_accounting=reserve is an extent outside every zone and was accounted above
  let present = 0;
  for (const [a, b] of onlineRanges) {
    for (let p = a; p < b;) {
      const pbEnd = Math.min(b, c.pbStart(p) + c.pbPages);
      const zi = c.pbZone[c.pbNo(p) - c.pbBase]!;
      if (zi >= 0 && !c.straddle.has(c.pbNo(p))) present += pbEnd - p;
      else {
        for (let q = p; q < pbEnd; q++) {
          if (c.zoneOf(q) || c.extentContaining(q)) present++;
          else add(B.reserved, 1);
        }
      }
      p = pbEnd;
    }
  }
  // online pages neither free, on a pcp list nor allocated: taken off the free lists by an operation in progress
  // (e.g. between alloc_contig_range's phases): the kernel's flags for them depend on where that operation is
  const rest = present - accounted;
  if (rest > 0 && kind !== 'nopage') return { unknown: `${rest} online page(s) of the range are held by an operation in progress` };
  return { count };
}
