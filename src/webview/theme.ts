// Colours and patterns of the map, read from VS Code's theme variables (light, dark and high contrast all
// define the --vscode-charts-* palette), so the canvas follows the theme like the rest of the webview.
// Meaning never rests on colour alone: isolated, CMA, vmemmap, offline, absent, hole and failing have patterns
// or outlines (see the legend); unmovable pageblocks and pages carry pips, highatomic pageblocks stripes, pinned pages
// hatched, and the classes left to colour alone are chosen to stay apart for red-green colour-blind eyes too.

export const MT_LABELS = ['unmovable', 'movable', 'reclaimable', 'highatomic', 'CMA', 'isolate'];
/** Highatomic is blue, not charts-orange: Light and Dark Modern make charts-yellow and charts-orange two ambers
 *  (Light Modern #bf8803 / #d18616), so reclaimable and highatomic read as one colour. Reclaimable is the terminal's
 *  bright yellow, not charts-yellow: for a red-green colour-blind eye (protanopia) Light Modern's charts-yellow and
 *  charts-green were 17 ΔE apart, bright yellow is 35. Isolate (never a pageblock's stored type on the map: isolation
 *  is its own bit, drawn hatched) takes cyan, so the six stay distinct. */
export const MT_VARS = ['--vscode-charts-red', '--vscode-charts-green', '--vscode-terminal-ansiBrightYellow', '--vscode-charts-blue', '--vscode-charts-purple', '--vscode-terminal-ansiCyan'];
/** MIGRATE_UNMOVABLE's and MIGRATE_HIGHATOMIC's indexes: their cells and swatches carry a pattern (MT_PATTERN) */
export const MT_UNMOVABLE = 0;
export const MT_HIGHATOMIC = 3;

/** The pattern a migratetype's cell carries besides its colour (paintMigratetype), null for colour alone. Red and
 *  green are one colour to the 8% of men with a red-green colour-vision deficiency (for deuteranopia Dark High
 *  Contrast's charts-red and charts-green are 8 ΔE apart): unmovable carries pips, highatomic stripes, CMA the
 *  notch (its pageblocks carry the CMA mark too), isolate the hatch (the isolated mark). Movable and reclaimable rest
 *  on colour, kept far apart for those eyes too (test/unit/webview/theme.test.ts). */
export type Pattern = 'pips' | 'stripes' | 'notch' | 'hatch' | 'backhatch' | 'dots';
export const MT_PATTERN: readonly (Pattern | null)[] = ['pips', null, null, 'stripes', 'notch', 'hatch'];

/** PAGE_CLASSES order (src/sim/mapview.ts) */
export const CLASS_LABELS = ['free', 'PCP', 'movable', 'unmovable', 'reclaimable slab', 'pinned', 'hugetlb', 'vmemmap', 'offline', 'other'];
/** Chosen so that the classes drawn by colour alone (PCP, movable, reclaimable slab, hugetlb) stay apart under
 *  simulated deuteranopia and protanopia as well as for normal vision: PCP charts-blue and hugetlb the terminal's
 *  bright cyan (ansiCyan and charts-purple were 4 ΔE apart for deuteranopia in Dark Modern), reclaimable slab the
 *  migratetype's bright yellow. Pinned takes charts-purple (charts-orange beside the slab's yellow was two ambers),
 *  vmemmap the terminal's magenta; these two, like unmovable, carry a pattern (CLASS_PATTERN). */
export const CLASS_VARS = [
  '--vscode-editor-background', '--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-red', '--vscode-terminal-ansiBrightYellow',
  '--vscode-charts-purple', '--vscode-terminal-ansiBrightCyan', '--vscode-terminal-ansiMagenta', '--vscode-disabledForeground', '--vscode-descriptionForeground',
];
/** The pattern a page class's bar carries besides its colour (paintPageClass), in the background's colour: unmovable
 *  pages carry pips like unmovable pageblocks, pinned pages (they block migration too) hatched the other way from
 *  isolation, vmemmap dotted like the vmemmap mark (which the pages' view then leaves out). */
export const CLASS_PATTERN: readonly (Pattern | null)[] = [null, null, null, 'pips', null, 'backhatch', null, 'dots', null, null];

export interface Theme {
  mt: string[];
  cls: string[];
  fg: string;
  muted: string;
  bg: string;
  grid: string;
  error: string;
  focus: string;
  font: string;
  mono: string;
  /** the editor font's family and the UI font's size in px: the axes shrink their labels to fit short rows */
  monoFamily: string;
  fontPx: number;
  hc: boolean;
}

function v(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readTheme(): Theme {
  const s = getComputedStyle(document.body);
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const fallbackMt = ['#f14c4c', '#89d185', '#f5f543', '#3794ff', '#b180d7', '#11a8cd'];
  const size = v(s, '--vscode-font-size', '13px');
  return {
    mt: MT_VARS.map((n, i) => v(s, n, fallbackMt[i]!)),
    cls: CLASS_VARS.map((n, i) => v(s, n, ['#1e1e1e', '#3794ff', '#89d185', '#f14c4c', '#f5f543', '#b180d7', '#29b8db', '#bc3fbc', '#888', '#aaa'][i]!)),
    fg: v(s, '--vscode-foreground', '#ccc'),
    muted: v(s, '--vscode-descriptionForeground', '#999'),
    bg: v(s, '--vscode-editor-background', '#1e1e1e'),
    grid: v(s, '--vscode-editorIndentGuide-background1', v(s, '--vscode-panel-border', '#444')),
    error: v(s, '--vscode-errorForeground', '#f48771'),
    focus: v(s, '--vscode-focusBorder', '#007fd4'),
    font: `${size} ${v(s, '--vscode-font-family', 'sans-serif')}`,
    mono: `${size} ${v(s, '--vscode-editor-font-family', 'monospace')}`,
    monoFamily: v(s, '--vscode-editor-font-family', 'monospace'),
    fontPx: parseFloat(size) || 13,
    hc,
  };
}

/** Diagonal hatch (isolated pageblocks), each line edged on its right in `edge` when given. */
export function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string, step = 4, edge?: string): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.lineWidth = 1;
  for (const [style, off] of edge ? [[edge, 1], [color, 0]] as const : [[color, 0]] as const) {
    ctx.strokeStyle = style;
    ctx.beginPath();
    for (let d = -h; d < w; d += step) {
      ctx.moveTo(x + d + off, y + h);
      ctx.lineTo(x + d + off + h, y);
    }
    ctx.stroke();
  }
  ctx.restore();
}

/** The isolated mark (an isolated pageblock, the isolate swatch): the hatch in the foreground's colour, each line
 *  edged in the background's. One ink alone vanishes on some migratetype: Dark High Contrast's white on a used
 *  reclaimable pageblock's bright yellow is 3 L* apart, Light Modern's dark grey on a used unmovable red 23; there
 *  the edge (black, white) shows the line, and on the faint tints the foreground does. */
export function isolatedHatch(ctx: CanvasRenderingContext2D, th: Pick<Theme, 'fg' | 'bg'>, x: number, y: number, w: number, h: number): void {
  hatch(ctx, x, y, w, h, th.fg, 5, th.bg);
}

/** Vertical stripes (highatomic pageblocks): unlike the isolated hatch, they run with the map's columns. */
export function stripes(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string, step = 3): void {
  if (w <= 0 || h <= 0) return;
  ctx.save();
  ctx.fillStyle = color;
  for (let xx = x + 1; xx < x + w; xx += step) ctx.fillRect(Math.floor(xx), y, 1, h);
  ctx.restore();
}

/** A hole (no memory at these pfns): a faint fill and a thin solid outline. On a high contrast theme's black the
 *  faint fill alone was invisible, so there the outline is the full muted colour and the fill stronger. */
export function holeCell(ctx: CanvasRenderingContext2D, th: Pick<Theme, 'muted' | 'hc'>, x: number, y: number, w: number, h: number): void {
  ctx.save();
  ctx.fillStyle = withAlpha(th.muted, th.hc ? 0.2 : 0.06);
  ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = th.hc ? th.muted : withAlpha(th.muted, 0.5);
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
  ctx.restore();
}

/** Cross (offline memory). */
export function cross(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x + 1, y + 1); ctx.lineTo(x + w - 1, y + h - 1);
  ctx.moveTo(x + w - 1, y + 1); ctx.lineTo(x + 1, y + h - 1);
  ctx.stroke();
  ctx.restore();
}

/** Dots (vmemmap: the memmap of the block lives in it). */
export function dots(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string): void {
  ctx.save();
  ctx.fillStyle = color;
  const step = Math.max(3, Math.floor(Math.min(w, h) / 3));
  for (let yy = y + step / 2; yy < y + h; yy += step) for (let xx = x + step / 2; xx < x + w; xx += step) ctx.fillRect(Math.floor(xx), Math.floor(yy), 1.5, 1.5);
  ctx.restore();
}

/** A sparse grid of 1 px pips (unmovable pageblocks and pages): a ninth of the cell, so the pageblock's used part
 *  (solid, pips in the background's colour) still stands out from its free part (tint, pips in the type's colour). */
export function pips(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string, step = 3): void {
  if (w <= 0 || h <= 0) return;
  ctx.save();
  ctx.fillStyle = color;
  for (let yy = y + 1; yy < y + h; yy += step) for (let xx = x + 1; xx < x + w; xx += step) ctx.fillRect(Math.floor(xx), Math.floor(yy), 1, 1);
  ctx.restore();
}

/** Diagonal hatch the other way from the isolated one (pinned pages). */
export function backhatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string, step = 4): void {
  if (w <= 0 || h <= 0) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let d = -h; d < w; d += step) {
    ctx.moveTo(x + d, y);
    ctx.lineTo(x + d + h, y + h);
  }
  ctx.stroke();
  ctx.restore();
}

/** Draws `pattern` over a rectangle in `color`. */
export function pattern(ctx: CanvasRenderingContext2D, p: Pattern, x: number, y: number, w: number, h: number, color: string): void {
  switch (p) {
    case 'pips': pips(ctx, x, y, w, h, color); break;
    case 'stripes': stripes(ctx, x, y, w, h, color); break;
    case 'notch': notch(ctx, x, y, w, h, color); break;
    case 'hatch': hatch(ctx, x, y, w, h, color); break;
    case 'backhatch': backhatch(ctx, x, y, w, h, color); break;
    case 'dots': dots(ctx, x, y, w, h, color); break;
  }
}

/** A pageblock cell (or legend swatch) of migratetype `mt`: a tint for the type, solid for the bottom `usedH` pixels
 *  (the share of pages in use), and the type's pattern (MT_PATTERN). Striped and pipped types take their colour over
 *  the free part and the background's over the used part; CMA's notch and isolate's hatch are the marks' (fg). */
export function paintMigratetype(ctx: CanvasRenderingContext2D, th: Pick<Theme, 'mt' | 'fg' | 'bg'>, mt: number, x: number, y: number, w: number, h: number, usedH: number): void {
  const color = th.mt[mt]!;
  ctx.fillStyle = withAlpha(color, 0.28);
  ctx.fillRect(x, y, w, h);
  if (usedH > 0) {
    ctx.fillStyle = color;
    ctx.fillRect(x, y + h - usedH, w, usedH);
  }
  const p = MT_PATTERN[mt];
  if (p === 'pips' || p === 'stripes') {
    pattern(ctx, p, x, y, w, h - usedH, color);
    pattern(ctx, p, x, y + h - usedH, w, usedH, th.bg);
  } else if (p === 'notch') notch(ctx, x, y, w, h, th.fg, th.bg);
  else if (p === 'hatch') isolatedHatch(ctx, th, x, y, w, h);
  else if (p) pattern(ctx, p, x, y, w, h, th.fg);
}

/** A pageblock's migratetype behind its pages (the pages' view, and zoomed in to pages): a faint tint of the type's
 *  colour and, as over the free part of a pageblock in the migratetype view, its pips or stripes in that colour, so
 *  an unmovable pageblock's free pages read apart from a movable one's where the tint alone would not (red and green
 *  for a red-green colour-blind eye). The page classes' bars then cover it from the bottom. */
export function paintTint(ctx: CanvasRenderingContext2D, th: Pick<Theme, 'mt'>, mt: number, x: number, y: number, w: number, h: number, alpha: number): void {
  const color = th.mt[mt]!;
  ctx.fillStyle = withAlpha(color, alpha);
  ctx.fillRect(x, y, w, h);
  const p = MT_PATTERN[mt];
  if (p === 'pips' || p === 'stripes') pattern(ctx, p, x, y, w, h, color);
}

/** A bar of page class `k` (a zoomed-in page, or its share of a cell): its colour and its pattern (CLASS_PATTERN) in
 *  the background's colour (the foreground's dots on vmemmap's magenta were 20 L* apart in Light Modern). */
export function paintPageClass(ctx: CanvasRenderingContext2D, th: Pick<Theme, 'cls' | 'bg'>, k: number, x: number, y: number, w: number, h: number): void {
  ctx.fillStyle = th.cls[k]!;
  ctx.fillRect(x, y, w, h);
  const p = CLASS_PATTERN[k];
  if (p) pattern(ctx, p, x, y, w, h, th.bg);
}

/** Corner notch (CMA pageblocks), its diagonal edged in `edge`: Light Modern's foreground on a used CMA pageblock's
 *  charts-purple is 4 L* apart, so the edge (the background's colour) is what shows it there. */
export function notch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string, edge?: string): void {
  const s = Math.max(3, Math.min(w, h) * 0.45);
  ctx.save();
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(x + w, y);
  ctx.lineTo(x + w - s, y);
  ctx.lineTo(x + w, y + s);
  ctx.closePath();
  ctx.fill();
  if (edge) {
    ctx.strokeStyle = edge;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x + w - s - 0.5, y);
    ctx.lineTo(x + w, y + s + 0.5);
    ctx.stroke();
  }
  ctx.restore();
}

/** Dashed outline (absent hotplug memory). */
export function dashed(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.setLineDash([2, 2]);
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
  ctx.restore();
}

export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = parseColour(color) ?? [128, 128, 128];
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** A CSS colour (#rgb, #rrggbb[aa], rgb()/rgba()) as [r, g, b] 0–255, or null. */
export function parseColour(color: string): [number, number, number] | null {
  const c = color.trim();
  const m6 = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(c);
  const m3 = /^#([0-9a-f]{3})$/i.exec(c);
  const mr = /^rgba?\(([^)]+)\)$/i.exec(c);
  if (m6) { const n = parseInt(m6[1]!, 16); return [n >> 16, (n >> 8) & 255, n & 255]; }
  if (m3) { const h = m3[1]!; return [parseInt(h[0]! + h[0], 16), parseInt(h[1]! + h[1], 16), parseInt(h[2]! + h[2], 16)]; }
  if (mr) { const p = mr[1]!.split(/[\s,/]+/).filter(Boolean).map((x) => parseFloat(x)); return [p[0]!, p[1]!, p[2]!]; }
  return null;
}

/** CIE76 colour difference (ΔE*ab, sRGB D65) of two [r, g, b] colours: about 2.3 is just noticeable, 20+ plainly
 *  different colours. */
export function deltaE(a: readonly number[], b: readonly number[]): number {
  const lab = (rgb: readonly number[]) => {
    const lin = rgb.map((v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    const [r, g, bl] = lin as [number, number, number];
    const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * bl, (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883];
    const f = xyz.map((t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116)) as [number, number, number];
    return [116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])];
  };
  const p = lab(a), q = lab(b);
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}
