// memory_hotplug.auto_movable_numa_aware (mm/memory_hotplug.c auto_movable_zone_for_pfn): with it (the default, Y)
// auto_movable_can_online_movable() is asked once system-wide (NUMA_NO_NODE) and once for the block's node; without it
// only system-wide. Two nodes: node 0 has 4 GiB of kernel memory, node 1 only 32 MiB; a 128 MiB DIMM on node 1 fits the
// global MOVABLE:KERNEL ratio (301%) but not node 1's (32768 > 301% of 8192).
import assert from 'node:assert/strict';
import { runText as run } from './helpers.js';
import { analyze } from '../../../src/language/index.js';
import type { RunOutcome } from '../../../src/sim/runner.js';

const M = (pol: string) => `kernel 6.12
policy online_policy = auto-movable
${pol}
machine {
  node 0 {
    zone Normal 0x100000..0x200000
  }
  node 1 {
    zone Normal 0x200000..0x202000
    hotplug 0x208000..0x210000 offline
  }
}
`;
const failed = (o: RunOutcome) => o.expectations.filter((e) => !e.ok).map((e) => e.message);

describe('auto_movable_numa_aware (auto_movable_zone_for_pfn)', () => {
  it('on (default): the node ratio keeps the DIMM on node 1 out of ZONE_MOVABLE', () => {
    const o = run(`${M('')}expect block 65 valid_zones "Normal Movable"
online block 65 online
expect block 65 online Normal
`);
    assert.deepEqual(failed(o), []);
  });

  it('off: only the system-wide ratio counts, so the DIMM goes to ZONE_MOVABLE', () => {
    const o = run(`${M('policy auto_movable_numa_aware = off')}expect block 65 valid_zones "Movable Normal"
online block 65 online
expect block 65 online Movable
`);
    assert.deepEqual(failed(o), []);
  });

  it('the policy takes on | off only', () => {
    const d = analyze(`${M('policy auto_movable_numa_aware = maybe')}`).diagnostics.filter((x) => x.severity === 'error');
    assert.equal(d.length, 1);
    assert.match(d[0].message, /on, off|on\b.*off/);
    assert.equal(d[0].loc.line, 3); // the policy line, with a location
  });
});
