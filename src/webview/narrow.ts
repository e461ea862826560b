// How the inspector lays itself out beside the editor (about 500 px wide), and what the compare view's counter table
// says. Kept free of the DOM so it is tested headless (test/unit/webview/narrow.test.ts); main.ts renders it.
import type { ZoneDiff } from '../shared/protocol.js';

/**
 * At or below this width (CSS px) the inspector is "narrow": beside the editor. inspector.css uses the same number
 * in its `@media (max-width: …)` for the compact sticky header (a unit test keeps the two equal).
 */
export const NARROW_PX = 640;

export function isNarrow(width: number): boolean {
  return width <= NARROW_PX;
}

/** The migration log's columns; `reasonRow`: the reason is a row of its own under each migration, as wide as the table. */
export interface MigrationLayout {
  columns: string[];
  reasonRow: boolean;
}

const MIGRATION_COLUMNS = ['step', 'line', 'operation', 'src pfn', 'dst pfn', 'order', 'result'];

/**
 * Wide, the reason is the last column. Narrow, seven short columns leave it a few words a line (a reason is a
 * sentence: "pinned page: mismatch on all …"), so it gets a full-width row under its migration instead.
 */
export function migrationLayout(narrow: boolean): MigrationLayout {
  return narrow ? { columns: [...MIGRATION_COLUMNS], reasonRow: true } : { columns: [...MIGRATION_COLUMNS, 'reason'], reasonRow: false };
}

/**
 * The compare view's "Operations with different outcomes": `columns` of the table; `outcomeRows`: each variant's
 * outcome is a row of its own under the operation, as wide as the table, labelled with `variants[i]`.
 */
export interface OutcomeLayout {
  columns: string[];
  outcomeRows: boolean;
  variants: string[];
}

/**
 * Wide, the two variants' outcomes are columns. Narrow, four columns left each outcome (a sentence: "✗ -EBUSY at pfn
 * 0x50010 — pinned page: migration failed after 10 passes") a word a line, so each gets a full-width row instead.
 */
export function outcomeLayout(narrow: boolean, a: string, b: string): OutcomeLayout {
  return narrow ? { columns: ['line', 'operation'], outcomeRows: true, variants: [a, b] }
    : { columns: ['line', 'operation', a, b], outcomeRows: false, variants: [a, b] };
}

/** The path of the scenario split for a one-line title: the folders may be cut (…), the file's name is kept whole. */
export function splitSource(source: string): { dir: string; base: string } {
  const i = source.lastIndexOf('/');
  return i < 0 ? { dir: '', base: source } : { dir: source.slice(0, i + 1), base: source.slice(i + 1) };
}

/** What the compare view shows about the zone counters of two variants. */
export interface CounterSummary {
  /** the line above the table */
  heading: string;
  /** counters whose values differ: the table of a, b and Δ (absent when none differ: no table of headers only) */
  differing: ZoneDiff[];
  /** counters equal in both variants, with their value, behind a disclosure */
  equal: { key: string; counter: string; value: number }[];
  /** the disclosure's summary line for `equal` (null when there are none) */
  equalLabel: string | null;
}

/**
 * The counters of two compared variants. When all are equal (the variants took the same path to this step, or no
 * step has run yet) the differing table would be its header row alone: then the heading says so and the values
 * themselves are offered (one column: they are the same in both).
 */
export function counterSummary(diff: ZoneDiff[], step: number, a: string, b: string): CounterSummary {
  const differing = diff.filter((d) => d.a !== d.b);
  const equal = diff.filter((d) => d.a === d.b).map((d) => ({ key: d.key, counter: d.counter, value: d.a }));
  const at = `after step ${step}`;
  if (!diff.length) return { heading: `No zone counters to compare ${at}`, differing, equal, equalLabel: null };
  const heading = differing.length
    ? `Zone counters that differ (${differing.length} of ${diff.length}) ${at}`
    : `All ${diff.length} zone counters are equal ${at}: ${a} and ${b} have the same zone state`;
  const equalLabel = !equal.length ? null
    : differing.length ? `the ${equal.length} equal counters and their values`
      : `show the ${equal.length} values (the same in ${a} and ${b})`;
  return { heading, differing, equal, equalLabel };
}
