// `expect page PFN` accepts every pfn the machine has a struct page for, not only pfns inside a zone span:
// memmap_init() (mm/mm_init.c) gives the holes of a present section (pfn 0 before the first memory range, the tail
// after the last range up to its section end) struct pages with init_unavailable_range(): PG_reserved, in the zone
// of the next range (pfn 0: DMA). A pfn whose section has no memory has no memmap at all (!pfn_valid()) and is an
// error with its location.
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';

const M = `machine {
  node 0 {
    zone DMA   0x1..0x1000
    zone DMA32 0x1000..0x7f000
  }
}
`;
const errors = (t: string) => analyze(t).diagnostics.filter((d) => d.severity === 'error');

function run(text: string) {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const [o] = runScenario(scenario!);
  return o!.expectations;
}

describe('expect page of a pfn outside every zone span', () => {
  it('pfn 0 is a reserved page in DMA (init_unavailable_range)', () => {
    const ex = run(`${M}expect page 0x0 reserved\nexpect page 0x0 free\n`);
    assert.equal(ex[0]!.ok, true, ex[0]!.message);
    assert.equal(ex[1]!.ok, false);
    assert.match(ex[1]!.message, /page 0x0 is .*reserved/);
  });
  it('the tail of the last section after the last range is reserved too', () => {
    const ex = run(`${M}expect page 0x7f800 reserved\n`);
    assert.equal(ex[0]!.ok, true, ex[0]!.message);
  });
  it('a pfn with no memmap is an error at its location', () => {
    const e = errors(`${M}expect page 0x90000 reserved\n`);
    assert.equal(e.length, 1);
    assert.equal(e[0]!.loc.line, 7);
    assert.match(e[0]!.message, /pfn 0x90000 has no struct page/);
  });
  it('other operations still refuse pfn 0', () => {
    assert.equal(errors(`${M}page 0x0 anon\n`).length, 1);
  });
});
