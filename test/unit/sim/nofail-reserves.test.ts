// __GFP_NOFAIL at nopage (__alloc_pages_slowpath, mm/page_alloc.c): __alloc_pages_cpuset_fallback with
// ALLOC_MIN_RESERVE since 6.3 (min/2 below the min watermark), with ALLOC_HARDER before (mainline 6.1: min/4
// below min, and an order > 0 request takes and reserves the HIGHATOMIC list). The `atomic_reserves` switch.
import { strict as assert } from 'node:assert';
import { blank, release } from './helpers.js';
import { allocPagesSlowpath } from '../../../src/sim/slowpath.js';
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, __GFP_NOFAIL } from '../../../src/sim/gfp.js';
import { CMA as MT_CMA, MOVABLE } from '../../../src/sim/consts.js';

/** one Normal zone with 2048 free pages (order 10 blocks) whose min watermark is 1.6 × free: the fallback at min/2
 *  (6.12) passes, at 3/4 min (6.1's ALLOC_HARDER) it does not */
function setup(kernel: '6.12' | '6.1') {
  const m = blank(0x10000, kernel);
  release(m, 0x8000, 10, MOVABLE, true);
  release(m, 0x8400, 10, MOVABLE, true);
  const z = m.c.zone(0, 2);
  z.wmMin = Math.floor(z.free * 1.6);
  z.wmLow = z.wmMin * 2;
  z.wmHigh = z.wmMin * 3;
  return m;
}

describe('__GFP_NOFAIL reserves at nopage follow atomic_reserves (6.3: ALLOC_MIN_RESERVE, before: ALLOC_HARDER)', () => {
  it('6.12: a costly GFP_KERNEL|__GFP_NOFAIL request gets ALLOC_MIN_RESERVE (min/2) and succeeds', () => {
    const m = setup('6.12');
    const r = allocPagesSlowpath(m.c, { order: 4, gfp: GFP_KERNEL | __GFP_NOFAIL, nid: 0, cpu: 0 });
    assert.ok(r.pfn >= 0x8000, r.reason ?? '');
  });
  it('6.1: the same request gets ALLOC_HARDER (min/4) only: the kernel keeps retrying, the simulator stops and says so', () => {
    const m = setup('6.1');
    const r = allocPagesSlowpath(m.c, { order: 4, gfp: GFP_KERNEL | __GFP_NOFAIL, nid: 0, cpu: 0 });
    assert.equal(r.pfn, -1);
    assert.match(r.slowpath!.gaveUp ?? '', /__GFP_NOFAIL: the kernel would keep retrying \(ALLOC_HARDER fallback failed\)/);
  });
});

// Neither fallback passes ALLOC_CMA (__alloc_pages_cpuset_fallback(gfp, order, ALLOC_MIN_RESERVE, ac) at nopage,
// ALLOC_NO_WATERMARKS after out_of_memory() in __alloc_pages_may_oom): a movable __GFP_NOFAIL request cannot take
// CMA pageblocks there, and their free pages do not count for the watermark (__zone_watermark_unusable_free).
describe('__GFP_NOFAIL fallbacks do not use CMA (no ALLOC_CMA in __alloc_pages_cpuset_fallback)', () => {
  it('6.12: with only CMA pages free the movable NOFAIL request is not given one', () => {
    const m = blank(0x10000, '6.12');
    release(m, 0x8000, 10, MT_CMA, true);
    release(m, 0x8400, 10, MT_CMA, true);
    const z = m.c.zone(0, 2);
    z.wmMin = Math.floor(z.free * 1.6);
    z.wmLow = z.wmMin * 2;
    z.wmHigh = z.wmMin * 3;
    const r = allocPagesSlowpath(m.c, { order: 4, gfp: GFP_HIGHUSER_MOVABLE | __GFP_NOFAIL, nid: 0, cpu: 0 });
    assert.equal(r.pfn, -1, 'a CMA page was handed out by a fallback without ALLOC_CMA');
    assert.match(r.slowpath!.gaveUp ?? '', /__GFP_NOFAIL: the kernel would keep retrying/);
  });
});
