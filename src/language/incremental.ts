// Incremental re-parse after an edit: only the lines the edit touched are lexed and parsed again; the statements
// before them are kept as they are and the statements after them are kept (moved by the number of lines the
// edit added or removed). Statements are line-based (a newline or `;` ends one; `{`/`}` open and close blocks),
// so an edit of top-level lines without braces cannot change how any other line parses. Anything else (braces
// in the edited lines, an edit inside a block, over-long lines, a file at the diagnostics cap) is parsed in full.
// The result equals parseFile(newText) (property-tested in test/unit/language/incremental.test.ts).
import type { IToken } from './chevrotain.js';
import type { Loc } from '../sim/scenario.js';
import type { Block, FileAst, Stmt } from './ast.js';
import type { Diagnostic } from './types.js';
import { lex, type LexResult } from './lexer.js';
import { MAX_DIAGNOSTICS, parseFile, parseStats, type ParseResult } from './parser.js';

/** the edited region, in whole lines: [start, oldEnd) of the old text became [start, newEnd) of the new one */
interface Region { start: number; oldEnd: number; newEnd: number; line: number; oldEndLine: number; newEndLine: number }

function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function region(oldText: string, text: string): Region | null {
  const max = Math.min(oldText.length, text.length);
  let p = 0;
  while (p < max && oldText.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && oldText.charCodeAt(oldText.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  // the region starts at the beginning of the line of the first difference
  const start = p === 0 ? 0 : oldText.lastIndexOf('\n', p - 1) + 1;
  // and ends after the first newline of the common suffix (the lines after it are the same in both texts)
  let oldEnd = oldText.length;
  let newEnd = text.length;
  const nl = oldText.indexOf('\n', oldText.length - s);
  if (s > 0 && nl >= 0) {
    oldEnd = nl + 1;
    newEnd = text.length - (oldText.length - oldEnd);
  }
  if (oldEnd < start || newEnd < start) return null;
  // a `\r` before the region start belongs to the previous line's newline (CRLF): keep it simple, parse in full
  const line = 1 + countLines(oldText, 0, start);
  return {
    start, oldEnd, newEnd, line,
    oldEndLine: line + countLines(oldText, start, oldEnd),
    newEndLine: line + countLines(text, start, newEnd),
  };
}

/** a deep copy of an AST value with every Loc moved by `dl` lines (Locs are the objects with line/col/endLine/endCol) */
function moved<T>(v: T, dl: number): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => moved(x, dl)) as T;
  const o = v as Record<string, unknown>;
  if (typeof o.line === 'number' && typeof o.endLine === 'number' && typeof o.col === 'number' && typeof o.endCol === 'number' && Object.keys(o).length === 4) {
    return { line: o.line + dl, col: o.col, endLine: o.endLine + dl, endCol: o.endCol } as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = moved(o[k], dl);
  return out as T;
}

/** a copy of a token at another place (tokens are chevrotain's plain objects) */
function movedToken(t: IToken, doff: number, dl: number): IToken {
  return {
    ...t,
    startOffset: t.startOffset + doff,
    endOffset: t.endOffset === undefined ? undefined : t.endOffset + doff,
    startLine: t.startLine === undefined ? undefined : t.startLine + dl,
    endLine: t.endLine === undefined ? undefined : t.endLine + dl,
  } as IToken;
}

function movedLoc(l: Loc, dl: number): Loc {
  return { line: l.line + dl, col: l.col, endLine: l.endLine + dl, endCol: l.endCol };
}

/** first index i with key(a[i]) >= x (a sorted by key) */
function lowerBound<T>(a: readonly T[], x: number, key: (t: T) => number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(a[mid]!) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The parse of `text`, reusing `prev` (the parse of `oldText`) outside the edited lines; null when the edit is not
 * one this can do (the caller parses in full).
 */
export function reparse(prev: ParseResult, oldText: string, text: string): ParseResult | null {
  if (oldText.includes('\r') || text.length < 4096) return null; // small files parse in full in a few ms
  const lz = (prev as LazyParse)[LAZY];
  if (prev.diagnostics.length >= MAX_DIAGNOSTICS / 2 || (!lz && prev.lexed.longLines.length)) return null;
  const r = region(oldText, text);
  if (!r) return null;
  const newRegion = text.slice(r.start, r.newEnd);
  if (newRegion.length > 20000 || /[{}\r]/.test(newRegion) || /[{}]/.test(oldText.slice(r.start, r.oldEnd))) return null;
  // the region must be at the top level: no block is open across it
  const braceOffs = lz ? lz.braceOffs : prev.braces.map((b) => [b.open.startOffset, b.close === null ? -1 : b.close.startOffset] as const);
  for (const [o, c] of braceOffs) {
    if (o < r.start && (c < 0 || c >= r.start)) return null;
  }
  const { ast } = prev;
  const dl = r.newEndLine - r.oldEndLine;
  const doff = r.newEnd - r.oldEnd;
  // the statements of the old region are top-level statements without blocks (it has no braces, and no block is
  // open across it); every statement before ends before it, every statement after starts after it
  const all = ast.all;
  const a0 = lowerBound(all, r.line, (s) => s.loc.line);
  const a1 = lowerBound(all, r.oldEndLine, (s) => s.loc.line);
  for (let i = 0; i < a0; i++) if (all[i]!.loc.endLine >= r.line) return null;
  const body = ast.top.body;
  const b0 = lowerBound(body, r.line, (s) => s.loc.line);
  const b1 = lowerBound(body, r.oldEndLine, (s) => s.loc.line);
  if (b1 - b0 !== a1 - a0) return null;

  parseStats.files++;
  const sub = parseFile(newRegion);
  parseStats.files--; // one parse of the new text, counted once
  const shiftIn = r.line - 1;
  const regionStmts = sub.ast.top.body.map((s) => moved(s, shiftIn));
  const after = (s: Stmt): Stmt => (dl ? moved(s, dl) : s);
  const newAll = [...all.slice(0, a0), ...regionStmts, ...all.slice(a1).map(after)];
  // statements nested in blocks after the region are the same objects as in their block (moved together)
  const byOld = new Map<Stmt, Stmt>();
  if (dl) {
    const movedBody = body.slice(b1).map((s) => moved(s, dl));
    body.slice(b1).forEach((s, i) => byOld.set(s, movedBody[i]!));
    // `all` lists nested statements too: take them from the moved blocks so the objects are shared
    const nested: Stmt[] = [];
    const walk = (b: Block) => { for (const s of b.body) { nested.push(s); if (s.block) walk(s.block); } };
    for (const s of movedBody) { nested.push(s); if (s.block) walk(s.block); }
    newAll.length = a0 + regionStmts.length;
    newAll.push(...nested);
    if (nested.length !== all.length - a1) return null;
  }
  const newBody = [...body.slice(0, b0), ...regionStmts, ...body.slice(b1).map((s) => byOld.get(s) ?? s)];
  const lines = r.oldEndLine; // first line after the old region
  const diagnostics: Diagnostic[] = [];
  for (const d of prev.diagnostics) if (d.loc.line < r.line) diagnostics.push(d);
  for (const d of sub.diagnostics) diagnostics.push({ ...d, loc: movedLoc(d.loc, shiftIn) });
  for (const d of prev.diagnostics) if (d.loc.line >= lines) diagnostics.push(dl ? { ...d, loc: movedLoc(d.loc, dl) } : d);
  // old diagnostics inside the region are dropped (the region's own were made again)
  for (const d of prev.diagnostics) if (d.loc.line >= r.line && d.loc.line < lines && d.loc.endLine >= lines) return null;
  for (const d of prev.diagnostics) if (d.loc.line < r.line && d.loc.endLine >= r.line) return null;
  if (diagnostics.length > MAX_DIAGNOSTICS) return null;
  const brokenLines = new Set<number>();
  for (const l of prev.brokenLines) {
    if (l < r.line) brokenLines.add(l);
    else if (l >= lines) brokenLines.add(l + dl);
  }
  for (const l of sub.brokenLines) brokenLines.add(l + shiftIn);
  const oldTop = ast.top;
  const top: Block = { ...oldTop, body: newBody, loc: { line: 1, col: 1, endLine: Math.max(1, oldTop.loc.endLine + dl), endCol: 1 } };
  const newAst: FileAst = { top, all: newAll };

  // tokens, comments, lexer errors and brace tokens: built when first read (format, semantic tokens, hover and
  // completion read them; diagnostics do not)
  const offs = braceOffs.map(([o, c]) => [o < r.start ? o : o + doff, c < r.start ? c : c + doff] as const);
  const edit: Edit = { start: r.start, oldEnd: r.oldEnd, doff, dl, shiftIn, sub: sub.lexed };
  // one edit after built tokens: splice them (cheap); after several, lex the text again when first read
  const lazy: Lazy = { text, braceOffs: offs, from: lz ? null : { base: prev.lexed, braces: prev.braces, edit } };
  return lazyResult({ ast: newAst, diagnostics, brokenLines }, lazy);
}

/** what one edit did to the tokens: [start, oldEnd) became the region's tokens (sub, from offset 0 / line 1) */
interface Edit { start: number; oldEnd: number; doff: number; dl: number; shiftIn: number; sub: LexResult }
/** the tokens of `text`, not built yet: from the previous built ones and one edit, or by lexing the text.
 *  braceOffs: the offsets of each `{` and its `}` (-1 when missing), kept without building tokens */
interface Lazy { text: string; braceOffs: (readonly [number, number])[]; from: { base: LexResult; braces: ParseResult['braces']; edit: Edit } | null }
const LAZY = Symbol('lazy tokens');
type LazyParse = ParseResult & { [LAZY]?: Lazy };

function build(lz: Lazy): { base: LexResult; braces: ParseResult['braces'] } {
  if (!lz.from) {
    const lexed = lex(lz.text);
    const at = (off: number): IToken => lexed.tokens[lowerBound(lexed.tokens, off, (t) => t.startOffset)]!;
    return { base: lexed, braces: lz.braceOffs.map(([o, c]) => ({ open: at(o), close: c < 0 ? null : at(c) })) };
  }
  const { base, edit: e } = lz.from;
  const splice = (old: IToken[], mid: IToken[]): IToken[] => {
    const i0 = lowerBound(old, e.start, (t) => t.startOffset);
    const i1 = lowerBound(old, e.oldEnd, (t) => t.startOffset);
    const out = old.slice(0, i0);
    for (const t of mid) out.push(movedToken(t, e.start, e.shiftIn));
    for (let i = i1; i < old.length; i++) out.push(e.doff || e.dl ? movedToken(old[i]!, e.doff, e.dl) : old[i]!);
    return out;
  };
  const e0 = lowerBound(base.errors, e.start, (x) => x.offset);
  const e1 = lowerBound(base.errors, e.oldEnd, (x) => x.offset);
  const lexed: LexResult = {
    tokens: splice(base.tokens, e.sub.tokens),
    comments: splice(base.comments, e.sub.comments),
    errors: [
      ...base.errors.slice(0, e0),
      ...e.sub.errors.map((x) => ({ ...x, offset: x.offset + e.start, line: x.line + e.shiftIn })),
      ...base.errors.slice(e1).map((x) => ({ ...x, offset: x.offset + e.doff, line: x.line + e.dl })),
    ],
    longLines: [],
  };
  // the region has no braces: every brace is before it (same token) or after it (moved)
  const mv = (t: IToken): IToken => (t.startOffset < e.start ? t : movedToken(t, e.doff, e.dl));
  return { base: lexed, braces: lz.from.braces.map((b) => ({ open: mv(b.open), close: b.close === null ? null : mv(b.close) })) };
}

function lazyResult(fields: Pick<ParseResult, 'ast' | 'diagnostics' | 'brokenLines'>, lz: Lazy): ParseResult {
  const result = fields as LazyParse;
  let built: { base: LexResult; braces: ParseResult['braces'] } | null = null;
  result[LAZY] = lz;
  const get = () => {
    if (!built) { built = build(lz); delete result[LAZY]; }
    return built;
  };
  Object.defineProperty(result, 'lexed', { enumerable: true, get: () => get().base });
  Object.defineProperty(result, 'braces', { enumerable: true, get: () => get().braces });
  return result;
}
