// The zone map: a canvas of the machine's pfn space, one cell per pageblock or per group of pageblocks when
// zoomed out, per page when zoomed in (cellPages = 1). Rows are a power-of-two number of cells, so row starts
// are round pfns (the left axis, in hex), and memory blocks start on a row or split rows evenly.
// The host computes every window (src/sim/mapview.ts); the map only asks for what it shows.
import type { FailingPageblock, MapSummary, PageInfo } from '../shared/protocol.js';
import { CLASS_LABELS, MT_LABELS, cross, dashed, dots, hatch, notch, readTheme, withAlpha, type Theme } from './theme.js';
import { hex, pagesSize } from '../shared/format.js';

// mapview.ts constants (kept in sync by the unit test of the protocol helpers)
const F_ISOLATED = 1, F_CMA = 2, F_VMEMMAP = 4, F_OFFLINE = 8, F_ABSENT = 16, F_HOLE = 32, F_HUGETLB = 128;
const CLS_FREE = 0, CLS_PCP = 1;

export type ColourMode = 'migratetype' | 'pages';

export interface MapHost {
  viewMap(start: number, end: number, maxCells: number): Promise<MapSummary>;
  pageInfo(pfn: number): Promise<PageInfo | null>;
  reveal(pfn: number): void;
}

const LEFT = 150;
const TOP = 30;
const RIGHT = 124;
const BOTTOM = 6;

function dominantMt(s: MapSummary, ci: number): number {
  let best = -1, bestN = 0;
  for (let t = 0; t < s.mt.length; t++) if (s.mt[t]![ci]! > bestN) { best = t; bestN = s.mt[t]![ci]!; }
  return best;
}

export function cellText(s: MapSummary, ci: number): string[] {
  const pfn = s.start + ci * s.cellPages;
  const lines: string[] = [];
  const range = s.cellPages === 1 ? `pfn ${hex(pfn)}` : `pfn ${hex(pfn)}–${hex(pfn + s.cellPages - 1)} (${pagesSize(s.cellPages)}${s.cellPages >= s.pageblockPages ? `, ${s.cellPages / s.pageblockPages} pageblock${s.cellPages > s.pageblockPages ? 's' : ''}` : ''})`;
  lines.push(range);
  const z = s.zone[ci]! >= 0 ? s.zoneNames[s.zone[ci]!]! : null;
  const st = ['absent', 'offline', 'online'][s.blockState[ci]!] ?? 'no memory (hole)';
  lines.push(`${z ? `zone ${z.split(':')[1]} (node ${z.split(':')[0]})` : 'no zone'} · memory block ${s.block[ci]} ${st}`);
  const pb = s.pageblockPages;
  const pbStart = pfn - (pfn % pb);
  if (s.cellPages < pb) lines.push(`pageblock ${hex(pbStart)}`);
  const mts = s.mt.map((r, t) => [t, r[ci]!] as const).filter(([, n]) => n > 0);
  if (mts.length) {
    lines.push(s.cellPages >= pb ? `pageblocks: ${mts.map(([t, n]) => `${n} ${MT_LABELS[t]}`).join(', ')}${s.isolated[ci] ? `, ${s.isolated[ci]} isolated` : ''}` :
      `migratetype ${MT_LABELS[mts[0]![0]]}${s.isolated[ci] ? ' (isolated)' : ''}`);
  }
  const counts = s.counts.map((r, k) => [k, r[ci]!] as const).filter(([, n]) => n > 0);
  if (counts.length && s.cellPages > 1) lines.push(`pages: ${counts.map(([k, n]) => `${n} ${CLASS_LABELS[k]}`).join(', ')}`);
  return lines;
}

export function pageInfoText(p: PageInfo): string[] {
  const out: string[] = [];
  let st: string = p.state;
  if (p.state === 'buddy') st = `free (buddy order ${p.order}, head ${hex(p.head!)})`;
  else if (p.state === 'pcp') st = `on cpu ${p.cpu}'s PCP list (order ${p.order})`;
  else if (p.state === 'allocated') st = `allocated${p.kind ? ` ${p.kind}` : ''}${p.order ? ` folio order ${p.order} head ${hex(p.head!)}` : ''}${p.modifiers.length ? ` [${p.modifiers.join(', ')}]` : ''}`;
  out.push(`page ${hex(p.pfn)}: ${st}`);
  if (p.owner) out.push(`owner: ${p.owner}`);
  if (p.lastMigration) {
    const m = p.lastMigration;
    out.push(`last migration: ${hex(m.src)} → ${m.dst === null ? '—' : hex(m.dst)} order ${m.order} ${m.result}${m.reason ? ` (${m.reason})` : ''}`);
  }
  return out;
}

export class ZoneMap {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private theme: Theme = readTheme();
  private summary: MapSummary | null = null;
  /** whole-machine extent */
  private machineEnd = 0;
  private cellPages = 1;
  private fitPages = 1;
  private pbPages = 512;
  private start = 0;
  private cols = 64;
  private rows = 16;
  private cellW = 10;
  private cellH = 10;
  private cursor = -1; // pfn of the cursor cell
  private hoverCell = -1;
  private failing: FailingPageblock[] = [];
  private req = 0;
  /** the mouse position over the canvas (CSS px), null when outside: the tooltip follows it across zooms */
  private mouse: { x: number; y: number } | null = null;
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
    new ResizeObserver(() => { if (box.clientWidth !== lastWidth) { lastWidth = box.clientWidth; this.layout(true); } }).observe(box);
    window.addEventListener('resize', () => this.layout(true));
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => { this.mouse = null; this.hoverCell = -1; this.tip.hidden = true; this.draw(); });
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    // a tooltip shown for the cursor (go to pfn, keys) goes when the map loses focus, unless the mouse is on it
    this.canvas.addEventListener('blur', () => { if (!this.mouse) this.tip.hidden = true; });
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('click', (e) => {
      const pfn = this.pfnAt(e.offsetX, e.offsetY);
      if (pfn !== null) { this.cursor = pfn; this.draw(); this.announce(); }
    });
    this.canvas.addEventListener('dblclick', (e) => {
      const pfn = this.pfnAt(e.offsetX, e.offsetY);
      if (pfn !== null) this.zoomAt(pfn, -1);
    });
    new MutationObserver(() => { this.theme = readTheme(); this.draw(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** A new machine state: keep the zoom and position when the machine is the same size. */
  setData(summary: MapSummary, failing: FailingPageblock[]): void {
    const sameMachine = this.machineEnd === summary.end;
    this.machineEnd = summary.end;
    this.pbPages = summary.pageblockPages;
    this.failing = failing;
    this.layout(false);
    if (!sameMachine || this.cellPages > this.fitPages) { this.cellPages = this.fitPages; this.start = 0; }
    if (this.cellPages === this.fitPages && summary.cellPages === this.cellPages && summary.start === 0) {
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
    return { cellPages: this.cellPages, start: this.start, end: Math.min(this.machineEnd, this.start + this.rows * this.cols * this.cellPages) };
  }

  private rowPages(): number {
    return this.cols * this.cellPages;
  }

  private layout(refetch: boolean): void {
    const w = Math.max(200, this.box.clientWidth);
    const avail = Math.max(160, Math.floor(window.innerHeight * this.maxHeight));
    const plotW = w - LEFT - RIGHT;
    const plotH = avail - TOP - BOTTOM;
    // the whole machine at the finest resolution (at least one pageblock per cell) where cells stay >= 8 px;
    // the column count that gives the largest cells at that resolution is kept for every zoom level
    let best = { cols: 64, cell: 8, pages: this.pbPages };
    if (this.machineEnd) {
      outer: for (let p = Math.min(this.pbPages, this.machineEnd); ; p *= 2) {
        const n = Math.ceil(this.machineEnd / p);
        let found: typeof best | null = null;
        for (let cols = 8; cols <= 256 && plotW / cols >= 8; cols *= 2) {
          const cell = Math.min(Math.floor(plotW / cols), Math.floor(plotH / Math.ceil(n / cols)), 28);
          if (cell >= 8 && (!found || cell >= found.cell)) found = { cols, cell, pages: p };
        }
        if (found) { best = found; break outer; }
        if (p > this.machineEnd) break;
      }
    }
    this.cols = best.cols;
    this.fitPages = best.pages;
    this.cellW = Math.max(4, Math.floor(plotW / best.cols));
    this.cellH = Math.max(6, Math.min(best.cell, this.cellW));
    // as many rows as the whole machine needs at the fitted zoom (zooming in scrolls within them)
    const needRows = this.machineEnd ? Math.ceil(Math.ceil(this.machineEnd / best.pages) / best.cols) : Math.floor(plotH / this.cellH);
    this.rows = Math.max(1, Math.min(Math.floor(plotH / this.cellH), needRows));
    const h = TOP + BOTTOM + this.rows * this.cellH;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.floor(w * dpr);
    this.canvas.height = Math.floor(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (this.cellPages > this.fitPages) this.cellPages = this.fitPages;
    this.draw(); // the canvas was cleared by the resize: show what we have until the new window arrives
    if (refetch && this.machineEnd) void this.fetch();
  }

  private clampStart(): void {
    const rp = this.rowPages();
    const visible = this.rows * rp;
    const maxStart = Math.max(0, Math.ceil(this.machineEnd / rp) * rp - visible);
    this.start = Math.max(0, Math.min(this.start - (this.start % rp), maxStart));
  }

  private async fetch(): Promise<void> {
    if (!this.machineEnd) return;
    this.clampStart();
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
      if (pfn === null || this.cellIndexOf(pfn) < 0) this.tip.hidden = true;
      else void this.showTip(pfn, this.mouse.x, this.mouse.y);
    }
  }

  zoomAt(pfn: number, dir: -1 | 1): void {
    const next = dir < 0 ? Math.max(1, this.cellPages / 2) : Math.min(this.fitPages, this.cellPages * 2);
    if (next === this.cellPages) return;
    const rowOnScreen = Math.floor((pfn - this.start) / this.rowPages());
    this.cellPages = next;
    const rp = this.rowPages();
    this.start = Math.max(0, pfn - (pfn % rp) - Math.max(0, Math.min(rowOnScreen, this.rows - 1)) * rp);
    if (this.cursor < 0) this.cursor = pfn - (pfn % this.cellPages);
    void this.fetch();
  }

  zoom(dir: -1 | 1): void {
    const pfn = this.cursor >= 0 ? this.cursor : this.start + Math.floor((this.rows * this.rowPages()) / 2);
    this.zoomAt(pfn, dir);
  }

  fit(): void {
    this.cellPages = this.fitPages;
    this.start = 0;
    void this.fetch();
  }

  /**
   * Centre the map on a pfn (the failing list, "go to pfn"), zoomed in to at least `pagesPerCell` pages a
   * cell; a finer zoom the user chose is kept.
   */
  focusPfn(pfn: number, pagesPerCell?: number): void {
    if (pagesPerCell && this.cellPages > pagesPerCell) this.cellPages = Math.min(this.fitPages, pagesPerCell);
    this.cursor = pfn - (pfn % this.cellPages);
    const rp = this.rowPages();
    this.start = Math.max(0, pfn - (pfn % rp) - Math.floor(this.rows / 2) * rp);
    this.tip.hidden = true;
    void this.fetch().then(() => {
      // show the page's tooltip at its cell, as a memory inspector shows the address it went to
      const pt = this.pointOf(this.cursor);
      if (pt) void this.showTip(this.cursor, pt.x, pt.y);
    });
    this.canvas.focus();
  }

  /** Layout numbers, for tests: rows and cell size, the canvas height, the window the summary covers. */
  layoutInfo(): { rows: number; cols: number; cellH: number; canvasH: number; start: number; cellPages: number; summary: { start: number; end: number; cells: number } | null } {
    const s = this.summary;
    return { rows: this.rows, cols: this.cols, cellH: this.cellH, canvasH: this.canvas.height / (window.devicePixelRatio || 1), start: this.start, cellPages: this.cellPages, summary: s ? { start: s.start, end: s.end, cells: s.cells } : null };
  }

  /** The pfn the cursor is on (-1 when none), and the machine's end (exclusive). */
  get cursorPfn(): number { return this.cursor; }
  get end(): number { return this.machineEnd; }

  private cellIndexOf(pfn: number): number {
    if (!this.summary) return -1;
    const s = this.summary;
    if (pfn < s.start || pfn >= s.end) return -1;
    return Math.floor((pfn - s.start) / s.cellPages);
  }

  private cellXY(ci: number): { x: number; y: number } {
    const s = this.summary!;
    const pfn = s.start + ci * s.cellPages;
    const idx = (pfn - this.start) / this.cellPages;
    return { x: LEFT + (idx % this.cols) * this.cellW, y: TOP + Math.floor(idx / this.cols) * this.cellH };
  }

  pfnAt(x: number, y: number): number | null {
    const cx = Math.floor((x - LEFT) / this.cellW);
    const cy = Math.floor((y - TOP) / this.cellH);
    if (cx < 0 || cx >= this.cols || cy < 0 || cy >= this.rows) return null;
    const pfn = this.start + (cy * this.cols + cx) * this.cellPages;
    return pfn < this.machineEnd ? pfn : null;
  }

  /** Where the cell of a pfn is on the canvas (CSS pixels), for tests and the tooltip. */
  pointOf(pfn: number): { x: number; y: number } | null {
    const idx = Math.floor((pfn - this.start) / this.cellPages);
    if (idx < 0 || idx >= this.rows * this.cols) return null;
    return { x: LEFT + (idx % this.cols) * this.cellW + this.cellW / 2, y: TOP + Math.floor(idx / this.cols) * this.cellH + this.cellH / 2 };
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      this.start += Math.sign(e.deltaY || e.deltaX) * 3 * this.rowPages();
      void this.fetch();
      return;
    }
    const pfn = this.pfnAt(e.offsetX, e.offsetY) ?? this.start;
    this.zoomAt(pfn, e.deltaY < 0 ? -1 : 1);
  }

  private onKey(e: KeyboardEvent): void {
    const rp = this.rowPages();
    if (this.cursor < 0) this.cursor = this.start;
    let moved = true;
    switch (e.key) {
      case 'ArrowLeft': this.cursor -= this.cellPages; break;
      case 'ArrowRight': this.cursor += this.cellPages; break;
      case 'ArrowUp': this.cursor -= rp; break;
      case 'ArrowDown': this.cursor += rp; break;
      case 'PageUp': this.cursor -= rp * (this.rows - 1); break;
      case 'PageDown': this.cursor += rp * (this.rows - 1); break;
      case 'Home': this.cursor = 0; break;
      case 'End': this.cursor = this.machineEnd - this.cellPages; break;
      case '+': case '=': this.zoom(-1); moved = false; break;
      case '-': case '_': this.zoom(1); moved = false; break;
      case '0': this.fit(); moved = false; break;
      case 'Enter': case ' ': this.host.reveal(this.cursor); moved = false; break;
      case 'Escape': this.tip.hidden = true; moved = false; break;
      default: return;
    }
    e.preventDefault();
    if (!moved) return;
    this.cursor = Math.max(0, Math.min(this.cursor, this.machineEnd - 1));
    this.cursor -= this.cursor % this.cellPages;
    const visibleEnd = this.start + this.rows * rp;
    if (this.cursor < this.start || this.cursor >= visibleEnd) {
      this.start = this.cursor < this.start ? this.cursor - (this.cursor % rp) : this.cursor - (this.cursor % rp) - (this.rows - 1) * rp;
      void this.fetch();
    } else {
      this.draw();
      this.announce();
    }
    const pt = this.pointOf(this.cursor);
    if (pt) void this.showTip(this.cursor, pt.x, pt.y);
  }

  private announce(): void {
    const ci = this.cellIndexOf(this.cursor);
    const text = this.summary && ci >= 0 ? cellText(this.summary, ci) : [];
    this.onChange({ ...this.view, cursor: this.cursor, text });
  }

  private onMove(e: MouseEvent): void {
    this.mouse = { x: e.offsetX, y: e.offsetY };
    const pfn = this.pfnAt(e.offsetX, e.offsetY);
    const ci = pfn === null ? -1 : this.cellIndexOf(pfn);
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
    const ci = this.cellIndexOf(pfn);
    if (!s || ci < 0) return;
    const lines = cellText(s, ci);
    const fail = this.failing.filter((f) => f.pfn >= pfn && f.pfn < pfn + s.cellPages || (s.cellPages < s.pageblockPages && f.pageblock === pfn - (pfn % s.pageblockPages)));
    for (const f of fail.slice(0, 3)) lines.push(`✗ ${f.op}${f.name ? ' ' + f.name : ''} (line ${f.line}) failed at ${hex(f.pfn)}: ${f.reason}`);
    this.renderTip(lines, [], x, y);
    this.tipFor = pfn;
    const info = await this.host.pageInfo(pfn);
    if (this.tipFor !== pfn || !info) return;
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
    const ctx = this.ctx;
    const th = this.theme;
    const w = this.canvas.width / (window.devicePixelRatio || 1);
    const h = this.canvas.height / (window.devicePixelRatio || 1);
    ctx.clearRect(0, 0, w, h);
    const s = this.summary;
    ctx.font = th.mono;
    ctx.textBaseline = 'middle';
    if (!s) {
      ctx.fillStyle = th.muted;
      ctx.fillText('computing the map…', LEFT, TOP + 20);
      return;
    }
    const cw = this.cellW, ch = this.cellH;
    const gap = cw >= 8 ? 1 : 0;
    const failingCells = new Set<number>();
    for (const f of this.failing) {
      // zoomed out: the pageblock's cell; zoomed in: the failing page itself
      const ci = this.cellIndexOf(f.pfn);
      if (ci >= 0) failingCells.add(ci);
    }
    for (let ci = 0; ci < s.cells; ci++) {
      const { x, y } = this.cellXY(ci);
      if (y + ch > h) break;
      this.drawCell(s, ci, x, y, cw - gap, ch - gap);
    }
    // zone boundaries: a strong line where the zone changes between neighbours
    ctx.strokeStyle = th.fg;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let ci = 0; ci < s.cells; ci++) {
      const { x, y } = this.cellXY(ci);
      const z = s.zone[ci]!;
      const left = ci > 0 && (ci * s.cellPages + s.start - this.start) / this.cellPages % this.cols !== 0 ? s.zone[ci - 1]! : z;
      const up = ci - this.cols >= 0 ? s.zone[ci - this.cols]! : z;
      if (z >= 0 && left >= 0 && left !== z) { ctx.moveTo(x - gap / 2, y); ctx.lineTo(x - gap / 2, y + ch); }
      if (z >= 0 && up >= 0 && up !== z) { ctx.moveTo(x, y - gap / 2); ctx.lineTo(x + cw, y - gap / 2); }
    }
    ctx.stroke();
    // memory block boundaries
    const mbp = s.memoryBlockPages;
    const rp = this.rowPages();
    ctx.strokeStyle = th.muted;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 2]);
    ctx.beginPath();
    for (let r = 0; r < this.rows; r++) {
      const rowStart = this.start + r * rp;
      if (rowStart >= this.machineEnd) break;
      const y = TOP + r * ch;
      if (mbp >= rp) {
        if (rowStart % mbp === 0 && r > 0) { ctx.moveTo(LEFT, y - 0.5); ctx.lineTo(LEFT + this.cols * cw, y - 0.5); }
      } else {
        for (let p = rowStart + mbp; p < rowStart + rp; p += mbp) {
          const x = LEFT + ((p - rowStart) / this.cellPages) * cw - 0.5;
          ctx.moveTo(x, y); ctx.lineTo(x, y + ch);
        }
      }
    }
    ctx.stroke();
    ctx.setLineDash([]);
    // failing pageblocks: thick outline in the error colour (and a corner mark on the failing page)
    for (const c of failingCells) {
      if (c < 0) continue;
      const { x, y } = this.cellXY(c);
      ctx.strokeStyle = th.error;
      ctx.lineWidth = 2.5;
      ctx.strokeRect(x - 1, y - 1, cw - gap + 2, ch - gap + 2);
    }
    for (const c of failingCells) {
      if (c >= 0) continue;
      const { x, y } = this.cellXY(-1 - c);
      ctx.fillStyle = th.error;
      ctx.fillRect(x, y, cw - gap, ch - gap);
    }
    // hover and cursor
    if (this.hoverCell >= 0) {
      const { x, y } = this.cellXY(this.hoverCell);
      ctx.strokeStyle = th.fg;
      ctx.lineWidth = 1;
      ctx.strokeRect(x - 0.5, y - 0.5, cw - gap + 1, ch - gap + 1);
    }
    const cc = this.cellIndexOf(this.cursor);
    if (cc >= 0) {
      const { x, y } = this.cellXY(cc);
      // high contrast themes give errorForeground and focusBorder the same orange: the cursor is then drawn in
      // the foreground colour, dashed, so it never reads as a failing pageblock
      ctx.strokeStyle = th.hc || sameColour(th.focus, th.error) ? th.fg : th.focus;
      ctx.lineWidth = 2;
      if (th.hc) ctx.setLineDash([3, 2]);
      ctx.strokeRect(x - 1.5, y - 1.5, cw - gap + 3, ch - gap + 3);
      ctx.setLineDash([]);
    }
    this.drawAxes(s);
  }

  private drawCell(s: MapSummary, ci: number, x: number, y: number, w: number, h: number): void {
    const ctx = this.ctx;
    const th = this.theme;
    const flags = s.flags[ci]!;
    const online = s.online[ci]!;
    if (online === 0) {
      if (flags & F_VMEMMAP) {
        ctx.fillStyle = withAlpha(th.cls[7]!, 0.35);
        ctx.fillRect(x, y, w, h);
        dots(ctx, x, y, w, h, th.fg);
      } else if (flags & F_OFFLINE) {
        ctx.fillStyle = withAlpha(th.muted, 0.25);
        ctx.fillRect(x, y, w, h);
        cross(ctx, x, y, w, h, th.muted);
      } else if (flags & F_ABSENT) {
        dashed(ctx, x, y, w, h, th.muted);
      } else {
        // a hole: nothing there
        ctx.fillStyle = withAlpha(th.muted, 0.06);
        ctx.fillRect(x, y, w, h);
      }
      return;
    }
    const cells = s.cellPages;
    if (this.mode === 'pages' || cells < s.pageblockPages) {
      // stacked page classes from the bottom (free shows as the empty part), over a faint migratetype tint
      const mt = dominantMt(s, ci);
      ctx.fillStyle = withAlpha(mt >= 0 ? th.mt[mt]! : th.muted, cells < s.pageblockPages ? 0.18 : 0.12);
      ctx.fillRect(x, y, w, h);
      let yy = y + h;
      for (let k = CLS_PCP; k < s.counts.length; k++) {
        const n = s.counts[k]![ci]!;
        if (!n) continue;
        const hh = Math.max(1, (n / Math.max(online, cells)) * h);
        ctx.fillStyle = th.cls[k]!;
        ctx.fillRect(x, yy - hh, w, hh);
        yy -= hh;
      }
      if (cells === 1 && s.counts[CLS_FREE]![ci]) {
        ctx.strokeStyle = withAlpha(th.fg, 0.35);
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
      }
    } else {
      // migratetype: tint for the pageblock type, solid for the share of pages in use
      const mt = dominantMt(s, ci);
      const color = th.mt[mt >= 0 ? mt : 0]!;
      ctx.fillStyle = withAlpha(color, 0.28);
      ctx.fillRect(x, y, w, h);
      const used = online - s.counts[CLS_FREE]![ci]!;
      if (used > 0) {
        const hh = Math.max(1, Math.round((used / online) * h));
        ctx.fillStyle = color;
        ctx.fillRect(x, y + h - hh, w, hh);
      }
    }
    if (flags & F_ISOLATED) hatch(ctx, x, y, w, h, th.fg);
    if (flags & F_CMA) notch(ctx, x, y, w, h, th.fg);
    if (flags & F_VMEMMAP) dots(ctx, x, y, w, h, th.fg);
    if (flags & F_HUGETLB && this.mode === 'migratetype' && cells >= s.pageblockPages) {
      ctx.fillStyle = th.cls[6]!;
      ctx.fillRect(x, y, Math.max(2, w / 4), Math.max(2, h / 4));
    }
    if (flags & F_OFFLINE || flags & F_ABSENT) dashed(ctx, x, y, w, h, th.muted);
    if (flags & F_HOLE && s.online[ci]! < cells) {
      // partly a hole: a thin muted bar on the left
      ctx.fillStyle = th.muted;
      ctx.fillRect(x, y, 2, h);
    }
  }

  private drawAxes(s: MapSummary): void {
    const ctx = this.ctx;
    const th = this.theme;
    const rp = this.rowPages();
    const ch = this.cellH;
    ctx.textBaseline = 'middle';
    // top axis: column offsets
    ctx.font = th.mono;
    ctx.fillStyle = th.muted;
    ctx.textAlign = 'center';
    const labelEvery = Math.max(1, Math.ceil(60 / this.cellW));
    let step = 1;
    while (step < labelEvery) step *= 2;
    for (let c = 0; c < this.cols; c += step) {
      ctx.fillText(`+${hex(c * this.cellPages)}`, LEFT + c * this.cellW + this.cellW / 2, TOP - 10);
    }
    // left axis: row start pfn, and the zone band with its name
    ctx.textAlign = 'right';
    const rowsPerLabel = Math.max(1, Math.ceil(14 / ch));
    let zoneRunStart = 0;
    let zoneRun: number | null = null;
    const bandX = 6;
    const flushZone = (endRow: number) => {
      if (zoneRun === null) return;
      const y0 = TOP + zoneRunStart * ch;
      const y1 = TOP + endRow * ch - 1;
      const name = zoneRun >= 0 ? s.zoneNames[zoneRun]! : null;
      if (name) {
        ctx.fillStyle = withAlpha(th.fg, 0.1);
        ctx.fillRect(bandX, y0, 4, y1 - y0);
        ctx.fillStyle = th.fg;
        ctx.fillRect(bandX, y0, 4, 2);
        ctx.save();
        ctx.textAlign = 'left';
        ctx.font = `bold ${th.font}`;
        ctx.fillStyle = th.fg;
        const [nid, zn] = name.split(':');
        if (y1 - y0 >= 12) {
          ctx.fillText(zn!, bandX + 8, y0 + 8);
          if (y1 - y0 >= 30) {
            ctx.font = th.font;
            ctx.fillStyle = th.muted;
            ctx.fillText(`node ${nid}`, bandX + 8, y0 + 24);
          }
        }
        ctx.restore();
      }
    };
    for (let r = 0; r < this.rows; r++) {
      const rowStart = this.start + r * rp;
      if (rowStart >= this.machineEnd) { flushZone(r); zoneRun = null; break; }
      const ci = this.cellIndexOf(rowStart);
      // the zone of the row: the first cell with one
      let z = -1;
      for (let k = 0; k < this.cols && ci + k < s.cells; k++) if (s.zone[ci + k]! >= 0) { z = s.zone[ci + k]!; break; }
      if (z !== zoneRun) { flushZone(r); zoneRun = z; zoneRunStart = r; }
      if (r % rowsPerLabel === 0) {
        ctx.font = th.mono;
        ctx.fillStyle = th.muted;
        ctx.textAlign = 'right';
        ctx.fillText(hex(rowStart), LEFT - 6, TOP + r * ch + ch / 2);
      }
      if (r === this.rows - 1 || this.start + (r + 1) * rp >= this.machineEnd) flushZone(r + 1);
    }
    // right axis: memory blocks
    ctx.textAlign = 'left';
    ctx.font = th.mono;
    const mbp = s.memoryBlockPages;
    const xr = LEFT + this.cols * this.cellW + 6;
    const st = (ci: number) => ['absent', 'offline', ''][s.blockState[ci]!] ?? 'hole';
    if (mbp >= rp) {
      const rowsPerBlock = mbp / rp;
      for (let r = 0; r < this.rows; r++) {
        const rowStart = this.start + r * rp;
        if (rowStart >= this.machineEnd) break;
        if (rowStart % mbp !== 0 || (rowsPerBlock === 1 && r % rowsPerLabel !== 0)) continue;
        const ci = this.cellIndexOf(rowStart);
        const state = ci >= 0 ? st(ci) : '';
        ctx.fillStyle = state ? th.muted : th.fg;
        ctx.fillText(`mem ${rowStart / mbp}${state ? ' ' + state : ''}`, xr, TOP + r * ch + ch / 2);
      }
    } else {
      for (let r = 0; r < this.rows; r += rowsPerLabel) {
        const rowStart = this.start + r * rp;
        if (rowStart >= this.machineEnd) break;
        ctx.fillStyle = th.muted;
        ctx.fillText(`mem ${rowStart / mbp}–${(rowStart + rp) / mbp - 1}`, xr, TOP + r * ch + ch / 2);
      }
    }
    // title of the axes
    ctx.textAlign = 'left';
    ctx.font = th.font;
    ctx.fillStyle = th.muted;
    ctx.fillText('pfn', LEFT - 40, TOP - 10);
    ctx.fillText('block', xr, TOP - 10);
    // scroll position: a thin bar on the far right
    const total = this.machineEnd;
    const visible = this.rows * rp;
    if (visible < total) {
      const H = this.rows * ch;
      const y0 = TOP + (this.start / total) * H;
      const hh = Math.max(6, (visible / total) * H);
      ctx.fillStyle = withAlpha(th.fg, 0.12);
      ctx.fillRect(LEFT + this.cols * this.cellW + RIGHT - 8, TOP, 4, H);
      ctx.fillStyle = withAlpha(th.fg, 0.45);
      ctx.fillRect(LEFT + this.cols * this.cellW + RIGHT - 8, y0, 4, hh);
    }
  }
}

/** Draws one legend swatch (the same painter as the map). */
export function swatch(kind: { mt?: number; cls?: number; flag?: 'isolated' | 'cma' | 'vmemmap' | 'offline' | 'absent' | 'failing' | 'zone' | 'block' }): HTMLCanvasElement {
  const c = document.createElement('canvas');
  const dpr = window.devicePixelRatio || 1;
  c.width = 22 * dpr; c.height = 14 * dpr;
  c.className = 'swatch';
  c.setAttribute('aria-hidden', 'true');
  const ctx = c.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const paint = () => {
    const th = readTheme();
    ctx.clearRect(0, 0, 22, 14);
    const w = 20, h = 12, x = 1, y = 1;
    if (kind.mt !== undefined) {
      ctx.fillStyle = withAlpha(th.mt[kind.mt]!, 0.28); ctx.fillRect(x, y, w, h);
      ctx.fillStyle = th.mt[kind.mt]!; ctx.fillRect(x, y + h / 2, w, h / 2);
    } else if (kind.cls !== undefined) {
      if (kind.cls === 0) { ctx.strokeStyle = withAlpha(th.fg, 0.5); ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1); }
      else { ctx.fillStyle = th.cls[kind.cls]!; ctx.fillRect(x, y, w, h); }
    } else {
      ctx.fillStyle = withAlpha(th.muted, 0.15); ctx.fillRect(x, y, w, h);
      switch (kind.flag) {
        case 'isolated': hatch(ctx, x, y, w, h, th.fg); break;
        case 'cma': notch(ctx, x, y, w, h, th.fg); break;
        case 'vmemmap': dots(ctx, x, y, w, h, th.fg); break;
        case 'offline': cross(ctx, x, y, w, h, th.muted); break;
        case 'absent': ctx.clearRect(0, 0, 22, 14); dashed(ctx, x, y, w, h, th.muted); break;
        case 'failing': ctx.strokeStyle = th.error; ctx.lineWidth = 2.5; ctx.strokeRect(x + 1, y + 1, w - 2, h - 2); break;
        case 'zone': ctx.clearRect(0, 0, 22, 14); ctx.strokeStyle = th.fg; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(11, 0); ctx.lineTo(11, 14); ctx.stroke(); break;
        case 'block': ctx.clearRect(0, 0, 22, 14); ctx.strokeStyle = th.muted; ctx.setLineDash([3, 2]); ctx.beginPath(); ctx.moveTo(11, 0); ctx.lineTo(11, 14); ctx.stroke(); break;
      }
    }
  };
  paint();
  new MutationObserver(paint).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return c;
}

/** Two CSS colours that are the same (case and spacing aside). */
function sameColour(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();
}
