// The simulator's slab has one shrinkable object per page: an object a shrinker frees frees its whole slab folio.
// The kernel frees a slab only when its last object goes (mm/slub.c __slab_free: slab->inuse == 0, and then only
// when the node has more than min_partial partial slabs, discard_slab), so for the same number of objects freed it
// frees fewer pages. Until objects are modelled per slab, every result that frees slab through a shrinker says so
// in words: the `slab shrink` note and reclaim's statistics (describeStats).
import { strict as assert } from 'node:assert';
import { runText, resultOf } from './helpers.js';
import type { OpResult } from '../../../src/sim/api.js';

const notes = (r: OpResult) => r.events.filter((e) => e.type === 'note').map((e) => (e as { text: string }).text).join('\n');

const MACHINE = `kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;
function folios(count: number, order: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += `folio 0x${(0x8000 + i * 2 ** order).toString(16)} order ${order} slab reclaimable\n`;
  return s;
}
const CAVEAT = /one object per slab page: each object freed frees its whole slab folio; the kernel frees a slab only when all its objects are free \(mm\/slub\.c/;

describe('slab shrinking says it frees a whole slab per object (not the kernel\'s object/slab relation)', () => {
  it('`slab shrink`', () => {
    const out = runText(`${MACHINE}${folios(16, 3)}slab shrink Normal 50% as s\n`);
    assert.match(notes(resultOf(out, 's')), CAVEAT);
  });
  it('the contig_slab_shrink proposal\'s note', () => {
    const out = runText(`kernel 6.12\npolicy contig_slab_shrink = on\n${MACHINE.replace('kernel 6.12\n', '')}${folios(4, 3)}alloc_contig_range 0x8000..0x8020 as r\n`);
    assert.match(notes(resultOf(out, 'r')), /slab shrink \(proposal\): 8 reclaimable slab pages at 0x8000 freed/);
    assert.match(notes(resultOf(out, 'r')), CAVEAT);
  });
  it('reclaim\'s shrink_slab, in the reclaim statistics', () => {
    const out = runText(`${MACHINE}${folios(4096, 3)}alloc order 0 unmovable gfp GFP_KERNEL as a\n`);
    const a = resultOf(out, 'a');
    assert.ok(a.slowpath && a.slowpath.reclaimed.slab > 0);
    assert.match(a.reason ?? "", CAVEAT);
    assert.match(a.slowpath.text, CAVEAT);
  });
});
