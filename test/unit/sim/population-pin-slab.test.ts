// A slab page cannot be pinned: GUP pins only pages mapped into user space, and vm_insert_page() refuses a slab
// folio (mm/memory.c validate_page_before_insert: folio_test_slab -> -EINVAL). Before, `page X slab pinned` and
// `folio X order N slab longterm` built a pinned slab page (the `pin` operation already refused slab).
import assert from 'node:assert/strict';
import { MACHINE, errors, ok } from '../language/helpers.js';
import { spec, machine, run } from './helpers.js';

describe('population: slab pages cannot be pinned', () => {
  it('the language refuses pinned/longterm on slab, with a location', () => {
    for (const [t, mod] of [['page 0x100000 slab pinned', 'pinned'], ['pages 0x100000..0x100004 slab reclaimable longterm', 'longterm'], ['folio 0x100000 order 2 slab pinned', 'pinned']] as const) {
      const e = errors(`${MACHINE}${t}\n`);
      assert.equal(e.length, 1, `${t}: ${e.join('; ')}`);
      assert.match(e[0]!, new RegExp(`^11:1 \`${mod}\` does not apply to \`slab\` pages`));
    }
  });
  it('refuses them on page types too: pagetable and offline pages (page_has_type)', () => {
    for (const [t, kind] of [['page 0x100000 pagetable pinned', 'pagetable'], ['page 0x100000 offline longterm', 'offline']] as const) {
      const e = errors(`${MACHINE}${t}\n`);
      assert.equal(e.length, 1, `${t}: ${e.join('; ')}`);
      assert.match(e[0]!, new RegExp(`^11:1 \`(pinned|longterm)\` does not apply to \`${kind}\` pages: GUP cannot pin`));
    }
  });
  it('still accepts pins on kernel pages (vm_insert_page maps them) and on user pages', () => {
    ok(`${MACHINE}page 0x100000 kernel pinned\npage 0x100001 kernel longterm\npage 0x100002 anon pinned\nfolio 0x100010 order 2 thp longterm\n`);
  });
  it('the simulator refuses a pinned slab page built elsewhere (EINVAL, nothing populated)', () => {
    const m = machine(spec({ zones: [['Normal', 0x10000, 0x18000]] }));
    assert.equal(run(m, { op: 'page', start: 0x10000, end: 0x10001, kind: 'slab', modifiers: ['pinned'] }).errno, 'EINVAL');
    assert.equal(run(m, { op: 'folio', pfn: 0x10000, order: 1, kind: 'slab', modifiers: ['longterm'] }).errno, 'EINVAL');
    assert.equal(m.pageInfo(0x10000).state, 'buddy');
    assert.equal(run(m, { op: 'page', start: 0x10000, end: 0x10001, kind: 'kernel', modifiers: ['pinned'] }).errno, null);
    assert.deepEqual(m.checkInvariants(), []);
  });
});
