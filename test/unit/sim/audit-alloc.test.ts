// Audit of the allocation path against mm/page_alloc.c (6.12 and the current tree). Each case names the kernel
// function and the release whose behaviour it pins; pfns, orders and counts are exact.
import assert from 'node:assert/strict';
import { list, blank, betweenMinAndLow, order2FromUnmovableBlock, release as releaseBlock } from './helpers.js';
import { allocPages } from '../../../src/sim/alloc.js';
import { orderToPindex } from '../../../src/sim/pcp.js';
import { GFP_ATOMIC, GFP_KERNEL } from '../../../src/sim/gfp.js';
import { UNMOVABLE, HIGHATOMIC } from '../../../src/sim/consts.js';
import type { Machine } from '../../../src/sim/machine.js';

const release = (m: Machine, pfn: number, order: number, mt: number) => releaseBlock(m, pfn, order, mt, true);

describe('allocation path audit (mm/page_alloc.c)', () => {
  for (const kernel of ['6.12', 'latest'] as const) {
    it(`rmqueue(): an ALLOC_HIGHATOMIC order-2 request still goes through the pcp (${kernel})`, () => {
      // rmqueue() calls rmqueue_pcplist() for every pcp_allowed_order(); only rmqueue_buddy() looks at
      // ALLOC_HIGHATOMIC. The pcp refill (rmqueue_bulk -> __rmqueue) never takes HIGHATOMIC pages.
      const m = blank(0x10000, kernel);
      const z = m.c.zone(0, 2);
      release(m, 0x200, 2, HIGHATOMIC); // a reserved pageblock with a free order-2 block
      z.nrReservedHighatomic = 512;
      release(m, 0x1000, 9, UNMOVABLE);
      betweenMinAndLow(m);
      const r = allocPages(m.c, { order: 2, gfp: GFP_ATOMIC, nid: 0, cpu: 0 });
      // nr_pcp_alloc(order 2): batch 15 -> max(15 >> 2, 2) = 3 blocks: 0x1000, 0x1004, 0x1008 (tail-added)
      assert.equal(r.pfn, 0x1000);
      assert.deepEqual(z.pcp[0].lists[orderToPindex(m.c, UNMOVABLE, 2)], [0x1008, 0x1004]); // array end = head
      assert.equal(z.pcp[0].count, 8);
      // reserve_highatomic_pageblock(0x1000): 65536/100 = 655 >= 512, cap ALIGN(655, 512) = 1024
      assert.equal(m.pageblock(0x1000).migratetype, 'highatomic');
      assert.equal(z.nrReservedHighatomic, 1024);
      assert.deepEqual(list(m, 0, 'Normal', 2, HIGHATOMIC), [0x200, 0x100c]); // moved blocks go to the tail
      assert.deepEqual(list(m, 0, 'Normal', 8, HIGHATOMIC), [0x1100]);
    });
  }

  for (const kernel of ['6.12', 'latest'] as const) {
    it(`reserve_highatomic_pageblock(): no reserve when managed/100 < pageblock_nr_pages (6.8+, ${kernel})`, () => {
      // 0x4000 managed pages: 16384 / 100 = 163 < 512 -> return before taking the zone lock
      const { m, z, r } = order2FromUnmovableBlock(kernel, GFP_ATOMIC, 0x4000);
      assert.equal(r.pfn, 0x1000);
      assert.equal(m.pageblock(0x1000).migratetype, 'unmovable');
      assert.equal(z.nrReservedHighatomic, 0);
      assert.equal(z.nrFreeHighatomic, 0);
    });
  }

  it('reserve_highatomic_pageblock() before 6.8: cap managed/100 + pageblock, no minimum (6.6)', () => {
    // 16384 / 100 = 163; the old cap 163 + 512 = 675 > 0 reserved -> the pageblock becomes HIGHATOMIC
    const { m, z, r } = order2FromUnmovableBlock('6.6', GFP_ATOMIC, 0x4000);
    assert.equal(r.pfn, 0x1000);
    assert.equal(m.pageblock(0x1000).migratetype, 'highatomic');
    assert.equal(z.nrReservedHighatomic, 512);
  });

  it('__zone_watermark_unusable_free(): the whole reserve before the 6.12.y fix, only its free pages after', () => {
    // A 512-page highatomic reserve that is fully in use, 512 free pages elsewhere, min watermark 100, and a
    // GFP_KERNEL request (no ALLOC_RESERVES). Before: nr_reserved_highatomic (512) is held back, 512 - 512 <= 100
    // fails; after: only nr_free_highatomic (0), 512 > 100 passes.
    for (const [kernel, ok] of [['6.6', false], ['6.12', true]] as const) {
      const m = blank(0x10000, kernel);
      const z = m.c.zone(0, 2);
      release(m, 0x1000, 9, UNMOVABLE); // 512 free pages
      z.nrReservedHighatomic = 512;
      z.wmMin = 100; z.wmLow = 100; z.wmHigh = 100;
      const r = allocPages(m.c, { order: 0, gfp: GFP_KERNEL, nid: 0, cpu: 0 });
      assert.equal(r.pfn >= 0, ok, `${kernel}: ${r.reason}`);
    }
  });
});
