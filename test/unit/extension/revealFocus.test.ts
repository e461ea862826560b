// After a failing row's reveal the editor keeps the focus (src/extension/revealFocus.ts, used by Inspector.revealLine).
import assert from 'node:assert/strict';
import { keepEditorFocus, type RevealFocusPort } from '../../../src/extension/revealFocus.js';

/** A panel whose `active` the test sets; `fire` is the view-state event; `end` ends the grace period. */
function fakePort(active: boolean) {
  const listeners = new Set<() => void>();
  let end!: () => void;
  const calls = { focus: 0 };
  const port: RevealFocusPort & { active: boolean } = {
    active,
    panelActive: () => port.active,
    onPanelViewState: (fn) => { listeners.add(fn); return () => listeners.delete(fn); },
    focusEditor: () => { calls.focus++; port.active = false; },
    wait: () => new Promise<void>((r) => { end = r; }),
  };
  return { port, calls, fire: () => { for (const f of [...listeners]) f(); }, end: () => end(), listeners };
}

describe('inspector: after a reveal the editor has the focus', () => {
  it('the webview kept the focus through the reveal: the editor takes it back at once', async () => {
    const f = fakePort(true);
    const done = keepEditorFocus(f.port);
    assert.equal(f.calls.focus, 1);
    f.end();
    assert.equal(await done, 1);
  });

  it('the webview\'s own focus handling lands after the reveal (the ~1 in 10 race): the editor takes it back', async () => {
    const f = fakePort(false);
    const done = keepEditorFocus(f.port);
    assert.equal(f.calls.focus, 0, 'the editor had the focus: nothing to do yet');
    f.port.active = true; // the inspector's group became active again
    f.fire();
    assert.equal(f.calls.focus, 1);
    f.end();
    assert.equal(await done, 1);
  });

  it('the editor keeps the focus: no extra focusing', async () => {
    const f = fakePort(false);
    const done = keepEditorFocus(f.port);
    f.fire(); // a view-state change that leaves the inspector inactive (it was hidden or moved)
    f.end();
    assert.equal(await done, 0);
  });

  it('a bounded number of times, and never after the grace period: a person may click into the inspector', async () => {
    const f = fakePort(false);
    const done = keepEditorFocus(f.port, 1000, 2);
    for (let i = 0; i < 5; i++) { f.port.active = true; f.fire(); }
    assert.equal(f.calls.focus, 2);
    f.end();
    assert.equal(await done, 2);
    assert.equal(f.listeners.size, 0, 'the view-state listener is removed');
    f.port.active = true;
    f.fire();
    assert.equal(f.calls.focus, 2);
  });
});
