// The oracle recordings (/work/shared/oracle: Debian 6.12.117 under qemu, 1 GiB boot RAM, pc-dimm DIMMs
// coldplugged offline) replayed on the hotplug rules with a stand-in allocator (hotplug-fake.ts).
// Checked exactly: the zone each write picks, zone start/end/spanned/present/managed after every step,
// block states, valid_zones, errors. Free counts are NOT compared here: the kernel allocates from a
// freshly onlined Normal block right away (its fr= is a few hundred pages below managed and the buddy
// shows split order-10 blocks), which the allocator replay in oracle-machine tests accounts for.
import assert from 'node:assert/strict';
import { memoryBlockOnline } from '../../../src/sim/hotplug/online.js';
import { memoryBlockOffline } from '../../../src/sim/hotplug/offline.js';
import { validZones } from '../../../src/sim/hotplug/zones.js';
import { selectCtx } from '../../../src/sim/hotplug/online.js';
import type { OpResult } from '../../../src/sim/api.js';
import type { OnlineType } from '../../../src/sim/hotplug/types.js';
import type { ZoneName } from '../../../src/sim/scenario.js';
import { FakeHost, oracleSpec } from './hotplug-fake.js';

const GiB = 262144;
const D1: [number, number] = [0x100000, 0x100000 + GiB]; // blocks 32..39
const D2: [number, number] = [0x140000, 0x140000 + GiB / 2]; // blocks 40..43

function online(h: FakeHost, id: number, type: OnlineType): OpResult {
  return memoryBlockOnline(h, h.hp.blocks.get(id)!, type);
}
function offline(h: FakeHost, id: number): OpResult {
  const g = memoryBlockOffline(h, h.hp.blocks.get(id)!);
  for (;;) {
    const n = g.next();
    if (n.done) return n.value;
  }
}
/** zoneinfo as the oracle's zone_spans: [start_pfn, end_pfn, spanned, present, managed] */
function span(h: FakeHost, z: ZoneName): number[] {
  const x = h.z(z);
  return [x.start, x.end, x.spanned, x.present, x.managed];
}
/** "32:on:Normal 33:offline:Normal,Movable" as the summary prints blocks */
function blocks(h: FakeHost, from: number, to: number): string {
  const ctx = selectCtx(h);
  const out: string[] = [];
  for (let id = from; id <= to; id++) {
    const b = h.hp.blocks.get(id)!;
    out.push(`${id}:${b.state === 'online' ? 'on' : 'offline'}:${validZones(ctx, b).join(',')}`);
  }
  return out.join(' ');
}

describe('oracle: boot layout', () => {
  it('valid_zones of boot blocks: block 0 spans DMA and DMA32 ("none"), 1..7 DMA32; DIMM blocks Normal,Movable', () => {
    const h = new FakeHost(oracleSpec([D1]));
    const ctx = selectCtx(h);
    assert.deepEqual(validZones(ctx, h.hp.blocks.get(0)!), ['none']);
    for (let id = 1; id <= 7; id++) assert.deepEqual(validZones(ctx, h.hp.blocks.get(id)!), ['DMA32']);
    assert.equal(blocks(h, 32, 39), [32, 33, 34, 35, 36, 37, 38, 39].map((i) => `${i}:offline:Normal,Movable`).join(' '));
  });
  it('offlining boot block 0 (spans zones) is -EINVAL', () => {
    const h = new FakeHost(oracleSpec([D1]));
    const r = offline(h, 0);
    assert.equal(r.errno, 'EINVAL');
  });
});

describe('oracle a-default-online: "online" on blocks 32..39 (contig-zones)', () => {
  it('every block goes to Normal, the Normal span grows block by block', () => {
    const h = new FakeHost(oracleSpec([D1]));
    for (let n = 32; n <= 39; n++) {
      const r = online(h, n, 'online');
      assert.ok(r.ok, r.reason ?? '');
      assert.equal(h.hp.blocks.get(n)!.zone, 'Normal');
      const pages = (n - 31) * 32768;
      // oracle after-online-N: Normal [1048576, 1048576+pages) sp=pr=mg=pages
      assert.deepEqual(span(h, 'Normal'), [1048576, 1048576 + pages, pages, pages, pages]);
      const rest = [];
      for (let i = n + 1; i <= 39; i++) rest.push(`${i}:offline:Normal,Movable`);
      const on = [];
      for (let i = 32; i <= n; i++) on.push(`${i}:on:Normal`);
      assert.equal(blocks(h, 32, 39), [...on, ...rest].join(' '));
    }
    assert.equal(h.z('Movable').spanned, 0);
  });
  it('a fresh block is handed to the buddy as 32 order-10 chunks in 64 MOVABLE pageblocks', () => {
    // oracle: buddy Normal [2,0,2,2,1,3,1,3,3,3,29] right after onlining 32: the kernel already split
    // three order-10 blocks for its own allocations (Unmovable 2 + Reclaimable 2 pageblocks); onlining
    // itself frees 32 × order 10 and makes 64 MOVABLE pageblocks (Unmovable+Movable+Reclaimable = 64).
    const h = new FakeHost(oracleSpec([D1]));
    online(h, 32, 'online');
    assert.deepEqual(h.buddy('Normal'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32]);
    assert.deepEqual(h.pageblockCounts(0x100000, 0x108000), { movable: 64 });
    assert.equal(h.z('Normal').nrIsolate, 0);
  });
  it('writing "online" to an online block is -EINVAL and changes nothing', () => {
    const h = new FakeHost(oracleSpec([D1]));
    online(h, 32, 'online');
    const r = online(h, 32, 'online');
    assert.equal(r.errno, 'EINVAL');
    assert.deepEqual(span(h, 'Normal'), [1048576, 1081344, 32768, 32768, 32768]);
  });
});

describe('oracle b-online-movable', () => {
  const h = new FakeHost(oracleSpec([D1, D2]));
  it('online_movable 32..39: Movable grows, Normal stays empty', () => {
    for (let n = 32; n <= 39; n++) {
      assert.ok(online(h, n, 'online_movable').ok);
      const pages = (n - 31) * 32768;
      assert.deepEqual(span(h, 'Movable'), [1048576, 1048576 + pages, pages, pages, pages]);
    }
    assert.equal(h.z('Normal').spanned, 0);
    assert.equal(blocks(h, 40, 43), '40:offline:Normal,Movable 41:offline:Normal,Movable 42:offline:Normal,Movable 43:offline:Normal,Movable');
  });
  it('1,2: online_kernel and online on online block 33 are -EINVAL', () => {
    assert.equal(online(h, 33, 'online_kernel').errno, 'EINVAL');
    assert.equal(online(h, 33, 'online').errno, 'EINVAL');
    assert.equal(blocks(h, 33, 33), '33:on:Movable');
  });
  it('3: online_kernel on 40 → Normal [1310720,1343488)', () => {
    assert.ok(online(h, 40, 'online_kernel').ok);
    assert.deepEqual(span(h, 'Normal'), [1310720, 1343488, 32768, 32768, 32768]);
    assert.deepEqual(span(h, 'Movable'), [1048576, 1310720, 262144, 262144, 262144]);
  });
  it('4: "online" on 41 → Normal (it touches neither span: kernel zone by default)', () => {
    assert.equal(blocks(h, 41, 41), '41:offline:Normal,Movable');
    assert.ok(online(h, 41, 'online').ok);
    assert.equal(h.hp.blocks.get(41)!.zone, 'Normal');
    assert.deepEqual(span(h, 'Normal'), [1310720, 1376256, 65536, 65536, 65536]);
  });
  it('5a: offline 36 in the middle of Movable: span unchanged, present −32768, valid_zones "Movable Normal"', () => {
    assert.ok(offline(h, 36).ok);
    assert.deepEqual(span(h, 'Movable'), [1048576, 1310720, 262144, 229376, 229376]);
    assert.equal(blocks(h, 36, 36), '36:offline:Movable,Normal');
    assert.equal(h.z('Movable').contiguous, false);
  });
  it('5b: online_kernel 36 → Normal grows down over it, overlapping Movable', () => {
    assert.ok(online(h, 36, 'online_kernel').ok);
    assert.deepEqual(span(h, 'Normal'), [1179648, 1376256, 196608, 98304, 98304]);
    assert.deepEqual(span(h, 'Movable'), [1048576, 1310720, 262144, 229376, 229376]);
  });
  it('6: online_movable 42 above the Normal blocks → Movable spans [1048576,1409024)', () => {
    assert.equal(blocks(h, 42, 42), '42:offline:Normal,Movable');
    assert.ok(online(h, 42, 'online_movable').ok);
    assert.deepEqual(span(h, 'Movable'), [1048576, 1409024, 360448, 262144, 262144]);
    assert.deepEqual(span(h, 'Normal'), [1179648, 1376256, 196608, 98304, 98304]);
  });
  it('7: "online" 43 → Normal (just past both spans)', () => {
    assert.ok(online(h, 43, 'online').ok);
    assert.equal(h.hp.blocks.get(43)!.zone, 'Normal');
    assert.deepEqual(span(h, 'Normal'), [1179648, 1441792, 262144, 131072, 131072]);
    assert.deepEqual(span(h, 'Movable'), [1048576, 1409024, 360448, 262144, 262144]);
    assert.equal(blocks(h, 32, 43), '32:on:Movable 33:on:Movable 34:on:Movable 35:on:Movable 36:on:Normal 37:on:Movable 38:on:Movable 39:on:Movable 40:on:Normal 41:on:Normal 42:on:Movable 43:on:Normal');
  });
});

for (const mom of ['off', 'on'] as const) {
  describe(`oracle d-memmap-${mom === 'off' ? 'off' : 'on-memory'}`, () => {
    const h = new FakeHost(oracleSpec([D1], mom));
    const v = mom === 'on' ? 512 : 0;
    // the kernel's own allocation the offline of 32 trips over (kmsg "page dumped because: unmovable page")
    const culprit = mom === 'on' ? 0x100404 : 0x100402;
    it('online 32 → Normal; present 32768, managed 32768 − vmemmap', () => {
      assert.ok(online(h, 32, 'online').ok);
      assert.deepEqual(span(h, 'Normal'), [1048576, 1081344, 32768, 32768, 32768 - v]);
      h.pages.set(culprit, mom === 'on' ? 'slab' : 'pagetable');
      if (mom === 'on') {
        // vmemmap: one UNMOVABLE pageblock at the block start; buddy: first chunk order 9 at 0x100200
        assert.deepEqual(h.pageblockCounts(0x100000, 0x108000), { unmovable: 1, movable: 63 });
        assert.deepEqual(h.buddy('Normal'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 31]);
        assert.deepEqual(h.freed[0], { zone: 'Normal', pfn: 0x100200, order: 9 });
      }
    });
    it('online_movable 33 → Movable [1081344,1114112)', () => {
      assert.ok(online(h, 33, 'online_movable').ok);
      assert.deepEqual(span(h, 'Movable'), [1081344, 1114112, 32768, 32768, 32768 - v]);
      // oracle: pageblocks Movable {'Unmovable': 1, 'Movable': 63} with memmap_on_memory, 64 Movable without
      assert.deepEqual(h.pageblockCounts(0x108000, 0x110000), mom === 'on' ? { unmovable: 1, movable: 63 } : { movable: 64 });
      assert.deepEqual(h.buddy('Movable'), mom === 'on' ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 31] : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32]);
    });
    it('online_kernel 34 → Normal spans over Movable\'s block 33', () => {
      assert.ok(online(h, 34, 'online_kernel').ok);
      assert.deepEqual(span(h, 'Normal'), [1048576, 1146880, 98304, 65536, 65536 - 2 * v]);
    });
    it('offline 33 → Movable empty; 33 now lies inside Normal: valid_zones "Normal Movable"', () => {
      assert.ok(offline(h, 33).ok);
      assert.equal(h.z('Movable').spanned, 0);
      assert.equal(h.z('Movable').present, 0);
      assert.equal(h.z('Movable').managed, 0);
      assert.equal(blocks(h, 32, 34), '32:on:Normal 33:offline:Normal,Movable 34:on:Normal');
      assert.deepEqual(span(h, 'Normal'), [1048576, 1146880, 98304, 65536, 65536 - 2 * v]);
    });
    it('offline 34 (the last block) → Normal shrinks back to block 32', () => {
      assert.ok(offline(h, 34).ok);
      assert.deepEqual(span(h, 'Normal'), [1048576, 1081344, 32768, 32768, 32768 - v]);
      assert.equal(blocks(h, 32, 35), '32:on:Normal 33:offline:Normal,Movable 34:offline:Normal,Movable 35:offline:Normal,Movable');
    });
    it('offline 32 → -EBUSY: a kernel page in it fails isolation; nothing changes', () => {
      const r = offline(h, 32);
      assert.equal(r.errno, 'EBUSY');
      assert.equal(r.pfn, culprit);
      assert.match(r.reason ?? '', /failure to isolate range/);
      assert.deepEqual(span(h, 'Normal'), [1048576, 1081344, 32768, 32768, 32768 - v]);
      assert.equal(blocks(h, 32, 32), '32:on:Normal');
      assert.equal(h.pcpDisabled, 0);
    });
  });
}
