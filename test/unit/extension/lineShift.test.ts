import { strict as assert } from 'node:assert';
import { shiftLine, shiftLines } from '../../../src/extension/lineShift.js';

describe('lineShift: earlier results follow their lines while typing', () => {
  it('typing on a line keeps every line', () => {
    const e = [{ startLine: 4, endLine: 4, text: 'x' }];
    assert.deepEqual([3, 5, 9].map((l) => shiftLine(l, e)), [3, 5, 9]);
  });
  it('a new line moves the lines after it down', () => {
    const e = [{ startLine: 4, endLine: 4, text: '\nalloc order\n' }];
    assert.deepEqual([4, 5, 6, 12].map((l) => shiftLine(l, e)), [4, 5, 8, 14]);
  });
  it('deleting lines drops them and moves the rest up', () => {
    const e = [{ startLine: 4, endLine: 6, text: '' }];
    assert.deepEqual([5, 6, 7, 8].map((l) => shiftLine(l, e)), [5, null, null, 6]);
  });
  it('several edits in one change', () => {
    const e = [{ startLine: 10, endLine: 10, text: '\n' }, { startLine: 1, endLine: 1, text: '\n\n' }];
    assert.deepEqual([1, 3, 12].map((l) => shiftLine(l, e)), [1, 5, 15]);
  });
  it('shiftLines keeps the items whose line survives', () => {
    const r = shiftLines([{ line: 3, t: 'a' }, { line: 6, t: 'b' }, { line: 9, t: 'c' }], [{ startLine: 4, endLine: 5, text: '' }]);
    assert.deepEqual(r, [{ line: 3, t: 'a' }, { line: 8, t: 'c' }]);
  });
});
