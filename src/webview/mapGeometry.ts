// Where the zone map's cells are: the zoom (pages per cell), the first pfn shown, the grid of rows and columns and
// the cell size in CSS pixels. Arithmetic only (no DOM, no drawing): the map (map.ts) owns one and asks it.
import type { MapSummary } from '../shared/protocol.js';

/** margins around the cells: the pfn axis and zone band (left), column offsets (top), memory blocks (right) */
export const LEFT = 150;
export const TOP = 30;
export const RIGHT = 124;
export const BOTTOM = 6;

/** Half the height of the map's label text (CSS px): a name centred at y covers y − 6 … y + 6. */
const LABEL_HALF = 6;

/**
 * Where the left axis writes a zone's name (and node) for a zone band from y0 to y1 (CSS px), given the bottom of the
 * name written above it: null when it would be written over that one. A band too short for the name under its top
 * (a zone one row high: Movable on a maximized map is a single 11 px row) gets the name centred on it, not none: a
 * coloured band the legend does not explain would be left unnamed.
 */
export function zoneLabelSpot(y0: number, y1: number, minY: number): { nameY: number; nodeY: number | null; bottom: number } | null {
  const h = y1 - y0;
  if (h >= 12) {
    const nodeY = h >= 30 ? y0 + 24 : null;
    return { nameY: y0 + 8, nodeY, bottom: (nodeY ?? y0 + 8) + LABEL_HALF };
  }
  const nameY = Math.round((y0 + y1) / 2);
  return nameY - LABEL_HALF < minY ? null : { nameY, nodeY: null, bottom: nameY + LABEL_HALF };
}

/** Height of a digit (and of x) in a monospace font, as a share of its size: DejaVu Sans Mono's cap height is 0.73 em. */
const DIGIT_EM = 0.73;
/** The smallest font the axes shrink to, and the clear space between two labels (CSS px). */
const MIN_LABEL_PX = 10;
const LABEL_GAP = 2;

/**
 * Which rows the side axes label, and in what font size: every row when its digits fit in a row with a little space
 * between labels, at the UI font's size or smaller down to 10 px (a maximized map's rows are about 11 px: at 13 px
 * the digits of neighbouring labels nearly touched, so only every second row was labelled); otherwise every n-th row
 * at the full size.
 */
export function axisLabels(cellH: number, fontPx: number): { every: number; fontPx: number } {
  const fits = (px: number, rows: number) => px * DIGIT_EM + LABEL_GAP <= rows * cellH;
  if (fits(fontPx, 1)) return { every: 1, fontPx };
  const shrunk = Math.floor((cellH - LABEL_GAP) / DIGIT_EM);
  if (shrunk >= MIN_LABEL_PX) return { every: 1, fontPx: shrunk };
  let every = 2;
  while (!fits(fontPx, every)) every++;
  return { every, fontPx };
}

export class MapGeometry {
  /** whole-machine extent */
  machineEnd = 0;
  cellPages = 1;
  fitPages = 1;
  pbPages = 512;
  start = 0;
  cols = 64;
  rows = 16;
  cellW = 10;
  cellH = 10;

  get view(): { cellPages: number; start: number; end: number } {
    return { cellPages: this.cellPages, start: this.start, end: Math.min(this.machineEnd, this.start + this.rows * this.cols * this.cellPages) };
  }

  rowPages(): number {
    return this.cols * this.cellPages;
  }

  /**
   * Fits the grid to a plot area of plotW × plotH CSS pixels: the whole machine at the finest resolution (at least
   * one pageblock per cell) where cells stay >= 8 px; the column count that gives the largest cells at that
   * resolution is kept for every zoom level. Returns the canvas height the grid needs.
   */
  fit(plotW: number, plotH: number): number {
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
    return TOP + BOTTOM + this.rows * this.cellH;
  }

  /**
   * After a re-fit (the width changed, so the pages a row did too): the row of `pfn` (the cursor: a failing row's
   * pageblock, a pfn gone to) stays on screen, centred when the old start left it off. A view that still shows it is
   * left as it is.
   */
  keepInView(pfn: number): void {
    if (pfn < 0 || pfn >= this.machineEnd) return;
    const rp = this.rowPages();
    if (pfn >= this.start && pfn < this.start + this.rows * rp) return;
    this.start = Math.max(0, pfn - (pfn % rp) - Math.floor(this.rows / 2) * rp);
  }

  clampStart(): void {
    const rp = this.rowPages();
    const visible = this.rows * rp;
    const maxStart = Math.max(0, Math.ceil(this.machineEnd / rp) * rp - visible);
    this.start = Math.max(0, Math.min(this.start - (this.start % rp), maxStart));
  }

  /** Zooms in (dir -1) or out (1) keeping the row of `pfn` where it is on screen; false when the zoom did not change. */
  zoomAt(pfn: number, dir: -1 | 1): boolean {
    const next = dir < 0 ? Math.max(1, this.cellPages / 2) : Math.min(this.fitPages, this.cellPages * 2);
    if (next === this.cellPages) return false;
    const rowOnScreen = Math.floor((pfn - this.start) / this.rowPages());
    this.cellPages = next;
    const rp = this.rowPages();
    this.start = Math.max(0, pfn - (pfn % rp) - Math.max(0, Math.min(rowOnScreen, this.rows - 1)) * rp);
    return true;
  }

  /** The cell of `pfn` in a summary's window, or -1. */
  cellIndexOf(s: MapSummary | null, pfn: number): number {
    if (!s) return -1;
    if (pfn < s.start || pfn >= s.end) return -1;
    return Math.floor((pfn - s.start) / s.cellPages);
  }

  /** The top-left corner of a summary's cell on the canvas (CSS pixels). */
  cellXY(s: MapSummary, ci: number): { x: number; y: number } {
    const pfn = s.start + ci * s.cellPages;
    const idx = (pfn - this.start) / this.cellPages;
    return { x: LEFT + (idx % this.cols) * this.cellW, y: TOP + Math.floor(idx / this.cols) * this.cellH };
  }

  /** The first pfn of the cell under a canvas point, or null (outside the cells or the machine). */
  pfnAt(x: number, y: number): number | null {
    const cx = Math.floor((x - LEFT) / this.cellW);
    const cy = Math.floor((y - TOP) / this.cellH);
    if (cx < 0 || cx >= this.cols || cy < 0 || cy >= this.rows) return null;
    const pfn = this.start + (cy * this.cols + cx) * this.cellPages;
    return pfn < this.machineEnd ? pfn : null;
  }

  /** The centre of the cell of a pfn on the canvas (CSS pixels), or null when it is not shown. */
  pointOf(pfn: number): { x: number; y: number } | null {
    const idx = Math.floor((pfn - this.start) / this.cellPages);
    if (idx < 0 || idx >= this.rows * this.cols) return null;
    return { x: LEFT + (idx % this.cols) * this.cellW + this.cellW / 2, y: TOP + Math.floor(idx / this.cols) * this.cellH + this.cellH / 2 };
  }
}
