// `expect ZONE.FIELD` reads what /proc/zoneinfo and /proc/pagetypeinfo print: watermarks, the highatomic
// reserve, the pagesets and the pageblock counts per migratetype (issue 8: replay a recording without loss).
import assert from 'node:assert/strict';
import { runText as run } from './helpers.js';
import { zoneinfo, pagetypeinfo } from '../../../src/sim/proc.js';

const machine = `machine {
  cpus 2
  node 0 {
    zone DMA32 0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
}
alloc order 0 unmovable count 40 cpu 1
pageblock 0x50000 reclaimable
`;

describe('expect: zoneinfo and pagetypeinfo fields', () => {
  it('min/low/high/promo, pcp_count/high/batch and blocks_* equal what the kernel formats print', () => {
    const m = run(machine).machine;
    const zi = zoneinfo(m);
    const sec = zi.slice(zi.indexOf('zone   Normal'));
    const num = (re: RegExp) => Number(re.exec(sec)![1]);
    const pti = pagetypeinfo(m);
    const row = /Node 0, zone   Normal\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(pti.slice(pti.indexOf('Number of blocks type')))!;
    const z = m.zones().find((v) => v.zone === 'Normal')!;
    const exp = [
      `expect Normal.min == ${num(/\n\s+min\s+(\d+)/)}`,
      `expect Normal.low == ${num(/\n\s+low\s+(\d+)/)}`,
      `expect Normal.high == ${num(/\n\s+high\s+(\d+)/)}`,
      `expect Normal.promo == ${num(/\n\s+promo\s+(\d+)/)}`,
      `expect Normal.pcp_count == ${z.pcp.reduce((n, p) => n + p.count, 0)}`,
      `expect Normal.pcp_count > 0`,
      `expect Normal.pcp_high == ${num(/\n\s+high:\s+(\d+)/)}`,
      `expect Normal.pcp_batch == ${num(/\n\s+batch:\s+(\d+)/)}`,
      `expect Normal.blocks_unmovable == ${row[1]}`,
      `expect Normal.blocks_movable == ${row[2]}`,
      `expect Normal.blocks_reclaimable == ${row[3]}`,
      `expect Normal.nr_reserved_highatomic == 0`,
    ];
    const out = run(machine + exp.join('\n') + '\n');
    assert.deepEqual(out.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    assert.equal(out.expectations.length, exp.length);
  });
  it('a wrong value fails with the value the simulator has', () => {
    const have = run(machine).machine.zones().find((v) => v.zone === 'Normal')!.pageblockCounts.reclaimable;
    assert.ok(have >= 1);
    const out = run(machine + `expect Normal.blocks_reclaimable == ${have + 1}\n`);
    assert.equal(out.expectations[0]!.ok, false);
    assert.match(out.expectations[0]!.message, new RegExp(`it is ${have}$`));
  });
});
