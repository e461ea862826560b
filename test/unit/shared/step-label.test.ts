// The inspector numbers steps as the debugger's call stack does (issue 11 item 5), and reads typed pfns.
import { strict as assert } from 'node:assert';
import { parsePfn, stepLabel } from '../../../src/shared/protocol.js';

describe('inspector step label and go to pfn', () => {
  it('stopped at position p shows the step about to run, p+1 (the debugger frame "step p+1/n")', () => {
    assert.equal(stepLabel(0, 40), 'step 1 / 40');
    assert.equal(stepLabel(12, 40), 'step 13 / 40');
    assert.equal(stepLabel(40, 40), 'end · 40 / 40 steps run');
  });
  it('parses hex, decimal and bare hex pfns; refuses junk', () => {
    assert.equal(parsePfn('0x100205'), 0x100205);
    assert.equal(parsePfn(' 0x10_0205 '), 0x100205);
    assert.equal(parsePfn('4096'), 4096);
    assert.equal(parsePfn('ff'), 0xff);
    assert.equal(parsePfn('page'), null);
    assert.equal(parsePfn(''), null);
    assert.equal(parsePfn('0xffffffffffffffffff'), null);
  });
});
