// `sysctl vm.NAME VALUE`: each knob the simulator reads changes the answer as the kernel function that reads it says.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { blank, run, runChecked, runText } from './helpers.js';
import type { Operation } from '../../../src/sim/scenario.js';
import { recomputeWatermarks } from '../../../src/sim/watermark.js';

const MACHINE = (extra = '', zones = 'zone Normal 0x8000..0x10000') => `kernel 6.12
machine {
  ${extra}
  node 0 {
    ${zones}
  }
}
`;

const errors = (text: string) => analyze(text).diagnostics.filter((d) => d.severity === 'error');

describe('sysctl: the vm knobs the simulator reads', () => {
  it('vm.watermark_scale_factor spaces the watermarks by managed * factor / 10000 (__setup_per_zone_wmarks)', () => {
    const before = runText(MACHINE()).machine.zones()[0]!.watermarks;
    const out = runText(`${MACHINE()}sysctl vm.watermark_scale_factor = 200\n`);
    const zv = out.machine.zones()[0]!;
    const z = { ...zv.watermarks, managed: zv.managed };
    assert.equal(z.min, before.min);
    const delta = Math.max(z.min >> 2, Math.floor((z.managed * 200) / 10000));
    assert.ok(delta > before.low - before.min);
    assert.equal(z.low, z.min + delta);
    assert.equal(z.high, z.low + delta);
  });

  it('vm.min_free_kbytes sets the min watermark (min_free_kbytes_sysctl_handler); a hotplug-time recompute keeps a larger user value (calculate_min_free_kbytes)', () => {
    const out = runText(`${MACHINE()}sysctl vm.min_free_kbytes 65536\n`);
    const m = out.machine;
    assert.equal(m.zones()[0]!.watermarks.min, 65536 / 4);
    // init_per_zone_wmark_min() after a memory online: int_sqrt(16 * lowmem_kbytes) is smaller than the user's value
    recomputeWatermarks(m.c);
    assert.equal(m.c.minFreeKbytes, 65536);
    assert.equal(m.zones()[0]!.watermarks.min, 65536 / 4);
    // without the sysctl the same recompute gives the computed value (THP recommendation)
    const d = runText(MACHINE()).machine;
    recomputeWatermarks(d.c);
    assert.ok(d.c.minFreeKbytes < 65536);
  });

  it('vm.lowmem_reserve_ratio sets the lower zones\' reserves (setup_per_zone_lowmem_reserve)', () => {
    const zones = 'zone DMA32 0x1000..0x8000\n    zone Normal 0x8000..0x10000';
    const def = runText(MACHINE('', zones)).machine.zones().find((z) => z.zone === 'DMA32')!;
    const normal = runText(MACHINE('', zones)).machine.zones().find((z) => z.zone === 'Normal')!;
    assert.equal(def.lowmem_reserve[2], Math.floor(normal.managed / 256));
    const z = runText(`${MACHINE('', zones)}sysctl vm.lowmem_reserve_ratio 256 64\n`).machine.zones().find((x) => x.zone === 'DMA32')!;
    assert.equal(z.lowmem_reserve[2], Math.floor(normal.managed / 64));
    const off = runText(`${MACHINE('', zones)}sysctl vm.lowmem_reserve_ratio 256 0\n`).machine.zones().find((x) => x.zone === 'DMA32')!;
    assert.equal(off.lowmem_reserve[2], 0);
  });

  it('vm.swappiness weighs anon against file in get_scan_count: 200 reclaims anon first, 0 file only', () => {
    const text = (sw: number) => `${MACHINE('swap 4G')}pages 0x8000..0xc000 anon
pages 0xc000..0xff80 file active
sysctl vm.swappiness ${sw}
alloc order 0 unmovable gfp GFP_KERNEL as a
`;
    const hi = runChecked(text(200)).byName.get('a')!;
    assert.equal(hi.ok, true, hi.reason ?? '');
    assert.ok(hi.slowpath!.reclaimed.inactive_anon > 0, hi.slowpath!.text);
    assert.equal(hi.slowpath!.reclaimed.inactive_file, 0, hi.slowpath!.text);
    const lo = runChecked(text(0)).byName.get('a')!;
    assert.equal(lo.ok, true, lo.reason ?? '');
    assert.equal(lo.slowpath!.reclaimed.inactive_anon, 0, lo.slowpath!.text);
    assert.ok(lo.slowpath!.reclaimed.inactive_file > 0, lo.slowpath!.text);
  });

  it('vm.extfrag_threshold: a costly order with a fragmentation index at or below it is not compacted (__compaction_suitable)', () => {
    const text = (t: string) => `${MACHINE()}fill Normal 85% movable
${t}compact Normal order 9 as c
`;
    const def = runChecked(text('')).byName.get('c')!;
    assert.doesNotMatch(def.reason ?? '', /extfrag_threshold/);
    const hi = runChecked(text('sysctl vm.extfrag_threshold 1000\n')).byName.get('c')!;
    assert.match(hi.reason ?? '', /fragmentation_index \d+ <= extfrag_threshold 1000/);
  });

  it('vm.compaction_proactiveness: 0 turns proactive compaction off, the default compacts a fragmented node (should_proactive_compact_node)', () => {
    const text = (t: string) => `${MACHINE()}fill Normal 85% movable
${t}kcompactd as k
`;
    const def = runChecked(text('')).byName.get('k')!;
    assert.match(def.reason ?? '', /proactive/);
    assert.doesNotMatch(def.reason ?? '', /off/);
    const off = runChecked(text('sysctl vm.compaction_proactiveness 0\n')).byName.get('k')!;
    assert.match(off.reason ?? '', /proactive compaction is off \(compaction_proactiveness 0\)/);
  });

  it('unknown names, unmodelled knobs, values out of range and too many values are errors at the location', () => {
    const e1 = errors(`${MACHINE()}sysctl vm.swapiness 10\n`);
    assert.equal(e1.length, 1);
    assert.match(e1[0]!.message, /unknown sysctl `vm.swapiness` \(did you mean `vm.swappiness`\?\); sysctls: vm.compaction_proactiveness, .*vm.lowmem_reserve_ratio/);
    assert.equal(e1[0]!.loc.line, 8);
    assert.equal(e1[0]!.loc.col, 8);
    assert.match(errors(`${MACHINE()}sysctl vm.watermark_boost_factor 0\n`)[0]!.message, /not modelled/);
    assert.match(errors(`${MACHINE()}sysctl vm.compaction_proactiveness 101\n`)[0]!.message, /between 0 and 100, not 101/);
    assert.match(errors(`${MACHINE()}sysctl vm.watermark_scale_factor 0\n`)[0]!.message, /between 1 and 3000/);
    assert.match(errors(`${MACHINE()}sysctl vm.swappiness 1 2\n`)[0]!.message, /takes one value/);
    assert.match(errors(`${MACHINE()}sysctl kernel.foo 1\n`)[0]!.message, /unknown sysctl/);
  });
});

describe('sysctl operations built outside the language (proc_dointvec_minmax)', () => {
  it('an unknown knob or a value out of range is -EINVAL and changes nothing, not an internal error', () => {
    const m = blank(0x10000, '6.12');
    const before = m.c.sysctl.compaction_proactiveness;
    const unknown = run(m, { op: 'sysctl', name: 'dirty_ratio', values: [10] } as Operation);
    assert.equal(unknown.ok, false);
    assert.equal(unknown.errno, 'EINVAL');
    assert.match(unknown.reason ?? '', /vm\.dirty_ratio is not a sysctl the simulator models/);
    const range = run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [101] } as Operation);
    assert.equal(range.errno, 'EINVAL');
    assert.equal(m.c.sysctl.compaction_proactiveness, before);
    assert.equal(run(m, { op: 'sysctl', name: 'compaction_proactiveness', values: [0] } as Operation).ok, true);
    assert.equal(m.c.sysctl.compaction_proactiveness, 0);
  });
});
