// The `mmscn` binary as a user runs it: exit codes, output formats, flags.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildOnce, CLI as cli, mmscn } from '../support/cli.js';

const LAYOUT = `machine {
  cpus 1
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
}
`;

describe('mmscn command line', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'mmscn-cli-'));
  const file = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  before(() => {
    // Tests the real bundle, as installed; build it if this checkout has not been built yet.
    buildOnce();
  });

  it('run: exit 0 when every expectation holds, one line per operation', () => {
    const f = file('ok.mmscn', `${LAYOUT}page 0x50210 slab\nalloc_contig_range 0x50000..0x50400 as r\nexpect r -EBUSY at 0x50210\n`);
    const r = mmscn('run', f);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, new RegExp(`${f.replace(/[.]/g, '\\.')}:9: alloc_contig_range r: ✗ -EBUSY at pfn 0x50210 — unmovable page \\(slab\\)`));
    assert.match(r.out, /2 operations, 1\/1 expectations hold/);
  });

  it('run: exit 1 when an expectation fails, with its location and both values', () => {
    const f = file('fail.mmscn', `${LAYOUT}alloc_contig_range 0x50000..0x50200 as r\nexpect r -EBUSY\n`);
    const r = mmscn('run', f);
    assert.equal(r.code, 1);
    assert.match(r.out, /fail\.mmscn:9:1: expectation failed: expected r -EBUSY, but r returned ok/);
  });

  it('run and check: exit 2 on a file with errors, file:line:col: error: message', () => {
    const f = file('bad.mmscn', `${LAYOUT}alloc order 11 movable\nfree nosuch\n`);
    for (const cmd of ['run', 'check']) {
      const r = mmscn(cmd, f);
      assert.equal(r.code, 2, cmd);
      assert.match(r.out, /bad\.mmscn:8:7: error: .*MAX_PAGE_ORDER/);
      assert.match(r.out, /bad\.mmscn:9:6: error: .*nosuch/);
    }
  });

  it('check: exit 0 on every sample', () => {
    const r = spawnSync('bash', ['-c', `node ${cli} check $(find samples -name '*.mmscn')`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout);
  });

  it('run --json: per-operation results and final per-zone state', () => {
    const f = file('json.mmscn', `${LAYOUT}page 0x50010 anon\nalloc_contig_range 0x50000..0x50200 as r\n`);
    const r = mmscn('run', f, '--json');
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    const v = j.variants[0];
    const acr = v.ops[1];
    assert.equal(acr.line, 9);
    assert.equal(acr.op, 'alloc_contig_range');
    assert.equal(acr.ok, true);
    assert.equal(acr.migrations.length, 1);
    assert.equal(acr.migrations[0].src, 0x50010);
    assert.equal(acr.migrations[0].result, 'ok');
    const normal = v.zones.find((z: { zone: string }) => z.zone === 'Normal');
    assert.equal(normal.start_pfn, 0x40000);
    assert.equal(normal.spanned, 0x40000);
    assert.equal(normal.managed, 0x40000);
    // every managed page is free, on a PCP list (the migration target came through a pcp refill),
    // taken by alloc_contig_range (512) or the migrated anon page (1)
    const pcp = normal.pcp.reduce((n: number, p: { count: number }) => n + p.count, 0);
    assert.equal(normal.free + pcp + 512 + 1, normal.managed);
    assert.equal(normal.buddyinfo.length, 11);
    assert.ok(Array.isArray(v.blocks));
  });

  it('run --format buddyinfo / pagetypeinfo / zoneinfo print the kernel formats', () => {
    const f = file('fmt.mmscn', LAYOUT);
    const b = mmscn('run', f, '--format', 'buddyinfo');
    assert.equal(b.code, 0);
    assert.equal(b.out.split('\n')[1], 'Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0    256 ');
    const p = mmscn('run', f, '--format', 'pagetypeinfo');
    assert.match(p.out, /^Page block order: 9\nPages per block:  512\n/);
    assert.match(p.out, /Node 0, zone   Normal            0          512            0/);
    const z = mmscn('run', f, '--format', 'zoneinfo');
    assert.match(z.out, /Node 0, zone   Normal\n  pages free     262144/);
    assert.match(z.out, /start_pfn:\s+262144/);
    // /proc/vmstat: only the counters the simulator counts, in the kernel's order
    const v = mmscn('run', f, '--format', 'vmstat');
    assert.equal(v.code, 0);
    assert.deepEqual(v.out.trim().split('\n').map((l) => l.split(' ')[0]), [
      'kswapd_high_wmark_hit_quickly', 'pageoutrun',
      'pgmigrate_success', 'compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated', 'compact_stall', 'compact_fail', 'compact_success',
      'compact_daemon_wake', 'compact_daemon_migrate_scanned', 'compact_daemon_free_scanned', 'htlb_buddy_alloc_success', 'htlb_buddy_alloc_fail',
    ]);
    assert.match(v.out, /^pgmigrate_success \d+$/m);
  });

  it('run --until stops after that many steps; bad flags are errors', () => {
    const f = file('until.mmscn', `${LAYOUT}alloc order 0 movable\nalloc order 0 movable\nalloc order 0 movable\n`);
    const r = mmscn('run', f, '--until', '2');
    assert.match(r.out, /2 operations/);
    assert.equal(mmscn('run', f, '--until', 'x').code, 2);
    assert.equal(mmscn('run', f, '--format', 'meminfo').code, 2);
    assert.equal(mmscn('run', join(dir, 'missing.mmscn')).code, 2);
  });

  // stdout as a pipe read by a slow reader, as in `mmscn run --json | …`: everything must arrive
  // (process.exit used to cut it at the 64 KiB the pipe holds); the exit code is mmscn's own.
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const piped = (args: string[]) =>
    new Promise<{ code: number | null; out: Buffer }>((resolve, reject) => {
      const line = `${quote(process.execPath)} ${quote(cli)} ${args.map(quote).join(' ')} | (sleep 0.3; cat); exit \${PIPESTATUS[0]}`;
      const child = spawn('bash', ['-c', line], { stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out: Buffer.concat(chunks) }));
    });
  const toFile = (args: string[]) => {
    const f = join(dir, `out-${Math.random().toString(36).slice(2)}.txt`);
    const fd = openSync(f, 'w');
    const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', fd, 'inherit'] });
    closeSync(fd);
    return { code: r.status, out: readFileSync(f) };
  };

  it('large outputs through a pipe arrive whole, for every command (same bytes as to a file)', async () => {
    const sample = 'samples/virtio-mem/c-unplug-movable.mmscn';
    const json = await piped(['run', sample, '--json']);
    const jsonFile = toFile(['run', sample, '--json']);
    assert.ok(jsonFile.out.length > 100_000, `output is ${jsonFile.out.length} bytes`);
    assert.equal(json.out.length, jsonFile.out.length);
    assert.equal(json.code, jsonFile.code);
    assert.ok(JSON.parse(json.out.toString('utf8')).variants.length >= 1);

    const fmt = await piped(['run', sample, '--format', 'memory-blocks']);
    assert.equal(fmt.out.length, toFile(['run', sample, '--format', 'memory-blocks']).out.length);

    // check: a file with thousands of errors
    const bad = file('many-errors.mmscn', `${LAYOUT}${'alloc order 99 movable\n'.repeat(3000)}`);
    const chk = await piped(['check', bad]);
    assert.equal(chk.code, 2);
    assert.ok(chk.out.equals(toFile(['check', bad]).out));
    assert.ok(chk.out.length > 65536, `check output is ${chk.out.length} bytes`);
  });
});
