// alloc_contig_range's own reclaim of the range's clean page cache: __alloc_contig_migrate_range (mm/page_alloc.c,
// 6.12 and 6.1) calls reclaim_clean_pages_from_list (mm/vmscan.c) on the isolated list before migrate_pages.
// Candidates: file LRU, not dirty, not movable_ops, not unevictable, not hugetlb; shrink_folio_list with
// may_unmap = 1 and ignore_references = true frees them (mapped ones are unmapped by try_to_unmap), except
// writeback (case 2: activate_locked) and maybe-DMA-pinned folios (activate_locked), which go back on the list
// and are migrated (or fail to be).
import { strict as assert } from 'node:assert';
import { runChecked } from './helpers.js';

const MACHINE = (kernel = '6.12') => `kernel ${kernel}
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;

describe('alloc_contig_range reclaims clean page cache in its range (reclaim_clean_pages_from_list)', () => {
  for (const kernel of ['6.12', '6.1']) {
    it(`${kernel}: clean file pages are freed, dirty file and anon pages are migrated; the result says how many of each`, () => {
      const r = runChecked(`${MACHINE(kernel)}pages 0x9000..0x9040 file
pages 0x9040..0x9050 file dirty
pages 0x9050..0x9060 anon
pages 0x9060..0x9070 file active
alloc_contig_range 0x9000..0x9200 as c
`).byName.get('c')!;
      assert.equal(r.ok, true, r.reason ?? '');
      assert.deepEqual(r.contig, { reclaimed: 0x50, migrated: 0x20 });
      // only the dirty file pages and the anon pages were migration sources
      const srcs = r.migrations.filter((m) => m.result === 'ok').map((m) => m.src).sort((a, b) => a - b);
      assert.equal(srcs.length, 0x20);
      assert.ok(srcs.every((p) => p >= 0x9040 && p < 0x9060));
      assert.ok(r.events.some((e) => e.type === 'note' && /reclaim_clean_pages_from_list: 80 clean page-cache pages reclaimed, 32 migrated/.test(e.text)), JSON.stringify(r.events.filter((e) => e.type === 'note')));
    });
  }

  it('writeback and pinned clean file pages are not reclaimed (shrink_folio_list: activate_locked)', () => {
    const r = runChecked(`${MACHINE()}pages 0x9000..0x9010 file writeback
pages 0x9010..0x9020 file
alloc_contig_range 0x9000..0x9200 as c
`).byName.get('c')!;
    assert.equal(r.ok, true, r.reason ?? '');
    assert.deepEqual(r.contig, { reclaimed: 0x10, migrated: 0x10 });
    const p = runChecked(`${MACHINE()}pages 0x9000..0x9010 file pinned
alloc_contig_range 0x9000..0x9200 as c
`).byName.get('c')!;
    assert.equal(p.ok, false);
    assert.equal(p.errno, 'EBUSY');
    assert.equal(p.contig?.reclaimed, 0);
  });

  it('unevictable (mlocked) clean file pages are not candidates: migrated', () => {
    const r = runChecked(`${MACHINE()}pages 0x9000..0x9010 file unevictable
alloc_contig_range 0x9000..0x9200 as c
`).byName.get('c')!;
    assert.equal(r.ok, true, r.reason ?? '');
    assert.deepEqual(r.contig, { reclaimed: 0, migrated: 0x10 });
  });
});
