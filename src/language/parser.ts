// The chevrotain grammar of one statement, and the driver that splits a file into statements and blocks.
// The driver tracks braces itself (an explicit stack, no recursion), so a broken line never derails the
// rest of the file, and 10,000 nested braces cost nothing but a deep stack array.
import { EarlyExitException, EmbeddedActionsParser, EOF, NoViableAltException, type IToken, type TokenType, type IParserErrorMessageProvider } from './chevrotain.js';
import type { Loc } from '../sim/scenario.js';
import type { Diagnostic } from './types.js';
import type { Arg, Block, BlockKind, Clause, FileAst, NumArg, PctArg, RangeArg, Role, Stmt, StmtArgs, StmtKind, StmtOf, WordArg, ListArg, VerArg, CmpArg, FieldArg } from './ast.js';
import {
  allTokens, Kw, Word, Identifier, Name, Hex, Dec, Size, Version, Percent, StringLit, Errno, Cmp, Equals, DotDot, Plus,
  Dot, Colon, Comma, Pipe, Tilde, Newline, Semi, LBrace, RBrace, BadString, lex, tokLoc, spanLoc, KEYWORDS, type LexResult,
} from './lexer.js';

/** Statements longer than this many tokens are not parsed (pathological input). */
const MAX_STATEMENT_TOKENS = 4000;
/** At most this many diagnostics are reported per file. */
export const MAX_DIAGNOSTICS = 1000;

const NOLOC: Loc = { line: 1, col: 1, endLine: 1, endCol: 1 };

function okLoc(l: Loc | undefined): l is Loc {
  return !!l && Number.isFinite(l.line) && Number.isFinite(l.col);
}
function locOfTok(t: IToken | undefined): Loc {
  if (!t || !Number.isFinite(t.startOffset) || t.tokenType === EOF) return NOLOC;
  return tokLoc(t);
}
function joinLoc(a: Loc | undefined, b: Loc | undefined): Loc {
  if (!okLoc(a)) return okLoc(b) ? b : NOLOC;
  if (!okLoc(b)) return a;
  return { line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}

const UNIT: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
const U64_MAX = (1n << 64n) - 1n;

export function numArg(t: IToken, role: Role): NumArg {
  const raw = typeof t?.image === 'string' ? t.image : '';
  const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)([KMGT]?)$/.exec(raw);
  let value: bigint | null = null;
  let unit = 0;
  if (m) {
    const v = BigInt(m[1]!);
    unit = m[2] ? UNIT[m[2]]! : 0;
    value = v > U64_MAX || (unit && v * BigInt(unit) > U64_MAX) ? null : v;
  }
  return { t: 'num', raw, value, unit, role, loc: locOfTok(t) };
}
function wordArg(t: IToken, role: Role): WordArg {
  return { t: 'word', text: t?.image ?? '', role, loc: locOfTok(t) };
}
function unescape(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}
function clause(k: IToken, value: Arg | null | undefined): Clause {
  const keyLoc = locOfTok(k);
  return { key: k?.image ?? '', keyLoc, value: value ?? null, loc: joinLoc(keyLoc, value?.loc) };
}
function stmt<K extends StmtKind>(kind: K, args: StmtArgs[K] = {} as StmtArgs[K], clauses: Clause[] = []): Stmt {
  // one statement of kind K (a StmtOf<K>); TypeScript cannot see that StmtOf<K> for a generic K is a member of the union
  const s: StmtOf<K> = { kind, loc: NOLOC, headLoc: NOLOC, args, clauses, broken: false };
  return s as unknown as Stmt;
}

// ------------------------------------------------------------------ error messages in kernel words
/** What a grammar slot (rule) expects, for messages and completion. */
export const SLOT_TEXT: Record<string, string> = {
  pfn: 'a pfn (0x10000 or 65536)',
  number: 'a number',
  count: 'a page count or a size (512, 2M)',
  size: 'a size (2M, 1G)',
  range: 'a pfn range (START..END or START+SIZE)',
  target: 'a pfn or the name of an earlier operation',
  zoneName: 'a zone (DMA, DMA32, Normal, Movable)',
  labelDecl: 'a new name',
  labelRef: 'the name of an earlier operation (`as NAME`)',
  cmaDecl: 'a name for the CMA area',
  cmaRef: 'a CMA area name',
  deviceName: 'a virtio-mem device name',
  variantDecl: 'a name for the variant',
  variantRef: 'a variant name',
  checkpointDecl: 'a checkpoint name',
  policyName: 'a policy name',
  policyValue: 'a policy value',
  kernelVersion: 'a kernel preset (6.12, latest …)',
  fieldName: 'a zone field (free, present, spanned …)',
  stateWord: 'a state',
  phaseName: 'a phase name',
  flagWord: 'an option',
  modeWord: 'an isolation mode (other, cma, offline)',
  onOff: 'on or off',
  gfpFlags: 'GFP flags (GFP_KERNEL|__GFP_HIGH)',
  percent: 'a percentage (60%)',
  migratetypeWord: 'a migratetype (unmovable, movable, reclaimable, highatomic, cma, isolate)',
  hugetlbField: '`free`, `total` or `surplus`',
  vmstatCounter: 'a /proc/vmstat counter (compact_stall, pgmigrate_success …)',
  kpfKind: 'a /proc/kpageflags flag (buddy, lru, anon, slab, huge, nopage …)',
};

/** Statements whose first argument is a range: a missing pfn there means a missing range. */
const RANGE_HEADS = new Set(['isolate', 'unisolate', 'alloc_contig_range', 'add_memory', 'remove_memory', 'eject', 'pages', 'reserved', 'hole', 'hotplug']);

function describe(t: IToken | undefined): string {
  if (!t || t.tokenType === EOF) return 'the end of the statement';
  if (t.tokenType === BadString) return 'an unterminated string';
  const img = t.image.length > 30 ? t.image.slice(0, 30) + '…' : t.image;
  return '`' + img + '`';
}
function labelOf(tt: TokenType): string {
  return (tt as { LABEL?: string }).LABEL ?? tt.name;
}
function after(prev: IToken | undefined): string {
  return prev && prev.tokenType !== EOF && prev.image && Number.isFinite(prev.startOffset) ? ` after \`${prev.image}\`` : '';
}

function levenshtein(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}
/** the same misspelling on many lines is looked up once (bounded: cleared when full) */
const suggestions = new WeakMap<readonly string[], Map<string, string>>();

export function didYouMean(word: string, candidates: readonly string[]): string {
  let memo = suggestions.get(candidates);
  if (!memo) suggestions.set(candidates, (memo = new Map()));
  let hit = memo.get(word);
  if (hit === undefined) {
    if (memo.size >= 1000) memo.clear();
    memo.set(word, (hit = suggest(word, candidates)));
  }
  return hit;
}

function suggest(word: string, candidates: readonly string[]): string {
  if (!/^[A-Za-z_]/.test(word)) return '';
  let best = '';
  let bestD = Math.max(1, Math.round(word.length / 3)) + 1;
  for (const c of candidates) {
    const dd = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (dd < bestD) { bestD = dd; best = c; }
  }
  return best && best !== word ? ` (did you mean \`${best}\`?)` : '';
}

const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    const rangeFirst = ruleName === 'pfn' && previous && RANGE_HEADS.has(previous.image);
    const want = rangeFirst ? SLOT_TEXT.range : SLOT_TEXT[ruleName] ?? labelOf(expected);
    return `expected ${want}${after(previous)}, found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}: the statement is complete before it`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    const a = actual[0];
    if (ruleName === 'statement' || ruleName === 'operation') {
      const img = a?.image ?? '';
      return a && a.tokenType !== EOF
        ? `unknown statement ${describe(a)}${didYouMean(img, KEYWORDS)}`
        : 'expected a statement';
    }
    if (ruleName === 'pfn' && previous && RANGE_HEADS.has(previous.image)) return `expected ${SLOT_TEXT.range}${after(previous)}, found ${describe(a)}`;
    if (SLOT_TEXT[ruleName]) return `expected ${SLOT_TEXT[ruleName]}${after(previous)}, found ${describe(a)}`;
    const firsts = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) firsts.add(labelOf(path[0]));
    const list = [...firsts].slice(0, 8).join(', ');
    return `expected ${list}${after(previous)}, found ${describe(a)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, ruleName }) {
    if (SLOT_TEXT[ruleName]) return `expected ${SLOT_TEXT[ruleName]}${after(previous)}, found ${describe(actual[0])}`;
    const firsts = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) firsts.add(labelOf(path[0]));
    return `expected ${[...firsts].slice(0, 8).join(', ')}${after(previous)}, found ${describe(actual[0])}`;
  },
};

// ------------------------------------------------------------------ the grammar
class StatementParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider });
    this.performSelfAnalysis();
    memoizeErrorPaths(this);
  }

  /**
   * The alternatives of an alternation, built on its rule's first call and kept (chevrotain's performance guide,
   * "caching arrays of alternatives"). Written inline, every call built its array again: `statement`,
   * `operation` and `clause` made some 80 closures per statement, and under tsx (the unit tests) each one also
   * went through esbuild's keepNames `__name()`, an Object.defineProperty — half of all parsing time there.
   * Only for rules whose alternatives capture no local of the call (expression-bodied rules): a cached closure
   * would otherwise see the first call's locals.
   */
  private readonly altCache = new Map<string, unknown>();
  private alts<T>(rule: string, build: () => T): T {
    let a = this.altCache.get(rule) as T | undefined;
    if (a === undefined) this.altCache.set(rule, (a = build()));
    return a;
  }

  // -- values
  number = this.RULE('number', (): NumArg => numArg(this.OR(this.alts('number', () => [{ ALT: () => this.CONSUME(Hex) }, { ALT: () => this.CONSUME(Dec) }])), 'number'));
  pfn = this.RULE('pfn', (): NumArg => numArg(this.OR(this.alts('pfn', () => [{ ALT: () => this.CONSUME(Hex) }, { ALT: () => this.CONSUME(Dec) }])), 'pfn'));
  count = this.RULE('count', (): NumArg =>
    numArg(this.OR(this.alts('count', () => [{ ALT: () => this.CONSUME(Hex) }, { ALT: () => this.CONSUME(Dec) }, { ALT: () => this.CONSUME(Size) }])), 'count'));
  size = this.RULE('size', (): NumArg => numArg(this.CONSUME(Size), 'size'));
  percent = this.RULE('percent', (): PctArg => {
    const t = this.CONSUME(Percent);
    return { t: 'pct', raw: t.image, value: parseFloat(t.image), loc: locOfTok(t) };
  });
  /** the separator of the `range` being parsed, set by its alternatives (cached: they cannot write a local) */
  private rangeSep: '..' | '+' = '..';
  range = this.RULE('range', (): RangeArg => {
    const start = this.SUBRULE(this.pfn);
    this.rangeSep = '..';
    const end = this.OR(this.alts('range', () => [
      { ALT: () => { this.CONSUME(DotDot); return this.SUBRULE2(this.pfn); } },
      { ALT: () => { this.CONSUME(Plus); this.rangeSep = '+'; return this.SUBRULE(this.count); } },
    ]));
    return { t: 'range', start, sep: this.rangeSep, end, loc: joinLoc(start?.loc, end?.loc) };
  });

  // -- words and names (one rule per slot, so completion knows what is expected)
  zoneName = this.RULE('zoneName', (): WordArg => wordArg(this.CONSUME(Identifier), 'zone'));
  labelDecl = this.RULE('labelDecl', (): WordArg => wordArg(this.CONSUME(Name), 'labelDecl'));
  labelRef = this.RULE('labelRef', (): WordArg => wordArg(this.CONSUME(Name), 'labelRef'));
  cmaDecl = this.RULE('cmaDecl', (): WordArg => wordArg(this.CONSUME(Name), 'cmaDecl'));
  cmaRef = this.RULE('cmaRef', (): WordArg => wordArg(this.CONSUME(Name), 'cmaRef'));
  deviceName = this.RULE('deviceName', (): WordArg => wordArg(this.CONSUME(Name), 'deviceRef'));
  variantDecl = this.RULE('variantDecl', (): WordArg => wordArg(this.CONSUME(Name), 'variantDecl'));
  variantRef = this.RULE('variantRef', (): WordArg => wordArg(this.CONSUME(Name), 'variantRef'));
  checkpointDecl = this.RULE('checkpointDecl', (): WordArg => wordArg(this.CONSUME(Name), 'checkpointDecl'));
  policyName = this.RULE('policyName', (): WordArg => wordArg(this.CONSUME(Word), 'policy'));
  /** `vm.compaction_proactiveness`: words joined by dots, one argument */
  sysctlName = this.RULE('sysctlName', (): WordArg => {
    const parts: IToken[] = [this.CONSUME(Word)];
    this.MANY(() => { this.CONSUME(Dot); const w = this.CONSUME2(Word); this.ACTION(() => parts.push(w)); });
    return { t: 'word', text: parts.map((p) => p?.image ?? '').join('.'), role: 'sysctl', loc: joinLoc(locOfTok(parts[0]), locOfTok(parts[parts.length - 1])) };
  });
  sysctlValues = this.RULE('sysctlValues', (): ListArg => {
    const items: Arg[] = [];
    this.OPTION(() => this.CONSUME(Equals));
    this.AT_LEAST_ONE(() => { const v = this.SUBRULE(this.number); this.ACTION(() => items.push({ ...v, role: 'value' })); });
    return { t: 'list', items, loc: joinLoc(items[0]?.loc, items[items.length - 1]?.loc) };
  });
  policyValue = this.RULE('policyValue', (): WordArg | NumArg =>
    this.OR(this.alts('policyValue', () => [
      { ALT: () => wordArg(this.CONSUME(Word), 'policyValue') },
      { ALT: () => numArg(this.CONSUME(Hex), 'number') },
      { ALT: () => numArg(this.CONSUME(Dec), 'number') },
    ])));
  kernelVersion = this.RULE('kernelVersion', (): VerArg =>
    this.OR(this.alts('kernelVersion', () => [
      { ALT: () => { const t = this.CONSUME(Version); return { t: 'ver', text: t.image, loc: locOfTok(t) }; } },
      { ALT: () => { const t = this.CONSUME(Dec); return { t: 'ver', text: t.image, loc: locOfTok(t) }; } },
      { ALT: () => { const t = this.CONSUME(Word); return { t: 'ver', text: t.image, loc: locOfTok(t) }; } },
    ])));
  fieldName = this.RULE('fieldName', (): WordArg => wordArg(this.CONSUME(Word), 'field'));
  stateWord = this.RULE('stateWord', (): WordArg => wordArg(this.CONSUME(Word), 'state'));
  phaseName = this.RULE('phaseName', (): WordArg => wordArg(this.CONSUME(Word), 'phase'));
  flagWord = this.RULE('flagWord', (): WordArg => wordArg(this.CONSUME(Word), 'flag'));
  modeWord = this.RULE('modeWord', (): WordArg => wordArg(this.CONSUME(Word), 'mode'));
  onOff = this.RULE('onOff', (): WordArg => wordArg(this.CONSUME(Word), 'value'));
  migratetypeWord = this.RULE('migratetypeWord', (): WordArg => wordArg(this.CONSUME(Word), 'migratetype'));
  hugetlbField = this.RULE('hugetlbField', (): WordArg => wordArg(this.CONSUME(Word), 'field'));
  // an Identifier, not any Word: `expect vmstat ok` stays a label expectation (`vmstat` is a soft keyword)
  vmstatCounter = this.RULE('vmstatCounter', (): WordArg => wordArg(this.CONSUME(Identifier), 'field'));
  // any Word: some flags are keywords (`offline`, `reserved`, `slab`)
  kpfKind = this.RULE('kpfKind', (): WordArg => wordArg(this.CONSUME(Word), 'field'));
  gfpFlags = this.RULE('gfpFlags', (): ListArg => {
    const items: Arg[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: Pipe, DEF: () => { const w = wordArg(this.CONSUME(Word), 'gfp'); this.ACTION(() => items.push(w)); } });
    return { t: 'list', items, loc: joinLoc(items[0]?.loc, items[items.length - 1]?.loc) };
  });
  target = this.RULE('target', (): WordArg | NumArg => this.OR(this.alts('target', () => [{ ALT: () => this.SUBRULE(this.labelRef) }, { ALT: () => this.SUBRULE(this.pfn) }])));
  cmp = this.RULE('cmp', (): CmpArg => { const t = this.CONSUME(Cmp); return { t: 'cmp', text: t.image, loc: locOfTok(t) }; });

  // -- trailing clauses, shared by every statement; lowering checks which ones a statement accepts
  clause = this.RULE('clause', (): Clause =>
    this.OR(this.alts('clause', () => ({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => { const k = this.CONSUME(Kw.as!); return clause(k, this.SUBRULE(this.labelDecl)); } },
        // numbers that must not be sizes still accept one, so lowering can say so in words
        ...(['cpu', 'node', 'order', 'align', 'order_per_bit'] as const).map((kw, i) => ({
          ALT: () => {
            const k = this.CONSUME(Kw[kw]!);
            const n = this.subrule(2 + i, this.count);
            return clause(k, n && { ...n, role: (kw === 'cpu' ? 'cpu' : kw === 'node' ? 'nid' : 'order') as Role });
          },
        })),
        { ALT: () => { const k = this.CONSUME(Kw.zone!); return clause(k, this.SUBRULE(this.zoneName)); } },
        { ALT: () => { const k = this.CONSUME(Kw.gfp!); return clause(k, this.SUBRULE(this.gfpFlags)); } },
        { ALT: () => { const k = this.CONSUME(Kw.count!); return clause(k, this.SUBRULE(this.count)); } },
        // `every STRIDE count N`: a population statement repeated N times, STRIDE pages apart (imports)
        { ALT: () => { const k = this.CONSUME(Kw.every!); return clause(k, this.subrule(9, this.count)); } },
        // `pageset ZONE … high N batch N`: a per-cpu pageset's pcp->high and pcp->batch (imports)
        { ALT: () => { const k = this.CONSUME(Kw.high!); return clause(k, this.subrule(11, this.count)); } },
        { ALT: () => { const k = this.CONSUME(Kw.batch!); return clause(k, this.subrule(12, this.count)); } },
        { ALT: () => { const k = this.CONSUME(Kw.block!); return clause(k, this.SUBRULE(this.size)); } },
        { ALT: () => { const k = this.CONSUME(Kw.mode!); return clause(k, this.SUBRULE(this.modeWord)); } },
        // `within 300` / `within 10%`: the tolerance of `expect buddyinfo ZONE ~ …`
        {
          ALT: () => {
            const k = this.CONSUME(Kw.within!);
            const v = this.OR2([
              { ALT: (): Arg => this.SUBRULE(this.percent) },
              { ALT: (): Arg => this.subrule(10, this.count) },
            ]);
            return clause(k, v);
          },
        },
        { ALT: () => { const k = this.CONSUME(Kw.at!); return clause(k, this.SUBRULE(this.pfn)); } },
        {
          ALT: () => {
            const k = this.CONSUME(Kw.reason!);
            const s = this.CONSUME(StringLit);
            return clause(k, { t: 'str', text: unescape(s.image ?? '""'), loc: locOfTok(s) });
          },
        },
        {
          ALT: () => {
            const k = this.CONSUME(Kw.when!);
            const items: Arg[] = [];
            this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => { const v = this.SUBRULE(this.variantRef); this.ACTION(() => items.push(v)); } });
            return clause(k, { t: 'list', items, loc: joinLoc(items[0]?.loc, items[items.length - 1]?.loc) });
          },
        },
        { ALT: () => { const w = this.SUBRULE(this.flagWord); return { key: '_', keyLoc: w?.loc ?? NOLOC, value: w, loc: w?.loc ?? NOLOC }; } },
      ],
    }))));
  clauses = this.RULE('clauses', (): Clause[] => {
    const out: Clause[] = [];
    this.MANY(() => { const c = this.SUBRULE(this.clause); this.ACTION(() => { if (c) out.push(c); }); });
    return out;
  });

  // -- operations (also what `cpu N:` accepts inside interleave)
  operation = this.RULE('operation', (): Stmt =>
    this.OR(this.alts('operation', () => [
      { ALT: () => { this.CONSUME(Kw.alloc!); return stmt('alloc', {}, this.SUBRULE(this.clauses)); } },
      ...(['free', 'pin', 'unpin', 'cma_release', 'migrate'] as const).map((k, i) => ({
        ALT: () => { this.CONSUME(Kw[k]!); const target = this.subrule(100 + i, this.target); return stmt(k, { target }, this.subrule(110 + i, this.clauses)); },
      })),
      {
        ALT: () => {
          this.CONSUME(Kw.slab!);
          return this.OR2([
            { ALT: () => { this.CONSUME(Kw.grow!); const zone = this.SUBRULE(this.zoneName); const count = this.SUBRULE(this.count); return stmt('slab_grow', { zone, count }, this.SUBRULE3(this.clauses)); } },
            { ALT: () => { this.CONSUME(Kw.shrink!); const zone = this.SUBRULE2(this.zoneName); const percent = this.SUBRULE(this.percent); return stmt('slab_shrink', { zone, percent }, this.SUBRULE4(this.clauses)); } },
          ]);
        },
      },
      { ALT: () => { this.CONSUME(Kw.drain!); return stmt('drain', {}, this.SUBRULE5(this.clauses)); } },
      { ALT: () => { this.CONSUME(Kw.report!); return stmt('report', {}, this.SUBRULE6(this.clauses)); } },
      { ALT: () => { this.CONSUME(Kw.kswapd!); return stmt('kswapd', {}, this.subrule(166, this.clauses)); } },
      { ALT: () => { this.CONSUME(Kw.kcompactd!); return stmt('kcompactd', {}, this.subrule(167, this.clauses)); } },
      {
        ALT: () => {
          this.CONSUME(Kw.sysctl!);
          const name = this.SUBRULE(this.sysctlName);
          const values = this.SUBRULE(this.sysctlValues);
          return stmt('sysctl', { name, values }, this.subrule(168, this.clauses));
        },
      },
      ...(['isolate', 'unisolate', 'alloc_contig_range', 'add_memory', 'remove_memory', 'eject'] as const).map((k, i) => ({
        ALT: () => { this.CONSUME(Kw[k]!); const range = this.subrule(120 + i, this.range); return stmt(k, { range }, this.subrule(130 + i, this.clauses)); },
      })),
      { ALT: () => { this.CONSUME(Kw.alloc_contig_pages!); const count = this.SUBRULE2(this.count); return stmt('alloc_contig_pages', { count }, this.SUBRULE8(this.clauses)); } },
      {
        ALT: () => {
          this.CONSUME(Kw.cma_alloc!);
          const area = this.SUBRULE(this.cmaRef);
          const count = this.SUBRULE3(this.count);
          return stmt('cma_alloc', { area, count }, this.SUBRULE9(this.clauses));
        },
      },
      ...(['online', 'offline'] as const).map((k, i) => ({
        ALT: () => {
          this.CONSUME(Kw[k]!);
          this.consume(140 + i, Kw.block!);
          const b = this.subrule(140 + i, this.number);
          const block = b && { ...b, role: 'block' as const };
          return stmt(k, { block }, this.subrule(150 + i, this.clauses));
        },
      })),
      { ALT: () => { this.CONSUME(Kw.compact!); const zone = this.SUBRULE3(this.zoneName); return stmt('compact', { zone }, this.subrule(160, this.clauses)); } },
      {
        ALT: () => {
          this.CONSUME(Kw.hugetlb!);
          const size = this.SUBRULE(this.size);
          return this.OR3([
            { ALT: () => { this.CONSUME(Kw.pool!); const count = this.SUBRULE2(this.number); return stmt('hugetlb_pool', { size, count }, this.subrule(161, this.clauses)); } },
            { ALT: () => { this.CONSUME(Kw.resize!); const count = this.SUBRULE3(this.number); return stmt('hugetlb_resize', { size, count }, this.subrule(162, this.clauses)); } },
            { ALT: () => { this.CONSUME(Kw.overcommit!); const count = this.subrule(175, this.number); return stmt('hugetlb_overcommit', { size, count }, this.subrule(173, this.clauses)); } },
            { ALT: () => { this.CONSUME2(Kw.alloc!); const count = this.subrule(176, this.number); return stmt('hugetlb_alloc', { size, count }, this.subrule(174, this.clauses)); } },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.virtio_mem!);
          const name = this.SUBRULE(this.deviceName);
          return this.OR4([
            {
              ALT: () => {
                const action = this.OR5([
                  { ALT: () => wordArg(this.CONSUME(Kw.plug!), 'value') },
                  { ALT: () => wordArg(this.CONSUME(Kw.unplug!), 'value') },
                ]);
                const count = this.SUBRULE4(this.count);
                return stmt('virtio_op', { name, action, count }, this.subrule(163, this.clauses));
              },
            },
            {
              ALT: () => {
                let nid: NumArg | undefined;
                this.OPTION(() => { this.CONSUME(Kw.node!); const n = this.SUBRULE4(this.number); nid = n && { ...n, role: 'nid' }; });
                const range = this.SUBRULE2(this.range);
                const d = name && { ...name, role: 'deviceDecl' as const };
                return stmt('virtio_decl', { name: d, nid, range }, this.subrule(164, this.clauses));
              },
            },
          ]);
        },
      },
    ])));

  // -- expectations
  expectBody = this.RULE('expectBody', (): Stmt =>
    this.OR(this.alts('expectBody', () => [
      {
        ALT: () => {
          this.CONSUME(Kw.node!);
          const n = this.SUBRULE(this.number);
          const field = this.SUBRULE(this.zoneField);
          const cmp = this.SUBRULE(this.cmp);
          const value = this.SUBRULE3(this.count);
          return stmt('expect_zone', { nid: n && { ...n, role: 'nid' }, field, cmp, value });
        },
      },
      {
        ALT: () => {
          const field = this.SUBRULE2(this.zoneField);
          const cmp = this.SUBRULE2(this.cmp);
          const value = this.SUBRULE4(this.count);
          return stmt('expect_zone', { field, cmp, value });
        },
      },
      {
        ALT: () => {
          const name = this.SUBRULE(this.labelRef);
          return this.OR2([
            { ALT: () => { const t = this.CONSUME(Kw.ok!); return stmt('expect_result', { name, result: wordArg(t, 'value') }); } },
            { ALT: () => { const t = this.CONSUME(Kw.fails!); return stmt('expect_result', { name, result: wordArg(t, 'value') }); } },
            { ALT: () => { const t = this.CONSUME(Errno); return stmt('expect_result', { name, result: { t: 'errno', text: t.image, loc: locOfTok(t) } }); } },
            {
              ALT: () => {
                this.CONSUME(Kw.migrated!);
                const cmp = this.SUBRULE3(this.cmp);
                const value = this.SUBRULE4(this.number);
                return stmt('expect_migrated', { name, cmp, value });
              },
            },
          ]);
        },
      },
      { ALT: () => { this.CONSUME(Kw.pageblock!); const pfn = this.SUBRULE(this.pfn); const state = this.SUBRULE(this.migratetypeWord); return stmt('expect_pageblock', { pfn, state }); } },
      { ALT: () => { this.CONSUME(Kw.page!); const pfn = this.SUBRULE2(this.pfn); const state = this.SUBRULE(this.stateWord); return stmt('expect_page', { pfn, state }); } },
      {
        ALT: () => {
          this.CONSUME(Kw.block!);
          const b = this.SUBRULE5(this.number);
          const block = b && { ...b, role: 'block' as const };
          return this.OR3({
            IGNORE_AMBIGUITIES: true,
            DEF: [
              {
                // `expect block N valid_zones "Normal Movable"`: the sysfs text (valid_zones_show)
                ALT: () => {
                  this.CONSUME(Kw.valid_zones!);
                  const s = this.CONSUME2(StringLit);
                  return stmt('expect_valid_zones', { block, text: { t: 'str', text: unescape(s.image ?? '""'), loc: locOfTok(s) } });
                },
              },
              { ALT: () => { const state = this.SUBRULE2(this.stateWord); return stmt('expect_block', { block, state }); } },
            ],
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.buddyinfo!);
          let nid: NumArg | undefined;
          this.OPTION(() => { this.CONSUME2(Kw.node!); const n = this.SUBRULE6(this.number); nid = n && { ...n, role: 'nid' }; });
          const zone = this.SUBRULE(this.zoneName);
          const cmp = this.OR4([
            { ALT: () => this.SUBRULE4(this.cmp) },
            { ALT: (): CmpArg => { const t = this.CONSUME(Tilde); return { t: 'cmp', text: '~', loc: locOfTok(t) }; } },
          ]);
          const items: Arg[] = [];
          this.AT_LEAST_ONE(() => { const v = this.SUBRULE7(this.number); this.ACTION(() => items.push({ ...v, role: 'count' })); });
          return stmt('expect_buddyinfo', { nid, zone, cmp, counts: { t: 'list', items, loc: joinLoc(items[0]?.loc, items[items.length - 1]?.loc) } });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.freelist!);
          let nid: NumArg | undefined;
          this.OPTION2(() => { this.CONSUME3(Kw.node!); const n = this.SUBRULE8(this.number); nid = n && { ...n, role: 'nid' }; });
          const zone = this.SUBRULE2(this.zoneName);
          const mt = this.SUBRULE2(this.migratetypeWord);
          this.CONSUME(Kw.order!);
          const o = this.SUBRULE9(this.number);
          const cmp = this.SUBRULE5(this.cmp);
          const value = this.SUBRULE(this.count);
          return stmt('expect_freelist', { nid, zone, mt, order: o && { ...o, role: 'order' }, cmp, value });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.hugetlb!);
          const size = this.SUBRULE(this.size);
          const field = this.SUBRULE(this.hugetlbField);
          const cmp = this.SUBRULE6(this.cmp);
          const value = this.SUBRULE2(this.count);
          return stmt('expect_hugetlb', { size, field, cmp, value });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.vmstat!);
          const counter = this.SUBRULE(this.vmstatCounter);
          const cmp = this.SUBRULE7(this.cmp);
          const value = this.subrule(20, this.count);
          return stmt('expect_vmstat', { counter, cmp, value });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.kpageflags!);
          const range = this.subrule(170, this.range);
          const flag = this.SUBRULE(this.kpfKind);
          const cmp = this.subrule(171, this.cmp);
          const value = this.subrule(172, this.count);
          return stmt('expect_kpageflags', { range, flag, cmp, value });
        },
      },
    ])));
  zoneField = this.RULE('zoneField', (): FieldArg => {
    const zone = this.SUBRULE(this.zoneName);
    this.CONSUME(Dot);
    const field = this.SUBRULE(this.fieldName);
    return { t: 'field', zone, field, loc: joinLoc(zone?.loc, field?.loc) };
  });

  // -- one statement
  statement = this.RULE('statement', (): Stmt =>
    this.OR(this.alts('statement', () => [
      { ALT: () => this.SUBRULE(this.operation) },
      { ALT: () => { this.CONSUME(Kw.kernel!); return stmt('kernel', { version: this.SUBRULE(this.kernelVersion) }); } },
      {
        ALT: () => {
          this.CONSUME(Kw.policy!);
          const name = this.SUBRULE(this.policyName);
          this.CONSUME(Equals);
          return stmt('policy', { name, value: this.SUBRULE(this.policyValue) });
        },
      },
      { ALT: () => { this.CONSUME(Kw.seed!); const n = this.SUBRULE(this.number); return stmt('seed', { value: n && { ...n, role: 'seed' } }); } },
      { ALT: () => { this.CONSUME(Kw.machine!); return stmt('machine'); } },
      { ALT: () => { this.CONSUME(Kw.interleave!); return stmt('interleave'); } },
      { ALT: () => { this.CONSUME(Kw.variant!); return stmt('variant', { name: this.SUBRULE(this.variantDecl) }); } },
      { ALT: () => { this.CONSUME2(Kw.node!); const n = this.SUBRULE2(this.number); return stmt('node', { nid: n && { ...n, role: 'nid' } }); } },
      ...(['page_size', 'memory_block_size', 'section_size', 'swap'] as const).map((k, i) => ({
        ALT: () => { this.CONSUME(Kw[k]!); const n = this.subrule(100 + i, this.count); return stmt(k, { value: n && { ...n, role: 'size' } }); },
      })),
      ...(['pageblock_order', 'max_page_order', 'cpus'] as const).map((k, i) => ({
        ALT: () => { this.CONSUME(Kw[k]!); const n = this.subrule(110 + i, this.number); return stmt(k, { value: n && { ...n, role: k === 'cpus' ? 'number' : 'order' } }); },
      })),
      ...(['memmap_on_memory', 'movable_node', 'config_cma'] as const).map((k, i) => ({
        ALT: () => { this.CONSUME(Kw[k]!); return stmt(k, { value: this.subrule(120 + i, this.onOff) }); },
      })),
      {
        ALT: () => {
          this.CONSUME(Kw.cma!);
          const name = this.SUBRULE(this.cmaDecl);
          const range = this.SUBRULE(this.range);
          return stmt('cma', { name, range }, this.SUBRULE(this.clauses));
        },
      },
      { ALT: () => { this.CONSUME(Kw.zone!); const zone = this.SUBRULE(this.zoneName); const range = this.SUBRULE2(this.range); return stmt('zone', { zone, range }); } },
      { ALT: () => { this.CONSUME(Kw.reserved!); const range = this.SUBRULE3(this.range); return stmt('reserved', { range }, this.subrule(166, this.clauses)); } },
      { ALT: () => { this.CONSUME(Kw.hole!); return stmt('hole', { range: this.SUBRULE6(this.range) }); } },
      {
        ALT: () => {
          this.CONSUME(Kw.hotplug!);
          const range = this.SUBRULE4(this.range);
          return stmt('hotplug', { range, state: this.SUBRULE(this.stateWord) }, this.subrule(165, this.clauses));
        },
      },
      { ALT: () => { this.CONSUME(Kw.page!); const pfn = this.SUBRULE(this.pfn); return stmt('page', { pfn }, this.SUBRULE2(this.clauses)); } },
      { ALT: () => { this.CONSUME(Kw.pages!); const range = this.SUBRULE5(this.range); return stmt('pages', { range }, this.SUBRULE3(this.clauses)); } },
      { ALT: () => { this.CONSUME(Kw.folio!); const pfn = this.SUBRULE2(this.pfn); return stmt('folio', { pfn }, this.SUBRULE4(this.clauses)); } },
      {
        ALT: () => {
          this.CONSUME(Kw.pageblock!);
          const pfn = this.SUBRULE3(this.pfn);
          const state = this.SUBRULE(this.migratetypeWord);
          return stmt('pageblock', { pfn, state }, this.subrule(168, this.clauses));
        },
      },
      { ALT: () => { this.CONSUME(Kw.pageset!); const zone = this.subrule(169, this.zoneName); return stmt('pageset', { zone }, this.subrule(170, this.clauses)); } },
      {
        ALT: () => {
          this.CONSUME(Kw.fill!);
          const zone = this.SUBRULE2(this.zoneName);
          const percent = this.SUBRULE(this.percent);
          return stmt('fill', { zone, percent }, this.SUBRULE5(this.clauses));
        },
      },
      { ALT: () => { this.CONSUME(Kw.checkpoint!); return stmt('checkpoint', { name: this.SUBRULE(this.checkpointDecl) }); } },
      {
        ALT: () => {
          this.CONSUME(Kw.cpu!);
          const n = this.SUBRULE4(this.number);
          this.CONSUME(Colon);
          const inner = this.SUBRULE2(this.operation);
          const s = stmt('cpu_op', { cpu: n && { ...n, role: 'cpu' } });
          s.inner = inner;
          return s;
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.schedule!);
          const items: Arg[] = [];
          this.AT_LEAST_ONE_SEP({
            SEP: Comma,
            DEF: () => {
              const c = this.CONSUME2(Kw.cpu!);
              const n = this.SUBRULE5(this.number);
              const ph = this.SUBRULE(this.phaseName);
              this.ACTION(() => items.push({ t: 'list', items: [{ ...n, role: 'cpu' }, ph], loc: joinLoc(locOfTok(c), ph?.loc) }));
            },
          });
          return stmt('schedule', { items: { t: 'list', items, loc: joinLoc(items[0]?.loc, items[items.length - 1]?.loc) } });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.expect!);
          const body = this.SUBRULE(this.expectBody);
          const clauses = this.SUBRULE6(this.clauses);
          this.ACTION(() => { if (body) body.clauses = clauses ?? []; });
          return body;
        },
      },
    ])));
}

let parserInstance: StatementParser | null = null;
/**
 * Chevrotain builds an error message from the lookahead paths of the alternation (or repetition) that failed,
 * and recomputes them from the grammar for every error: 0.3-1 ms per bad line, so 30,000 bad lines took
 * seconds. The paths depend only on the grammar (rule, occurrence, kind), so they are computed once and kept;
 * the message is then built exactly as chevrotain's raiseNoAltException / raiseEarlyExitException build it.
 */
function memoizeErrorPaths(parser: StatementParser): void {
  // chevrotain internals (not in its type declarations)
  const p = parser as unknown as {
    raiseNoAltException(occurrence: number, errMsgTypes?: string): never;
    raiseEarlyExitException(occurrence: number, prodType: unknown, userDefinedErrMsg?: string): never;
    getCurrRuleFullName(): string;
    LA(i: number): IToken;
    SAVE_ERROR(e: Error): Error;
    maxLookahead: number;
  };
  const paths = new Map<string, unknown>();
  let capture: { key: string } | null = null;
  const provider = errorMessageProvider as Required<IParserErrorMessageProvider>;
  const actual = () => {
    const a: IToken[] = [];
    for (let k = 1; k <= p.maxLookahead; k++) a.push(p.LA(k));
    return a;
  };
  // the first error of each kind goes through chevrotain (its provider call records the paths)
  const record = <A extends object>(build: (o: A) => string, field: keyof A) => (o: A): string => {
    if (capture) paths.set(capture.key, o[field]);
    capture = null;
    return build(o);
  };
  const orig = { noAlt: p.raiseNoAltException, earlyExit: p.raiseEarlyExitException };
  const msgs = {
    noAlt: record(provider.buildNoViableAltMessage, 'expectedPathsPerAlt'),
    earlyExit: record(provider.buildEarlyExitMessage, 'expectedIterationPaths'),
  };
  errorMessageProvider.buildNoViableAltMessage = msgs.noAlt;
  errorMessageProvider.buildEarlyExitMessage = msgs.earlyExit;
  p.raiseNoAltException = function (occurrence, errMsgTypes) {
    const ruleName = p.getCurrRuleFullName();
    const key = `alt:${ruleName}:${occurrence}`;
    const known = paths.get(key);
    if (known === undefined) {
      capture = { key };
      return orig.noAlt.call(p, occurrence, errMsgTypes);
    }
    const previous = p.LA(0);
    const message = provider.buildNoViableAltMessage({ expectedPathsPerAlt: known as never, actual: actual(), previous, customUserDescription: errMsgTypes as string, ruleName });
    throw p.SAVE_ERROR(new NoViableAltException(message, p.LA(1), previous));
  };
  p.raiseEarlyExitException = function (occurrence, prodType, userDefinedErrMsg) {
    const ruleName = p.getCurrRuleFullName();
    const key = `many:${ruleName}:${occurrence}:${String(prodType)}`;
    const known = paths.get(key);
    if (known === undefined) {
      capture = { key };
      return orig.earlyExit.call(p, occurrence, prodType, userDefinedErrMsg);
    }
    const previous = p.LA(0);
    const message = provider.buildEarlyExitMessage({ expectedIterationPaths: known as never, actual: actual(), previous, customUserDescription: userDefinedErrMsg as string, ruleName });
    throw p.SAVE_ERROR(new EarlyExitException(message, p.LA(1), previous));
  };
}

export function getParser(): StatementParser {
  return (parserInstance ??= new StatementParser());
}

// ------------------------------------------------------------------ the driver
/** Where each statement kind may appear. */
const PLACES: Record<string, BlockKind[]> = {
  kernel: ['top', 'variant'], policy: ['top', 'variant'], seed: ['top'], machine: ['top'], variant: ['top'], interleave: ['top'],
  page_size: ['machine'], pageblock_order: ['machine'], max_page_order: ['machine'], memory_block_size: ['machine'],
  section_size: ['machine'], swap: ['machine'], cpus: ['machine'], memmap_on_memory: ['machine'], movable_node: ['machine'], config_cma: ['machine'], node: ['machine'],
  cma: ['machine'], hugetlb_pool: ['machine'], virtio_decl: ['machine'],
  zone: ['node'], reserved: ['node'], hole: ['node'], hotplug: ['node'],
  cpu_op: ['interleave'], schedule: ['interleave'],
};
const BLOCK_OPENERS: Record<string, BlockKind> = { machine: 'machine', node: 'node', interleave: 'interleave', variant: 'variant' };
const WHERE: Record<BlockKind, string> = {
  top: 'at the top level',
  machine: 'inside `machine { … }`',
  node: 'inside `node N { … }`',
  interleave: 'inside `interleave { … }`',
  variant: 'inside `variant NAME { … }`',
};
export function placesOf(kind: string): BlockKind[] {
  return PLACES[kind] ?? ['top'];
}

export interface ParseResult {
  ast: FileAst;
  lexed: LexResult;
  diagnostics: Diagnostic[];
  /** `{`/`}` pairs (close null when missing), for folding and formatting */
  braces: { open: IToken; close: IToken | null }[];
  /** lines (1-based) that hold a syntax error: the formatter leaves them alone */
  brokenLines: Set<number>;
}

interface Frame { block: Block | null; ctx: BlockKind; body: Stmt[]; openTok: IToken | null }

/** how many texts were parsed (features must reuse the cached analysis, not parse again: tested) */
export const parseStats = { files: 0 };

export function parseFile(text: string): ParseResult {
  parseStats.files++;
  const lexed = lex(text);
  const diagnostics: Diagnostic[] = [];
  const brokenLines = new Set<number>();
  const report = (loc: Loc, message: string, source = 'syntax') => {
    if (diagnostics.length < MAX_DIAGNOSTICS) diagnostics.push({ loc, severity: 'error', message, source });
    for (let l = loc.line; l <= loc.endLine && l < loc.line + 1000; l++) brokenLines.add(l);
  };
  for (const ll of lexed.longLines) reportLongLine(ll, report);
  const lexErrs = lexed.errors;
  for (const e of lexErrs) reportLexError(text, e, report);

  const all: Stmt[] = [];
  const braces: { open: IToken; close: IToken | null }[] = [];
  const driver = new StatementDriver(report, (s) => all.push(s), true, braces);
  for (const e of lexErrs) driver.lexErrorAt(e.offset);
  driver.push(lexed.tokens);
  const top = driver.end(text.length);
  top.loc = { line: 1, col: 1, endLine: Math.max(1, text.split('\n').length), endCol: 1 };
  return { ast: { top, all }, lexed, diagnostics, braces, brokenLines };
}

function reportLongLine(ll: { line: number; length: number }, report: (loc: Loc, message: string) => void): void {
  report({ line: ll.line, col: 1, endLine: ll.line, endCol: 2 }, `line too long (${ll.length} characters, at most ${20000}): not parsed`);
}
function reportLexError(text: string, e: { offset: number; length: number; line: number; col: number }, report: (loc: Loc, message: string) => void): void {
  const s = text.substr(e.offset, Math.min(e.length, 12));
  const shown = JSON.stringify(s).slice(1, -1);
  report({ line: e.line, col: e.col, endLine: e.line, endCol: e.col + e.length }, `unexpected character${e.length > 1 ? 's' : ''} \`${shown}${e.length > 12 ? '…' : ''}\``);
}

/**
 * Splits a token stream into statements and blocks (the file's driver): tokens are pushed in order, in one piece
 * (parseFile) or chunk by chunk (parseStream); each statement is handed to `onPlace` as it is placed in its block,
 * in source order (a block's header before its statements). `keepTop` false: top-level statements are not kept
 * in the top block's body (the caller takes them from `onPlace`), so a streamed file keeps no syntax tree.
 */
class StatementDriver {
  private readonly top: Block = { kind: 'top', open: NOLOC, close: null, body: [], loc: NOLOC };
  private readonly stack: Frame[] = [{ block: this.top, ctx: 'top', body: this.top.body, openTok: null }];
  private readonly openBraces: number[] = [];
  /** braces seen, when kept (parseFile), else only a count so openBraces indexes stay meaningful */
  private braceCount = 0;
  private cur: IToken[] = [];
  /** start offsets of the lexer errors, in order; lexIdx: the first not before the current statement */
  private lexErrs: number[] = [];
  private lexIdx = 0;
  private readonly parser = getParser();
  private last: Stmt | undefined;

  constructor(
    private readonly report: (loc: Loc, message: string, source?: string) => void,
    /** `top`: the statement is in the top-level block's body (not inside any block) */
    private readonly onPlace: (s: Stmt, top: boolean) => void,
    private readonly keepTop: boolean,
    private readonly braces: { open: IToken; close: IToken | null }[] | null,
  ) {}

  lexErrorAt(offset: number): void {
    // offsets already passed are never looked at again: forget them (a streamed file keeps only the recent ones)
    if (this.lexIdx > 1024 && this.lexIdx === this.lexErrs.length) { this.lexErrs = []; this.lexIdx = 0; }
    this.lexErrs.push(offset);
  }

  private parseStmt(toks: IToken[], endOffset: number): Stmt {
    const { report, parser, lexErrs } = this;
    const first = toks[0]!;
    const last = toks[toks.length - 1]!;
    const loc = spanLoc(first, last);
    // lexer errors inside the statement: already reported, and the statement is not trusted
    while (this.lexIdx < lexErrs.length && lexErrs[this.lexIdx]! < first.startOffset) this.lexIdx++;
    const lexBroken = this.lexIdx < lexErrs.length && lexErrs[this.lexIdx]! < endOffset;
    let s: Stmt | undefined;
    if (toks.length > MAX_STATEMENT_TOKENS) {
      report(loc, `statement too long (${toks.length} tokens): not parsed`);
      s = undefined;
    } else {
      parser.input = toks;
      // chevrotain reports a syntax error by throwing (and catching) an Error: its stack trace is never read
      // and capturing it is most of the cost of a bad line
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        s = parser.statement();
      } catch {
        s = undefined;
      } finally {
        Error.stackTraceLimit = limit;
      }
      const errs = parser.errors;
      if (errs.length) {
        // an unterminated string is reported once, below, not again as a parse error
        if (!lexBroken && !toks.some((t) => t.tokenType === BadString)) {
          const e = errs[0]!;
          const t = e.token;
          const eloc = t && t.tokenType !== EOF && Number.isFinite(t.startOffset) ? tokLoc(t) : loc;
          report(eloc, e.message);
        }
        if (s) s.broken = true;
      }
    }
    const bad = toks.find((t) => t.tokenType === BadString);
    if (bad) report(tokLoc(bad), 'unterminated string: a string ends with `"` on the same line');
    const out: Stmt = s && typeof s === 'object' && typeof s.kind === 'string' ? s : stmt('error');
    out.loc = loc;
    out.headLoc = tokLoc(first);
    if (!s || lexBroken || bad || toks.length > MAX_STATEMENT_TOKENS) out.broken = true;
    if (out.inner) {
      // the inner operation starts after `cpu N:`
      const colon = toks.findIndex((t) => t.tokenType === Colon);
      if (colon >= 0 && colon + 1 < toks.length) {
        out.inner.loc = spanLoc(toks[colon + 1]!, last);
        out.inner.headLoc = tokLoc(toks[colon + 1]!);
      } else {
        out.inner.loc = loc;
        out.inner.headLoc = loc;
      }
      out.inner.broken = out.broken;
    }
    return out;
  }

  private frame(): Frame {
    return this.stack[this.stack.length - 1]!;
  }
  private place(s: Stmt): void {
    const f = this.frame();
    const top = f.body === this.top.body;
    if (!top || this.keepTop) f.body.push(s);
    this.last = s;
    if (s.kind !== 'error') {
      const places = placesOf(s.kind);
      if (!places.includes(f.ctx)) {
        const head = s.kind.replace(/_(pool|decl|op|grow|shrink|resize)$/, '').replace(/^expect_.*/, 'expect').replace('cpu_op', 'cpu N:');
        this.report(s.headLoc, `\`${head}\` is not allowed ${WHERE[f.ctx]}; it belongs ${places.map((p) => WHERE[p]).join(' or ')}`, 'semantic');
        s.broken = true;
      }
    }
    this.onPlace(s, top);
  }
  private flush(endOffset: number): void {
    if (this.cur.length) this.place(this.parseStmt(this.cur, endOffset));
    this.cur = [];
  }

  /** the next tokens of the file, in order */
  push(toks: IToken[]): void {
    const { stack, report } = this;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      const tt = t.tokenType;
      if (tt === Newline || tt === Semi) {
        this.flush(t.startOffset);
      } else if (tt === LBrace) {
        this.openBraces.push(this.braceCount++);
        this.braces?.push({ open: t, close: null });
        const header = this.cur;
        this.cur = [];
        const f = this.frame();
        if (!header.length) {
          report(tokLoc(t), '`{` must follow `machine`, `node N`, `interleave` or `variant NAME` on the same line');
          stack.push({ block: null, ctx: f.ctx, body: f.body, openTok: t });
          continue;
        }
        const s = this.parseStmt(header, t.startOffset);
        const kind = BLOCK_OPENERS[s.kind];
        if (!kind) {
          this.place(s);
          if (s.kind !== 'error') report(tokLoc(t), `\`${t.image}\`: this statement does not open a block`);
          stack.push({ block: null, ctx: f.ctx, body: f.body, openTok: t });
          continue;
        }
        const block: Block = { kind, open: tokLoc(t), close: null, body: [], loc: joinLoc(s.loc, tokLoc(t)) };
        s.block = block;
        this.place(s);
        if (!placesOf(s.kind).includes(f.ctx)) {
          // misplaced block (already reported): its statements are checked where the block sits
          stack.push({ block: null, ctx: f.ctx, body: f.body, openTok: t });
        } else {
          stack.push({ block, ctx: kind, body: block.body, openTok: t });
        }
      } else if (tt === RBrace) {
        this.flush(t.startOffset);
        if (stack.length > 1) {
          const f = stack.pop()!;
          const open = this.openBraces.pop()!;
          if (this.braces) this.braces[open]!.close = t;
          if (f.block) {
            f.block.close = tokLoc(t);
            f.block.loc = joinLoc(f.block.loc, tokLoc(t));
          }
        } else {
          report(tokLoc(t), 'unmatched `}`');
        }
      } else {
        this.cur.push(t);
      }
    }
  }

  /** the end of the file (`textLength` characters): the last statement, blocks left open; the top block */
  end(textLength: number): Block {
    this.flush(textLength);
    const { stack } = this;
    while (stack.length > 1) {
      const f = stack.pop()!;
      if (f.openTok) this.report(tokLoc(f.openTok), 'missing `}` for this `{`');
      if (f.block) f.block.loc = joinLoc(f.block.loc, this.last?.loc);
    }
    return this.top;
  }
}

/** characters lexed at a time by parseStream (then up to the end of that line); tests make it small */
export const streamOptions = { chunk: 1 << 16 };

/**
 * parseFile's statements and diagnostics without its syntax tree and tokens: the text is lexed and parsed a chunk
 * of whole lines at a time, each statement handed to `onPlace` as parseFile places it (same objects, same order,
 * same Locs; top-level statements are not kept in a body), and the chunk's tokens are dropped before the next.
 * Lines are independent for the lexer (no token spans a line break), so a chunk that starts at a line start lexes
 * as that part of the whole text does, its offsets and lines moved by where it starts. Returns parseFile's
 * diagnostics (the same list: long lines, then lexer errors, then the statements', at most MAX_DIAGNOSTICS).
 * `stop` is asked before each chunk: true ends the parse there (the answer is then incomplete: the caller drops it).
 */
export function parseStream(text: string, onPlace: (s: Stmt, top: boolean) => void, stop?: () => boolean): Diagnostic[] {
  parseStats.files++;
  const longDiags: Diagnostic[] = [];
  const lexDiags: Diagnostic[] = [];
  const stmtDiags: Diagnostic[] = [];
  const into = (list: Diagnostic[]) => (loc: Loc, message: string, source = 'syntax') => {
    if (list.length < MAX_DIAGNOSTICS) list.push({ loc, severity: 'error', message, source });
  };
  const longReport = into(longDiags);
  const lexReport = into(lexDiags);
  const driver = new StatementDriver(into(stmtDiags), onPlace, false, null);
  let base = 0;
  let lineBase = 0;
  while (base < text.length) {
    if (stop?.()) return [];
    const nl = text.indexOf('\n', base + streamOptions.chunk);
    const end = nl < 0 ? text.length : nl + 1;
    const chunk = text.slice(base, end);
    const lexed = lex(chunk);
    for (const ll of lexed.longLines) reportLongLine({ line: ll.line + lineBase, length: ll.length }, longReport);
    for (const e of lexed.errors) {
      const g = { offset: e.offset + base, length: e.length, line: e.line + lineBase, col: e.col };
      reportLexError(text, g, lexReport);
      driver.lexErrorAt(g.offset);
    }
    const toks = lexed.tokens;
    if (base || lineBase) {
      for (let i = 0; i < toks.length; i++) {
        const t = toks[i]!;
        t.startOffset += base;
        if (t.endOffset !== undefined) t.endOffset += base;
        if (t.startLine !== undefined) t.startLine += lineBase;
        if (t.endLine !== undefined) t.endLine += lineBase;
      }
    }
    driver.push(toks);
    lineBase += lineBreaks(chunk);
    base = end;
  }
  driver.end(text.length);
  return [...longDiags, ...lexDiags, ...stmtDiags].slice(0, MAX_DIAGNOSTICS);
}

/** line breaks as the lexer counts them (Newline: \r\n, \r or \n) */
function lineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) { n++; if (s.charCodeAt(i + 1) === 10) i++; }
  }
  return n;
}
