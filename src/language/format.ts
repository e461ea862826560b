// Canonical formatting: 2 spaces per brace level, single spaces between tokens (none inside `a..b`, `a+4M`,
// `Normal.free`, `GFP_A|GFP_B`, before `,` `;` `:`), comments kept. Lines with a syntax error are left as
// they are, so formatting never loses text; the result is idempotent.
import type { IToken } from './chevrotain.js';
import type { TextEdit } from './types.js';
import { analyze } from './analyze.js';
import { Newline, LBrace, RBrace, DotDot, Dot, Plus, Pipe, Comma, Semi, Colon } from './lexer.js';
import { guarded } from './internal.js';

/** Indentation stops growing beyond this depth (pathological nesting). */
const MAX_INDENT_DEPTH = 64;

const GLUE_BEFORE = new Set([DotDot, Dot, Plus, Pipe, Comma, Semi, Colon]);
const GLUE_AFTER = new Set([DotDot, Dot, Plus, Pipe]);

export function format(text: string): TextEdit[] {
  return guarded('format', [], () => formatUnsafe(String(text)));
}

function formatUnsafe(text: string): TextEdit[] {
  // the editor has analyzed this text already (diagnostics): reuse its parse (analyze() keeps recent ones)
  const parsed = analyze(text).parse;
  const { tokens, comments, longLines } = parsed.lexed;
  const skip = new Set(parsed.brokenLines);
  for (const l of longLines) skip.add(l.line);
  const all = [...tokens.filter((t) => t.tokenType !== Newline), ...comments].sort((a, b) => a.startOffset - b.startOffset);
  const byLine = new Map<number, IToken[]>();
  for (const t of all) {
    const l = t.startLine ?? 1;
    let arr = byLine.get(l);
    if (!arr) byLine.set(l, (arr = []));
    arr.push(t);
  }
  const lines = text.split('\n');
  const edits: TextEdit[] = [];
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const toks = byLine.get(lineNo) ?? [];
    let lead = 0;
    while (lead < toks.length && toks[lead]!.tokenType === RBrace) lead++;
    const indentDepth = Math.min(MAX_INDENT_DEPTH, Math.max(0, depth - lead));
    for (const t of toks) {
      if (t.tokenType === LBrace) depth++;
      else if (t.tokenType === RBrace) depth = Math.max(0, depth - 1);
    }
    if (skip.has(lineNo)) continue;
    let out = '';
    if (toks.length) {
      out = ' '.repeat(indentDepth * 2);
      let prev: IToken | null = null;
      for (const t of toks) {
        if (prev && !GLUE_BEFORE.has(t.tokenType) && !GLUE_AFTER.has(prev.tokenType)) out += ' ';
        out += t.image;
        prev = t;
      }
    }
    if (out !== content) edits.push({ loc: { line: lineNo, col: 1, endLine: lineNo, endCol: content.length + 1 }, newText: out });
  }
  return edits;
}

/** Applies edits (from `format`) to a text: for tests and the CLI. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    const raw = lines[e.loc.line - 1] ?? '';
    const cr = raw.endsWith('\r') ? '\r' : '';
    const content = cr ? raw.slice(0, -1) : raw;
    lines[e.loc.line - 1] = content.slice(0, e.loc.col - 1) + e.newText + content.slice(e.loc.endCol - 1) + cr;
  }
  return lines.join('\n');
}
