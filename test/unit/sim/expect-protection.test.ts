import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';
import { zoneinfo } from '../../../src/sim/proc.js';
import { guest1G } from './oracle-replay.js';

// `expect ZONE.protection_<zone>`: /proc/zoneinfo's `protection: (…)` values (zone->lowmem_reserve[],
// setup_per_zone_lowmem_reserve in mm/page_alloc.c), checked against a 6.12.117 recording
// (p-pagecache-hugetlb, 1 GiB: DMA's protection is (0, 950, 950, 950, 950), DMA32 managed 243,347 / ratio 256).
const rec = JSON.parse(readFileSync(join(__dirname, '../../fixtures/oracle/p-pagecache-hugetlb.json'), 'utf8')) as {
  snapshots: Record<string, { zoneinfo: Record<string, { protection: number[] }> }>;
};
const MACHINE = guest1G();

describe('expect ZONE.protection_<zone> (lowmem_reserve, zoneinfo protection:)', () => {
  it('reads the same five values zoneinfo prints', () => {
    const { scenario } = analyze(MACHINE);
    const m = runScenario(scenario!)[0]!.machine;
    const line = /Node 0, zone\s+DMA\n(?:.*\n)*?\s+protection: \((.*)\)/.exec(zoneinfo(m))![1]!.split(', ').map(Number);
    const exp = ['dma', 'dma32', 'normal', 'movable', 'device'].map((z, i) => `expect DMA.protection_${z} == ${line[i]}`).join('\n');
    const r = runScenario(analyze(`${MACHINE}${exp}\n`).scenario!)[0]!;
    assert.deepEqual(r.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    assert.equal(r.expectations.length, 5);
  });
  it('the 1 GiB guest of the 6.12 recording: DMA is protected by 950 pages against DMA32 and higher requests', () => {
    assert.deepEqual(rec.snapshots.before!.zoneinfo.DMA!.protection, [0, 950, 950, 950, 950]);
    // DMA32's managed pages in the recording: 243,347 (present 258,013); lowmem_reserve = managed / ratio 256
    const m = guest1G('reserved 0x1000..0x4946');
    const r = runScenario(analyze(`${m}
expect DMA.protection_dma == 0
expect DMA.protection_dma32 == 950
expect DMA.protection_movable == 950
expect DMA32.protection_normal == 0
`).scenario!)[0]!;
    assert.deepEqual(r.expectations.filter((e) => !e.ok).map((e) => e.message), []);
  });
  it('an unknown protection field is an error at the field', () => {
    const d = analyze(`${MACHINE}expect DMA.protection_highmem == 0\n`).diagnostics.filter((x) => x.severity === 'error');
    assert.match(d[0]!.message, /protection_highmem/);
  });
});
