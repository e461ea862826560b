// alloc_contig_range over a zone boundary or a memory hole (mm/page_alloc.c alloc_contig_range_noprof):
// the range belongs to cc->zone = the zone of its first page. Pageblocks of another zone are skipped by
// isolate_migratepages_range and end isolate_freepages_range (pageblock_pfn_to_page → NULL) → -EBUSY; a
// firmware hole inside a present section is PageReserved memmap (init_unavailable_range) that
// has_unmovable_pages refuses → -EBUSY at isolation. Only pfns without any memmap are the caller's error.
import assert from 'node:assert/strict';
import { runText, resultOf as res } from './helpers.js';

const run = (text: string) => runText(text, { checkInvariants: true });
const two = `machine {
  node 0 {
    zone DMA32 0x1000..0x100000
    zone Normal 0x100000..0x140000
  }
}
`;

describe('alloc_contig_range across zones and holes', () => {
  it('a free range crossing DMA32 → Normal: -EBUSY at the first Normal pageblock, nothing taken, nothing left isolated', () => {
    const before = run(two);
    const out = run(two + 'alloc_contig_range 0xffc00..0x100400 as x\n');
    const r = res(out, 'x');
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0x100000);
    assert.match(r.reason!, /not in DMA32/);
    for (const z of ['DMA32', 'Normal']) {
      const a = before.machine.zones().find((v) => v.zone === z)!;
      const b = out.machine.zones().find((v) => v.zone === z)!;
      assert.equal(b.free, a.free, z);
      assert.equal(b.nr_isolate_pageblock, 0, z);
    }
  });
  it('a page in the other zone is not migrated (its pageblocks are skipped): -EBUSY, the page stays', () => {
    const out = run(two + 'page 0x100010 anon\nalloc_contig_range 0xffc00..0x100400 as x\n');
    const r = res(out, 'x');
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.migrations.length, 0);
    assert.equal(out.machine.pageInfo(0x100010).state, 'allocated');
  });
  it('within one zone the same range works', () => {
    const out = run(two + 'alloc_contig_range 0xff800..0x100000 as x\n');
    assert.equal(res(out, 'x').ok, true);
  });
  const holey = (range: string) => `machine {
  node 0 {
    zone DMA32 0x1000..0x100000
    hole 0xc1100..0xc1200
    hole 0xd0000..0xe0000
  }
}
page 0xc0e10 slab
alloc_contig_range ${range} as x
`;
  it('a hole inside a present section: -EBUSY at isolation (PageReserved), nothing left isolated', () => {
    const out = run(holey('0xc1000..0xc1400'));
    const r = res(out, 'x');
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0xc1100);
    assert.match(r.reason!, /PageReserved/);
    assert.equal(out.machine.zones().find((v) => v.zone === 'DMA32')!.nr_isolate_pageblock, 0);
  });
  it('an unmovable page in an earlier pageblock is found first', () => {
    const r = res(run(holey('0xc0c00..0xc1400')), 'x');
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0xc0e10);
  });
  // start_isolate_page_range() (mm/page_isolation.c) isolates the first pageblock, then the last, then the ones
  // between in order; __first_valid_page() returns a hole's PageReserved page (its section is present), so the
  // hole fails set_migratetype_isolate → has_unmovable_pages in that order, like any unmovable page
  const holey2 = (pages: string, range: string) => `machine {
  node 0 {
    zone DMA32 0x1000..0x100000
    hole 0xc1100..0xc1200
    hole 0xc2200..0xc2400
  }
}
${pages}
alloc_contig_range ${range} as x
`;
  it('an unmovable page in the LAST pageblock is found before a hole in a middle pageblock (last is isolated second)', () => {
    const r = res(run(holey2('page 0xc1510 slab', '0xc0a00..0xc1600')), 'x');
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0xc1510);
  });
  it('a hole filling a whole middle pageblock is not skipped: -EBUSY at its first pfn, nothing left isolated', () => {
    const out = run(holey2('', '0xc2000..0xc2600'));
    const r = res(out, 'x');
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0xc2200);
    assert.match(r.reason!, /PageReserved/);
    assert.equal(out.machine.zones().find((v) => v.zone === 'DMA32')!.nr_isolate_pageblock, 0);
  });
  it('a range starting in a hole: -EBUSY at the start (the hole is the first pageblock isolated)', () => {
    const r = res(run(holey2('', '0xc2200..0xc2600')), 'x');
    assert.equal(r.errno, 'EBUSY');
    assert.equal(r.pfn, 0xc2200);
  });
  it('whole sections without memory have no memmap: the caller\'s error, -EINVAL', () => {
    const r = res(run(holey('0xcfe00..0xd0400')), 'x');
    assert.equal(r.errno, 'EINVAL');
    assert.equal(r.pfn, 0xd0000);
  });
});

describe('alloc_contig_range validation terminates on the smallest ranges', () => {
  it('a one-page range and a range ending one page into a pageblock', () => {
    const out = run(two + 'alloc_contig_range 0x50000..0x50001 as a\nalloc_contig_range 0x601ff..0x60201 as b\n');
    assert.equal(res(out, 'a').ok, true);
    assert.equal(res(out, 'b').ok, true);
  });
});
