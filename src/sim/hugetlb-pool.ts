// hugetlb pool sizes (mm/hugetlb.c): boot pools (2 MiB from buddy after boot; 1 GiB gigantic from memblock,
// top-down) and nr_hugepages resize (alloc_pool_huge_folio / alloc_gigantic_folio via alloc_contig_pages with
// GFP_HIGHUSER: ZONE_MOVABLE is never scanned for gigantic pages; shrink frees free folios, list head first).
// Kept apart from hugetlb.ts because gigantic folios come from alloc_contig_pages (contig.ts), which itself
// dissolves hugetlb folios through hugetlb.ts.
import type { Core, HugePools } from './core.js';
import { ZONE_NORMAL } from './consts.js';
import { GFP_HIGHUSER, __GFP_THISNODE } from './gfp.js';
import { allocContigPages } from './contig.js';
import { pushAll } from './arrays.js';
import { allocBuddyHugetlb, dissolve, memoryNodes, pool, prepNewHugetlb } from './hugetlb.js';
import { MAX_KSWAPD_PASSES, gapClause, runKswapd, unbalancedClause } from './reclaim/kswapd.js';
import { runKcompactd } from './compaction/kcompactd.js';
import { PendingWakes } from './wake-notes.js';
import { lruGenCaveat, lruGenCaveatDue } from './reclaim/lru-gen-caveat.js';
import { ZONE_NAMES } from '../shared/format.js';

/**
 * only_alloc_fresh_hugetlb_folio() on node nid for alloc_pool_huge_folio (gfp htlb_alloc_mask | __GFP_THISNODE);
 * `noretry` is the caller's node_alloc_noretry. Returns the head pfn, or -1 with why.
 */
function allocFreshHugetlb(c: Core, pages: number, nid: number, cpu: number, noretry: Set<number>): { pfn: number; reason: string | null } {
  if (pages <= 1 << c.maxOrder) return allocBuddyHugetlb(c, pages, nid, cpu, noretry, 'alloc_pool_huge_folio');
  // alloc_gigantic_folio() → alloc_contig_pages(GFP_HIGHUSER | __GFP_THISNODE): zones <= NORMAL only
  const r = allocContigPages(c, pages, GFP_HIGHUSER | __GFP_THISNODE, nid, ZONE_NORMAL, { cma: false, gfp: GFP_HIGHUSER, cpu, owner: 'hugetlb pool', kind: 'hugetlb' }, null);
  if (!r.ok) return { pfn: -1, reason: r.reason };
  // the range was taken as order-0 pages: turn it into one gigantic folio
  const pfn = r.allocated[0].pfn;
  for (const e of c.extentsIn(pfn, pfn + pages)) c.removeExtent(e);
  return { pfn: prepNewHugetlb(c, pfn, pages), reason: null };
}

/**
 * set_max_huge_pages() list_add()s each new folio to its page_list (newest first), then
 * prep_and_add_allocated_folios() enqueue_hugetlb_folio()s that list in order, each to the head of its node's
 * freelist: the batch's oldest folio ends at the head, which remove_pool_hugetlb_folio() frees first. A pool's
 * `free` array has its head at the end, and prepNewHugetlb appended in allocation order: reverse the batch.
 * Since 6.7 (policy hugetlb_pool_enqueue = batch); before, alloc_pool_huge_page() → free_huge_page() enqueued each
 * folio at once, so the last allocated was at the head, as prepNewHugetlb leaves it.
 */
function enqueueBatch(c: Core, pages: number, batch: number[]): void {
  for (const pfn of [...batch].reverse()) {
    const p = pool(c, pages, c.zoneOf(pfn)!.nid);
    const at = p.free.lastIndexOf(pfn);
    if (at < 0) continue; // no longer free in the pool
    p.free.splice(at, 1);
    p.free.push(pfn);
  }
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
    // hugetlb_pages_alloc_boot(): alloc_pool_huge_folio with its own node_alloc_noretry
    const noretry = new Set<number>();
    let got = 0;
    for (let i = 0; i < h.count; i++) {
      let ok = false;
      for (let t = 0; t < nodes.length && !ok; t++) ok = allocFreshHugetlb(c, h.pages, nodes[(i + t) % nodes.length], 0, noretry).pfn >= 0;
      if (!ok) break;
      got++;
    }
    if (got < h.count) notes.push(`hugetlb: only ${got} of ${h.count} boot pages of ${h.pages} pages allocated`);
  }
}

/**
 * set_max_huge_pages() (mm/hugetlb.c) with `count` persistent pages (nr_huge_pages − surplus_huge_pages): for a node,
 * count += persistent − the node's persistent. Growing first turns surplus folios into persistent ones
 * (adjust_pool_surplus(-1)), then allocates (node round-robin); shrinking frees free folios (list head first) down to
 * max(count, in-use + reserved), then marks in-use folios surplus (adjust_pool_surplus(+1)): they go back to the buddy
 * when freed (free_huge_folio). `total` is nr_hugepages afterwards (surplus included, as sysfs shows it).
 */
export function resizePool(c: Core, pages: number, count: number, nid: number | null, cpu: number): { total: number; note: string | null } {
  const all = memoryNodes(c);
  const nodes = nid === null ? all : [nid];
  const sum = (f: (p: { total: number; free: number[]; surplus: number }) => number, ns = all): number => ns.reduce((s, n) => s + f(pool(c, pages, n)), 0);
  const persistent = (): number => sum((p) => p.total - p.surplus);
  if (nid !== null) count += persistent() - (pool(c, pages, nid).total - pool(c, pages, nid).surplus);
  // adjust_pool_surplus(): -1 on the first allowed node with surplus, +1 on the first whose folios are not all surplus
  const adjust = (delta: -1 | 1): boolean => {
    const n = nodes.find((x) => (delta < 0 ? pool(c, pages, x).surplus > 0 : pool(c, pages, x).surplus < pool(c, pages, x).total));
    if (n === undefined) return false;
    pool(c, pages, n).surplus += delta;
    return true;
  };
  while (sum((p) => p.surplus) && count > persistent()) if (!adjust(-1)) break;
  let i = 0;
  let stuck = 0;
  // set_max_huge_pages(): one node_alloc_noretry mask for the whole resize
  const noretry = new Set<number>();
  let why: string | null = null;
  let kswapdRuns = 0;
  let kswapdReclaimed = 0;
  let kswapdPasses = 0;
  const kswapdStops = { balanced: 0, hopeless: 0, cap: 0, asleep: 0 };
  let kcompactdRuns = 0;
  let kcompactdMigrated = 0;
  const kcompactdScanned = [0, 0];
  const batch: number[] = [];
  // the wakes of this resize whose daemon has not run yet: a daemon run at cond_resched() tells them (wake-notes.ts)
  const wakes = new PendingWakes(c);
  while (persistent() < count && stuck < nodes.length) {
    const resched = c.events.length;
    // set_max_huge_pages() calls cond_resched() before each alloc_pool_huge_folio(): a kswapd that the last
    // allocation's slow path woke (wake_all_kswapds) gets the CPU here and balances its node before the next
    // allocation. The 6.12 recording p-pagecache-hugetlb (one CPU) shows exactly that: kswapd reclaimed 204,542
    // of the 205,758 pages reclaimed for 400 folios. (A single `alloc` leaves kswapd to a `kswapd` operation.)
    for (let nid2 = 0; nid2 < c.nrNodes; nid2++) {
      if (!c.kswapd[nid2]?.woken) continue;
      // woken before this cond_resched() (by an allocation, or by kcompactd at the one before)
      wakes.ran('kswapd', nid2, () => ({ at: 'next_cond_resched', caller: 'set_max_huge_pages' }));
      const k = runKswapd(c, nid2, cpu);
      // what a `kswapd` operation reports, without the per-list counts (a resize can run kswapd hundreds of times)
      const first = k.firstPass.gapReached ? gapClause(k.order) : k.firstPass.unbalanced ? unbalancedClause(k.order) : '';
      const capped = k.stop === 'cap' ? ` (the simulator stopped at its cap of ${MAX_KSWAPD_PASSES} passes)` : '';
      c.note(`kswapd${nid2} at cond_resched(): balance_pgdat(order ${k.order}, highest zone ${ZONE_NAMES[k.highestZoneidx]}): ` +
        `${k.reclaimed} pages reclaimed in ${k.passes} pass${k.passes === 1 ? '' : 'es'}` +
        `${!first ? '' : k.passes > 1 ? ` (the first: ${first})` : `; ${first}`}; ${k.decision}${capped}` +
        (k.reclaimed && lruGenCaveatDue(c) ? lruGenCaveat(c) : ''));
      kswapdRuns++;
      kswapdReclaimed += k.reclaimed;
      kswapdPasses += k.passes;
      kswapdStops[k.stop]++;
    }
    // kswapd, going to sleep, woke kcompactd (kswapd_try_to_sleep → wakeup_kcompactd, when kcompactd_node_suitable):
    // it too runs before the writer gets the CPU back (kcompactd → kcompactd_do_work). The recording shows it:
    // compact_daemon_wake 27 during the resize. A request kept without a wakeup waits for kcompactd's timeout
    // (HPAGE_FRAG_CHECK_INTERVAL_MSEC), which is not modelled inside an operation: a `kcompactd` operation runs it.
    for (let nid2 = 0; nid2 < c.nrNodes; nid2++) {
      if (!c.kswapd[nid2]?.kcompactdWoken) continue;
      const vm = c.vm;
      const migrate = vm.compact_daemon_migrate_scanned, free = vm.compact_daemon_free_scanned;
      // woken before this cond_resched(), or in it by kswapd going to sleep (kswapd_try_to_sleep, balance_pgdat)
      wakes.ran('kcompactd', nid2, (at) => (at >= resched ? { at: 'this_cond_resched', after: 'kswapd' } : { at: 'next_cond_resched', caller: 'set_max_huge_pages' }));
      const k = runKcompactd(c, nid2, cpu);
      c.note(`kcompactd${nid2} at cond_resched(): ${k.text.replace(/^kcompactd\d+: /, '')}`);
      kcompactdRuns++;
      kcompactdMigrated += k.migrations.filter((m) => m.result === 'ok').length;
      kcompactdScanned[0] += vm.compact_daemon_migrate_scanned - migrate;
      kcompactdScanned[1] += vm.compact_daemon_free_scanned - free;
    }
    const n = nodes[i++ % nodes.length]!;
    const r = allocFreshHugetlb(c, pages, n, cpu, noretry);
    if (r.pfn >= 0) { stuck = 0; batch.push(r.pfn); }
    else { stuck++; why = r.reason; }
  }
  if (c.pol.hugetlb_pool_enqueue === 'batch') enqueueBatch(c, pages, batch);
  // min_count = resv_huge_pages + nr_huge_pages − free_huge_pages (no reservations outlive an operation here)
  const minCount = Math.max(count, sum((p) => p.total - p.free.length));
  while (minCount < persistent()) {
    let freed = false;
    for (const n of nodes) {
      if (minCount >= persistent()) break;
      const p = pool(c, pages, n);
      if (!p.free.length) continue;
      dissolve(c, p.free[p.free.length - 1]!, cpu);
      freed = true;
    }
    if (!freed) break;
  }
  while (count < persistent()) if (!adjust(1)) break;
  const t = persistent();
  const surplus = sum((p) => p.surplus);
  if (kswapdRuns) {
    // each run is kswapd()'s loop: balance_pgdat passes until prepare_kswapd_sleep() (balanced, or hopeless)
    const slept = (['balanced', 'hopeless'] as const).filter((w) => kswapdStops[w]).map((w) => `node ${w} ${kswapdStops[w]}×`).join(', ');
    const capped = kswapdStops.cap ? `; ${kswapdStops.cap} run${kswapdStops.cap === 1 ? '' : 's'} stopped at the simulator's cap of ${MAX_KSWAPD_PASSES} passes without sleeping` : '';
    c.note(`set_max_huge_pages: kswapd ran ${kswapdRuns}× at cond_resched(), ${kswapdReclaimed} pages reclaimed ` +
      `(${kswapdPasses} balance_pgdat pass${kswapdPasses === 1 ? '' : 'es'}; it went to sleep: ${slept || 'never'}${capped})` +
      (kswapdReclaimed ? lruGenCaveat(c) : ''));
  }
  if (kcompactdRuns) {
    c.note(`set_max_huge_pages: kcompactd ran ${kcompactdRuns}× at cond_resched(), ${kcompactdMigrated} pages migrated ` +
      `(scanned: ${kcompactdScanned[0]} by the migrate scanner, ${kcompactdScanned[1]} by the free scanner)`);
  }
  const short = t < count ? `not enough contiguous memory${why ? ` (${why})` : ''}` : 'pages in use';
  let note: string | null = null;
  if (t !== count) note = `nr_hugepages is ${t}${surplus ? ` persistent (+ ${surplus} surplus)` : ""}, not ${count}: ${short}`;
  else if (surplus) note = `${surplus} huge pages are surplus (surplus_hugepages): in use, they go back to the buddy allocator when freed`;
  return { total: sum((p) => p.total), note };
}
