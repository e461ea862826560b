// Who may use the reserves, per kernel version (mm/page_alloc.c gfp_to_alloc_flags, rmqueue_buddy,
// __zone_watermark_ok). Since 6.3 (Mel Gorman, "mm/page_alloc: explicitly define how __GFP_HIGH non-blocking
// allocations accesses reserves") every non-blocking request gets ALLOC_NON_BLOCK but ALLOC_HIGHATOMIC needs
// ALLOC_MIN_RESERVE (__GFP_HIGH) as well; before, ALLOC_HARDER came from __GFP_ATOMIC (GFP_ATOMIC) only, and every
// ALLOC_HARDER order > 0 request used and reserved the HIGHATOMIC list.
import assert from 'node:assert/strict';
import { blank, betweenMinAndLow, order2FromUnmovableBlock, release as releaseBlock } from './helpers.js';
import { allocPages, gfpToAllocFlags } from '../../../src/sim/alloc.js';
import { presetPolicies } from '../../../src/sim/policies.js';
import { GFP_ATOMIC, GFP_KERNEL, GFP_NOWAIT, __GFP_HIGH, __GFP_NOMEMALLOC, parseGfp } from '../../../src/sim/gfp.js';
import { UNMOVABLE, HIGHATOMIC } from '../../../src/sim/consts.js';
import {
  ALLOC_HARDER, ALLOC_HIGHATOMIC, ALLOC_LEGACY_RESERVES, ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK,
} from '../../../src/sim/internal.js';
import { zoneWatermarkOk } from '../../../src/sim/zone.js';
import type { Machine } from '../../../src/sim/machine.js';

const release = (m: Machine, pfn: number, order: number, mt: number) => releaseBlock(m, pfn, order, mt, true);

describe('atomic_reserves: gfp_to_alloc_flags per kernel version', () => {
  it('the presets: gfp_atomic before 6.3 (6.1 and older), gfp_high from 6.6 on', () => {
    for (const k of ['5.10', '5.15', '6.1'] as const) assert.equal(presetPolicies(k).atomic_reserves, 'gfp_atomic', k);
    for (const k of ['6.6', '6.12', 'latest'] as const) assert.equal(presetPolicies(k).atomic_reserves, 'gfp_high', k);
  });

  it('6.3+ gfp_to_alloc_flags: ALLOC_HIGHATOMIC only for a non-blocking request with __GFP_HIGH', () => {
    const atomic = gfpToAllocFlags(GFP_ATOMIC, 2, 'gfp_high');
    assert.equal(atomic & (ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_HIGHATOMIC), ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_HIGHATOMIC);
    const nowait = gfpToAllocFlags(GFP_NOWAIT, 2, 'gfp_high');
    assert.equal(nowait & ALLOC_NON_BLOCK, ALLOC_NON_BLOCK);
    assert.equal(nowait & (ALLOC_HIGHATOMIC | ALLOC_MIN_RESERVE), 0, 'GFP_NOWAIT order 2: no ALLOC_HIGHATOMIC');
    // order 0 never gets ALLOC_HIGHATOMIC; __GFP_NOMEMALLOC gets no ALLOC_NON_BLOCK
    assert.equal(gfpToAllocFlags(GFP_ATOMIC, 0, 'gfp_high') & ALLOC_HIGHATOMIC, 0);
    assert.equal(gfpToAllocFlags(GFP_ATOMIC | __GFP_NOMEMALLOC, 2, 'gfp_high') & (ALLOC_NON_BLOCK | ALLOC_HIGHATOMIC), 0);
    // __GFP_HIGH on a non-blocking request without __GFP_ATOMIC is enough since 6.3
    assert.ok(gfpToAllocFlags(GFP_NOWAIT | __GFP_HIGH, 2, 'gfp_high') & ALLOC_HIGHATOMIC);
  });

  it('before 6.3 gfp_to_alloc_flags: ALLOC_HARDER (and the HIGHATOMIC list for order > 0) for __GFP_ATOMIC only', () => {
    const atomic = gfpToAllocFlags(GFP_ATOMIC, 2, 'gfp_atomic');
    assert.equal(atomic & (ALLOC_LEGACY_RESERVES | ALLOC_HARDER | ALLOC_HIGHATOMIC | ALLOC_MIN_RESERVE),
      ALLOC_LEGACY_RESERVES | ALLOC_HARDER | ALLOC_HIGHATOMIC | ALLOC_MIN_RESERVE);
    assert.equal(gfpToAllocFlags(GFP_NOWAIT, 2, 'gfp_atomic') & (ALLOC_HARDER | ALLOC_HIGHATOMIC), 0);
    assert.equal(gfpToAllocFlags(GFP_NOWAIT | __GFP_HIGH, 2, 'gfp_atomic') & (ALLOC_HARDER | ALLOC_HIGHATOMIC), 0);
    assert.equal(gfpToAllocFlags(GFP_ATOMIC | __GFP_NOMEMALLOC, 2, 'gfp_atomic') & (ALLOC_HARDER | ALLOC_HIGHATOMIC), 0);
    assert.equal(gfpToAllocFlags(GFP_KERNEL, 2, 'gfp_atomic') & (ALLOC_HARDER | ALLOC_HIGHATOMIC), 0);
  });

  it('GFP_ATOMIC carries __GFP_ATOMIC (the 6.1 definition) and still prints as GFP_ATOMIC', () => {
    assert.equal(parseGfp(['GFP_ATOMIC']).gfp, GFP_ATOMIC);
    assert.equal(parseGfp(['__GFP_ATOMIC']).unknown, null);
  });

  it('before 6.3 __zone_watermark_ok: ALLOC_HIGH takes min/2, ALLOC_HARDER another min/4, ALLOC_HIGH alone cannot use the highatomic reserve', () => {
    const m = blank(0x10000, '6.1');
    const z = m.c.zone(0, 2);
    release(m, 0x1000, 9, UNMOVABLE);
    // 512 free pages; a 400-page watermark: /2 -> 200, then -= 200/4 -> 150; 1400 -> 700 -> 525
    assert.equal(zoneWatermarkOk(z, 0, 400, 2, gfpToAllocFlags(GFP_ATOMIC, 0, 'gfp_atomic'), 'reserved'), null);
    assert.match(zoneWatermarkOk(z, 0, 1400, 2, gfpToAllocFlags(GFP_ATOMIC, 0, 'gfp_atomic'), 'reserved')!, /watermark 525/);
    // __GFP_ATOMIC without __GFP_HIGH (before 6.3): min/4 only: 1000 -> 750; 6.3+ gives NON_BLOCK alone nothing
    const hard = gfpToAllocFlags(GFP_ATOMIC & ~__GFP_HIGH, 0, 'gfp_atomic');
    assert.match(zoneWatermarkOk(z, 0, 1000, 2, hard, 'reserved')!, /watermark 750/);
    assert.match(zoneWatermarkOk(z, 0, 1000, 2, gfpToAllocFlags(GFP_ATOMIC & ~__GFP_HIGH, 0, 'gfp_high'), 'reserved')!, /watermark 1000/);
    // nr_reserved_highatomic 256 is unusable for ALLOC_HIGH without ALLOC_HARDER (before 6.3), usable since
    z.nrReservedHighatomic = 256;
    const high = GFP_KERNEL | __GFP_HIGH;
    assert.match(zoneWatermarkOk(z, 0, 600, 2, gfpToAllocFlags(high, 0, 'gfp_atomic'), 'reserved')!, /free 256 <= min watermark 300/);
    assert.equal(zoneWatermarkOk(z, 0, 600, 2, gfpToAllocFlags(high, 0, 'gfp_high'), 'reserved'), null);
  });
});

describe('atomic_reserves: the allocator (get_page_from_freelist, rmqueue_buddy, reserve_highatomic_pageblock)', () => {
  for (const kernel of ['6.1', '6.12'] as const) {
    it(`GFP_NOWAIT order 2 does not reserve a highatomic pageblock (${kernel})`, () => {
      const { m, z, r } = order2FromUnmovableBlock(kernel, GFP_NOWAIT);
      assert.equal(r.pfn, 0x1000);
      assert.equal(m.pageblock(0x1000).migratetype, 'unmovable');
      assert.equal(z.nrReservedHighatomic, 0);
    });

    it(`GFP_ATOMIC order 2 reserves the pageblock it allocated from (${kernel})`, () => {
      const { m, z, r } = order2FromUnmovableBlock(kernel, GFP_ATOMIC);
      assert.equal(r.pfn, 0x1000);
      assert.equal(m.pageblock(0x1000).migratetype, 'highatomic');
      assert.equal(z.nrReservedHighatomic, 512);
    });
  }

  it('GFP_NOWAIT|__GFP_HIGH order 2: a highatomic reserve since 6.3 (ALLOC_MIN_RESERVE), none before (no __GFP_ATOMIC)', () => {
    for (const [kernel, mt] of [['6.12', 'highatomic'], ['6.1', 'unmovable']] as const) {
      const { m, r } = order2FromUnmovableBlock(kernel, GFP_NOWAIT | __GFP_HIGH);
      assert.equal(r.pfn, 0x1000, kernel);
      assert.equal(m.pageblock(0x1000).migratetype, mt, kernel);
    }
  });

  it('order-0 GFP_NOWAIT falls back to the HIGHATOMIC list since 6.3 (rmqueue_buddy), not before', () => {
    for (const [kernel, ok] of [['6.12', true], ['6.1', false]] as const) {
      const m = blank(0x10000, kernel);
      const z = m.c.zone(0, 2);
      release(m, 0x200, 2, HIGHATOMIC); // only free memory: a highatomic reserve
      z.nrReservedHighatomic = 512;
      betweenMinAndLow(m);
      const r = allocPages(m.c, { order: 0, gfp: GFP_NOWAIT, nid: 0, cpu: 0 });
      assert.equal(r.pfn >= 0, ok, `${kernel}: ${r.reason}`);
      if (ok) assert.ok(r.pfn >= 0x200 && r.pfn < 0x204);
    }
  });
});
