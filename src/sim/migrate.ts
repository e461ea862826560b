// Migration (mm/migrate.c): migrate_pages over a list of folios with alloc_migration_target on the same node.
// Outcomes per folio are decided by its state, not by timing: pinned (refcount mismatch) → -EAGAIN on every
// one of the 10 passes (3 async batch + 7 sync) → failure; no target → a large folio is split and its pieces
// retried, an order-0 one ends the call with -ENOMEM; slab/page tables/kernel pages are not migratable.
import type { Core, Extent } from './core.js';
import type { Migration } from './api.js';
import { MIGRATE_PASSES, ZONE_MOVABLE } from './consts.js';
import { zonelist } from './alloc.js';
import { allocPagesInternal } from './slowpath.js';
import { GFP_TRANSHUGE, GFP_USER, __GFP_DIRECT_RECLAIM, __GFP_HIGHMEM, __GFP_KSWAPD_RECLAIM, __GFP_MOVABLE, __GFP_RETRY_MAYFAIL, __GFP_THISNODE } from './gfp.js';
import { freeNow } from './free.js';
import { isLruOrMovableOps } from './pageblock.js';
import { kindText } from './isolation.js';
import { dissolve, freeHugeFolio, hugetlbMigrationTarget } from './hugetlb.js';
import { MOD_PINNED_ANY } from './core.js';
import { pow2 } from './pfn.js';

export type MigrateReason = 'MR_CONTIG_RANGE' | 'MR_MEMORY_HOTPLUG' | 'MR_SYSCALL' | 'MR_LONGTERM_PIN' | 'MR_COMPACTION';

export interface MigrateOpts {
  reason: MigrateReason;
  /** preferred target node (alloc_migration_target mtc->nid) */
  nid: number;
  cpu: number;
  /** base gfp of the caller; __GFP_HIGHMEM is added for sources in ZONE_MOVABLE */
  gfp: number;
  /** longterm pin: the target must be outside ZONE_MOVABLE and CMA */
  noMovable?: boolean;
  /** mtc->nmask without this node (do_migrate_range: the node being offlined, when another memory node exists) */
  excludeNid?: number;
}

/** can this folio be isolated for migration at all? (LRU, movable_ops, hugetlb) */
export function isMigratable(e: Extent): boolean {
  return isLruOrMovableOps(e.kind) || e.kind === 'hugetlb';
}

function record(c: Core, m: Migration, out: Migration[]): Migration {
  if (m.result === 'ok') c.vm.pgmigrate_success += pow2(m.order); // migrate_pages(): PGMIGRATE_SUCCESS, nr_succeeded in base pages
  out.push(m);
  c.emit({ type: 'migrate', m });
  return m;
}

/**
 * alloc_migration_target() for a folio of `order` whose source is in zone zid: __folio_alloc with the caller's gfp
 * (large folios: GFP_TRANSHUGE in place of the caller's reclaim bits) through the whole slow path, so a target
 * may come from direct reclaim or compaction as in the kernel. Returns the pfn, or -1 with why.
 */
function allocTarget(c: Core, src: Extent, order: number, o: MigrateOpts): { pfn: number; reason: string | null } {
  const sz = c.zoneOf(src.pfn);
  let gfp = o.gfp;
  if (order > 0) {
    gfp = (gfp & ~(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)) | GFP_TRANSHUGE;
  }
  if (sz && sz.zid === ZONE_MOVABLE) gfp |= __GFP_HIGHMEM;
  if (o.noMovable) gfp &= ~(__GFP_MOVABLE | __GFP_HIGHMEM);
  const ex = o.excludeNid;
  const r = allocPagesInternal(c, { order, gfp, nid: o.nid, cpu: o.cpu, ...(ex === undefined ? {} : { exclude: (z) => z.nid === ex }) }, `migration target (${o.reason})`);
  return { pfn: r.pfn, reason: r.reason };
}

/**
 * Migrate one unit (folio or order-0 page, carved as its own extent). Returns 'ok', 'fail' (kept in place),
 * or 'enomem' (an order-0 page found no target: migrate_pages returns -ENOMEM).
 */
export function migrateUnit(c: Core, e: Extent, o: MigrateOpts, out: Migration[]): 'ok' | 'fail' | 'enomem' {
  const order = e.folio ? e.order : 0;
  if (!isMigratable(e)) {
    record(c, { src: e.pfn, dst: null, order, result: 'EBUSY', reason: `not migratable (${kindText(e)})` }, out);
    return 'fail';
  }
  if (e.mods & MOD_PINNED_ANY) {
    record(c, { src: e.pfn, dst: null, order, result: 'EAGAIN', reason: `pinned: refcount mismatch, -EAGAIN on all ${MIGRATE_PASSES} passes (${o.reason})` }, out);
    return 'fail';
  }
  if (e.kind === 'hugetlb' && e.hugeFree) {
    // isolate_hugetlb() (mm/hugetlb.c, 6.12): a free pool folio has refcount 0, folio_try_get() fails and it is
    // never put on a migration list. Callers that must empty a range dissolve free folios instead
    // (isolate_or_dissolve_huge_folio, dissolve_free_hugetlb_folios).
    record(c, { src: e.pfn, dst: null, order, result: 'EBUSY', reason: 'free hugetlb folio: isolate_hugetlb fails (refcount 0), nothing to migrate' }, out);
    return 'fail';
  }
  if (e.kind === 'hugetlb') {
    // MR_MEMORY_HOTPLUG keeps its own node choice (its nodemask excludes the source node: not modelled here)
    const cross = !(o.gfp & __GFP_THISNODE) && o.reason !== 'MR_MEMORY_HOTPLUG';
    // with the source node masked out, the nearest other node in zonelist order
    const hnid = o.excludeNid === undefined ? o.nid : (zonelist(c, o.nid, ZONE_MOVABLE, false).map((z) => z.nid).find((n) => n !== o.excludeNid) ?? o.nid);
    const { pfn: dst, temporary } = hugetlbMigrationTarget(c, e, hnid, o.cpu, cross);
    if (dst < 0) {
      record(c, { src: e.pfn, dst: null, order, result: 'ENOMEM', reason: `no hugetlb folio for the target (${o.reason})` }, out);
      return 'enomem';
    }
    const m = record(c, { src: e.pfn, dst, order, result: 'ok', reason: o.reason }, out);
    const d = c.extentContaining(dst)!;
    d.hugeFree = false; d.owner = e.owner; d.mods = e.mods; d.lastMig = m;
    c.noteMoved(e.pfn, dst, e.owner);
    e.lastMig = m;
    if (temporary) {
      // move_hugetlb_state(): the fresh target was temporary, the source takes that state over and
      // free_huge_folio() dissolves it (remove_hugetlb_folio + update_and_free_hugetlb_folio): the pool keeps its size;
      // a surplus count moves with the folio to the new node
      const oldNid = c.zoneOf(e.pfn)!.nid, newNid = c.zoneOf(dst)!.nid;
      const from = c.pools.get(e.n)?.get(oldNid);
      if (oldNid !== newNid && from && from.surplus > 0) { from.surplus--; c.pools.get(e.n)!.get(newNid)!.surplus++; }
      dissolve(c, e.pfn, o.cpu);
      return 'ok';
    }
    // the source folio's last put: free_huge_folio() → enqueue_hugetlb_folio, or the buddy while its node has surplus
    freeHugeFolio(c, e.pfn, o.cpu);
    return 'ok';
  }
  const { pfn: dst, reason: why } = allocTarget(c, e, order, o);
  if (dst < 0) {
    if (order > 0) {
      // -ENOMEM for a large folio: split it (try_split_folio) and migrate the pieces
      record(c, { src: e.pfn, dst: null, order, result: 'split', reason: `no order-${order} target: folio split (${o.reason})` }, out);
      // the pieces stay on the migration list (isolated)
      c.migrating?.push([e.pfn, e.pfn + e.n]);
      c.removeExtent(e);
      c.addExtent({ ...e, folio: false, order: 0, kind: e.kind === 'thp' ? 'anon' : e.kind });
      // a migrated folio's label follows each base page (their own noteMoved below keeps the original pfns)
      c.splitMoved(e.pfn, 1 << order);
      let res: 'ok' | 'fail' | 'enomem' = 'ok';
      for (let p = e.pfn, end = e.pfn + e.n; p < end; p++) {
        const u = c.unitAt(p)!;
        const r = migrateUnit(c, u, o, out);
        if (r === 'enomem') return 'enomem';
        if (r === 'fail') res = 'fail';
      }
      return res;
    }
    record(c, { src: e.pfn, dst: null, order, result: 'ENOMEM', reason: `no target page on node ${o.nid} (${o.reason})${slowpathPart(why)}` }, out);
    return 'enomem';
  }
  const m = record(c, { src: e.pfn, dst, order, result: 'ok', reason: o.reason }, out);
  // the source's size before the target is added: addExtent may coalesce a target right after the source
  // into the source's run (same attributes), and e.n would then cover the target too
  const src = e.pfn, n = e.n;
  c.addExtent(c.newExtent(dst, 1 << order, order, e.folio && order > 0, e.kind, e.mods, e.owner));
  c.migLog.set(dst, m);
  c.noteMoved(src, dst, e.owner);
  freeNow(c, src, n, o.cpu);
  return 'ok';
}

/** the slow path's account in an allocator failure reason, for a migration record */
function slowpathPart(why: string | null): string {
  const i = why?.indexOf('; slow path: ') ?? -1;
  return i >= 0 ? why!.slice(i) : '';
}

/**
 * migrate_pages(): returns the folios that failed and whether it ended with -ENOMEM. The folios on the list are
 * isolated (off the LRU), so the direct reclaim of a target allocation does not take them (c.migrating).
 */
export function migratePages(c: Core, heads: number[], o: MigrateOpts, out: Migration[]): { failed: number[]; enomem: boolean } {
  const failed: number[] = [];
  const outer = c.migrating;
  c.migrating = [...(outer ?? [])];
  for (const h of heads) {
    const e = c.extentContaining(h);
    if (e) c.migrating.push([h, h + (e.folio ? Math.min(1 << e.order, e.pfn + e.n - h) : 1)]);
  }
  try {
    for (let i = 0; i < heads.length; i++) {
      const e = c.unitAt(heads[i]);
      if (!e) continue;
      const r = migrateUnit(c, e, o, out);
      if (r === 'fail') failed.push(heads[i]);
      if (r === 'enomem') return { failed: failed.concat(heads.slice(i)), enomem: true };
    }
    return { failed, enomem: false };
  } finally {
    c.migrating = outer;
  }
}

export const MIGRATE_GFP_CONTIG = GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL;
