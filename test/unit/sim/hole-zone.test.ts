// page_zone() of a hole page inside a present section. memmap_init() (mm/mm_init.c) walks the memblock memory
// ranges in pfn order; memmap_init_zone_range() gives the hole before each zone-clamped range
// (init_unavailable_range(*hole_pfn, start_pfn, zone_id, nid)) that range's zone and node, wherever the range is
// (init_unavailable_range skips pageblocks without a memmap, but the zone is the next range's even across
// sections); the hole after the last range, up to its section end, gets the last node's highest populated zone.
// Before, validZone looked only inside the hole's section and fell back to the previous memory: for the 32-page
// e820 hole under 3 GiB of the f-pci-hole machine (0xbffe0..0xc0000, the next memory is Normal at 4 GiB) it said
// DMA32.
import assert from 'node:assert/strict';
import { runText } from './helpers.js';
import { pc4G } from './oracle-replay.js';
import { validZone } from '../../../src/sim/isolation.js';

/** the f-pci-hole machine (oracle-replay.ts pc4G: e820 holes at 0x9f..0x100 and 0xbffe0..0x100000) */
const PCI_HOLE = pc4G();

describe('the zone of a hole page (memmap_init → init_unavailable_range)', () => {
  it('the 32-page hole under the PCI hole belongs to Normal, the zone of the next memory range (4 GiB), not DMA32', () => {
    const c = runText(PCI_HOLE).machine.c;
    assert.equal(c.zoneOf(0xbffe0), null);
    for (const p of [0xbffe0, 0xbffff]) assert.equal(validZone(c, p)?.name, 'Normal', p.toString(16));
  });
  it('a hole followed by memory of the same zone in its section keeps that zone (0x9f..0x100: DMA)', () => {
    const c = runText(PCI_HOLE).machine.c;
    assert.equal(validZone(c, 0x9f)?.name, 'DMA');
    assert.equal(validZone(c, 0)?.name, 'DMA'); // pfn 0: the hole before the first range
  });
  it('the hole after the last memory range (to its section end) gets the highest populated zone of the last node', () => {
    const c = runText(`machine {
  memory_block_size 128M
  node 0 {
    zone DMA32 0x1000..0x10000
    zone Normal 0x10000..0x20000
  }
  node 1 {
    zone Normal 0x20000..0x2fe00
  }
}
`).machine.c;
    const z = validZone(c, 0x2fe00);
    assert.equal(z?.name, 'Normal');
    assert.equal(z?.nid, 1);
  });
});
