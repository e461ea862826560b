// The order-0 pcp cycle's shortcuts (Machine.run's OpRun, ops.ts AllocSteps / FreeSteps) keep the contract and
// the answers of the general paths they stand beside.
import { strict as assert } from 'node:assert';
import type { Machine } from '../../../src/sim/machine.js';
import type { OpResult } from '../../../src/sim/api.js';
import type { Operation } from '../../../src/sim/scenario.js';
import { ctx, machine, run, spec } from './helpers.js';

const alloc: Operation = { op: 'alloc', order: 0, migratetype: 'movable', gfp: [], zone: null, count: 1 };
const freeP = (order: number | null): Operation => ({ op: 'free', target: { kind: 'name', name: 'p' }, order });

function fresh(): Machine {
  return machine(spec({ zones: [['Normal', 0x1000, 0x9000]], cpus: 2 }));
}

/** what the pcp cycle changes: the pcp lists and page map, the extents, the zone counters */
function state(m: Machine): unknown {
  const c = m.c;
  return {
    pcp: c.zones.map((z) => z.pcp.map((p) => ({ lists: p.lists.map((l) => [...l]), count: p.count, high: p.high, free: p.freeCount, af: p.allocFactor }))),
    pcpPages: [...c.pcpPages.entries()],
    ext: [...c.ext.entries()].map(([k, e]) => [k, { ...e }]),
    zones: m.zones(),
  };
}

/** free p with the forced order 0 (the general path, collectUnits' forced-order branch) or without (the shortcut),
 *  with an allocation on the other cpu between the free's lookup and enqueue steps */
function cycle(order: number | null): { results: OpResult[]; state: unknown } {
  const m = fresh();
  const labels = new Map<string, OpResult>();
  const results: OpResult[] = [];
  for (let i = 0; i < 3; i++) {
    labels.set('p', run(m, alloc, 0, labels, 'p'));
    const g = m.run(freeP(order), ctx(0, labels, 'f'));
    assert.equal(g.next().value, 'lookup');
    results.push(run(m, alloc, 1, labels, 'q'));
    assert.equal(g.next().value, 'enqueue');
    const r = g.next();
    assert.equal(r.done, true);
    results.push(r.value as OpResult);
  }
  return { results, state: state(m) };
}

describe('the order-0 pcp cycle', () => {
  it('frees a label\'s order-0 page exactly as the general path does, interleaved with another cpu', () => {
    const fast = cycle(null);
    const general = cycle(0);
    assert.deepEqual(fast.results, general.results);
    assert.deepEqual(fast.state, general.state);
  });

  it('a double free still answers the general path\'s error', () => {
    const m = fresh();
    const labels = new Map<string, OpResult>();
    labels.set('p', run(m, alloc, 0, labels, 'p'));
    assert.equal(run(m, freeP(null), 0, labels, 'f').ok, true);
    const again = run(m, freeP(null), 0, labels, 'f');
    assert.equal(again.ok, false);
    assert.equal(again.errno, 'EINVAL');
    assert.match(again.reason ?? '', /is free \(on cpu 0's pcp list\)/);
  });

  it('Machine.run keeps a generator\'s contract: nothing runs before the first next(), done stays done', () => {
    const m = fresh();
    const before = m.c.lruSeq;
    const g = m.run(alloc, ctx(0, new Map(), 'p'));
    assert.equal(m.c.lruSeq, before, 'the prologue ran before the first step');
    const first = g.next();
    assert.deepEqual(first, { value: 'run', done: false });
    assert.equal(m.c.lruSeq, before + 1);
    const last = g.next();
    assert.equal(last.done, true);
    const res = last.value as OpResult;
    assert.deepEqual(Object.keys(res), ['ok', 'errno', 'pfn', 'reason', 'allocated', 'migrations', 'events']);
    // the refill of the empty pcp list, then the step's phase
    assert.deepEqual(res.events.map((e) => e.type), ['pcp', 'phase']);
    assert.deepEqual(res.events[1], { type: 'phase', phase: 'run' });
    assert.deepEqual(g.next(), { value: undefined, done: true });
  });
});
