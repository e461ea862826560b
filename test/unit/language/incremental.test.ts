// The incremental re-parse (src/language/incremental.ts) gives exactly what a full parse of the new text gives:
// random texts (operations, blocks, comments, `;`, broken lines, bad characters, strings), random edits.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFile, type ParseResult } from '../../../src/language/parser.js';
import { reparse } from '../../../src/language/incremental.js';
import { analyze, complete, hover, format, semanticTokens } from '../../../src/language/index.js';
import { lower } from '../../../src/language/lower.js';
import { clearAnalysisCache } from '../../../src/language/analyze.js';
import type { IToken } from '../../../src/language/chevrotain.js';
import { MACHINE } from './helpers.js';

const LINES = [
  'alloc order 0 movable as a{N}', 'alloc order 3 unmovable', 'free a{N}', 'free a{N} cpu 1', 'drain',
  'alloc_contig_range 0x100000..0x100400 as r{N}', 'expect r{N} -EBUSY at 0x100010', 'page 0x100{N} slab',
  'isolate 0x100000..0x100200; unisolate 0x100000..0x100200', '# a comment {N}', '', '   ', 'broken ))) {N}',
  'alloc order', 'free', 'expect Normal.free > 10', 'seed {N}', 'kernel 6.12', 'checkpoint c{N}',
  'interleave {\n  cpu 0: alloc order 0 movable as i{N}\n  cpu 1: drain\n}', 'variant v{N} { kernel 6.1 }',
  'alloc order 0 movable as "str"', 'report "unterminated', 'free a{N} @@ $', 'node 0 { zone Normal 0x0..0x10 }',
  'free a{P}', 'free a{Q}', 'migrate a{P}', 'pin a{Q}', 'alloc order 1 movable as a{Q}', 'cma_release a{P}',
  'alloc order 0 movable cpu 9 as a{N}', 'expect a{P} ok',
];
const INSERTS = ['1', 'x', ' ', '\n', ';', '{', '}', '"', '#', 'alloc order 0 movable\n', 'free a3\n', '@', '0x', '..', 'as b\n', '\n\n'];

function text(seed: number[], n: number): string {
  const out = [MACHINE];
  for (let i = 0; i < n; i++) {
    out.push(LINES[seed[i % seed.length]! % LINES.length]!.replace(/\{N\}/g, String(i)).replace(/\{P\}/g, String(i - 2)).replace(/\{Q\}/g, String(i - 5)));
  }
  return out.join('\n') + '\n';
}

type Edit = { at: number; del: number; ins: number };
function apply(t: string, e: Edit): string {
  const at = e.at % (t.length + 1);
  return t.slice(0, at) + INSERTS[e.ins % INSERTS.length]!.repeat(e.ins % 7 === 6 ? 0 : 1) + t.slice(Math.min(t.length, at + (e.del % 12)));
}

const tok = (t: IToken) => [t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn, t.tokenType.name];
// JSON with bigints written `123n`: through BigInt.prototype.toJSON, set for the call only, instead of a replacer
// function. The text is the same, but stringify no longer calls back into JavaScript for every value of the
// tree: with the replacer, serialising the two syntax trees of each edit was a third of this file's time.
const bigintJson = function (this: bigint): string { return `${this}n`; };
const json = (v: unknown): string => {
  const proto = BigInt.prototype as { toJSON?: () => string };
  proto.toJSON = bigintJson;
  try { return JSON.stringify(v); } finally { delete proto.toJSON; }
};
const diagKey = (p: ParseResult) => p.diagnostics.map((d) => json(d)).sort();

function assertSame(inc: ParseResult, full: ParseResult, what: string): void {
  assert.equal(json(inc.ast), json(full.ast), `${what}: ast`);
  assert.deepEqual(diagKey(inc), diagKey(full), `${what}: diagnostics`);
  assert.deepEqual([...inc.brokenLines].sort((a, b) => a - b), [...full.brokenLines].sort((a, b) => a - b), `${what}: broken lines`);
  assert.deepEqual(inc.lexed.tokens.map(tok), full.lexed.tokens.map(tok), `${what}: tokens`);
  assert.deepEqual(inc.lexed.comments.map(tok), full.lexed.comments.map(tok), `${what}: comments`);
  assert.deepEqual(inc.lexed.errors, full.lexed.errors, `${what}: lexer errors`);
  assert.deepEqual(inc.braces.map((b) => [tok(b.open), b.close && tok(b.close)]), full.braces.map((b) => [tok(b.open), b.close && tok(b.close)]), `${what}: braces`);
}

describe('language: incremental re-parse', () => {
  it('equals a full parse after random edits, chained (property)', () => {
    let used = 0;
    fc.assert(fc.property(
      fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 150, max: 400 }),
      fc.array(fc.record({ at: fc.nat(100000), del: fc.nat(30), ins: fc.nat(100) }), { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      (seed, n, edits, readTokensEachTime) => {
        let t = text(seed, n);
        let prev = parseFile(t);
        for (const [i, e] of edits.entries()) {
          const next = apply(t, e);
          const inc = reparse(prev, t, next);
          const full = parseFile(next);
          if (inc) {
            used++;
            if (readTokensEachTime || i === edits.length - 1) assertSame(inc, full, `edit ${i} ${json(e)}`);
            else assert.equal(json(inc.ast), json(full.ast), `edit ${i}: ast`);
          }
          prev = inc ?? full;
          t = next;
        }
        assertSame(prev, parseFile(t), 'after all edits');
      },
    ), { numRuns: 60, seed: 12 });
    assert.ok(used > 100, `the incremental path was taken ${used} times`);
  });

  it('analyze after random edits (incremental parse, memoized lowering) equals a full analysis (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 150, max: 300 }),
      fc.array(fc.record({ at: fc.nat(100000), del: fc.nat(30), ins: fc.nat(100) }), { minLength: 1, maxLength: 8 }),
      (seed, n, edits) => {
        let t = text(seed, n);
        analyze(t);
        for (const [i, e] of edits.entries()) {
          t = apply(t, e);
          const a = analyze(t);
          const p = parseFile(t);
          const l = lower(p.ast, { memo: false });
          const key = (d: { loc: unknown; message: string; severity: string }) => json([d.loc, d.message, d.severity]);
          assert.deepEqual(a.diagnostics.map(key).sort(), [...p.diagnostics, ...l.diagnostics].map(key).sort(), `edit ${i}: diagnostics`);
          assert.equal(json(a.partial), json(l.scenario), `edit ${i}: scenario`);
          assert.equal(json(a.names), json(l.names), `edit ${i}: names`);
          assert.equal(a.scenario === null, [...p.diagnostics, ...l.diagnostics].some((d) => d.severity === 'error'));
        }
      },
    ), { numRuns: 40, seed: 5 });
  });

  it('an edit changes the lowering of the lines that depend on it (names, frees), not only its own', () => {
    const filler = Array.from({ length: 300 }, (_, i) => `alloc order 0 movable as f${i}`).join('\n');
    const base = `${MACHINE}free g3\n${filler}\nalloc order 0 movable as x\nfree x\ndrain\nfree x\nexpect x ok\n${filler.replace(/as f/g, 'as g')}\n`;
    const edits: [string, string][] = [
      ['free x\ndrain', 'drain\ndrain'], // the later free is no longer a use after free
      ['as x\n', 'as y\n'], // x is unknown everywhere
      ['alloc order 0 movable as f0\n', 'free g3\n'], // a name defined later
      ['free x\ndrain', 'free x\nfree x'], // a second use after free
      ['as g3\n', 'as h3\n'], // the name the first line uses was defined later, now it is unknown
    ];
    for (const [k, [from, to]] of edits.entries()) {
      clearAnalysisCache(); // a full parse of the base: new statements, nothing memoized yet
      const b = `${base}# ${k}\n`;
      analyze(b);
      const t = b.replace(from, to);
      const a = analyze(t);
      const p = parseFile(t);
      const l = lower(p.ast, { memo: false });
      const key = (d: { loc: unknown; message: string }) => json([d.loc, d.message]);
      assert.deepEqual(a.diagnostics.map(key).sort(), [...p.diagnostics, ...l.diagnostics].map(key).sort(), `${from} → ${to}`);
      assert.equal(json(a.partial), json(l.scenario));
    }
  });

  it('a one-line edit of a large file re-parses only that line', () => {
    const t = text([0, 2, 5, 6, 7], 2000);
    const p = parseFile(t);
    const lines = t.split('\n');
    lines[1000] = 'alloc order 1 movable as edited';
    const next = lines.join('\n');
    const inc = reparse(p, t, next);
    assert.ok(inc);
    // statements outside the edited line are the same objects
    const i = inc.ast.all.findIndex((s) => s.loc.line === 1001);
    assert.equal(inc.ast.all[i - 1], p.ast.all[i - 1]);
    assert.equal(inc.ast.all[i + 1], p.ast.all[i + 1]);
    assertSame(inc, parseFile(next), 'edit');
  });

  it('an edit inside a block, or one that adds a brace, is parsed in full', () => {
    const t = text([0, 2, 5, 6, 7], 400);
    const p = parseFile(t);
    assert.equal(reparse(p, t, t.replace('cpus 2', 'cpus 3')), null);
    const at = t.indexOf('free a');
    assert.equal(reparse(p, t, t.slice(0, at) + '{' + t.slice(at)), null);
  });

  it('analyze, completion, hover, format and semantic tokens after a chain of edits equal those of a fresh analysis', () => {
    let t = text([0, 2, 5, 6, 7, 12, 9], 600);
    analyze(t);
    const at = (k: number) => t.indexOf('\n', (k * 7919) % t.length) + 1;
    for (let k = 0; k < 20; k++) {
      const p = at(k);
      t = t.slice(0, p) + (k % 3 === 0 ? 'alloc order 2 movable as z' + k + '\n' : k % 3 === 1 ? 'x' : '') + t.slice(p + (k % 3 === 2 ? 1 : 0));
      analyze(t);
    }
    const inc = analyze(t);
    assertSame(inc.parse, parseFile(t), 'analyze');
    const line = t.split('\n').length - 5;
    const incResults = json([inc.diagnostics, format(t), semanticTokens(t), complete(t, line, 3), hover(t, line, 2)]);
    const freshResults = fresh((x) => json([analyze(x).diagnostics, format(x), semanticTokens(x), complete(x, line, 3), hover(x, line, 2)]), t);
    assert.notEqual(analyze(t), inc, 'the second analysis is a fresh one');
    assert.equal(incResults, freshResults);
  });
});

// the same feature on the same text, analysed from scratch: the text is made unique to the cache (a different
// object with the same characters is still a cache hit, so the prefix trick below forces a new full parse)
function fresh<T>(f: (t: string) => T, t: string): T {
  // analyze a very different text first so the next analysis of t is not incremental from the chain above
  analyze('# unrelated\n');
  analyze('# unrelated 2\n');
  analyze('# unrelated 3\n');
  return f(t);
}
