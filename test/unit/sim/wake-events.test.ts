// A wake is a structured event: wakeup_kswapd() (mm/vmscan.c) and wakeup_kcompactd() (mm/compaction.c) record a
// note that says which daemon, which node, the order, and where the daemon runs (api.ts Wake). The note's text is
// rendered from those facts (wake-notes.ts), so a loop that runs the daemon at its cond_resched()
// (set_max_huge_pages(), mm/hugetlb.c) changes the facts, never matches the text.
import assert from 'node:assert/strict';
import { resultOf, runText } from './helpers.js';
import type { OpResult, SimEvent, Wake } from '../../../src/sim/api.js';
import { PendingWakes, wakeNote, wakeText } from '../../../src/sim/wake-notes.js';

const machine = `kernel 6.12
machine {
  cpus 1
  node 0 { zone Normal 0x40000..0x50000 }
}
`;
const wakes = (r: OpResult): { text: string; wake: Wake }[] =>
  r.events.flatMap((e) => (e.type === 'note' && e.wake ? [{ text: e.text, wake: e.wake }] : []));

describe('wakes are structured events; their text is rendered from the facts', () => {
  it('a resize: every wake note says its daemon, node and where it ran, and its text is those facts', () => {
    const out = runText(`${machine}fill Normal 90% file scattered\nhugetlb 2M resize 20 as h\n`);
    const r = resultOf(out, 'h');
    const ws = wakes(r);
    // every note that reads as a wake carries the facts
    const wakeLike = r.events.filter((e) => e.type === 'note' && /^(kswapd\d+ woken:|kcompactd\d+ woken for)/.test(e.text));
    assert.equal(ws.length, wakeLike.length);
    for (const w of ws) assert.equal(w.text, wakeText(w.wake));
    const kswapd = ws.filter((w) => w.wake.daemon === 'kswapd');
    assert.ok(kswapd.length > 1);
    for (const w of kswapd) assert.deepEqual({ nid: w.wake.nid, order: w.wake.order, highestZone: w.wake.highestZone }, { nid: 0, order: 9, highestZone: 'Movable' });
    // all but the last allocation's ran at the next cond_resched(); that one is left to the `kswapd` operation
    assert.deepEqual(kswapd.slice(0, -1).map((w) => w.wake.runs), kswapd.slice(0, -1).map(() => ({ at: 'next_cond_resched', caller: 'set_max_huge_pages' })));
    assert.deepEqual(kswapd[kswapd.length - 1]!.wake.runs, { at: 'operation' });
    // kswapd going to sleep at a cond_resched() woke kcompactd, which ran right after it
    const kc = ws.filter((w) => w.wake.daemon === 'kcompactd');
    assert.ok(kc.some((w) => w.wake.runs.at === 'this_cond_resched'), JSON.stringify(kc));
  });

  it('a single allocation: the wake runs with the `kswapd` operation', () => {
    const out = runText(`${machine}fill Normal 99% anon packed\nalloc order 9 movable gfp GFP_KERNEL as a\n`);
    const ws = wakes(resultOf(out, 'a'));
    assert.deepEqual(ws.map((w) => w.wake), [{ daemon: 'kswapd', nid: 0, order: 9, highestZone: 'Normal', runs: { at: 'operation' } }]);
  });

  it('a daemon run retells its own wakes from their facts, whatever their text says, and no other', () => {
    const events: SimEvent[] = [];
    const c = { events } as unknown as ConstructorParameters<typeof PendingWakes>[0];
    const p = new PendingWakes(c);
    const k0 = wakeNote('kswapd', 0, 9, 'Normal');
    events.push({ ...k0, text: 'reworded' }, wakeNote('kswapd', 1, 3, 'DMA32'), wakeNote('kcompactd', 0, 9, null), { type: 'note', text: 'kswapd0 woken: order 2, highest zone Normal (wakeup_kswapd); it runs with the `kswapd` operation' });
    p.ran('kswapd', 0, () => ({ at: 'next_cond_resched', caller: 'set_max_huge_pages' }));
    assert.equal((events[0] as { text: string }).text, "kswapd0 woken: order 9, highest zone Normal (wakeup_kswapd); it runs at set_max_huge_pages()'s next cond_resched()");
    assert.equal((events[1] as { text: string }).text, 'kswapd1 woken: order 3, highest zone DMA32 (wakeup_kswapd); it runs with the `kswapd` operation');
    assert.equal((events[2] as { text: string }).text, 'kcompactd0 woken for order 9 (wakeup_kcompactd); it runs with the `kcompactd` operation');
    // a note without the facts is not a wake, whatever it says
    assert.match((events[3] as { text: string }).text, /`kswapd` operation$/);
    p.ran('kcompactd', 0, () => ({ at: 'this_cond_resched', after: 'kswapd' }));
    assert.equal((events[2] as { text: string }).text, 'kcompactd0 woken for order 9 (wakeup_kcompactd); it runs at this cond_resched(), after kswapd');
  });

  it('vm.compaction_proactiveness: each node\'s kcompactd wake is a structured event, after the sysctl\'s own note', () => {
    // compaction_proactiveness_sysctl_handler (mm/compaction.c): proactive_compact_trigger and wake_up_interruptible on
    // every online node not already triggered; no order is requested (kcompactd_max_order stays as it was)
    const two = `kernel 6.12
machine {
  cpus 1
  node 0 { zone Normal 0x40000..0x48000 }
  node 1 { zone Normal 0x48000..0x50000 }
}
`;
    const out = runText(`${two}sysctl vm.compaction_proactiveness = 30 as s\nsysctl vm.compaction_proactiveness = 40 as t\n`);
    const r = resultOf(out, 's');
    const notes = r.events.filter((e) => e.type === 'note');
    assert.equal((notes[0] as { text: string }).text, 'vm.compaction_proactiveness = 30');
    assert.equal(r.reason, 'vm.compaction_proactiveness = 30');
    const ws = wakes(r);
    assert.deepEqual(ws.map((w) => w.wake), [0, 1].map((nid) => ({ daemon: 'kcompactd', nid, order: 0, highestZone: null, runs: { at: 'operation' }, proactive: true })));
    for (const w of ws) assert.equal(w.text, wakeText(w.wake));
    assert.equal(ws[0]!.text, 'kcompactd0 woken (proactive_compact_trigger) by vm.compaction_proactiveness (compaction_proactiveness_sysctl_handler): a proactive pass; it runs with the `kcompactd` operation');
    assert.equal(notes.length, 3);
    // the trigger is still set: the second write wakes nobody (pgdat->proactive_compact_trigger already true)
    assert.deepEqual(wakes(resultOf(out, 't')), []);
  });
});
