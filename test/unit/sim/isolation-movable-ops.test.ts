// has_unmovable_pages() (mm/page_isolation.c, 6.1 and 6.12 alike): a compound page is unmovable only when it is
// neither on the LRU nor __folio_test_movable — a large movable_ops folio can be isolated and migrated.
import assert from 'node:assert/strict';
import { runText, resultOf } from './helpers.js';

const result = (body: string) => resultOf(runText(`machine {
  node 0 { zone Normal 0x40000..0x80000 }
}
${body}`), 'r');

describe('isolation: compound movable_ops pages', () => {
  it('a large movable_ops folio does not fail isolation; alloc_contig_range migrates it', () => {
    const r = result('folio 0x50000 order 2 movable_ops\nalloc_contig_range 0x50000..0x50200 as r\n');
    assert.equal(r.ok, true, r.reason ?? '');
    assert.equal(r.migrations.filter((m) => m.result === 'ok').length, 1);
  });
  it('a large non-LRU, non-movable compound page (slab) still does', () => {
    const r = result('folio 0x50000 order 2 slab\nalloc_contig_range 0x50000..0x50200 as r\n');
    assert.equal(r.errno, 'EBUSY');
    assert.match(r.reason!, /non-LRU compound/);
  });
});
