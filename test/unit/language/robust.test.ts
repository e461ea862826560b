// Recovery on broken input, pathological input, linear time, fuzzing.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, complete, hover, format, documentSymbols, semanticTokens, foldingRanges } from '../../../src/language/index.js';
import { MACHINE } from './helpers.js';
import { parseStats } from '../../../src/language/parser.js';
import { clearAnalysisCache } from '../../../src/language/analyze.js';

function everything(text: string): void {
  analyze(text);
  complete(text, 1, 1);
  complete(text, 2, 3);
  hover(text, 1, 1);
  format(text);
  documentSymbols(text);
  semanticTokens(text);
  foldingRanges(text);
}

describe('language: recovery', () => {
  it('a broken line is reported on that line and later statements still lower', () => {
    const a = analyze(`${MACHINE}alloc order 0 movable as a\nisolate 0x100000.. mode\nalloc order 1 movable as b\nfree b\n`);
    const errs = a.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.loc.line, 12);
    assert.equal(a.partial.steps.length, 3);
    assert.deepEqual(a.partial.steps.map((s) => s.kind === 'op' && s.name), ['a', 'b', null]);
  });

  it('the diagnostic covers the offending token', () => {
    const a = analyze(`${MACHINE}alloc order 0 movable\nfree 0x100000 @@ x\n`);
    assert.deepEqual(a.diagnostics.map((d) => [d.loc.line, d.loc.col, d.loc.endCol]), [[12, 15, 17]]);
    assert.match(a.diagnostics[0]!.message, /unexpected character/);
  });

  it('an unknown statement suggests a keyword', () => {
    const a = analyze(`${MACHINE}alocc order 0 movable\n`);
    assert.equal(a.diagnostics[0]!.message, 'unknown statement `alocc` (did you mean `alloc`?)');
    assert.deepEqual(a.diagnostics[0]!.loc, { line: 11, col: 1, endLine: 11, endCol: 6 });
  });

  it('a missing argument is reported at the end of the statement', () => {
    const a = analyze(`${MACHINE}alloc_contig_range\n`);
    assert.equal(a.diagnostics[0]!.message, 'expected a pfn range (START..END or START+SIZE) after `alloc_contig_range`, found the end of the statement');
    assert.equal(a.diagnostics[0]!.loc.line, 11);
  });

  it('a broken line inside machine keeps the rest of the machine', () => {
    const a = analyze('machine {\n  cpus two\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nalloc order 0 movable\n');
    assert.equal(a.diagnostics.length, 1);
    assert.equal(a.diagnostics[0]!.loc.line, 2);
    assert.equal(a.partial.machine.nodes[0]!.zones.length, 1);
    assert.equal(a.partial.steps.length, 1);
  });

  it('unbalanced braces', () => {
    const missing = analyze('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n}\n');
    assert.ok(missing.diagnostics.some((d) => d.message.includes('missing `}`') && d.loc.line === 1));
    const extra = analyze('}\nseed 3\n');
    assert.equal(extra.diagnostics[0]!.message, 'unmatched `}`');
    assert.equal(extra.partial.seed, 3);
  });

  it('unterminated string', () => {
    const a = analyze(`${MACHINE}alloc order 0 movable as r\nexpect r -EBUSY reason "pcp\nexpect r ok\n`);
    assert.ok(a.diagnostics.some((d) => d.loc.line === 12 && /unterminated string/.test(d.message)));
    assert.equal(a.partial.steps.length, 2);
  });

  it('completion still works after a broken line', () => {
    const text = `${MACHINE}alloc order 0 movable as a\n))) broken ((( \nfree `;
    const items = complete(text, 13, 6).map((i) => i.label);
    assert.deepEqual(items, ['a']);
  });

  it('hover still works after a broken line', () => {
    const text = `${MACHINE}alloc %%%\nalloc_contig_range 0x100000..0x100400\n`;
    assert.match(hover(text, 12, 1)?.contents ?? '', /alloc_contig_range/);
  });
});

describe('language: pathological input never throws', () => {
  const cases: [string, string][] = [
    ['binary junk', Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('')],
    ['NUL bytes', 'alloc\0order 0\0\0 movable\n\0\0\0'],
    ['10 MB single line', 'x'.repeat(10 * 1024 * 1024)],
    ['10,000 nested braces', '{'.repeat(10000) + '\n' + '}'.repeat(10000)],
    ['10,000 nested blocks on lines', 'machine {\n'.repeat(10000)],
    ['numbers beyond 2^64', 'seed 99999999999999999999999999999\npage 0xffffffffffffffffffffffff anon\nalloc_contig_pages 99999999999999999T'],
    ['unterminated strings', '"\n"""\n"\\'],
    ['only separators', ';;;;\n\n;{;};'],
    ['lone surrogates and emoji', '\ud800 alloc 🐧 order 0'],
  ];
  for (const [what, text] of cases) {
    it(what, () => everything(text));
  }

  it('a 10 MB single line is reported once and quickly', () => {
    const t0 = Date.now();
    const a = analyze('seed 1\n' + 'alloc '.repeat(2 * 1024 * 1024) + '\nseed 2');
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(a.diagnostics.filter((d) => /line too long/.test(d.message)).length, 1);
  });

  it('fuzz: arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => { everything(s); }), { numRuns: 300 });
  });

  it('fuzz: token soup from the language', () => {
    const words = ['alloc', 'order', '0', 'movable', 'machine', '{', '}', '\n', ';', 'node', 'zone', 'Normal', '0x100000..0x140000', 'expect', 'r', 'ok', 'as', 'interleave', 'cpu', ':', 'schedule', ',', 'free', '2M', '+', '..', '#c', '"s', '-EBUSY', 'policy', '=', 'variant', 'when'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...words), { maxLength: 60 }), (ws) => {
      const text = ws.join(' ');
      everything(text);
      const l = text.split('\n');
      complete(text, l.length, l[l.length - 1]!.length + 1);
    }), { numRuns: 300 });
  });
});

describe('language: parsing time grows linearly', () => {
  // analyze() keeps recent results keyed by the text and re-parses only the lines an edit touched: every measured
  // text is made unique and the cache is cleared so each run parses in full (cold).
  let unique = 0;
  const fresh = (text: string) => { clearAnalysisCache(); return `${text}# ${unique++}\n`; };
  /** best of three cold runs, in ms: the least disturbed by other work on the machine */
  const best = (f: () => void) => Math.min(...[0, 1, 2].map(() => { const t0 = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - t0) / 1e6; }));
  const unit = `${MACHINE}alloc order 0 movable as a\nfree a\nexpect Normal.free >= 100\nbroken )))\n`;
  it('the outline of a long file grows linearly (an imported machine is 150k lines)', () => {
    const pop = (n: number) => fresh(`${MACHINE}${Array.from({ length: n }, (_, i) => `page 0x${(0x1000 + i).toString(16)} anon\n`).join('')}`);
    const time = (n: number) => { const text = pop(n); analyze(text); return best(() => documentSymbols(text)); };
    time(1000); // warm up
    const t1 = time(10_000);
    const t2 = time(20_000);
    assert.ok(t2 < 3 * t1 + 50, `documentSymbols: time(N)=${t1.toFixed(1)}ms time(2N)=${t2.toFixed(1)}ms`);
  });
  it('doubling the input roughly doubles the time', () => {
    const time = (n: number) => best(() => analyze(fresh(unit.repeat(n))));
    time(100); // warm up
    const t1 = time(250);
    const t2 = time(500);
    assert.ok(t2 < 3 * t1 + 50, `time(N)=${t1.toFixed(1)}ms time(2N)=${t2.toFixed(1)}ms`);
  });
  it('bad lines cost about what good lines cost (error recovery stays cheap)', () => {
    // every line an unknown statement, or a known one with a bad argument: each used to cost 0.3-1 ms
    // (chevrotain recomputed the grammar's lookahead paths for every error message)
    const n = 3000;
    const good = best(() => analyze(fresh(`${MACHINE}${'alloc order 0 movable\n'.repeat(n)}`)));
    const unknown = best(() => analyze(fresh(`${MACHINE}${'x\n'.repeat(n)}`)));
    const badArg = best(() => analyze(fresh(`${MACHINE}${'alloc order movable )\n'.repeat(n)}`)));
    assert.ok(unknown < 3 * good + 20, `${n} good lines ${good.toFixed(1)}ms, ${n} unknown statements ${unknown.toFixed(1)}ms`);
    assert.ok(badArg < 3 * good + 20, `${n} good lines ${good.toFixed(1)}ms, ${n} bad arguments ${badArg.toFixed(1)}ms`);
  });
  it('deep nesting is linear too', () => {
    const time = (n: number) => best(() => { const s = fresh('{\n'.repeat(n) + '}\n'.repeat(n)); analyze(s); format(s); });
    time(1000);
    const t1 = time(5000);
    const t2 = time(10000);
    assert.ok(t2 < 3 * t1 + 50, `time(N)=${t1.toFixed(1)}ms time(2N)=${t2.toFixed(1)}ms`);
  });
});

describe('language: features reuse the analysis', () => {
  it('format, symbols, folding and semantic tokens do not parse a text the editor analyzed already', () => {
    const text = `${MACHINE}variant a { kernel 6.12 }\nalloc order 0 movable as a\nbroken )))\nfree a\n# reuse ${Date.now()}\n`;
    analyze(text);
    const before = parseStats.files;
    format(text);
    documentSymbols(text);
    foldingRanges(text);
    semanticTokens(text);
    hover(text, 12, 2);
    complete(text, 13, 1);
    assert.equal(parseStats.files, before);
    // a new text is parsed once for all of them
    const other = text + 'drain\n';
    format(other);
    documentSymbols(other);
    foldingRanges(other);
    semanticTokens(other);
    assert.equal(parseStats.files, before + 1);
  });
});

describe('language: one message per problem', () => {
  it('an unterminated string is reported once, at the string', () => {
    const { diagnostics } = analyze('machine {\n  node 0 {\n    zone Normal 0x40000..0x80000\n  }\n}\n"unterminated\nalloc order 0 movable\n');
    const errors = diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`), ['6:1 unterminated string: a string ends with `"` on the same line']);
  });
});
