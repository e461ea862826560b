// The zone map's tooltip and the focus (src/webview/tipFocus.ts, used by src/webview/map.ts).
import assert from 'node:assert/strict';
import { cursorTipMayShow, keepTipAfterBlur } from '../../../src/webview/tipFocus.js';

describe('webview: the map tooltip follows the focus', () => {
  it('a failing-row click whose reveal took the focus to the editor before the map window arrived shows no tooltip', () => {
    // the map focused itself, then the reveal moved the focus out of the webview: the canvas is still the
    // document's active element, but the document no longer has the focus
    assert.equal(cursorTipMayShow({ mouseOnMap: false, mapFocused: true, documentFocused: false }), false);
  });

  it('go to pfn or keys in a focused webview show the cursor tooltip', () => {
    assert.equal(cursorTipMayShow({ mouseOnMap: false, mapFocused: true, documentFocused: true }), true);
  });

  it('the focus elsewhere in the webview (the failing list) shows no cursor tooltip', () => {
    assert.equal(cursorTipMayShow({ mouseOnMap: false, mapFocused: false, documentFocused: true }), false);
  });

  it('the mouse over the map keeps its tooltip whatever has the focus', () => {
    assert.equal(cursorTipMayShow({ mouseOnMap: true, mapFocused: false, documentFocused: false }), true);
    assert.equal(keepTipAfterBlur({ mouseOnMap: true }), true);
  });

  it('losing the focus (the map, or the webview to the editor) hides a tooltip the mouse is not on', () => {
    assert.equal(keepTipAfterBlur({ mouseOnMap: false }), false);
  });
});
