// Where a cursor is: the token under it, the statement it belongs to, the enclosing block kind.
// Shared by completion and hover; works on the token stream, so it is right even on broken lines.
import type { IToken } from './chevrotain.js';
import type { BlockKind } from './ast.js';
import { Newline, Semi, LBrace, RBrace, Colon } from './lexer.js';

/** Offset of a 1-based (line, col) position; clamps to the text. */
export function offsetOf(text: string, line: number, col: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  const eol = text.indexOf('\n', off);
  const lineEnd = eol < 0 ? text.length : eol;
  return Math.min(off + Math.max(0, col - 1), lineEnd);
}

/** Index of the last token starting before `offset` (-1 if none). */
export function tokenBefore(tokens: IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) { ans = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return ans;
}

export interface CursorContext {
  /** tokens of the current statement before the cursor (without the partial word) */
  prefix: IToken[];
  /** the word being typed, up to the cursor */
  partial: string;
  block: BlockKind;
  /** inside a comment or string: nothing to offer */
  inert: boolean;
}

const isBoundary = (t: IToken) => t.tokenType === Newline || t.tokenType === Semi || t.tokenType === LBrace || t.tokenType === RBrace;

export function cursorContext(text: string, tokens: IToken[], comments: IToken[], offset: number): CursorContext {
  const inComment = comments.some((c) => c.startOffset < offset && offset <= (c.endOffset ?? c.startOffset) + 1);
  let i = tokenBefore(tokens, offset);
  let partial = '';
  if (i >= 0) {
    const t = tokens[i]!;
    const end = (t.endOffset ?? t.startOffset) + 1;
    if (offset <= end && /^[A-Za-z_0-9]/.test(t.image) && !isBoundary(t)) {
      partial = text.slice(t.startOffset, offset);
      i--;
    } else if (offset < end && t.tokenType.name === 'String') {
      return { prefix: [], partial: '', block: 'top', inert: true };
    }
  }
  let start = i;
  while (start >= 0 && !isBoundary(tokens[start]!)) start--;
  const prefix = tokens.slice(start + 1, i + 1);
  // block kind: replay braces before the statement with an explicit stack
  const stack: BlockKind[] = ['top'];
  let head: IToken[] = [];
  for (let k = 0; k <= start; k++) {
    const t = tokens[k]!;
    if (t.tokenType === LBrace) {
      const h = head[0]?.image;
      const cur = stack[stack.length - 1]!;
      const kind: BlockKind = h === 'machine' || h === 'node' || h === 'interleave' || h === 'variant' ? h : cur;
      stack.push(kind);
      head = [];
    } else if (t.tokenType === RBrace) {
      if (stack.length > 1) stack.pop();
      head = [];
    } else if (t.tokenType === Newline || t.tokenType === Semi) head = [];
    else head.push(t);
  }
  return { prefix, partial, block: stack[stack.length - 1]!, inert: inComment };
}

/** The operation part of a statement prefix: after `cpu N:` inside interleave. */
export function operationPart(prefix: IToken[]): IToken[] {
  const colon = prefix.findIndex((t) => t.tokenType === Colon);
  return prefix[0]?.image === 'cpu' && colon >= 0 ? prefix.slice(colon + 1) : prefix;
}

/** The refined statement kind (`slab_grow`, `hugetlb_pool`, `virtio_op`, `expect_result` …) from its first tokens. */
export function stmtKindOf(toks: IToken[], block: BlockKind): string | null {
  const h = toks[0]?.image;
  if (!h) return null;
  const second = toks[1]?.image;
  const third = toks[2]?.image;
  switch (h) {
    case 'slab': return second === 'shrink' ? 'slab_shrink' : 'slab_grow';
    case 'hugetlb':
      if (third === 'overcommit') return 'hugetlb_overcommit';
      if (third === 'alloc') return 'hugetlb_alloc';
      return third === 'pool' || (block === 'machine' && third !== 'resize') ? 'hugetlb_pool' : 'hugetlb_resize';
    case 'virtio_mem': return block === 'machine' ? 'virtio_decl' : 'virtio_op';
    case 'expect': {
      if (!second) return 'expect';
      if (second === 'block' && toks[3]?.image === 'valid_zones') return 'expect_valid_zones';
      if (['pageblock', 'page', 'block', 'buddyinfo', 'freelist', 'hugetlb', 'vmstat', 'kpageflags'].includes(second)) return 'expect_' + second;
      if (second === 'node' || toks[2]?.image === '.') return 'expect_zone';
      return toks[2]?.image === 'migrated' ? 'expect_migrated' : 'expect_result';
    }
    default: return h;
  }
}
