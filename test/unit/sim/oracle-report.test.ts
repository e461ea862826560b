// The oracle recording a-default-online (test/fixtures/oracle: Debian 6.12.117 under qemu, 1 GiB boot RAM, a 1 GiB
// pc-dimm coldplugged offline, blocks 32..39 onlined one by one) replayed as a scenario, its sysfs and /proc output
// written as expectations in the language (issue 8: a recording replayed without loss):
// - every memory block's valid_zones text after every step, exactly (valid_zones_show, drivers/base/memory.c);
// - the Normal zone's /proc/buddyinfo after every step within 3 blocks per order: the kernel's own allocations
//   right after onlining (vmstat/pcp refills, page tables of the shell) split about three order-10 blocks, which
//   the scenario does not perform.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runText as run } from './helpers.js';

interface Snap { buddyinfo: Record<string, number[]>; blocks: { blocks: Record<string, { state: string; valid_zones: string[] }> } }
interface Recording { snapshots: Record<string, Snap>; snapshot_order: string[]; block_actions: { block: number; value: string; rc: number }[] }

const rec = JSON.parse(readFileSync(join(__dirname, '../../fixtures/oracle/a-default-online.json'), 'utf8')) as Recording;

function expectations(s: Snap): string[] {
  const out: string[] = [];
  for (const [name, b] of Object.entries(s.blocks.blocks)) out.push(`expect block ${name.slice('memory'.length)} valid_zones "${b.valid_zones.join(' ')}"`);
  const n = s.buddyinfo['Normal'];
  if (n) out.push(`expect buddyinfo Normal ~ ${n.join(' ')} within 3`);
  return out;
}

describe('oracle a-default-online replayed with valid_zones and buddyinfo ~ expectations', () => {
  it('every block\'s valid_zones text and the Normal buddyinfo (within 3 per order) after every step', () => {
    const lines = [
      'kernel 6.12',
      'machine {',
      '  node 0 {',
      '    zone DMA 0x1..0x1000',
      '    zone DMA32 0x1000..0x3ffe0',
      '    hotplug 0x100000..0x140000 offline',
      '  }',
      '}',
      ...expectations(rec.snapshots['before']!),
    ];
    for (const a of rec.block_actions) {
      assert.equal(a.rc, 0);
      lines.push(`${a.value} block ${a.block}`, ...expectations(rec.snapshots[`after-${a.value}-${a.block}`]!));
    }
    const o = run(lines.join('\n') + '\n');
    assert.deepEqual(o.expectations.filter((e) => !e.ok).map((e) => e.message), []);
    // 9 snapshots × 16 blocks, 8 buddyinfo lines (Normal exists from the first online on)
    assert.equal(o.expectations.length, 9 * 16 + 8);
  });
});
