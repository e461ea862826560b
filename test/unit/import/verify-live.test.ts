// `mmscn verify --live hugetlb 2M +2` on the machine the tests run on: really grows the 2 MiB pool by 2 and gives
// the pages back. Skipped, saying why, when not root or when the files are not writable.
import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync } from 'node:fs';
import { liveMachine, verify } from '../../../src/cli/verify.js';

const NR = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages';

function whyNot(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (verify writes nr_hugepages; /proc/kpageflags needs root)';
  for (const f of ['/proc/buddyinfo', '/proc/pagetypeinfo', '/proc/zoneinfo', '/proc/kpageflags', '/proc/vmstat']) {
    try { accessSync(f, constants.R_OK); } catch { return `${f} is not readable`; }
  }
  try { accessSync(NR, constants.W_OK); } catch { return `${NR} is not writable`; }
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
