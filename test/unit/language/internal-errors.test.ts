// An internal error in a language entry point falls back to an empty answer but is reported, never dropped.
import assert from 'node:assert/strict';
import { hover, setInternalErrorSink } from '../../../src/language/index.js';
import { guarded } from '../../../src/language/internal.js';
import { MACHINE } from './helpers.js';

describe('language: internal errors are reported', () => {
  const seen: [string, unknown][] = [];
  let prev: ReturnType<typeof setInternalErrorSink>;
  beforeEach(() => { seen.length = 0; prev = setInternalErrorSink((where, e) => seen.push([where, e])); });
  afterEach(() => { setInternalErrorSink(prev); });

  it('guarded() returns the fallback and reports the error with where it happened', () => {
    const boom = new Error('boom');
    assert.deepEqual(guarded('outline', [], () => { throw boom; }), []);
    assert.deepEqual(seen, [['outline', boom]]);
    assert.equal(guarded('outline', [], () => [1]).length, 1);
    assert.equal(seen.length, 1);
  });

  it('a failing page lookup during hover is reported, and hover answers null', () => {
    const text = MACHINE + 'free 0x100010\n';
    const line = text.split('\n').length - 1;
    const r = hover(text, line, 7, () => { throw new Error('lookup failed'); });
    assert.equal(r, null);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]![0], 'hover');
    assert.match(String(seen[0]![1]), /lookup failed/);
  });

  it('a failing sink does not turn the fallback into a crash', () => {
    setInternalErrorSink(() => { throw new Error('sink'); });
    assert.equal(guarded('hover', null, () => { throw new Error('x'); }), null);
  });
});
