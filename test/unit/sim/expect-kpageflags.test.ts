// `expect kpageflags START..END FLAG CMP N` (issue 8): pages of a range with one /proc/kpageflags flag, as
// fs/proc/page.c stable_page_flags() reports them (6.12) and the oracle harness's pfnscan counts them: KPF_BUDDY on
// every page of a free block (PageBuddy on the head, is_free_buddy_page() for the refcount-0 tails), compound
// head/tail per folio, KPF_NOPAGE where pfn_to_online_page() is NULL. Flags the simulator cannot know are errors.
import assert from 'node:assert/strict';
import { runText as run } from './helpers.js';
import { analyze } from '../../../src/language/index.js';
import type { RunOutcome } from '../../../src/sim/runner.js';

const M = `kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;
const H = M.replace('machine {', 'machine {\n  hugetlb 2M pool 1');
/** a coldplugged DIMM: its memmap (one order-9 kernel allocation) is paid at boot */
const D = M.replace('0x8000..0x10000', '0x8000..0x10000\n    hotplug 0x10000..0x18000 offline');
const failed = (o: RunOutcome) => o.expectations.filter((e) => !e.ok).map((e) => e.message);

describe('expect kpageflags (stable_page_flags, counted as pfnscan does)', () => {
  it('buddy on every page of a free block, lru/anon on LRU pages, head/tail/thp per folio, slab, noflags', () => {
    const o = run(`${M}pages 0x8000..0x8010 anon
folio 0x8200 order 9 thp
page 0x8400 slab
page 0x8401 kernel
pages 0x8402..0x8404 reserved
expect kpageflags 0x8000..0x8800 lru == 528
expect kpageflags 0x8000..0x8800 anon == 528
expect kpageflags 0x8000..0x8800 thp == 512
expect kpageflags 0x8000..0x8800 head == 1
expect kpageflags 0x8000..0x8800 tail == 511
expect kpageflags 0x8000..0x8800 slab == 1
expect kpageflags 0x8000..0x8800 noflags == 1
expect kpageflags 0x8000..0x8800 reserved == 2
expect kpageflags 0x8000..0x8800 buddy == ${0x800 - 16 - 512 - 4}
expect kpageflags 0x8000..0x8800 nopage == 0
`);
    assert.deepEqual(failed(o), []);
  });

  it('a free hugetlb pool folio: huge on every page, one compound head, no buddy', () => {
    const o = run(`${H}expect kpageflags 0x8000..0x10000 huge == 512
expect kpageflags 0x8000..0x10000 head == 1
expect kpageflags 0x8000..0x10000 tail == 511
`);
    assert.deepEqual(failed(o), []);
    // the rest is free: in the buddy (KPF_BUDDY) or on pcp lists (the order-9 allocation refilled cpu 0's list: no flag)
    const pcp = o.machine.zones().find((z) => z.zone === 'Normal')!.pcp.reduce((n, p) => n + p.count, 0);
    assert.ok(pcp > 0);
    const o2 = run(`${H}expect kpageflags 0x8000..0x10000 buddy == ${0x8000 - 512 - pcp}\nexpect kpageflags 0x8000..0x10000 noflags == ${pcp}\n`);
    assert.deepEqual(failed(o2), []);
  });

  it('an offline memory block: KPF_NOPAGE on every page (pfn_to_online_page is NULL)', () => {
    const o = run(`${D}expect kpageflags 0x10000..0x18000 nopage == 32768
expect kpageflags 0x10000..0x18000 buddy == 0
expect kpageflags 0x10000..0x18000 noflags == 0
online block 2 online_movable
expect kpageflags 0x8000..0x10000 noflags >= 512
expect kpageflags 0x10000..0x18000 nopage == 0
expect kpageflags 0x10000..0x18000 buddy == 32768
`);
    assert.deepEqual(failed(o), []);
  });

  it('a page whose flag the simulator cannot know makes the expectation fail as not modelled, never 0', () => {
    const o = run(`${M}page 0x8000 movable_ops
expect kpageflags 0x8000..0x8010 offline == 0
expect kpageflags 0x8000..0x8010 lru == 0
`);
    const f = failed(o);
    assert.equal(f.length, 1);
    assert.match(f[0], /not modelled: page 0x8000 is movable_ops.*PageOffline/);
  });

  it('flags it does not track are an error at the flag, unknown ones too', () => {
    const d = analyze(`${M}expect kpageflags 0x8000..0x8010 dirty == 0\nexpect kpageflags 0x8000..0x8010 bogus == 0\nexpect kpageflags 0x7000..0x8010 buddy == 0\n`).diagnostics.filter((x) => x.severity === 'error');
    assert.equal(d.length, 3);
    assert.match(d[0].message, /kpageflags `dirty` is not modelled/);
    assert.deepEqual([d[0].loc.line, d[0].loc.col], [7, 34]);
    assert.match(d[1].message, /bogus/);
    assert.match(d[2].message, /not inside/);
  });
});
