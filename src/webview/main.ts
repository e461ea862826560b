// The inspector webview: zone map, legend, failing pageblocks, migration log, free areas, compare.
// Talks to the host only through the typed messages of src/shared/protocol.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import './inspector.css';
import type { CompareResult, FromWebview, InspectorState, MapSummary, PageInfo, ToWebview, VerifyView, ZoneInfo } from '../shared/protocol.js';
import { isToWebview, migrationMatches, parsePfn, stepLabel } from '../shared/protocol.js';
import { ZoneMap, swatch, type ColourMode } from './map.js';
import { NARROW_PX, counterSummary, migrationLayout, outcomeLayout, splitSource } from './narrow.js';
import { CLASS_LABELS, MT_LABELS, deltaE, parseColour } from './theme.js';
import { hex, pagesSize } from '../shared/format.js';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();

let nextId = 1;
const pending = new Map<number, (m: ToWebview) => void>();
function send(m: FromWebview): void {
  vscode.postMessage(m);
}
function request<T extends ToWebview>(make: (id: number) => FromWebview): Promise<T> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve as (m: ToWebview) => void);
    send(make(id));
  });
}

// ------------------------------------------------------------------ DOM helpers (no innerHTML with data)
type Attrs = Record<string, string | number | boolean | undefined>;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K];
function el(tag: string, attrs?: Attrs, ...children: (Node | string | null | undefined)[]): HTMLElement;
function el(tag: string, attrs: Attrs = {}, ...children: (Node | string | null | undefined)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const app = document.getElementById('app')!;
let state: InspectorState | null = null;
let migFilter = '';
let migResult: 'all' | 'ok' | 'failed' = 'all';
let mode: ColourMode = ((vscode.getState() as { mode?: ColourMode } | null)?.mode) ?? 'migratetype';

// ------------------------------------------------------------------ static layout
const title = el('div', { class: 'title' });
const stepText = el('span', { class: 'step', id: 'step', title: 'Numbered as the debugger\'s call stack: the step about to run' });
const prevBtn = el('vscode-button', { secondary: true, id: 'prev-step', title: 'Previous step' }, '◀ step');
const nextBtn = el('vscode-button', { secondary: true, id: 'next-step', title: 'Next step' }, 'step ▶');
const zoomOut = el('vscode-button', { secondary: true, id: 'zoom-out', title: 'Zoom out (−)' }, '−');
const zoomIn = el('vscode-button', { secondary: true, id: 'zoom-in', title: 'Zoom in (+)' }, '+');
const zoomFit = el('vscode-button', { secondary: true, id: 'zoom-fit', title: 'Whole machine (0)' }, 'Fit');
const zoomLabel = el('span', { class: 'zoom-label', id: 'zoom-label' });
const modeSelect = el('vscode-single-select', { id: 'colour-mode', 'aria-label': 'Colour cells by' },
  el('vscode-option', { value: 'migratetype', selected: mode === 'migratetype' }, 'Colour: migratetype + use'),
  el('vscode-option', { value: 'pages', selected: mode === 'pages' }, 'Colour: page classes'));
const gotoPfn = el('vscode-textfield', { class: 'goto-pfn', id: 'goto-pfn', placeholder: 'go to pfn (0x…)', 'aria-label': 'Go to pfn' });
const gotoError = el('span', { class: 'goto-error', id: 'goto-error', role: 'status' });
// `.break` ends the first row beside the editor (steps and zoom buttons), where the fields take a row of their own
const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Map controls' }, prevBtn, stepText, nextBtn, el('span', { class: 'sep' }), zoomOut, zoomIn, zoomFit, el('span', { class: 'break' }), zoomLabel, el('span', { class: 'sep' }), gotoPfn, gotoError, el('span', { class: 'grow' }), modeSelect);
const legend = el('div', { class: 'legend', id: 'legend', role: 'list', 'aria-label': 'Legend' });
const mapBox = el('div', { class: 'map-box', id: 'map-box' });
const tip = el('div', { class: 'tooltip', id: 'map-tooltip', role: 'tooltip' });
tip.hidden = true;
mapBox.appendChild(tip);
const live = el('div', { class: 'live', id: 'map-cursor', 'aria-live': 'polite' });

const failingPanel = el('div', { class: 'panel', id: 'failing' });
const migFilterBox = el('vscode-textfield', { placeholder: 'filter: pfn, reason, op…', id: 'mig-filter', 'aria-label': 'Filter migrations' });
const migResultSel = el('vscode-single-select', { id: 'mig-result', 'aria-label': 'Migration result' },
  el('vscode-option', { value: 'all' }, 'all results'), el('vscode-option', { value: 'ok' }, 'succeeded'), el('vscode-option', { value: 'failed' }, 'failed'));
const migTable = el('div', { class: 'panel', id: 'migrations' });
const freePanel = el('div', { class: 'panel', id: 'free-areas' });
const comparePanel = el('div', { class: 'panel', id: 'compare' });
const tabFailing = el('vscode-tab-header', { slot: 'header', 'data-tab': 'failing' }, 'Failing pageblocks');
const tabMigrations = el('vscode-tab-header', { slot: 'header', 'data-tab': 'migrations' }, 'Migrations');
const tabs = el('vscode-tabs', { id: 'tabs', 'selected-index': 0 },
  tabFailing,
  el('vscode-tab-panel', {}, failingPanel),
  tabMigrations,
  el('vscode-tab-panel', {}, el('div', { class: 'filters' }, migFilterBox, migResultSel), migTable),
  el('vscode-tab-header', { slot: 'header', 'data-tab': 'free' }, 'Free areas'),
  el('vscode-tab-panel', {}, freePanel),
  el('vscode-tab-header', { slot: 'header', 'data-tab': 'compare' }, 'Compare'),
  el('vscode-tab-panel', {}, comparePanel));

const map = new ZoneMap(mapBox, tip, {
  viewMap: (start, end, maxCells) => request<Extract<ToWebview, { type: 'map' }>>((id) => ({ type: 'viewMap', id, start, end, maxCells })).then((m) => m.map),
  pageInfo: (pfn) => request<Extract<ToWebview, { type: 'pageInfo' }>>((id) => ({ type: 'hoverPage', id, pfn })).then((m) => m.info),
  reveal: (pfn) => send({ type: 'reveal', pfn }),
}, 'Zone map');
map.mode = mode;
map.onChange = (v) => {
  zoomLabel.textContent = `cell = ${v.cellPages >= (state?.pageblockPages ?? 512) ? `${v.cellPages / (state?.pageblockPages ?? 512)} pageblock${v.cellPages > (state?.pageblockPages ?? 512) ? 's' : ''}` : v.cellPages === 1 ? '1 page' : `${v.cellPages} pages`} (${pagesSize(v.cellPages)}) · ${hex(v.start)}–${hex(v.end)}`;
  live.textContent = v.text.join(' · ');
};

/** Fills `box` with the map's legend: every colour, pattern and outline the map draws. Each item carries its
 *  `data-key`; `idPrefix` names a few (the inspector's own legend: legend-mt-0, legend-hole, …), so a second legend
 *  (the compare tab's) has ids of its own. */
function fillLegend(box: HTMLElement, idPrefix: string): void {
  box.replaceChildren();
  const item = (sw: HTMLCanvasElement, text: string, key: string, named = false) =>
    box.append(el('span', { class: 'legend-item', role: 'listitem', 'data-key': key, id: named ? `${idPrefix}${key}` : undefined }, sw, el('span', { text })));
  const group = (text: string) => box.append(el('span', { class: 'legend-group', text }));
  group('Pageblock migratetype (solid part = pages in use):');
  for (const t of [0, 1, 2, 3, 4]) item(swatch({ mt: t }), MT_LABELS[t]!, `mt-${t}`, true);
  group('Pages (zoomed in, or colour by page class):');
  for (const k of [0, 1, 2, 3, 4, 5, 6, 7, 8]) item(swatch({ cls: k }), CLASS_LABELS[k]!, `cls-${k}`);
  group('Marks:');
  item(swatch({ flag: 'isolated' }), 'isolated', 'isolated');
  item(swatch({ flag: 'cma' }), 'CMA', 'cma');
  item(swatch({ flag: 'vmemmap' }), 'vmemmap (memmap_on_memory)', 'vmemmap');
  item(swatch({ flag: 'offline' }), 'offline block', 'offline');
  item(swatch({ flag: 'absent' }), 'absent (hotplug)', 'absent');
  item(swatch({ flag: 'hole' }), 'hole (no memory)', 'hole', true);
  item(swatch({ flag: 'hugetlb' }), 'hugetlb pages in the pageblock', 'hugetlb');
  item(swatch({ flag: 'failing' }), 'failing pageblock', 'failing', true);
  item(swatch({ flag: 'cursor' }), 'cursor (arrow keys, go to pfn)', 'cursor', true);
  item(swatch({ flag: 'zone' }), 'zone boundary', 'zone', true);
  item(swatch({ flag: 'block' }), 'memory block', 'block', true);
}

// a prediction checked on this machine (mmscn.verifyMachine): hidden until one arrives
const verifyBox = el('section', { class: 'verify', id: 'verify', 'aria-label': 'Prediction checked on this machine' });
verifyBox.hidden = true;

// the machine's zones and sizes: under the sticky header, not in it (it scrolls away with the map it describes)
const machineLine = el('p', { class: 'machine muted', id: 'machine' });
const header = el('header', {}, title, toolbar);
app.replaceChildren(
  header,
  verifyBox,
  el('section', { class: 'map-section', 'aria-label': 'Zone map' }, machineLine, mapBox, live, legend),
  el('section', { class: 'panels', 'aria-label': 'Details' }, tabs),
);
app.dataset.state = 'waiting';
fillLegend(legend, 'legend-');
// what scrolls into view (the compare result) stops below the sticky header, not under it
new ResizeObserver(() => { document.documentElement.style.scrollPaddingTop = `${header.offsetHeight + 4}px`; }).observe(header);
// beside the editor the migration log puts each reason (and the compare view each outcome) on a row of its own: re-laid out when the width crosses over
const narrowQuery = window.matchMedia(`(max-width: ${NARROW_PX}px)`);
narrowQuery.addEventListener('change', () => { renderMigrations(); renderOutcomes(); });

zoomIn.addEventListener('click', () => map.zoom(-1));
zoomOut.addEventListener('click', () => map.zoom(1));
zoomFit.addEventListener('click', () => map.fit());
prevBtn.addEventListener('click', () => state && state.step > 0 && send({ type: 'gotoStep', step: state.step - 1 }));
nextBtn.addEventListener('click', () => state && state.step < state.of && send({ type: 'gotoStep', step: state.step + 1 }));
gotoPfn.addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key !== 'Enter' || !state) return;
  const text = (gotoPfn as unknown as { value: string }).value;
  const pfn = parsePfn(text);
  if (pfn === null) { gotoError.textContent = `'${text}' is not a pfn`; return; }
  if (pfn >= map.end) { gotoError.textContent = `pfn ${hex(pfn)} is beyond the machine (it ends at ${hex(map.end)})`; return; }
  gotoError.textContent = '';
  // down to single pages, so the tooltip is about that page
  map.focusPfn(pfn, 1);
});
// the error is about the text that was entered: editing it (or clearing the field) takes it away, so a stale error
// does not stay in the sticky header for the rest of the session
gotoPfn.addEventListener('input', () => { gotoError.textContent = ''; });
modeSelect.addEventListener('change', () => {
  mode = (modeSelect as unknown as { value: string }).value as ColourMode;
  map.setMode(mode);
  vscode.setState({ mode });
});
migFilterBox.addEventListener('input', () => { migFilter = (migFilterBox as unknown as { value: string }).value; renderMigrations(); });
migResultSel.addEventListener('change', () => { migResult = (migResultSel as unknown as { value: string }).value as typeof migResult; renderMigrations(); });

// ------------------------------------------------------------------ panels
function activate(e: HTMLElement, fn: () => void): HTMLElement {
  e.tabIndex = 0;
  e.addEventListener('click', fn);
  e.addEventListener('keydown', (k) => { if (k.key === 'Enter' || k.key === ' ') { k.preventDefault(); fn(); } });
  return e;
}

function renderFailing(): void {
  const s = state!;
  failingPanel.replaceChildren();
  if (!s.failing.length) {
    failingPanel.append(el('p', { class: 'muted', text: 'No operation failed on a pageblock at this step.' }));
  } else {
    const list = el('ul', { class: 'rows', 'aria-label': 'Failing pageblocks' });
    for (const f of s.failing) {
      const li = el('li', { class: 'row failing-row', 'data-pfn': f.pfn, 'data-line': f.line, role: 'button', 'aria-label': `pfn ${hex(f.pfn)}: ${f.reason}; line ${f.line}` },
        el('span', { class: 'pfn', text: hex(f.pfn) }),
        el('span', { class: 'muted', text: `pageblock ${hex(f.pageblock)}` }),
        el('span', { class: 'op', text: `${f.op}${f.name ? ' ' + f.name : ''}` }),
        el('span', { class: 'line', text: `line ${f.line}` }),
        el('span', { class: 'errno', text: f.errno ? `-${f.errno}` : '' }),
        el('span', { class: 'reason', text: f.reason }));
      activate(li, () => {
        // the map follows without taking the focus: the reveal gives it to the editor, and nothing in the webview
        // may move it after the click (a late focus() in the webview would take it back from the editor)
        map.focusPfn(f.pfn, s.pageblockPages, { takeFocus: false });
        send({ type: 'reveal', pfn: f.pfn, line: f.line });
      });
      list.append(li);
    }
    failingPanel.append(list);
  }
  const failedOps = s.ops.filter((o) => !o.ok);
  if (failedOps.some((o) => !s.failing.some((f) => f.line === o.line))) {
    failingPanel.append(el('h4', { text: 'Failed operations without a pfn' }));
    const list = el('ul', { class: 'rows' });
    for (const o of failedOps.filter((x) => !s.failing.some((f) => f.line === x.line))) {
      list.append(activate(el('li', { class: 'row', role: 'button' }, el('span', { class: 'line', text: `line ${o.line}` }), el('span', { class: 'op', text: `${o.op}${o.name ? ' ' + o.name : ''}${o.cpuShown ? ` [cpu ${o.cpu}]` : ''}` }), el('span', { class: 'reason', text: o.text })), () => send({ type: 'reveal', line: o.line })));
    }
    failingPanel.append(list);
  }
}

function renderMigrations(): void {
  const s = state;
  if (!s) return;
  migTable.replaceChildren();
  const rows = s.migrations.filter((m) => migrationMatches(m, migFilter, migResult));
  tabMigrations.textContent = `Migrations (${s.migrations.length})`;
  if (!s.migrations.length) {
    migTable.append(el('p', { class: 'muted', text: 'No migrations up to this step.' }));
    return;
  }
  const layout = migrationLayout(narrowQuery.matches); // the media query's answer: the same width the CSS sees
  const table = el('table', { class: `grid migrations${layout.reasonRow ? ' reason-rows' : ''}`, 'aria-label': 'Migration log' },
    el('thead', {}, el('tr', {}, ...layout.columns.map((h) => el('th', { text: h, scope: 'col' })))));
  const body = el('tbody');
  const LIMIT = 2000;
  for (const [i, m] of rows.slice(0, LIMIT).entries()) {
    const title = `show the state after step ${m.step + 1} (line ${m.line})`;
    // the row is the button a keyboard reaches; its reason, on the row under it, is read as its description
    const reasonId = layout.reasonRow && m.reason ? `mig-reason-${i}` : undefined;
    const go = () => send({ type: 'gotoStep', step: m.step + 1 });
    const tr = el('tr', { class: `mig-row ${m.result === 'ok' ? 'ok' : 'failed'}`, 'data-step': m.step, role: 'button', title, 'aria-describedby': reasonId },
      el('td', { text: String(m.step + 1) }), el('td', { text: String(m.line) }), el('td', { text: `${m.op}${m.cpuShown ? ` [cpu ${m.cpu}]` : ''}` }),
      el('td', { class: 'pfn', text: hex(m.src) }), el('td', { class: 'pfn', text: m.dst === null ? '—' : hex(m.dst) }),
      el('td', { text: String(m.order) }), el('td', { class: 'result', text: m.result === 'ok' ? '✓ ok' : `✗ ${m.result}` }),
      layout.reasonRow ? null : el('td', { class: 'mig-reason', text: m.reason }));
    activate(tr, go);
    body.append(tr);
    if (layout.reasonRow && m.reason) {
      // the reason under its migration, across all the columns; a click on it goes to the same step
      const rr = el('tr', { class: `mig-reason-row ${m.result === 'ok' ? 'ok' : 'failed'}`, title },
        el('td', { class: 'mig-reason', id: reasonId, colspan: layout.columns.length, text: m.reason }));
      rr.addEventListener('click', go);
      body.append(rr);
    }
  }
  table.append(body);
  migTable.append(el('p', { class: 'muted', text: `${rows.length} of ${s.migrations.length} migrations${rows.length > LIMIT ? ` (first ${LIMIT} shown)` : ''} · click a row to go to the state after its step` }), el('div', { class: 'table-scroll' }, table));
}

function histogram(z: ZoneInfo, maxOrder: number): HTMLElement {
  const max = Math.max(1, ...z.buddyinfo);
  const wrap = el('div', { class: 'histogram', role: 'img', 'aria-label': `buddyinfo ${z.zone}: ${z.buddyinfo.join(' ')}` });
  for (let o = 0; o <= maxOrder; o++) {
    const n = z.buddyinfo[o] ?? 0;
    const bar = el('div', { class: 'bar' });
    bar.style.height = `${Math.round((Math.log2(n + 1) / Math.log2(max + 1)) * 100)}%`;
    wrap.append(el('div', { class: 'col', title: `order ${o}: ${n} free blocks (${pagesSize(n << o)})` }, el('span', { class: 'n', text: String(n) }), el('div', { class: 'bar-box' }, bar), el('span', { class: 'o', text: String(o) })));
  }
  return wrap;
}

function renderFree(): void {
  const s = state!;
  freePanel.replaceChildren();
  for (const z of s.zones) {
    const head = el('h3', { text: `Node ${z.nid}, zone ${z.zone}  ${hex(z.start)}–${hex(z.end)}` });
    const counters = el('p', { class: 'counters', text: `spanned ${z.spanned} · present ${z.present} · managed ${z.managed} · free ${z.free} (${pagesSize(z.free)}) · free_cma ${z.freeCma} · isolated pageblocks ${z.isolatedPageblocks} · min/low/high ${z.watermarks.min}/${z.watermarks.low}/${z.watermarks.high}` });
    const orders = Array.from({ length: s.maxOrder + 1 }, (_, o) => o);
    const pt = el('table', { class: 'grid pagetype', 'aria-label': `pagetypeinfo ${z.zone}` },
      el('thead', {}, el('tr', {}, el('th', { text: 'free blocks by type \\ order' }), ...orders.map((o) => el('th', { text: String(o) })), el('th', { text: 'pageblocks' }))),
      el('tbody', {}, ...MT_LABELS.map((t, i) => el('tr', {}, el('th', { text: t, scope: 'row' }), ...orders.map((o) => el('td', { text: String(z.freeCounts[i]?.[o] ?? 0), class: (z.freeCounts[i]?.[o] ?? 0) ? '' : 'zero' })), el('td', { text: String(z.pageblocks[i] ?? 0) })))));
    freePanel.append(el('div', { class: 'zone-card' }, head, counters, el('div', { class: 'zone-grid' }, el('div', {}, el('h4', { text: 'buddyinfo (free blocks per order, log scale)' }), histogram(z, s.maxOrder)), el('div', {}, el('h4', { text: 'pagetypeinfo' }), pt))));
  }
  freePanel.append(el('details', {}, el('summary', { text: '/proc/buddyinfo and /proc/pagetypeinfo as the kernel prints them' }), el('pre', { text: s.buddyinfo + '\n' + s.pagetypeinfo })));
}

let compareA: ZoneMap | null = null;
let compareB: ZoneMap | null = null;
function renderCompareControls(): void {
  const s = state!;
  comparePanel.replaceChildren();
  if (s.variants.length < 2) {
    comparePanel.append(el('p', { class: 'muted', text: 'This scenario has no variants to compare. Add `variant old { kernel 5.18 }` and `variant new { … }` lines to run the same scenario under two policies.' }));
    return;
  }
  const mk = (id: string, sel: string) => el('vscode-single-select', { id, 'aria-label': id }, ...s.variants.map((v) => el('vscode-option', { value: v, selected: v === sel }, v)));
  const a = mk('compare-a', s.variants[0]!);
  const b = mk('compare-b', s.variants[1]!);
  const go = el('vscode-button', { id: 'compare-go' }, 'Compare');
  const out = el('div', { id: 'compare-out' });
  go.addEventListener('click', () => send({ type: 'compare', variantA: (a as unknown as { value: string }).value || s.variants[0]!, variantB: (b as unknown as { value: string }).value || s.variants[1]! }));
  comparePanel.append(el('div', { class: 'filters' }, el('span', { text: 'Variant' }), a, el('span', { text: 'against' }), b, go), out);
}

function renderCompare(r: CompareResult | null, error?: string): void {
  const out = comparePanel.querySelector('#compare-out');
  if (!out) return;
  out.replaceChildren();
  lastCompare = null;
  if (!r) { out.append(el('p', { class: 'error', text: error ?? 'compare failed' })); return; }
  const boxA = el('div', { class: 'map-box small' });
  const boxB = el('div', { class: 'map-box small' });
  const tipA = el('div', { class: 'tooltip' }); tipA.hidden = true; boxA.append(tipA);
  const tipB = el('div', { class: 'tooltip' }); tipB.hidden = true; boxB.append(tipB);
  out.append(el('div', { class: 'compare-maps' },
    el('div', {}, el('h3', { text: `${r.a.variant} — ${r.a.failing.length} failing` }), boxA),
    el('div', {}, el('h3', { text: `${r.b.variant} — ${r.b.failing.length} failing` }), boxB)));
  // the maps' legend under them: the inspector's own is far above, past the header and the tabs
  const compareLegend = el('div', { class: 'legend', id: 'compare-legend', role: 'list', 'aria-label': 'Legend of the compared maps' });
  fillLegend(compareLegend, 'compare-legend-');
  out.append(compareLegend);
  const hostFor = (variant: string) => ({
    viewMap: (start: number, end: number, maxCells: number) => request<Extract<ToWebview, { type: 'map' }>>((id) => ({ type: 'viewMap', id, start, end, maxCells, variant })).then((m) => m.map),
    pageInfo: (pfn: number) => request<Extract<ToWebview, { type: 'pageInfo' }>>((id) => ({ type: 'hoverPage', id, pfn, variant })).then((m) => m.info as PageInfo | null),
    reveal: (pfn: number) => send({ type: 'reveal', pfn }),
  });
  // the maps of the previous compare are gone from the page: their window and theme listeners go too
  compareA?.dispose();
  compareB?.dispose();
  compareA = new ZoneMap(boxA, tipA, hostFor(r.a.variant), `Zone map of ${r.a.variant}`, 0.36);
  compareB = new ZoneMap(boxB, tipB, hostFor(r.b.variant), `Zone map of ${r.b.variant}`, 0.36);
  compareA.mode = compareB.mode = mode;
  compareA.setData(r.a.map, r.a.failing);
  compareB.setData(r.b.map, r.b.failing);
  const counters = counterSummary(r.diff, r.step, r.a.variant, r.b.variant);
  if (r.opDiff.length) {
    lastCompare = r;
    out.append(el('h4', { id: 'compare-ops-heading', text: 'Operations with different outcomes' }), outcomesBox);
    renderOutcomes();
  }
  out.append(el('h4', { id: 'compare-counters', text: counters.heading }));
  if (counters.differing.length) {
    out.append(el('div', { class: 'table-scroll', id: 'compare-diff-box' }, el('table', { class: 'grid', id: 'compare-diff' },
      el('thead', {}, el('tr', {}, el('th', { text: 'zone' }), el('th', { text: 'counter' }), el('th', { text: r.a.variant }), el('th', { text: r.b.variant }), el('th', { text: 'Δ' }))),
      el('tbody', {}, ...counters.differing.map((d) => el('tr', {}, el('td', { text: d.key }), el('td', { text: d.counter }), el('td', { text: String(d.a) }), el('td', { text: String(d.b) }), el('td', { class: d.b > d.a ? 'up' : 'down', text: `${d.b > d.a ? '+' : ''}${d.b - d.a}` })))))));
  }
  if (counters.equalLabel) {
    out.append(el('details', { id: 'compare-equal' }, el('summary', { text: counters.equalLabel }),
      el('div', { class: 'table-scroll', id: 'compare-equal-box' }, el('table', { class: 'grid', id: 'compare-equal-table' },
        el('thead', {}, el('tr', {}, el('th', { text: 'zone' }), el('th', { text: 'counter' }), el('th', { text: `${r.a.variant} = ${r.b.variant}` }))),
        el('tbody', {}, ...counters.equal.map((d) => el('tr', {}, el('td', { text: d.key }), el('td', { text: d.counter }), el('td', { text: String(d.value) }))))))));
  }
  // the person asked for this comparison: bring the two maps into view (below the sticky header: scroll-padding-top)
  requestAnimationFrame(() => out.scrollIntoView({ block: 'start' }));
}

// the compare view's "Operations with different outcomes", re-laid out when the width crosses NARROW_PX
let lastCompare: CompareResult | null = null;
const outcomesBox = el('div', { class: 'table-scroll', id: 'compare-ops-box' });
function renderOutcomes(): void {
  const r = lastCompare;
  if (!r || !outcomesBox.isConnected) return;
  const layout = outcomeLayout(narrowQuery.matches, r.a.variant, r.b.variant); // the media query: the width the CSS sees
  const body = el('tbody');
  for (const [i, d] of r.opDiff.entries()) {
    const go = () => send({ type: 'reveal', line: d.line });
    const outcomes = [d.a, d.b];
    // the row is the button a keyboard reaches; its outcomes, on the rows under it, are read as its description
    const ids = layout.outcomeRows ? layout.variants.map((_, v) => `compare-outcome-${i}-${v}`) : [];
    body.append(activate(el('tr', { class: 'op-row', role: 'button', title: `reveal line ${d.line}`, 'aria-describedby': ids.join(' ') || undefined },
      el('td', { text: String(d.line) }), el('td', { text: d.op }),
      ...(layout.outcomeRows ? [] : outcomes.map((o) => el('td', { class: 'outcome', text: o })))), go));
    if (!layout.outcomeRows) continue;
    for (const [v, name] of layout.variants.entries()) {
      const rr = el('tr', { class: `outcome-row${v === layout.variants.length - 1 ? ' last' : ''}`, title: `reveal line ${d.line}` },
        el('td', { class: 'outcome', id: ids[v], colspan: layout.columns.length },
          el('div', { class: 'outcome-line' }, el('span', { class: 'variant', text: name }), el('span', { class: 'outcome-text', text: outcomes[v] }))));
      rr.addEventListener('click', go);
      body.append(rr);
    }
  }
  outcomesBox.replaceChildren(el('table', { class: `grid outcomes${layout.outcomeRows ? ' outcome-rows' : ''}`, id: 'compare-ops', 'aria-label': 'Operations with different outcomes' },
    el('thead', {}, el('tr', {}, ...layout.columns.map((h) => el('th', { text: h, scope: 'col' })))), body));
}

function renderVerify(v: VerifyView): void {
  const [head, ...rows] = v.rows;
  const list = (h: string, items: string[]) => (items.length ? el('div', {}, el('strong', { text: h }), el('ul', {}, ...items.map((x) => el('li', { text: x })))) : null);
  const parts: (HTMLElement | null)[] = [
    el('h3', { text: v.title }),
    el('table', { class: 'verify-table' },
      el('thead', {}, el('tr', {}, ...(head ?? ['', '', '']).map((h) => el('th', { text: h })))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', { text: c })))))),
    v.restore ? el('p', { text: `restored: ${v.restore}` }) : null,
    list('notes', v.notes),
    list('comparison', v.agreement),
    list('why the two can differ', v.caveats),
  ];
  verifyBox.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
  verifyBox.hidden = false;
}

function render(s: InspectorState): void {
  state = s;
  app.dataset.state = 'ready';
  const src = splitSource(s.source || 'scenario');
  title.replaceChildren(...[
    el('strong', { title: s.source || undefined }, el('span', { class: 'src-dir', text: src.dir }), el('span', { class: 'src-base', text: src.base })),
    s.variant ? el('span', { class: 'badge', text: `variant ${s.variant}` }) : null,
    el('span', { class: 'badge', text: s.origin === 'debug' ? 'debug session' : 'last run' }),
  ].filter((x): x is HTMLElement => x !== null));
  machineLine.textContent = `${s.zones.map((z) => z.zone).join(', ')} · ${pagesSize(s.map.end)} · pageblock ${pagesSize(s.pageblockPages)} · memory block ${pagesSize(s.memoryBlockPages)}`;
  stepText.textContent = stepLabel(s.step, s.of);
  prevBtn.toggleAttribute('disabled', s.step <= 0);
  nextBtn.toggleAttribute('disabled', s.step >= s.of);
  tabFailing.textContent = `Failing pageblocks (${s.failing.length})`;
  map.setData(s.map, s.failing);
  renderFailing();
  renderMigrations();
  renderFree();
  renderCompareControls();
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as unknown;
  if (!isToWebview(m)) return;
  switch (m.type) {
    case 'state': render(m.state); break;
    case 'empty':
      app.dataset.state = 'empty';
      title.replaceChildren(el('span', { class: 'muted', text: m.message }));
      break;
    case 'map': case 'pageInfo': {
      const r = pending.get(m.id);
      pending.delete(m.id);
      r?.(m);
      break;
    }
    case 'compare': renderCompare(m.result, m.error); break;
    case 'verify': renderVerify(m.view); break;
  }
});

// expose a little for the e2e test (reads where a pfn is on the canvas)
(window as unknown as { mmscnInspector: unknown }).mmscnInspector = {
  pointOf: (pfn: number) => map.pointOf(pfn),
  cursor: () => map.cursorPfn,
  layout: () => map.layoutInfo(),
  view: () => map.view,
  settled: () => map.settled,
  summary: (): MapSummary | null => null,
  /** the colour difference the theme steps measure swatches and cells with (theme.ts) */
  deltaE,
  parseColour,
};

send({ type: 'ready' });
