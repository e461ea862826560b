// `mmscn import` against hostile or accidental captures (issues 15 and 16): special files, symlinks out of the
// capture, huge files, huge spans, too many zones, impossible orders and sizes. Every case must end quickly with
// an ImportError naming the file (exit 2 from the CLI), never a hang, a crash or an invalid scenario.
import assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/import/generate.js';
import { generate } from '../../../src/import/generate.js';
import { ImportError } from '../../../src/import/parse.js';

/** a snapshot of `n` one-pageblock Normal zones on nodes 0..n-1 (no files: straight into generate) */
function manyZones(n: number): Snapshot {
  const zoneinfo = [], buddyinfo = [];
  for (let i = 0; i < n; i++) {
    zoneinfo.push({ nid: i, zone: 'Normal', line: 1 + i * 6, free: 1, spanned: 512, present: 512, managed: 512, cma: 0, startPfn: i * 512 });
    buddyinfo.push({ nid: i, zone: 'Normal', counts: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], line: i + 1 });
  }
  return { source: 'test', date: '2025-01-01', buddyinfo, pagetypeinfo: null, zoneinfo, memory: null, iomem: null, cpus: 1 };
}

describe('import: hostile captures', function () {
  this.timeout(20000);
  it('generate: 150,000 scenario lines do not overflow the stack (no spread of a large array into push)', () => {
    // one zone, 150,000 free order-0 pages, each next to an allocated one: a `pages` line each
    const snap = manyZones(1);
    snap.zoneinfo[0] = { ...snap.zoneinfo[0]!, spanned: 2 ** 19, present: 2 ** 19, managed: 2 ** 19, free: 150000 };
    snap.buddyinfo![0]!.counts[0] = 150000;
    const res = generate(snap);
    assert.ok(res.text.split('\n').length > 150000);
    assert.deepEqual(res.notes.filter((n) => !/every free block is imported as movable/.test(n)), []);
  });
  it('generate: 100,000 zones are an ImportError (at most MAX_NUMNODES × MAX_NR_ZONES), not a stack overflow', () => {
    assert.throws(() => generate(manyZones(100000)), (e: unknown) => e instanceof ImportError && /more than 6144 zones/.test(e.message) && e.file === '/proc/zoneinfo');
  });
});
