// The wake notes say where the woken daemon runs. Inside `hugetlb … resize`, set_max_huge_pages() (mm/hugetlb.c)
// calls cond_resched() before each alloc_pool_huge_folio(): a kswapd an allocation woke (wakeup_kswapd, mm/vmscan.c)
// and a kcompactd woken meanwhile (wakeup_kcompactd, mm/compaction.c) run there, not with a later `kswapd` /
// `kcompactd` operation. Only what the resize's last allocation woke is left for those operations.
import assert from 'node:assert/strict';
import { resultOf, runText } from './helpers.js';
import type { OpResult } from '../../../src/sim/api.js';

const machine = `kernel 6.12
machine {
  cpus 1
  node 0 { zone Normal 0x40000..0x50000 }
}
`;
const notes = (r: OpResult): string[] => r.events.flatMap((e) => (e.type === 'note' ? [e.text] : []));

describe('wake notes inside a hugetlb resize say the daemon runs at cond_resched()', () => {
  it('kswapd and kcompactd woken during the resize run at its cond_resched(), and the notes say so', () => {
    const out = runText(`${machine}fill Normal 90% file scattered\nhugetlb 2M resize 20 as h\n`);
    const said = notes(resultOf(out, 'h'));
    const ran = said.map((t) => /^set_max_huge_pages: kswapd ran (\d+)× at cond_resched\(\)/.exec(t)).find((m) => m);
    const kswapdRan = ran ? Number(ran[1]) : 0;
    const kcompactdRan = said.filter((t) => /^kcompactd0 at cond_resched\(\)/.test(t)).length;
    assert.ok(kswapdRan > 0 && kcompactdRan > 0, JSON.stringify(said));
    const kswapdAtResched = said.filter((t) => /^kswapd0 woken: .*it runs at set_max_huge_pages\(\)'s next cond_resched\(\)$/.test(t)).length;
    const kswapdLater = said.filter((t) => /^kswapd0 woken: .*it runs with the `kswapd` operation$/.test(t)).length;
    // every run at cond_resched() had its wake note say so; a wake left over is the last allocation's
    assert.equal(kswapdAtResched, kswapdRan, JSON.stringify(said));
    assert.equal(kswapdLater, out.machine.c.kswapd[0]!.woken ? 1 : 0, JSON.stringify(said));
    const kcAtResched = said.filter((t) => /^kcompactd0 woken for order \d+ \(wakeup_kcompactd\); it runs at (set_max_huge_pages\(\)'s next cond_resched\(\)|this cond_resched\(\), after kswapd)$/.test(t)).length;
    const kcLater = said.filter((t) => /^kcompactd0 woken .*it runs with the `kcompactd` operation$/.test(t)).length;
    assert.equal(kcAtResched, kcompactdRan, JSON.stringify(said));
    assert.equal(kcLater, out.machine.c.kswapd[0]!.kcompactdWoken ? 1 : 0, JSON.stringify(said));
  });

  it('a single allocation still leaves kswapd to the `kswapd` operation', () => {
    const out = runText(`${machine}fill Normal 99% anon packed\nalloc order 9 movable gfp GFP_KERNEL as a\n`);
    assert.ok(notes(resultOf(out, 'a')).some((t) => /^kswapd0 woken: .*it runs with the `kswapd` operation$/.test(t)));
  });
});
