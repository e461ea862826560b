// Growing the hugetlb pool runs the kcompactd that kswapd woke (mm/hugetlb.c set_max_huge_pages: cond_resched()
// before each alloc_pool_huge_folio). kswapd, woken for order 9 by the previous allocation, runs there; when it goes
// to sleep (mm/vmscan.c kswapd_try_to_sleep: prepare_kswapd_sleep at the order it finished reclaiming at) it calls
// wakeup_kcompactd(pgdat, alloc_order, highest_zoneidx), which wakes kcompactd only if kcompactd_node_suitable();
// kcompactd (mm/compaction.c kcompactd → kcompactd_do_work) then compacts before the writer gets the CPU back
// (the recording p-pagecache-hugetlb, one CPU: compact_daemon_wake 27 during one resize).
import assert from 'node:assert/strict';
import { resultOf, run, runText } from './helpers.js';
import { wakeupKcompactd } from '../../../src/sim/compaction/kcompactd-wake.js';
import type { OpResult } from '../../../src/sim/api.js';

const machine = `kernel 6.12
machine {
  cpus 1
  node 0 { zone Normal 0x40000..0x50000 }
}
`;
const notes = (r: OpResult): string[] => r.events.flatMap((e) => (e.type === 'note' ? [e.text] : []));

describe('hugetlb pool growth: kcompactd woken by kswapd runs at cond_resched() (set_max_huge_pages)', () => {
  it('scattered page cache: kswapd reclaims for order 9, wakes kcompactd, and kcompactd_do_work compacts (compact_daemon_*)', () => {
    const out = runText(`${machine}fill Normal 90% file scattered\nhugetlb 2M resize 20 as h\n`);
    const h = resultOf(out, 'h');
    assert.equal(h.ok, true, h.reason ?? '');
    const vm = out.machine.c.vm;
    const said = notes(h);
    const woken = said.filter((t) => /^kcompactd0 woken for order 9 \(wakeup_kcompactd\)/.test(t)).length;
    assert.ok(woken > 0, JSON.stringify(said));
    // every wake that found kcompactd asleep and a zone worth compacting made one kcompactd_do_work pass
    const runs = said.filter((t) => /^kcompactd0 at cond_resched\(\): kcompactd_do_work\(order 9, highest zone Movable\)/.test(t));
    assert.equal(runs.length, woken, JSON.stringify(said));
    assert.equal(vm.compact_daemon_wake, woken);
    assert.ok(vm.compact_daemon_migrate_scanned > 0);
    assert.ok(vm.compact_daemon_free_scanned > 0);
    // the summary note says how often kcompactd ran and what it did
    const summary = said.find((t) => /^set_max_huge_pages: kcompactd ran \d+× at cond_resched\(\)/.test(t));
    assert.ok(summary, JSON.stringify(said));
    const m = /kcompactd ran (\d+)× at cond_resched\(\), (\d+) pages migrated \(scanned: (\d+) by the migrate scanner, (\d+) by the free scanner\)/.exec(summary);
    assert.ok(m, summary);
    assert.equal(Number(m[1]), woken);
    assert.ok(Number(m[2]) > 0, summary);
    assert.ok(Number(m[2]) <= vm.pgmigrate_success, summary);
    assert.equal(Number(m[3]), vm.compact_daemon_migrate_scanned);
    assert.equal(Number(m[4]), vm.compact_daemon_free_scanned);
    assert.deepEqual(out.machine.checkInvariants(), []);
  });

  it('a request kcompactd_node_suitable() refuses is kept, and kcompactd is not run (it sleeps until its timeout)', () => {
    // packed page cache: each kswapd run frees whole pageblocks, so an order-9 page is free (COMPACT_SUCCESS)
    const out = runText(`${machine}fill Normal 90% file packed\nhugetlb 2M resize 20 as h\n`);
    const h = resultOf(out, 'h');
    const said = notes(h);
    assert.ok(said.some((t) => /^kcompactd0 not woken for order 9/.test(t)), JSON.stringify(said));
    assert.ok(!said.some((t) => /kcompactd0 at cond_resched\(\)/.test(t)), JSON.stringify(said));
    assert.equal(out.machine.c.vm.compact_daemon_wake, 0);
    assert.equal(out.machine.c.kswapd[0]!.kcompactdOrder, 9);
  });

  it('kswapd that cannot balance its node does not wake kcompactd (kswapd_try_to_sleep: prepare_kswapd_sleep is false)', () => {
    // anon only and no swap: kswapd reclaims nothing and the node stays below its high watermark
    const out = runText(`${machine}fill Normal 99% anon packed\nalloc order 9 movable gfp GFP_KERNEL as a\nkswapd as k\n`);
    const k = resultOf(out, 'k');
    assert.match(k.reason ?? '', /node not balanced/);
    assert.equal(out.machine.c.kswapd[0]!.kcompactdOrder, 0);
    assert.ok(!notes(k).some((t) => /kcompactd0/.test(t)), JSON.stringify(notes(k)));
  });

  it('kswapd that reclaimed a watermark boost wakes kcompactd for pageblock_order (balance_pgdat)', () => {
    // the simulator never boosts a watermark itself (boost_watermark is not modelled): set one by hand
    const m = runText(`${machine}fill Normal 60% file scattered\n`).machine;
    m.c.zone(0, 2).boost = 64;
    Object.assign(m.c.kswapd[0]!, { woken: true, order: 0, highestZoneidx: 2 });
    const r = run(m, { op: 'kswapd', nid: 0 });
    // woken for order 0: kswapd_try_to_sleep's wakeup_kcompactd(order 0) does nothing; the boost's does
    assert.ok(notes(r).some((t) => /^kcompactd0 woken for order 9 \(wakeup_kcompactd\)/.test(t)), JSON.stringify(notes(r)));
    assert.equal(m.c.kswapd[0]!.kcompactdOrder, 9);
    assert.equal(m.c.zone(0, 2).boost, 0);
  });

  it('a second wakeup_kcompactd before kcompactd ran only raises the request (wq_has_sleeper: it is not asleep)', () => {
    const m = runText(`${machine}fill Normal 60% file scattered\n`).machine;
    assert.match(wakeupKcompactd(m.c, 0, 4, 2)!.text, /^kcompactd0 woken for order 4/);
    assert.match(wakeupKcompactd(m.c, 0, 9, 2)!.text, /^kcompactd0 already woken: request now order 9/);
    const r = run(m, { op: 'kcompactd', nid: 0 });
    assert.match(r.reason!, /kcompactd_do_work\(order 9, highest zone Normal\)/);
    assert.equal(m.c.kswapd[0]!.kcompactdWoken, false);
  });
});
