// /proc renderers in the kernel's exact formats (reference/peer-tools-and-proc-formats.md §2.1–2.3, §2.7).
import assert from 'node:assert/strict';
import { spec, machine } from './helpers.js';
import { buddyinfo, pagetypeinfo, zoneinfo, memoryBlocks } from '../../../src/sim/proc.js';

describe('proc renderers', () => {
  const m = machine(spec({ zones: [['DMA', 1, 0x1000], ['DMA32', 0x1000, 0x100000], ['Normal', 0x100000, 0x140000]] }));
  it('buddyinfo: "Node %d, zone %8s " + "%6lu " per order, boot memory freed in max-order chunks', () => {
    assert.equal(buddyinfo(m),
      'Node 0, zone      DMA      1      1      1      1      1      1      1      1      1      1      3 \n' +
      'Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0   1020 \n' +
      'Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0    256 \n');
  });
  it('pagetypeinfo: headers, per-type rows, block counts', () => {
    const t = pagetypeinfo(m).split('\n');
    assert.equal(t[0], 'Page block order: 9');
    assert.equal(t[1], 'Pages per block:  512');
    assert.equal(t[2], '');
    assert.equal(t[3], 'Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 ');
    assert.equal(t[5], 'Node    0, zone      DMA, type      Movable      1      1      1      1      1      1      1      1      1      1      3 ');
    assert.ok(t.includes('Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate '));
    assert.ok(t.includes('Node 0, zone   Normal            0          512            0            0            0            0 '));
  });
  it('zoneinfo subset: pages free, marks, spans, start_pfn', () => {
    const z = zoneinfo(m);
    assert.match(z, /Node 0, zone   Normal\n  pages free     262144\n        boost    0\n        min      \d+\n/);
    assert.match(z, /        spanned  262144\n        present  262144\n        managed  262144\n        cma      0\n/);
    assert.match(z, /  start_pfn:           1048576\n/);
    assert.match(z, /Node 0, zone  Movable\n  pages free     0\n/);
  });
  it('memory block sysfs', () => {
    const s = memoryBlocks(m);
    assert.match(s, /^\/sys\/devices\/system\/memory\/block_size_bytes:8000000\n/);
    assert.match(s, /memory32\/phys_index:00000020\n.*memory32\/state:online\n.*memory32\/valid_zones:Normal\n/s);
  });
});
