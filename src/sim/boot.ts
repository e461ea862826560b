// Boot: zones and pageblocks from the MachineSpec (free_area_init / memmap_init: every pageblock MOVABLE),
// memblock reservations (reserved ranges, CMA areas, gigantic boot hugetlb pages top-down), memblock_free_all
// (__free_pages_memory: max-order naturally aligned chunks, __free_pages_core → FPI_TO_TAIL), CMA activation
// (cma_activate_area / init_cma_reserved_pageblock), watermarks and pagesets, then 2M boot hugetlb pools.
import { BLOCK_ABSENT, BLOCK_OFFLINE, BLOCK_ONLINE, type Core, type FreeBlock, type HugePools } from './core.js';
import { CMA, MOVABLE } from './consts.js';
import { freeBlock, freeFreshMaxOrderToTail, freeOnePage, FPI_NONE, FPI_TO_TAIL } from './buddy.js';
import { reserveKeys } from './nummap.js';
import { recomputeWatermarks } from './watermark.js';
import { CmaArea } from './cma.js';
import { bootHugetlb, bootGigantic } from './hugetlb-pool.js';
import { setZoneContiguous } from './zonespan.js';
import { subtract, type Range } from './ranges.js';
import { hex, ZONE_NAMES } from '../shared/format.js';
import { pow2 } from './pfn.js';

export interface BootResult {
  cma: CmaArea[];
  pools: HugePools;
  notes: string[];
}

export function boot(c: Core): BootResult {
  const spec = c.spec;
  const notes: string[] = [];
  const hot: Range[] = [];
  for (const n of spec.nodes) for (const h of n.hotplug) hot.push([h.start, h.end]);
  for (const n of spec.nodes) for (const h of n.holes ?? []) hot.push([h.start, h.end]);
  for (const v of spec.virtioMem) hot.push([v.start, v.end]);

  // ---- zones, pageblocks (memmap_init: MIGRATE_MOVABLE), memory blocks
  const pieces = new Map<number, { start: number; end: number; zone: number }[]>();
  const online: { zone: number; r: Range }[] = [];
  for (const n of spec.nodes) {
    for (const zs of n.zones) {
      const zid = ZONE_NAMES.indexOf(zs.zone);
      const z = c.zone(n.nid, zid);
      if (zs.end <= zs.start) continue;
      z.start = z.spanned ? Math.min(z.start, zs.start) : zs.start;
      z.end = Math.max(z.end, zs.end);
      for (const r of subtract([[zs.start, zs.end]], hot)) {
        online.push({ zone: z.idx, r });
        z.present += r[1] - r[0];
        z.presentEarly += r[1] - r[0];
        for (let pb = c.pbNo(r[0]); pb * c.pbPages < r[1]; pb++) {
          const ps = Math.max(r[0], pb * c.pbPages), pe = Math.min(r[1], (pb + 1) * c.pbPages);
          const i = pb - c.pbBase;
          if (c.pbZone[i] < 0) c.pbZone[i] = z.idx;
          c.pbMt[i] = MOVABLE;
          if (pe - ps < c.pbPages) {
            let l = pieces.get(pb);
            if (!l) pieces.set(pb, (l = []));
            l.push({ start: ps, end: pe, zone: z.idx });
          }
        }
        for (let b = c.blockOf(r[0]); b <= c.blockOf(r[1] - 1); b++) { c.blockState[b - c.blockBase] = BLOCK_ONLINE; c.blockNid[b - c.blockBase] = n.nid; }
      }
    }
    for (const h of n.hotplug) {
      for (let b = c.blockOf(h.start); b <= c.blockOf(h.end - 1); b++) {
        const i = b - c.blockBase;
        if (c.blockState[i] !== BLOCK_ONLINE) c.blockState[i] = h.state === 'offline' ? BLOCK_OFFLINE : BLOCK_ABSENT;
        c.blockNid[i] = n.nid;
      }
    }
  }
  for (const v of spec.virtioMem) for (let b = c.blockOf(v.start); b <= c.blockOf(v.end - 1); b++) c.blockNid[b - c.blockBase] = v.nid;
  for (const [pb, l] of pieces) if (l.reduce((a, p) => a + p.end - p.start, 0) < c.pbPages || new Set(l.map((p) => p.zone)).size > 1) c.straddle.set(pb, l);

  // ---- memblock reservations
  const reserved: Range[] = [];
  for (const n of spec.nodes) for (const r of n.reserved) reserved.push([r.start, r.end]);
  const cmaAreas: CmaArea[] = [];
  const align = c.pol.cma_alignment === 'pageblock' ? c.pbPages : Math.max(1 << c.maxOrder, c.pbPages);
  const cmaRes: Range[] = [];
  for (const a of spec.cma) {
    // cma_init_reserved_mem(): base and size aligned to CMA_MIN_ALIGNMENT_PAGES, else -EINVAL
    if (a.start % align || (a.end - a.start) % align || a.end <= a.start) {
      notes.push(`cma ${a.name}: base/size not aligned to ${align} pages (CMA_MIN_ALIGNMENT_PAGES) — cma_init_reserved_mem -EINVAL, area not created`);
      continue;
    }
    if ((a.end - a.start) % (1 << a.orderPerBit)) {
      notes.push(`cma ${a.name}: size not a multiple of 2^order_per_bit pages — -EINVAL, area not created`);
      continue;
    }
    cmaAreas.push(new CmaArea(a.name, a.start, a.end, a.orderPerBit));
    cmaRes.push([a.start, a.end]);
  }
  const giant = bootGigantic(c, online.map((o) => o.r), [...reserved, ...cmaRes], notes);

  // ---- reserved pages: PageReserved extents, present but not managed
  for (const [s, e] of reserved) {
    for (const o of online) {
      const ps = Math.max(s, o.r[0]), pe = Math.min(e, o.r[1]);
      if (ps < pe) c.addExtent(c.newExtent(ps, pe - ps, 0, false, 'reserved', 0, 'memblock'));
    }
  }

  // ---- memblock_free_all(): free ranges in max-order aligned chunks (FPI_TO_TAIL), zone by zone
  const held: Range[] = [...reserved, ...cmaRes, ...giant.map((g): Range => [g.pfn, g.pfn + g.pages])];
  reserveKeys(c.free, online.reduce((n, o) => n + Math.ceil((o.r[1] - o.r[0]) / pow2(c.maxOrder)), 0));
  for (const o of online) {
    const z = c.zones[o.zone];
    for (const [s, e] of subtract([o.r], held)) {
      let p = s;
      let tail: FreeBlock | null = null;
      while (p < e) {
        let order = Math.min(c.maxOrder, p === 0 ? c.maxOrder : ctz(p));
        while (p + (1 << order) > e) order--;
        z.managed += 1 << order;
        tail = freeFreshMaxOrderToTail(c, z, p, order, tail);
        if (!tail) freeBlock(c, z, p, order, FPI_TO_TAIL);
        p += 1 << order;
      }
    }
  }
  // gather_bootmem_prealloc(): gigantic boot pages become free hugetlb folios; adjust_managed_page_count
  const pools: HugePools = new Map();
  for (const g of giant) {
    const z = c.zoneOf(g.pfn)!;
    z.managed += g.pages;
    const e = c.addExtent(c.newExtent(g.pfn, g.pages, Math.log2(g.pages), true, 'hugetlb', 0, 'hugetlb pool'));
    e.hugeFree = true;
    poolAdd(pools, g.pages, z.nid, g.pfn);
  }

  // ---- cma_activate_area(): one zone, every pageblock MIGRATE_CMA and freed to buddy
  for (const a of cmaAreas) {
    const z = c.zoneOf(a.start);
    let ok = !!z;
    for (let p = a.start; ok && p < a.end; p += c.pbPages) if (c.zoneOf(p) !== z || c.zoneOf(p + c.pbPages - 1) !== z) ok = false;
    if (!ok || !z) {
      notes.push(`cma ${a.name}: area ${hex(a.start)}..${hex(a.end)} is not inside one zone (cma_validate_zones) — activation failed, pages released to buddy`);
      for (let p = a.start; p < a.end; p += c.pbPages) {
        const zz = c.zoneOf(p);
        if (!zz) continue;
        zz.managed += c.pbPages;
        freeBlock(c, zz, p, c.pbo, FPI_NONE);
      }
      a.failed = true;
      continue;
    }
    a.zone = z.idx;
    for (let p = a.start; p < a.end; p += c.pbPages) {
      // init_cma_reserved_pageblock(): set MIGRATE_CMA, __free_pages(pageblock_order) (boot pageset: straight to buddy)
      c.pbMt[c.pbi(p)] = CMA;
      z.managed += c.pbPages;
      z.cmaPages += c.pbPages;
      c.totalCma += c.pbPages;
      freeOnePage(c, z, p, c.pbo, CMA, FPI_NONE);
    }
  }

  // ---- init_per_zone_wmark_min(), pagesets
  recomputeWatermarks(c);
  // ---- hugetlb_init(): 2 MiB boot pools from buddy
  bootHugetlb(c, pools, notes);
  // ---- free_initrd_mem() (rootfs_initcall), free_initmem() (kernel_init, after every initcall): the marks above
  // were computed while these pages were still reserved, and nothing recomputes them when managed grows
  for (const n of spec.nodes) for (const r of n.reserved) if (r.initmem) freeInitmem(c, r.start, r.end);
  for (const z of c.zones) if (z.populated) setZoneContiguous(c, z);
  return { cma: cmaAreas.filter((a) => !a.failed), pools, notes };
}

/**
 * free_reserved_area() over [s, e): every PageReserved page of the range goes to the buddy allocator and is
 * managed (adjust_managed_page_count); the watermarks stay as they are. The kernel frees page by page through
 * __free_page (the pcp lists, drained by batch); here the range goes to the buddy directly in max-order chunks.
 */
function freeInitmem(c: Core, s: number, e: number): void {
  for (const x of [...c.extentsIn(s, e)]) {
    if (x.kind !== 'reserved') continue;
    const a = Math.max(s, x.pfn), b = Math.min(e, x.pfn + x.n);
    c.removeExtent(x);
    if (x.pfn < a) c.addExtent(c.newExtent(x.pfn, a - x.pfn, 0, false, 'reserved', 0, 'memblock'));
    if (b < x.pfn + x.n) c.addExtent(c.newExtent(b, x.pfn + x.n - b, 0, false, 'reserved', 0, 'memblock'));
    for (let p = a; p < b;) {
      const z = c.zoneOf(p)!;
      let order = Math.min(c.maxOrder, p === 0 ? c.maxOrder : ctz(p));
      while (p + (1 << order) > b || !z.spans(p + (1 << order) - 1) || c.zoneOf(p + (1 << order) - 1) !== z) order--;
      z.managed += 1 << order;
      freeBlock(c, z, p, order, FPI_NONE);
      p += 1 << order;
    }
  }
}

export function ctz(p: number): number {
  let n = 0;
  while (p % 2 === 0 && n < 53) { p /= 2; n++; }
  return n;
}

export function poolAdd(pools: HugePools, pages: number, nid: number, pfn: number): void {
  let p = pools.get(pages);
  if (!p) pools.set(pages, (p = new Map()));
  let n = p.get(nid);
  if (!n) p.set(nid, (n = { total: 0, free: [], surplus: 0 }));
  n.total++;
  n.free.push(pfn);
}
