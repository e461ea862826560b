// Replays test/fixtures/oracle/g-kpageflags.json (Debian 6.12.117 under qemu, case script in
// test/fixtures/oracle/cases/g-kpageflags.sh): the guest's pfnscan (/proc/kpageflags, fs/proc/page.c
// stable_page_flags) over memory blocks 32 and 33 of a coldplugged DIMM, offline, after `online_movable` of block 32,
// and after nr_hugepages=8 (the 2 MiB folios land in ZONE_MOVABLE). `expect kpageflags` must give the same counts,
// except for the few dozen pages the guest's own processes (dd, od, awk of pfnscan itself) hold in the block: the
// kernel shows them as anon/lru or noflags (pcp lists, kernel pages), the scenario, which has no such processes, as buddy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runText as run } from './helpers.js';
import { countKpageflags } from '../../../src/sim/kpageflags.js';
import { KPF_KINDS } from '../../../src/sim/kpageflags-kinds.js';
import type { Machine } from '../../../src/sim/machine.js';

type Counts = Record<string, number>;
interface Rec { snapshot_order: string[]; snapshots: Record<string, { pfnscan: { blocks: Record<string, Counts> } }> }
const rec = JSON.parse(readFileSync('test/fixtures/oracle/g-kpageflags.json', 'utf8')) as Rec;
const M = `kernel 6.12
machine {
  node 0 {
    zone DMA 0x1..0x1000
    zone DMA32 0x1000..0x40000
    hotplug 0x100000..0x140000 offline
  }
}
`;
const BLOCK = 32768;
function scan(m: Machine, block: number): Counts {
  const out: Counts = {};
  for (const k of KPF_KINDS) {
    if (k === 'thp') continue; // not in pfnscan
    const r = countKpageflags(m.c, block * BLOCK, (block + 1) * BLOCK, k, m.spec.sectionPages);
    assert.ok('count' in r, `${k}: ${'unknown' in r ? r.unknown : ''}`);
    out[k] = r.count;
  }
  return out;
}
/** the kernel's counts with the guest's own pages (anon, noflags) counted as free, as the scenario has them */
function withoutGuest(k: Counts): Counts {
  return { ...k, buddy: k.buddy! + k.anon! + k.noflags!, anon: 0, lru: 0, noflags: 0 };
}

describe('oracle: /proc/kpageflags over memory blocks (6.12.117, g-kpageflags)', () => {
  const steps: [string, string][] = [['', 'offline'], ['online block 32 online_movable', 'online-32'], ['hugetlb 2M resize 8', 'huge-8']];
  it('the recording has the steps the test replays', () => assert.deepEqual(steps.map((s) => s[1]), rec.snapshot_order));
  let text = M;
  for (const [op, snap] of steps) {
    text += op + '\n';
    const upto = text;
    it(`after ${snap}: every pfnscan count of blocks 32 and 33`, () => {
      const o = run(upto);
      for (const b of [32, 33]) {
        const k = rec.snapshots[snap]!.pfnscan.blocks[`memory${b}`]!;
        // the guest's own pages are few and only in the online block
        assert.ok(k.anon! + k.noflags! < 64, JSON.stringify(k));
        assert.deepEqual(scan(o.machine, b), withoutGuest(k), `memory${b} after ${snap}`);
      }
    });
  }
});
