// Where the import puts pages when /proc/kpageflags says more (issue 14): free blocks of pageblock order and above
// where the kernel has a free block, `reserved` on PageReserved pages, and the per-cpu PCP pages of zoneinfo. The
// counts stay exact (buddyinfo and pagetypeinfo round trip) whatever the flags say.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readSnapshot } from '../../../src/import/fs.js';
import { generate, repeatRuns, type Snapshot } from '../../../src/import/generate.js';
import type { KpfRun, KpfSummary } from '../../../src/import/kpageflags.js';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';
import { buddyinfo, pagetypeinfo } from '../../../src/sim/proc.js';

const MOVABLE = join(__dirname, '../../fixtures/proc-snapshot-movable');

function withFlags(runs: KpfRun[]): Snapshot {
  const snap = readSnapshot(MOVABLE, false);
  const kpf: KpfSummary = { runs, thp: [], zeroBlocks: new Set(), truncated: false, words: 0 };
  snap.kpf = kpf;
  return snap;
}
function runOf(snap: Snapshot) {
  const res = generate(snap);
  const { scenario, diagnostics } = analyze(res.text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const [o] = runScenario(scenario!);
  assert.deepEqual(o!.errors, []);
  // the counts are still exact
  assert.equal(buddyinfo(o!.machine), readFileSync(join(MOVABLE, 'proc/buddyinfo'), 'utf8').replace(/^.*zone\s+DMA .*\n/m, ''));
  return { res, m: o!.machine };
}

describe('import: pages placed where /proc/kpageflags has them', function () {
  this.timeout(60000);
  it('an order-10 free block of the kernel (KPF_BUDDY on each of its pages) is placed there', () => {
    const plain = runOf(readSnapshot(MOVABLE, false)).m;
    // a pfn where the plain layout has no order-10 free block
    let at = 0x9fc00;
    while (plain.pageInfo(at).state === 'buddy' && plain.pageInfo(at).order === 10) at -= 0x400;
    const { m } = runOf(withFlags([{ start: at, end: at + 0x400, kind: 'free' }]));
    const pi = m.pageInfo(at);
    assert.equal(pi.state, 'buddy');
    assert.equal(pi.head, at);
    assert.equal(pi.order, 10);
  });
  it('free pages that do not cover the aligned range are no free block of that order: not a hint', () => {
    const plain = runOf(readSnapshot(MOVABLE, false)).m;
    let at = 0x9fc00;
    while (plain.pageInfo(at).state === 'buddy' && plain.pageInfo(at).order === 10) at -= 0x400;
    const { m } = runOf(withFlags([{ start: at, end: at + 1, kind: 'free' }, { start: at + 1, end: at + 0x400, kind: 'anon' }]));
    const pi = m.pageInfo(at);
    assert.ok(!(pi.state === 'buddy' && pi.order! >= 9), `${pi.state} order ${pi.order}`);
  });
  it('reserved: PageReserved pages first, the rest of present − managed top-down; pagetypeinfo still exact', () => {
    // DMA32 needs 258048 − 250000 = 8048 reserved pages; the flags say 16 non-free pages low in the zone are
    // PageReserved (the plain layout reserves the top of the zone)
    const plain = runOf(readSnapshot(MOVABLE, false)).m;
    let at = 0x1000;
    while (![...Array(16).keys()].every((i) => plain.pageInfo(at + i).state === 'allocated')) at += 16;
    const { res, m } = runOf(withFlags([{ start: at, end: at + 16, kind: 'reserved' }]));
    assert.ok(res.text.includes(`reserved 0x${at.toString(16)}..0x${(at + 16).toString(16)}\n`), res.text.slice(0, 3000));
    assert.equal(m.zones().find((z) => z.zone === 'DMA32')!.managed, 250000);
    assert.ok(res.notes.some((n) => /reserved pages: 16 where \/proc\/kpageflags says PageReserved/.test(n)), res.notes.join('\n'));
    assert.equal(pagetypeinfo(m).split('\n').filter((l) => /^Node/.test(l)).length > 0, true);
  });
  it('PCP pages: zoneinfo\'s per-cpu counts on that cpu\'s list, on pages without flags when the flags are read', () => {
    const plain = runOf(readSnapshot(MOVABLE, false));
    for (const z of plain.m.zones()) assert.deepEqual(z.pcp.slice(0, 2).map((p) => p.count), [86, 3], z.zone);
    assert.ok(!plain.res.notes.some((n) => /PCP/.test(n)), 'every PCP page placed: nothing to note');
    // pages with no flags in Normal: the PCP pages of Normal go there
    const lo = 0x7f000;
    const { res, m } = runOf(withFlags([{ start: 0x40000, end: lo, kind: 'anon' }, { start: lo, end: 0x80000, kind: 'none' }]));
    assert.deepEqual(m.zones().find((z) => z.zone === 'Normal')!.pcp.slice(0, 2).map((p) => p.count), [86, 3]);
    const normalPcp = res.text.split('\n').filter((l) => /^pages 0x[0-9a-f]+\.\.0x[0-9a-f]+ pcp cpu/.test(l)).map((l) => parseInt(l.split(' ')[1]!, 16)).filter((p) => p >= 0x40000 && p < 0x80000);
    assert.ok(normalPcp.length && normalPcp.every((p) => p >= lo), normalPcp.map((p) => p.toString(16)).join(' '));
  });
});

describe('import: the compact repeat form', () => {
  it('repeatRuns: consecutive lines of one length, kind and stride become `every STRIDE count N`; others stay', () => {
    assert.deepEqual(repeatRuns([
      'pages 0x100..0x101 anon', 'pages 0x108..0x109 anon', 'pages 0x110..0x111 anon', 'pages 0x118..0x119 kernel',
      'folio 0x200 order 2 file', 'folio 0x208 order 2 file', 'folio 0x210 order 2 file', 'folio 0x218 order 2 file',
      'pages 0x300..0x302 anon', 'pages 0x302..0x304 anon', 'pageblock 0x400 unmovable',
    ]), [
      'pages 0x100..0x101 anon every 0x8 count 3', 'pages 0x118..0x119 kernel',
      'folio 0x200 order 2 file every 0x8 count 4',
      'pages 0x300..0x302 anon', 'pages 0x302..0x304 anon', 'pageblock 0x400 unmovable',
    ]);
  });
  it('the language expands `every STRIDE count N` into the same steps; bad strides and counts are located errors', () => {
    const m = 'machine {\n  node 0 {\n    zone Normal 0x10000..0x18000\n  }\n}\n';
    const a = analyze(m + 'pages 0x10000..0x10001 anon every 8 count 3\nfolio 0x11000 order 2 file every 0x10 count 2\n');
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
    const ops = a.scenario!.steps.map((s) => (s.kind === 'op' ? s.op : null));
    assert.deepEqual(ops.map((o) => (o?.op === 'page' ? [o.start, o.end] : o?.op === 'folio' ? [o.pfn] : null)), [[0x10000, 0x10001], [0x10008, 0x10009], [0x10010, 0x10011], [0x11000], [0x11010]]);
    const err = (l: string) => analyze(m + l + '\n').diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`);
    assert.match(err('pages 0x10000..0x10002 anon every 1 count 3')[0]!, /^6:29 the stride 1 is shorter than what is repeated \(2 pages\)/);
    assert.match(err('pages 0x17f00..0x17f01 anon every 0x10 count 0x100')[0]!, /the last copy 0x18ef0\.\.0x18ef1 extends outside the machine's memory/);
    assert.match(err('folio 0x11000 order 2 file every 6 count 4')[0]!, /not a multiple of the folio's 4 pages/);
    assert.match(err('pages 0x10000..0x10001 anon every 8')[0]!, /`every STRIDE` and `count N` go together/);
    assert.match(err('page 0x10000 anon count 2')[0]!, /`every STRIDE` and `count N` go together/);
  });
  it('the fixture imports with the repeat form and still round-trips exactly', () => {
    const { res } = runOf(readSnapshot(MOVABLE, false));
    assert.match(res.text, / every 0x[0-9a-f]+ count \d+\n/);
  });
  it('repeatRuns: `pageblock P TYPE` lines of one type whole pageblocks apart become one line; others stay', () => {
    assert.deepEqual(repeatRuns([
      'pageblock 0x400 unmovable', 'pageblock 0x600 unmovable', 'pageblock 0x800 unmovable', 'pageblock 0xa00 reclaimable',
      'pageblock 0x1000 highatomic', 'pageblock 0x1400 highatomic', 'pageblock 0x1800 highatomic',
      'pageblock 0x2010 unmovable', 'pageblock 0x2110 unmovable', 'pageblock 0x2210 unmovable',
    ], 0x200), [
      'pageblock 0x400 unmovable every 0x200 count 3', 'pageblock 0xa00 reclaimable',
      'pageblock 0x1000 highatomic every 0x400 count 3',
      // 0x100 apart: not whole pageblocks (the language would refuse it)
      'pageblock 0x2010 unmovable', 'pageblock 0x2110 unmovable', 'pageblock 0x2210 unmovable',
    ]);
  });
  it('the language expands `pageblock … every STRIDE count N` into the same steps; bad strides are located errors', () => {
    const m = 'machine {\n  node 0 {\n    zone Normal 0x10000..0x18000\n  }\n}\n';
    const a = analyze(m + 'pageblock 0x10000 unmovable every 0x400 count 3\npageblock 0x11010 reclaimable every 0x200 count 2\n');
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
    const ops = a.scenario!.steps.map((s) => (s.kind === 'op' && s.op.op === 'pageblock' ? `${s.op.pfn.toString(16)} ${s.op.migratetype}` : null));
    assert.deepEqual(ops, ['10000 unmovable', '10400 unmovable', '10800 unmovable', '11010 reclaimable', '11210 reclaimable']);
    // the same as the lines written out one by one: the same machine
    const one = analyze(m + ['10000 unmovable', '10400 unmovable', '10800 unmovable', '11010 reclaimable', '11210 reclaimable'].map((x) => `pageblock 0x${x}\n`).join(''));
    assert.equal(pagetypeinfo(runScenario(a.scenario!)[0]!.machine), pagetypeinfo(runScenario(one.scenario!)[0]!.machine));
    const err = (l: string) => analyze(m + l + '\n').diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`);
    assert.deepEqual(err('pageblock 0x10000 movable every 0x100 count 3'), ['6:27 the stride 256 is not a multiple of a pageblock (512 pages): the copies must set other pageblocks']);
    assert.match(err('pageblock 0x17e00 movable every 0x200 count 3')[0]!, /the last copy 0x18200\.\.0x18201 extends outside the machine's memory/);
    assert.match(err('pageblock 0x10000 movable every 0x200')[0]!, /`every STRIDE` and `count N` go together/);
    assert.deepEqual(err('pageblock 0x10000 movable cpu 1'), ['6:27 `cpu` is not an option of `pageblock` (options: every, count)']);
  });
  it('the import writes `pageblock … every` and the scenario round-trips exactly (buddyinfo and pagetypeinfo)', () => {
    const snap = readSnapshot(MOVABLE, false);
    const { res, m } = runOf(snap);
    assert.match(res.text, /\npageblock 0x[0-9a-f]+ (unmovable|reclaimable|highatomic) every 0x[0-9a-f]+ count \d+\n/);
    assert.equal(pagetypeinfo(m), readFileSync(join(MOVABLE, 'proc/pagetypeinfo'), 'utf8'));
  });
});
