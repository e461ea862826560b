// Watermarks and lowmem reserves (mm/page_alloc.c, mm/khugepaged.c, 6.12): init_per_zone_wmark_min =
// calculate_min_free_kbytes, setup_per_zone_wmarks (__setup_per_zone_wmarks, then zone_pcp_update for every
// zone), setup_per_zone_lowmem_reserve, then khugepaged_min_free_kbytes_update (set_recommended_min_free_kbytes,
// which raises min_free_kbytes for THP and sets up the watermarks again).
//
// THP: the machine is modelled as CONFIG_TRANSPARENT_HUGEPAGE=y with transparent_hugepage.enabled=always or
// madvise and khugepaged running (the x86-64 distro default, and the oracle's `[always] madvise never`). The
// language has no way to say otherwise, so it is a constant here (THP_KHUGEPAGED); with it off the sqrt
// formula alone decides min_free_kbytes. user_min_free_kbytes is set by `sysctl vm.min_free_kbytes` (src/sim/sysctl.ts).
import { MIGRATE_PCPTYPES, ZONE_MOVABLE, ZONE_NORMAL, MAX_NR_ZONES } from './consts.js';
import type { Core } from './core.js';
import { setupPcp } from './pcp.js';
import { PAGE_SIZE } from '../shared/format.js';

/** PAGE_SIZE >> 10 (kB per page); arithmetic, not shifts: page counts may pass 2^31 */
const KB_PER_PAGE = PAGE_SIZE / 1024;
/** gfp_zone(GFP_USER) on x86-64 */
const GFP_USER_ZONE = ZONE_NORMAL;
/** hugepage_pmd_enabled() && khugepaged_thread: see the header */
export const THP_KHUGEPAGED = true;

/** int_sqrt(): floor(sqrt(n)), exact for any safe integer */
function intSqrt(n: number): number {
  let r = Math.floor(Math.sqrt(n));
  while (r * r > n) r--;
  while ((r + 1) * (r + 1) <= n) r++;
  return r;
}
/** mult_frac(x, n, d) */
function multFrac(x: number, n: number, d: number): number {
  return Math.floor(x / d) * n + Math.floor(((x % d) * n) / d);
}

/**
 * nr_free_buffer_pages() = nr_free_zone_pages(gfp_zone(GFP_USER)): Σ (managed − high_wmark) over the zonelist's
 * zones ≤ ZONE_NORMAL (every node: the fallback zonelist is circular), zones with managed ≤ high count 0.
 * It reads the watermarks as they are at the time of the call.
 */
export function nrFreeBufferPages(c: Core): number {
  let pages = 0;
  for (const z of c.zones) if (z.populated && z.zid <= GFP_USER_ZONE && z.managed > z.wmHigh) pages += z.managed - z.wmHigh;
  return pages;
}

/** calculate_min_free_kbytes(): int_sqrt(16 × lowmem_kbytes) clamped to [128, 262144], unless user_min_free_kbytes is at least that */
export function calculateMinFreeKbytes(c: Core): void {
  const kb = nrFreeBufferPages(c) * KB_PER_PAGE;
  const v = intSqrt(kb * 16);
  // a value written to vm.min_free_kbytes (user_min_free_kbytes) is kept unless the computed one is larger
  if (v > c.sysctl.user_min_free_kbytes) c.minFreeKbytes = Math.min(262144, Math.max(128, v));
}

/** __setup_per_zone_wmarks() */
export function setupPerZoneWmarks(c: Core): void {
  const pagesMin = Math.floor(c.minFreeKbytes / KB_PER_PAGE);
  // lowmem_pages: !highmem (none on x86-64) and !ZONE_MOVABLE, every zone of every node
  let lowmem = 0;
  for (const z of c.zones) if (z.zid !== ZONE_MOVABLE) lowmem += z.managed;
  for (const z of c.zones) {
    const tmp = lowmem ? Math.floor((pagesMin * z.managed) / lowmem) : 0;
    if (z.zid === ZONE_MOVABLE) z.wmMin = Math.min(128, Math.max(32, Math.floor(z.managed / 1024)));
    else z.wmMin = tmp;
    // the spacing uses tmp (the zone's share of pages_min) for ZONE_MOVABLE too
    const delta = Math.max(tmp >> 2, multFrac(z.managed, c.sysctl.watermark_scale_factor, 10000));
    z.boost = 0;
    z.wmLow = z.wmMin + delta;
    z.wmHigh = z.wmLow + delta;
    z.wmPromo = z.wmHigh + delta;
  }
}

/** setup_per_zone_wmarks(): __setup_per_zone_wmarks, then zone_pcp_update(zone, 0) for every zone */
export function setupPerZoneWmarksAndPcp(c: Core): void {
  setupPerZoneWmarks(c);
  for (const z of c.zones) setupPcp(c, z);
}

/** setup_per_zone_lowmem_reserve() */
export function setupLowmemReserve(c: Core): void {
  for (let nid = 0; nid < c.nrNodes; nid++) {
    for (let i = 0; i < MAX_NR_ZONES; i++) {
      const z = c.zone(nid, i);
      const ratio = c.sysctl.lowmem_reserve_ratio[i]; // sysctl_lowmem_reserve_ratio
      const clear = !ratio || !z.managed;
      let managed = 0;
      z.lowmemReserve = [0, 0, 0, 0];
      for (let j = i + 1; j < MAX_NR_ZONES; j++) {
        managed += c.zone(nid, j).managed;
        z.lowmemReserve[j] = clear ? 0 : Math.floor(managed / ratio);
      }
    }
  }
}

/**
 * The THP recommendation of set_recommended_min_free_kbytes(), in kB: 2 free pageblocks per zone plus
 * MIGRATE_PCPTYPES² pageblocks per zone for fallbacks, over the populated zones ≤ gfp_zone(GFP_USER) (ZONE_MOVABLE
 * is skipped: it holds only movable pages), capped at 5% of nr_free_buffer_pages() (read with the watermarks
 * as they stand, i.e. after the sqrt-based setup that init_per_zone_wmark_min just did).
 */
export function recommendedMinFreeKbytes(c: Core): number {
  let nrZones = 0;
  for (const z of c.zones) if (z.populated && z.zid <= GFP_USER_ZONE) nrZones++;
  let rec = c.pbPages * nrZones * 2;
  rec += c.pbPages * nrZones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
  rec = Math.min(rec, Math.floor(nrFreeBufferPages(c) / 20));
  return rec * KB_PER_PAGE;
}

/** set_recommended_min_free_kbytes() (THP enabled): raise min_free_kbytes if below, then setup_per_zone_wmarks */
export function setRecommendedMinFreeKbytes(c: Core): void {
  const rec = recommendedMinFreeKbytes(c);
  if (rec > c.minFreeKbytes) c.minFreeKbytes = rec;
  setupPerZoneWmarksAndPcp(c);
}

/**
 * init_per_zone_wmark_min(): at boot (postcore_initcall, then hugepage_init's start_stop_khugepaged does the THP
 * step) and after every memory online/offline that changed managed pages. The sqrt step always recomputes
 * min_free_kbytes first (it overwrites an earlier THP raise), with nr_free_buffer_pages() read against the
 * previous high watermarks; the THP step then reads the new ones.
 */
export function recomputeWatermarks(c: Core, thp = THP_KHUGEPAGED): void {
  calculateMinFreeKbytes(c);
  setupPerZoneWmarksAndPcp(c);
  setupLowmemReserve(c);
  if (thp) setRecommendedMinFreeKbytes(c); // khugepaged_min_free_kbytes_update()
}
