// A small, safe expression language over the simulator's state, for conditional breakpoints, the debug
// console, hover and watch: `Normal.free < 1000`, `node 1 Movable.managed == 0`, `page 0x10010 == pcp`,
// `pageblock 0x40000 == isolate`, `last.errno == EBUSY`, `r.reason contains "pcp"`, combined with && || !.
// Tokenizer + recursive-descent parser + tree-walking evaluator: no eval, no Function, no property access
// outside the fields listed here. Errors are ExprError (with a message for the user), never crashes.
import type { BlockView, Migration, OpResult, PageInfo, ZoneView } from '../../sim/api.js';
import type { Cmp, Migratetype, Policies, ZoneName } from '../../sim/scenario.js';
import { compare as compareNumbers, zoneFieldValue } from '../../sim/expect.js';
import { ZONE_FIELDS, type ZoneField } from '../../sim/scenario.js';
import { hex, outcomeText, ZONE_NAMES, MIGRATETYPE_NAMES } from '../../shared/format.js';

const CMPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

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

export const PFN_FIELDS = new Set(['start_pfn', 'end_pfn', 'pfn', 'head', 'pageblock', 'start', 'src', 'dst', 'end']);

export const zoneLabel = (nid: number, zone: string, nodes: number) => (nodes > 1 || nid !== 0 ? `node ${nid} ${zone}` : zone);

export function emptyZone(nid: number, zone: ZoneName): ZoneView {
  return {
    nid, zone, start_pfn: 0, end_pfn: 0, spanned: 0, present: 0, managed: 0, free: 0, free_cma: 0, nr_isolate_pageblock: 0,
    contiguous: false, cma_pages: 0, reported: 0, buddyinfo: [], freeCounts: MIGRATETYPE_NAMES.map(() => []),
    pageblockCounts: Object.fromEntries(MIGRATETYPE_NAMES.map((m) => [m, 0])) as Record<Migratetype, number>,
    watermarks: { min: 0, low: 0, high: 0, promo: 0 }, lowmem_reserve: [], nr_reserved_highatomic: 0, pcp: [],
  };
}

const orders = (counts: number[]): Value => ({ kind: 'list', summary: counts.join(' '), items: counts, itemName: (i) => `order ${i}` });

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
          fields: Object.fromEntries(MIGRATETYPE_NAMES.map((m, i) => [m, orders(z.freeCounts[i] ?? [])])),
        },
        pageblocks: {
          kind: 'object', summary: MIGRATETYPE_NAMES.filter((m) => z.pageblockCounts[m]).map((m) => `${m} ${z.pageblockCounts[m]}`).join(', ') || 'none',
          fields: { ...z.pageblockCounts },
        },
        lowmem_reserve: { kind: 'list', summary: z.lowmem_reserve.join(' '), items: z.lowmem_reserve, itemName: (i) => ZONE_NAMES[i] ?? String(i) },
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

// ------------------------------------------------------------------ tokens

type Tok =
  | { t: 'num'; v: number; text: string; pos: number }
  | { t: 'id'; v: string; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'eof'; pos: number };

const SIZE: Record<string, number> = { K: 1 / 4, M: 256, G: 262144, T: 262144 * 1024 };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const rest = src.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^(0[xX][0-9a-fA-F_]+|\d[\d_]*)([KMGT])?(?![A-Za-z0-9_])/))) {
      let v = Number(m[1]!.replace(/_/g, ''));
      if (m[2]) {
        v *= SIZE[m[2]]!;
        if (!Number.isInteger(v)) throw new ExprError(`${m[0]} is not a whole number of 4K pages`);
      }
      out.push({ t: 'num', v, text: m[0], pos: i });
      i += m[0].length;
    } else if ((m = rest.match(/^[A-Za-z_][A-Za-z0-9_]*/))) {
      out.push({ t: 'id', v: m[0], pos: i });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExprError(`unterminated string at column ${i + 1}`);
      out.push({ t: 'str', v: src.slice(i + 1, end), pos: i });
      i = end + 1;
    } else if ((m = rest.match(/^(==|!=|<=|>=|&&|\|\||[<>!()[\].+\-*/%=])/))) {
      out.push({ t: 'op', v: m[0] === '=' ? '==' : m[0], pos: i });
      i += m[0].length;
    } else {
      throw new ExprError(`unexpected '${c}' at column ${i + 1}`);
    }
  }
  out.push({ t: 'eof', pos: src.length });
  return out;
}

// ------------------------------------------------------------------ syntax tree

export type Node =
  | { k: 'num'; v: number; hexLiteral: boolean }
  | { k: 'str'; v: string }
  | { k: 'id'; name: string }
  | { k: 'zone'; nid: number; zone: ZoneName }
  | { k: 'page' | 'pageblock' | 'block' | 'hugetlb'; arg: Node; text: string }
  | { k: 'member'; obj: Node; name: string }
  | { k: 'index'; obj: Node; index: Node }
  | { k: 'unary'; op: '-' | '!'; e: Node }
  | { k: 'bin'; op: string; l: Node; r: Node };

const CMP = new Set(['==', '!=', '<', '<=', '>', '>=', 'contains']);

export function parse(src: string): Node {
  if (!src.trim()) throw new ExprError('empty expression');
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p]!;
  const isOp = (v: string) => { const t = peek(); return t.t === 'op' && t.v === v; };
  const isWord = (v: string) => { const t = peek(); return t.t === 'id' && t.v.toLowerCase() === v; };
  const fail = (what: string): never => {
    const t = peek();
    const got = t.t === 'eof' ? 'the end' : `'${'v' in t ? (t.t === 'num' ? t.text : t.v) : ''}'`;
    throw new ExprError(`expected ${what} but found ${got} at column ${t.pos + 1}`);
  };
  const expectOp = (v: string) => { if (!isOp(v)) fail(`'${v}'`); p++; };

  const or = (): Node => {
    let l = and();
    while (isOp('||') || isWord('or')) { p++; l = { k: 'bin', op: '||', l, r: and() }; }
    return l;
  };
  const and = (): Node => {
    let l = not();
    while (isOp('&&') || isWord('and')) { p++; l = { k: 'bin', op: '&&', l, r: not() }; }
    return l;
  };
  const not = (): Node => {
    if (isOp('!') || isWord('not')) { p++; return { k: 'unary', op: '!', e: not() }; }
    return cmp();
  };
  const cmp = (): Node => {
    const l = sum();
    const t = peek();
    const op = t.t === 'op' && CMP.has(t.v) ? t.v : t.t === 'id' && t.v.toLowerCase() === 'contains' ? 'contains' : null;
    if (!op) return l;
    p++;
    const r = sum();
    const t2 = peek();
    if (t2.t === 'op' && CMP.has(t2.v)) fail('&& or ||');
    return { k: 'bin', op, l, r };
  };
  const sum = (): Node => {
    let l = prod();
    while (isOp('+') || isOp('-')) { const op = (peek() as { v: string }).v; p++; l = { k: 'bin', op, l, r: prod() }; }
    return l;
  };
  const prod = (): Node => {
    let l = unary();
    while (isOp('*') || isOp('/') || isOp('%')) { const op = (peek() as { v: string }).v; p++; l = { k: 'bin', op, l, r: unary() }; }
    return l;
  };
  const unary = (): Node => {
    if (isOp('-')) { p++; return { k: 'unary', op: '-', e: unary() }; }
    return postfix();
  };
  const postfix = (): Node => {
    let e = primary();
    for (;;) {
      if (isOp('.')) {
        p++;
        const t = peek();
        if (t.t !== 'id') fail('a field name after .');
        p++;
        e = { k: 'member', obj: e, name: (t as { v: string }).v };
      } else if (isOp('[')) {
        p++;
        const index = or();
        expectOp(']');
        e = { k: 'index', obj: e, index };
      } else return e;
    }
  };
  const number = (what: string): Node => {
    const t = peek();
    if (t.t === 'num') { p++; return { k: 'num', v: t.v, hexLiteral: /^0x/i.test(t.text) }; }
    if (isOp('(')) { p++; const e = or(); expectOp(')'); return e; }
    if (t.t === 'id') { p++; return { k: 'id', name: t.v }; }
    return fail(what);
  };
  const primary = (): Node => {
    const t = peek();
    if (t.t === 'num') { p++; return { k: 'num', v: t.v, hexLiteral: /^0x/i.test(t.text) }; }
    if (t.t === 'str') { p++; return { k: 'str', v: t.v }; }
    if (isOp('(')) { p++; const e = or(); expectOp(')'); return e; }
    if (t.t === 'id') {
      const w = t.v;
      const lw = w.toLowerCase();
      if (lw === 'node') {
        p++;
        const n = peek();
        if (n.t !== 'num') fail('a node number after node');
        p++;
        const z = peek();
        const zone = z.t === 'id' ? ZONE_NAMES.find((x) => x.toLowerCase() === z.v.toLowerCase()) : undefined;
        if (!zone) fail('a zone name (DMA, DMA32, Normal, Movable)');
        p++;
        return { k: 'zone', nid: (n as { v: number }).v, zone: zone! };
      }
      if (lw === 'page' || lw === 'pageblock' || lw === 'block' || lw === 'hugetlb') {
        const next = toks[p + 1]!;
        // `page` alone (or `page.x`) is just a name; `page 0x10010` reads a page.
        if (next.t === 'num' || (next.t === 'op' && next.v === '(') || (next.t === 'id' && !CMP.has(next.v) && !['and', 'or', 'contains'].includes(next.v.toLowerCase()))) {
          p++;
          const start = peek().pos;
          const arg = number(`a pfn after ${lw}`);
          return { k: lw, arg, text: src.slice(start, peek().pos).trim() };
        }
      }
      // zone names are case-sensitive: `movable` is a migratetype, `Movable` the zone
      const zone = ZONE_NAMES.find((x) => x === w);
      p++;
      if (zone) return { k: 'zone', nid: 0, zone };
      return { k: 'id', name: w };
    }
    return fail('a value');
  };
  const e = or();
  if (peek().t !== 'eof') fail('an operator or the end');
  return e;
}

// ------------------------------------------------------------------ evaluation

const ERRNO = /^-?E[A-Z]+$/;

export function evaluate(node: Node, s: StateView): Value {
  const num = (n: Node, what: string): number => {
    const v = evaluate(n, s);
    if (typeof v === 'number') return v;
    // `page r`: the first page operation r got
    if (isCompound(v) && v.kind === 'result' && v.rec.result.allocated.length) return v.rec.result.allocated[0]!.pfn;
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw new ExprError(`${what} must be a number, not ${typeLabel(v)}`);
  };
  switch (node.k) {
    case 'num': return node.v;
    case 'str': return node.v;
    case 'zone': {
      if (node.nid < 0 || node.nid >= s.nodes) throw new ExprError(`there is no node ${node.nid} (the machine has ${s.nodes})`);
      const z = s.zones().find((v) => v.nid === node.nid && v.zone === node.zone) ?? emptyZone(node.nid, node.zone);
      return { kind: 'zone', label: zoneLabel(node.nid, node.zone, s.nodes), z };
    }
    case 'page': {
      const pfn = num(node.arg, 'a pfn');
      return { kind: 'page', info: s.pageInfo(pfn) };
    }
    case 'pageblock': {
      const pfn = num(node.arg, 'a pfn');
      const pb = s.pageblock(pfn);
      return { kind: 'pageblock', pfn: s.pageInfo(pfn).pageblock, ...pb };
    }
    case 'block': {
      const id = num(node.arg, 'a memory block number');
      const b = s.blocks().find((x) => x.id === id);
      if (!b) throw new ExprError(`there is no memory block ${id}`);
      return { kind: 'block', b };
    }
    case 'hugetlb': {
      const pages = num(node.arg, 'a huge page size');
      if (pages !== 512 && pages !== 262144) throw new ExprError(`hugetlb takes 2M or 1G, not ${node.text}`);
      return { kind: 'hugetlb', size: pages === 512 ? '2M' : '1G', ...s.hugetlbPool(pages) };
    }
    case 'id': return ident(node.name, s);
    case 'member': return member(evaluate(node.obj, s), node.name, node.obj);
    case 'index': {
      const o = evaluate(node.obj, s);
      const i = evaluate(node.index, s);
      if (isCompound(o) && o.kind === 'list') {
        if (typeof i !== 'number' || !Number.isInteger(i)) throw new ExprError('a list index must be a whole number');
        if (i < 0 || i >= o.items.length) throw new ExprError(`index ${i} is out of range (0..${o.items.length - 1})`);
        return o.items[i]!;
      }
      if (isCompound(o)) {
        const name = typeof i === 'string' ? i : isCompound(i) && i.kind === 'word' ? i.word : String(i);
        return member(o, name, node.obj);
      }
      throw new ExprError(`cannot index ${typeLabel(o)}`);
    }
    case 'unary': {
      if (node.op === '!') return !truthy(evaluate(node.e, s));
      if (node.e.k === 'id' && ERRNO.test(node.e.name)) return { kind: 'word', word: '-' + node.e.name };
      return -num(node.e, "the operand of '-'");
    }
    case 'bin': {
      const { op } = node;
      if (op === '&&') return truthy(evaluate(node.l, s)) && truthy(evaluate(node.r, s));
      if (op === '||') return truthy(evaluate(node.l, s)) || truthy(evaluate(node.r, s));
      if (CMP.has(op)) return compare(op, evaluate(node.l, s), evaluate(node.r, s), node.r);
      const a = num(node.l, `the left side of '${op}'`);
      const b = num(node.r, `the right side of '${op}'`);
      switch (op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': if (b === 0) throw new ExprError('division by zero'); return Math.trunc(a / b);
        case '%': if (b === 0) throw new ExprError('division by zero'); return a % b;
      }
      throw new ExprError(`unknown operator ${op}`);
    }
  }
}

function ident(name: string, s: StateView): Value {
  switch (name) {
    case 'true': return true;
    case 'false': return false;
    case 'null': return null;
    case 'last': {
      const r = s.last();
      if (!r) throw new ExprError('no operation has run yet, so `last` has no value');
      return { kind: 'result', rec: r };
    }
    case 'step': return s.step;
    case 'policy':
    case 'policies':
      return { kind: 'object', summary: 'policies', fields: { ...(s.policies as unknown as Record<string, Value>) } };
  }
  const rec = s.labelled(name);
  if (rec) return { kind: 'result', rec };
  return { kind: 'word', word: name };
}

function member(o: Value, name: string, objNode: Node): Value {
  if (!isCompound(o) || o.kind === 'word') {
    if (isCompound(o) && o.kind === 'word') {
      throw new ExprError(`'${o.word}' is not a zone (DMA, DMA32, Normal, Movable, node N ZONE), \`last\`, a label of an operation that has run, \`policy\`, or page/pageblock/block/hugetlb N`);
    }
    throw new ExprError(`${typeLabel(o)} has no field '${name}'`);
  }
  const fields = fieldsOf(o);
  if (name in fields) return fields[name]!;
  const alias = aliasOf(o, name);
  if (alias !== undefined) return alias;
  const what = objNode.k === 'id' ? objNode.name : o.kind === 'zone' ? o.label : o.kind === 'page' ? `page ${hex(o.info.pfn)}` : typeLabel(o);
  throw new ExprError(`${what} has no field '${name}' (fields: ${Object.keys(fields).join(', ')})`);
}

/** Names an expression may use without Variables listing them twice. */
function aliasOf(o: Compound, name: string): Value | undefined {
  if (o.kind === 'zone') {
    const w = o.z.watermarks as Record<string, number>;
    if (name in w) return w[name]!;
    if (name === 'nr_free' || name === 'free_area') return orders(o.z.buddyinfo);
    if (name === 'freelist') return fieldsOf(o).free_lists;
    // the flat fields `expect` reads (pcp_count, blocks_movable, …)
    if ((ZONE_FIELDS as readonly string[]).includes(name)) return zoneFieldValue(o.z, name as ZoneField);
  }
  if (o.kind === 'result') {
    if (name === 'migrations_ok') return fieldsOf(o).migrated;
  }
  return undefined;
}

function typeLabel(v: Value): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return `a ${typeof v}`;
  if (v.kind === 'word') return `'${v.word}'`;
  return `a ${v.kind}`;
}

export function truthy(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v === null) return false;
  if (isCompound(v) && v.kind === 'result') return v.rec.result.ok;
  throw new ExprError(`${typeLabel(v)} is neither true nor false; compare it (==, <, contains …)`);
}

const norm = (s: string) => (ERRNO.test(s) ? s.replace(/^-/, '') : s).toLowerCase();

function asWord(v: Value, rNode?: Node): string | null {
  if (typeof v === 'string') return v;
  if (isCompound(v) && v.kind === 'word') return v.word;
  // a bare name on the right of a comparison is a word even if it also names an operation
  if (rNode && rNode.k === 'id') return rNode.name;
  return null;
}

/** Does a compound value "equal" a word: page == pcp, pageblock == isolate, block == online, last == EBUSY. */
function matchesWord(v: Compound, w: string): boolean | null {
  const lw = norm(w);
  switch (v.kind) {
    case 'page': {
      const p = v.info;
      if (lw === 'free' || lw === 'buddy') return p.state === 'buddy';
      if (lw === 'hugetlb') return p.state === 'hugetlb_free' || (p.state === 'allocated' && p.kind === null && !!p.owner?.startsWith('hugetlb'));
      if (lw === 'offline') return p.state === 'offline' || p.kind === 'offline';
      if (lw === 'isolated' || lw === 'isolate') return p.isolated;
      return p.state === lw || p.kind === lw || (p.modifiers as string[]).includes(lw);
    }
    case 'pageblock':
      if (lw === 'isolate' || lw === 'isolated') return v.isolated;
      return !v.isolated && v.migratetype === lw;
    case 'block':
      return v.b.state === lw || (v.b.zone ?? '').toLowerCase() === lw;
    case 'result': {
      const r = v.rec.result;
      if (lw === 'ok') return r.ok;
      if (lw === 'failed' || lw === 'error') return !r.ok;
      return !r.ok && (r.errno ?? '').toLowerCase() === lw;
    }
    case 'zone':
      return v.z.zone.toLowerCase() === lw;
    case 'migration':
      return v.m.result.toLowerCase() === lw;
    default:
      return null;
  }
}

function compare(op: string, a: Value, b: Value, rNode: Node): boolean {
  if (op === 'contains') {
    const hay = typeof a === 'string' ? a : isCompound(a) ? describe(a) : a === null ? '' : String(a);
    const needle = asWord(b, rNode) ?? (b === null ? 'null' : String(b));
    return hay.toLowerCase().includes(needle.toLowerCase());
  }
  const eq = op === '==' || op === '!=';
  let res: boolean | null = null;
  if (typeof a === 'number' && typeof b === 'number' && CMPS.has(op)) return compareNumbers(a, op as Cmp, b);
  if (!eq) {
    const na = typeof a === 'boolean' ? Number(a) : a;
    const nb = typeof b === 'boolean' ? Number(b) : b;
    if (typeof na === 'number' && typeof nb === 'number') return compare(op, na, nb, rNode);
    throw new ExprError(`'${op}' compares numbers; ${typeof na === 'number' ? typeLabel(b) : typeLabel(a)} is not one`);
  }
  if (a === null || b === null) res = a === b;
  else if (typeof a === 'boolean' || typeof b === 'boolean') {
    const ba = typeof a === 'number' ? a !== 0 : a;
    const bb = typeof b === 'number' ? b !== 0 : b;
    if (typeof ba === 'boolean' && typeof bb === 'boolean') res = ba === bb;
    else if (typeof ba === 'boolean') { const w = asWord(bb as Value, rNode); res = w !== null ? String(ba) === w.toLowerCase() : null; }
    else { const w = asWord(ba as Value); res = w !== null ? String(bb) === w.toLowerCase() : null; }
  } else if (isCompound(a) && a.kind !== 'word') {
    const w = asWord(b, rNode);
    if (w !== null) res = matchesWord(a, w);
    else if (typeof b === 'number' && a.kind === 'page') res = a.info.pfn === b;
  } else if (isCompound(b) && b.kind !== 'word') {
    const w = asWord(a);
    if (w !== null) res = matchesWord(b, w);
  } else {
    const wa = asWord(a);
    const wb = asWord(b, rNode);
    if (wa !== null && wb !== null) res = norm(wa) === norm(wb);
  }
  if (res === null) throw new ExprError(`cannot compare ${typeLabel(a)} with ${typeLabel(b)}`);
  return op === '==' ? res : !res;
}

/** Parses and evaluates a breakpoint condition to true/false. Throws ExprError with a message for the user. */
export function evaluateCondition(node: Node, s: StateView): boolean {
  return truthy(evaluate(node, s));
}

/** Parses `src`, rethrowing any failure as an ExprError (never a crash). */
export function safeParse(src: string): Node {
  try {
    return parse(src);
  } catch (e) {
    if (e instanceof ExprError) throw e;
    throw new ExprError(`cannot read '${src}': ${(e as Error).message}`);
  }
}
