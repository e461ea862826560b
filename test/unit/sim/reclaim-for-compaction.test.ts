import { strict as assert } from 'node:assert';
import { runChecked } from './helpers.js';

// How much ONE direct reclaim run takes for a costly order (mm/vmscan.c, classic LRU). try_to_free_pages asks
// for SWAP_CLUSTER_MAX (32) pages, but shrink_node repeats while should_continue_reclaim() says so: an order > 3
// request with __GFP_IO (in_reclaim_compaction) reclaims until a zone passes compaction_suitable() (free pages
// >= low + compact_gap(order)) or the min watermark at the order, as long as each pass reclaimed something. The
// pages reclaim frees go to the CPU's pcp list, which NR_FREE_PAGES (what compaction_suitable counts) leaves out
// until the list passes pcp->high: so one run takes about a pcp list's worth, not 32 — the kernel's rule when
// kswapd does not run meanwhile. Debian's 6.12 runs MGLRU instead (lru_gen_shrink_node: no
// should_continue_reclaim; batches of MIN_LRU_BATCH, 64 pages a run in p-pagecache-hugetlb's recording), which
// the simulator does not model and says so.
const text = (lruGen: string) => `kernel 6.12
${lruGen ? `policy lru_gen = ${lruGen}\n` : ''}machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone Normal 0x40000..0x50000
  }
}
fill Normal 95% file packed
alloc order 9 movable gfp GFP_HIGHUSER_MOVABLE|__GFP_RETRY_MAYFAIL|__GFP_NOWARN as a
`;

describe('direct reclaim for a costly order: should_continue_reclaim (classic LRU)', () => {
  it('one run reclaims until compaction_suitable, the freed pages waiting on the pcp list; the result says why', () => {
    const r = runChecked(text('')).byName.get('a')!;
    assert.equal(r.ok, true, r.reason ?? '');
    const sp = r.slowpath!;
    assert.equal(sp.reclaimRuns, 1);
    // far more than SWAP_CLUSTER_MAX and compact_gap(9) = 1024: the pcp list (high 4,047 here) filled first
    assert.ok(sp.reclaimed.inactive_file > 3000, String(sp.reclaimed.inactive_file));
    assert.match(sp.text, /shrink_node repeated \d+× by should_continue_reclaim/);
    assert.match(sp.text, /pcp lists.*NR_FREE_PAGES/);
    // what the answer depends on and the simulator does not run: kswapd during the reclaim
    assert.match(sp.text, /kswapd .*cond_resched\(\)/);
    assert.doesNotMatch(sp.text, /MGLRU/);
  });
  it('with policy lru_gen = on the caveat says how MGLRU sizes a run (no should_continue_reclaim, MIN_LRU_BATCH)', () => {
    const sp = runChecked(text('on')).byName.get('a')!.slowpath!;
    assert.match(sp.text, /\[MGLRU \(lru_gen on\) is not modelled.*no should_continue_reclaim.*MIN_LRU_BATCH/);
  });
});
