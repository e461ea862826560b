// Painting the zone map: cells (by migratetype or by page class), boundaries, failing pageblocks, cursor, axes,
// and the legend swatches (the same painter). Reads a MapGeometry and a summary; keeps no state of its own.
import type { FailingPageblock, MapSummary, PageInfo } from '../shared/protocol.js';
import { hex, pagesSize } from '../shared/format.js';
import { CLASS_LABELS, MT_LABELS, cross, dashed, dots, holeCell, isolatedHatch, notch, paintMigratetype, paintPageClass, paintTint, readTheme, withAlpha, type Theme } from './theme.js';
import { LEFT, RIGHT, TOP, axisLabels, zoneLabelSpot, type MapGeometry } from './mapGeometry.js';

export type ColourMode = 'migratetype' | 'pages';

// mapview.ts constants (kept in sync by the unit test of the protocol helpers)
const F_ISOLATED = 1, F_CMA = 2, F_VMEMMAP = 4, F_OFFLINE = 8, F_ABSENT = 16, F_HOLE = 32, F_HUGETLB = 128;
const CLS_FREE = 0, CLS_PCP = 1;

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

/** What the map shows besides the summary: the theme and colour mode, failing pfns, the hovered cell and the cursor. */
export interface DrawState {
  theme: Theme;
  mode: ColourMode;
  failing: FailingPageblock[];
  /** the summary's cell under the mouse, -1 when none */
  hoverCell: number;
  /** pfn of the cursor cell, -1 when none */
  cursor: number;
  /** canvas size in CSS pixels */
  width: number;
  height: number;
}

/** Paints the whole map: cells, zone and memory block boundaries, failing pageblocks, hover, cursor, axes. */
export function drawMap(ctx: CanvasRenderingContext2D, g: MapGeometry, s: MapSummary | null, o: DrawState): void {
  const th = o.theme;
  const w = o.width;
  const h = o.height;
  ctx.clearRect(0, 0, w, h);
  ctx.font = th.mono;
  ctx.textBaseline = 'middle';
  if (!s) {
    ctx.fillStyle = th.muted;
    ctx.fillText('computing the map…', LEFT, TOP + 20);
    return;
  }
  const cw = g.cellW, ch = g.cellH;
  const gap = cw >= 8 ? 1 : 0;
  const failingCells = new Set<number>();
  for (const f of o.failing) {
    // zoomed out: the pageblock's cell; zoomed in: the failing page itself
    const ci = g.cellIndexOf(s, f.pfn);
    if (ci >= 0) failingCells.add(ci);
  }
  for (let ci = 0; ci < s.cells; ci++) {
    const { x, y } = g.cellXY(s, ci);
    if (y + ch > h) break;
    drawCell(ctx, th, o.mode, s, ci, x, y, cw - gap, ch - gap);
  }
  // zone boundaries: a strong line where the zone changes between neighbours
  ctx.strokeStyle = th.fg;
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (let ci = 0; ci < s.cells; ci++) {
    const { x, y } = g.cellXY(s, ci);
    const z = s.zone[ci]!;
    const left = ci > 0 && (ci * s.cellPages + s.start - g.start) / g.cellPages % g.cols !== 0 ? s.zone[ci - 1]! : z;
    const up = ci - g.cols >= 0 ? s.zone[ci - g.cols]! : z;
    if (z >= 0 && left >= 0 && left !== z) { ctx.moveTo(x - gap / 2, y); ctx.lineTo(x - gap / 2, y + ch); }
    if (z >= 0 && up >= 0 && up !== z) { ctx.moveTo(x, y - gap / 2); ctx.lineTo(x + cw, y - gap / 2); }
  }
  ctx.stroke();
  // memory block boundaries
  const mbp = s.memoryBlockPages;
  const rp = g.rowPages();
  ctx.strokeStyle = th.muted;
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 2]);
  ctx.beginPath();
  for (let r = 0; r < g.rows; r++) {
    const rowStart = g.start + r * rp;
    if (rowStart >= g.machineEnd) break;
    const y = TOP + r * ch;
    if (mbp >= rp) {
      if (rowStart % mbp === 0 && r > 0) { ctx.moveTo(LEFT, y - 0.5); ctx.lineTo(LEFT + g.cols * cw, y - 0.5); }
    } else {
      for (let p = rowStart + mbp; p < rowStart + rp; p += mbp) {
        const x = LEFT + ((p - rowStart) / g.cellPages) * cw - 0.5;
        ctx.moveTo(x, y); ctx.lineTo(x, y + ch);
      }
    }
  }
  ctx.stroke();
  ctx.setLineDash([]);
  // failing pageblocks: thick outline in the error colour (and a corner mark on the failing page)
  for (const c of failingCells) {
    if (c < 0) continue;
    const { x, y } = g.cellXY(s, c);
    ctx.strokeStyle = th.error;
    ctx.lineWidth = 2.5;
    ctx.strokeRect(x - 1, y - 1, cw - gap + 2, ch - gap + 2);
  }
  for (const c of failingCells) {
    if (c >= 0) continue;
    const { x, y } = g.cellXY(s, -1 - c);
    ctx.fillStyle = th.error;
    ctx.fillRect(x, y, cw - gap, ch - gap);
  }
  // hover and cursor
  if (o.hoverCell >= 0) {
    const { x, y } = g.cellXY(s, o.hoverCell);
    ctx.strokeStyle = th.fg;
    ctx.lineWidth = 1;
    ctx.strokeRect(x - 0.5, y - 0.5, cw - gap + 1, ch - gap + 1);
  }
  const cc = g.cellIndexOf(s, o.cursor);
  if (cc >= 0) {
    const { x, y } = g.cellXY(s, cc);
    // high contrast themes give errorForeground and focusBorder the same orange: the cursor is then drawn in
    // the foreground colour, dashed, so it never reads as a failing pageblock
    ctx.strokeStyle = th.hc || sameColour(th.focus, th.error) ? th.fg : th.focus;
    ctx.lineWidth = 2;
    if (th.hc) ctx.setLineDash([3, 2]);
    ctx.strokeRect(x - 1.5, y - 1.5, cw - gap + 3, ch - gap + 3);
    ctx.setLineDash([]);
  }
  drawAxes(ctx, th, g, s);
}

/** One cell of the map (exported for the unit test of its patterns). */
export function drawCell(ctx: CanvasRenderingContext2D, th: Theme, mode: ColourMode, s: MapSummary, ci: number, x: number, y: number, w: number, h: number): void {
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
      // a hole: nothing there (outlined, so it shows on a high contrast theme's black too)
      holeCell(ctx, th, x, y, w, h);
    }
    return;
  }
  const cells = s.cellPages;
  if (mode === 'pages' || cells < s.pageblockPages) {
    // stacked page classes from the bottom (free shows as the empty part), over a faint migratetype tint
    // (with the type's pips or stripes, which show over the free pages: the tint alone is colour only)
    const mt = dominantMt(s, ci);
    const alpha = cells < s.pageblockPages ? 0.18 : 0.12;
    if (mt >= 0) paintTint(ctx, th, mt, x, y, w, h, alpha);
    else { ctx.fillStyle = withAlpha(th.muted, alpha); ctx.fillRect(x, y, w, h); }
    let yy = y + h;
    for (let k = CLS_PCP; k < s.counts.length; k++) {
      const n = s.counts[k]![ci]!;
      if (!n) continue;
      const hh = Math.max(1, (n / Math.max(online, cells)) * h);
      paintPageClass(ctx, th, k, x, yy - hh, w, hh);
      yy -= hh;
    }
    if (cells === 1 && s.counts[CLS_FREE]![ci]) {
      ctx.strokeStyle = withAlpha(th.fg, 0.35);
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
    }
  } else {
    // migratetype: tint for the pageblock type, solid for the share of pages in use, and the type's pattern (the
    // legend's swatch is the same painter)
    const mt = dominantMt(s, ci);
    const used = online - s.counts[CLS_FREE]![ci]!;
    const hh = used > 0 ? Math.max(1, Math.round((used / online) * h)) : 0;
    paintMigratetype(ctx, th, mt >= 0 ? mt : 0, x, y, w, h, hh);
  }
  if (flags & F_ISOLATED) isolatedHatch(ctx, th, x, y, w, h);
  if (flags & F_CMA) notch(ctx, x, y, w, h, th.fg, th.bg);
  // the pages' view dots the vmemmap pages themselves (paintPageClass); the migratetype view marks the cell
  if (flags & F_VMEMMAP && mode === 'migratetype' && cells >= s.pageblockPages) dots(ctx, x, y, w, h, th.fg);
  if (flags & F_HUGETLB && mode === 'migratetype' && cells >= s.pageblockPages) {
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

function drawAxes(ctx: CanvasRenderingContext2D, th: Theme, g: MapGeometry, s: MapSummary): void {
  const rp = g.rowPages();
  const ch = g.cellH;
  ctx.textBaseline = 'middle';
  // top axis: column offsets
  ctx.font = th.mono;
  ctx.fillStyle = th.muted;
  ctx.textAlign = 'center';
  const labelEvery = Math.max(1, Math.ceil(60 / g.cellW));
  let step = 1;
  while (step < labelEvery) step *= 2;
  for (let c = 0; c < g.cols; c += step) {
    ctx.fillText(`+${hex(c * g.cellPages)}`, LEFT + c * g.cellW + g.cellW / 2, TOP - 10);
  }
  // left axis: row start pfn, and the zone band with its name; every row is labelled when a slightly smaller font fits
  ctx.textAlign = 'right';
  const lab = axisLabels(ch, th.fontPx);
  const rowsPerLabel = lab.every;
  const labelFont = lab.fontPx === th.fontPx ? th.mono : `${lab.fontPx}px ${th.monoFamily}`;
  let zoneRunStart = 0;
  let zoneRun: number | null = null;
  let nameBottom = 0; // the bottom of the last zone name written: the next is not written over it
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
      const spot = zoneLabelSpot(y0, y1, nameBottom);
      if (spot) {
        ctx.fillText(zn!, bandX + 8, spot.nameY);
        if (spot.nodeY !== null) {
          ctx.font = th.font;
          ctx.fillStyle = th.muted;
          ctx.fillText(`node ${nid}`, bandX + 8, spot.nodeY);
        }
        nameBottom = spot.bottom;
      }
      ctx.restore();
    }
  };
  for (let r = 0; r < g.rows; r++) {
    const rowStart = g.start + r * rp;
    if (rowStart >= g.machineEnd) { flushZone(r); zoneRun = null; break; }
    const ci = g.cellIndexOf(s, rowStart);
    // the zone of the row: the first cell with one
    let z = -1;
    for (let k = 0; k < g.cols && ci + k < s.cells; k++) if (s.zone[ci + k]! >= 0) { z = s.zone[ci + k]!; break; }
    if (z !== zoneRun) { flushZone(r); zoneRun = z; zoneRunStart = r; }
    if (r % rowsPerLabel === 0) {
      ctx.font = labelFont;
      ctx.fillStyle = th.muted;
      ctx.textAlign = 'right';
      ctx.fillText(hex(rowStart), LEFT - 6, TOP + r * ch + ch / 2);
    }
    if (r === g.rows - 1 || g.start + (r + 1) * rp >= g.machineEnd) flushZone(r + 1);
  }
  // right axis: memory blocks
  ctx.textAlign = 'left';
  const mbp = s.memoryBlockPages;
  // a label on every row: the left axis's font; a block of several rows has room for the full size
  ctx.font = mbp >= 2 * rp ? th.mono : labelFont;
  const xr = LEFT + g.cols * g.cellW + 6;
  const st = (ci: number) => ['absent', 'offline', ''][s.blockState[ci]!] ?? 'hole';
  if (mbp >= rp) {
    const rowsPerBlock = mbp / rp;
    for (let r = 0; r < g.rows; r++) {
      const rowStart = g.start + r * rp;
      if (rowStart >= g.machineEnd) break;
      if (rowStart % mbp !== 0 || (rowsPerBlock === 1 && r % rowsPerLabel !== 0)) continue;
      const ci = g.cellIndexOf(s, rowStart);
      const state = ci >= 0 ? st(ci) : '';
      ctx.fillStyle = state ? th.muted : th.fg;
      ctx.fillText(`mem ${rowStart / mbp}${state ? ' ' + state : ''}`, xr, TOP + r * ch + ch / 2);
    }
  } else {
    for (let r = 0; r < g.rows; r += rowsPerLabel) {
      const rowStart = g.start + r * rp;
      if (rowStart >= g.machineEnd) break;
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
  const total = g.machineEnd;
  const visible = g.rows * rp;
  if (visible < total) {
    const H = g.rows * ch;
    const y0 = TOP + (g.start / total) * H;
    const hh = Math.max(6, (visible / total) * H);
    ctx.fillStyle = withAlpha(th.fg, 0.12);
    ctx.fillRect(LEFT + g.cols * g.cellW + RIGHT - 8, TOP, 4, H);
    ctx.fillStyle = withAlpha(th.fg, 0.45);
    ctx.fillRect(LEFT + g.cols * g.cellW + RIGHT - 8, y0, 4, hh);
  }
}

/** Draws one legend swatch (the same painter as the map). */
export function swatch(kind: { mt?: number; cls?: number; flag?: 'isolated' | 'cma' | 'vmemmap' | 'offline' | 'absent' | 'hole' | 'hugetlb' | 'failing' | 'cursor' | 'zone' | 'block' }): HTMLCanvasElement {
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
      paintMigratetype(ctx, th, kind.mt, x, y, w, h, h / 2);
    } else if (kind.cls !== undefined) {
      if (kind.cls === 0) { ctx.strokeStyle = withAlpha(th.fg, 0.5); ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1); }
      else paintPageClass(ctx, th, kind.cls, x, y, w, h);
    } else {
      ctx.fillStyle = withAlpha(th.muted, 0.15); ctx.fillRect(x, y, w, h);
      switch (kind.flag) {
        case 'isolated': isolatedHatch(ctx, th, x, y, w, h); break;
        case 'cma': notch(ctx, x, y, w, h, th.fg, th.bg); break;
        case 'vmemmap': dots(ctx, x, y, w, h, th.fg); break;
        case 'offline': cross(ctx, x, y, w, h, th.muted); break;
        case 'absent': ctx.clearRect(0, 0, 22, 14); dashed(ctx, x, y, w, h, th.muted); break;
        case 'failing': ctx.strokeStyle = th.error; ctx.lineWidth = 2.5; ctx.strokeRect(x + 1, y + 1, w - 2, h - 2); break;
        // as drawCell paints a hole (no memory at these pfns) and the hugetlb corner of a pageblock, and drawMap the cursor
        case 'hole': ctx.clearRect(0, 0, 22, 14); holeCell(ctx, th, x, y, w, h); break;
        case 'hugetlb': ctx.fillStyle = th.cls[6]!; ctx.fillRect(x, y, w / 4, h / 3); break;
        case 'cursor': ctx.clearRect(0, 0, 22, 14); ctx.strokeStyle = th.hc || sameColour(th.focus, th.error) ? th.fg : th.focus; ctx.lineWidth = 2; if (th.hc) ctx.setLineDash([3, 2]); ctx.strokeRect(x + 1, y + 1, w - 2, h - 2); ctx.setLineDash([]); break;
        // boundaries run between rows on the map (a zone or memory block starts on a new row), so across the swatch
        case 'zone': ctx.clearRect(0, 0, 22, 14); ctx.strokeStyle = th.fg; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(0, 7); ctx.lineTo(22, 7); ctx.stroke(); break;
        case 'block': ctx.clearRect(0, 0, 22, 14); ctx.strokeStyle = th.muted; ctx.lineWidth = 1; ctx.setLineDash([3, 2]); ctx.beginPath(); ctx.moveTo(0, 7.5); ctx.lineTo(22, 7.5); ctx.stroke(); ctx.setLineDash([]); break;
      }
    }
  };
  paint();
  // repainted when the theme changes; a swatch taken out of the page (a compare result replaced) stops listening
  const obs = new MutationObserver(() => { if (c.isConnected) paint(); else obs.disconnect(); });
  obs.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return c;
}

/** Two CSS colours that are the same (case and spacing aside). */
function sameColour(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();
}
