// The syntax tree of a .mmscn file. Every node carries its source range (Loc: 1-based, endCol exclusive).
// Statements share one shape: a head keyword, named positional arguments and trailing clauses; each kind
// has its own arguments (StmtArgs), which lowering (lower.ts) reads.
import type { Loc } from '../sim/scenario.js';

/** What a value stands for where it appears; drives hover, completion and semantic highlighting. */
export type Role =
  | 'pfn' | 'count' | 'order' | 'cpu' | 'nid' | 'block' | 'size' | 'seed' | 'number' | 'percent' | 'value'
  | 'zone' | 'field' | 'migratetype' | 'kind' | 'flag' | 'gfp' | 'policy' | 'policyValue' | 'version'
  | 'labelDecl' | 'labelRef' | 'cmaDecl' | 'cmaRef' | 'deviceDecl' | 'deviceRef' | 'variantDecl' | 'variantRef'
  | 'checkpointDecl' | 'phase' | 'state' | 'errno' | 'string' | 'cmp' | 'mode' | 'sysctl';

export interface NumArg {
  t: 'num';
  raw: string;
  /** integer value of the digits; null when it does not fit in 64 bits */
  value: bigint | null;
  /** bytes per unit for sizes (K = 1024 …), 0 for a plain number */
  unit: number;
  role: Role;
  loc: Loc;
}
export interface RangeArg { t: 'range'; start: NumArg; sep: '..' | '+'; end: NumArg; loc: Loc }
export interface PctArg { t: 'pct'; value: number; raw: string; loc: Loc }
export interface WordArg { t: 'word'; text: string; role: Role; loc: Loc }
export interface StrArg { t: 'str'; text: string; loc: Loc }
export interface ErrnoArg { t: 'errno'; text: string; loc: Loc }
export interface VerArg { t: 'ver'; text: string; loc: Loc }
export interface CmpArg { t: 'cmp'; text: string; loc: Loc }
export interface ListArg { t: 'list'; items: Arg[]; loc: Loc }
export interface FieldArg { t: 'field'; zone: WordArg; field: WordArg; loc: Loc }
export type Arg = NumArg | RangeArg | PctArg | WordArg | StrArg | ErrnoArg | VerArg | CmpArg | ListArg | FieldArg;

/** A trailing clause: `as r`, `cpu 1`, `zone Normal`, or a bare flag word (key '_'). */
export interface Clause { key: string; keyLoc: Loc; value: Arg | null; loc: Loc }

export type BlockKind = 'top' | 'machine' | 'node' | 'interleave' | 'variant';

/**
 * The arguments of each statement kind, by kind: the parser fills them, lowering (lower.ts) reads them.
 * Every argument may be missing (the parser recovers from syntax errors; a broken statement is not lowered).
 * A new statement kind is added here, in the parser and in the lowering table of its group: the compiler
 * then insists on a lowering function for it.
 */
/** Operations and population statements: one `Operation` each (lower.ts OPERATIONS). */
export interface OperationArgs {
  page: { pfn?: NumArg };
  pages: { range?: RangeArg };
  folio: { pfn?: NumArg };
  pageblock: { pfn?: NumArg; state?: WordArg };
  pageset: { zone?: WordArg };
  fill: { zone?: WordArg; percent?: PctArg };
  alloc: Record<never, never>;
  free: { target?: WordArg | NumArg };
  pin: { target?: WordArg | NumArg };
  unpin: { target?: WordArg | NumArg };
  migrate: { target?: WordArg | NumArg };
  cma_release: { target?: WordArg | NumArg };
  slab_grow: { zone?: WordArg; count?: NumArg };
  slab_shrink: { zone?: WordArg; percent?: PctArg };
  drain: Record<never, never>;
  report: Record<never, never>;
  kswapd: Record<never, never>;
  kcompactd: Record<never, never>;
  /** `sysctl vm.NAME [=] VALUE…` */
  sysctl: { name?: WordArg; values?: ListArg };
  isolate: { range?: RangeArg };
  unisolate: { range?: RangeArg };
  alloc_contig_range: { range?: RangeArg };
  add_memory: { range?: RangeArg };
  remove_memory: { range?: RangeArg };
  eject: { range?: RangeArg };
  alloc_contig_pages: { count?: NumArg };
  cma_alloc: { area?: WordArg; count?: NumArg };
  online: { block?: NumArg };
  offline: { block?: NumArg };
  hugetlb_resize: { size?: NumArg; count?: NumArg };
  hugetlb_overcommit: { size?: NumArg; count?: NumArg };
  hugetlb_alloc: { size?: NumArg; count?: NumArg };
  compact: { zone?: WordArg };
  virtio_op: { name?: WordArg; action?: WordArg; count?: NumArg };
}
/** `expect …`: one `Expectation` each (lower.ts EXPECTATIONS). */
export interface ExpectArgs {
  expect_result: { name?: WordArg; result?: WordArg | ErrnoArg };
  expect_migrated: { name?: WordArg; cmp?: CmpArg; value?: NumArg };
  expect_zone: { nid?: NumArg; field?: FieldArg; cmp?: CmpArg; value?: NumArg };
  expect_pageblock: { pfn?: NumArg; state?: WordArg };
  expect_page: { pfn?: NumArg; state?: WordArg };
  expect_block: { block?: NumArg; state?: WordArg };
  /** cmp `==`, or `~` with a `within` clause (a tolerance per order) */
  expect_buddyinfo: { nid?: NumArg; zone?: WordArg; cmp?: CmpArg; counts?: ListArg };
  expect_valid_zones: { block?: NumArg; text?: StrArg };
  expect_vmstat: { counter?: WordArg; cmp?: CmpArg; value?: NumArg };
  expect_kpageflags: { range?: RangeArg; flag?: WordArg; cmp?: CmpArg; value?: NumArg };
  expect_freelist: { nid?: NumArg; zone?: WordArg; mt?: WordArg; order?: NumArg; cmp?: CmpArg; value?: NumArg };
  expect_hugetlb: { size?: NumArg; field?: WordArg; cmp?: CmpArg; value?: NumArg };
}
/** Scalar settings inside `machine { … }` (lower.ts SETTINGS). */
export interface SettingArgs {
  page_size: { value?: NumArg };
  pageblock_order: { value?: NumArg };
  max_page_order: { value?: NumArg };
  memory_block_size: { value?: NumArg };
  section_size: { value?: NumArg };
  swap: { value?: NumArg };
  cpus: { value?: NumArg };
  memmap_on_memory: { value?: WordArg };
  movable_node: { value?: WordArg };
  config_cma: { value?: WordArg };
}
/** Declarations inside `machine { … }` after the settings (lower.ts DECLARATIONS). */
export interface DeclArgs {
  node: { nid?: NumArg };
  cma: { name?: WordArg; range?: RangeArg };
  hugetlb_pool: { size?: NumArg; count?: NumArg };
  virtio_decl: { name?: WordArg; nid?: NumArg; range?: RangeArg };
}
/** Inside `node N { … }` (lower.ts NODE_PARTS). */
export interface NodePartArgs {
  zone: { zone?: WordArg; range?: RangeArg };
  reserved: { range?: RangeArg };
  hole: { range?: RangeArg };
  hotplug: { range?: RangeArg; state?: WordArg };
}
/** Top-level configuration, lowered before the steps (lower.ts CONFIG). */
export interface ConfigArgs {
  machine: Record<never, never>;
  kernel: { version?: VerArg };
  policy: { name?: WordArg; value?: WordArg | NumArg };
  seed: { value?: NumArg };
  variant: { name?: WordArg };
}
/** Steps that are not operations or expectations, and the statements of `interleave { … }`. */
export interface OtherArgs {
  interleave: Record<never, never>;
  checkpoint: { name?: WordArg };
  cpu_op: { cpu?: NumArg };
  schedule: { items?: ListArg };
  /** a statement that did not parse (always broken) */
  error: Record<never, never>;
}
export type StmtArgs = OperationArgs & ExpectArgs & SettingArgs & DeclArgs & NodePartArgs & ConfigArgs & OtherArgs;
export type StmtKind = keyof StmtArgs;
export type OperationKind = keyof OperationArgs;
export type ExpectKind = keyof ExpectArgs;
export type SettingKind = keyof SettingArgs;
export type DeclKind = keyof DeclArgs;
export type NodePartKind = keyof NodePartArgs;
export type ConfigKind = keyof ConfigArgs;

interface StmtBase {
  loc: Loc;
  headLoc: Loc;
  clauses: Clause[];
  /** `cpu N: OP` inside interleave */
  inner?: Stmt;
  /** the block this statement opens (`machine {`, `node 0 {` …) */
  block?: Block;
  /** syntax errors inside: the statement is reported and not lowered */
  broken: boolean;
}
/** A statement of one kind. */
export interface StmtOf<K extends StmtKind> extends StmtBase {
  /** statement kind: the head keyword, refined (`hugetlb_pool`, `slab_grow`, `expect_zone`, `cpu_op` …) */
  kind: K;
  args: StmtArgs[K];
}
/** Any statement: a union discriminated by `kind`. */
export type Stmt = { [K in StmtKind]: StmtOf<K> }[StmtKind];

export interface Block {
  kind: BlockKind;
  /** the `{` and (when present) the `}` */
  open: Loc;
  close: Loc | null;
  body: Stmt[];
  loc: Loc;
}

export interface FileAst {
  top: Block;
  /** every statement in source order, including block headers and statements in nested blocks */
  all: Stmt[];
}

/** A statement's argument by name, for tools that read any statement alike (outline, hover); lowering reads `s.args`. */
export function argNamed(s: Stmt, key: string): Arg | undefined {
  return (s.args as Partial<Record<string, Arg>>)[key];
}

/** Every Arg inside a statement (and its inner `cpu N:` operation), depth-first, without recursion on nesting. */
export function argsOf(s: Stmt): Arg[] {
  const out: Arg[] = [];
  const push = (a: Arg | null | undefined) => {
    if (!a) return;
    out.push(a);
    if (a.t === 'range') {
      out.push(a.start, a.end);
    } else if (a.t === 'list') {
      for (const i of a.items) push(i);
    } else if (a.t === 'field') {
      out.push(a.zone, a.field);
    }
  };
  for (const st of s.inner ? [s, s.inner] : [s]) {
    for (const a of Object.values(st.args) as (Arg | undefined)[]) push(a);
    for (const c of st.clauses) push(c.value);
  }
  return out;
}

export function contains(loc: Loc, line: number, col: number): boolean {
  if (line < loc.line || line > loc.endLine) return false;
  if (line === loc.line && col < loc.col) return false;
  if (line === loc.endLine && col > loc.endCol) return false;
  return true;
}
