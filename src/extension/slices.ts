// Long simulator work on the extension host thread, in time slices: the host (every extension's providers,
// the debugger, the workbench's requests) is served between slices, and the work can be cancelled.
// A worker thread would need the simulator and the scenario to cross a message boundary; slices between
// top-level steps are enough because a single step is short on every machine the language accepts.

/** Milliseconds of work before yielding to the event loop. */
export const SLICE_MS = 25;

/** One turn of the event loop (setImmediate in Node; setTimeout where it does not exist). */
export function yieldToHost(): Promise<void> {
  return new Promise((r) => (typeof setImmediate === 'function' ? setImmediate(r) : setTimeout(r, 0)));
}

/**
 * Calls `work()` (one unit, e.g. one step; it returns true when there is nothing more) until it is done or
 * `cancelled()` says stop, yielding every `budgetMs`. Resolves true when the work finished, false when cancelled.
 */
export async function runInSlices(work: () => boolean, cancelled: () => boolean, budgetMs = SLICE_MS): Promise<boolean> {
  for (;;) {
    const deadline = Date.now() + budgetMs;
    do {
      if (cancelled()) return false;
      if (work()) return true;
    } while (Date.now() < deadline);
    await yieldToHost();
  }
}
