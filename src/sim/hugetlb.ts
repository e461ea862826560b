// hugetlb folios (mm/hugetlb.c) as the allocator, migration and alloc_contig_range see them: the pools,
// fresh buddy-sized folios, dissolving, alloc_and_dissolve_hugetlb_folio, and migration targets
// (alloc_hugetlb_folio_nodemask: pool, then fresh). Growing/shrinking the pools and the boot pools, which need
// alloc_contig_pages for gigantic folios, are in hugetlb-pool.ts (so contig/migrate → hugetlb has no way back).
import type { Core } from './core.js';
import { ZONE_MOVABLE } from './consts.js';
import { zonelist } from './alloc.js';
import { allocPagesInternal } from './slowpath.js';
import { GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE, __GFP_COMP, __GFP_NOWARN, __GFP_RETRY_MAYFAIL, __GFP_THISNODE } from './gfp.js';
import { freeNow } from './free.js';
import { hex } from '../shared/format.js';
import type { Verdict } from './api.js';

/** htlb_alloc_mask(): movable hstates (2 MiB) GFP_HIGHUSER_MOVABLE, gigantic GFP_HIGHUSER */
export function htlbAllocMask(c: Core, pages: number): number {
  return pages <= 1 << c.maxOrder ? GFP_HIGHUSER_MOVABLE : GFP_HIGHUSER;
}

/** the pool of `pages`-page folios on node nid (hstate nr_huge_pages_node / hugepage_freelists[nid]) */
export function pool(c: Core, pages: number, nid: number): { total: number; free: number[]; surplus: number } {
  let p = c.pools.get(pages);
  if (!p) c.pools.set(pages, (p = new Map()));
  let n = p.get(nid);
  if (!n) p.set(nid, (n = { total: 0, free: [], surplus: 0 }));
  return n;
}

/** nodes with memory (N_MEMORY) */
export function memoryNodes(c: Core): number[] {
  const out: number[] = [];
  for (let n = 0; n < c.nrNodes; n++) if (c.zones.some((z) => z.nid === n && z.populated)) out.push(n);
  return out;
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

/**
 * alloc_and_dissolve_hugetlb_folio(): a replacement on the same node (htlb_alloc_mask | __GFP_THISNODE through
 * alloc_buddy_hugetlb_folio without a noretry mask: __GFP_RETRY_MAYFAIL), then dissolve the old one
 */
export function allocAndDissolve(c: Core, pfn: number, cpu: number): Verdict {
  const e = c.extentContaining(pfn)!;
  const nid = c.zoneOf(pfn)!.nid;
  if (e.n > 1 << c.maxOrder) return { ok: false, pfn: e.pfn, reason: `gigantic hugetlb folio at ${hex(e.pfn)}` };
  const order = Math.log2(e.n);
  const r = allocPagesInternal(c, { order, gfp: htlbAllocMask(c, e.n) | __GFP_COMP | __GFP_THISNODE | __GFP_NOWARN | __GFP_RETRY_MAYFAIL, nid, cpu }, 'alloc_and_dissolve_hugetlb_folio');
  // the replacement comes from alloc_buddy_hugetlb_folio(): HTLB_BUDDY_PGALLOC(_FAIL)
  if (r.pfn < 0) { c.vm.htlb_buddy_alloc_fail++; return { ok: false, pfn: e.pfn, reason: `no replacement for the free hugetlb folio at ${hex(e.pfn)}: ${r.reason}` }; }
  c.vm.htlb_buddy_alloc_success++;
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
  return { ok: true, pfn: null, reason: null };
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
  const f = allocBuddyHugetlb(c, src.n, nid, cpu, null, 'alloc_migrate_hugetlb_folio').pfn;
  if (f < 0) return { pfn: -1, temporary: false };
  p.free.splice(p.free.lastIndexOf(f), 1);
  return { pfn: f, temporary: true };
}

/**
 * alloc_fresh_hugetlb_folio() → alloc_buddy_hugetlb_folio() for a folio of order <= MAX_PAGE_ORDER: htlb_alloc_mask
 * | __GFP_THISNODE | __GFP_COMP through the whole slow path. `noretry` is set_max_huge_pages' node_alloc_noretry
 * (6.12 and 6.1 alike): a node whose __GFP_RETRY_MAYFAIL attempt failed is tried without __GFP_RETRY_MAYFAIL (no
 * __GFP_NORETRY either) until an attempt there succeeds; migration targets and alloc_and_dissolve pass none and
 * always try hard. Returns the head pfn, or -1 with the allocator's reason.
 */
export function allocBuddyHugetlb(c: Core, pages: number, nid: number, cpu: number, noretry: Set<number> | null = null, caller = 'alloc_buddy_hugetlb_folio', thisNode = true): { pfn: number; reason: string | null } {
  const order = Math.log2(pages);
  const tryHard = !noretry?.has(nid);
  const gfp = htlbAllocMask(c, pages) | __GFP_COMP | (thisNode ? __GFP_THISNODE : 0) | __GFP_NOWARN | (tryHard ? __GFP_RETRY_MAYFAIL : 0);
  const r = allocPagesInternal(c, { order, gfp, nid, cpu }, caller);
  if (noretry && r.pfn >= 0 && !tryHard) noretry.delete(nid);
  if (noretry && r.pfn < 0 && tryHard) noretry.add(nid);
  // alloc_buddy_hugetlb_folio(): __count_vm_event(HTLB_BUDDY_PGALLOC_FAIL) / (HTLB_BUDDY_PGALLOC)
  if (r.pfn < 0) { c.vm.htlb_buddy_alloc_fail++; return { pfn: -1, reason: r.reason }; }
  c.vm.htlb_buddy_alloc_success++;
  for (const e of c.extentsIn(r.pfn, r.pfn + pages)) c.removeExtent(e);
  return { pfn: prepNewHugetlb(c, r.pfn, pages), reason: null };
}

/** prep_new_hugetlb_folio() + the pool accounting of a fresh folio at pfn (its pages already taken): it joins the free list */
export function prepNewHugetlb(c: Core, pfn: number, pages: number): number {
  const order = Math.log2(pages);
  const e = c.addExtent(c.newExtent(pfn, pages, order, true, 'hugetlb', 0, 'hugetlb pool'));
  e.hugeFree = true;
  const p = pool(c, pages, c.zoneOf(pfn)!.nid);
  p.total++;
  p.free.push(pfn);
  return pfn;
}

/** h->surplus_huge_pages: the hstate's surplus folios over every node */
export function surplusOf(c: Core, pages: number): number {
  let n = 0;
  for (const p of c.pools.get(pages)?.values() ?? []) n += p.surplus;
  return n;
}

/**
 * alloc_surplus_hugetlb_folio() (mm/hugetlb.c): a fresh folio beyond the persistent pool while surplus_huge_pages <
 * nr_overcommit_hugepages; never for gigantic hstates. gather_surplus_pages() passes no nodemask, so
 * alloc_buddy_hugetlb_folio() may fall back along node nid's zonelist (no __GFP_THISNODE). The folio joins the pool's
 * free list (enqueue_hugetlb_folio) counted as surplus on its node. Returns the head pfn, or -1 with why.
 */
export function allocSurplusHugetlb(c: Core, pages: number, nid: number, cpu: number): { pfn: number; reason: string | null } {
  if (pages > 1 << c.maxOrder) return { pfn: -1, reason: 'gigantic hstate: no surplus pages' };
  const over = c.hugeOvercommit.get(pages) ?? 0;
  if (surplusOf(c, pages) >= over) return { pfn: -1, reason: `surplus_hugepages ${surplusOf(c, pages)} >= nr_overcommit_hugepages ${over}` };
  const r = allocBuddyHugetlb(c, pages, nid, cpu, null, 'alloc_surplus_hugetlb_folio', false);
  if (r.pfn < 0) return r;
  pool(c, pages, c.zoneOf(r.pfn)!.nid).surplus++;
  return r;
}

/**
 * free_huge_folio() (mm/hugetlb.c) of an in-use folio: while its node has surplus folios it leaves the pool and goes
 * back to the buddy allocator (remove_hugetlb_folio(h, folio, true): surplus_huge_pages_node-- ; update_and_free_hugetlb_folio);
 * otherwise it is enqueued at the head of the node's free list.
 */
export function freeHugeFolio(c: Core, pfn: number, cpu: number): 'buddy' | 'pool' {
  const e = c.extentContaining(pfn)!;
  const p = pool(c, e.n, c.zoneOf(e.pfn)!.nid);
  e.owner = 'hugetlb pool';
  if (p.surplus > 0) {
    p.surplus--;
    dissolve(c, e.pfn, cpu);
    return 'buddy';
  }
  e.hugeFree = true;
  p.free.push(e.pfn);
  return 'pool';
}

/** dequeue_hugetlb_folio_nodemask() for a fault: the first free folio (list head) on the nodes of nid's zonelist */
export function dequeueHugetlb(c: Core, pages: number, nid: number): number {
  const nodes = [...new Set(zonelist(c, nid, ZONE_MOVABLE, false).map((z) => z.nid))];
  for (const n of nodes) {
    const q = pool(c, pages, n);
    for (let i = q.free.length - 1; i >= 0; i--) {
      const f = q.free[i]!;
      if (c.isIsolated(f)) continue; // dequeue skips folios in isolated pageblocks (is_migrate_isolate_page)
      q.free.splice(i, 1);
      c.extentContaining(f)!.hugeFree = false;
      return f;
    }
  }
  return -1;
}
