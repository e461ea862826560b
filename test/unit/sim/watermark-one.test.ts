// One __zone_watermark_ok (mm/page_alloc.c) for the allocator, compaction and page reporting. The compaction copy
// used to ignore the highatomic_watermark policy: with `reserved` (kernels before 6.12.y's "keep track of free
// highatomic") the allocator holds back the whole highatomic reserve, free or not, and so must
// __isolate_free_page (compaction's and page reporting's way of taking a free block) and compaction_suitable.
import { strict as assert } from 'node:assert';
import { machine, spec, release } from './helpers.js';
import { isolateFreePage, takeFree } from '../../../src/sim/buddy.js';
import { compactionSuitAllocationOrder } from '../../../src/sim/compaction/suitable.js';
import { zoneSnapshot, zoneWatermarkOk } from '../../../src/sim/zone.js';
import { ALLOC_CMA } from '../../../src/sim/internal.js';
import { HIGHATOMIC, MOVABLE, ZONE_NORMAL } from '../../../src/sim/consts.js';
import type { Machine } from '../../../src/sim/machine.js';

const PAGES = 0x4000;

/** node 0 Normal [0, 16384), all allocated; pageblock 0 is a highatomic reserve with none of its pages free */
function reservedHighatomic(policy: 'free' | 'reserved'): Machine {
  const m = machine(spec({ zones: [['Normal', 0, PAGES]] }), 'latest', { highatomic_watermark: policy });
  const c = m.c;
  takeFree(c, 0, PAGES);
  c.addExtent(c.newExtent(0, PAGES, 0, false, 'kernel', 0, 'test'));
  c.setMt(0, HIGHATOMIC, 'test: reserve_highatomic_pageblock');
  c.zone(0, ZONE_NORMAL).nrReservedHighatomic += c.pbPages;
  return m;
}

/** frees order-`order` movable blocks from pfn 0x2000 up (every other one, so they stay unmerged) until NR_FREE_PAGES passes `target` */
function freeUntil(m: Machine, target: number, order: number): number[] {
  const z = m.c.zone(0, ZONE_NORMAL);
  const out: number[] = [];
  for (let pfn = 0x2000; z.free <= target; pfn += 2 << order) {
    release(m, pfn, order, MOVABLE, true);
    out.push(pfn);
  }
  return out;
}

describe('one zone watermark check (allocator, compaction, reporting)', () => {
  it('__isolate_free_page holds back the whole highatomic reserve under highatomic_watermark reserved', () => {
    const m = reservedHighatomic('reserved');
    const z = m.c.zone(0, ZONE_NORMAL);
    const order = 3;
    const mark = z.wmMin + (1 << order);
    // free pages above the mark, but not by the 512-page reserve
    const blocks = freeUntil(m, mark + 64, order);
    assert.ok(z.free - z.nrReservedHighatomic <= mark, `free ${z.free}, reserve ${z.nrReservedHighatomic}, mark ${mark}`);
    // the allocator: order-0 check at min + 2^order with ALLOC_CMA, highest_zoneidx 0 (as __isolate_free_page asks)
    assert.notEqual(zoneWatermarkOk(z, 0, mark, 0, ALLOC_CMA, m.c.pol.highatomic_watermark), null);
    assert.equal(isolateFreePage(m.c, blocks[0]!, order), false);
  });

  it('with highatomic_watermark free, an empty reserve holds nothing back (both agree it passes)', () => {
    const m = reservedHighatomic('free');
    const z = m.c.zone(0, ZONE_NORMAL);
    const order = 3;
    const mark = z.wmMin + (1 << order);
    const blocks = freeUntil(m, mark + 64, order);
    assert.equal(zoneWatermarkOk(z, 0, mark, 0, ALLOC_CMA, m.c.pol.highatomic_watermark), null);
    assert.equal(isolateFreePage(m.c, blocks[0]!, order), true);
  });

  it('compaction_suitable sees the same free pages as the allocator under highatomic_watermark reserved', () => {
    const m = reservedHighatomic('reserved');
    const z = m.c.zone(0, ZONE_NORMAL);
    const order = 2;
    // order-0 target of compaction_suitable for order 2: min + compact_gap(2) = min + 8
    freeUntil(m, z.wmMin + 8 + 64, 0);
    const s = compactionSuitAllocationOrder(zoneSnapshot(z, m.c.pol.highatomic_watermark), order, { wmark: z.wmMin });
    assert.equal(s.result, 'COMPACT_SKIPPED', s.why);
  });
});
