// layoutZone's note when the simulator's pageblock counts per migratetype differ from /proc/pagetypeinfo's. With
// equal totals it said "the simulator counts fewer pageblocks than the kernel (512 < 512)": now it names the types
// that differ, with both counts.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnapshot } from '../../../src/import/fs.js';
import { generate } from '../../../src/import/generate.js';

const MOVABLE = join(__dirname, '../../fixtures/proc-snapshot-movable');

describe('import: the pageblock count note says what differs', () => {
  it('equal totals, different types: the note names each type and both counts, not "fewer (512 < 512)"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmscn-pbnote-'));
    try {
      cpSync(MOVABLE, dir, { recursive: true });
      const f = join(dir, 'proc/pagetypeinfo');
      // Normal: no unmovable pageblock (its 20 counted as movable), though it has free unmovable blocks
      const t = readFileSync(f, 'utf8').replace(/^(Node 0, zone\s+Normal)\s+20\s+480\s/m, '$1            0          500 ');
      assert.match(t, /Normal +0 +500 +8 +4/);
      writeFileSync(f, t);
      const notes = generate(readSnapshot(dir, false)).notes.filter((n) => n.startsWith('node 0 Normal'));
      assert.ok(!notes.some((n) => /fewer pageblocks than the kernel \((\d+) < \1\)/.test(n)), notes.join('\n'));
      const n = notes.find((x) => /pageblocks per type differ/.test(x));
      assert.ok(n, notes.join('\n'));
      assert.match(n, /unmovable 1 \(kernel 0\)/);
      assert.match(n, /movable 499 \(kernel 500\)/);
      assert.doesNotMatch(n, /reclaimable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
