// Tokens of the .mmscn language (chevrotain lexer). Keywords are real token types that also belong to the
// `Word` category, so a value position (a migratetype, a policy value, a page state) accepts any word,
// while a name position (`as NAME`) accepts only a plain Identifier.
import { createToken, Lexer, type IToken, type TokenType } from './chevrotain.js';
import type { Loc } from '../sim/scenario.js';

/** Lines longer than this are not tokenised (reported once); keeps pathological input linear and small. */
export const MAX_LINE_LENGTH = 20000;

export const Word = createToken({ name: 'Word', pattern: Lexer.NA, label: 'a word' });
export const Num = createToken({ name: 'Num', pattern: Lexer.NA, label: 'a number' });

/** Tokens that can be a name: identifiers and the soft keywords. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_-]*/, categories: [Word, Name], label: 'a name' });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: 'Newline', pattern: /\r\n|\r|\n/, line_breaks: true, label: 'end of line' });
export const Comment = createToken({ name: 'Comment', pattern: /(?:#|\/\/)[^\r\n]*/, group: 'comments' });
export const StringLit = createToken({ name: 'String', pattern: /"(?:[^"\\\r\n]|\\.)*"/, label: 'a "string"' });
export const BadString = createToken({ name: 'BadString', pattern: /"(?:[^"\\\r\n]|\\.)*\\?/, label: 'an unterminated string' });
export const LBrace = createToken({ name: 'LBrace', pattern: '{', label: '`{`' });
export const RBrace = createToken({ name: 'RBrace', pattern: '}', label: '`}`' });
export const Semi = createToken({ name: 'Semi', pattern: ';', label: '`;`' });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: '`:`' });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: '`,`' });
export const DotDot = createToken({ name: 'DotDot', pattern: '..', label: '`..`' });
export const Dot = createToken({ name: 'Dot', pattern: '.', label: '`.`' });
export const Plus = createToken({ name: 'Plus', pattern: '+', label: '`+`' });
export const Pipe = createToken({ name: 'Pipe', pattern: '|', label: '`|`' });
/** `expect buddyinfo ZONE ~ N0 N1 … within T`: approximately equal */
export const Tilde = createToken({ name: 'Tilde', pattern: '~', label: '`~`' });
export const Cmp = createToken({ name: 'Cmp', pattern: /==|!=|<=|>=|<|>/, label: 'a comparison (== != < <= > >=)' });
export const Equals = createToken({ name: 'Equals', pattern: '=', label: '`=`' });
export const Errno = createToken({ name: 'Errno', pattern: /-E[A-Za-z0-9]+/, label: 'an errno (-EBUSY …)' });
export const Percent = createToken({ name: 'Percent', pattern: /[0-9]+(?:\.[0-9]+)?%/, label: 'a percentage' });
export const Size = createToken({ name: 'Size', pattern: /(?:0[xX][0-9a-fA-F]+|[0-9]+)[KMGT]/, label: 'a size (4K, 2M, 1G)' });
export const Hex = createToken({ name: 'Hex', pattern: /0[xX][0-9a-fA-F]+/, categories: [Num], label: 'a number' });
export const Version = createToken({ name: 'Version', pattern: /[0-9]+\.[0-9]+/, label: 'a kernel version' });
export const Dec = createToken({ name: 'Dec', pattern: /[0-9]+/, categories: [Num], label: 'a number' });

/** Keywords: statement heads, clause keys and expectation words. */
export const KEYWORDS = [
  // top level
  'kernel', 'policy', 'seed', 'machine', 'variant', 'interleave', 'schedule', 'expect', 'checkpoint',
  // machine / node
  'page_size', 'pageblock_order', 'max_page_order', 'memory_block_size', 'section_size', 'cpus',
  'memmap_on_memory', 'movable_node', 'config_cma', 'swap', 'node', 'cma', 'hugetlb', 'virtio_mem', 'zone', 'reserved', 'hole', 'hotplug',
  // population
  'page', 'pages', 'folio', 'fill', 'pageset',
  // operations
  'alloc', 'free', 'pin', 'unpin', 'slab', 'drain', 'isolate', 'unisolate', 'alloc_contig_range',
  'alloc_contig_pages', 'cma_alloc', 'cma_release', 'online', 'offline', 'add_memory', 'remove_memory', 'eject',
  'compact', 'migrate', 'report', 'kswapd', 'kcompactd', 'sysctl',
  // clauses and sub-keywords
  'as', 'cpu', 'order', 'gfp', 'count', 'every', 'mode', 'align', 'order_per_bit', 'block', 'pool', 'resize', 'plug',
  'unplug', 'grow', 'shrink', 'at', 'reason', 'when', 'ok', 'fails', 'migrated', 'pageblock', 'buddyinfo', 'freelist',
  'within', 'valid_zones', 'vmstat', 'kpageflags', 'overcommit', 'high', 'batch',
] as const;
export type Keyword = (typeof KEYWORDS)[number];
/** Keywords that never start a statement: they can also be names (`variant shrink`, `as pool`). */
export const SOFT_KEYWORDS: ReadonlySet<string> = new Set([
  'as', 'cpu', 'order', 'gfp', 'count', 'every', 'mode', 'align', 'order_per_bit', 'block', 'pool', 'resize', 'plug', 'unplug',
  'grow', 'shrink', 'at', 'reason', 'when', 'ok', 'fails', 'migrated', 'pageblock', 'buddyinfo', 'freelist',
  'within', 'valid_zones', 'vmstat', 'kpageflags', 'overcommit', 'high', 'batch',
]);

export const Kw: Record<string, TokenType> = {};
for (const k of KEYWORDS) {
  Kw[k] = createToken({ name: 'Kw_' + k, pattern: k, longer_alt: Identifier, categories: SOFT_KEYWORDS.has(k) ? [Word, Name] : [Word], label: '`' + k + '`' });
}
export const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
/** Keywords that cannot be names: the statement heads. */
export const RESERVED: ReadonlySet<string> = new Set(KEYWORDS.filter((k) => !SOFT_KEYWORDS.has(k)));

// Longer keywords first so `alloc_contig_range` is not read as `alloc` + junk (the lookahead guards it too).
const keywordTokens = [...KEYWORDS].sort((a, b) => b.length - a.length).map((k) => Kw[k]!);

export const allTokens: TokenType[] = [
  WhiteSpace, Newline, Comment, StringLit, BadString, LBrace, RBrace, Semi, Colon, Comma, DotDot, Dot, Plus, Pipe,
  Tilde, Cmp, Equals, Errno, Percent, Size, Hex, Version, Dec, ...keywordTokens, Identifier, Word, Num, Name,
];

const lexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: true, skipValidations: true });

export interface LexError { offset: number; length: number; line: number; col: number }

export interface LexResult {
  tokens: IToken[];
  /** runs of characters that start no token */
  errors: LexError[];
  comments: IToken[];
  /** lines (1-based) that were too long to tokenise */
  longLines: { line: number; length: number }[];
}

/** Tokenise; never throws. Over-long lines are blanked (same length) so offsets stay valid. */
export function lex(text: string): LexResult {
  const longLines: { line: number; length: number }[] = [];
  let src = text;
  if (text.length > MAX_LINE_LENGTH) {
    const parts = text.split(/(\r\n|\r|\n)/);
    let changed = false;
    let line = 1;
    for (let i = 0; i < parts.length; i += 2) {
      const p = parts[i]!;
      if (p.length > MAX_LINE_LENGTH) {
        longLines.push({ line, length: p.length });
        parts[i] = ' '.repeat(p.length);
        changed = true;
      }
      line++;
    }
    if (changed) src = parts.join('');
  }
  const r = lexer.tokenize(src);
  const errors = r.errors.map((e) => ({ offset: e.offset, length: e.length, line: e.line ?? 1, col: e.column ?? 1 }));
  return { tokens: r.tokens, errors, comments: (r.groups['comments'] as IToken[] | undefined) ?? [], longLines };
}

export function tokLoc(t: IToken): Loc {
  return { line: t.startLine ?? 1, col: t.startColumn ?? 1, endLine: t.endLine ?? t.startLine ?? 1, endCol: (t.endColumn ?? t.startColumn ?? 0) + 1 };
}

export function spanLoc(a: IToken, b: IToken): Loc {
  const s = tokLoc(a);
  const e = tokLoc(b);
  return { line: s.line, col: s.col, endLine: e.endLine, endCol: e.endCol };
}

export function isKeywordToken(t: IToken): boolean {
  return t.tokenType.name.startsWith('Kw_');
}
