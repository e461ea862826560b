// The inspector beside the editor (src/webview/narrow.ts, used by src/webview/main.ts and inspector.css).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NARROW_PX, counterSummary, isNarrow, migrationLayout, outcomeLayout, splitSource } from '../../../src/webview/narrow.js';
import type { ZoneDiff } from '../../../src/shared/protocol.js';

describe('webview: the inspector beside the editor', () => {
  it('about 526 px beside the editor is narrow; a maximized inspector is not', () => {
    assert.equal(isNarrow(526), true);
    assert.equal(isNarrow(1100), false);
  });

  it('inspector.css makes the header compact at the same width the script calls narrow', () => {
    const css = readFileSync(join(__dirname, '../../../src/webview/inspector.css'), 'utf8');
    assert.match(css, new RegExp(`@media \\(max-width: ${NARROW_PX}px\\)`));
  });

  it('narrow, the migration log\'s reason is a full-width row under its migration, not a squeezed column', () => {
    const l = migrationLayout(isNarrow(526));
    assert.equal(l.reasonRow, true);
    assert.ok(!l.columns.includes('reason'));
    assert.deepEqual(l.columns, ['step', 'line', 'operation', 'src pfn', 'dst pfn', 'order', 'result']);
  });

  it('wide, the reason is the last column as before', () => {
    const l = migrationLayout(isNarrow(1200));
    assert.equal(l.reasonRow, false);
    assert.equal(l.columns.at(-1), 'reason');
    assert.equal(l.columns.length, 8);
  });

  it('narrow, the compare view\'s outcomes are full-width rows (one per variant) under their operation', () => {
    const l = outcomeLayout(isNarrow(526), 'contig', 'unified');
    assert.equal(l.outcomeRows, true);
    assert.deepEqual(l.columns, ['line', 'operation'], 'no squeezed variant columns');
    assert.deepEqual(l.variants, ['contig', 'unified'], 'each variant\'s outcome row is labelled with its name');
  });

  it('wide, each variant\'s outcome is a column as before', () => {
    const l = outcomeLayout(isNarrow(1200), 'contig', 'unified');
    assert.equal(l.outcomeRows, false);
    assert.deepEqual(l.columns, ['line', 'operation', 'contig', 'unified']);
  });

  it('the title keeps the file name whole and lets the folders be cut', () => {
    assert.deepEqual(splitSource('samples/seed-000/d-unification.mmscn'), { dir: 'samples/seed-000/', base: 'd-unification.mmscn' });
    assert.deepEqual(splitSource('basic.mmscn'), { dir: '', base: 'basic.mmscn' });
  });
});

describe('webview: the compare view\'s zone counters', () => {
  const d = (key: string, counter: string, a: number, b: number): ZoneDiff => ({ key, counter, a, b });

  it('all equal (the variants reached the same zone state): a clear line and the values, not a table of headers only', () => {
    const s = counterSummary([d('0/Normal', 'free', 10, 10), d('0/Movable', 'managed', 7, 7)], 23, 'contig', 'unified');
    assert.equal(s.differing.length, 0, 'no differing table');
    assert.match(s.heading, /^All 2 zone counters are equal after step 23/);
    assert.deepEqual(s.equal, [{ key: '0/Normal', counter: 'free', value: 10 }, { key: '0/Movable', counter: 'managed', value: 7 }]);
    assert.match(s.equalLabel ?? '', /2 values .*contig.*unified/);
  });

  it('some differ: those in the table, the equal ones behind a disclosure with their values', () => {
    const s = counterSummary([d('0/Normal', 'free', 10, 12), d('0/Movable', 'managed', 7, 7)], 5, 'a', 'b');
    assert.deepEqual(s.differing, [d('0/Normal', 'free', 10, 12)]);
    assert.equal(s.heading, 'Zone counters that differ (1 of 2) after step 5');
    assert.deepEqual(s.equal, [{ key: '0/Movable', counter: 'managed', value: 7 }]);
    assert.match(s.equalLabel ?? '', /1 equal counters/);
  });

  it('all differ: no disclosure', () => {
    const s = counterSummary([d('0/Normal', 'free', 1, 2)], 1, 'a', 'b');
    assert.equal(s.equalLabel, null);
  });

  it('no counters at all: says so', () => {
    const s = counterSummary([], 0, 'a', 'b');
    assert.match(s.heading, /No zone counters/);
    assert.equal(s.equalLabel, null);
  });
});
