// The `pageblock PFN TYPE` population statement: parse, lower, validate, complete, hover, run.
import assert from 'node:assert/strict';
import { analyze, complete, hover } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';

const LAYOUT = `machine {
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
}
`;
const errors = (t: string) => analyze(t).diagnostics.filter((d) => d.severity === 'error');

describe('pageblock statement', () => {
  it('lowers to a pageblock operation', () => {
    const { scenario, diagnostics } = analyze(`${LAYOUT}pageblock 0x40200 unmovable\n`);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
    const st = scenario!.steps[0]!;
    assert.equal(st.kind, 'op');
    assert.deepEqual(st.kind === 'op' && st.op, { op: 'pageblock', pfn: 0x40200, migratetype: 'unmovable' });
  });

  it('rejects cma, isolate, unknown types and pfns outside memory', () => {
    assert.match(errors(`${LAYOUT}pageblock 0x40200 cma\n`)[0]!.message, /unknown pageblock migratetype `cma`.*unmovable, movable, reclaimable, highatomic/);
    assert.match(errors(`${LAYOUT}pageblock 0x40200 unmovabel\n`)[0]!.message, /did you mean `unmovable`/);
    assert.equal(errors(`${LAYOUT}pageblock 0x90000 movable\n`).length, 1);
    assert.equal(errors(`${LAYOUT}pageblock 0x40200\n`).length, 1);
  });

  it('moves the free blocks of the pageblock to the new list; highatomic is reserved', () => {
    const text = `${LAYOUT}pages 0x40201..0x40400 kernel\npageblock 0x40200 unmovable\npageblock 0x40400 highatomic
expect pageblock 0x40200 unmovable
expect freelist Normal unmovable order 0 == 1
expect freelist Normal highatomic order 10 == 1
expect freelist Normal movable order 9 == 1
`;
    const { scenario } = analyze(text);
    const [o] = runScenario(scenario!);
    assert.deepEqual(o!.errors, []);
    assert.deepEqual(o!.expectations.filter((e) => !e.ok), []);
    assert.equal(o!.machine.checkInvariants().length, 0);
    const z = o!.machine.zones().find((v) => v.zone === 'Normal')!;
    assert.equal(z.nr_reserved_highatomic, 1024);
    assert.equal(z.pageblockCounts.unmovable, 1);
    assert.equal(z.pageblockCounts.highatomic, 2);
    assert.equal(z.pageblockCounts.movable, 509);
  });

  it('completes the types and documents the statement on hover', () => {
    const text = `${LAYOUT}pageblock 0x40200 `;
    const lines = text.split('\n');
    const items = complete(text, lines.length, lines[lines.length - 1]!.length + 1).map((i) => i.label);
    for (const t of ['unmovable', 'movable', 'reclaimable']) assert.ok(items.includes(t), `${t} in ${items.join(',')}`);
    const h = hover(`${LAYOUT}pageblock 0x40200 movable\n`, 7, 3);
    assert.match(h?.contents ?? '', /set_pageblock_migratetype/);
  });
});

describe('hole statement', () => {
  it('a hole is spanned but not present, and not online', () => {
    const text = `machine {
  node 0 {
    zone DMA 0x1..0x1000
    hole 0x9f..0x100
  }
}
expect DMA.spanned == 4095
expect DMA.present == 3998
expect page 0xa0 free
`;
    const { scenario, diagnostics } = analyze(text);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
    const [o] = runScenario(scenario!);
    const ex = o!.expectations;
    assert.equal(ex[0]!.ok, true, ex[0]!.message);
    assert.equal(ex[1]!.ok, true, ex[1]!.message);
    assert.equal(ex[2]!.ok, false);
    assert.equal(o!.machine.checkInvariants().length, 0);
  });
  it('a hole outside every zone is an error', () => {
    assert.match(errors(`machine {\n  node 0 {\n    zone DMA 0x1..0x1000\n    hole 0x2000..0x3000\n  }\n}\n`)[0]!.message, /hole 0x2000\.\.0x3000 is not inside a zone/);
  });
});
