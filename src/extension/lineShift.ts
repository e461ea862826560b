// Keeps 1-based line numbers of an earlier analysis or run attached to their lines while the user types
// (pure: no vscode, tested in Node). A line before an edit keeps its number, a line after it moves by the
// number of lines the edit added or removed, a line the edit replaced is dropped, and the line the edit
// starts on stays (typing on a line does not move it).

/** One edit: 0-based start/end lines of the replaced range and the inserted text (vscode's contentChanges). */
export interface LineEdit {
  startLine: number;
  endLine: number;
  text: string;
}

/** The new line of `line` (1-based) after the edits, or null when the edits removed it. */
export function shiftLine(line: number, edits: readonly LineEdit[]): number | null {
  let l: number | null = line;
  // vscode reports the changes of one event in an order where each range refers to the document before
  // any of them; applying them from the bottom up keeps every range valid
  const sorted = [...edits].sort((a, b) => b.startLine - a.startLine);
  for (const e of sorted) {
    if (l === null) return null;
    const first = e.startLine + 1;
    const last = e.endLine + 1;
    const added = e.text.split(/\r\n|\r|\n/).length - 1;
    const delta = added - (e.endLine - e.startLine);
    if (l <= first) continue;
    if (l <= last) { l = null; continue; }
    l += delta;
  }
  return l;
}

/** Shifts every item's `line`; items whose line was removed are dropped. */
export function shiftLines<T extends { line: number }>(items: readonly T[], edits: readonly LineEdit[]): T[] {
  const out: T[] = [];
  for (const it of items) {
    const l = shiftLine(it.line, edits);
    if (l !== null) out.push(l === it.line ? it : { ...it, line: l });
  }
  return out;
}
