// Internal allocations through __alloc_pages_slowpath, as the kernel makes them: hugetlb pool growth
// (mm/hugetlb.c alloc_pool_huge_folio -> alloc_buddy_hugetlb_folio with __GFP_RETRY_MAYFAIL and the
// node_alloc_noretry mask of set_max_huge_pages) and migration targets (mm/migrate.c alloc_migration_target).
import { strict as assert } from 'node:assert';
import { allocBuddyHugetlb } from '../../../src/sim/hugetlb.js';
import { blank, release, runChecked } from './helpers.js';
import { MOVABLE } from '../../../src/sim/consts.js';

const MACHINE = (zone = '0x8000..0x10000') => `kernel 6.12
machine {
  node 0 {
    zone Normal ${zone}
  }
}
`;


describe('slow path for internal allocations', () => {
  it('hugetlb pool growth on a zone full of clean page cache reclaims and compacts, and succeeds (alloc_pool_huge_folio, __GFP_RETRY_MAYFAIL)', () => {
    const r = runChecked(`${MACHINE()}fill Normal 100% file
hugetlb 2M resize 2 node 0 as h
expect hugetlb 2M total == 2
`).byName.get('h')!;
    assert.equal(r.ok, true, r.reason ?? '');
    const sp = r.slowpath!;
    assert.equal(sp.caller, 'alloc_pool_huge_folio');
    assert.ok(sp.reclaimed.inactive_file > 0, sp.text);
    assert.ok(sp.compaction.length > 0, sp.text);
    assert.equal(sp.gaveUp, null);
    assert.ok(r.events.some((e) => e.type === 'note' && e.text.startsWith('alloc_pool_huge_folio: slow path: ')));
  });

  it('a failed hugetlb resize says why: the slow path gave up without the OOM killer (__GFP_RETRY_MAYFAIL, order 9)', () => {
    const r = runChecked(`${MACHINE()}fill Normal 100% unmovable
hugetlb 2M resize 1 node 0 as h
`).byName.get('h')!;
    const sp = r.slowpath!;
    assert.equal(sp.caller, 'alloc_pool_huge_folio');
    assert.equal(sp.oom?.invoked ?? false, false);
    assert.ok(sp.gaveUp, sp.text);
    assert.ok(r.events.some((e) => e.type === 'note' && /nr_hugepages is 0, not 1: not enough contiguous memory \(.*slow path: /.test(e.text)));
  });

  it('node_alloc_noretry: after a failed __GFP_RETRY_MAYFAIL attempt the node is tried without it, and a success clears it (alloc_buddy_hugetlb_folio)', () => {
    const m = blank(0x10000, '6.12');
    const noretry = new Set<number>();
    const first = allocBuddyHugetlb(m.c, 512, 0, 0, noretry);
    assert.equal(first.pfn, -1);
    assert.ok(noretry.has(0));
    // %pGg order (format_flags): the first attempt carries __GFP_RETRY_MAYFAIL, the second does not
    assert.match(first.reason!, /\(GFP_HIGHUSER_MOVABLE\|__GFP_NOWARN\|__GFP_RETRY_MAYFAIL\|__GFP_COMP\|__GFP_THISNODE\)/);
    const second = allocBuddyHugetlb(m.c, 512, 0, 0, noretry);
    assert.equal(second.pfn, -1);
    // without __GFP_RETRY_MAYFAIL a costly order gets no retry loop (__alloc_pages_slowpath)
    assert.match(second.reason!, /without __GFP_RETRY_MAYFAIL: no retry/);
    assert.match(second.reason!, /\(GFP_HIGHUSER_MOVABLE\|__GFP_NOWARN\|__GFP_COMP\|__GFP_THISNODE\)/);
    assert.doesNotMatch(first.reason!, /without __GFP_RETRY_MAYFAIL/);
    // migration targets and alloc_and_dissolve pass no mask: always __GFP_RETRY_MAYFAIL
    assert.doesNotMatch(allocBuddyHugetlb(m.c, 512, 0, 0, null).reason!, /without __GFP_RETRY_MAYFAIL/);
    // memory comes back: the attempt without __GFP_RETRY_MAYFAIL succeeds and clears the node's bit
    for (let p = 0x8000; p < 0x10000; p += 0x200) release(m, p, 9, MOVABLE, true);
    const third = allocBuddyHugetlb(m.c, 512, 0, 0, noretry);
    assert.ok(third.pfn >= 0x8000, third.reason ?? '');
    assert.equal(noretry.has(0), false);
  });

  it('migration targets of alloc_contig_range come from direct reclaim when the zone is full of clean page cache (alloc_migration_target)', () => {
    // the range is anon (placed before the fill, which then takes the zone's free pages below its min watermark): the range's clean page
    // cache would be reclaimed, not migrated (reclaim_clean_pages_from_list)
    const r = runChecked(`${MACHINE()}pages 0x9000..0x9200 anon
fill Normal 98% file
alloc_contig_range 0x9000..0x9200 as c
`).byName.get('c')!;
    assert.equal(r.ok, true, r.reason ?? '');
    const sp = r.slowpath!;
    assert.equal(sp.caller, 'migration target (MR_CONTIG_RANGE)');
    assert.ok(sp.reclaimed.inactive_file > 0, sp.text);
    // reclaim never took a folio that was on the migration list: every page of the range was migrated or freed
    assert.ok(r.migrations.filter((m) => m.result === 'ok').length > 0);
    assert.ok(r.migrations.every((m) => m.dst === null || m.dst < 0x9000 || m.dst >= 0x9200));
  });
});
