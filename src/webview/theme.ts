// Colours and patterns of the map, read from VS Code's theme variables (light, dark and high contrast all
// define the --vscode-charts-* palette), so the canvas follows the theme like the rest of the webview.
// Meaning never rests on colour alone: isolated, CMA, vmemmap, offline, absent and failing have patterns
// or outlines (see the legend).

export const MT_LABELS = ['unmovable', 'movable', 'reclaimable', 'highatomic', 'CMA', 'isolate'];
const MT_VARS = ['--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-yellow', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-blue'];

/** PAGE_CLASSES order (src/sim/mapview.ts) */
export const CLASS_LABELS = ['free', 'PCP', 'movable', 'unmovable', 'reclaimable slab', 'pinned', 'hugetlb', 'vmemmap', 'offline', 'other'];
const CLASS_VARS = [
  '--vscode-editor-background', '--vscode-terminal-ansiCyan', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-yellow',
  '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-blue', '--vscode-disabledForeground', '--vscode-descriptionForeground',
];

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
  hc: boolean;
}

function v(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readTheme(): Theme {
  const s = getComputedStyle(document.body);
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const fallbackMt = ['#f14c4c', '#89d185', '#cca700', '#d18616', '#b180d7', '#3794ff'];
  const size = v(s, '--vscode-font-size', '13px');
  return {
    mt: MT_VARS.map((n, i) => v(s, n, fallbackMt[i]!)),
    cls: CLASS_VARS.map((n, i) => v(s, n, ['#1e1e1e', '#11a8cd', '#89d185', '#f14c4c', '#cca700', '#d18616', '#b180d7', '#3794ff', '#888', '#aaa'][i]!)),
    fg: v(s, '--vscode-foreground', '#ccc'),
    muted: v(s, '--vscode-descriptionForeground', '#999'),
    bg: v(s, '--vscode-editor-background', '#1e1e1e'),
    grid: v(s, '--vscode-editorIndentGuide-background1', v(s, '--vscode-panel-border', '#444')),
    error: v(s, '--vscode-errorForeground', '#f48771'),
    focus: v(s, '--vscode-focusBorder', '#007fd4'),
    font: `${size} ${v(s, '--vscode-font-family', 'sans-serif')}`,
    mono: `${size} ${v(s, '--vscode-editor-font-family', 'monospace')}`,
    hc,
  };
}

/** Diagonal hatch (isolated pageblocks). */
export function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string, step = 4): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let d = -h; d < w; d += step) {
    ctx.moveTo(x + d, y + h);
    ctx.lineTo(x + d + h, y);
  }
  ctx.stroke();
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

/** Corner notch (CMA pageblocks). */
export function notch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string): void {
  const s = Math.max(3, Math.min(w, h) * 0.45);
  ctx.save();
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(x + w, y);
  ctx.lineTo(x + w - s, y);
  ctx.lineTo(x + w, y + s);
  ctx.closePath();
  ctx.fill();
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
  const c = color.trim();
  let r = 128, g = 128, b = 128;
  const m6 = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(c);
  const m3 = /^#([0-9a-f]{3})$/i.exec(c);
  const mr = /^rgba?\(([^)]+)\)$/i.exec(c);
  if (m6) { const n = parseInt(m6[1]!, 16); r = n >> 16; g = (n >> 8) & 255; b = n & 255; }
  else if (m3) { const h = m3[1]!; r = parseInt(h[0]! + h[0], 16); g = parseInt(h[1]! + h[1], 16); b = parseInt(h[2]! + h[2], 16); }
  else if (mr) { const p = mr[1]!.split(',').map((x) => parseFloat(x)); r = p[0]!; g = p[1]!; b = p[2]!; }
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
