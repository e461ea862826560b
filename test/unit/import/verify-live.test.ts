// `mmscn verify --live` on the machine the tests run on: really grows the 2 MiB pool by 2 and the 1 GiB pool by 1
// and gives the pages back, and compacts memory (compact_memory). Skipped, saying why, when not root or when the
// files are not there or not writable.
import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync } from 'node:fs';
import { liveMachine, verify, runVerify } from '../../../src/cli/verify.js';

const NR = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages';
const NR_1G = '/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages';
const COMPACT = '/proc/sys/vm/compact_memory';

function whyNot(nr = NR): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (verify writes nr_hugepages; /proc/kpageflags needs root)';
  for (const f of ['/proc/buddyinfo', '/proc/pagetypeinfo', '/proc/zoneinfo', '/proc/kpageflags', '/proc/vmstat']) {
    try { accessSync(f, constants.R_OK); } catch { return `${f} is not readable`; }
  }
  try { accessSync(nr, constants.W_OK); } catch { return `${nr} is not there or not writable`; }
  return null;
}

describe('verify --live: this machine\'s 2 MiB pool grown by 2 and restored', function () {
  this.timeout(180000);
  it('predicts, grows, measures where the kernel put the pages, and restores nr_hugepages', function () {
    const why = whyNot();
    if (why) { console.log(`      (skipped: ${why})`); this.skip(); }
    const before = Number(readFileSync(NR, 'utf8').trim());
    const r = verify({ kind: 'hugetlb', size: '2M', n: 2 }, liveMachine());
    assert.equal(Number(readFileSync(NR, 'utf8').trim()), before, 'nr_hugepages restored');
    assert.ok(r.restore?.done, r.restore?.text);
    const got = r.kernel.pool!.after - r.kernel.pool!.before;
    assert.ok(got >= 0 && got <= 2);
    // what the kernel reported is what /proc/kpageflags showed: one new hugetlb folio per page obtained
    assert.equal(r.kernel.placement!.folios, got);
    assert.equal(r.kernel.perNode!.reduce((t, x) => t + x.folios, 0), got);
    for (const h of r.kernel.placement!.heads) assert.equal(h % 512, 0, 'naturally aligned');
    assert.ok(r.predicted.pool!.after <= 2);
    assert.ok(r.agreement.some((a) => a.startsWith('huge pages obtained: ')));
  });
});

/** the text report of `mmscn verify --live WORDS` (what the command prints), its exit code and warnings */
function cli(words: string[]): { code: number; out: string; err: string } {
  let out = '', err = '';
  const code = runVerify({ live: true }, words, (t) => { out += t; }, (t) => { err += t; });
  return { code, out, err };
}
/** "LABEL … | … | …" rows of the side-by-side table: the label is printed with both columns */
function hasRow(out: string, label: RegExp): boolean {
  return out.split('\n').some((l) => label.test(l));
}

describe('verify --live: this machine\'s 1 GiB pool grown by 1 and restored', function () {
  this.timeout(180000);
  it('prints the prediction and the outcome side by side and restores nr_hugepages', function () {
    const why = whyNot(NR_1G);
    if (why) { console.log(`      (skipped: ${why})`); this.skip(); }
    const before = Number(readFileSync(NR_1G, 'utf8').trim());
    const r = cli(['hugetlb', '1G', '+1']);
    assert.equal(Number(readFileSync(NR_1G, 'utf8').trim()), before, 'nr_hugepages restored');
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(hasRow(r.out, /simulator \(predicted\)\s+kernel \(measured\)/), r.out);
    assert.ok(hasRow(r.out, /^\s+1G pages obtained\s+\d of 1\s+\d of 1 \(nr_hugepages \d+ → \d+\)/), r.out);
    assert.match(r.out, /\n {2}- huge pages obtained: (equal|differ)/);
    assert.match(r.out, /\nrestored: /);
    assert.match(r.out, /\nwhy the two can differ:\n/);
  });
});

describe('verify --live: compact_memory on this machine', function () {
  this.timeout(180000);
  it('prints the prediction and the outcome side by side; the hugetlb pools are untouched', function () {
    const why = whyNot(COMPACT);
    if (why) { console.log(`      (skipped: ${why})`); this.skip(); }
    const pools = [NR, NR_1G].map((f) => { try { return readFileSync(f, 'utf8'); } catch { return null; } });
    const r = cli(['compact_memory']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(hasRow(r.out, /simulator \(predicted\)\s+kernel \(measured\)/), r.out);
    assert.ok(hasRow(r.out, /^\s+pages migrated\s+\d+\s+\d+ \(pgmigrate_success\)/), r.out);
    assert.ok(hasRow(r.out, /^\s+free pages node \d+ \w+\s+\d+ → \d+\s+\d+ → \d+/), r.out);
    assert.match(r.out, /\n {2}- pages migrated: (equal|differ)/);
    assert.match(r.out, /\nwhy the two can differ:\n/);
    assert.doesNotMatch(r.out, /\nrestored: /); // nothing to restore
    assert.deepEqual([NR, NR_1G].map((f) => { try { return readFileSync(f, 'utf8'); } catch { return null; } }), pools);
  });
});
