// `reserved START..END initmem`: memory the kernel holds while it computes the boot watermarks and frees after
// (free_initrd_mem, free_initmem → free_reserved_area → adjust_managed_page_count, nothing recomputed).
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/index.js';
import { runText } from './helpers.js';

const text = (r: string) => `machine {
  cpus 1
  node 0 {
    zone DMA   0x1..0x1000
    zone DMA32 0x1000..0x40000
    reserved 0x1000..0x2000
    reserved 0x2000..0x5000${r}
  }
}
`;
const dma32 = (r: string) => {
  const out = runText(text(r));
  const z = out.machine.c.zone(0, 1);
  return { managed: z.managed, free: out.machine.zones().find((v) => v.zone === 'DMA32')!.free, marks: [z.wmMin, z.wmLow, z.wmHigh], lowmem: [...z.lowmemReserve] };
};

/** the same machine without the range reserved at all */
const runFree = () => {
  const out = runText(text('').replace('    reserved 0x2000..0x5000\n', ''));
  const z = out.machine.c.zone(0, 1);
  return { managed: z.managed, marks: [z.wmMin, z.wmLow, z.wmHigh] };
};

describe('boot: init memory freed after the watermarks (reserved … initmem)', () => {
  it('managed and free grow by the range; the marks stay those of the reserved boot', () => {
    const held = dma32('');
    const late = dma32(' initmem');
    const none = runFree();
    assert.equal(late.managed, none.managed);
    assert.equal(late.managed - held.managed, 0x3000);
    assert.equal(late.free - held.free, 0x3000);
    assert.deepEqual(late.marks, held.marks);
    assert.notDeepEqual(late.marks, none.marks);
  });
  it('`initmem` and `uninitialised` exclude each other', () => {
    const a = analyze(text(' initmem uninitialised'));
    assert.ok(a.diagnostics.some((d) => d.severity === 'error' && /exclude each other/.test(d.message)), JSON.stringify(a.diagnostics));
  });
});
