// `mmscn import` against hostile or accidental captures (issues 15 and 16): special files, symlinks out of the
// capture, huge files, huge spans, too many zones, impossible orders and sizes. Every case must end quickly with
// an ImportError naming the file (exit 2 from the CLI), never a hang, a crash or an invalid scenario.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureDir } from '../../../src/import/captureFs.js';
import { readLive, readSnapshot } from '../../../src/import/fs.js';
import { LIVE_MAX_TRIES } from '../../../src/import/limits.js';
import { buildOnce, mmscnWithin } from '../../support/cli.js';
import type { Snapshot } from '../../../src/import/generate.js';
import { generate } from '../../../src/import/generate.js';
import { ImportError } from '../../../src/import/parse.js';
import { analyze } from '../../../src/language/index.js';

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
    // the regular pattern is written in the repeat form (`pages … every 0x2 count N`): as many statements as before,
    // fewer lines; the steps the language lowers them into are what the old line count measured
    const { scenario } = analyze(res.text);
    assert.ok(scenario!.steps.length >= 150000, `${scenario!.steps.length} steps`);
    assert.deepEqual(res.notes.filter((n) => !/every free block is imported as movable/.test(n)), []);
  });
  it('generate: 100,000 zones are an ImportError (at most MAX_NUMNODES × MAX_NR_ZONES), not a stack overflow', () => {
    assert.throws(() => generate(manyZones(100000)), (e: unknown) => e instanceof ImportError && /more than 6144 zones/.test(e.message) && e.file === '/proc/zoneinfo');
  });
});

// ---------------------------------------------------------------- the command line against hostile directories
const FX = join(__dirname, '../../fixtures');
const MOVABLE = join(FX, 'proc-snapshot-movable');
/** `mmscn …` with a time limit: a hang shows as a failure (status null, signal SIGKILL), not as a stuck suite */
const mmscn = (...args: string[]) => mmscnWithin(10_000, ...args);
let tmpRoot = '';
let n = 0;
/** a copy of the hand-written fixture in a fresh temp directory */
function capture(): string {
  const d = join(tmpRoot, `c${n++}`);
  cpSync(MOVABLE, d, { recursive: true, verbatimSymlinks: true });
  return d;
}
/** the import fails with exit 2 and one `FILE:LINE: error: …` line naming `file` */
function refused(dir: string, file: string, re: RegExp, line = 1) {
  const i = mmscn('import', '--from', dir);
  assert.equal(i.code, 2, i.err);
  assert.equal(i.out, '');
  assert.match(i.err.trim(), new RegExp(`^${escape(join(dir, file))}:${line}: error: `), i.err);
  assert.match(i.err, re);
  assert.equal(i.err.trim().split('\n').length, 1, i.err);
  return i.err;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('mmscn import --from: hostile directories', function () {
  this.timeout(60000);
  before(() => {
    tmpRoot = mkdtempSync(join(tmpdir(), 'mmscn-hostile-'));
    buildOnce();
  });
  after(() => rmSync(tmpRoot, { recursive: true, force: true }));

  it('the untouched copy imports (the baseline for every case below)', () => {
    const i = mmscn('import', '--from', capture());
    assert.equal(i.code, 0, i.err);
  });
  it('proc/zoneinfo a FIFO (nobody writes it): refused at once, not read', () => {
    const d = capture();
    rmSync(join(d, 'proc/zoneinfo'));
    const mk = spawnSync('mkfifo', [join(d, 'proc/zoneinfo')]);
    assert.equal(mk.status, 0, 'mkfifo');
    refused(d, 'proc/zoneinfo', /not a regular file \(a FIFO\)/);
  });
  it('proc/buddyinfo a FIFO, too', () => {
    const d = capture();
    rmSync(join(d, 'proc/buddyinfo'));
    assert.equal(spawnSync('mkfifo', [join(d, 'proc/buddyinfo')]).status, 0);
    refused(d, 'proc/buddyinfo', /not a regular file \(a FIFO\)/);
  });
  for (const dev of ['/dev/zero', '/dev/urandom']) {
    it(`proc/zoneinfo a symbolic link to ${dev}: refused (it leaves the directory), nothing read`, () => {
      const d = capture();
      rmSync(join(d, 'proc/zoneinfo'));
      symlinkSync(dev, join(d, 'proc/zoneinfo'));
      refused(d, 'proc/zoneinfo', /symbolic link out of/);
    });
  }
  it('a symbolic link to a file outside the directory: refused, and its content is never printed', () => {
    const d = capture();
    const secret = join(tmpRoot, `secret${n++}`);
    writeFileSync(secret, 'TOP-SECRET-TOKEN hunter2\n');
    rmSync(join(d, 'proc/iomem'), { force: true });
    symlinkSync(secret, join(d, 'proc/iomem'));
    const err = refused(d, 'proc/iomem', /symbolic link out of/);
    assert.doesNotMatch(err, /TOP-SECRET|hunter2/);
  });
  it('a directory symlinked out of the capture (sys/devices/system/memory → elsewhere) is refused too', () => {
    const d = capture();
    const elsewhere = join(tmpRoot, `mem${n++}`);
    cpSync(join(d, 'sys/devices/system/memory'), elsewhere, { recursive: true, verbatimSymlinks: true });
    rmSync(join(d, 'sys/devices/system/memory'), { recursive: true });
    symlinkSync(elsewhere, join(d, 'sys/devices/system/memory'));
    refused(d, 'sys/devices/system/memory/block_size_bytes', /symbolic link out of/);
  });
  it('a symbolic link inside the directory to a file inside it is followed', () => {
    const d = capture();
    renameSync(join(d, 'proc/zoneinfo'), join(d, 'zoneinfo.saved'));
    symlinkSync('../zoneinfo.saved', join(d, 'proc/zoneinfo'));
    const i = mmscn('import', '--from', d);
    assert.equal(i.code, 0, i.err);
  });
  it('a dangling symbolic link, a directory in place of a file: refused, naming the file', () => {
    let d = capture();
    rmSync(join(d, 'proc/zoneinfo'));
    symlinkSync('nowhere', join(d, 'proc/zoneinfo'));
    refused(d, 'proc/zoneinfo', /dangling/);
    d = capture();
    rmSync(join(d, 'proc/buddyinfo'));
    mkdirSync(join(d, 'proc/buddyinfo'));
    refused(d, 'proc/buddyinfo', /not a regular file \(a directory\)/);
  });
  it('a /proc file above 64 MiB (sparse: nothing is written to disk) and a sysfs file above 4096 bytes: refused', () => {
    let d = capture();
    writeFileSync(join(d, 'proc/iomem'), '');
    truncateSync(join(d, 'proc/iomem'), 64 * 2 ** 20 + 1);
    refused(d, 'proc/iomem', /exceeds 64 MiB/);
    d = capture();
    truncateSync(join(d, 'sys/devices/system/memory/block_size_bytes'), 4097);
    refused(d, 'sys/devices/system/memory/block_size_bytes', /exceeds 4096 bytes/);
  });
  it('DIR itself a FIFO or a file: not a directory', () => {
    const f = join(tmpRoot, `fifo${n++}`);
    assert.equal(spawnSync('mkfifo', [f]).status, 0);
    let i = mmscn('import', '--from', f);
    assert.equal(i.code, 2);
    assert.equal(i.err.trim(), `${f}:1: error: not a directory`);
    const g = join(tmpRoot, `file${n++}`);
    writeFileSync(g, 'x');
    i = mmscn('import', '--from', g);
    assert.equal(i.err.trim(), `${g}:1: error: not a directory`);
  });
  it('without a symlink check (--live reads /, where /sys is links), /dev/zero is still not read: not a regular file', () => {
    const d = mkdtempSync(join(tmpRoot, 'live-'));
    symlinkSync('/dev/zero', join(d, 'zero'));
    const cap = new CaptureDir(d, false);
    assert.throws(() => cap.file('zero', 1024), (e: unknown) => e instanceof ImportError && e.file === join(d, 'zero') && /not a regular file \(a character device\)/.test(e.message));
  });
});

// ---------------------------------------------------------------- malformed content: each refused with file and line
function edit(d: string, f: string, fn: (t: string) => string) {
  writeFileSync(join(d, f), fn(readFileSync(join(d, f), 'utf8')));
}
describe('mmscn import --from: malformed captures are refused with the file and line', function () {
  this.timeout(60000);
  before(() => {
    if (!tmpRoot) tmpRoot = mkdtempSync(join(tmpdir(), 'mmscn-hostile-'));
  });
  it('a zone spanning 2^40 pages (issue 15): above the pfn limit, at the zone\'s line', () => {
    const d = capture();
    edit(d, 'proc/zoneinfo', (t) => t.replace(/spanned  262144/, `spanned  ${2 ** 40}`));
    refused(d, 'proc/zoneinfo', /Normal: spans pfns 0x40000\.\.0x10000040000, above the import's limit of 2\^40 pfns/, 45);
  });
  it('a zone spanning 2^31 pages, inside the pfn limit but too much work: refused (2^32 pages in all)', () => {
    const d = capture();
    edit(d, 'proc/zoneinfo', (t) => t.replace(/spanned  131072/, `spanned  ${2 ** 32}`));
    refused(d, 'proc/zoneinfo', /more than 2\^32 pages/, 74);
  });
  it('100,000 zones (issue 15): refused at the first zone above MAX_NUMNODES × MAX_NR_ZONES', () => {
    const d = capture();
    let z = '';
    for (let i = 0; i < 100000; i++) z += `Node ${i % 1024}, zone Z${Math.floor(i / 1024)}\n  pages free 0\n        spanned  0\n        present  0\n        managed  0\n`;
    writeFileSync(join(d, 'proc/zoneinfo'), z);
    refused(d, 'proc/zoneinfo', /more than 6144 zones/, 6144 * 5 + 1);
  });
  it('a node id above MAX_NUMNODES, a zone twice: refused', () => {
    let d = capture();
    edit(d, 'proc/zoneinfo', (t) => t.replace('Node 0, zone   Normal', 'Node 5000, zone   Normal'));
    refused(d, 'proc/zoneinfo', /node 5000: node ids are below MAX_NUMNODES \(1024\)/, 45);
    d = capture();
    edit(d, 'proc/zoneinfo', (t) => t.replace('Node 0, zone  Movable', 'Node 0, zone   Normal'));
    refused(d, 'proc/zoneinfo', /node 0 zone Normal again \(first on line 45\)/, 74);
  });
  for (const [o, re] of [[0, /pageblock order 0: expected 1 to 20/], [99, /pageblock order 99: expected 1 to 20/], [11, /pageblock order 11: expected 1 to MAX_PAGE_ORDER 10/]] as const) {
    it(`pageblock order ${o} (issue 15/16): refused at the \`Page block order\` line`, () => {
      const d = capture();
      edit(d, 'proc/pagetypeinfo', (t) => t.replace('Page block order: 9', `Page block order: ${o}`));
      refused(d, 'proc/pagetypeinfo', re, 1);
    });
  }
  it('block_size_bytes 1000 (4 KiB, below a MAX_PAGE_ORDER block) and 3000 (not a power of two): refused', () => {
    let d = capture();
    writeFileSync(join(d, 'sys/devices/system/memory/block_size_bytes'), '1000\n');
    refused(d, 'sys/devices/system/memory/block_size_bytes', /smaller than a MAX_PAGE_ORDER block/);
    d = capture();
    writeFileSync(join(d, 'sys/devices/system/memory/block_size_bytes'), '3000\n');
    refused(d, 'sys/devices/system/memory/block_size_bytes', /not a power of two/);
  });
  it('cpus 0-4294967295, 5-2, 0-3,2: refused', () => {
    for (const [t, re] of [['0-4294967295', /cpu 4294967295: cpu ids are below NR_CPUS/], ['5-2', /ends before it starts/], ['0-3,2', /not above the cpus before it/], ['0-8191', /8192 cpus online: the simulator models at most 4096/]] as const) {
      const d = capture();
      writeFileSync(join(d, 'sys/devices/system/cpu/online'), t + '\n');
      refused(d, 'sys/devices/system/cpu/online', re);
    }
  });
  it('overlapping start_pfn (two zones on one span): refused at the later zone', () => {
    const d = capture();
    edit(d, 'proc/zoneinfo', (t) => t.replace('start_pfn:           524288', 'start_pfn:           300000'));
    refused(d, 'proc/zoneinfo', /node 0 zone Movable 0x493e0\.\.0x693e0 overlaps node 0 zone Normal 0x40000\.\.0x80000 \(line 45\)/, 74);
  });
  it('zones of a node out of order (Normal below DMA32): refused', () => {
    const d = capture();
    edit(d, 'proc/zoneinfo', (t) => t.replace('start_pfn:           262144', 'start_pfn:           2000000').replace('start_pfn:           524288', 'start_pfn:           3000000'));
    edit(d, 'proc/zoneinfo', (t) => t.replace('start_pfn:           4096', 'start_pfn:           2500000'));
    refused(d, 'proc/zoneinfo', /node 0: zone DMA32 starts at 0x2625a0, above zone Normal \(0x1e8480\): zones of a node are in the order DMA, DMA32, Normal, Movable/, 45);
  });
  it('more free pages than the zone has, present above spanned, a duplicate memory block: refused', () => {
    let d = capture();
    edit(d, 'proc/buddyinfo', (t) => t.replace(/Movable      5/, 'Movable 999999999'));
    refused(d, 'proc/buddyinfo', /the free blocks hold \d+ pages, but the zone has 131072 present pages/, 3);
    d = capture();
    edit(d, 'proc/zoneinfo', (t) => t.replace('present  262144', 'present  262145'));
    refused(d, 'proc/zoneinfo', /present 262145 above spanned 262144/, 45);
    d = capture();
    writeFileSync(join(d, 'sys/devices/system/memory/memory7/phys_index'), '00000006\n');
    const err = refused(d, 'sys/devices/system/memory/memory7/phys_index', /memory block 6 again/);
    assert.match(err, /memory6/);
  });
  it('iomem ranges out of order or overlapping: refused', () => {
    const d = capture();
    writeFileSync(join(d, 'proc/iomem'), '00001000-0009fbff : System RAM\n00050000-000fffff : Reserved\n');
    refused(d, 'proc/iomem', /overlaps or precedes the range on line 1/, 2);
  });
  it('error messages quote the capture only as a short printable excerpt (no terminal escapes, no long text)', () => {
    const d = capture();
    edit(d, 'proc/buddyinfo', (t) => t.replace(/Normal    300/, `Normal    \x1b]0;pwned\x07${'A'.repeat(500)}`));
    const err = refused(d, 'proc/buddyinfo', /expected a free block count, found `\?\]0;pwned\?A+…`/, 2);
    assert.ok(!err.includes('\x1b') && !err.includes('\x07'), err);
    assert.ok(err.length < 200, err);
  });
});

// ---------------------------------------------------------------- --live gives up in bounded tries and time
describe('import --live: bounded retries', () => {
  const snap = () => readSnapshot(MOVABLE, false);
  it('files that never agree: at most LIVE_MAX_TRIES reads, then the last read with a note', () => {
    let reads = 0;
    const s = readLive(() => { reads++; const x = snap(); x.zoneinfo[1]!.free += 10000 * reads; return x; });
    assert.equal(reads, LIVE_MAX_TRIES);
    assert.match(s.readNotes!.join('\n'), /still disagreed after 20 reads in \d+ ms/);
    assert.match(generate(s).text, /still disagreed after 20 reads/);
  });
  it('slow reads: stops after LIVE_MAX_MS', () => {
    let t = 0, reads = 0;
    const s = readLive(() => { reads++; t += 700; const x = snap(); x.zoneinfo[1]!.free += 10000 * reads; return x; }, { now: () => t });
    assert.equal(reads, 3); // reads end at 700, 1400, 2100 ms: no 4th read after 2000 ms
    assert.match(s.readNotes![0]!, /after 3 reads in 2100 ms/);
  });
  it('zoneinfo "pages free" within the vmstat drift (sum of `vm stats threshold`) of the free lists: agrees', () => {
    let reads = 0;
    const s = readLive(() => { reads++; const x = snap(); x.zoneinfo[1]!.free += x.zoneinfo[1]!.statThresholdSum!; return x; });
    assert.equal(reads, 1);
    assert.equal(s.readNotes, undefined);
    let r2 = 0;
    readLive(() => { r2++; const x = snap(); x.zoneinfo[1]!.free += x.zoneinfo[1]!.statThresholdSum! + 1; return x; }, { tries: 3 });
    assert.equal(r2, 3);
  });
  it('files that agree: one read, no note', () => {
    let reads = 0;
    const s = readLive(() => { reads++; return snap(); });
    assert.equal(reads, 1);
    assert.equal(s.readNotes, undefined);
  });
});
