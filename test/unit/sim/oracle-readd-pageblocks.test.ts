// Replays test/fixtures/oracle/i-readd-pageblocks.json (Debian 6.12.117 under qemu, cases/i-readd-pageblocks.sh):
// a 512 MiB DIMM at 4 GiB (blocks 32-35) onlined kernel in a 1 GiB guest, so it is the only ZONE_NORMAL and the
// kernel's own allocations claim MOVABLE pageblocks there (steal_suitable_fallback: UNMOVABLE / RECLAIMABLE), all in
// block 32, the first onlined (its free blocks head the free lists; online_pages frees each later block to the tail).
// What the kernel shows in /proc/pagetypeinfo's "Number of blocks type" table of Normal:
// - offline of blocks 33-35 takes their 192 pageblocks out of the table; online_kernel brings all 192 back Movable
//   (online_pages → move_pfn_range_to_zone → memmap_init_range(MIGRATE_ISOLATE), then
//   undo_isolate_page_range(MIGRATE_MOVABLE)), and block 32's claimed pageblocks keep their types;
// - block 32, holding unmovable kernel pages, fails offline with -EBUSY (has_unmovable_pages), so the DIMM's removal
//   (device_del → ACPI eject → offline) fails too: the recording has no remove / re-add (the simulator's rule that a
//   removed section's pageblock flags are freed, section_deactivate, is checked in hotplug-remove-pageblock-flags
//   .test.ts; after a re-add, online would make every pageblock Movable either way, as above).
import assert from 'node:assert/strict';
import { errnoOf, guest1G, loadRecording } from './oracle-replay.js';
import { resultOf, runText } from './helpers.js';
import type { Migratetype } from '../../../src/sim/scenario.js';

type Blocks = Record<string, number>;
interface Snap { pagetypeinfo: { pageblocks_by_migratetype: Record<string, Blocks> }; pfnscan?: { blocks: Record<string, Record<string, number>> } }
const rec = loadRecording('i-readd-pageblocks');
const snaps = rec.snapshots as unknown as Record<string, Snap>;
const kNormal = (s: string): Blocks => snaps[s]!.pagetypeinfo.pageblocks_by_migratetype.Normal!;

/** the kernel's unmovable pages left in block 32 after the churn was freed (slab, page tables, no flags) */
const left = snaps['churn-freed']!.pfnscan!.blocks.memory32!;
const HELD = left.slab! + left.pgtable! + left.noflags!;

const MACHINE = `${guest1G('hotplug 0x100000..0x120000 absent')}add_memory 0x100000..0x120000 node 0
online block 32 online_kernel
online block 33 online_kernel
online block 34 online_kernel
online block 35 online_kernel
`;
const CHURN = `alloc order 0 unmovable count ${HELD} as k
`;
const OFFLINE = 'offline block 32 as o32\noffline block 33\noffline block 34\noffline block 35\n';
const REONLINE = 'online block 33 online_kernel\nonline block 34 online_kernel\nonline block 35 online_kernel\n';

function simNormal(text: string): Record<Migratetype, number> {
  const o = runText(text);
  const z = o.machine.zones().find((x) => x.zone === 'Normal');
  assert.ok(z, 'Normal is populated');
  return z.pageblockCounts;
}

describe('oracle i-readd-pageblocks: pageblock types of offlined and re-onlined hot-added memory (6.12.117)', () => {
  it('the recording: block 32 fails offline (-EBUSY) twice, 33-35 offline and online; nothing is removed', () => {
    const acts = rec.block_actions.map((a) => `${a.block} ${a.value} ${errnoOf(a)}`);
    assert.deepEqual(acts.slice(4, 11), ['32 offline EBUSY', '33 offline ok', '34 offline ok', '35 offline ok',
      '33 online_kernel ok', '34 online_kernel ok', '35 online_kernel ok']);
    assert.ok(rec.boot && Object.keys(snaps['after-readd-online']!.pagetypeinfo.pageblocks_by_migratetype).includes('Normal'));
  });
  it('the kernel: offline of 33-35 removes 192 Movable pageblocks, online_kernel brings 192 Movable back, the claimed ones stay', () => {
    const [churned, off, re] = [kNormal('churn-freed'), kNormal('offlined'), kNormal('reonlined')];
    assert.ok(churned.Unmovable! + churned.Reclaimable! > 0, 'the churn claimed pageblocks');
    assert.equal(churned.Movable! - off.Movable!, 192);
    assert.equal(re.Movable! - off.Movable!, 192);
    for (const t of ['Unmovable', 'Reclaimable', 'HighAtomic', 'Isolate']) {
      assert.equal(off[t], churned[t], `${t} after offline`);
      assert.equal(re[t], churned[t], `${t} after re-online`);
    }
  });
  it('the simulator, same steps: the same errors and the same pageblock table moves', () => {
    const o = runText(MACHINE + CHURN + OFFLINE + REONLINE);
    const o32 = resultOf(o, 'o32');
    assert.equal(o32.ok, false, 'block 32 holds the unmovable pages');
    assert.equal(o32.errno, 'EBUSY');
    const churned = simNormal(MACHINE + CHURN);
    const off = simNormal(MACHINE + CHURN + OFFLINE);
    const re = simNormal(MACHINE + CHURN + OFFLINE + REONLINE);
    assert.equal(simNormal(MACHINE).movable, 256, 'a freshly onlined block: every pageblock Movable');
    assert.ok(churned.unmovable > 0, 'the unmovable allocations claimed pageblocks');
    assert.equal(churned.movable - off.movable, 192);
    assert.equal(re.movable - off.movable, 192);
    for (const t of ['unmovable', 'reclaimable', 'highatomic', 'isolate'] as const) {
      assert.equal(off[t], churned[t], `${t} after offline`);
      assert.equal(re[t], churned[t], `${t} after re-online`);
    }
  });
});

