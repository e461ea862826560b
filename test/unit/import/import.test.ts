// `mmscn import`: the proc/sysfs parsers, the generated scenario reproducing a machine's numbers, the CLI.
import assert from 'node:assert/strict';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportError, parseBuddyinfo, parseIomem, parseMemoryBlocks, parsePagetypeinfo, parseZoneinfo, summariseKpageflags } from '../../../src/import/parse.js';
import { generate } from '../../../src/import/generate.js';
import { readSnapshot } from '../../../src/import/fs.js';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';
import { buddyinfo } from '../../../src/sim/proc.js';

const FX = join(__dirname, '../../fixtures');
const SNAP1 = join(FX, 'proc-snapshot-1');
const MOVABLE = join(FX, 'proc-snapshot-movable');
const rd = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
import { buildOnce, mmscn } from '../../support/cli.js';
function throwsAt(f: () => unknown, file: string, line: number, re: RegExp) {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof ImportError, String(e));
    assert.equal(e.file, file);
    assert.equal(e.line, line, e.message);
    assert.match(e.message, re);
    assert.ok(e.message.startsWith(`${file}:${line}: error: `));
    return true;
  });
}

describe('import: parsers', () => {
  it('buddyinfo: rows, orders counted', () => {
    const rows = parseBuddyinfo(rd(SNAP1, 'proc/buddyinfo'));
    assert.deepEqual(rows.map((r) => r.zone), ['DMA', 'DMA32', 'Normal']);
    assert.ok(rows.every((r) => r.counts.length === 11));
    assert.equal(parseBuddyinfo('Node 1, zone   Normal      1      2 \n')[0]!.nid, 1);
  });
  it('buddyinfo: malformed input names the line', () => {
    throwsAt(() => parseBuddyinfo('Node 0, zone DMA 1 2 3\nNode 0, zone DMA32 1 x 3\n', 'b'), 'b', 2, /expected a free block count, found `x`/);
    throwsAt(() => parseBuddyinfo('Node 0, zone DMA 1 2 3\nNode 0, zone DMA32 1 2\n', 'b'), 'b', 2, /2 orders, but the first row has 3/);
    throwsAt(() => parseBuddyinfo('hello\n', 'b'), 'b', 1, /expected `Node N, zone NAME/);
    throwsAt(() => parseBuddyinfo('', 'b'), 'b', 1, /no `Node N, zone/);
  });
  it('pagetypeinfo: free counts, the >100000 cap, block counts by header, mixed blocks skipped', () => {
    const p = parsePagetypeinfo(rd(SNAP1, 'proc/pagetypeinfo'));
    assert.equal(p.pageblockOrder, 9);
    assert.ok(p.free.some((r) => r.zone === 'Normal' && r.mt === 'unmovable'));
    assert.ok(!p.types.includes('cma'), 'this machine has no CMA column');
    const t = `Page block order: 9
Pages per block:  512

Free pages count per migrate type at order       0      1 
Node    0, zone   Normal, type      Movable     25 >100000 

Number of blocks type     Unmovable      Movable 
Node 0, zone   Normal            1            2 

Number of mixed blocks    Unmovable      Movable 
Node 0, zone   Normal            0            1 
`;
    const q = parsePagetypeinfo(t);
    assert.deepEqual(q.free[0]!.counts, [25, 100000]);
    assert.deepEqual(q.free[0]!.capped, [false, true]);
    assert.deepEqual(q.blocks, [{ nid: 0, zone: 'Normal', counts: { unmovable: 1, movable: 2 }, line: 8 }]);
  });
  it('pagetypeinfo: malformed input names the line', () => {
    const head = 'Page block order: 9\nPages per block:  512\n\nFree pages count per migrate type at order       0      1 \n';
    throwsAt(() => parsePagetypeinfo(head + 'Node    0, zone   Normal, type      Movable     25 \n', 'p'), 'p', 5, /1 counts, but the header has 2 orders/);
    throwsAt(() => parsePagetypeinfo(head + 'Node    0, zone   Normal, type      Movable     25 ?? \n', 'p'), 'p', 5, /found `\?\?`/);
    throwsAt(() => parsePagetypeinfo('Free pages count per migrate type at order 0\n', 'p'), 'p', 1, /no `Page block order:`/);
    throwsAt(() => parsePagetypeinfo(head + '\nNumber of blocks type     Unmovable      Movable \nNode 0, zone   Normal            1 \n', 'p'), 'p', 7, /1 counts, but the header has 2 types/);
  });
  it('zoneinfo: per zone spans and counters; the rest ignored', () => {
    const z = parseZoneinfo(rd(SNAP1, 'proc/zoneinfo'));
    const normal = z.find((x) => x.zone === 'Normal')!;
    assert.equal(normal.startPfn, 0x100000);
    assert.equal(normal.spanned, 5505024);
    assert.ok(normal.managed > 0 && normal.present >= normal.managed);
    const mv = parseZoneinfo(rd(MOVABLE, 'proc/zoneinfo'));
    assert.deepEqual(mv.map((x) => [x.zone, x.startPfn]), [['DMA', null], ['DMA32', 0x1000], ['Normal', 0x40000], ['Movable', 0x80000], ['Device', null]]);
    assert.equal(mv[3]!.free, 122885);
  });
  it('zoneinfo: malformed input names the line', () => {
    throwsAt(() => parseZoneinfo('Node 0, zone DMA\n  pages free 1\n        spanned  x1\n', 'z'), 'z', 3, /expected `spanned`, found `x1`/);
    throwsAt(() => parseZoneinfo('garbage\n', 'z'), 'z', 1, /expected `Node N, zone NAME` first/);
    throwsAt(() => parseZoneinfo('Node 0, zone DMA\n        spanned  1\n        present  1\n', 'z'), 'z', 1, /has no `managed` line/);
  });
  it('iomem: System RAM as pfn ranges; hidden addresses give nothing', () => {
    assert.deepEqual(parseIomem('00001000-0009fbff : System RAM\n000a0000-000fffff : PCI Bus 0000:00\n  000f0000-000fffff : System ROM\n100000000-63fffffff : System RAM\n  1000000-1ffffff : Kernel code\n'), [[1, 0x9f], [0x100000, 0x640000]]);
    assert.deepEqual(parseIomem('00000000-00000000 : System RAM\n'), []);
    throwsAt(() => parseIomem('zz : System RAM\n', 'i'), 'i', 1, /START-END : NAME/);
  });
  it('memory blocks: size, states, zones, node links', () => {
    const m = parseMemoryBlocks('8000000\n', 'bs', [
      { name: 'memory20', dir: 'm20', state: 'offline\n', phys_index: '00000014\n', valid_zones: 'Normal Movable\n', nodes: [0] },
      { name: 'memory3', dir: 'm3', state: 'online\n', phys_index: '00000003\n', valid_zones: 'DMA32\n', nodes: [] },
    ]);
    assert.equal(m.blockBytes, 128 << 20);
    assert.deepEqual(m.blocks, [{ id: 3, state: 'online', validZones: ['DMA32'], nid: null }, { id: 20, state: 'offline', validZones: ['Normal', 'Movable'], nid: 0 }]);
    throwsAt(() => parseMemoryBlocks('zz\n', 'bs', []), 'bs', 1, /expected a hex byte count/);
    throwsAt(() => parseMemoryBlocks('8000000', 'bs', [{ name: 'memory1', dir: 'm1', state: 'sleeping', nodes: [] }]), 'm1/state', 1, /found `sleeping`/);
    throwsAt(() => parseMemoryBlocks('8000000', 'bs', [{ name: 'memory1', dir: 'm1', state: 'online', phys_index: 'q', nodes: [] }]), 'm1/phys_index', 1, /hex block id/);
  });
  it('kpageflags: little-endian words summarised per pageblock', () => {
    const buf = new Uint8Array(8 * 4);
    const dv = new DataView(buf.buffer);
    dv.setUint32(0, 1 << 10, true); // BUDDY
    dv.setUint32(8 + 4, 1, true); // RESERVED (bit 32)
    dv.setUint32(16, 1 << 20, true); // NOPAGE
    const s = summariseKpageflags(buf, 2, 2);
    assert.deepEqual(s.map((b) => [b.pfn, b.buddyHeads, b.reserved, b.nopage]), [[2, 1, 1, 0], [4, 0, 0, 1]]);
    throwsAt(() => summariseKpageflags(new Uint8Array(5), 0, 512, 'k'), 'k', 1, /not a whole number of 8-byte words/);
  });
});

/** import a fixture directory and run the scenario */
function importAndRun(dir: string) {
  const snap = readSnapshot(dir, false);
  const res = generate(snap);
  const { scenario, diagnostics } = analyze(res.text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  const [o] = runScenario(scenario!);
  assert.deepEqual(o!.errors, []);
  return { res, machine: o!.machine };
}

for (const [name, dir] of [['proc-snapshot-1 (this machine)', SNAP1], ['proc-snapshot-movable (Movable zone, offline block)', MOVABLE]] as const) {
  describe(`import: ${name} reproduced by the simulator`, function () {
    this.timeout(60000);
    let r: ReturnType<typeof importAndRun>;
    before(() => { r = importAndRun(dir); });
    it('buddyinfo equals the machine\'s, every zone', () => {
      assert.equal(buddyinfo(r.machine), rd(dir, 'proc/buddyinfo'));
    });
    it('pagetypeinfo free counts per migratetype and order equal', () => {
      const p = parsePagetypeinfo(rd(dir, 'proc/pagetypeinfo'));
      const zones = r.machine.zones();
      for (const row of p.free) {
        const z = zones.find((v) => v.nid === row.nid && v.zone === row.zone)!;
        const mi = ['unmovable', 'movable', 'reclaimable', 'highatomic', 'cma', 'isolate'].indexOf(row.mt);
        assert.deepEqual(z.freeCounts[mi], row.counts, `${row.zone} ${row.mt}`);
      }
    });
    it('pageblock counts per migratetype equal (but for pageblocks the kernel did not count, which the scenario notes)', () => {
      const p = parsePagetypeinfo(rd(dir, 'proc/pagetypeinfo'));
      for (const row of p.blocks) {
        const z = r.machine.zones().find((v) => v.nid === row.nid && v.zone === row.zone)!;
        const note = r.res.notes.find((n) => n.startsWith(`node ${row.nid} ${row.zone}: `) && /pageblocks the kernel did not count/.test(n));
        const extra = note ? Number(/: (\d+) pageblocks/.exec(note)![1]) : 0;
        for (const [t, n] of Object.entries(row.counts)) assert.equal(z.pageblockCounts[t as 'movable'], n + (t === 'movable' ? extra : 0), `${row.zone} ${t}`);
      }
    });
    it('zoneinfo spanned, present, managed and start_pfn equal', () => {
      for (const zi of parseZoneinfo(rd(dir, 'proc/zoneinfo'))) {
        if (!zi.spanned) continue;
        const z = r.machine.zones().find((v) => v.nid === zi.nid && v.zone === zi.zone)!;
        assert.deepEqual([z.start_pfn, z.spanned, z.present, z.managed], [zi.startPfn, zi.spanned, zi.present, zi.managed], zi.zone);
      }
    });
    it('memory blocks: online ones in their zone, offline ones offline', () => {
      for (const b of readSnapshot(dir, false).memory!.blocks) {
        const v = r.machine.blocks().find((x) => x.id === b.id);
        assert.ok(v, `memory${b.id}`);
        assert.equal(v.state, b.state);
        if (b.state === 'online' && b.validZones.length === 1 && b.validZones[0] !== 'none') assert.equal(v.zone, b.validZones[0]);
      }
    });
    it('the generated file is small: ranges, a comment with the source and date', () => {
      assert.match(r.res.text, /^# Imported by `mmscn import` from .* on \d{4}-\d\d-\d\d/);
      assert.ok(r.res.text.split('\n').length < 20000, `${r.res.text.split('\n').length} lines`);
    });
  });
}

describe('import: the hand-written fixture is reproduced with no notes at all', () => {
  it('no notes', () => {
    assert.deepEqual(generate(readSnapshot(MOVABLE, false)).notes, []);
  });
  it('a capped count is taken from buddyinfo, and said so', () => {
    const snap = readSnapshot(MOVABLE, false);
    const row = snap.pagetypeinfo!.free.find((x) => x.zone === 'Normal' && x.mt === 'movable')!;
    row.capped[0] = true;
    row.counts[0] = 100000;
    snap.buddyinfo!.find((x) => x.zone === 'Normal')!.counts[0] = 100300; // no other type has order-0 blocks in Normal
    const res = generate(snap);
    assert.ok(res.notes.some((n) => /Normal movable order 0: pagetypeinfo shows >100000 .*; 100300 taken from buddyinfo/.test(n)), res.notes.join('\n'));
    assert.equal(res.zones.find((z) => z.zone === 'Normal')!.free[1]![0], 100300);
  });
});

describe('mmscn import (command line)', function () {
  this.timeout(120000);
  const tmp = mkdtempSync(join(tmpdir(), 'mmscn-import-'));
  before(() => {
    buildOnce();
  });
  for (const dir of [SNAP1, MOVABLE]) {
    it(`--from ${dir.split('/').pop()} -o x.mmscn, then run --format buddyinfo equals the fixture`, () => {
      const x = join(tmp, 'x.mmscn');
      const i = mmscn('import', '--from', dir, '-o', x);
      assert.equal(i.code, 0, i.err);
      assert.match(i.err, /mmscn import: /);
      const r = mmscn('run', x, '--format', 'buddyinfo');
      assert.equal(r.code, 0, r.out + r.err);
      assert.equal(r.out, rd(dir, 'proc/buddyinfo'));
    });
  }
  it('without -o the scenario goes to standard output, the summary to standard error', () => {
    const i = mmscn('import', '--from', MOVABLE);
    assert.equal(i.code, 0, i.err);
    assert.match(i.out, /^# Imported by/);
    assert.match(i.err, /reproduced exactly/);
  });
  it('exit 2 with file:line: error: on malformed or missing input', () => {
    const bad = join(tmp, 'bad');
    cpSync(MOVABLE, bad, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(bad, 'proc/buddyinfo'), 'Node 0, zone DMA32 1 2\nNode 0, zone Normal 1 x\n');
    let i = mmscn('import', '--from', bad);
    assert.equal(i.code, 2);
    assert.equal(i.err.trim(), `${join(bad, 'proc/buddyinfo')}:2: error: expected a free block count, found \`x\``);
    i = mmscn('import', '--from', join(tmp, 'nothing-here'));
    assert.equal(i.code, 2);
    assert.match(i.err, /nothing-here:1: error: no such directory/);
    i = mmscn('import', '--from', tmp);
    assert.equal(i.code, 2);
    assert.match(i.err, /proc\/zoneinfo:1: error: cannot read/);
    i = mmscn('import');
    assert.equal(i.code, 2);
    assert.match(i.err, /exactly one of --live or --from/);
  });
  it('help documents the directory layout', () => {
    const i = mmscn('import', '--help');
    assert.equal(i.code, 0);
    assert.match(i.out, /proc\/pagetypeinfo/);
    assert.match(i.out, /sys\/devices\/system\/memory\/memoryN/);
  });

  let readable = true;
  try { accessSync('/proc/pagetypeinfo', constants.R_OK); readFileSync('/proc/pagetypeinfo'); } catch { readable = false; }
  (readable ? it : it.skip)(`--live reads this machine and the scenario runs (skipped when /proc/pagetypeinfo is unreadable${readable ? '' : ': it is here'})`, () => {
    const x = join(tmp, 'live.mmscn');
    const i = mmscn('import', '--live', '-o', x);
    assert.equal(i.code, 0, i.err);
    const c = mmscn('check', x);
    assert.equal(c.code, 0, c.out);
    const r = mmscn('run', x, '--format', 'buddyinfo');
    assert.equal(r.code, 0, r.out + r.err);
    // the live free lists move between reads; the zones are the machine's
    const zones = parseBuddyinfo(readFileSync('/proc/buddyinfo', 'utf8')).map((z) => z.zone);
    assert.deepEqual(parseBuddyinfo(r.out).map((z) => z.zone), zones);
  });
});

describe('import: parsers never crash', () => {
  it('mutated fixture files give a result or an ImportError, nothing else', () => {
    let seed = 42;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const files: [string, (t: string) => unknown][] = [
      ['proc/buddyinfo', (t) => parseBuddyinfo(t)],
      ['proc/pagetypeinfo', (t) => parsePagetypeinfo(t)],
      ['proc/zoneinfo', (t) => parseZoneinfo(t)],
      ['proc/iomem', (t) => parseIomem(t)],
    ];
    for (const [f, parse] of files) {
      const text = rd(SNAP1, f);
      for (let i = 0; i < 300; i++) {
        const ls = text.split('\n');
        const k = rnd(ls.length);
        const m = rnd(5);
        if (m === 0) ls.splice(k, 1);
        else if (m === 1) ls[k] = ls[k]!.slice(0, rnd(ls[k]!.length + 1));
        else if (m === 2) ls[k] = ls[k]!.replace(/\d/, 'x');
        else if (m === 3) ls.splice(k, 0, ls[rnd(ls.length)]!);
        else ls[k] = ls[k]! + ' 7';
        try { parse(ls.join('\n')); } catch (e) { assert.ok(e instanceof ImportError, `${f}: ${String(e)}`); }
      }
    }
  });
});

describe('import: malformed captures never give a scenario `check` rejects', function () {
  this.timeout(60000);
  // Mutates one file of a copy of a fixture per round (numbers replaced by edge values, lines dropped, repeated,
  // truncated); every import must either throw an ImportError naming a file of the capture, or generate a
  // scenario that analyze() (what `mmscn check` runs) accepts with no error.
  const EDGE = ['0', '1', '2', '3', '7', '9', '10', '11', '20', '21', '99', '512', '1000', '4096', '65535', '262144', '4294967295', '1099511627776', '9007199254740991', '99999999999999999999'];
  const FILES = ['proc/zoneinfo', 'proc/iomem', 'proc/buddyinfo', 'proc/pagetypeinfo', 'sys/devices/system/memory/block_size_bytes', 'sys/devices/system/cpu/online', 'sys/devices/system/memory/memory9/phys_index', 'sys/devices/system/memory/memory9/state'];
  for (const [name, fixture, rounds] of [['proc-snapshot-movable', MOVABLE, 250], ['proc-snapshot-1', SNAP1, 12]] as const) {
    it(`${name}: ${rounds} mutated captures`, () => {
      let seed = 7;
      const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
      const dir = mkdtempSync(join(tmpdir(), 'mmscn-fuzz-'));
      cpSync(fixture, dir, { recursive: true, verbatimSymlinks: true });
      let refused = 0, accepted = 0;
      try {
        for (let i = 0; i < rounds; i++) {
          const f = FILES[rnd(FILES.length)]!;
          const path = join(dir, f);
          let orig: string;
          try { orig = readFileSync(path, 'utf8'); } catch { continue; }
          const ls = orig.split('\n');
          const what: string[] = [];
          for (let k = 1 + rnd(3); k > 0 && ls.length; k--) {
            const at = rnd(ls.length), m = rnd(7);
            if (m <= 2) {
              // a number of the line replaced by an edge value
              const nums = [...ls[at]!.matchAll(/\d+/g)];
              if (!nums.length) continue;
              const hit = nums[rnd(nums.length)]!, v = EDGE[rnd(EDGE.length)]!;
              ls[at] = ls[at]!.slice(0, hit.index) + v + ls[at]!.slice(hit.index! + hit[0].length);
              what.push(`line ${at + 1}: ${hit[0]} → ${v}`);
            } else if (m === 3) { ls.splice(at, 1); what.push(`line ${at + 1} dropped`); }
            else if (m === 4) { const from = rnd(ls.length); ls.splice(at, 0, ls[from]!); what.push(`line ${from + 1} repeated at ${at + 1}`); }
            else if (m === 5) { ls[at] = ls[at]!.slice(0, rnd(ls[at]!.length + 1)); what.push(`line ${at + 1} cut`); }
            else { ls[at] = ls[at]! + ' 7'; what.push(`line ${at + 1} + 7`); }
          }
          writeFileSync(path, ls.join('\n'));
          const label = `${f}: ${what.join('; ')}`;
          try {
            let res;
            try {
              res = generate(readSnapshot(dir, false));
            } catch (e) {
              assert.ok(e instanceof ImportError, `${label}: ${String(e)}`);
              assert.ok(e.file.startsWith(dir + '/'), `${label}: the error names ${e.file}`);
              refused++;
              continue;
            }
            const errors = analyze(res.text).diagnostics.filter((d) => d.severity === 'error');
            assert.deepEqual(errors.map((d) => `${d.loc.line}: ${d.message}`), [], `${label}: the scenario does not check`);
            accepted++;
          } finally {
            writeFileSync(path, orig);
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.ok(refused > 0 && accepted > 0, `${refused} refused, ${accepted} accepted`);
    });
  }
});
