// Stale labels (issue 16.3): a freed label is a use after free (diagnostic and run-time error); a label whose
// folios were migrated follows them; a label whose pages something else freed is an error naming the label.
import assert from 'node:assert/strict';
import { analyze } from '../../src/language/index.js';
import { ScenarioRun } from '../../src/sim/runner.js';
import { conservation } from '../../src/sim/invariants.js';
import { Machine } from '../../src/sim/machine.js';
import { resolvePolicies } from '../../src/sim/policies.js';
import { labelledRunner } from '../../bench/lib/gen.js';
import { spec } from './sim/helpers.js';

const specOf = () => spec({ zones: [['Normal', 0x40000, 0x80000]] });

const M = 'machine { node 0 { zone Normal 0x40000..0x80000 } }\n';

/** runs text (diagnostics ignored, as a forced run would) and returns the run */
function runText(text: string): ScenarioRun {
  const { partial } = analyze(text);
  assert.ok(partial);
  const r = new ScenarioRun(partial!, null, { checkInvariants: true });
  r.runToEnd();
  return r;
}

describe('stale labels', () => {
  const freedTwice = M + `alloc order 1 movable count 4 as a
free a
drain
alloc order 3 movable count 4 as b
free a
`;

  it('mmscn check: freeing a label a second time is "a was freed at line N" at the second free', () => {
    const d = analyze(freedTwice).diagnostics.filter((x) => x.severity === 'error');
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.equal(d[0]!.message, '`a` was freed at line 3');
    assert.equal(d[0]!.loc.line, 6);
    assert.equal(d[0]!.loc.col, 6);
  });

  it('any later use of a freed label (migrate, pin, cma_release) is reported; expectations on its result are not', () => {
    const d = analyze(M + 'alloc order 0 movable as a\nfree a\nmigrate a\nexpect a ok\n').diagnostics.filter((x) => x.severity === 'error');
    assert.deepEqual(d.map((x) => [x.loc.line, x.message]), [[4, '`a` was freed at line 3']]);
  });

  it('at run time the second free is an error result and b keeps its pages', () => {
    const r = runText(freedTwice);
    const last = r.ops[r.ops.length - 1]!;
    assert.equal(last.result.ok, false);
    assert.equal(last.result.errno, 'EINVAL');
    assert.equal(last.result.reason, 'a was freed at line 3');
    const b = r.ops.find((o) => o.name === 'b')!;
    for (const x of b.result.allocated) assert.equal(r.machine.pageInfo(x.pfn).owner, 'b');
    assert.deepEqual(r.invariants, []);
    assert.deepEqual(conservation(r.machine.c), []);
  });

  it('a label whose folios were migrated follows them: free frees the pages where they are now', () => {
    const head = M + 'alloc order 2 movable as a\nalloc order 0 movable as a2\n';
    const at = runText(head).ops.map((o) => o.result.allocated[0]!.pfn);
    const pb = at[0]! - (at[0]! % 512);
    assert.equal(at[1]! - (at[1]! % 512), pb);
    const r = runText(head + `alloc_contig_range 0x${pb.toString(16)}..0x${(pb + 512).toString(16)} as r
free a
`);
    const [, , acr, fr] = r.ops;
    assert.equal(acr!.result.ok, true, acr!.result.reason ?? '');
    const dst = acr!.result.migrations.find((m) => m.src === at[0])!.dst!;
    assert.equal(fr!.result.ok, true, fr!.result.reason ?? '');
    assert.notEqual(r.machine.pageInfo(dst).state, 'allocated');
    assert.equal(r.machine.pageInfo(at[0]!).owner, 'r');
    const a2 = acr!.result.migrations.find((m) => m.src === at[1])!.dst!;
    assert.equal(r.machine.pageInfo(a2).owner, 'a2');
    assert.deepEqual(r.invariants, []);
    assert.deepEqual(conservation(r.machine.c), []);
  });

  it('a label followed through two migrations', () => {
    const r = runText(M + `alloc order 0 movable as a
migrate a
migrate a
free a
`);
    assert.deepEqual(r.ops.map((o) => o.result.ok), [true, true, true, true]);
    const second = r.ops[2]!.result.migrations[0]!;
    assert.equal(second.src, r.ops[1]!.result.migrations[0]!.dst);
    assert.notEqual(r.machine.pageInfo(second.dst!).state, 'allocated');
    assert.deepEqual(r.invariants, []);
  });

  it('a label whose pages something else freed is an error naming the label', () => {
    const p = runText(M + 'alloc order 0 movable as a\n').ops[0]!.result.allocated[0]!.pfn;
    const x = '0x' + p.toString(16);
    const r = runText(M + `alloc order 0 movable as a
free ${x}
drain
alloc order 0 movable as c
free a
`);
    assert.equal(r.ops[3]!.result.allocated[0]!.pfn, p);
    const last = r.ops[4]!;
    assert.equal(last.result.ok, false);
    assert.equal(last.result.reason!, `'a': page ${x} it allocated is now owned by c (freed by another operation, or by the kernel since: shrink_slab drops reclaimable slab, reclaim drops clean page cache)`);
    assert.equal(r.machine.pageInfo(p).owner, 'c');
    assert.deepEqual(r.invariants, []);
  });

  it('the bench\'s labelled runner is strict too: a stale label\'s free does not free the folio the allocator reused (pressure-256G)', () => {
    // pressure-256G: shrink_slab dropped a reclaimable order-9 slab folio, an unmovable order-9 allocation got it,
    // and the free of the slab label freed that folio, whose own free then failed as a double free
    const m = new Machine(specOf(), resolvePolicies('latest'), 1);
    const run = labelledRunner(m);
    const s = run({ op: 'alloc', order: 0, migratetype: 'reclaimable', gfp: [], zone: null, count: 1 }, 0, 's');
    const p = s.allocated[0]!.pfn;
    // the kernel frees it behind the label's back (as shrink_slab does), and the next allocation reuses the page
    assert.equal(run({ op: 'free', target: { kind: 'pfn', pfn: p }, order: null }, 0, 'k').ok, true);
    const y = run({ op: 'alloc', order: 0, migratetype: 'reclaimable', gfp: [], zone: null, count: 1 }, 0, 'y');
    assert.equal(y.allocated[0]!.pfn, p);
    const f = run({ op: 'free', target: { kind: 'name', name: 's' }, order: null }, 0, 'f');
    assert.equal(f.ok, false);
    assert.match(f.reason!, /'s': page .* is now owned by y .*shrink_slab drops reclaimable slab/);
    assert.equal(m.pageInfo(p).owner, 'y');
    assert.equal(run({ op: 'free', target: { kind: 'name', name: 'y' }, order: null }, 0, 'g').ok, true);
    assert.deepEqual(m.checkInvariants(), []);
  });
});
