// Where a failing row's click opens the source (src/extension/revealColumn.ts, used by Inspector.revealLine).
import assert from 'node:assert/strict';
import { sourceColumn } from '../../../src/extension/revealColumn.js';

describe('inspector: the column a reveal opens the source in', () => {
  it('the source already visible: its own column', () => {
    assert.equal(sourceColumn(1, 2), 1);
    assert.equal(sourceColumn(3, 1), 3);
  });

  it('the source tab closed, the inspector the only group (column One): beside it, not over it', () => {
    assert.equal(sourceColumn(undefined, 1), 2);
  });

  it('the inspector beside the editor (column Two) and the source closed: column One', () => {
    assert.equal(sourceColumn(undefined, 2), 1);
  });

  it('no inspector column known: column One as before', () => {
    assert.equal(sourceColumn(undefined, undefined), 1);
  });
});
