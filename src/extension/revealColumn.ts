// Where a failing row's click opens the scenario's source. Plain numbers (vscode.ViewColumn's values: One = 1, …), so
// the rule is tested without VS Code (test/unit/extension/revealColumn.test.ts).

/**
 * The editor column for the source: the column it is already visible in; else column One — unless that is the
 * inspector's own column (the source tab was closed and the inspector is the only group, or it was moved to
 * the left), where the source would cover the inspector: then the column right of the inspector, which VS Code
 * creates when it does not exist yet.
 */
export function sourceColumn(visibleIn: number | undefined, inspectorIn: number | undefined): number {
  if (visibleIn !== undefined && visibleIn !== inspectorIn) return visibleIn;
  return inspectorIn === 1 ? 2 : 1;
}
