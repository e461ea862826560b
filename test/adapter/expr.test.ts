// The condition/watch language (src/extension/debug/expr.ts) and the inline result texts
// (src/extension/debug/inline.ts), on the runtime without DAP.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../src/language/index.js';
import { ExprError, describe as describeValue, evaluate, parse, safeParse } from '../../src/extension/debug/expr.js';
import { ScenarioRuntime } from '../../src/extension/debug/runtime.js';
import { lineResults } from '../../src/extension/debug/inline.js';
import { runScenario } from '../../src/sim/runner.js';
import { fixture } from './support.js';

function runtimeAt(line: number, file = 'small.mmscn'): ScenarioRuntime {
  const text = readFileSync(fixture(file), 'utf8');
  const s = analyze(text).scenario!;
  const rt = new ScenarioRuntime(s, s.variants[0] ?? null, { path: fixture(file), text });
  rt.goto(rt.stepForLine(line));
  return rt;
}

const ev = (rt: ScenarioRuntime, e: string) => describeValue(evaluate(parse(e), rt.state()));

describe('debug expressions', () => {
  it('zone fields, node-qualified zones, watermarks, buddyinfo, free lists, arithmetic', () => {
    const rt = runtimeAt(14);
    assert.equal(ev(rt, 'Normal.free'), '15358');
    assert.equal(ev(rt, 'node 0 Normal.spanned'), '16384');
    assert.equal(ev(rt, 'Normal.free < Normal.managed && Normal.free > Normal.watermarks.high'), 'true');
    assert.equal(ev(rt, 'Normal.low'), ev(rt, 'Normal.watermarks.low'));
    // the flat fields of `expect` read the same
    assert.equal(ev(rt, 'Normal.blocks_movable'), ev(rt, 'Normal.pageblocks.movable'));
    assert.equal(ev(rt, 'Normal.pcp_count >= 0 && Normal.pcp_batch > 0'), 'true');
    assert.equal(ev(rt, 'Normal.buddyinfo[10]'), '14');
    assert.equal(ev(rt, 'Normal.free_lists.movable[10] == Normal.buddyinfo[10]'), 'true');
    assert.equal(ev(rt, 'Normal.managed - Normal.free'), '1026');
    assert.equal(ev(rt, 'Movable.managed == 0'), 'true', 'an empty zone reads as zeros, as `expect` does');
    assert.equal(ev(rt, 'step'), '4');
  });

  it('pages, pageblocks, labels, last, policies, errnos with or without -', () => {
    const rt = runtimeAt(16);
    assert.equal(ev(rt, 'page 0x10205 == slab'), 'true');
    assert.equal(ev(rt, 'page 0x10205 == allocated'), 'true');
    assert.equal(ev(rt, 'page 0x10205 != pcp'), 'true');
    assert.equal(ev(rt, 'page p == allocated'), 'true', 'page LABEL reads the first page the operation got');
    assert.equal(ev(rt, 'pageblock 0x10000 == movable'), 'true');
    assert.equal(ev(rt, 'pageblock 0x10000 == isolate'), 'false');
    assert.equal(ev(rt, 'last.errno == EBUSY'), 'true');
    assert.equal(ev(rt, 'last.errno == -EBUSY'), 'true');
    assert.equal(ev(rt, 'last == EBUSY'), 'true');
    assert.equal(ev(rt, 'last.pfn == 0x10205'), 'true');
    assert.equal(ev(rt, 'r.reason contains "slab"'), 'true');
    assert.equal(ev(rt, 'c.ok and not r.ok'), 'true');
    assert.equal(ev(rt, 'policy.contig_pcp == drain_once'), 'true');
    assert.equal(ev(rt, 'hugetlb 2M.total'), '0');
  });

  it('errors say what is wrong and never throw anything but ExprError', () => {
    const rt = runtimeAt(11);
    const bad: [string, RegExp][] = [
      ['Normal.free <', /expected a value but found the end/],
      ['Normal.free < 10 < 20', /expected && or \|\|/],
      ['Normal.nope', /Normal has no field 'nope'/],
      ['last.ok', /no operation has run yet/],
      ['foo.bar', /'foo' is not a zone/],
      ['node 7 Normal.free', /there is no node 7/],
      ['Normal < 3', /compares numbers/],
      ['Normal.free / 0', /division by zero/],
      ['"open', /unterminated string/],
      ['Normal.free @ 3', /unexpected '@'/],
      ['Normal.buddyinfo[99]', /out of range/],
      ['hugetlb 4M.free', /2M or 1G/],
      ['', /empty expression/],
      ['Normal.free', /./],
    ];
    for (const [e, re] of bad.slice(0, -1)) {
      assert.throws(() => evaluate(safeParse(e), rt.state()), (err: unknown) => err instanceof ExprError && re.test((err as Error).message), e);
    }
  });

  it('random junk never crashes the parser', () => {
    const alphabet = ['Normal', '.', 'free', '<', '(', ')', '[', ']', '0x10', '!', '&&', '||', 'page', 'node', '1', '"x"', '-', 'last', ' '];
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const rt = runtimeAt(12);
    for (let i = 0; i < 2000; i++) {
      const e = Array.from({ length: 1 + rnd(8) }, () => alphabet[rnd(alphabet.length)]).join(' ');
      try {
        evaluate(safeParse(e), rt.state());
      } catch (err) {
        assert.ok(err instanceof ExprError, `${e}: ${(err as Error).stack}`);
      }
    }
  });
});

describe('inline results', () => {
  it('one text per line: operations, expectations', () => {
    const s = analyze(readFileSync(fixture('small.mmscn'), 'utf8')).scenario!;
    const lines = lineResults(runScenario(s));
    assert.deepEqual(lines.map((l) => [l.line, l.text, l.ok]), [
      [11, '✓ ok', true],
      [12, '✓ ok', true],
      [13, '✓ ok', true],
      [14, '✗ -EBUSY at pfn 0x10205 — unmovable page (slab)', false],
      [15, '✓', true],
      [16, '✓ ok', true],
      [17, '✓', true],
    ]);
  });

  it('with variants, each line names each variant\'s outcome', () => {
    const s = analyze(readFileSync(fixture('variants.mmscn'), 'utf8')).scenario!;
    const lines = new Map(lineResults(runScenario(s)).map((l) => [l.line, l]));
    assert.match(lines.get(15)!.text, /^drain_once ✗ -EBUSY at pfn 0x50010 — .*pcp.*  ·  disable ✓ ok$/i);
    assert.equal(lines.get(15)!.ok, false);
    assert.equal(lines.get(19)!.text, 'drain_once ✓');
    assert.equal(lines.get(20)!.text, 'disable ✓');
  });
});
