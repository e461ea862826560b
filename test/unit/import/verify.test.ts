// `mmscn verify`: the operation's words, the hugetlb head scanner, and the whole capture → predict → perform →
// measure → restore sequence against a fake machine (deterministic; the live test is verify-live.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readSnapshot } from '../../../src/import/fs.js';
import { runVerify, verify, type MachineFiles } from '../../../src/cli/verify.js';
import { HugeHeadScanner, KPF } from '../../../src/import/kpageflags.js';
import { parseVerifyOp, placement, type VerifyOp } from '../../../src/import/verify.js';
import { analyze, analyzeOnce } from '../../../src/language/index.js';
import { parseStats } from '../../../src/language/parser.js';

const MOVABLE = join(__dirname, '../../fixtures/proc-snapshot-movable');
const NR2M = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages';
const NODE2M = '/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages';
const COMPACT = '/proc/sys/vm/compact_memory';

/** a machine of one node whose 2M pool takes its pages from `slots`, in order, and gives them back on shrink */
class Fake implements MachineFiles {
  heads: number[] = [];
  writes: [string, string][] = [];
  vm = { htlb_buddy_alloc_success: 0, htlb_buddy_alloc_fail: 0, pgmigrate_success: 0, compact_migrate_scanned: 0 };
  interrupt: (() => void) | null = null;
  unregistered = 0;
  refuseShrink = false;
  failKpfAfterGrow = false;
  onGrow: (() => void) | null = null;
  t = 0;
  constructor(public slots = [0x90000, 0x90200, 0x90400], public writable_ = true) {}
  read(p: string): string {
    if (p === NR2M || p === NODE2M) return `${this.heads.length}\n`;
    if (p === '/proc/vmstat') return Object.entries(this.vm).map(([k, v]) => `${k} ${v}`).join('\n') + '\n';
    if (p === '/proc/buddyinfo') return readFileSync(join(MOVABLE, 'proc/buddyinfo'), 'utf8');
    throw new Error(`no file ${p}`);
  }
  write(p: string, t: string): void {
    this.writes.push([p, t]);
    if (p === COMPACT) { this.vm.pgmigrate_success += 7; this.vm.compact_migrate_scanned += 100; return; }
    if (p !== NR2M) throw new Error(`EACCES ${p}`);
    const n = Number(t);
    while (this.heads.length < n && this.heads.length < this.slots.length) { this.heads.push(this.slots[this.heads.length]!); this.vm.htlb_buddy_alloc_success++; }
    if (this.heads.length < n) this.vm.htlb_buddy_alloc_fail++;
    if (!this.refuseShrink) while (this.heads.length > n) this.heads.pop();
    this.onGrow?.();
  }
  exists(p: string) { return [NR2M, NODE2M, COMPACT].includes(p); }
  writable() { return this.writable_; }
  list(d: string) { return d === '/sys/devices/system/node' ? ['node0', 'possible'] : []; }
  kpageflags(s: number, e: number, on: (b: Uint8Array, p: number) => void): boolean {
    if (this.failKpfAfterGrow && this.heads.length) throw new Error('kpageflags went away');
    const b = new Uint8Array((e - s) * 8);
    const dv = new DataView(b.buffer);
    for (const h of this.heads) {
      if (h < s || h >= e) continue;
      dv.setUint32((h - s) * 8, (1 << KPF.HUGE) | (1 << KPF.COMPOUND_HEAD), true);
      for (let i = 1; i < 512; i++) dv.setUint32((h - s + i) * 8, (1 << KPF.HUGE) | (1 << KPF.COMPOUND_TAIL), true);
    }
    on(b, s);
    return true;
  }
  capture() { return readSnapshot(MOVABLE, false); }
  now() { return (this.t += 1); }
  onInterrupt(restore: () => void) { this.interrupt = restore; return () => { this.unregistered++; this.interrupt = null; }; }
  source() { return { name: 'a fake machine', release: null }; }
}

const op = (s: string) => parseVerifyOp(s.split(' ')) as VerifyOp;

describe('verify: the operation', () => {
  it('accepts hugetlb 2M/1G +N and compact_memory; refuses the rest with the forms it takes', () => {
    assert.deepEqual(parseVerifyOp(['hugetlb', '2M', '+4']), { kind: 'hugetlb', size: '2M', n: 4 });
    assert.deepEqual(parseVerifyOp(['hugetlb', '1g', '1']), { kind: 'hugetlb', size: '1G', n: 1 });
    assert.deepEqual(parseVerifyOp(['compact_memory']), { kind: 'compact' });
    assert.match(parseVerifyOp(['hugetlb', '2M', '0']) as string, /grow by 1 to 4096/);
    assert.match(parseVerifyOp(['hugetlb', '1G', '17']) as string, /1 to 16/);
    assert.match(parseVerifyOp(['drop_caches']) as string, /unknown operation `drop_caches`: expected hugetlb 2M \+N/);
    assert.match(parseVerifyOp(['\u0000x']) as string, /`\?x`/);
  });
  it('HugeHeadScanner: one entry per hugetlb folio with its size; THP heads are not hugetlb', () => {
    const b = new Uint8Array(8 * 8);
    const dv = new DataView(b.buffer);
    const set = (i: number, bits: number[]) => dv.setUint32(i * 8, bits.reduce((t, x) => t | (1 << x), 0), true);
    set(0, [KPF.HUGE, KPF.COMPOUND_HEAD]); set(1, [KPF.HUGE, KPF.COMPOUND_TAIL]);
    set(2, [KPF.THP, KPF.COMPOUND_HEAD]); set(3, [KPF.THP, KPF.COMPOUND_TAIL]);
    set(4, [KPF.HUGE, KPF.COMPOUND_HEAD]); set(5, [KPF.HUGE, KPF.COMPOUND_TAIL]); set(6, [KPF.HUGE, KPF.COMPOUND_TAIL]);
    const s = new HugeHeadScanner();
    s.add(b.subarray(0, 48), 100); s.add(b.subarray(48), 106);
    assert.deepEqual(s.heads, [{ pfn: 100, pages: 2 }, { pfn: 104, pages: 3 }]);
  });
  it('placement: zones and merged ranges', () => {
    const p = placement([{ pfn: 0x400, pages: 0x200 }, { pfn: 0x200, pages: 0x200 }, { pfn: 0x1000, pages: 0x200 }], [{ nid: 0, zone: 'DMA32', start: 0, end: 0x1000 }, { nid: 0, zone: 'Normal', start: 0x1000, end: 0x2000 }]);
    assert.deepEqual(p.perZone, [{ nid: 0, zone: 'DMA32', folios: 2 }, { nid: 0, zone: 'Normal', folios: 1 }]);
    assert.deepEqual(p.ranges, [[0x200, 0x600], [0x1000, 0x1200]]);
  });
});

describe('verify against a fake machine', function () {
  this.timeout(60000);
  it('hugetlb 2M +2: predicted and measured side by side, the pool restored, the interrupt hook held during the grow', () => {
    const m = new Fake();
    let hookDuringGrow = false;
    m.onGrow = () => { if (m.heads.length === 2) hookDuringGrow = m.interrupt !== null; };
    const r = verify(op('hugetlb 2M +2'), m);
    assert.deepEqual(m.writes, [[NR2M, '2'], [NR2M, '0']]);
    assert.ok(hookDuringGrow);
    assert.equal(m.unregistered, 1);
    assert.deepEqual(r.kernel.pool, { before: 0, after: 2, requested: 2 });
    assert.deepEqual(r.kernel.placement!.heads, [0x90000, 0x90200]);
    assert.deepEqual(r.kernel.placement!.perZone, [{ nid: 0, zone: 'Movable', folios: 2 }]);
    assert.deepEqual(r.kernel.perNode, [{ nid: 0, folios: 2 }]);
    assert.equal(r.kernel.counters.htlb_buddy_alloc_success, 2);
    assert.deepEqual(r.restore, { done: true, text: 'nr_hugepages 2M back to 0' });
    // the simulator's own answer on the imported fixture
    assert.equal(r.predicted.pool!.after, 2);
    assert.equal(r.predicted.placement!.folios, 2);
    assert.equal(r.predicted.counters.htlb_buddy_alloc_success, 2);
    assert.ok(r.agreement.includes('huge pages obtained: equal (2)'), r.agreement.join('\n'));
    assert.ok(r.agreement.some((a) => /^same pfns: \d of 2/.test(a)));
    assert.ok(r.caveats.some((c) => /kept running/.test(c)));
    assert.ok(r.caveats.some((c) => /existing hugetlb pool is imported as kernel pages/.test(c)));
  });
  it('the kernel gives fewer pages than asked: both columns say so, nothing is invented', () => {
    const m = new Fake([0x90000]);
    const r = verify(op('hugetlb 2M +3'), m);
    assert.deepEqual(r.kernel.pool, { before: 0, after: 1, requested: 3 });
    assert.ok(r.kernel.notes.some((n) => /nr_hugepages is 1, not 3/.test(n)));
    assert.equal(r.kernel.counters.htlb_buddy_alloc_fail, 1);
    assert.ok(r.restore!.done);
  });
  it('an error after the grow still restores the pool (and the error is reported, exit 2)', () => {
    const m = new Fake();
    m.failKpfAfterGrow = true;
    const out: string[] = [], err: string[] = [];
    assert.equal(runVerify({ live: true }, ['hugetlb', '2M', '+2'], (s) => out.push(s), (s) => err.push(s), m), 2);
    assert.deepEqual(m.writes, [[NR2M, '2'], [NR2M, '0']]);
    assert.equal(m.heads.length, 0);
    assert.match(err.join('\n'), /kpageflags went away/);
    assert.deepEqual(out, []);
  });
  it('an interrupt during the grow restores once; the finally does not write again', () => {
    const m = new Fake();
    m.onGrow = () => { if (m.heads.length === 2 && m.interrupt) m.interrupt(); };
    const r = verify(op('hugetlb 2M +2'), m);
    assert.deepEqual(m.writes, [[NR2M, '2'], [NR2M, '0']]);
    assert.ok(r.restore!.done);
  });
  it('the kernel does not shrink back: exit 1 and the report says what to do', () => {
    const m = new Fake();
    m.refuseShrink = true;
    const out: string[] = [];
    assert.equal(runVerify({ live: true }, ['hugetlb', '2M', '2'], (s) => out.push(s), () => {}, m), 1);
    assert.match(out.join('\n'), /restored: nr_hugepages 2M is 2, not 0: .*write 0 to/);
  });
  it('compact_memory: one write of 1, the vmstat deltas, the simulator\'s compaction of every zone, --json', () => {
    const m = new Fake();
    const out: string[] = [];
    assert.equal(runVerify({ live: true, json: true }, ['compact_memory'], (s) => out.push(s), () => {}, m), 0);
    assert.deepEqual(m.writes, [[COMPACT, '1']]);
    const r = JSON.parse(out.join('\n'));
    assert.equal(r.operation, 'compact_memory');
    assert.equal(r.kernel.migrated, 7);
    assert.equal(r.kernel.counters.compact_migrate_scanned, 100);
    assert.equal(r.restore, null);
    assert.equal(typeof r.predicted.migrated, 'number');
    // counted by the simulator since compaction's cached pfns and fast paths are modelled (was null: not counted)
    for (const k of ['compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated']) assert.equal(typeof r.predicted.counters[k], 'number', k);
    assert.deepEqual(r.predicted.free.map((z: { zone: string }) => z.zone), ['DMA32', 'Normal', 'Movable']);
    assert.ok(r.caveats.some((c: string) => /skip hints/.test(c)));
  });
  it("the prediction's analysis is not kept (an imported machine's is ~3 KB a line: three kept ones filled the heap)", () => {
    // the editor's last three analyses are kept; a verify in between must not push one of them out
    const texts = ['machine {\n  node 0 {\n    zone Normal 0x1000..0x9000\n  }\n}\n', 'seed 1\n', 'seed 2\n'];
    for (const t of texts) analyze(t);
    const parsed = parseStats.files;
    for (const t of texts) analyze(t);
    assert.equal(parseStats.files, parsed, 'the three texts are kept');
    verify(op('hugetlb 2M +1'), new Fake());
    const afterVerify = parseStats.files;
    for (const t of texts) analyze(t);
    assert.equal(parseStats.files, afterVerify, 'the verify kept its own analysis in place of one of them');
    // analyzeOnce answers as analyze does, and keeps nothing
    const t = 'seed 3\n';
    assert.deepEqual(analyzeOnce(t).scenario, analyze(t).scenario);
    analyzeOnce('seed 4\n');
    const n = parseStats.files;
    analyze('seed 4\n');
    assert.equal(parseStats.files, n + 1, 'analyzeOnce did not keep its analysis');
  });
  it('text: a table with both columns and the caveats', () => {
    const out: string[] = [];
    assert.equal(runVerify({ live: true }, ['hugetlb', '2M', '+1'], (s) => out.push(s), () => {}, new Fake()), 0);
    const t = out.join('\n');
    assert.match(t, /simulator \(predicted\)\s+kernel \(measured\)/);
    assert.match(t, /2M pages obtained\s+1 of 1\s+1 of 1 \(nr_hugepages 0 → 1\)/);
    assert.match(t, /why the two can differ:/);
  });
  it('refuses without --live, with a bad operation, or when the file is not writable (nothing written)', () => {
    const err: string[] = [];
    const m = new Fake(undefined, false);
    assert.equal(runVerify({}, ['compact_memory'], () => {}, (s) => err.push(s), m), 2);
    assert.equal(runVerify({ live: true }, ['hugetlb', '4M', '1'], () => {}, (s) => err.push(s), m), 2);
    assert.equal(runVerify({ live: true }, ['hugetlb', '2M', '1'], () => {}, (s) => err.push(s), m), 2);
    assert.deepEqual(m.writes, []);
    assert.match(err[0]!, /give --live/);
    assert.match(err[1]!, /unknown operation/);
    assert.match(err[2]!, /nr_hugepages is not writable \(verify changes the machine: run it as root\)/);
  });
});
