// A migrated large folio that reclaim splits (add_to_swap failed: split_folio_to_list, mm/vmscan.c
// shrink_folio_list) leaves base pages the label still owns: each is followed through Core.moved, also once the
// head page is freed (the kernel's owner maps every base page of the split folio on its own).
import { strict as assert } from 'node:assert';
import { runText, resultOf } from './helpers.js';

const MACHINE = `kernel 6.12
machine {
  swap 1M
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;
/** t (a THP, migrated) is the oldest LRU folio; 256 swap slots: add_to_swap fails for it, it is split */
const SPLIT = `alloc order 9 movable gfp GFP_TRANSHUGE as t
migrate t
fill Normal 90% anon
alloc order 0 unmovable count 2000 gfp GFP_KERNEL as a
`;

describe('split of a migrated folio: the label follows every base page (Core.moved)', () => {
  it('the resident base pages are found through the label after the head was swapped out and freed', () => {
    const before = runText(`${MACHINE}${SPLIT}`, { checkInvariants: true });
    const c = before.machine.c;
    const t = resultOf(before, 't');
    const mig = before.ops.find((r) => r.op === 'migrate')!.result;
    const dst = mig.migrations.find((m) => m.result === 'ok')!.dst!;
    assert.notEqual(dst, t.allocated[0]!.pfn, 't moved');
    const sw = c.swapped.get('t');
    assert.ok(sw, 't has pages in swap');
    const inSwap = sw.filter((_, i) => i % 2).reduce((a, b) => a + b, 0);
    assert.ok(inSwap > 0 && inSwap < 512, `${inSwap} of t's pages in swap`);
    // the head went to swap: the page at dst is no longer t's
    assert.notEqual(before.machine.pageInfo(dst).owner, 't');
    let resident = 0;
    for (let p = dst; p < dst + 512; p++) if (before.machine.pageInfo(p).owner === 't') resident++;
    assert.equal(resident, 512 - inSwap);
    const out = runText(`${MACHINE}${SPLIT}free t\n`, { checkInvariants: true });
    const f = out.ops[out.ops.length - 1]!.result;
    assert.equal(f.ok, true, f.reason ?? '');
    assert.match(f.reason!, new RegExp(`${inSwap} of 512 pages were swapped out: ${inSwap} swap slots freed.*${512 - inSwap} resident pages freed`));
    for (let p = dst; p < dst + 512; p++) assert.notEqual(out.machine.pageInfo(p).owner, 't');
  });
});

describe('try_split_folio of a migrated folio (migrate_pages -ENOMEM for the large folio)', () => {
  it('the base pages migrated one by one are still the label\'s: free finds all 512', () => {
    const out = runText(`kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
alloc order 9 movable gfp GFP_TRANSHUGE as t
migrate t
fill Normal 90% anon
migrate t as m2
free t as f
`, { checkInvariants: true });
    const m2 = resultOf(out, 'm2');
    assert.ok(m2.migrations.some((m) => m.result === 'split'), 'the folio was split');
    assert.equal(m2.migrations.filter((m) => m.result === 'ok').length, 512);
    const f = resultOf(out, 'f');
    assert.equal(f.ok, true, f.reason ?? '');
    for (const m of m2.migrations) if (m.dst !== null) assert.notEqual(out.machine.pageInfo(m.dst).owner, 't');
  });
});

describe('Core.splitMoved', () => {
  it('each base page of a split moved unit is followed from its own original pfn; dropping one keeps the rest', () => {
    const out = runText(`kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`);
    const c = out.machine.c;
    c.noteMoved(0x9000, 0xa000, 'x');
    c.splitMoved(0xa000, 4);
    c.dropMoved(0xa000);
    assert.equal(c.movedTo('x', 0x9000), undefined);
    for (let i = 1; i < 4; i++) assert.equal(c.movedTo('x', 0x9000 + i), 0xa000 + i);
    // a further migration of one base page keeps its original pfn
    c.noteMoved(0xa002, 0xb000, 'x');
    assert.equal(c.movedTo('x', 0x9002), 0xb000);
    // a unit that never moved has nothing to split
    c.splitMoved(0xc000, 4);
    assert.equal(c.movedTo('x', 0xc001), undefined);
  });
});
