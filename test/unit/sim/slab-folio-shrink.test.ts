// Freeing a slab folio of order N frees 2^N pages and reclaim counts 2^N (mm/slub.c __free_slab →
// mm_account_reclaimed_pages(1 << order); mm/vmscan.c shrink_node → flush_reclaim_state adds them to
// sc->nr_reclaimed): the `slab shrink` operation and the shrinker of reclaim count the pages they freed.
import { strict as assert } from 'node:assert';
import { runText, resultOf } from './helpers.js';
import type { Core } from '../../../src/sim/core.js';
import type { OpResult } from '../../../src/sim/api.js';

const notes = (r: OpResult) => r.events.filter((e) => e.type === 'note').map((e) => (e as { text: string }).text).join('\n');

const MACHINE = `kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;

function slabPages(c: Core): number {
  let n = 0;
  for (const e of c.ext.values()) if (e.kind === 'slab') n += e.n;
  return n;
}

/** `count` order-`order` reclaimable slab folios from 0x8000 */
function folios(count: number, order: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += `folio 0x${(0x8000 + i * 2 ** order).toString(16)} order ${order} slab reclaimable\n`;
  return s;
}

describe('slab folios of order > 0 are freed whole and counted whole (__free_slab)', () => {
  it('`slab shrink` says how many pages it freed, and that is what left the slab', () => {
    const before = runText(`${MACHINE}${folios(16, 3)}`);
    assert.equal(slabPages(before.machine.c), 128);
    const out = runText(`${MACHINE}${folios(16, 3)}slab shrink Normal 50% as s\n`, { checkInvariants: true });
    const freed = 128 - slabPages(out.machine.c);
    assert.equal(freed % 8, 0, 'whole folios');
    const s = resultOf(out, 's');
    assert.equal(s.ok, true);
    const m = /slab shrink: (\d+) of 128 reclaimable slab pages freed/.exec(notes(s));
    assert.ok(m, notes(s));
    assert.equal(Number(m[1]), freed);
    // 50% of 128 is 64 pages: 8 whole order-3 folios, no more
    assert.equal(freed, 64);
  });

  it('a wanted count that is not a whole number of folios is not overshot silently', () => {
    // 30% of 128 = 38 pages: not a multiple of 8
    const out = runText(`${MACHINE}${folios(16, 3)}slab shrink Normal 30% as s\n`, { checkInvariants: true });
    const freed = 128 - slabPages(out.machine.c);
    const text = notes(resultOf(out, 's'));
    const m = /slab shrink: (\d+) of 128 reclaimable slab pages freed/.exec(text);
    assert.ok(m, text);
    assert.equal(Number(m[1]), freed);
    // the fifth folio is freed whole: 40 pages, and the note says 38 were wanted
    assert.equal(freed, 40);
    assert.match(text, /\(38 wanted: slab folios are freed whole\)/);
  });

  it('reclaim counts the slab pages it freed (sc->nr_reclaimed via flush_reclaim_state)', () => {
    const text = `${MACHINE}${folios(4096, 3)}alloc order 0 unmovable gfp GFP_KERNEL as a\n`;
    const out = runText(text);
    const a = resultOf(out, 'a');
    assert.ok(a.slowpath, 'the slow path ran');
    const freed = 32768 - slabPages(out.machine.c);
    assert.ok(a.slowpath.reclaimed.slab > 0);
    assert.equal(a.slowpath.reclaimed.slab, freed);
  });
});

describe('contig_slab_shrink=on frees the whole slab folios its range meets, and says so', () => {
  it('a range ending inside an order-3 slab folio: the note counts the folio whole', () => {
    const out = runText(`kernel 6.12
policy contig_slab_shrink = on
machine {
  node 0 {
    zone Normal 0x40000..0x80000
  }
}
folio 0x501f8 order 3 slab reclaimable
alloc_contig_range 0x50000..0x501fc as r
`);
    const r = resultOf(out, 'r');
    assert.match(notes(r), /slab shrink \(proposal\): 8 reclaimable slab pages at 0x501f8 freed/);
    assert.equal(slabPages(out.machine.c), 0);
  });
});
