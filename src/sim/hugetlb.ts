// hugetlb pools (mm/hugetlb.c): boot pools (2 MiB from buddy after boot; 1 GiB gigantic from memblock,
// top-down), nr_hugepages resize (alloc_pool_huge_folio / alloc_gigantic_folio via alloc_contig_pages with
// GFP_HIGHUSER: ZONE_MOVABLE is never scanned for gigantic pages; shrink frees free folios, list head first),
// alloc_and_dissolve_hugetlb_folio, and migration targets (alloc_hugetlb_folio_nodemask: pool, then fresh).
import type { Core, HugePools } from './core.js';
import { hex, ZONE_NORMAL, ZONE_MOVABLE } from './consts.js';
import { allocPages, zonelist } from './alloc.js';
import { GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE, __GFP_COMP, __GFP_NOWARN, __GFP_RETRY_MAYFAIL, __GFP_THISNODE } from './gfp.js';
import { freeNow } from './free.js';
import { allocContigPages } from './contig.js';
import { pushAll } from './arrays.js';

export type { HugePools };

/** htlb_alloc_mask(): movable hstates (2 MiB) GFP_HIGHUSER_MOVABLE, gigantic GFP_HIGHUSER */
export function htlbAllocMask(c: Core, pages: number): number {
  return pages <= 1 << c.maxOrder ? GFP_HIGHUSER_MOVABLE : GFP_HIGHUSER;
}

function pool(c: Core, pages: number, nid: number): { total: number; free: number[] } {
  let p = c.pools.get(pages);
  if (!p) c.pools.set(pages, (p = new Map()));
  let n = p.get(nid);
  if (!n) p.set(nid, (n = { total: 0, free: [] }));
  return n;
}

/** nodes with memory (N_MEMORY) */
function memoryNodes(c: Core): number[] {
  const out: number[] = [];
  for (let n = 0; n < c.nrNodes; n++) if (c.zones.some((z) => z.nid === n && z.populated)) out.push(n);
  return out;
}

/** alloc_fresh_hugetlb_folio() on node nid; returns the head pfn or -1 */
export function allocFreshHugetlb(c: Core, pages: number, nid: number, cpu: number): number {
  const order = Math.log2(pages);
  let pfn = -1;
  if (order <= c.maxOrder) {
    const r = allocPages(c, { order, gfp: htlbAllocMask(c, pages) | __GFP_COMP | __GFP_THISNODE | __GFP_NOWARN | __GFP_RETRY_MAYFAIL, nid, cpu });
    pfn = r.pfn;
  } else {
    // alloc_gigantic_folio() → alloc_contig_pages(GFP_HIGHUSER | __GFP_THISNODE): zones <= NORMAL only
    const r = allocContigPages(c, pages, GFP_HIGHUSER | __GFP_THISNODE, nid, ZONE_NORMAL, { cma: false, gfp: GFP_HIGHUSER, cpu, owner: 'hugetlb pool', kind: 'hugetlb' }, null);
    if (r.ok) {
      // the range was taken as order-0 pages: turn it into one gigantic folio
      for (const e of c.extentsIn(r.allocated[0].pfn, r.allocated[0].pfn + pages)) c.removeExtent(e);
      pfn = r.allocated[0].pfn;
    }
  }
  if (pfn < 0) return -1;
  if (order <= c.maxOrder) {
    for (const e of c.extentsIn(pfn, pfn + pages)) c.removeExtent(e);
  }
  const e = c.addExtent(c.newExtent(pfn, pages, order, true, 'hugetlb', 0, 'hugetlb pool'));
  e.hugeFree = true;
  const p = pool(c, pages, c.zoneOf(pfn)!.nid);
  p.total++;
  p.free.push(pfn);
  return pfn;
}

/** gigantic boot pages: memblock_alloc_try_nid_raw(), top-down, naturally aligned, avoiding reservations */
export function bootGigantic(c: Core, online: [number, number][], held: [number, number][], notes: string[]): { pfn: number; pages: number }[] {
  const out: { pfn: number; pages: number }[] = [];
  const taken: [number, number][] = [...held];
  const nodeOf = (pfn: number): number => c.blockNidOf(c.blockOf(pfn));
  for (const h of c.spec.hugetlb) {
    if (h.pages <= 1 << c.maxOrder) continue;
    const nodes = h.nid === null ? memoryNodes(c) : [h.nid];
    let k = 0;
    for (let i = 0; i < h.count; i++) {
      let got = -1;
      for (let t = 0; t < nodes.length && got < 0; t++) {
        const nid = nodes[(k + t) % nodes.length];
        const ranges = online.filter((r) => nodeOf(r[0]) === nid).sort((a, b) => b[1] - a[1]);
        for (const [s, e] of ranges) {
          for (let p = Math.floor((e - h.pages) / h.pages) * h.pages; p >= s && got < 0; p -= h.pages) {
            if (p + h.pages > e) continue;
            const within = online.some((r) => r[0] <= p && r[1] >= p + h.pages);
            if (within && !taken.some((r) => r[0] < p + h.pages && r[1] > p)) got = p;
          }
          if (got >= 0) break;
        }
      }
      k++;
      if (got < 0) { notes.push(`hugetlb: only ${i} of ${h.count} gigantic boot pages of ${h.pages} pages could be allocated`); break; }
      taken.push([got, got + h.pages]);
      out.push({ pfn: got, pages: h.pages });
    }
  }
  return out;
}

/** hugetlb_hstate_alloc_pages() for non-gigantic boot pools (after memblock_free_all), nodes round-robin */
export function bootHugetlb(c: Core, pools: HugePools, notes: string[]): void {
  for (const [pages, m] of pools) for (const [nid, p] of m) { const q = pool(c, pages, nid); q.total += p.total; pushAll(q.free, p.free); }
  for (const h of c.spec.hugetlb) {
    if (h.pages > 1 << c.maxOrder) continue;
    const nodes = h.nid === null ? memoryNodes(c) : [h.nid];
    let got = 0;
    for (let i = 0; i < h.count; i++) {
      let ok = false;
      for (let t = 0; t < nodes.length && !ok; t++) ok = allocFreshHugetlb(c, h.pages, nodes[(i + t) % nodes.length], 0) >= 0;
      if (!ok) break;
      got++;
    }
    if (got < h.count) notes.push(`hugetlb: only ${got} of ${h.count} boot pages of ${h.pages} pages allocated`);
  }
}

/** update_and_free_hugetlb_folio(): the folio leaves the pool and its pages go back to the allocator */
export function dissolve(c: Core, pfn: number, cpu: number): void {
  const e = c.extentContaining(pfn)!;
  const nid = c.zoneOf(e.pfn)!.nid;
  const p = pool(c, e.n, nid);
  const i = p.free.lastIndexOf(e.pfn);
  if (i >= 0) p.free.splice(i, 1);
  p.total--;
  c.emit({ type: 'note', text: `hugetlb folio ${hex(e.pfn)} (${e.n} pages) dissolved` });
  e.kind = 'anon';
  e.hugeFree = false;
  freeNow(c, e.pfn, e.n, cpu);
}

/** alloc_and_dissolve_hugetlb_folio(): a replacement on the same node (__GFP_THISNODE), then dissolve the old one */
export function allocAndDissolve(c: Core, pfn: number, cpu: number): { ok: boolean; reason: string | null } {
  const e = c.extentContaining(pfn)!;
  const nid = c.zoneOf(pfn)!.nid;
  if (e.n > 1 << c.maxOrder) return { ok: false, reason: `gigantic hugetlb folio at ${hex(e.pfn)}` };
  const order = Math.log2(e.n);
  const r = allocPages(c, { order, gfp: htlbAllocMask(c, e.n) | __GFP_COMP | __GFP_THISNODE | __GFP_NOWARN | __GFP_RETRY_MAYFAIL, nid, cpu });
  if (r.pfn < 0) return { ok: false, reason: `no replacement for the free hugetlb folio at ${hex(e.pfn)}: ${r.reason}` };
  const ne = c.addExtent(c.newExtent(r.pfn, e.n, order, true, 'hugetlb', 0, 'hugetlb pool'));
  ne.hugeFree = true;
  const p = pool(c, e.n, nid);
  const i = p.free.lastIndexOf(e.pfn);
  // remove_hugetlb_folio(old) then enqueue_hugetlb_folio(new): list_move to the HEAD of hugepage_freelists
  // (the end of p.free), not the old folio's position
  if (i >= 0) { p.free.splice(i, 1); p.free.push(r.pfn); }
  c.note(`free hugetlb folio ${hex(e.pfn)} replaced by ${hex(r.pfn)} and dissolved (alloc_and_dissolve_hugetlb_folio)`);
  e.kind = 'anon';
  e.hugeFree = false;
  freeNow(c, e.pfn, e.n, cpu);
  return { ok: true, reason: null };
}

/**
 * alloc_hugetlb_folio_nodemask(): a free pool folio outside isolated pageblocks, else a fresh one from
 * alloc_migrate_hugetlb_folio(), which is *temporary*: move_hugetlb_state() hands the temporary state to the
 * source, and free_huge_folio() then removes the source from the pool and frees it to buddy (6.12 hugetlb.c).
 */
export function hugetlbMigrationTarget(c: Core, src: { n: number; pfn: number }, nid: number, cpu: number, crossNodes = false): { pfn: number; temporary: boolean } {
  // dequeue_hugetlb_folio_nodemask(): the free lists of every node in node_zonelist(nid) order unless the gfp
  // has __GFP_THISNODE (htlb_modify_alloc_mask keeps only that bit of the caller's placement)
  const nodes = crossNodes ? [...new Set(zonelist(c, nid, ZONE_MOVABLE, false).map((z) => z.nid))] : [nid];
  for (const n of nodes) {
    const q = pool(c, src.n, n);
    for (let i = q.free.length - 1; i >= 0; i--) {
      const f = q.free[i];
      if (f !== src.pfn && !c.isIsolated(f)) {
        q.free.splice(i, 1);
        return { pfn: f, temporary: false };
      }
    }
  }
  // alloc_migrate_hugetlb_folio(): __GFP_THISNODE unless htlb_allow_alloc_fallback(reason)
  const p = pool(c, src.n, nid);
  if (src.n > 1 << c.maxOrder) return { pfn: -1, temporary: false };
  const f = allocFreshHugetlb(c, src.n, nid, cpu);
  if (f < 0) return { pfn: -1, temporary: false };
  p.free.splice(p.free.lastIndexOf(f), 1);
  return { pfn: f, temporary: true };
}

/** set_max_huge_pages(): grow (node round-robin) or shrink (free folios, list head first) to `count` */
export function resizePool(c: Core, pages: number, count: number, nid: number | null, cpu: number): { total: number; note: string | null } {
  const nodes = nid === null ? memoryNodes(c) : [nid];
  const totalOf = (): number => nodes.reduce((s, n) => s + pool(c, pages, n).total, 0);
  let i = 0;
  let stuck = 0;
  while (totalOf() < count && stuck < nodes.length) {
    const n = nodes[i++ % nodes.length];
    if (allocFreshHugetlb(c, pages, n, cpu) >= 0) stuck = 0;
    else stuck++;
  }
  while (totalOf() > count) {
    let freed = false;
    for (const n of nodes) {
      if (totalOf() <= count) break;
      const p = pool(c, pages, n);
      if (!p.free.length) continue;
      dissolve(c, p.free[p.free.length - 1], cpu);
      freed = true;
    }
    if (!freed) break;
  }
  const t = totalOf();
  return { total: t, note: t !== count ? `nr_hugepages is ${t}, not ${count}: ${t < count ? 'not enough contiguous memory' : 'pages in use'}` : null };
}

export { ZONE_MOVABLE };
