// Property tests: random operation sequences on a small machine keep every invariant and conserve pages
// (buddy + pcp + allocated == managed), under old and new presets.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { spec, machine, run } from './helpers.js';
import { conservation } from '../../../src/sim/invariants.js';
import type { Operation } from '../../../src/sim/scenario.js';
import type { OpResult } from '../../../src/sim/api.js';

const BASE = 0x10000;
const END = 0x18000;

const arbOp: fc.Arbitrary<Operation | { op: 'free_label'; k: number; cpu: number }> = fc.oneof(
  fc.record({
    op: fc.constant('alloc' as const), order: fc.constantFrom(0, 0, 1, 2, 3, 4, 9, 10),
    migratetype: fc.constantFrom('movable' as const, 'unmovable' as const, 'reclaimable' as const),
    gfp: fc.constantFrom([] as string[], ['GFP_ATOMIC'], ['GFP_KERNEL']), zone: fc.constant(null), count: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({ op: fc.constant('free_label' as const), k: fc.nat(), cpu: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constant('drain' as const), cpu: fc.constantFrom(null, 0, 1), zone: fc.constant(null) }),
  fc.integer({ min: 0, max: (END - BASE) / 512 - 4 }).chain((b) => fc.record({
    op: fc.constant('isolate' as const), start: fc.constant(BASE + b * 512), end: fc.integer({ min: 1, max: 4 }).map((n) => BASE + (b + n) * 512),
    mode: fc.constantFrom('other' as const, 'offline' as const),
  })),
  fc.constant({ op: 'unisolate' as const, start: BASE, end: END }),
  fc.integer({ min: 0, max: END - BASE - 1200 }).chain((s) => fc.record({
    op: fc.constant('alloc_contig_range' as const), start: fc.constant(BASE + s), end: fc.integer({ min: 1, max: 1100 }).map((n) => BASE + s + n),
    cma: fc.constant(false), gfp: fc.constant([] as string[]),
  })),
  fc.integer({ min: 0, max: END - BASE - 64 }).chain((s) => fc.record({
    op: fc.constant('page' as const), start: fc.constant(BASE + s), end: fc.integer({ min: 1, max: 64 }).map((n) => BASE + s + n),
    kind: fc.constantFrom('anon' as const, 'slab' as const, 'file' as const, 'pcp' as const), modifiers: fc.constantFrom([] as never[], ['pinned' as const]), cpu: fc.constant(1),
  })),
  fc.record({ op: fc.constant('fill' as const), zone: fc.constant({ nid: 0, zone: 'Normal' as const }), percent: fc.integer({ min: 1, max: 10 }), cls: fc.constantFrom('movable' as const, 'slab' as const), order: fc.constantFrom(0, 2), packed: fc.boolean() }),
);

function check(kernel: 'latest' | '6.12' | '6.6' | '5.15', pol = {}): void {
  fc.assert(
    fc.property(fc.array(arbOp, { minLength: 1, maxLength: 25 }), fc.integer({ min: 0, max: 1 }), (ops, cpu0) => {
      const m = machine(spec({ zones: [['DMA32', 0x1000, BASE], ['Normal', BASE, END]], cpus: 2 }), kernel, pol);
      const done: OpResult[] = [];
      for (const o of ops) {
        let r: OpResult;
        if (o.op === 'free_label') {
          const prev = done.filter((d) => d.ok && d.allocated.length);
          if (!prev.length) continue;
          const target = prev[o.k % prev.length];
          r = run(m, { op: 'free', target: { kind: 'name', name: 'x' }, order: null }, o.cpu, new Map([['x', target]]));
          if (r.ok) target.allocated = [];
        } else {
          r = run(m, o, cpu0);
        }
        done.push(r);
        const inv = m.checkInvariants();
        assert.deepEqual(inv, [], `after ${JSON.stringify(o)} → ${r.errno ?? 'ok'} ${r.reason ?? ''}`);
        assert.deepEqual(conservation(m.c), [], `conservation after ${JSON.stringify(o)}`);
      }
      // clone is a deep copy: mutating it leaves the original intact
      const snap = JSON.stringify(m.zones());
      const cl = m.clone();
      // ...and copies every field of the state (the per-operation scratch and the derived caches excepted)
      for (const k of Object.keys(m.c) as (keyof typeof m.c)[]) {
        if (k === 'events' || k === 'slowpaths' || k === 'migrating' || k === 'caches') continue;
        assert.deepEqual(cl.c[k], m.c[k], `Core.${String(k)} after clone()`);
      }
      run(cl, { op: 'alloc', order: 0, migratetype: 'unmovable', gfp: [], zone: null, count: 50 });
      assert.equal(JSON.stringify(m.zones()), snap);
      assert.deepEqual(cl.checkInvariants(), []);
    }),
    { numRuns: 60, seed: 42 },
  );
}

describe('property: random operation sequences keep the invariants', function () {
  this.timeout(120000);
  it('latest', () => check('latest'));
  it('6.12 (legacy fallback, hygiene on, migratetype lost)', () => check('6.12'));
  it('6.6 (no freelist hygiene)', () => check('6.6'));
  it('5.15 (MAX_ORDER-1 isolation)', () => check('5.15'));
  it('contig_pcp=disable, contig_slab_shrink=on', () => check('latest', { contig_pcp: 'disable', contig_slab_shrink: 'on' }));
});
