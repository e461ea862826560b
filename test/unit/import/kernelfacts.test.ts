// Kernel facts an import carries (issue 14): CONFIG_CMA (`config_cma off`: no CMA rows in pagetypeinfo) and
// pageblocks whose memmap is not initialised (`reserved … uninitialised`: not counted in "Number of blocks").
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';
import { pagetypeinfo } from '../../../src/sim/proc.js';

const machine = (extra: string, node = '') => `machine {\n  cpus 1\n${extra}  node 0 {\n    zone Normal 0x0..0x8000\n${node}  }\n}\n`;
function run(text: string) {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const [o] = runScenario(scenario!);
  assert.deepEqual(o!.errors, []);
  return o!.machine;
}

describe('config_cma', () => {
  it('off: /proc/pagetypeinfo has no CMA rows and no CMA column', () => {
    const t = pagetypeinfo(run(machine('  config_cma off\n')));
    assert.doesNotMatch(t, /CMA/);
    assert.match(t, /Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \nNode 0, zone   Normal            0           64            0            0            0 \n/);
  });
  it('on (the default): CMA rows and column', () => {
    assert.match(pagetypeinfo(run(machine(''))), /type          CMA/);
  });
  it('a cma area needs CONFIG_CMA', () => {
    const d = analyze(machine('  config_cma off\n  cma a 0x4000..0x6000\n')).diagnostics.filter((x) => x.severity === 'error');
    assert.match(d.map((x) => x.message).join('\n'), /needs CONFIG_CMA/);
  });
  it('a bad value names the choices', () => {
    assert.ok(analyze(machine('  config_cma maybe\n')).diagnostics.some((x) => x.severity === 'error'));
  });
});

describe('reserved … uninitialised', () => {
  it('present, not managed, and its pageblocks not counted (pagetypeinfo_showblockitemcount)', () => {
    const m = run(machine('', '    reserved 0x6000..0x8000 uninitialised\n'));
    const z = m.zones()[0]!;
    assert.deepEqual([z.spanned, z.present, z.managed], [0x8000, 0x8000, 0x6000]);
    assert.equal(Object.values(z.pageblockCounts).reduce((a, b) => a + b, 0), 0x6000 / 512);
  });
  it('plain reserved pageblocks are still counted', () => {
    const z = run(machine('', '    reserved 0x6000..0x8000\n')).zones()[0]!;
    assert.equal(Object.values(z.pageblockCounts).reduce((a, b) => a + b, 0), 64);
  });
  it('an unknown flag is an error', () => {
    assert.ok(analyze(machine('', '    reserved 0x6000..0x8000 uninit\n')).diagnostics.some((x) => x.severity === 'error' && /uninitialised/.test(x.message)));
  });
});
