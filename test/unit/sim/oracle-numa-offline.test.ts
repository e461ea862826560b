// Replay of test/fixtures/oracle/g-numa-offline.json (cases/g-numa-offline.sh): two NUMA nodes of 1 GiB
// (-m 2G: all DMA32; node 1's memory ends at the e820 hole 0x7ffe0, so its DMA32 span ends there and memory15
// holds the hole: offline → -EINVAL "memory holes"), a 512 MiB DIMM on node 1 (memory32..35) onlined movable.
// offline_pages → do_migrate_range() drops the source node from the target nodemask (kmsg "nodemask=0"): with
// node 0 full of free 2 MiB huge pages, the shmem pages of memory32 find no target and the offline loops until
// the case script's signal (-EINTR, the block stays online); with room on node 0 it succeeds and Movable of
// node 1 shrinks to [0x108000, 0x120000).
// The layout: e820 holes, memblock-reserved pages so that managed = the kernel's (node 0: DMA 3840, DMA32
// 244284; node 1: DMA32 240880), the DIMM on node 1. The shmem is modelled as anon pages (both LRU, both
// migratable), 200 MiB from the start of memory32; node 0 is filled with `hugetlb 2M resize … node 0` as the
// case did; offline_signal_after is 3 passes (the script waited 20 s).
import assert from 'node:assert/strict';
import { loadRecording, replay, errnoOf } from './oracle-replay.js';
import { runText } from './helpers.js';

const rec = loadRecording('g-numa-offline');
const hx = (n: number) => '0x' + n.toString(16);
const machine = `policy offline_signal_after = 3
machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone DMA    0x1..0x1000
    zone DMA32  0x1000..0x40000
    hole 0x9f..0x100
    reserved 0x1..0x9f
    reserved 0x1000..${hx(0x1000 + 258048 - 244284)}
  }
  node 1 {
    zone DMA32  0x40000..0x7ffe0
    reserved 0x40000..${hx(0x40000 + 262112 - 240880)}
    hotplug 0x100000..0x120000 offline
  }
}
`;
const fill = `hugetlb 2M resize 100000 node 0
pages 0x100000..0x10c800 anon`;
const room = 'hugetlb 2M resize 0 node 0';

describe('oracle g-numa-offline: two nodes, offlining node 1 with node 0 full / not full (6.12.117)', () => {
  it('the recording: the offline with node 0 full was signalled (rc 143), with room it succeeded', () => {
    assert.deepEqual(rec.block_actions.map(errnoOf), ['ok', 'ok', 'ok', 'ok', 'EINTR', 'ok', 'EINVAL', 'EINVAL']);
  });
  it('every write, every block state and valid_zones, every zone span/present/managed of both nodes match the kernel', () => {
    replay(rec, machine, { 3: 'after-online-movable', 4: 'after-offline-32-node0-full', 5: 'after-offline-32-node0-room', 7: 'after-online-15' },
      { insert: { 4: fill, 5: room } });
  });
  it('the pages of memory32 went to node 0 only', () => {
    const out = runText(machine + rec.block_actions.slice(0, 4).map((a) => `online block ${a.block} ${a.value}`).join('\n') + `\n${fill}\n${room}\noffline block 32 as off\n`);
    const r = out.ops.find((x) => x.name === 'off')!.result;
    assert.equal(r.ok, true, r.reason ?? '');
    assert.ok(r.migrations.length > 0);
    for (const m of r.migrations) assert.ok(m.dst !== null && m.dst < 0x40000, `target ${hx(m.dst ?? -1)}`);
  });
});
