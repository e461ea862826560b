// Offlining migrates away from the node being offlined (mm/memory_hotplug.c do_migrate_range(): the nodemask
// is N_MEMORY without the source node, unless that is the only memory node).
import assert from 'node:assert/strict';
import { runText as run, resultOf } from './helpers.js';
const two = (fill: string) => `machine {
  memory_block_size 128M
  cpus 1
  node 0 { zone Normal 0x40000..0x80000 }
  node 1 { zone Normal 0x80000..0xc0000 }
}
${fill}
page 0x40010 anon
offline block 8 as off
`;

describe('offline: do_migrate_range never targets the node being offlined while another has memory', () => {
  it('the other node is full: no target, the offline loops until the signal (-EINTR) instead of migrating within node 0', () => {
    const out = run(two('fill Normal 100% unmovable packed node 1'));
    const r = resultOf(out, 'off');
    assert.equal(r.errno, 'EINTR');
    assert.equal(out.machine.pageInfo(0x40010).state, 'allocated'); // still there
  });
  it('room on node 1: the page moves there', () => {
    const out = run(two(''));
    const r = resultOf(out, 'off');
    assert.equal(r.ok, true, r.reason ?? '');
    const dst = r.migrations.find((m) => m.src === 0x40010)!.dst!;
    assert.ok(dst >= 0x80000 && dst < 0xc0000, `target 0x${dst.toString(16)}`);
  });
  it('a single memory node: the nodemask keeps it, the page moves within the node', () => {
    const out = run(`machine {
  memory_block_size 128M
  cpus 1
  node 0 { zone Normal 0x40000..0xc0000 }
}
page 0x40010 anon
offline block 8 as off
`);
    const r = resultOf(out, 'off');
    assert.equal(r.ok, true, r.reason ?? '');
  });
});

describe('memory blocks exist only for present sections (memory_dev_init → add_boot_memory_block)', () => {
  const text = `machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone DMA    0x1..0x1000
    zone DMA32  0x1000..0x100000
    hole 0xc0000..0xfc000
    zone Normal 0x100000..0x140000
  }
}
offline block 25 as o
`;
  it('the 3–4 GiB PCI hole has no memory24..30; memory31 keeps its present section; offline of block 25 is -ENOENT', () => {
    const out = run(text);
    const ids = out.machine.blocks().filter((b) => b.state !== 'absent').map((b) => b.id);
    for (let id = 24; id <= 30; id++) assert.ok(!ids.includes(id), `memory${id}`);
    assert.ok(ids.includes(23) && ids.includes(31) && ids.includes(32));
    const r = resultOf(out, 'o');
    assert.equal(r.errno, 'ENOENT');
  });
});
