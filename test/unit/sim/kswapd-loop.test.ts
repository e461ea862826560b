// kswapd()'s loop (mm/vmscan.c, 6.12): after balance_pgdat() kswapd goes to kswapd_try_to_sleep(); when
// prepare_kswapd_sleep() is false (node not balanced at the order it checks, and kswapd_failures <
// MAX_RECLAIM_RETRIES) it does not sleep: kswapd() reads pgdat->kswapd_order again (0: nothing allocates during a
// `kswapd` operation) and runs balance_pgdat() straight away. balance_pgdat() increments kswapd_failures when a
// pass reclaimed nothing; shrink_node() resets it when one reclaimed something. So one `kswapd` operation runs
// passes until the node is balanced or hopeless.
import assert from 'node:assert/strict';
import { kswapdAfter, resultOf, runText } from './helpers.js';
import { MAX_RECLAIM_RETRIES } from '../../../src/sim/reclaim/vmscan.js';
import { pgdatBalanced, wakeupKswapd } from '../../../src/sim/alloc.js';
import { GFP_KERNEL } from '../../../src/sim/gfp.js';

const machine = `kernel 6.12
machine {
  cpus 1
  node 0 { zone Normal 0x40000..0x50000 }
}
`;

const kswapdAt = kswapdAfter;

describe('kswapd: one run follows kswapd()\'s loop until prepare_kswapd_sleep() lets it sleep', () => {
  it('a node one balance_pgdat pass does not balance: kswapd runs again at once, until balanced', () => {
    // anon without swap and a little page cache: the first pass (priority 12..1) leaves the node below its high
    // watermark with clean file pages still on the LRU; the second pass reclaims them and balances it
    const { m, text } = kswapdAt('fill Normal 92% anon scattered\nfill Normal 3% file scattered', 0);
    assert.match(text, /^kswapd0: balance_pgdat\(order 0, highest zone Normal\): \d+ pages reclaimed .*node not balanced at order 0 .*kswapd does not sleep/);
    assert.match(text, /kswapd\(\) ran balance_pgdat again at once \(order 0, kswapd_try_to_sleep did not sleep\): 1 more pass, [1-9]\d* pages reclaimed/);
    assert.match(text, /after pass 2: node balanced at order 0 \(prepare_kswapd_sleep, pgdat->kswapd_order read again\): kswapd sleeps; 2 balance_pgdat passes in this run/);
    assert.ok(pgdatBalanced(m.c, 0, 0, 2), 'the node is balanced when kswapd sleeps');
    assert.equal(m.c.kswapd[0]!.failures, 0);
    assert.equal(m.c.kswapd[0]!.woken, false);
  });

  it('a node kswapd cannot balance: it stops once kswapd_failures reaches MAX_RECLAIM_RETRIES (hopeless)', () => {
    const { m, text } = kswapdAt('fill Normal 94% anon scattered\nfill Normal 1% file scattered', 9);
    assert.equal(m.c.kswapd[0]!.failures, MAX_RECLAIM_RETRIES);
    assert.match(text, new RegExp(`${MAX_RECLAIM_RETRIES} of them reclaiming nothing \\(kswapd_failures\\+\\+\\)`));
    assert.match(text, new RegExp(`node hopeless \\(kswapd_failures ${MAX_RECLAIM_RETRIES} ≥ MAX_RECLAIM_RETRIES, prepare_kswapd_sleep\\): kswapd sleeps, leaving the node to direct reclaim; \\d+ balance_pgdat passes in this run`));
    assert.ok(!pgdatBalanced(m.c, 0, 0, 2));
    // kswapd sleeps, and wakeup_kswapd() does not wake a hopeless node again
    assert.equal(m.c.kswapd[0]!.woken, false);
    assert.equal(wakeupKswapd(m.c, 0, GFP_KERNEL, 0, 2), false);
  });

  it('a node balanced after the first pass: one pass, as before', () => {
    const { text } = kswapdAt('fill Normal 90% anon scattered\nfill Normal 5% file scattered', 0);
    assert.match(text, /node balanced at order 0 \(prepare_kswapd_sleep, pgdat->kswapd_order read again\): kswapd sleeps; 1 balance_pgdat pass in this run/);
  });
});

describe('kswapd at a hugetlb resize\'s cond_resched(): the same loop, and the note counts its passes', () => {
  for (const fill of ['fill Normal 90% file scattered']) {
    it(fill, () => {
      const out = runText(`${machine}${fill}\nhugetlb 2M resize 20 as h\n`);
      const said = resultOf(out, 'h').events.flatMap((e) => (e.type === 'note' ? [e.text] : []));
      const note = said.find((t) => /^set_max_huge_pages: kswapd ran/.test(t)) ?? '';
      const m = /kswapd ran (\d+)× at cond_resched\(\), \d+ pages reclaimed \((\d+) balance_pgdat pass(?:es)?; it went to sleep: (.*)\)$/.exec(note);
      assert.ok(m, JSON.stringify(said));
      assert.ok(Number(m[2]) >= Number(m[1]));
      assert.match(m[3]!, /^node balanced \d+×$/);
    });
  }
});

describe('kswapd at a hugetlb resize\'s cond_resched(): each run says what a `kswapd` operation would', () => {
  it('one note per run: order and highest zone, pages reclaimed, passes, and what prepare_kswapd_sleep() decided at which order', () => {
    const out = runText(`${machine}fill Normal 90% file scattered\nhugetlb 2M resize 20 as h\n`);
    const said = resultOf(out, 'h').events.flatMap((e) => (e.type === 'note' ? [e.text] : []));
    const runs = said.flatMap((t) => {
      const m = /^kswapd0 at cond_resched\(\): balance_pgdat\(order (\d+), highest zone (\w+)\): (\d+) pages reclaimed in (\d+) pass(?:es)?(?:; (compact_gap\(9\) = 1024 pages reclaimed, so it went on at order 0 \(kswapd_shrink_node\)|its priority loop ended with the node not balanced at order 9))?; (.*)$/.exec(t);
      return m ? [{ order: Number(m[1]), zone: m[2], reclaimed: Number(m[3]), passes: Number(m[4]), first: m[5] ?? '', decision: m[6]! }] : [];
    });
    const summary = /kswapd ran (\d+)× at cond_resched\(\), (\d+) pages reclaimed \((\d+) balance_pgdat pass/.exec(said.find((t) => /^set_max_huge_pages: kswapd ran/.test(t)) ?? '');
    assert.ok(summary, JSON.stringify(said));
    // the runs add up to the summary
    assert.equal(runs.length, Number(summary[1]), JSON.stringify(said));
    assert.equal(runs.reduce((s, r) => s + r.reclaimed, 0), Number(summary[2]));
    assert.equal(runs.reduce((s, r) => s + r.passes, 0), Number(summary[3]));
    for (const r of runs) {
      assert.deepEqual([r.order, r.zone], [9, 'Movable']);
      assert.match(r.decision, /^node balanced at order \d+ \(prepare_kswapd_sleep(, pgdat->kswapd_order read again)?\): kswapd sleeps$/);
      // kswapd_shrink_node() drops to order 0 once compact_gap(9) pages are reclaimed, and only then
      assert.equal(r.first.startsWith('compact_gap'), r.reclaimed >= 1024, JSON.stringify(r));
    }
    assert.ok(runs.some((r) => r.first.startsWith('compact_gap')), JSON.stringify(runs));
  });
});
