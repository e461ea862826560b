// Watermarks and lowmem reserves (mm/page_alloc.c): init_per_zone_wmark_min / calculate_min_free_kbytes,
// __setup_per_zone_wmarks, setup_per_zone_lowmem_reserve, then zone_pcp_update for every zone.
import { ZONE_MOVABLE, ZONE_NORMAL, MAX_NR_ZONES } from './consts.js';
import type { Core } from './core.js';
import { setupPcp } from './pcp.js';

/** sysctl_lowmem_reserve_ratio: DMA 256, DMA32 256, NORMAL 32, MOVABLE 0 */
const LOWMEM_RESERVE_RATIO = [256, 256, 32, 0];
const WATERMARK_SCALE_FACTOR = 10;

function isqrt(n: number): number {
  return Math.floor(Math.sqrt(n));
}
/** mult_frac(x, n, d) */
function multFrac(x: number, n: number, d: number): number {
  return Math.floor(x / d) * n + Math.floor(((x % d) * n) / d);
}

/** calculate_min_free_kbytes(): sqrt(16 * lowmem_kbytes) clamped to [128, 262144] */
export function calculateMinFreeKbytes(c: Core): void {
  // nr_free_buffer_pages(): Σ (managed − high) over zones <= ZONE_NORMAL
  let pages = 0;
  for (const z of c.zones) if (z.zid <= ZONE_NORMAL && z.managed > z.wmHigh) pages += z.managed - z.wmHigh;
  const kb = pages * 4;
  c.minFreeKbytes = Math.min(262144, Math.max(128, isqrt(kb * 16)));
}

/** __setup_per_zone_wmarks() */
export function setupPerZoneWmarks(c: Core): void {
  const pagesMin = c.minFreeKbytes >> 2;
  let lowmem = 0;
  for (const z of c.zones) if (z.zid !== ZONE_MOVABLE) lowmem += z.managed;
  for (const z of c.zones) {
    const tmp = lowmem ? Math.floor((pagesMin * z.managed) / lowmem) : 0;
    if (z.zid === ZONE_MOVABLE) z.wmMin = Math.min(128, Math.max(32, Math.floor(z.managed / 1024)));
    else z.wmMin = tmp;
    const delta = Math.max(tmp >> 2, multFrac(z.managed, WATERMARK_SCALE_FACTOR, 10000));
    z.boost = 0;
    z.wmLow = z.wmMin + delta;
    z.wmHigh = z.wmLow + delta;
    z.wmPromo = z.wmHigh + delta;
  }
}

/** setup_per_zone_lowmem_reserve() */
export function setupLowmemReserve(c: Core): void {
  for (let nid = 0; nid < c.nrNodes; nid++) {
    for (let i = 0; i < MAX_NR_ZONES; i++) {
      const z = c.zone(nid, i);
      const ratio = LOWMEM_RESERVE_RATIO[i];
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

/** init_per_zone_wmark_min() + setup_per_zone_wmarks() (which ends with zone_pcp_update on every zone) */
export function recomputeWatermarks(c: Core): void {
  calculateMinFreeKbytes(c);
  setupPerZoneWmarks(c);
  setupLowmemReserve(c);
  for (const z of c.zones) setupPcp(c, z);
}
