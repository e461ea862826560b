// `mmscn explore` and the lock diagnostics as a user meets them on the command line (issue 9).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, mmscn } from '../support/cli.js';

const MACHINE = `machine {
  cpus 2
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
  cma pool 0x60000..0x64000
}
`;

describe('mmscn explore', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'mmscn-explore-'));
  const file = (name: string, text: string) => { const f = join(dir, name); writeFileSync(f, text); return f; };
  before(() => buildOnce());

  it('prints each outcome of the seed 000 (c) interleave with a schedule line, the same on every run', () => {
    const a = mmscn('explore', 'samples/seed-000-alloc-contig-range/c-pcp-race.mmscn', '--variant', 'drain_once');
    assert.equal(a.code, 0, a.out + a.err);
    assert.match(a.out, /^samples\/seed-000-alloc-contig-range\/c-pcp-race\.mmscn:25: interleave \(variant drain_once\): \d+ schedules run/);
    assert.match(a.out, /page on a PCP list after drain \(cpu 1\)\); cpu 1 free: ok\n {4}schedule cpu 1 lookup, cpu 0 drain, cpu 1 enqueue\n/);
    assert.equal(mmscn('explore', 'samples/seed-000-alloc-contig-range/c-pcp-race.mmscn', '--variant', 'drain_once').out, a.out);
  });

  it('exits 2 on a file without an interleave', () => {
    const r = mmscn('explore', file('none.mmscn', `${MACHINE}alloc order 0 movable as p\n`));
    assert.equal(r.code, 2);
    assert.match(r.out, /none\.mmscn:1:1: error: no `interleave` block to explore/);
  });

  it('check names the lock and its holder at the schedule item; run says which CPU waited', () => {
    const bad = file('bad.mmscn', `${MACHINE}interleave {
  cpu 0: cma_alloc pool 512 as a
  cpu 1: cma_alloc pool 512 as b
  schedule cpu 0 isolate, cpu 1 isolate, cpu 0 drain
}
`);
    const c = mmscn('check', bad);
    assert.equal(c.code, 2);
    assert.match(c.out, /bad\.mmscn:12:27: error: impossible schedule: .*waits for cma_mutex, held by cpu 0's cma_alloc/);
    const ok = file('ok.mmscn', `${MACHINE}interleave {
  cpu 0: cma_alloc pool 512 as a
  cpu 1: cma_alloc pool 512 as b
  schedule cpu 0 isolate, cpu 1 isolate
}
`);
    const r = mmscn('run', ok);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /ok\.mmscn:12: interleave: cpu 1 waited before its first phase for cma_mutex, held by cpu 0: cpu 0 ran on first/);
  });
});
