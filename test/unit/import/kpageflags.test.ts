// /proc/kpageflags: the kinds, THP folios and all-zero pageblocks kept from its words; the bounded chunked read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KPF, KpfSummariser, kindOf } from '../../../src/import/kpageflags.js';
import { CaptureDir } from '../../../src/import/captureFs.js';
import { ImportError } from '../../../src/import/parse.js';

const bit = (...b: number[]) => b.reduce((w, n) => w | (1n << BigInt(n)), 0n);
function words(ws: bigint[]): Uint8Array {
  const b = Buffer.alloc(ws.length * 8);
  ws.forEach((w, i) => b.writeBigUInt64LE(w, i * 8));
  return b;
}

describe('kpageflags: page kinds from the flags', () => {
  it('kindOf: buddy, slab, anon, file, reserved, offline, no page, none', () => {
    const k = (w: bigint) => kindOf(Number(w & 0xffffffffn), Number(w >> 32n));
    assert.equal(k(bit(KPF.BUDDY)), 'free');
    assert.equal(k(bit(KPF.SLAB, KPF.COMPOUND_HEAD)), 'slab');
    assert.equal(k(bit(KPF.LRU, KPF.ANON, 11, 14)), 'anon');
    assert.equal(k(bit(KPF.LRU, 3)), 'file');
    assert.equal(k(bit(KPF.RESERVED)), 'reserved');
    assert.equal(k(bit(KPF.OFFLINE)), 'offline');
    assert.equal(k(bit(KPF.NOPAGE)), 'nopage');
    assert.equal(k(0n), 'none');
    assert.equal(k(bit(KPF.HUGE, KPF.COMPOUND_HEAD)), 'hugetlb');
  });
  it('runs, THP folios (aligned heads with their tails) and all-zero pageblocks; chunks may split anything', () => {
    const pb = 8;
    const ws: bigint[] = [];
    for (let i = 0; i < 8; i++) ws.push(0n); // pfn 0..7: a zero pageblock
    ws.push(bit(KPF.LRU, KPF.ANON, KPF.COMPOUND_HEAD, KPF.THP)); // pfn 8: an order-2 anon THP
    for (let i = 0; i < 3; i++) ws.push(bit(KPF.LRU, KPF.ANON, KPF.COMPOUND_TAIL, KPF.THP));
    for (let i = 0; i < 4; i++) ws.push(bit(KPF.BUDDY)); // 12..15 free
    const buf = words(ws);
    const s = new KpfSummariser(pb, 100);
    s.add(buf.subarray(0, 80), 0); // split inside the folio
    s.add(buf.subarray(80), 10);
    const r = s.finish();
    assert.deepEqual(r.runs.map((x) => [x.start, x.end, x.kind]), [[0, 8, 'none'], [8, 12, 'anon'], [12, 16, 'free']]);
    assert.deepEqual(r.thp, [{ pfn: 8, order: 2, kind: 'anon' }]);
    assert.deepEqual([...r.zeroBlocks], [0]);
    assert.equal(r.words, 16);
  });
  it('at most maxRuns runs are kept; then `truncated`', () => {
    const s = new KpfSummariser(512, 2);
    s.add(words([0n, bit(KPF.BUDDY), 0n, bit(KPF.BUDDY)]), 0);
    const r = s.finish();
    assert.equal(r.runs.length, 2);
    assert.ok(r.truncated);
  });
});

describe('kpageflags: read in bounded chunks, regular files only', () => {
  let d: string;
  before(() => { d = mkdtempSync(join(tmpdir(), 'mmscn-kpf-')); mkdirSync(join(d, 'proc')); });
  after(() => rmSync(d, { recursive: true, force: true }));
  it('hands over at most `chunk` bytes at a time, from the offset asked, stopping at the end of the file', () => {
    writeFileSync(join(d, 'proc/kpageflags'), Buffer.alloc(100, 7));
    const seen: [number, number][] = [];
    const n = new CaptureDir(d, true).chunks('proc/kpageflags', 16, 1000, 32, (b, off) => seen.push([off, b.length]));
    assert.equal(n, 84);
    assert.deepEqual(seen, [[16, 32], [48, 32], [80, 20]]);
    assert.equal(new CaptureDir(d, true).chunks('proc/nothing', 0, 8, 8, () => {}), null);
  });
  it('a FIFO in place of kpageflags is refused without blocking', () => {
    rmSync(join(d, 'proc/kpageflags'));
    execFileSync('mkfifo', [join(d, 'proc/kpageflags')]);
    assert.throws(() => new CaptureDir(d, true).chunks('proc/kpageflags', 0, 8, 8, () => {}), (e: unknown) => e instanceof ImportError && /not a regular file \(a FIFO\)/.test(e.message));
  });
});
