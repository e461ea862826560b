// After a failing row's click revealed its line, the editor keeps the focus. The click's own focus handling (the
// webview's iframe took the focus on mousedown; the workbench hears of it through the webview's messages and makes
// the inspector's group active) can land after the reveal's showTextDocument did, and then the webview kept the
// focus: seen about once in ten e2e runs. So for a short while after the reveal, an inspector that becomes the active
// editor again hands the focus back to the editor, a bounded number of times. Plain functions over a small port, so
// the rule is tested without VS Code (test/unit/extension/revealFocus.test.ts); Inspector.revealLine wires it.

export interface RevealFocusPort {
  /** the inspector's panel is the active editor (its webview has the focus) */
  panelActive(): boolean;
  /** calls `fn` whenever the panel's view state changes (it became active or inactive); returns the un-subscriber */
  onPanelViewState(fn: () => void): () => void;
  /** gives the focus to the revealed editor again */
  focusEditor(): void | Promise<void>;
  /** resolves after `ms` milliseconds */
  wait(ms: number): Promise<void>;
}

/** How long after a reveal, and how often, a focus taken by the inspector is given back to the editor. */
export const REVEAL_FOCUS_GRACE_MS = 1000;
export const REVEAL_FOCUS_MAX = 2;

/**
 * Hands the focus back to the editor whenever the inspector is (or becomes) the active editor within `graceMs` of a
 * reveal, at most `max` times (a person who clicks into the inspector again on purpose keeps it after that, and
 * always once the grace period is over). Resolves with how many times it did.
 */
export function keepEditorFocus(port: RevealFocusPort, graceMs = REVEAL_FOCUS_GRACE_MS, max = REVEAL_FOCUS_MAX): Promise<number> {
  let n = 0;
  let over = false;
  const check = (): void => {
    if (over || n >= max || !port.panelActive()) return;
    n++;
    void port.focusEditor();
  };
  const off = port.onPanelViewState(check);
  check();
  return port.wait(graceMs).then(() => {
    over = true;
    off();
    return n;
  });
}
