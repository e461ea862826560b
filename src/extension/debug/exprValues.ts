// Values of the debugger's expression language (expr.ts): what a name stands for (zone, page, pageblock, result …),
// their fields, and how the debugger shows them. No parsing, no evaluation.
import type { BlockView, Migration, OpResult, PageInfo, ZoneView } from '../../sim/api.js';
import type { Migratetype, Policies, ZoneName } from '../../sim/scenario.js';
import { outcomeText } from '../../shared/format.js';
import { hex } from '../../shared/format.js';

export const CMPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

export class ExprError extends Error {}

// ------------------------------------------------------------------ state the expressions read

export interface OpRecordLike { step: number; loc: { line: number }; op: string; name: string | null; cpu: number; result: OpResult }

/** What an expression can read. The debug runtime implements it over a ScenarioRun. */
export interface StateView {
  zones(): ZoneView[];
  pageInfo(pfn: number): PageInfo;
  pageblock(pfn: number): { migratetype: Migratetype; isolated: boolean };
  blocks(): BlockView[];
  hugetlbPool(pages: number): { total: number; free: number };
  /** the last operation that completed */
  last(): OpRecordLike | null;
  /** the most recent completed operation labelled `name` */
  labelled(name: string): OpRecordLike | null;
  policies: Policies;
  /** 1-based number of the step about to run (total + 1 at the end) */
  step: number;
  /** number of nodes in the machine */
  nodes: number;
}

// ------------------------------------------------------------------ values

export type Value =
  | number
  | boolean
  | string
  | null
  | { kind: 'zone'; label: string; z: ZoneView }
  | { kind: 'page'; info: PageInfo }
  | { kind: 'pageblock'; pfn: number; migratetype: Migratetype; isolated: boolean }
  | { kind: 'block'; b: BlockView }
  | { kind: 'result'; rec: OpRecordLike }
  | { kind: 'migration'; m: Migration }
  | { kind: 'hugetlb'; size: string; total: number; free: number }
  | { kind: 'object'; summary: string; fields: Record<string, Value>; aliases?: Record<string, Value> }
  | { kind: 'list'; summary: string; items: Value[]; itemName?: (i: number) => string }
  | { kind: 'word'; word: string };

export type Compound = Exclude<Value, number | boolean | string | null>;

export const isCompound = (v: Value): v is Compound => v !== null && typeof v === 'object';

export { hex };
export const PFN_FIELDS = new Set(['start_pfn', 'end_pfn', 'pfn', 'head', 'pageblock', 'start', 'src', 'dst', 'end']);
export const MT: Migratetype[] = ['unmovable', 'movable', 'reclaimable', 'highatomic', 'cma', 'isolate'];
export const ZONES: ZoneName[] = ['DMA', 'DMA32', 'Normal', 'Movable'];

export const zoneLabel = (nid: number, zone: string, nodes: number) => (nodes > 1 || nid !== 0 ? `node ${nid} ${zone}` : zone);

export function emptyZone(nid: number, zone: ZoneName): ZoneView {
  return {
    nid, zone, start_pfn: 0, end_pfn: 0, spanned: 0, present: 0, managed: 0, free: 0, free_cma: 0, nr_isolate_pageblock: 0,
    contiguous: false, cma_pages: 0, reported: 0, buddyinfo: [], freeCounts: MT.map(() => []),
    pageblockCounts: Object.fromEntries(MT.map((m) => [m, 0])) as Record<Migratetype, number>,
    watermarks: { min: 0, low: 0, high: 0, promo: 0 }, lowmem_reserve: [], nr_reserved_highatomic: 0, pcp: [],
  };
}

export const orders = (counts: number[]): Value => ({ kind: 'list', summary: counts.join(' '), items: counts, itemName: (i) => `order ${i}` });

/** The named fields of a compound value (what Variables shows as children and `.name` reads). */
export function fieldsOf(v: Compound): Record<string, Value> {
  switch (v.kind) {
    case 'zone': {
      const z = v.z;
      return {
        start_pfn: z.start_pfn, end_pfn: z.end_pfn, spanned: z.spanned, present: z.present, managed: z.managed,
        free: z.free, free_cma: z.free_cma, cma_pages: z.cma_pages, reported: z.reported,
        nr_isolate_pageblock: z.nr_isolate_pageblock, contiguous: z.contiguous,
        watermarks: { kind: 'object', summary: `min ${z.watermarks.min} low ${z.watermarks.low} high ${z.watermarks.high}`, fields: { ...z.watermarks } },
        nr_reserved_highatomic: z.nr_reserved_highatomic,
        buddyinfo: orders(z.buddyinfo),
        free_lists: {
          kind: 'object', summary: 'per migratetype and order',
          fields: Object.fromEntries(MT.map((m, i) => [m, orders(z.freeCounts[i] ?? [])])),
        },
        pageblocks: {
          kind: 'object', summary: MT.filter((m) => z.pageblockCounts[m]).map((m) => `${m} ${z.pageblockCounts[m]}`).join(', ') || 'none',
          fields: { ...z.pageblockCounts },
        },
        lowmem_reserve: { kind: 'list', summary: z.lowmem_reserve.join(' '), items: z.lowmem_reserve, itemName: (i) => ZONES[i] ?? String(i) },
        pcp: {
          kind: 'list', summary: z.pcp.map((p) => `cpu ${p.cpu}: ${p.count}`).join(', ') || 'none',
          items: z.pcp.map((p) => ({ kind: 'object', summary: `count ${p.count} high ${p.high} batch ${p.batch}`, fields: { ...p } })),
          itemName: (i) => `cpu ${z.pcp[i]?.cpu ?? i}`,
        },
      };
    }
    case 'page': {
      const p = v.info;
      return {
        pfn: p.pfn, state: p.state, nid: p.nid, zone: p.zone, block: p.block, pageblock: p.pageblock, migratetype: p.migratetype,
        isolated: p.isolated, head: p.head, order: p.order, kind: p.kind, modifiers: p.modifiers.join(' ') || null,
        owner: p.owner, cpu: p.cpu, lastMigration: p.lastMigration ? { kind: 'migration', m: p.lastMigration } : null,
      };
    }
    case 'pageblock':
      return { pfn: v.pfn, migratetype: v.migratetype, isolated: v.isolated };
    case 'block': {
      const b = v.b;
      return { id: b.id, start: b.start, pages: b.pages, state: b.state, zone: b.zone, nid: b.nid, valid_zones: b.valid_zones.join(' ') };
    }
    case 'result': {
      const { rec } = v;
      const r = rec.result;
      return {
        op: rec.op, name: rec.name, line: rec.loc.line, cpu: rec.cpu, ok: r.ok, errno: r.errno, pfn: r.pfn, reason: r.reason,
        migrated: r.migrations.filter((m) => m.result === 'ok').length,
        migrations: {
          kind: 'list', summary: `${r.migrations.length}`, items: r.migrations.map((m) => ({ kind: 'migration', m } as Value)),
          itemName: (i) => `[${i}]`,
        },
        allocated: {
          kind: 'list', summary: r.allocated.map((a) => `${hex(a.pfn)}+${a.pages}`).join(', ') || 'none',
          items: r.allocated.map((a) => ({ kind: 'object', summary: `${hex(a.pfn)} (${a.pages} pages)`, fields: { pfn: a.pfn, pages: a.pages } } as Value)),
          itemName: (i) => `[${i}]`,
        },
      };
    }
    case 'migration':
      return { src: v.m.src, dst: v.m.dst, order: v.m.order, result: v.m.result, reason: v.m.reason };
    case 'hugetlb':
      return { total: v.total, free: v.free };
    case 'object':
      return v.fields;
    case 'list':
      return Object.fromEntries(v.items.map((x, i) => [v.itemName ? v.itemName(i) : String(i), x]));
    case 'word':
      return {};
  }
}

/** Short one-line description of a value (Variables' value column, the console's result). */
export function describe(v: Value, field?: string): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return field && PFN_FIELDS.has(field) ? hex(v) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  switch (v.kind) {
    case 'zone': return `${v.label}: free ${v.z.free}, managed ${v.z.managed}, ${hex(v.z.start_pfn)}..${hex(v.z.end_pfn)}`;
    case 'page': {
      const p = v.info;
      let s = `${hex(p.pfn)}: ${p.state}`;
      if (p.kind) s += ` ${p.kind}`;
      if (p.order !== null && p.head !== null) s += ` (order ${p.order} at ${hex(p.head)})`;
      if (p.cpu !== null) s += ` on cpu ${p.cpu}`;
      if (p.zone) s += `, ${p.zone}${p.migratetype ? ` ${p.migratetype}` : ''}`;
      if (p.owner) s += `, owner ${p.owner}`;
      return s;
    }
    case 'pageblock': return `pageblock ${hex(v.pfn)}: ${v.migratetype}${v.isolated ? ' (isolated)' : ''}`;
    case 'block': return `memory${v.b.id}: ${v.b.state}${v.b.zone ? ' ' + v.b.zone : ''}${v.b.nid !== null ? ` (node ${v.b.nid})` : ''}`;
    case 'result': return describeResult(v.rec);
    case 'migration': return describeMigration(v.m);
    case 'hugetlb': return `hugetlb ${v.size}: ${v.free} free of ${v.total}`;
    case 'object': return v.summary;
    case 'list': return v.summary;
    case 'word': return v.word;
  }
}

export function describeMigration(m: Migration): string {
  return `${hex(m.src)} → ${m.dst === null ? '∅' : hex(m.dst)} (order ${m.order}, ${m.result}${m.reason ? ', ' + m.reason : ''})`;
}

function describeResult(rec: OpRecordLike): string {
  return `${rec.op}${rec.name ? ' ' + rec.name : ''} (line ${rec.loc.line}): ${outcomeText(rec.result)}`;
}
