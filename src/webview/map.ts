// The zone map: a canvas of the machine's pfn space, one cell per pageblock or per group of pageblocks when
// zoomed out, per page when zoomed in (cellPages = 1). Rows are a power-of-two number of cells, so row starts
// are round pfns (the left axis, in hex), and memory blocks start on a row or split rows evenly.
// The host computes every window (src/sim/mapview.ts); the map only asks for what it shows. This file is the
// input side (mouse, wheel, keys, tooltip, fetching windows); mapGeometry.ts places cells, mapDraw.ts paints them.
import type { FailingPageblock, MapSummary, PageInfo } from '../shared/protocol.js';
import { hex } from '../shared/format.js';
import { readTheme, type Theme } from './theme.js';
import { BOTTOM, LEFT, MapGeometry, RIGHT, TOP, axisLabels } from './mapGeometry.js';
import { cellText, drawMap, pageInfoText, type ColourMode } from './mapDraw.js';
import { cursorTipMayShow, keepTipAfterBlur, type FocusState } from './tipFocus.js';

export { swatch, type ColourMode } from './mapDraw.js';

export interface MapHost {
  viewMap(start: number, end: number, maxCells: number): Promise<MapSummary>;
  pageInfo(pfn: number): Promise<PageInfo | null>;
  reveal(pfn: number): void;
}

export class ZoneMap {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private theme: Theme = readTheme();
  private summary: MapSummary | null = null;
  /** zoom, position and grid (mapGeometry.ts) */
  private readonly g = new MapGeometry();
  private cursor = -1; // pfn of the cursor cell
  private hoverCell = -1;
  private failing: FailingPageblock[] = [];
  private req = 0;
  /** the mouse position over the canvas (CSS px), null when outside: the tooltip follows it across zooms */
  private mouse: { x: number; y: number } | null = null;
  /** the window/document listeners and observers, removed by dispose() (the compare tab makes two maps per compare) */
  private readonly life = new AbortController();
  private readonly observers: { disconnect(): void }[] = [];
  mode: ColourMode = 'migratetype';
  /** called whenever the view or the cursor changes (for the zoom label and the live region) */
  onChange: (what: { cellPages: number; start: number; end: number; cursor: number; text: string[] }) => void = () => {};

  /**
   * `maxHeight`: the most of the window's height the map may take (0..1); the canvas is only as tall as the
   * whole machine needs at the fitted zoom, so no blank space pushes the panels below the fold.
   */
  constructor(private readonly box: HTMLElement, private readonly tip: HTMLElement, private readonly host: MapHost, private readonly label: string, private readonly maxHeight = 0.55) {
    this.canvas = document.createElement('canvas');
    this.canvas.tabIndex = 0;
    this.canvas.className = 'zone-map';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', `${label}: arrow keys move the cursor, + and − zoom, Enter reveals the operation line`);
    box.appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d')!;
    // width changes re-layout; the height is the map's own (see layout), so observing it would loop
    let lastWidth = -1;
    const resize = new ResizeObserver(() => { if (box.clientWidth !== lastWidth) { lastWidth = box.clientWidth; this.layout(true); } });
    resize.observe(box);
    const signal = this.life.signal;
    window.addEventListener('resize', () => this.layout(true), { signal });
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => { this.mouse = null; this.hoverCell = -1; this.tip.hidden = true; this.draw(); });
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    // a tooltip shown for the cursor (go to pfn, keys, a failing row) goes when the map loses focus, or the whole
    // webview does (a reveal moved the focus to the editor), unless the mouse is on it (tipFocus.ts)
    const hideUnlessMouse = () => { if (!keepTipAfterBlur(this.focusState())) this.tip.hidden = true; };
    this.canvas.addEventListener('blur', hideUnlessMouse);
    window.addEventListener('blur', hideUnlessMouse, { signal });
    document.addEventListener('visibilitychange', () => { if (document.hidden) this.tip.hidden = true; }, { signal });
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('click', (e) => {
      const pfn = this.pfnAt(e.offsetX, e.offsetY);
      if (pfn !== null) { this.cursor = pfn; this.draw(); this.announce(); }
    });
    this.canvas.addEventListener('dblclick', (e) => {
      const pfn = this.pfnAt(e.offsetX, e.offsetY);
      if (pfn !== null) this.zoomAt(pfn, -1);
    });
    const themeChange = new MutationObserver(() => { this.theme = readTheme(); this.draw(); });
    themeChange.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.observers.push(resize, themeChange);
  }

  /** Stops listening to the window, the document and the theme: the map is gone (a new compare replaced it). */
  dispose(): void {
    this.life.abort();
    for (const o of this.observers) o.disconnect();
  }

  /** A new machine state: keep the zoom and position when the machine is the same size. */
  setData(summary: MapSummary, failing: FailingPageblock[]): void {
    const sameMachine = this.g.machineEnd === summary.end;
    this.g.machineEnd = summary.end;
    this.g.pbPages = summary.pageblockPages;
    this.failing = failing;
    this.layout(false);
    if (!sameMachine || this.g.cellPages > this.g.fitPages) { this.g.cellPages = this.g.fitPages; this.g.start = 0; }
    if (this.g.cellPages === this.g.fitPages && summary.cellPages === this.g.cellPages && summary.start === 0) {
      this.summary = summary;
      this.draw();
    } else {
      this.summary = null;
    }
    void this.fetch();
  }

  setMode(m: ColourMode): void {
    this.mode = m;
    this.draw();
  }

  get view(): { cellPages: number; start: number; end: number } {
    return this.g.view;
  }

  private layout(refetch: boolean): void {
    const w = Math.max(200, this.box.clientWidth);
    const avail = Math.max(160, Math.floor(window.innerHeight * this.maxHeight));
    const h = this.g.fit(w - LEFT - RIGHT, avail - TOP - BOTTOM);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.floor(w * dpr);
    this.canvas.height = Math.floor(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (this.g.cellPages > this.g.fitPages) this.g.cellPages = this.g.fitPages;
    // a narrower map has fewer pages a row: the cursor (a failing row's pageblock) would scroll off under the old start
    if (refetch) this.g.keepInView(this.cursor);
    this.draw(); // the canvas was cleared by the resize: show what we have until the new window arrives
    if (refetch && this.g.machineEnd) void this.fetch();
  }

  private async fetch(): Promise<void> {
    if (!this.g.machineEnd) return;
    this.g.clampStart();
    const { start, end, cellPages } = this.view;
    const id = ++this.req;
    const s = await this.host.viewMap(start, end, Math.max(1, Math.ceil((end - start) / cellPages)));
    if (id !== this.req) return;
    this.summary = s;
    this.draw();
    this.announce();
    // the cells moved under a visible tooltip (wheel zoom): show what is under the mouse now
    if (this.mouse && !this.tip.hidden) {
      const pfn = this.pfnAt(this.mouse.x, this.mouse.y);
      if (pfn === null || this.g.cellIndexOf(this.summary, pfn) < 0) this.tip.hidden = true;
      else void this.showTip(pfn, this.mouse.x, this.mouse.y);
    }
  }

  zoomAt(pfn: number, dir: -1 | 1): void {
    if (!this.g.zoomAt(pfn, dir)) return;
    if (this.cursor < 0) this.cursor = pfn - (pfn % this.g.cellPages);
    void this.fetch();
  }

  zoom(dir: -1 | 1): void {
    const pfn = this.cursor >= 0 ? this.cursor : this.g.start + Math.floor((this.g.rows * this.g.rowPages()) / 2);
    this.zoomAt(pfn, dir);
  }

  fit(): void {
    this.g.cellPages = this.g.fitPages;
    this.g.start = 0;
    void this.fetch();
  }

  /**
   * Centre the map on a pfn (the failing list, "go to pfn"), zoomed in to at least `pagesPerCell` pages a
   * cell; a finer zoom the user chose is kept. `takeFocus: false` (a failing row: its reveal gives the focus to the
   * editor) moves the cursor without focusing the canvas, so no cursor tooltip shows either.
   */
  focusPfn(pfn: number, pagesPerCell?: number, { takeFocus = true }: { takeFocus?: boolean } = {}): void {
    if (pagesPerCell && this.g.cellPages > pagesPerCell) this.g.cellPages = Math.min(this.g.fitPages, pagesPerCell);
    this.cursor = pfn - (pfn % this.g.cellPages);
    const rp = this.g.rowPages();
    this.g.start = Math.max(0, pfn - (pfn % rp) - Math.floor(this.g.rows / 2) * rp);
    this.tip.hidden = true;
    if (takeFocus) this.canvas.focus();
    this.settled = this.fetch().then(() => {
      // show the page's tooltip at its cell, as a memory inspector shows the address it went to; not when the focus
      // has left meanwhile (a failing row's reveal took it to the editor): nothing would hide it then
      const pt = this.pointOf(this.cursor);
      if (pt && cursorTipMayShow(this.focusState())) void this.showTip(this.cursor, pt.x, pt.y);
    });
  }

  private focusState(): FocusState {
    return { mouseOnMap: this.mouse !== null, mapFocused: document.activeElement === this.canvas, documentFocused: document.hasFocus() };
  }

  /** Resolves when the last focusPfn's window has arrived and its tooltip was shown or not (for tests). */
  settled: Promise<void> = Promise.resolve();

  /** Layout numbers, for tests: rows and cell size, the canvas height, the window the summary covers. */
  layoutInfo(): { rows: number; cols: number; cellW: number; cellH: number; canvasH: number; start: number; cellPages: number; labelEvery: number; labelPx: number; summary: { start: number; end: number; cells: number } | null } {
    const s = this.summary;
    const labels = axisLabels(this.g.cellH, this.theme.fontPx);
    return { rows: this.g.rows, cols: this.g.cols, cellW: this.g.cellW, cellH: this.g.cellH, canvasH: this.canvas.height / (window.devicePixelRatio || 1), start: this.g.start, cellPages: this.g.cellPages, labelEvery: labels.every, labelPx: labels.fontPx, summary: s ? { start: s.start, end: s.end, cells: s.cells } : null };
  }

  /** The pfn the cursor is on (-1 when none), and the machine's end (exclusive). */
  get cursorPfn(): number { return this.cursor; }
  get end(): number { return this.g.machineEnd; }

  pfnAt(x: number, y: number): number | null {
    return this.g.pfnAt(x, y);
  }

  /** Where the cell of a pfn is on the canvas (CSS pixels), for tests and the tooltip. */
  pointOf(pfn: number): { x: number; y: number } | null {
    return this.g.pointOf(pfn);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      this.g.start += Math.sign(e.deltaY || e.deltaX) * 3 * this.g.rowPages();
      void this.fetch();
      return;
    }
    const pfn = this.pfnAt(e.offsetX, e.offsetY) ?? this.g.start;
    this.zoomAt(pfn, e.deltaY < 0 ? -1 : 1);
  }

  private onKey(e: KeyboardEvent): void {
    const rp = this.g.rowPages();
    if (this.cursor < 0) this.cursor = this.g.start;
    let moved = true;
    switch (e.key) {
      case 'ArrowLeft': this.cursor -= this.g.cellPages; break;
      case 'ArrowRight': this.cursor += this.g.cellPages; break;
      case 'ArrowUp': this.cursor -= rp; break;
      case 'ArrowDown': this.cursor += rp; break;
      case 'PageUp': this.cursor -= rp * (this.g.rows - 1); break;
      case 'PageDown': this.cursor += rp * (this.g.rows - 1); break;
      case 'Home': this.cursor = 0; break;
      case 'End': this.cursor = this.g.machineEnd - this.g.cellPages; break;
      case '+': case '=': this.zoom(-1); moved = false; break;
      case '-': case '_': this.zoom(1); moved = false; break;
      case '0': this.fit(); moved = false; break;
      case 'Enter': case ' ': this.host.reveal(this.cursor); moved = false; break;
      case 'Escape': this.tip.hidden = true; moved = false; break;
      default: return;
    }
    e.preventDefault();
    if (!moved) return;
    this.cursor = Math.max(0, Math.min(this.cursor, this.g.machineEnd - 1));
    this.cursor -= this.cursor % this.g.cellPages;
    const visibleEnd = this.g.start + this.g.rows * rp;
    if (this.cursor < this.g.start || this.cursor >= visibleEnd) {
      this.g.start = this.cursor < this.g.start ? this.cursor - (this.cursor % rp) : this.cursor - (this.cursor % rp) - (this.g.rows - 1) * rp;
      void this.fetch();
    } else {
      this.draw();
      this.announce();
    }
    const pt = this.pointOf(this.cursor);
    if (pt) void this.showTip(this.cursor, pt.x, pt.y);
  }

  private announce(): void {
    const ci = this.g.cellIndexOf(this.summary, this.cursor);
    const text = this.summary && ci >= 0 ? cellText(this.summary, ci) : [];
    this.onChange({ ...this.view, cursor: this.cursor, text });
  }

  private onMove(e: MouseEvent): void {
    this.mouse = { x: e.offsetX, y: e.offsetY };
    const pfn = this.pfnAt(e.offsetX, e.offsetY);
    const ci = pfn === null ? -1 : this.g.cellIndexOf(this.summary, pfn);
    if (ci !== this.hoverCell) {
      this.hoverCell = ci;
      this.draw();
    }
    if (pfn === null || ci < 0) { this.tip.hidden = true; return; }
    void this.showTip(pfn, e.offsetX, e.offsetY);
  }

  private tipFor = -1;
  private async showTip(pfn: number, x: number, y: number): Promise<void> {
    const s = this.summary;
    const ci = this.g.cellIndexOf(this.summary, pfn);
    if (!s || ci < 0) return;
    const lines = cellText(s, ci);
    const fail = this.failing.filter((f) => f.pfn >= pfn && f.pfn < pfn + s.cellPages || (s.cellPages < s.pageblockPages && f.pageblock === pfn - (pfn % s.pageblockPages)));
    for (const f of fail.slice(0, 3)) lines.push(`✗ ${f.op}${f.name ? ' ' + f.name : ''} (line ${f.line}) failed at ${hex(f.pfn)}: ${f.reason}`);
    this.renderTip(lines, [], x, y);
    this.tipFor = pfn;
    const info = await this.host.pageInfo(pfn);
    // hidden meanwhile (the mouse or the focus left): the page's details must not bring it back
    if (this.tipFor !== pfn || !info || this.tip.hidden) return;
    this.renderTip(lines, pageInfoText(info), x, y);
  }

  private renderTip(lines: string[], detail: string[], x: number, y: number): void {
    const t = this.tip;
    t.replaceChildren();
    for (const [i, l] of lines.entries()) {
      const d = document.createElement('div');
      d.textContent = l;
      if (i === 0) d.className = 'tip-title';
      if (l.startsWith('✗')) d.className = 'tip-fail';
      t.appendChild(d);
    }
    if (detail.length) {
      const hr = document.createElement('hr');
      t.appendChild(hr);
      for (const l of detail) {
        const d = document.createElement('div');
        d.className = 'tip-page';
        d.textContent = l;
        t.appendChild(d);
      }
    }
    t.hidden = false;
    const bw = this.box.clientWidth;
    const bh = this.box.clientHeight;
    const tw = t.offsetWidth;
    const th = t.offsetHeight;
    t.style.left = `${Math.max(0, Math.min(x + 14, bw - tw - 4))}px`;
    t.style.top = `${y + 16 + th > bh ? Math.max(0, y - th - 8) : y + 16}px`;
  }

  draw(): void {
    const dpr = window.devicePixelRatio || 1;
    drawMap(this.ctx, this.g, this.summary, {
      theme: this.theme, mode: this.mode, failing: this.failing, hoverCell: this.hoverCell, cursor: this.cursor,
      width: this.canvas.width / dpr, height: this.canvas.height / dpr,
    });
  }
}
