// Freeing runs of pages (free_contig_range's pages, a label's order-0 pages): the lookup phase marks a run once
// instead of carving one extent per page, and the enqueue phase does not look up extents it already removed.
// The pages go to the pcp lists and buddy exactly as before: free lists (head → tail), pcp lists and events
// are pinned by digest, recorded with the per-page implementation.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { ScenarioRun } from '../../../src/sim/runner.js';
import { MIGRATE_TYPES } from '../../../src/sim/consts.js';
import { checkInvariants } from '../../../src/sim/invariants.js';

function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

const TEXT = `machine {
  cpus 2
  node 0 {
    zone DMA32 0x1000..0x20000
    zone Normal 0x20000..0x28000
  }
}
seed 4
fill Normal 30% movable
alloc_contig_range 0x21000..0x21400 as r
alloc order 0 movable count 300 as p
alloc order 2 movable count 20 as q
alloc_contig_pages 4M as g
alloc_contig_range 0x22000..0x23000 as big
free r
free p cpu 1
interleave {
  cpu 0: free q
  cpu 1: alloc order 0 movable count 50 as z
  schedule cpu 0 lookup, cpu 1 run, cpu 0 enqueue
}
free g
interleave {
  cpu 1: free big
  cpu 0: alloc_contig_range 0x22800..0x22c00 as x
  schedule cpu 1 lookup, cpu 0 isolate, cpu 1 enqueue
}
free z
`;

describe('freeing runs of pages', () => {
  it('leaves the free lists, pcp lists and events exactly as freeing page by page did', function () {
    this.timeout(60_000);
    const { scenario, diagnostics } = analyze(TEXT);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const r = new ScenarioRun(scenario!, null, {});
    r.runToEnd();
    assert.equal(r.internal, null);
    const c = r.machine.c;
    assert.deepEqual(checkInvariants(c), []);
    const lists: string[] = [];
    for (const z of c.zones) {
      if (!z.populated) continue;
      for (let o = 0; o < c.nrOrders; o++) for (let mt = 0; mt < MIGRATE_TYPES; mt++) for (const b of c.listIter(z, o, mt)) lists.push(`${b.pfn}:${o}:${mt}`);
      z.pcp.forEach((p, cpu) => lists.push(`cpu${cpu}:${JSON.stringify(p)}`));
    }
    const got = {
      results: r.ops.map((o) => `${o.op} ${o.result.ok} ${o.result.errno} ${o.result.reason ?? ''}`),
      lists: fnv(lists.join(' ')),
      events: fnv(JSON.stringify(r.ops.map((o) => o.result.events))),
      extents: fnv([...c.ext.values()].sort((a, b) => a.pfn - b.pfn).map((e) => `${e.pfn}+${e.n}:${e.order}:${e.kind}:${e.freeing}`).join(' ')),
    };
    assert.deepEqual(got, {
      results: [
        "fill true null ",
        "alloc_contig_range true null ",
        "alloc true null ",
        "alloc true null ",
        "alloc_contig_pages true null ",
        "alloc_contig_range true null ",
        "free true null ",
        "free true null ",
        "free true null ",
        "alloc true null ",
        "free true null ",
        "free true null ",
        "alloc_contig_range true null ",
        "free true null ",
      ],
      // 6c6ddc01 / 42137165 / c14bace8 until alloc_contig_range began reclaiming the clean page cache of its range
      // (reclaim_clean_pages_from_list: the fill's file pages in the ranges are freed, not migrated); with that
      // reclaim disabled the digests are still those
      lists: '25c9210d',
      events: '1b93c9ad',
      // 770ec67f before the slow-path merge changed how allocated pages split into extents (lists, pcp lists, events unchanged)
      extents: 'f25ef559',
    });
  });

  it('free of a 1 GiB alloc_contig_range allocation costs its pages once, not an extent carve per page', function () {
    this.timeout(60_000);
    const { scenario } = analyze('machine { node 0 { zone Normal 0x0+8G } }\nalloc_contig_range 0x100000..0x140000 as a\n');
    const r = new ScenarioRun(scenario!, null, {});
    r.runToEnd();
    const c = r.machine.c;
    const orig = c.carve.bind(c);
    let carves = 0;
    c.carve = (e, s, len) => { carves++; return orig(e, s, len); };
    const g = r.machine.run({ op: 'free', target: { kind: 'name', name: 'a' }, order: null }, { cpu: 0, label: 'f', resolve: () => [{ pfn: 0x100000, pages: 0x40000 }] });
    let res = g.next();
    while (!res.done) res = g.next();
    assert.equal(res.value.ok, true, res.value.reason ?? '');
    assert.ok(carves < 1000, `${carves} carves for 512 runs of 512 pages`);
    assert.deepEqual(checkInvariants(c), []);
  });
});
