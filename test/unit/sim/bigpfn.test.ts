// Pfns at and above 2^32 (16 TiB physical) up to the largest machine (pfn 2^40, MAX_PHYSMEM_BITS 52): exact
// arithmetic, arrays proportional to the spanned range, and the same results as the same layout low in memory.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { ScenarioRun } from '../../../src/sim/runner.js';
import { buddyinfo, pagetypeinfo, zoneinfo, memoryBlocks } from '../../../src/sim/proc.js';
import { MAX_PFN, alignDown, alignUp, buddyPfnOf, shr } from '../../../src/sim/pfn.js';
import { checkMachineSize } from '../../../src/sim/limits.js';
import { machine, spec } from './helpers.js';

const hex = (n: number) => '0x' + n.toString(16);

/** a scenario whose pfns are `base + offset`; every operation touches both sides of base + 0x100000 */
function straddle(base: number): string {
  const p = (off: number) => hex(base + off);
  const b = base + 0x100000; // the interesting boundary (2^32 for base 0xfff00000)
  const q = (off: number) => hex(b + off);
  const block = (b / 0x8000).toString();
  return `machine {
  cpus 1
  node 0 {
    zone Normal ${p(0)}..${p(0x200000)}
  }
}
expect Normal.start_pfn == ${p(0)}
expect Normal.free == 0x200000
page ${q(-1)} anon
page ${q(0)} anon
page ${q(1)} anon
folio ${q(0x200)} order 9 thp
expect page ${q(-1)} anon
expect page ${q(0)} anon
expect page ${q(-2)} buddy
expect page ${q(2)} buddy
free ${q(-1)}
free ${q(0)}
free ${q(1)}
free ${q(0x200)}
drain
expect Normal.free == 0x200000
expect buddyinfo Normal == 0 0 0 0 0 0 0 0 0 0 2048
alloc order 10 unmovable count 3 as a
free a
drain
isolate ${q(-0x200)}..${q(0x200)} as iso
expect iso ok
expect pageblock ${q(-0x200)} isolate
expect pageblock ${q(0)} isolate
expect Normal.nr_isolate_pageblock == 2
unisolate ${q(-0x200)}..${q(0x200)}
expect Normal.nr_isolate_pageblock == 0
page ${q(0x10)} anon
page ${q(-0x10)} file dirty
alloc_contig_range ${q(-0x100)}..${q(0x100)} as r
expect r ok
expect r migrated == 2
expect page ${q(-1)} allocated
expect page ${q(0)} allocated
free r
drain
offline block ${block}
expect block ${block} offline
online block ${block}
expect block ${block} online Normal
compact Normal
report
`;
}

function runText(text: string): ScenarioRun {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}: ${d.message}`), []);
  const run = new ScenarioRun(scenario!, null, { checkInvariants: true });
  run.runToEnd();
  return run;
}

/** every pfn in a text shifted by `by` (hex numbers at least `min`) */
function shiftPfns(text: string, by: number, min: number): string {
  return text.replace(/0x[0-9a-f]+|\b\d{5,}\b/g, (s) => {
    const n = Number(s);
    return n >= min ? (s.startsWith('0x') ? hex(n - by) : String(n - by)) : s;
  });
}

describe('pfns at and above 2^32', () => {
  it('exact helpers at 2^32 - 1, 2^32, 2^32 + 1 and at the limit', () => {
    const t = 2 ** 32;
    assert.equal(buddyPfnOf(t, 0), t + 1);
    assert.equal(buddyPfnOf(t + 1, 0), t);
    assert.equal(buddyPfnOf(t - 1, 0), t - 2);
    assert.equal(buddyPfnOf(t, 10), t + 1024);
    assert.equal(buddyPfnOf(t - 1024, 10), t - 2048);
    assert.equal(buddyPfnOf(MAX_PFN - 1024, 10), MAX_PFN - 2048);
    assert.equal(alignDown(t + 1, 512), t);
    assert.equal(alignDown(t - 1, 512), t - 512);
    assert.equal(alignUp(t + 1, 512), t + 512);
    assert.equal(shr(MAX_PFN - 1, 9), 2 ** 31 - 1);
    assert.equal(MAX_PFN, 2 ** 40);
  });

  it('a zone above 2^32 boots at once with arrays sized to its span, not to its highest pfn', function () {
    this.timeout(20_000);
    const t0 = performance.now();
    const m = machine(spec({ zones: [['Normal', 0x100000000, 0x100040000]] }));
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(m.c.minPfn, 0x100000000);
    assert.equal(m.c.pbMt.length, 0x40000 / 512);
    assert.equal(m.c.blockState.length, 0x40000 / 0x8000);
    const z = m.zones().find((x) => x.zone === 'Normal')!;
    assert.equal(z.start_pfn, 0x100000000);
    assert.equal(z.free, 0x40000);
    assert.deepEqual(z.buddyinfo, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 256]);
    assert.match(zoneinfo(m), /start_pfn: +4294967296\n/);
    assert.equal(m.pageInfo(0x100000000).state, 'buddy');
    assert.equal(m.pageInfo(0x100000000).head, 0x100000000);
    assert.equal(m.pageInfo(0xffffffff).state, 'hole');
    assert.equal(m.pageInfo(0).state, 'hole');
    assert.deepEqual(m.pageblock(0), { migratetype: 'unmovable', isolated: false });
  });

  it('a one-page zone at 0xffffffff..0x100000000 is one free page', () => {
    const run = runText('machine { node 0 { zone Normal 0xffffffff..0x100000000 } }\n');
    assert.match(buddyinfo(run.machine), /Normal +1 +0 +0 +0 +0 +0 +0 +0 +0 +0 +0/);
  });

  it('a zone straddling 2^32: alloc, free, isolate, alloc_contig_range, offline/online, compact, report as low in memory', function () {
    this.timeout(60_000);
    const high = runText(straddle(0xfff00000));
    const low = runText(straddle(0x100000));
    for (const r of [high, low]) {
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.invariants, []);
      assert.deepEqual(r.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    }
    const by = 0xfff00000 - 0x100000;
    assert.equal(buddyinfo(high.machine), buddyinfo(low.machine));
    assert.equal(pagetypeinfo(high.machine), pagetypeinfo(low.machine));
    assert.equal(zoneinfo(high.machine), zoneinfo(low.machine).replace(/start_pfn: +(\d+)/g, (_, n) => `start_pfn:           ${Number(n) + by}`));
    assert.match(zoneinfo(high.machine), /start_pfn: +4293918720\n/);
    assert.equal(shiftPfns(memoryBlocks(high.machine), 0, 0).length > 0, true);
    assert.match(memoryBlocks(high.machine), /memory131072\/phys_index:00020000/);
    const ops = (r: ScenarioRun) => r.ops.map((o) => `${o.op} ${o.result.ok} ${o.result.errno ?? ''} ${o.result.allocated?.map((a) => a.pfn).join(',') ?? ''}`);
    assert.deepEqual(ops(high), ops(low).map((s) => shiftPfns(s, -by, 0x100000)));
  });

  it('a zone ending at the largest pfn (2^40) allocates and frees at its top', function () {
    this.timeout(20_000);
    const top = hex(MAX_PFN);
    const run = runText(`machine { node 0 { zone Normal ${hex(MAX_PFN - 0x40000)}..${top} } }
page ${hex(MAX_PFN - 1)} anon
expect page ${hex(MAX_PFN - 1)} anon
expect page ${hex(MAX_PFN - 2)} buddy
free ${hex(MAX_PFN - 1)}
drain
expect Normal.free == 0x40000
alloc_contig_range ${hex(MAX_PFN - 0x400)}..${top} as r
expect r ok
expect Normal.end_pfn == ${top}
`);
    assert.deepEqual(run.errors, []);
    assert.deepEqual(run.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    assert.deepEqual(run.invariants, []);
  });

  it('check refuses memory above pfn 2^40 at the zone line', () => {
    const { diagnostics } = analyze(`machine {\n  node 0 {\n    zone Normal 0x0..0x1000\n    zone Movable ${hex(MAX_PFN - 0x1000)}..${hex(MAX_PFN + 0x1000)}\n  }\n}\n`);
    const errs = diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.loc.line, 4);
    assert.match(errs[0]!.message, /above the largest machine.*MAX_PHYSMEM_BITS/);
  });

  it('a 2^52-page zone is a diagnostic, not a RangeError', () => {
    const { diagnostics } = analyze(`machine { node 0 { zone Normal 0x0+${hex(2 ** 52)} } }\n`);
    assert.match(diagnostics.find((d) => d.severity === 'error')!.message, /above the largest machine/);
    assert.throws(() => machine(spec({ zones: [['Normal', 0, 2 ** 52]] })), /above the largest machine/);
  });
});

describe('machine size limits', () => {
  it('refuses a machine whose state would not fit, at the zone line, before allocating', () => {
    const { diagnostics } = analyze('machine {\n  node 0 {\n    zone Normal 0x0+64T\n  }\n}\n');
    const e = diagnostics.find((d) => d.severity === 'error')!;
    assert.equal(e.loc.line, 3);
    assert.match(e.message, /cannot hold this machine.*MiB of state, above the 1024 MiB limit/);
    assert.throws(() => machine(spec({ zones: [['Normal', 0, 2 ** 34]] })), /cannot hold this machine/);
  });

  it('a sparse high layout is sized by its span and blames the range that makes it large', () => {
    const ok = checkMachineSize(spec({ zones: [['Normal', 2 ** 38, 2 ** 38 + 2 ** 18]] }));
    assert.equal(ok.error, null);
    assert.equal(ok.minPfn, 2 ** 38);
    assert.ok(ok.bytes < 2 ** 20, `${ok.bytes}`);
    const sparse = spec({ nodes: [{ nid: 0, zones: [['Normal', 0, 0x40000]] }, { nid: 1, zones: [['Normal', 2 ** 39, 2 ** 39 + 0x40000]] }], zones: [] });
    const r = checkMachineSize(sparse);
    assert.match(r.error!, /cannot hold this machine/);
    assert.equal(r.loc, sparse.nodes[1]!.zones[0]!.loc);
  });

  it('a 1 TiB machine is within the limits', () => {
    assert.equal(checkMachineSize(spec({ zones: [['Normal', 0, 2 ** 28]] })).error, null);
  });
});
