// The inspector's message protocol: the one module both the extension host (src/extension/inspector.ts)
// and the webview (src/webview/main.ts) import. Pure types plus tiny guards; no vscode, no DOM.
// Host → webview: `state` (everything the panels show for one step), `map` (a map window at a resolution,
// the reply to `viewMap`), `pageInfo` (the reply to `hoverPage`), `compare` (two variants side by side),
// `verify` (a prediction checked on this machine).
// Webview → host: `ready`, `viewMap`, `hoverPage`, `reveal`, `gotoStep`, `compare`.
import type { MapSummary } from '../sim/mapview.js';
import type { Migration, PageInfo } from '../sim/api.js';
import { hex } from './format.js';

export type { MapSummary } from '../sim/mapview.js';
export type { Migration, PageInfo } from '../sim/api.js';

/** One populated zone, the numbers the panels show (a subset of the simulator's ZoneView). */
export interface ZoneInfo {
  nid: number;
  zone: string;
  start: number;
  end: number;
  spanned: number;
  present: number;
  managed: number;
  free: number;
  freeCma: number;
  isolatedPageblocks: number;
  cmaPages: number;
  /** free_area[order].nr_free (/proc/buddyinfo) */
  buddyinfo: number[];
  /** free blocks per migratetype (rows, kernel order) and order (columns) (/proc/pagetypeinfo) */
  freeCounts: number[][];
  /** pageblocks per migratetype, kernel order */
  pageblocks: number[];
  watermarks: { min: number; low: number; high: number };
}

export interface BlockInfo {
  id: number;
  start: number;
  pages: number;
  state: 'online' | 'offline' | 'absent';
  zone: string | null;
  nid: number | null;
}

/** A pageblock some operation failed on, with the kernel's reason and the line of the operation. */
export interface FailingPageblock {
  pfn: number;
  pageblock: number;
  op: string;
  name: string | null;
  line: number;
  step: number;
  errno: string | null;
  reason: string;
}

export interface MigrationRow extends Migration {
  step: number;
  line: number;
  op: string;
  /** the CPU that ran the operation; `cpuShown`: say so (an interleave step, or a CPU other than 0) */
  cpu?: number;
  cpuShown?: boolean;
}

export interface OpRow {
  step: number;
  line: number;
  op: string;
  name: string | null;
  ok: boolean;
  text: string;
  /** the CPU that ran the operation; `cpuShown`: say so (an interleave step, or a CPU other than 0) */
  cpu?: number;
  cpuShown?: boolean;
}

export interface InspectorState {
  /** file name the run came from (for the title) */
  source: string;
  /** variant shown, null when the scenario has none */
  variant: string | null;
  /** every variant of the scenario, for the compare pickers */
  variants: string[];
  /** top-level steps run so far, and how many there are */
  step: number;
  of: number;
  /** where the state comes from: the last run of the file, or a debug session's current step */
  origin: 'run' | 'debug';
  pageblockPages: number;
  maxOrder: number;
  memoryBlockPages: number;
  zones: ZoneInfo[];
  blocks: BlockInfo[];
  cma: { name: string; start: number; end: number }[];
  /** the whole machine at a resolution that fits the map */
  map: MapSummary;
  failing: FailingPageblock[];
  migrations: MigrationRow[];
  ops: OpRow[];
  /** /proc/buddyinfo and /proc/pagetypeinfo as the kernel prints them */
  buddyinfo: string;
  pagetypeinfo: string;
}

export interface ZoneDiff {
  key: string;
  counter: string;
  a: number;
  b: number;
}

export interface CompareResult {
  a: { variant: string; map: MapSummary; failing: FailingPageblock[] };
  b: { variant: string; map: MapSummary; failing: FailingPageblock[] };
  /** every zone counter of both variants (`a !== b` marks a difference) */
  diff: ZoneDiff[];
  /** operations whose outcome differs between the variants */
  opDiff: { line: number; op: string; a: string; b: string }[];
  /** the step both variants are shown at */
  step: number;
}

/**
 * `mmscn verify` on this machine (mmscn.verifyMachine): the simulator's prediction and the kernel's measured outcome
 * side by side, with the comparison and why the two can differ (src/import/verify.ts verifyView()).
 */
export interface VerifyView {
  title: string;
  /** [quantity, simulator (predicted), kernel (measured)]; the first row is the header */
  rows: [string, string, string][];
  restore: string | null;
  notes: string[];
  agreement: string[];
  caveats: string[];
}

// ------------------------------------------------------------------ host → webview
export type ToWebview =
  | { type: 'state'; state: InspectorState }
  | { type: 'empty'; message: string }
  | { type: 'map'; id: number; map: MapSummary }
  | { type: 'pageInfo'; id: number; pfn: number; info: PageInfo | null }
  | { type: 'compare'; result: CompareResult | null; error?: string }
  | { type: 'verify'; view: VerifyView };

// ------------------------------------------------------------------ webview → host
export type FromWebview =
  | { type: 'ready' }
  | { type: 'viewMap'; id: number; start: number; end: number; maxCells: number; variant?: string | null }
  | { type: 'hoverPage'; id: number; pfn: number; variant?: string | null }
  | { type: 'reveal'; pfn?: number; line?: number }
  | { type: 'gotoStep'; step: number }
  | { type: 'compare'; variantA: string; variantB: string };

/** Every message crossing the boundary, tagged with its direction (what the API event carries). */
export type WebviewTraffic = { dir: 'toWebview'; msg: ToWebview } | { dir: 'fromWebview'; msg: FromWebview };

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** Checks a message from the webview (never trust its shape): the host drops anything else. */
export function isFromWebview(m: unknown): m is FromWebview {
  if (!isObj(m) || typeof m.type !== 'string') return false;
  switch (m.type) {
    case 'ready': return true;
    case 'viewMap': return isInt(m.id) && isInt(m.start) && isInt(m.end) && m.end > m.start && m.start >= 0 && isInt(m.maxCells) && m.maxCells > 0 &&
      (m.variant === undefined || m.variant === null || typeof m.variant === 'string');
    case 'hoverPage': return isInt(m.id) && isInt(m.pfn) && m.pfn >= 0 && (m.variant === undefined || m.variant === null || typeof m.variant === 'string');
    case 'reveal': return (m.pfn === undefined || (isInt(m.pfn) && m.pfn >= 0)) && (m.line === undefined || (isInt(m.line) && m.line >= 1)) && (m.pfn !== undefined || m.line !== undefined);
    case 'gotoStep': return isInt(m.step) && m.step >= 0;
    case 'compare': return typeof m.variantA === 'string' && typeof m.variantB === 'string';
    default: return false;
  }
}

export function isToWebview(m: unknown): m is ToWebview {
  if (!isObj(m) || typeof m.type !== 'string') return false;
  return ['state', 'empty', 'map', 'pageInfo', 'compare', 'verify'].includes(m.type);
}


/** Text filter for the migration log: words must all match (pfns in hex or decimal, reason, result, op). */
export function migrationMatches(row: MigrationRow, filter: string, result: 'all' | 'ok' | 'failed'): boolean {
  if (result === 'ok' && row.result !== 'ok') return false;
  if (result === 'failed' && row.result === 'ok') return false;
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = `${hex(row.src)} ${row.dst === null ? '' : hex(row.dst)} ${row.src} ${row.dst ?? ''} order ${row.order} ${row.result} ${row.reason} ${row.op} line ${row.line} step ${row.step}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/**
 * The inspector's step, numbered as the debugger's call stack numbers it: stopped at position p (p steps have
 * run) is "step p+1 / n" — the step about to run — and "end" once all n ran.
 */
export function stepLabel(position: number, of: number): string {
  return position >= of ? `end · ${of} / ${of} steps run` : `step ${position + 1} / ${of}`;
}

/** A pfn typed by the user: hex (0x…, or with a-f digits) or decimal, `_` separators allowed; null if not one. */
export function parsePfn(text: string): number | null {
  const t = text.trim().replace(/_/g, '').toLowerCase();
  let n: number;
  if (/^0x[0-9a-f]+$/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^[0-9]+$/.test(t)) n = parseInt(t, 10);
  else if (/^[0-9a-f]+$/.test(t)) n = parseInt(t, 16);
  else return null;
  return Number.isSafeInteger(n) ? n : null;
}
