// When the zone map's tooltip may be on screen. The tooltip follows the mouse over the map, or shows the cursor's
// cell after keys, "go to pfn" or a failing-row click. A failing-row click also reveals the operation's line, which
// moves the focus out of the webview to the text editor, possibly before the map's new window arrives: a tooltip
// shown then would stay over the inspector (above the sticky title) until the map got and lost the focus again.
// Kept free of the DOM so it is tested headless (test/unit/webview/tipFocus.test.ts).

export interface FocusState {
  /** the mouse is over the map's canvas */
  mouseOnMap: boolean;
  /** the canvas is the document's active element */
  mapFocused: boolean;
  /** the webview's document has the focus (false once the focus went to the editor or elsewhere in VS Code) */
  documentFocused: boolean;
}

/** The cursor's tooltip (not under the mouse) belongs to a focused map in a focused webview, or to the mouse. */
export function cursorTipMayShow(s: FocusState): boolean {
  return s.mouseOnMap || (s.mapFocused && s.documentFocused);
}

/** After the map, or the whole webview, lost the focus: the tooltip stays only while the mouse is on the map. */
export function keepTipAfterBlur(s: Pick<FocusState, 'mouseOnMap'>): boolean {
  return s.mouseOnMap;
}
