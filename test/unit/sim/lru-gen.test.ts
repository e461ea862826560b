import { strict as assert } from 'node:assert';
import { runChecked } from './helpers.js';

// Debian's 6.12 build has CONFIG_LRU_GEN_ENABLED=y: reclaim runs lru_gen_shrink_node (mm/vmscan.c), which the
// simulator does not model. With `policy lru_gen = on` every result that reclaimed says its order is the classic
// LRU's; with the default (off, mainline's defconfig) it is the kernel's and nothing is added.
const text = (lruGen: string) => `kernel 6.12
${lruGen ? `policy lru_gen = ${lruGen}\n` : ''}machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone Normal 0x40000..0x48000
  }
}
fill Normal 99% file
alloc order 0 unmovable gfp GFP_KERNEL as a
kswapd as k
`;

describe('policy lru_gen: MGLRU is said, not guessed', () => {
  it('off (default): the classic LRU is the kernel\'s, no caveat', () => {
    const r = runChecked(text('')).byName;
    assert.equal(r.get('a')!.ok, true);
    assert.match(r.get('a')!.slowpath!.text, /direct reclaim/);
    assert.doesNotMatch(r.get('a')!.slowpath!.text, /MGLRU/);
    assert.doesNotMatch(r.get('k')!.reason ?? '', /MGLRU/);
  });
  it('on: direct reclaim and kswapd say their order is not MGLRU\'s', () => {
    const r = runChecked(text('on')).byName;
    assert.equal(r.get('a')!.ok, true);
    assert.match(r.get('a')!.slowpath!.text, /direct reclaim .*\[MGLRU \(lru_gen on\) is not modelled/);
    assert.match(r.get('k')!.reason ?? '', /pages reclaimed .*\[MGLRU \(lru_gen on\) is not modelled/);
  });
});

// A resize (set_max_huge_pages) reports reclaim line by line: kswapd at each cond_resched(), each allocation's
// direct reclaim, then a summary. Under lru_gen on the amounts are the classic LRU's: the summary says so, and the
// lines say it once (the first that reclaimed), not once per line — the caveat is ~700 characters.
const resize = (lruGen: string) => `kernel 6.12
${lruGen ? `policy lru_gen = ${lruGen}\n` : ''}machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone DMA32 0x1000..0x9000
  }
}
fill DMA32 90% file
hugetlb 2M resize 20 as h
`;

describe('policy lru_gen: the caveat once per result, on every kind of reclaim line', () => {
  const notes = (src: string, name: string) => (runChecked(src).byName.get(name)!.events ?? [])
    .filter((e) => e.type === 'note').map((e) => (e as { text: string }).text);
  const CAVEAT = /MGLRU \(lru_gen on\) is not modelled/;

  it('resize, lru_gen on: the summary carries the caveat; the per-run and per-allocation lines at most once', () => {
    const n = notes(resize('on'), 'h');
    const summary = n.filter((t) => t.startsWith('set_max_huge_pages: kswapd ran'));
    assert.equal(summary.length, 1, n.join('\n'));
    assert.match(summary[0]!, CAVEAT);
    const lines = n.filter((t) => /^kswapd\d at cond_resched\(\)|slow path: .*direct reclaim/.test(t));
    assert.ok(lines.length > 1, 'the scenario should reclaim on several lines');
    assert.equal(lines.filter((t) => CAVEAT.test(t)).length, 1, 'the caveat is said once, by the first reclaim line');
    assert.match(lines[0]!, CAVEAT);
  });
  it('resize, lru_gen off: no caveat anywhere', () => {
    assert.ok(notes(resize(''), 'h').every((t) => !CAVEAT.test(t)));
  });
  it('alloc count N, lru_gen on: the per-allocation slow path notes say it once', () => {
    const src = text('on').replace('alloc order 0 unmovable gfp GFP_KERNEL as a', 'alloc order 0 unmovable gfp GFP_KERNEL count 3000 as a');
    const n = notes(src, 'a').filter((t) => /slow path: .*direct reclaim/.test(t));
    assert.ok(n.length > 1, n.join('\n'));
    assert.equal(n.filter((t) => CAVEAT.test(t)).length, 1);
    assert.match(n[0]!, CAVEAT);
  });
  it('alloc_contig_range, lru_gen on: its reclaim of the range\'s clean page cache has no caveat (not LRU reclaim)', () => {
    // reclaim_clean_pages_from_list (mm/vmscan.c) frees the range's own isolated clean file folios with
    // shrink_folio_list(ignore_references): which pages and how many is the range's, under MGLRU or not
    const n = notes(`kernel 6.12
policy lru_gen = on
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
pages 0x9000..0x9040 file
alloc_contig_range 0x9000..0x9200 as c
`, 'c');
    assert.ok(n.some((t) => /reclaim_clean_pages_from_list: 64 clean page-cache pages reclaimed/.test(t)), n.join('\n'));
    assert.ok(n.every((t) => !CAVEAT.test(t)));
  });
});
