// The application layer every front end runs scenarios through (src/app): preparing a run and wording its report.
import assert from 'node:assert/strict';
import { findVariant, namesKernel, prepareRun, runVariants, startRun } from '../../../src/app/run.js';
import { countsText, internalLine, reportLines } from '../../../src/app/report.js';
import { runScenario, type RunOutcome } from '../../../src/sim/runner.js';

const MACHINE = 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\n';

describe('app: prepareRun', () => {
  it('returns the scenario, or the errors that prevent a run', () => {
    const good = prepareRun(MACHINE + 'page 0x100010 anon\n');
    assert.equal(good.ok, true);
    assert.equal(good.scenario?.steps.length, 1);
    const bad = prepareRun(MACHINE + 'frobnicate 3\n');
    assert.equal(bad.ok, false);
    assert.equal(bad.scenario, null);
    assert.ok(!bad.ok && bad.errors.length === 1 && /unknown statement/.test(bad.errors[0]!.message));
  });

  it('applies a kernel preset only to a scenario that names no kernel itself (comments do not count)', () => {
    assert.equal(prepareRun(MACHINE, { kernelPreset: '6.12' }).scenario?.kernel, '6.12');
    assert.equal(prepareRun('kernel latest\n' + MACHINE, { kernelPreset: '6.12' }).scenario?.kernel, 'latest');
    assert.equal(prepareRun('# kernel latest\n' + MACHINE, { kernelPreset: '6.12' }).scenario?.kernel, '6.12');
    assert.equal(prepareRun(MACHINE).scenario?.kernel, 'latest');
    assert.equal(namesKernel('  kernel 6.12 // old'), true);
    assert.equal(namesKernel('// kernel 6.12'), false);
  });

  it('finds variants and starts the machine of one', () => {
    const p = prepareRun(MACHINE + 'variant a { kernel 6.12 }\nvariant b { kernel latest }\npage 0x100010 anon\n');
    const s = p.scenario!;
    assert.deepEqual(runVariants(s).map((v) => v?.name), ['a', 'b']);
    assert.equal(findVariant(s, 'b')?.name, 'b');
    assert.equal(findVariant(s, 'c'), undefined);
    const run = startRun(s, findVariant(s, 'a')!);
    run.runToEnd(() => false);
    assert.equal(run.outcome().variant, 'a');
    assert.deepEqual(runVariants(prepareRun(MACHINE).scenario!), [null]);
  });
});

describe('app: the run report', () => {
  const outcome = (text: string): RunOutcome => runScenario(prepareRun(text).scenario!)[0]!;

  it('lists operations, failed expectations and the counts', () => {
    const o = outcome(MACHINE + 'page 0x100010 anon\nalloc order 0 movable as a\nexpect a ok\nexpect a -ENOMEM\n');
    const lines = reportLines('f.mmscn', o, { steps: 4, internal: 'apart' });
    assert.equal(lines[0], 'f.mmscn:6: page: ✓ ok');
    assert.equal(lines[1], 'f.mmscn:7: alloc a: ✓ ok');
    assert.match(lines[2]!, /^f\.mmscn:9:1: expectation failed: /);
    assert.equal(lines[3], '2 operations, 1/2 expectations hold');
    // the editor's output leaves out population that succeeded
    assert.deepEqual(reportLines('f.mmscn', o, { steps: 4, internal: 'inline', quietPopulation: true }).slice(0, 1), ['f.mmscn:7: alloc a: ✓ ok']);
    assert.equal(countsText(3, [{ ok: true }, { ok: false }]), '3 operations, 1/2 expectations hold');
    assert.equal(internalLine('f.mmscn', o, 4), null);
  });

  it('a free of a label reclaim swapped out says how many pages were in swap (the slots it freed)', () => {
    const o = outcome('kernel 6.12\nmachine {\n  swap 4G\n  node 0 {\n    zone Normal 0x8000..0x10000\n  }\n}\n'
      + 'alloc order 0 movable count 300 as x\nfill Normal 90% anon\nalloc order 0 unmovable count 2000 gfp GFP_KERNEL as a\nfree x\nfree a\n');
    const lines = reportLines('f.mmscn', o, { steps: 5, internal: 'apart' });
    assert.equal(lines[3], 'f.mmscn:11: free: ✓ ok — 300 of 300 pages were swapped out: 300 swap slots freed (zap_pte_range → free_swap_and_cache_nr), 0 resident pages freed');
    // nothing of a was in swap: the plain line
    assert.equal(lines[4], 'f.mmscn:12: free: ✓ ok');
  });

  it('says a line repeated by one statement once, with its count', () => {
    const o = outcome(MACHINE + 'pages 0x100010..0x100011 anon every 16 count 5\nalloc order 0 movable as a\n');
    const lines = reportLines('f.mmscn', o, { steps: 6, internal: 'apart' });
    assert.deepEqual(lines, ['f.mmscn:6: page: ✓ ok (×5)', 'f.mmscn:7: alloc a: ✓ ok', '6 operations, 0/0 expectations hold']);
  });

  it('heads each variant', () => {
    const outs = runScenario(prepareRun(MACHINE + 'variant a { kernel 6.12 }\npage 0x100010 anon\n').scenario!);
    const lines = reportLines('f.mmscn', outs[0]!, { steps: 1, internal: 'apart' });
    assert.equal(lines[0], '== variant a');
    assert.equal(lines[lines.length - 1], 'variant a: 1 operations, 0/0 expectations hold');
  });
});
