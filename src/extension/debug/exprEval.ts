// The evaluator of the debugger's expression language (expr.ts): walks a syntax tree over a StateView.
import type { Cmp } from '../../sim/scenario.js';
import { compare as compareNumbers, zoneFieldValue } from '../../sim/expect.js';
import { ZONE_FIELDS, type ZoneField } from '../../sim/scenario.js';
import { CMPS, ExprError, describe, emptyZone, fieldsOf, hex, isCompound, orders, zoneLabel, type Compound, type StateView, type Value } from './exprValues.js';
import { CMP, type Node } from './exprParse.js';

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
