// Internal errors of the language service. Hover, completion, formatting, outline and highlighting must never take
// the editor down on a bug, so each entry point falls back to an empty answer — but the error is reported (by
// default on stderr, or wherever the host sends it: the extension's output channel), never dropped in silence.

export type InternalErrorSink = (where: string, error: unknown) => void;

const toStderr: InternalErrorSink = (where, error) => {
  const text = error instanceof Error ? error.stack ?? error.message : String(error);
  console.error(`mmscn: internal error in ${where} (a bug in mmscn, please report it): ${text}`);
};
let sink: InternalErrorSink = toStderr;

/** Where internal errors of the language service go; returns the previous sink (tests restore it). */
export function setInternalErrorSink(next: InternalErrorSink | null): InternalErrorSink {
  const prev = sink;
  sink = next ?? toStderr;
  return prev;
}

/** Runs an entry point: on an exception, reports it (with the entry point's name) and returns `fallback`. */
export function guarded<T>(where: string, fallback: T, run: () => T): T {
  try {
    return run();
  } catch (e) {
    try { sink(where, e); } catch { /* a failing sink must not turn a fallback into a crash */ }
    return fallback;
  }
}
