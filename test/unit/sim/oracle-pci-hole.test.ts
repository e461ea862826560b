// Replay of test/fixtures/oracle/f-pci-hole.json (cases/f-pci-hole.sh): a 4 GiB qemu pc machine, so 3 GiB below the
// 3–4 GiB PCI hole and 1 GiB at 4 GiB (e820: usable 0x100000-0xbffdffff and 0x100000000-0x13fffffff).
// memory_dev_init() creates memory0..23 and 32..39 only; memory23 contains the 32-page hole 0xbffe0..0xc0000
// (offline_pages → walk_system_ram_range: -EINVAL "memory holes"); offlining 39 trips over the memblock
// allocations at the top of memory (PageReserved 0x13fe00, found in the LAST pageblock, which
// start_isolate_page_range isolates second); 32 over a kernel page at 0x100000.
// The layout (pc4G, shared with h-gigantic-pool): the e820 holes, memblock-reserved pages so that managed = the
// kernel's (DMA 3840 — the low 1 MiB —, DMA32 756365 with the swiotlb buffer under the hole where the kernel has it,
// Normal 243400: the top 18744 pages of Normal, which covers the reserved page the kernel dumped), and the
// unmovable kernel page at 0x100000.
import assert from 'node:assert/strict';
import { loadRecording, replay, errnoOf, pc4G } from './oracle-replay.js';
import { runText } from './helpers.js';

const rec = loadRecording('f-pci-hole');
const machine = `${pc4G()}page 0x100000 kernel
`;

describe('oracle f-pci-hole: 4 GiB pc machine with the 3–4 GiB PCI hole (6.12.117)', () => {
  it('the recording: blocks 0..23 and 32..39 exist; 24 is absent', () => {
    assert.deepEqual(Object.keys(rec.snapshots.before!.blocks!.blocks).map((k) => Number(k.slice(6))),
      [...Array(24).keys(), 32, 33, 34, 35, 36, 37, 38, 39]);
    assert.equal(errnoOf(rec.block_actions[0]!), 'ENOENT');
  });
  it('the swiotlb buffer is where the kernel has it: memory23 holds 16384 reserved pages below the 32-page hole (h-reserved-scan, same machine)', () => {
    const scan = loadRecording('h-reserved-scan').snapshots as unknown as Record<string, { pfnscan: { blocks: Record<string, { reserved: number }> } }>;
    assert.equal(scan.boot!.pfnscan.blocks.memory23!.reserved, 16384 + 32);
    const m = runText(machine).machine;
    let reserved = 0;
    for (let p = 0xb8000; p < 0xbffe0; p++) if (m.pageInfo(p).kind === 'reserved') reserved++;
    assert.equal(reserved, 16384);
    assert.equal(m.pageInfo(0xbbfe0).kind, 'reserved');
    assert.notEqual(m.pageInfo(0xbbfdf).kind, 'reserved');
  });
  it('every write, every block state and valid_zones, every zone span/present/managed match the kernel', () => {
    replay(rec, machine, { 2: 'after-online-23', 3: 'after-offline-39', 5: 'after-offline-38', 6: 'after-online_movable-38', 8: 'after-online_kernel-32' });
  });
});
