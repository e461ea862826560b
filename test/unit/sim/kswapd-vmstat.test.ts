// kswapd's /proc/vmstat events (mm/vmscan.c, 6.12):
// - PAGEOUTRUN: balance_pgdat() counts one at its top, once per call (kswapd()'s loop calls it once per pass);
// - KSWAPD_HIGH_WMARK_HIT_QUICKLY: kswapd_try_to_sleep() when prepare_kswapd_sleep() is false at its first check
//   (no short nap, so remaining == 0, and the second check sees the same node): every pass after which kswapd does
//   not sleep;
// - KSWAPD_LOW_WMARK_HIT_QUICKLY: only when a wakeup came within the HZ/10 nap (remaining != 0). The simulator has
//   no clock, so it cannot say whether a wake came within HZ/10: not modelled (an expectation is an error).
import assert from 'node:assert/strict';
import { kswapdAfter, resultOf, runText } from './helpers.js';
import { vmstatText } from '../../../src/sim/vmstat.js';
import { MAX_RECLAIM_RETRIES } from '../../../src/sim/reclaim/vmscan.js';
import { analyze } from '../../../src/language/index.js';

const machine = `kernel 6.12
machine {
  cpus 1
  node 0 { zone Normal 0x40000..0x50000 }
}
`;

const passesIn = (text: string): number => Number(/(\d+) balance_pgdat pass(?:es)? in this run/.exec(text)?.[1] ?? NaN);

describe('kswapd counts PAGEOUTRUN per balance_pgdat and KSWAPD_HIGH_WMARK_HIT_QUICKLY per sleep it did not take', () => {
  it('two passes: pageoutrun 2, kswapd_high_wmark_hit_quickly 1 (kswapd_try_to_sleep after pass 1)', () => {
    const { m, text } = kswapdAfter('fill Normal 92% anon scattered\nfill Normal 3% file scattered', 0);
    assert.equal(passesIn(text), 2, text);
    assert.equal(m.c.vm.pageoutrun, 2);
    assert.equal(m.c.vm.kswapd_high_wmark_hit_quickly, 1);
  });

  it('one pass that balances the node: pageoutrun 1, no hit-quickly', () => {
    const { m, text } = kswapdAfter('fill Normal 90% anon scattered\nfill Normal 5% file scattered', 0);
    assert.equal(passesIn(text), 1, text);
    assert.equal(m.c.vm.pageoutrun, 1);
    assert.equal(m.c.vm.kswapd_high_wmark_hit_quickly, 0);
  });

  it('a hopeless node: every pass but the last (which makes it hopeless, so prepare_kswapd_sleep is true) hits quickly', () => {
    const { m, text } = kswapdAfter('fill Normal 94% anon scattered\nfill Normal 1% file scattered', 9);
    const passes = passesIn(text);
    assert.ok(passes >= MAX_RECLAIM_RETRIES, text);
    assert.equal(m.c.vm.pageoutrun, passes);
    assert.equal(m.c.vm.kswapd_high_wmark_hit_quickly, passes - 1);
  });

  it('kswapd asleep (no wakeup_kswapd): nothing counted', () => {
    const out = runText(`${machine}fill Normal 50% file scattered\nkswapd node 0\n`);
    assert.equal(out.machine.c.vm.pageoutrun, 0);
    assert.equal(out.machine.c.vm.kswapd_high_wmark_hit_quickly, 0);
  });

  it('/proc/vmstat shows both, in vmstat_text order (kswapd_high_wmark_hit_quickly before pageoutrun)', () => {
    const { m } = kswapdAfter('fill Normal 92% anon scattered\nfill Normal 3% file scattered', 0);
    const text = vmstatText(m.c.vm);
    assert.match(text, /^kswapd_high_wmark_hit_quickly 1\npageoutrun 2\n/m);
    assert.ok(text.indexOf('pageoutrun') < text.indexOf('pgmigrate_success'));
    assert.doesNotMatch(text, /kswapd_low_wmark_hit_quickly/);
  });

  it('kswapd run at a hugetlb resize\'s cond_resched() counts the same way', () => {
    const out = runText(`${machine}fill Normal 90% file scattered\nhugetlb 2M resize 20 as h\n`);
    const said = resultOf(out, 'h').events.flatMap((e) => (e.type === 'note' ? [e.text] : []));
    const note = said.find((t) => /^set_max_huge_pages: kswapd ran/.test(t)) ?? '';
    const n = /kswapd ran (\d+)× at cond_resched\(\), \d+ pages reclaimed \((\d+) balance_pgdat pass/.exec(note);
    assert.ok(n, JSON.stringify(said));
    const runs = Number(n[1]), passes = Number(n[2]);
    assert.ok(runs > 0);
    assert.equal(out.machine.c.vm.pageoutrun, passes);
    // every run ended with kswapd going to sleep (the note says so); each pass before a run's last did not sleep
    assert.equal(out.machine.c.vm.kswapd_high_wmark_hit_quickly, passes - runs);
  });

  it('expect vmstat: pageoutrun and kswapd_high_wmark_hit_quickly are counted; kswapd_low_wmark_hit_quickly is not modelled', () => {
    const ok = runText(`${machine}fill Normal 50% file scattered\nexpect vmstat pageoutrun == 0\nexpect vmstat kswapd_high_wmark_hit_quickly == 0\n`);
    assert.deepEqual(ok.expectations.map((e) => e.ok), [true, true]);
    const errors = analyze(`${machine}expect vmstat kswapd_low_wmark_hit_quickly == 0\n`).diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /kswapd_low_wmark_hit_quickly` is not modelled: .*HZ\/10/);
  });
});
