// Freeing a label whose anon pages reclaim swapped out: the memory still exists as swap entries in the page
// tables, and munmap/exit frees the slots (zap_pte_range → free_swap_and_cache_nr, mm/memory.c / mm/swapfile.c).
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { resultOf, runText, machine, spec, run } from './helpers.js';
import { pressureInvariants } from '../../../src/sim/invariants.js';
import type { OpResult } from '../../../src/sim/api.js';
import { runScenario } from '../../../src/sim/runner.js';

const MACHINE = (swap: string) => `kernel 6.12
machine {
  swap ${swap}
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;
/** x (300 anon pages) and t (a THP) are the oldest LRU pages; the GFP_KERNEL allocations reclaim them first */
const PRESSURE = `alloc order 0 movable count 300 as x
alloc order 9 movable gfp GFP_TRANSHUGE as t
fill Normal 90% anon
alloc order 0 unmovable count 2000 gfp GFP_KERNEL as a
`;

describe('free of swapped-out anon (zap_pte_range → free_swap_and_cache_nr)', () => {
  it('frees the swap slots of a label reclaim swapped out, and says how many pages were in swap', () => {
    const out = runText(`${MACHINE('4G')}${PRESSURE}free x
free t
`, { checkInvariants: true });
    const c = out.machine.c;
    const x = resultOf(out, 'x');
    assert.equal(x.ok, true);
    const fx = out.ops.find((r) => r.op === 'free' && r.target === 'x')!.result;
    const ft = out.ops.find((r) => r.op === 'free' && r.target === 't')!.result;
    assert.equal(fx.ok, true, fx.reason ?? '');
    assert.equal(ft.ok, true, ft.reason ?? '');
    assert.match(fx.reason!, /300 of 300 pages were swapped out: 300 swap slots freed/);
    assert.match(ft.reason!, /512 of 512 pages were swapped out: 512 swap slots freed/);
    // the slots came back: what is still in swap belongs to the fill (not freed)
    const total = 4 * 262144;
    const stillSwapped = [...c.swapped.values()].reduce((s, r) => s + r.filter((_, i) => i % 2).reduce((a, b) => a + b, 0), 0);
    assert.equal(total - c.swapFree, stillSwapped);
    assert.equal(c.swapped.has('x'), false);
    assert.equal(c.swapped.has('t'), false);
  });

  it('a label partly in swap: the resident pages go back to the allocator, the swapped ones free their slots', () => {
    // 256 pages of swap: reclaim swaps out 256 of x's 300 pages and keeps the rest (add_to_swap fails)
    const text = `${MACHINE('1M')}${PRESSURE}`;
    const before = runText(text, { checkInvariants: true });
    assert.equal(before.machine.c.swapFree, 0);
    const sx = before.machine.c.swapped.get('x');
    assert.ok(sx, 'x has pages in swap');
    const inSwap = sx.filter((_, i) => i % 2).reduce((a, b) => a + b, 0);
    assert.ok(inSwap > 0 && inSwap < 300, `x has ${inSwap} pages in swap`);
    const resident = [...Array(300).keys()].map((i) => resultOf(before, 'x').allocated[i]!.pfn).filter((p) => before.machine.pageInfo(p).owner === 'x');
    assert.equal(resident.length, 300 - inSwap);
    const out = runText(`${text}free x\n`, { checkInvariants: true });
    const f = out.ops[out.ops.length - 1]!.result;
    assert.equal(f.ok, true, f.reason ?? '');
    assert.match(f.reason!, new RegExp(`${inSwap} of 300 pages were swapped out: ${inSwap} swap slots freed.*${300 - inSwap} resident pages freed`));
    assert.equal(out.machine.c.swapFree, inSwap);
    for (const p of resident) assert.notEqual(out.machine.pageInfo(p).owner, 'x', `resident page ${p.toString(16)} freed`);
  });

  it('freeing it twice is still an error that names the first free', () => {
    const a = analyze(`${MACHINE('4G')}${PRESSURE}free x\nfree x\n`);
    assert.match(a.diagnostics.map((d) => d.message).join('\n'), /`x` was freed at line 12/);
    // without the language's check (a scenario built elsewhere): the runner says it, and the slots are freed once
    const one = analyze(`${MACHINE('4G')}${PRESSURE}free x\n`).scenario!;
    const last = one.steps[one.steps.length - 1]!;
    const [o] = runScenario({ ...one, steps: [...one.steps, { ...last, loc: { ...last.loc, line: 13 } }] }, { checkInvariants: true });
    const frees = o!.ops.filter((r) => r.op === 'free').map((r) => r.result);
    assert.equal(frees[0]!.ok, true);
    assert.equal(frees[1]!.ok, false);
    assert.equal(frees[1]!.reason, 'x was freed at line 12');
    assert.deepEqual(o!.invariants, []);
  });

  it('a label migrated before reclaim swapped it out: the slots are found by the pfns it allocated (Core.moved)', () => {
    const out = runText(`${MACHINE('4G')}alloc order 0 movable count 64 as x
migrate x
${PRESSURE.replace(' as x', ' as y')}free x
`, { checkInvariants: true });
    const mig = out.ops.find((r) => r.op === 'migrate')!.result;
    assert.equal(mig.migrations.filter((m) => m.result === 'ok').length, 64);
    const f = out.ops[out.ops.length - 1]!.result;
    assert.equal(f.ok, true, f.reason ?? '');
    assert.match(f.reason!, /64 of 64 pages were swapped out/);
  });

  it('the analysis does not flag the free of a label that reclaim will swap out', () => {
    const a = analyze(`${MACHINE('4G')}${PRESSURE}free x\n`);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  });

  it('pin of a swapped-out label is refused (GUP would swap it in: do_swap_page is not modelled); unpin ignores swapped pages', () => {
    const out = runText(`${MACHINE('4G')}${PRESSURE}pin x
unpin x
`);
    const pin = out.ops.find((r) => r.op === 'pin')!.result;
    assert.equal(pin.ok, false);
    assert.match(pin.reason!, /300 of its 300 pages are swapped out.*do_swap_page/);
    assert.equal(out.ops.find((r) => r.op === 'unpin')!.result.ok, true);
  });

  it('migrate skips swapped-out pages (not present: queue_folios_pte_range, move_pages -ENOENT)', () => {
    const out = runText(`${MACHINE('4G')}${PRESSURE}migrate x\n`);
    const m = out.ops.find((r) => r.op === 'migrate')!.result;
    assert.equal(m.ok, true, m.reason ?? '');
    assert.equal(m.migrations.length, 0);
    assert.match(m.events.filter((e) => e.type === 'note').map((e) => (e as { text: string }).text).join('\n'), /300 swapped-out pages not migrated/);
  });

  it('outside the runner (labels resolved by the caller, as the bench does) the free frees the slots too', () => {
    const m = machine({ ...spec({ zones: [['Normal', 0x8000, 0x10000]] }), swapPages: 1024 });
    const labels = new Map<string, OpResult>();
    const go = (op: Parameters<typeof run>[1], label: string): OpResult => { const r = run(m, op, 0, labels, label); labels.set(label, r); return r; };
    assert.equal(go({ op: 'alloc', order: 0, migratetype: 'movable', gfp: [], zone: null, count: 200 }, 'x').ok, true);
    go({ op: 'fill', zone: { nid: 0, zone: 'Normal' }, percent: 90, cls: 'anon', order: 0, packed: false }, 'fill');
    go({ op: 'alloc', order: 0, migratetype: 'unmovable', gfp: ['GFP_KERNEL'], zone: null, count: 2000 }, 'a');
    assert.ok(m.c.swapped.get('x'), 'x swapped out');
    const f = go({ op: 'free', target: { kind: 'name', name: 'x' }, order: null }, 'f');
    assert.equal(f.ok, true, f.reason ?? '');
    assert.deepEqual(m.checkInvariants(), []);
  });

  it('the swap invariant counts the recorded slots: used == Σ swapped pages per owner', () => {
    const out = runText(`${MACHINE('4G')}${PRESSURE}`);
    const c = out.machine.c;
    assert.deepEqual(pressureInvariants(c), []);
    c.swapFree += 1; // a slot given back without its record
    assert.match(pressureInvariants(c).join('\n'), /swap: .*in use.*recorded/);
    c.swapFree -= 1;
    c.swapped.set('ghost', [0x8000, 0]);
    assert.match(pressureInvariants(c).join('\n'), /swap record of 'ghost'/);
  });
});
