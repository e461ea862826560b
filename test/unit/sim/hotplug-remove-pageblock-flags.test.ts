// The pageblock flags of a section live in its mem_section_usage: section_deactivate() (mm/sparse.c) frees it when
// the section is fully removed, and section_activate() allocates it zeroed again (kzalloc) on the next add. So a
// range that is removed and added again has no PB_migrate_skip hints and migratetype 0 (UNMOVABLE) until online
// (memmap_init_range sets MOVABLE). Before, the skip hints of the removed range survived the re-add.
import { strict as assert } from 'node:assert';
import { run, runText } from './helpers.js';
import { UNMOVABLE, RECLAIMABLE } from '../../../src/sim/consts.js';

const TEXT = `machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone DMA 0x1..0x1000
    zone DMA32 0x1000..0x3ffe0
    hotplug 0x100000..0x120000 absent
  }
}
add_memory 0x100000..0x120000 node 0
online block 32 online_movable
`;
const BLK = { start: 0x100000, end: 0x120000 };

describe('remove_memory frees the removed sections\' pageblock flags (section_deactivate)', () => {
  it('skip hints and stored migratetypes of a removed range do not survive a re-add', () => {
    const m = runText(TEXT).machine;
    const c = m.c;
    c.setSkip(0x100000, true);
    c.setSkip(0x11fe00, true);
    c.pbMt[c.pbi(0x100400)] = RECLAIMABLE;
    for (const op of [{ op: 'offline', block: 32 }, { op: 'remove_memory', ...BLK }, { op: 'add_memory', ...BLK, nid: 0 }] as const) {
      const r = run(m, op);
      assert.equal(r.ok, true, `${op.op}: ${r.reason}`);
      assert.deepEqual(m.checkInvariants(), [], op.op);
    }
    // re-added, offline: the zeroed usemap
    for (let p = BLK.start; p < BLK.end; p += c.pbPages) {
      assert.equal(c.getSkip(p), false, `skip at ${p.toString(16)}`);
      assert.equal(c.pbMt[c.pbi(p)], UNMOVABLE, `migratetype at ${p.toString(16)}`);
    }
    assert.equal(run(m, { op: 'online', block: 32, type: 'online_movable' }).ok, true);
    assert.equal(c.getSkip(0x100000), false);
    assert.deepEqual(m.checkInvariants(), []);
  });
  it('offline alone keeps them: the section stays present with its usemap (offline_pages), online finds the hints', () => {
    const m = runText(TEXT).machine;
    m.c.setSkip(0x100000, true);
    assert.equal(run(m, { op: 'offline', block: 32 }).ok, true);
    assert.deepEqual(m.checkInvariants(), []);
    assert.equal(m.c.getSkip(0x100000), true);
    assert.equal(run(m, { op: 'online', block: 32, type: 'online_movable' }).ok, true);
    assert.equal(m.c.getSkip(0x100000), true);
    assert.deepEqual(m.checkInvariants(), []);
  });
});
