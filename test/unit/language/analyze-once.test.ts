// analyzeOnce (src/language/analyze-once.ts: a streamed parse, lowered statement by statement) gives exactly what
// analyze gives (the editor's full parse and lowering): the samples, an import-like text, texts with errors, random
// texts cut into chunks of a few lines so that every chunk boundary and the two-pass fallback are exercised.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { analyze, analyzeOnce } from '../../../src/language/index.js';
import { clearAnalysisCache } from '../../../src/language/analyze.js';
import { onceStats } from '../../../src/language/analyze-once.js';
import { streamOptions, MAX_DIAGNOSTICS } from '../../../src/language/parser.js';
import { importLikeScenario } from '../../../bench/lib/gen.js';
import { MACHINE } from './helpers.js';

/** analyzeOnce(text) equals analyze(text) (scenario, partial scenario, diagnostics); returns the passes it took */
function same(text: string, what: string): number {
  clearAnalysisCache();
  const once = analyzeOnce(text);
  const passes = onceStats.passes;
  const full = analyze(text);
  clearAnalysisCache();
  assert.deepEqual(once.diagnostics, full.diagnostics, `${what}: diagnostics`);
  assert.deepEqual(once.partial, full.partial, `${what}: partial scenario`);
  assert.deepEqual(once.scenario, full.scenario, `${what}: scenario`);
  return passes;
}

/** every chunk a few lines long (the default is 64 KiB) */
function smallChunks<T>(chars: number, f: () => T): T {
  const before = streamOptions.chunk;
  streamOptions.chunk = chars;
  try { return f(); } finally { streamOptions.chunk = before; }
}

function samples(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...samples(p));
    else if (p.endsWith('.mmscn')) out.push(p);
  }
  return out;
}

const LINES = [
  'alloc order 0 movable as a{N}', 'alloc order 3 unmovable', 'free a{N}', 'free a{P}', 'free a{Q}', 'drain',
  'alloc_contig_range 0x100000..0x100400 as r{N}', 'expect r{N} -EBUSY at 0x100010', 'page 0x100{N} slab',
  'isolate 0x100000..0x100200; unisolate 0x100000..0x100200', '# a comment {N}', '', '   ', 'broken ))) {N}',
  'alloc order', 'free', 'seed {N}', 'kernel 6.12', 'checkpoint c{N}', 'policy pcp_high auto',
  'interleave {\n  cpu 0: alloc order 0 movable as i{N}\n  cpu 1: drain\n  schedule 0 1\n}', 'variant v{N} { kernel 6.1 }',
  'alloc order 0 movable as "str"', 'report "unterminated', 'free a{N} @@ $', 'node 0 { zone Normal 0x0..0x10 }',
  'migrate a{P}', 'pin a{Q}', 'alloc order 1 movable as a{Q}', 'expect a{P} ok', 'pages 0x100{N}..0x1010{N} anon',
  'folio 0x101000 order 2 file', '}', '{', 'machine {\n  cpus 4\n}', 'expect v{Q} ok', 'alloc order 0 movable when v{P}',
  'line\r\nwith crlf', 'lone\rcr', 'sysctl vm.min_free_kbytes 1024',
];

function text(seed: number[], n: number): string {
  const out = [MACHINE];
  for (let i = 0; i < n; i++) {
    out.push(LINES[seed[i % seed.length]! % LINES.length]!.replace(/\{N\}/g, String(i)).replace(/\{P\}/g, String(i - 2)).replace(/\{Q\}/g, String(i + 3)));
  }
  return out.join('\n') + '\n';
}

describe('language: analyzeOnce equals analyze', () => {
  it('on every sample', () => {
    const files = samples('samples');
    assert.ok(files.length >= 10);
    for (const f of files) same(readFileSync(f, 'utf8'), f);
  });

  it('on an import-like text (one pass: the configuration comes first), in 64 KiB chunks and in chunks of a line', () => {
    const t = importLikeScenario(4000);
    assert.ok(t.length > 2 * streamOptions.chunk, 'the text spans several chunks');
    assert.equal(same(t, 'import-like'), 1);
    assert.equal(smallChunks(1, () => same(t, 'import-like, a line a chunk')), 1);
    assert.equal(analyzeOnce(t).scenario?.steps.length, 4011);
  });

  it('on texts with errors: lexer errors, broken and misplaced statements, braces, long lines, line ends', () => {
    const cases: [string, string][] = [
      ['lexer errors', MACHINE + 'alloc order 0 movable @@\nfree $ a\n"abc\nreport "x\n'],
      ['unmatched and missing braces', MACHINE + '}\nalloc order 0 movable {\ninterleave {\n  cpu 0: drain\n'],
      ['misplaced', MACHINE + 'zone Normal 0x0..0x10\nnode 1 { zone DMA 0x0..0x10 }\ncpus 3\n'],
      ['long line', MACHINE + 'alloc order 0 movable\n' + 'x'.repeat(20001) + '\nfree a\n' + 'y '.repeat(15000) + '\n'],
      ['crlf and cr', MACHINE.replace(/\n/g, '\r\n') + 'alloc order 0 movable as a\r\nfree a\rfree b\r\nfree @\n'],
      ['no machine', 'alloc order 0 movable\nfree x\n'],
      ['no final newline', MACHINE + 'alloc order 0 movable as a\nfree a'],
      ['empty', ''],
      ['too long a statement', MACHINE + 'expect buddyinfo Normal == ' + '1 '.repeat(5000) + '\n'],
      ['every count overflow', MACHINE + 'page 0x100000 slab every 1 count 99999999\n'],
    ];
    for (const [what, t] of cases) {
      same(t, what);
      smallChunks(1, () => same(t, what + ', a line a chunk'));
    }
  });

  it('when lowering statement by statement would differ: two passes (configuration after a step, a name defined after its use)', () => {
    const cases: [string, string][] = [
      ['a seed after a step', MACHINE + 'alloc order 0 movable\nseed 4\n'],
      ['a machine after the steps', 'alloc order 0 movable\n' + MACHINE],
      ['a label used before it is declared', MACHINE + 'free a\ndrain\nalloc order 0 movable as a\n'],
      ['a label used in an interleave before it is declared', MACHINE + 'interleave {\n  cpu 0: free b\n}\ndrain\nalloc order 0 movable as b\n'],
      ['a variant used before it is defined', MACHINE + 'alloc order 0 movable when v\nvariant v { kernel 6.1 }\n'],
      ['a kernel inside a later variant', MACHINE + 'drain\nvariant w { kernel 6.1 }\nvariant w { kernel 6.6 }\n'],
    ];
    for (const [what, t] of cases) {
      assert.equal(same(t, what), 2, `${what}: two passes`);
      smallChunks(1, () => same(t, what + ', a line a chunk'));
    }
    // a label declared later but never looked up before: one pass is enough
    assert.equal(same(MACHINE + 'drain\nalloc order 0 movable as a\nfree a\n', 'declared, then used'), 1);
  });

  it('at the diagnostics cap: the same first diagnostics (long lines, lexer errors, statements, lowering, in that order)', () => {
    const lines = [MACHINE];
    for (let i = 0; i < 1500; i++) lines.push(i % 3 === 0 ? 'free @ nothing' : i % 3 === 1 ? 'alloc order' : 'free unknown' + i);
    lines.push('z'.repeat(20001));
    const t = lines.join('\n') + '\n';
    assert.ok(analyze(t).diagnostics.length > MAX_DIAGNOSTICS);
    same(t, 'cap');
    smallChunks(200, () => same(t, 'cap, small chunks'));
  });

  it('on random texts in random chunk sizes (property)', () => {
    let twoPass = 0;
    fc.assert(fc.property(
      fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 20, max: 120 }),
      fc.integer({ min: 1, max: 400 }),
      (seed, n, chunk) => {
        const t = text(seed, n);
        if (smallChunks(chunk, () => same(t, `chunk ${chunk}`)) === 2) twoPass++;
      },
    ), { numRuns: 40, seed: 22 });
    assert.ok(twoPass > 5, `the two-pass path was taken ${twoPass} times`);
  });
});

describe('language: analyzeOnce memory', () => {
  // 200,000 lines of an imported machine in a 192 MiB heap: the full analysis (tokens + syntax tree + scenario, ~3.3 KB
  // a line) ran out of heap there after ~10 s; what stays now is the scenario, ~0.3 KB a line. Run in a child
  // process so the heap limit and the gc are its own.
  it('analyzes 200,000 import lines in a 192 MiB heap, keeping under 600 bytes a line', function () {
    this.timeout(240000);
    const child = join(__dirname, 'analyze-once-memory.child.ts');
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=192', '--import', 'tsx', child, '200000'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `the child failed (out of heap?): ${r.signal ?? ''} ${(r.stderr ?? '').slice(-600)}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { steps: number; errors: number; keptPerLine: number };
    assert.equal(out.errors, 0);
    assert.equal(out.steps, 200011);
    assert.ok(out.keptPerLine < 600, `analyzeOnce keeps ${out.keptPerLine} bytes a line`);
  });
});
