// Population rules found by the pressure property test (test/unit/sim/property-pressure.test.ts): LRU state
// (dirty, writeback, unevictable, active) only exists on LRU folios, and a THP is a large folio. Before, `page X
// slab dirty`, `page X kernel unevictable` and `folio X order 0 thp` were accepted and built states the kernel
// cannot have (compaction then migrated the order-0 "THP" into a plain page).
import assert from 'node:assert/strict';
import { MACHINE, errors, ok } from '../language/helpers.js';
import { spec, machine, run } from './helpers.js';

describe('population: LRU state and THP size', () => {
  it('the language refuses LRU modifiers on pages that are not on an LRU, with a location', () => {
    for (const [t, mod] of [['page 0x100000 slab dirty', 'dirty'], ['page 0x100000 kernel unevictable', 'unevictable'], ['pages 0x100000..0x100004 pagetable active', 'active'], ['folio 0x100000 order 2 slab writeback', 'writeback']] as const) {
      const e = errors(`${MACHINE}${t}\n`);
      assert.equal(e.length, 1, `${t}: ${e.join('; ')}`);
      assert.match(e[0]!, new RegExp(`^11:1 \`${mod}\` only applies to LRU pages`));
    }
  });
  it('the language refuses a THP that is not a large folio', () => {
    assert.match(errors(`${MACHINE}folio 0x100000 order 0 thp\n`)[0] ?? '', /^11:1 a `thp` is a large folio of order 2 to/);
    assert.match(errors(`${MACHINE}folio 0x100000 order 1 thp\n`)[0] ?? '', /a `thp` is a large folio/);
    assert.match(errors(`${MACHINE}pages 0x100000..0x100004 thp\n`)[0] ?? '', /^11:1 a `thp` is a large folio: `folio PFN order N thp`/);
  });
  it('still accepts the LRU states the kernel has', () => {
    ok(`${MACHINE}page 0x100000 file dirty\npage 0x100001 file writeback\npage 0x100002 anon unevictable active\nfolio 0x100200 order 9 thp dirty\nfolio 0x100010 order 2 thp\npage 0x100003 slab reclaimable\n`);
  });
  it('the simulator refuses the same states when an operation comes from elsewhere (EINVAL, nothing populated)', () => {
    const m = machine(spec({ zones: [['Normal', 0x10000, 0x18000]] }));
    const r1 = run(m, { op: 'page', start: 0x10000, end: 0x10001, kind: 'slab', modifiers: ['dirty'] });
    assert.equal(r1.errno, 'EINVAL');
    const r2 = run(m, { op: 'folio', pfn: 0x10000, order: 0, kind: 'thp', modifiers: [] });
    assert.equal(r2.errno, 'EINVAL');
    const r3 = run(m, { op: 'page', start: 0x10000, end: 0x10002, kind: 'thp', modifiers: [] });
    assert.equal(r3.errno, 'EINVAL');
    const r4 = run(m, { op: 'page', start: 0x10000, end: 0x10002, kind: 'file', modifiers: ['reclaimable'] });
    assert.equal(r4.errno, 'EINVAL'); // property test seed 5: a file page marked reclaimable (slab only)
    assert.equal(m.pageInfo(0x10000).state, 'buddy');
    assert.deepEqual(m.checkInvariants(), []);
  });
});
