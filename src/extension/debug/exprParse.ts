// The parser of the debugger's expression language (expr.ts): tokenizer and recursive descent into a syntax tree.
import type { ZoneName } from '../../sim/scenario.js';
import { ExprError, ZONES } from './exprValues.js';

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

export const CMP = new Set(['==', '!=', '<', '<=', '>', '>=', 'contains']);

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
        const zone = z.t === 'id' ? ZONES.find((x) => x.toLowerCase() === z.v.toLowerCase()) : undefined;
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
      const zone = ZONES.find((x) => x === w);
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

/** Parses `src`, rethrowing any failure as an ExprError (never a crash). */
export function safeParse(src: string): Node {
  try {
    return parse(src);
  } catch (e) {
    if (e instanceof ExprError) throw e;
    throw new ExprError(`cannot read '${src}': ${(e as Error).message}`);
  }
}
