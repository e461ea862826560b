// The syntax tree of a .mmscn file. Every node carries its source range (Loc: 1-based, endCol exclusive).
// Statements share one shape: a head keyword, named positional arguments and trailing clauses; lowering
// (lower.ts) reads the arguments each statement kind defines.
import type { Loc } from '../sim/scenario.js';

/** What a value stands for where it appears; drives hover, completion and semantic highlighting. */
export type Role =
  | 'pfn' | 'count' | 'order' | 'cpu' | 'nid' | 'block' | 'size' | 'seed' | 'number' | 'percent' | 'value'
  | 'zone' | 'field' | 'migratetype' | 'kind' | 'flag' | 'gfp' | 'policy' | 'policyValue' | 'version'
  | 'labelDecl' | 'labelRef' | 'cmaDecl' | 'cmaRef' | 'deviceDecl' | 'deviceRef' | 'variantDecl' | 'variantRef'
  | 'checkpointDecl' | 'phase' | 'state' | 'errno' | 'string' | 'cmp' | 'mode';

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

export interface Stmt {
  /** statement kind: the head keyword, refined (`hugetlb_pool`, `slab_grow`, `expect_zone`, `cpu_op` …) */
  kind: string;
  loc: Loc;
  headLoc: Loc;
  args: Record<string, Arg | undefined>;
  clauses: Clause[];
  /** `cpu N: OP` inside interleave */
  inner?: Stmt;
  /** the block this statement opens (`machine {`, `node 0 {` …) */
  block?: Block;
  /** syntax errors inside: the statement is reported and not lowered */
  broken: boolean;
}

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
    for (const a of Object.values(st.args)) push(a);
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
