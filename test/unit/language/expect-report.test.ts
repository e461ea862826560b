// Expectations on what the kernel reports (issue 8): `expect buddyinfo ZONE ~ … within T|P%`,
// `expect block N valid_zones "…"`, `expect vmstat COUNTER CMP N`: syntax, lowering, diagnostics, completion, hover.
import assert from 'node:assert/strict';
import { complete, hover, semanticTokens } from '../../../src/language/index.js';
import { MACHINE, ok, errors, oneError, cursor } from './helpers.js';
import type { Expectation } from '../../../src/sim/scenario.js';
import { VM_COUNTERS, VM_NOT_MODELLED } from '../../../src/sim/vmstat.js';

const expects = (text: string): Expectation[] => ok(MACHINE + text).steps.flatMap((s) => (s.kind === 'expect' ? [s.expect] : []));
const line = MACHINE.split('\n').length; // the first line after the machine
const labels = (src: string) => { const c = cursor(src); return complete(c.text, c.line, c.col).map((i) => i.label); };
const hoverAt = (src: string) => { const c = cursor(src); return hover(c.text, c.line, c.col)?.contents ?? ''; };

describe('language: expect buddyinfo ~ within', () => {
  it('lowers an absolute and a percentage tolerance; `==` stays exact', () => {
    const [a, p, e] = expects('expect buddyinfo Normal ~ 3 5 0 within 300\nexpect buddyinfo node 0 Normal ~ 3 5 within 12.5%\nexpect buddyinfo Normal == 3 5\n');
    assert.deepEqual(a, { what: 'buddyinfo', zone: { nid: 0, zone: 'Normal' }, counts: [3, 5, 0], tolerance: { abs: 300 } });
    assert.deepEqual(p, { what: 'buddyinfo', zone: { nid: 0, zone: 'Normal' }, counts: [3, 5], tolerance: { pct: 12.5 } });
    assert.deepEqual(e, { what: 'buddyinfo', zone: { nid: 0, zone: 'Normal' }, counts: [3, 5] });
  });
  it('`~` without `within`, `within` without `~`, a size as tolerance, `within` elsewhere', () => {
    oneError(MACHINE + 'expect buddyinfo Normal ~ 3 5\n', line, '`~` needs a tolerance');
    oneError(MACHINE + 'expect buddyinfo Normal == 3 5 within 2\n', line, '`within` is the tolerance of `~`');
    oneError(MACHINE + 'expect buddyinfo Normal ~ 3 5 within 2M\n', line, 'the tolerance is a number, not a size');
    oneError(MACHINE + 'expect buddyinfo Normal < 3 5\n', line, 'or with `~ … within N`');
    oneError(MACHINE + 'expect Normal.free == 3 within 2\n', line, '`within` is not an option');
    oneError(MACHINE + 'expect Normal.free ~ 3\n', line, 'expected a comparison');
  });
  it('completion offers `within` after the counts; `~` is an operator token', () => {
    assert.ok(labels(MACHINE + 'expect buddyinfo Normal ~ 3 5 |').includes('within'));
    assert.ok(!labels(MACHINE + 'expect buddyinfo Normal == 3 5 when x |').includes('at'));
    const toks = semanticTokens(MACHINE + 'expect buddyinfo Normal ~ 3 within 2\n');
    assert.ok(toks.some((t) => t.line === line && t.length === 1 && t.type === 'operator'));
    assert.match(hoverAt(MACHINE + 'expect buddyinfo Normal ~ 3 wi|thin 2\n'), /tolerance/);
  });
});

describe('language: expect block N valid_zones', () => {
  it('lowers the text as given', () => {
    assert.deepEqual(expects('expect block 40 valid_zones "Normal Movable"\nexpect block 40 valid_zones "none"\n'), [
      { what: 'valid_zones', block: 40, text: 'Normal Movable' },
      { what: 'valid_zones', block: 40, text: 'none' },
    ]);
  });
  it('text that sysfs never prints, a missing text, a block that does not exist', () => {
    oneError(MACHINE + 'expect block 40 valid_zones "Normal  Movable"\n', line, 'separated by single spaces');
    oneError(MACHINE + 'expect block 40 valid_zones "normal"\n', line, 'zone names (DMA, DMA32, Normal, Movable)');
    oneError(MACHINE + 'expect block 40 valid_zones\n', line, 'valid_zones is followed by the sysfs text in quotes');
    oneError(MACHINE + 'expect block 4000 valid_zones "Normal"\n', line, 'memory block 4000 does not exist');
    // `expect block N STATE` is unchanged
    assert.deepEqual(expects('expect block 40 offline\n'), [{ what: 'block', block: 40, state: 'offline', zone: null }]);
  });
  it('completion and hover', () => {
    assert.ok(labels(MACHINE + 'expect block 40 |').includes('valid_zones'));
    assert.match(hoverAt(MACHINE + 'expect block 40 valid_zo|nes "Normal"\n'), /valid_zones_show/);
  });
});

describe('language: expect vmstat', () => {
  it('lowers every counted counter', () => {
    const text = VM_COUNTERS.map((c, i) => `expect vmstat ${c} >= ${i}`).join('\n') + '\n';
    assert.deepEqual(expects(text), VM_COUNTERS.map((c, i) => ({ what: 'vmstat', counter: c, cmp: '>=', value: i })));
  });
  it('a counter the simulator does not count is "not modelled", never 0; a typo is unknown', () => {
    for (const c of Object.keys(VM_NOT_MODELLED)) oneError(MACHINE + `expect vmstat ${c} == 0\n`, line, `vmstat \`${c}\` is not modelled`);
    oneError(MACHINE + 'expect vmstat compact_stal == 0\n', line, 'did you mean `compact_stall`');
    oneError(MACHINE + 'expect vmstat compact_stall == 2M\n', line, 'a count is a number, not a size');
  });
  it('the compaction scan, isolation and kcompactd counters are counted (the fast paths and cached pfns are modelled)', () => {
    // they were "not modelled" while the simulator started every compaction at the zone ends with fresh hints
    const names = ['compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated', 'compact_daemon_wake', 'compact_daemon_migrate_scanned', 'compact_daemon_free_scanned'];
    for (const c of names) assert.ok(!Object.hasOwn(VM_NOT_MODELLED, c), c);
    assert.deepEqual(expects(names.map((c) => `expect vmstat ${c} == 0`).join('\n') + '\n'), names.map((c) => ({ what: 'vmstat', counter: c, cmp: '==', value: 0 })));
  });
  it('`vmstat` stays usable as a label name', () => {
    const [r] = expects('alloc order 0 movable as vmstat\nexpect vmstat ok\n');
    assert.equal(r!.what, 'result');
  });
  it('completion lists the counted counters; hover cites the kernel function', () => {
    const got = labels(MACHINE + 'expect vmstat |');
    assert.deepEqual(got, [...VM_COUNTERS]);
    assert.match(hoverAt(MACHINE + 'expect vmstat compact_st|all == 1\n'), /__alloc_pages_direct_compact/);
  });
  it('errors() is empty for a full example', () => {
    assert.deepEqual(errors(MACHINE + 'expect vmstat pgmigrate_success > 0 when x\nvariant x { kernel 6.12 }\n').filter((e) => !e.includes('variant')), []);
  });
});
