// Lowering: syntax tree → Scenario (src/sim/scenario.ts), with the semantic checks that need the
// statement's meaning (names, units, alignment, pfns inside the machine, policies, interleave schedules).
// The Lowerer class holds what lowering has seen (names, the machine) and the shared checks; each statement kind
// has one lowering function in the tables at the end (OPERATIONS, EXPECTATIONS, CONFIG, SETTINGS, DECLARATIONS,
// NODE_PARTS), typed by the kinds of ast.ts so that a kind without one does not compile.
import type {
  Loc, Scenario, MachineSpec, NodeSpec, Step, OpStep, Operation, Expectation, Variant, Policies, PolicyName,
  KernelPreset, ZoneName, ZoneRef, Target, Migratetype, PageKind, PageModifier, FillClass, Errno, Cmp, ZoneField,
  PageStateName,
} from '../sim/scenario.js';
import { KERNEL_PRESETS, ERRNOS, ZONE_FIELDS, PAGEBLOCK_TYPES } from '../sim/scenario.js';
import { POLICY_VALUES } from '../sim/policies.js';
import type {
  Arg, Block, Clause, CmpArg, FileAst, NumArg, PctArg, Stmt, StmtKind, StmtOf, WordArg, OperationKind, ExpectKind, SettingKind, DeclKind,
  NodePartKind, ConfigKind,
} from './ast.js';
import type { Diagnostic } from './types.js';
import {
  STMT_INFO, KINDS, MODIFIERS, FILL_CLASSES, ALLOC_MIGRATETYPES, ONLINE_TYPES, ISOLATE_MODES, PAGE_STATES, GFP_FLAGS,
  EXPECT_CLAUSES,
} from './docs.js';
import { VM_COUNTERS, VM_NOT_MODELLED } from '../sim/vmstat.js';
import { KPF_KINDS, KPF_NOT_MODELLED } from '../sim/kpageflags-kinds.js';
import { SYSCTLS, SYSCTL_NAMES, UNMODELLED_SYSCTLS } from '../sim/sysctl-state.js';
import { populationError } from '../sim/population-rules.js';
import { KEYWORD_SET, RESERVED } from './lexer.js';
import { didYouMean, MAX_DIAGNOSTICS } from './parser.js';
import { Layout, validateMachine, rangeText, isPow2, zoneKernelName } from './validate.js';
import { hex, ZONE_NAMES, MIGRATETYPE_NAMES, PAGE_SIZE } from '../shared/format.js';


export type NameKind = 'label' | 'cma' | 'device' | 'variant' | 'checkpoint';
export interface NameDef { name: string; kind: NameKind; loc: Loc; /** the defining statement's kind */ stmt: string }

export interface Lowered {
  /** best effort, even with errors (for hover and completion) */
  scenario: Scenario;
  diagnostics: Diagnostic[];
  names: NameDef[];
  layout: Layout;
}

const NAME_WORDS: Record<NameKind, string> = { label: 'operation', cma: 'CMA area', device: 'virtio-mem device', variant: 'variant', checkpoint: 'checkpoint' };
/** `expect … always|sometimes` (issue 9) */
const QUANTIFIERS = ['always', 'sometimes'] as const;

/** The statement as the user wrote its head: `slab grow`, `hugetlb`, `virtio_mem`, `expect`. */
export function headName(kind: string): string {
  if (kind.startsWith('expect_')) return 'expect';
  if (kind === 'slab_grow' || kind === 'slab_shrink') return kind.replace('_', ' ');
  if (kind === 'hugetlb_pool' || kind === 'hugetlb_resize' || kind === 'hugetlb_overcommit' || kind === 'hugetlb_alloc') return 'hugetlb';
  if (kind === 'virtio_decl' || kind === 'virtio_op') return 'virtio_mem';
  if (kind === 'cpu_op') return 'cpu N:';
  return kind;
}

export function defaultMachine(): MachineSpec {
  return {
    pageblockOrder: 9, maxPageOrder: 10, memoryBlockPages: 32768, sectionPages: 32768, cpus: 1, memmapOnMemory: 'off',
    movableNode: false, nodes: [], cma: [], hugetlb: [], virtioMem: [],
  };
}

/**
 * `memo` (default true): reuse what each unchanged top-level step statement lowered to last time, when everything it
 * read (the configuration, the names it looked up, what was freed) is the same now — an edit of one line of a long
 * scenario then lowers that line and the statements that name what it defines. Off: lower everything (the tests
 * compare both).
 */
export function lower(ast: FileAst, options: { memo?: boolean } = {}): Lowered {
  const diagnostics: Diagnostic[] = [];
  const report = (loc: Loc, message: string, severity: 'error' | 'warning' = 'error') => {
    if (diagnostics.length < MAX_DIAGNOSTICS) diagnostics.push({ loc, severity, message, source: 'semantic' });
  };
  const L = new Lowerer(report, options.memo !== false);
  const scenario = L.run(ast);
  return { scenario, diagnostics, names: L.names, layout: L.layout };
}

/**
 * lower() fed one statement at a time, in source order, for a text that is parsed as a stream and never held as a
 * syntax tree (analyzeOnce, src/language/analyze-once.ts): `names` for every statement as it is placed, `top` for
 * each top-level statement once it is complete (its block closed). lower() collects the names of the whole text
 * first and lowers every configuration statement before any step; a stream lowers each statement as it comes, which
 * gives the same answer unless something later changes what an earlier statement read:
 *  - a configuration statement after a step (the steps were checked against a machine that was not complete), or
 *  - a label declared (`as NAME`) or a variant defined after a lowering looked that name up and did not find it.
 * Then `spoiled` is set and the caller lowers again in two passes (`twoPass`: every name and configuration first,
 * then the steps of a second parse). The diagnostics come out in lower()'s order (names, configuration, steps, end).
 * `names` of the result may list a variant after a CMA area or device declared before it (lower() lists variants first).
 */
export class StreamLowering {
  spoiled = false;
  private readonly L: Lowerer;
  /** diagnostics of the four phases of Lowerer.run, each capped as lower() caps the whole */
  private readonly diags: Diagnostic[][] = [[], [], [], []];
  private phase = 0;
  private committed = false;
  private readonly missingLabels = new Set<string>();
  private missingVariant = false;

  constructor(readonly twoPass = false) {
    this.L = new Lowerer((loc, message, severity = 'error') => {
      const list = this.diags[this.phase]!;
      if (list.length < MAX_DIAGNOSTICS) list.push({ loc, severity, message, source: 'semantic' });
    }, false);
    if (twoPass) return;
    this.L.onMissing = (map, key) => {
      if (this.phase === 0) return; // the names pass's own look-ups (a duplicate variant)
      if (map === 1) this.missingLabels.add(key);
      else if (map === 0 && key.startsWith('variant:')) this.missingVariant = true;
    };
    this.L.onLateLabel = (name) => { if (this.missingLabels.has(name)) this.spoiled = true; };
  }

  /** every statement, as it is placed (a block's header before its statements) */
  names(s: Stmt): void {
    if (!s.broken && s.kind === 'variant' && this.missingVariant) this.spoiled = true;
    const p = this.phase;
    this.phase = 0;
    this.L.collectNames(s);
    this.phase = p;
  }
  /** every top-level statement, complete; `steps` false: configuration only (the first of two passes) */
  top(s: Stmt, steps = true): void {
    if (s.broken) return;
    if (isConfig(s)) {
      if (this.committed) { this.spoiled = true; return; }
      this.phase = 1;
      lowerConfig(this.L, s);
    } else if (steps) {
      this.commit();
      this.phase = 2;
      this.L.lowerStep(s, 0);
    }
  }
  /** the configuration is complete */
  commit(): void {
    if (this.committed) return;
    this.committed = true;
    this.phase = 1;
    this.L.endConfig();
  }
  finish(): Lowered {
    this.commit();
    this.phase = 3;
    const scenario = this.L.finish();
    const diagnostics = this.diags.flat().slice(0, MAX_DIAGNOSTICS);
    return { scenario, diagnostics, names: this.L.names, layout: this.L.layout };
  }
}

// ------------------------------------------------------------------ memo of step statements
/** what lowering one top-level step statement read and did, to replay it when the reads are unchanged */
interface StmtMemo {
  /** configuration generation it was lowered under */
  gen: number;
  /** reads and writes in order: [write?, map (0 defs, 1 declaredLater, 2 freedAt), key, value seen / written];
   *  a write to defs also pushes the name */
  events: [boolean, number, string, unknown][];
  diags: [Loc, string, 'error' | 'warning'][];
  steps: Step[];
  /** some read comes after a write of the same key by this statement */
  readsOwnWrites: boolean;
}
const memos = new WeakMap<Stmt, StmtMemo>();
/** at most this many copies of one `every … count N` statement (each becomes a step) */
const MAX_REPEAT = 2 ** 22;

function asClause(cs: Clause[]): Clause | undefined {
  for (let i = 0; i < cs.length; i++) if (cs[i]!.key === 'as') return cs[i];
  return undefined;
}
/** the configuration statements of the last lowering (objects), and its generation */
let lastConfig: Stmt[] = [];
let generation = 0;

class Lowerer {
  names: NameDef[] = [];
  private defs = new Map<string, NameDef>(); // key kind:name
  private declaredLater = new Map<string, Loc>(); // label name → first declaration (any position)
  private freedAt = new Map<string, Loc>(); // label name → the `free`/`cma_release` statement that freed its pages
  machine = defaultMachine();
  layout = new Layout(this.machine);
  private kernel: KernelPreset = 'latest';
  private policies: Partial<Policies> = {};
  private seed = 0;
  private variants: Variant[] = [];
  private steps: Step[] = [];
  hasMachine = false;
  private kernelSeen: Loc | null = null;
  private seedSeen: Loc | null = null;

  /** the statement being recorded (memo on) */
  private rec: StmtMemo | null = null;
  /** false once the statement read something the memo cannot check (the list of all names) */
  private cacheable = true;
  readonly report: (loc: Loc, message: string, severity?: 'error' | 'warning') => void;

  constructor(report: (loc: Loc, message: string, severity?: 'error' | 'warning') => void, private readonly memo = false) {
    this.report = (loc, message, severity = 'error') => {
      this.rec?.diags.push([loc, message, severity]);
      report(loc, message, severity);
    };
  }

  read(map: number, key: string): unknown {
    const v = map === 0 ? this.defs.get(key) : map === 1 ? this.declaredLater.get(key) : this.freedAt.get(key);
    this.rec?.events.push([false, map, key, v]);
    if (v === undefined && this.onMissing) this.onMissing(map, key);
    return v;
  }
  write(map: number, key: string, v: unknown): void {
    if (map === 0) { this.defs.set(key, v as NameDef); this.names.push(v as NameDef); } else this.freedAt.set(key, v as Loc);
    this.rec?.events.push([true, map, key, v]);
  }

  private lowerStepUncached(s: Stmt): void {
    if (isOperation(s)) {
      const step = this.lowerOp(s, null);
      if (step) this.steps.push(step);
      // `every STRIDE count N`: the population statement's copies, STRIDE pages apart (one step each)
      const rep = this.repeat;
      this.repeat = null;
      if (step && rep) {
        const op = step.op;
        for (let k = 1; k < rep.count; k++) {
          const d = k * rep.every;
          if (op.op === 'page') this.steps.push({ ...step, op: { ...op, start: op.start + d, end: op.end + d } });
          else if (op.op === 'folio') this.steps.push({ ...step, op: { ...op, pfn: op.pfn + d } });
          else if (op.op === 'pageblock') this.steps.push({ ...step, op: { ...op, pfn: op.pfn + d } });
        }
      }
      return;
    }
    if (isExpectation(s)) {
      const e = this.lowerExpect(s);
      if (e) this.steps.push(e);
      return;
    }
    switch (s.kind) {
      case 'interleave':
        if (s.block) this.lowerInterleave(s);
        return;
      case 'checkpoint': {
        const n = s.args.name;
        if (n) { this.define('checkpoint', n, s.kind); this.steps.push({ kind: 'checkpoint', name: n.text, loc: s.loc }); }
        return;
      }
      default:
        // configuration is lowered before the steps, and every other kind belongs inside a block: the parser marks
        // it broken anywhere else (placesOf), so it never gets here. Say so rather than drop it.
        this.report(s.headLoc, `internal error: \`${headName(s.kind)}\` reached the steps of the scenario and was not lowered (a bug in mmscn)`);
    }
  }

  /** set by lowerOp for a population statement with `every STRIDE count N` (expanded by lowerStepUncached) */
  private repeat: { every: number; count: number } | null = null;

  /** `every STRIDE count N` of a `page`, `pages`, `folio` or `pageblock`: checked, or null (reported) */
  private repeatOf(by: Map<string, Clause>, op: Operation, forcedCpu: number | null): { every: number; count: number } | null | undefined {
    const ev = by.get('every'), cn = by.get('count');
    if (!ev && !cn) return undefined;
    if (!ev || !cn) { this.report((ev ?? cn)!.keyLoc, '`every STRIDE` and `count N` go together: the statement repeated N times, STRIDE pages apart'); return null; }
    if (forcedCpu !== null) { this.report(ev.keyLoc, '`every` repeats a population statement: not inside `interleave`'); return null; }
    if (by.has('as')) { this.report(ev.keyLoc, '`every` cannot be used with `as NAME`'); return null; }
    const every = this.pages(ev.value ?? undefined, 'the stride');
    const count = this.pages(cn.value ?? undefined, 'the count');
    if (every === null || count === null) return null;
    const pb = 2 ** this.machine.pageblockOrder;
    const [start, len] = op.op === 'page' ? [op.start, op.end - op.start] : op.op === 'folio' ? [op.pfn, 2 ** op.order] : op.op === 'pageblock' ? [op.pfn, 1] : [0, 0];
    if (count < 1 || count > MAX_REPEAT) { this.report(cn.loc, `count must be 1 to ${MAX_REPEAT}`); return null; }
    if (every < len) { this.report(ev.loc, `the stride ${every} is shorter than what is repeated (${len} pages): the copies would overlap`); return null; }
    if (op.op === 'folio' && every % len) { this.report(ev.loc, `the stride ${every} is not a multiple of the folio's ${len} pages: the copies would not be aligned`); return null; }
    // each copy sets another pageblock: whole pageblocks apart (the pfn may be anywhere in the first one)
    if (op.op === 'pageblock' && every % pb) { this.report(ev.loc, `the stride ${every} is not a multiple of a pageblock (${pb} pages): the copies must set other pageblocks`); return null; }
    const last = start + (count - 1) * every;
    if (this.hasMachine && !this.layout.covers(last, last + len)) { this.report(cn.loc, `the last copy ${rangeText(last, last + len)} extends outside the machine's memory`); return null; }
    return { every, count };
  }

  /** lowers one top-level step statement, or replays its memo when what it read is unchanged */
  lowerStep(s: Stmt, gen: number): void {
    if (!this.memo) { this.lowerStepUncached(s); return; }
    const m = memos.get(s);
    if (m && m.gen === gen && this.replay(m)) return;
    const rec: StmtMemo = { gen, events: [], diags: [], steps: [], readsOwnWrites: false };
    const before = this.steps.length;
    this.rec = rec;
    this.cacheable = true;
    try {
      this.lowerStepUncached(s);
    } finally {
      this.rec = null;
    }
    rec.steps = this.steps.slice(before);
    const written = new Set<string>();
    for (const [w, map, key] of rec.events) {
      if (w) written.add(map + ':' + key);
      else if (written.has(map + ':' + key)) rec.readsOwnWrites = true;
    }
    if (this.cacheable) memos.set(s, rec);
    else memos.delete(s);
  }

  private replay(m: StmtMemo): boolean {
    // check every read in order: nothing changes until all of them match. A statement that reads what it wrote
    // itself (an interleave naming a label one of its cpus defines) sees its own writes through an overlay.
    const ev = m.events;
    if (!m.readsOwnWrites) {
      for (let i = 0; i < ev.length; i++) {
        const e = ev[i]!;
        if (e[0]) continue;
        const map = e[1];
        if ((map === 0 ? this.defs.get(e[2]) : map === 1 ? this.declaredLater.get(e[2]) : this.freedAt.get(e[2])) !== e[3]) return false;
      }
    } else {
      const own = new Map<string, unknown>();
      for (const [w, map, key, v] of ev) {
        const k = map + ':' + key;
        if (w) { own.set(k, v); continue; }
        const cur = own.has(k) ? own.get(k) : map === 0 ? this.defs.get(key) : map === 1 ? this.declaredLater.get(key) : this.freedAt.get(key);
        if (cur !== v) return false;
      }
    }
    for (let i = 0; i < ev.length; i++) {
      const e = ev[i]!;
      if (e[0]) this.write(e[1], e[2], e[3]);
    }
    for (let i = 0; i < m.diags.length; i++) { const d = m.diags[i]!; this.report(d[0], d[1], d[2]); }
    for (let i = 0; i < m.steps.length; i++) this.steps.push(m.steps[i]!);
    return true;
  }

  run(ast: FileAst): Scenario {
    // names every statement may refer to regardless of order
    const all = ast.all;
    for (let i = 0; i < all.length; i++) this.collectNames(all[i]!);
    // configuration first: the machine must be known to check operations
    for (const s of ast.top.body) {
      if (s.broken || !isConfig(s)) continue;
      lowerConfig(this, s);
    }
    this.endConfig();
    // steps, in order (a memo of each statement is valid while the configuration statements are the same objects)
    const config: Stmt[] = ast.top.body.filter(isConfig);
    for (const s of ast.all) if (s.kind === 'variant' && !config.includes(s)) config.push(s);
    if (config.length !== lastConfig.length || config.some((s, i) => s !== lastConfig[i])) generation++;
    lastConfig = config;
    const gen = generation;
    for (const s of ast.top.body) {
      if (s.broken) continue;
      if (isConfig(s)) continue;
      this.lowerStep(s, gen);
    }
    return this.finish();
  }

  /** the first pass, over every statement in source order (nested ones too): variant names and `as` labels */
  collectNames(s: Stmt): void {
    if (s.broken) return;
    if (s.kind === 'variant') this.define('variant', s.args.name, s.kind);
    const as = asClause(s.clauses) ?? (s.inner ? asClause(s.inner.clauses) : undefined);
    if (as?.value && as.value.t === 'word' && !this.declaredLater.has(as.value.text)) {
      this.declaredLater.set(as.value.text, as.value.loc);
      this.onLateLabel?.(as.value.text);
    }
  }
  /** after every configuration statement: the machine's checks, and its layout for the steps */
  endConfig(): void {
    validateMachine(this.machine, (loc, msg, sev) => this.report(loc, msg, sev));
    this.layout = new Layout(this.machine);
  }
  /** after every step: the scenario */
  finish(): Scenario {
    if (!this.hasMachine) {
      const first = this.steps[0];
      if (first) this.report(first.loc, 'no `machine { … }` block: the scenario has no memory (add `machine { node 0 { zone Normal START..END } }`)');
    }
    return { kernel: this.kernel, policies: this.policies, seed: this.seed, machine: this.machine, variants: this.variants, steps: this.steps };
  }

  /** streamed lowering (lowerStream): told of each label collectNames records, and of each name looked up and not found */
  onLateLabel: ((name: string) => void) | null = null;
  onMissing: ((map: number, key: string) => void) | null = null;

  // ------------------------------------------------------------------ names
  define(kind: NameKind, w: WordArg | undefined, stmt: string): void {
    if (!w || w.t !== 'word') return;
    const key = kind + ':' + w.text;
    const prev = this.read(0, key) as NameDef | undefined;
    if (prev) {
      if (prev.loc !== w.loc) this.report(w.loc, `duplicate ${NAME_WORDS[kind]} name \`${w.text}\` (first defined on line ${prev.loc.line})`);
      return;
    }
    if (RESERVED.has(w.text)) { this.report(w.loc, `\`${w.text}\` is a keyword and cannot be a name`); return; }
    const d: NameDef = { name: w.text, kind, loc: w.loc, stmt };
    this.write(0, key, d);
  }
  resolve(kind: NameKind, w: WordArg | undefined): NameDef | null {
    if (!w || w.t !== 'word') return null;
    const d = this.read(0, kind + ':' + w.text) as NameDef | undefined;
    if (d) return d;
    const later = kind === 'label' ? this.read(1, w.text) as Loc | undefined : undefined;
    if (later && (later.line > w.loc.line || (later.line === w.loc.line && later.col > w.loc.col))) {
      this.report(w.loc, `\`${w.text}\` is defined later (line ${later.line}); only an earlier operation can be referred to`);
      return null;
    }
    this.cacheable = false; // reads every name
    const known = [...this.defs.values()].filter((x) => x.kind === kind).map((x) => x.name);
    const list = known.length ? `; known: ${known.slice(0, 8).join(', ')}` : '';
    this.report(w.loc, `unknown ${NAME_WORDS[kind]} \`${w.text}\`${didYouMean(w.text, known)}${list}`);
    return null;
  }

  // ------------------------------------------------------------------ numbers
  /** A plain integer (pfn, order, cpu, node, block id). */
  int(a: Arg | undefined, what: string): number | null {
    if (!a || a.t !== 'num') return null;
    if (a.value === null) { this.report(a.loc, `\`${a.raw}\` does not fit in 64 bits`); return null; }
    if (a.unit) { this.report(a.loc, `${what} is a number, not a size (\`${a.raw}\`)`); return null; }
    if (a.value > BigInt(Number.MAX_SAFE_INTEGER)) { this.report(a.loc, `\`${a.raw}\` is too large for ${what} (at most 2^53-1)`); return null; }
    return Number(a.value);
  }
  /** A page count: a plain number of pages or a size in bytes that is a whole number of pages. */
  pages(a: Arg | undefined, what: string): number | null {
    if (!a || a.t !== 'num') return null;
    if (a.value === null) { this.report(a.loc, `\`${a.raw}\` does not fit in 64 bits`); return null; }
    if (!a.unit) {
      if (a.value > BigInt(Number.MAX_SAFE_INTEGER)) { this.report(a.loc, `\`${a.raw}\` is too large for ${what}`); return null; }
      return Number(a.value);
    }
    const bytes = a.value * BigInt(a.unit);
    if (bytes % BigInt(PAGE_SIZE)) { this.report(a.loc, `${what} \`${a.raw}\` is not a whole number of 4K pages`); return null; }
    return Number(bytes / BigInt(PAGE_SIZE));
  }
  /** A size that must be given with a unit (`2M`); returns pages. */
  sizePages(a: Arg | undefined, what: string): number | null {
    if (!a || a.t !== 'num') return null;
    return this.pages(a, what);
  }
  range(a: Arg | undefined): { start: number; end: number } | null {
    if (!a || a.t !== 'range') return null;
    const r = a;
    const start = this.int(r.start, 'a pfn');
    if (start === null) return null;
    let end: number | null;
    if (r.sep === '..') end = this.int(r.end, 'a pfn');
    else {
      const n = this.pages(r.end, 'the range length');
      end = n === null ? null : start + n;
    }
    if (end === null) return null;
    if (end <= start) { this.report(r.loc, `empty range ${r.sep === '..' ? rangeText(start, end) : hex(start) + '+0'}: the end is exclusive and must be above the start`); return null; }
    return { start, end };
  }

  // ------------------------------------------------------------------ clauses
  /** Checks a statement's clauses against what it accepts; returns them by key, and the bare flag words. */
  clauses(s: Stmt, kind: string, accepts?: { clauses: string[]; flags: readonly string[] }): { by: Map<string, Clause>; flags: WordArg[] } | null {
    const info = accepts ?? STMT_INFO[kind];
    const allowed = new Set(info?.clauses ?? []);
    const flagsOk = new Set(info?.flags ?? []);
    const by = new Map<string, Clause>();
    const flags: WordArg[] = [];
    let ok = true;
    const head = headName(kind);
    for (const c of s.clauses) {
      if (c.key === '_') {
        const w = c.value as WordArg;
        if (flagsOk.has(w.text)) { flags.push(w); continue; }
        ok = false;
        if (allowed.has(w.text) || (KEYWORD_SET.has(w.text) && ['as', 'cpu', 'node', 'zone', 'order', 'align', 'gfp', 'count', 'mode', 'at', 'reason', 'when', 'block', 'order_per_bit'].includes(w.text))) {
          this.report(w.loc, `\`${w.text}\` needs a value${allowed.has(w.text) ? '' : ` (and is not an option of \`${head}\`)`}`);
        } else {
          const choices = [...flagsOk, ...allowed];
          this.report(w.loc, `unexpected \`${w.text}\` in \`${head}\`${didYouMean(w.text, choices)}${choices.length ? `; expected ${choices.slice(0, 14).join(', ')}` : ''}`);
        }
        continue;
      }
      if (!allowed.has(c.key)) {
        ok = false;
        this.report(c.keyLoc, `\`${c.key}\` is not an option of \`${head}\`${allowed.size ? ` (options: ${[...allowed].join(', ')})` : ''}`);
        continue;
      }
      if (by.has(c.key)) { ok = false; this.report(c.keyLoc, `\`${c.key}\` given twice`); continue; }
      by.set(c.key, c);
    }
    return ok ? { by, flags } : null;
  }
  cpu(c: Clause | undefined): number | null {
    if (!c) return null;
    const n = this.int(c.value ?? undefined, 'a cpu');
    if (n !== null && n >= this.machine.cpus) {
      this.report(c.loc, `cpu ${n} does not exist: the machine has ${this.machine.cpus} CPU${this.machine.cpus > 1 ? 's' : ''} (\`cpus ${this.machine.cpus}\` in machine)`);
      return null;
    }
    return n;
  }
  nid(c: Clause | NumArg | undefined): number | null {
    const a = c && 't' in c ? c : c?.value ?? undefined;
    if (!a) return null;
    const n = this.int(a, 'a node id');
    if (n !== null && this.hasMachine && !this.machine.nodes.some((x) => x.nid === n)) {
      this.report(a.loc, `node ${n} does not exist (nodes: ${this.machine.nodes.map((x) => x.nid).join(', ') || 'none'})`);
      return null;
    }
    return n;
  }
  zoneName(w: Arg | undefined | null): ZoneName | null {
    if (!w || w.t !== 'word') return null;
    if ((ZONE_NAMES as readonly string[]).includes(w.text)) return w.text as ZoneName;
    this.report(w.loc, `unknown zone \`${w.text}\`${didYouMean(w.text, ZONE_NAMES)}; zones: DMA, DMA32, Normal, Movable`);
    return null;
  }
  zoneRef(w: Arg | undefined | null, node: Clause | NumArg | undefined, op: boolean): ZoneRef | null {
    const zone = this.zoneName(w);
    if (!zone || !w) return null;
    const nid = node ? this.nid(node) : 0;
    if (nid === null) return null;
    if (this.hasMachine && op && !this.layout.hasZone(nid, zone)) {
      const n = this.machine.nodes.find((x) => x.nid === nid);
      this.report(w.loc, `node ${nid} has no ${zoneKernelName(zone)} (zones: ${n?.zones.map((z) => z.zone).join(', ') || 'none'})`);
      return null;
    }
    return { nid, zone };
  }
  oneOf<T extends string>(w: Arg | undefined | null, values: readonly T[], what: string): T | null {
    if (!w || w.t !== 'word') return null;
    if ((values as readonly string[]).includes(w.text)) return w.text as T;
    this.report(w.loc, `unknown ${what} \`${w.text}\`${didYouMean(w.text, values)}; expected one of: ${values.join(', ')}`);
    return null;
  }

  // ------------------------------------------------------------------ layout checks for operations
  checkPfn(a: Arg | undefined, pfn: number | null): boolean {
    if (pfn === null || !a) return false;
    if (!this.hasMachine) return true;
    if (!this.layout.covers(pfn, pfn + 1)) { this.report(a.loc, `pfn ${hex(pfn)} is outside every zone and hotplug range (${this.layout.describe()})`); return false; }
    return true;
  }
  /** a pfn `expect page` may name: any the machine has a struct page for (a hole of a present section included) */
  checkPagePfn(a: Arg | undefined, pfn: number | null): boolean {
    if (pfn === null || !a) return false;
    if (!this.hasMachine) return true;
    if (!this.layout.hasMemmap(pfn)) { this.report(a.loc, `pfn ${hex(pfn)} has no struct page: its section has no memory and it is outside every zone and hotplug range (${this.layout.describe()})`); return false; }
    return true;
  }
  checkRange(a: Arg | undefined, r: { start: number; end: number } | null): boolean {
    if (!r || !a) return false;
    if (!this.hasMachine) return true;
    if (!this.layout.covers(r.start, r.end)) {
      this.report(a.loc, `range ${rangeText(r.start, r.end)} is not inside the machine's zones and hotplug ranges (${this.layout.describe()})`);
      return false;
    }
    return true;
  }
  checkBlock(a: Arg | undefined, id: number | null): boolean {
    if (id === null || !a) return false;
    if (this.hasMachine && !this.layout.blockExists(id)) {
      const ids = this.layout.blockIds(64);
      this.report(a.loc, `memory block ${id} does not exist (memory blocks: ${ids.length ? `${ids[0]}..${ids[ids.length - 1]}` : 'none'}; block size ${this.machine.memoryBlockPages} pages)`);
      return false;
    }
    return true;
  }
  /** `frees`: this statement frees what the target names (`free`, `cma_release`) */
  target(a: Arg | undefined, frees = false): Target | null {
    if (!a) return null;
    if (a.t === 'word') {
      if (!this.resolve('label', a)) return null;
      // a label whose pages were freed names nothing any more: using it again is a use after free
      const freed = this.read(2, a.text) as Loc | undefined;
      if (freed) this.report(a.loc, `\`${a.text}\` was freed at line ${freed.line}`);
      else if (frees) this.write(2, a.text, a.loc);
      return { kind: 'name', name: a.text };
    }
    const pfn = this.int(a, 'a pfn');
    return this.checkPfn(a, pfn) ? { kind: 'pfn', pfn: pfn! } : null;
  }
  order(c: Clause | undefined, what: string, max: number | null): number | null {
    if (!c) return null;
    const o = this.int(c.value ?? undefined, 'an order');
    if (o === null) return null;
    if (max !== null && o > max) {
      this.report(c.loc, `${what} order ${o} is above MAX_PAGE_ORDER (${max})`);
      return null;
    }
    return o;
  }

  // ------------------------------------------------------------------ configuration
  lowerKernel(s: StmtOf<'kernel'>, into: Variant | null): void {
    const v = s.args.version;
    if (!v || v.t !== 'ver') return;
    if (!(KERNEL_PRESETS as readonly string[]).includes(v.text)) {
      this.report(v.loc, `unknown kernel preset \`${v.text}\`; presets: ${KERNEL_PRESETS.join(', ')}`);
      return;
    }
    if (into) {
      if (into.kernel) this.report(s.headLoc, `duplicate \`kernel\` in variant ${into.name}`);
      into.kernel = v.text as KernelPreset;
    } else {
      if (this.kernelSeen) this.report(s.headLoc, `duplicate \`kernel\` (first on line ${this.kernelSeen.line})`);
      this.kernelSeen = s.loc;
      this.kernel = v.text as KernelPreset;
    }
  }

  lowerPolicy(s: StmtOf<'policy'>, into: Variant | null): void {
    const nameArg = s.args.name;
    const val = s.args.value;
    if (!nameArg || !val) return;
    const allowed = POLICY_VALUES[nameArg.text as PolicyName];
    if (!allowed) {
      const names = Object.keys(POLICY_VALUES);
      this.report(nameArg.loc, `unknown policy \`${nameArg.text}\`${didYouMean(nameArg.text, names)}; policies: ${names.join(', ')}`);
      return;
    }
    const name = nameArg.text as PolicyName;
    let value: string | number;
    if (allowed === 'number') {
      if (val.t !== 'num') { this.report(val.loc, `policy ${name} takes a number, not \`${val.text}\``); return; }
      const n = this.int(val, `policy ${name}`);
      if (n === null) return;
      value = n;
    } else {
      const text = val.t === 'word' ? val.text : val.raw;
      if (!allowed.includes(text)) {
        this.report(val.loc, `invalid value \`${text}\` for policy ${name}${didYouMean(text, allowed)}; allowed: ${allowed.join(', ')}`);
        return;
      }
      value = text;
    }
    const target = into ? into.policies : this.policies;
    if (name in target) this.report(s.headLoc, `policy ${name} is set twice`, 'warning');
    (target as Record<string, string | number>)[name] = value;
  }

  lowerSeed(s: StmtOf<'seed'>): void {
    if (this.seedSeen) this.report(s.headLoc, `duplicate \`seed\` (first on line ${this.seedSeen.line})`);
    this.seedSeen = s.loc;
    this.seed = this.int(s.args.value, 'the seed') ?? 0;
  }

  lowerVariant(s: StmtOf<'variant'>): void {
    const n = s.args.name;
    if (!n) return;
    const v: Variant = { name: n.text, kernel: null, policies: {}, loc: s.loc };
    for (const c of s.block!.body) {
      if (c.broken) continue;
      if (c.kind === 'kernel') this.lowerKernel(c, v);
      else if (c.kind === 'policy') this.lowerPolicy(c, v);
    }
    if (!this.variants.some((x) => x.name === v.name)) this.variants.push(v);
  }

  lowerMachine(s: StmtOf<'machine'>): void {
    if (this.hasMachine) { this.report(s.headLoc, 'only one `machine { … }` block is allowed'); return; }
    this.hasMachine = true;
    const m = this.machine;
    const seen = new Map<string, Loc>();
    const body = s.block!.body;
    // scalar settings first, so node and device checks use the final sizes
    for (const c of body) {
      if (c.broken || !isSetting(c)) continue;
      if (seen.has(c.kind)) this.report(c.headLoc, `duplicate \`${c.kind}\` (first on line ${seen.get(c.kind)!.line})`);
      seen.set(c.kind, c.loc);
      lowerSetting(this, c);
    }
    if (m.pageblockOrder > m.maxPageOrder) this.report(s.headLoc, `pageblock_order ${m.pageblockOrder} is above max_page_order ${m.maxPageOrder}`);
    if (m.memoryBlockPages % m.sectionPages) this.report(s.headLoc, `memory_block_size (${m.memoryBlockPages} pages) must be a multiple of section_size (${m.sectionPages} pages)`);
    if (m.memoryBlockPages < 2 ** m.pageblockOrder) this.report(s.headLoc, 'memory_block_size must be at least a pageblock');
    for (const c of body) {
      if (c.broken || !isDeclaration(c)) continue;
      lowerDeclaration(this, c);
    }
  }

  powerOfTwoPages(s: StmtIn<'memory_block_size' | 'section_size'>): number | null {
    const v = s.args.value;
    const p = this.pages(v, s.kind);
    if (p === null) return null;
    if (!isPow2(p)) { this.report(v!.loc, `${s.kind} must be a power of two number of pages`); return null; }
    return p;
  }

  hugePages(a: NumArg | undefined): number | null {
    const p = this.sizePages(a, 'the huge page size');
    if (p === null) return null;
    if (p !== 512 && p !== 262144) { this.report(a!.loc, `unsupported huge page size \`${a!.raw}\`: 2M (PMD) or 1G (PUD, gigantic)`); return null; }
    return p;
  }

  // ------------------------------------------------------------------ operations and population
  lowerOp(s: StmtIn<OperationKind>, forcedCpu: number | null): OpStep | null {
    if (!STMT_INFO[s.kind]) return null;
    const cl = this.clauses(s, s.kind);
    if (!cl) return null;
    const { by, flags } = cl;
    const as = by.get('as');
    let cpu = 0;
    if (by.has('cpu') && forcedCpu !== null) {
      this.report(by.get('cpu')!.keyLoc, 'inside `interleave`, the CPU is given by `cpu N:`');
      return null;
    }
    if (forcedCpu !== null) cpu = forcedCpu;
    else if (by.has('cpu')) {
      const c = this.cpu(by.get('cpu'));
      if (c === null) return null;
      cpu = c;
    }
    const op = lowerOperation(this, s, { by, flags, cpu });
    if (as) this.define('label', as.value as WordArg, s.kind);
    if (!op) return null;
    if (op.op === 'page' || op.op === 'folio' || op.op === 'pageblock') {
      const rep = this.repeatOf(by, op, forcedCpu);
      if (rep === null) return null;
      if (rep) this.repeat = rep;
    }
    return { kind: 'op', op, name: as ? (as.value as WordArg).text : null, cpu, loc: s.loc };
  }

  flagOf<T extends string>(flags: WordArg[], values: readonly T[], what: string): T | null | undefined {
    const hits = flags.filter((f) => (values as readonly string[]).includes(f.text));
    if (hits.length > 1) { this.report(hits[1]!.loc, `only one ${what} may be given (\`${hits[0]!.text}\` and \`${hits[1]!.text}\`)`); return undefined; }
    return hits.length ? (hits[0]!.text as T) : null;
  }

  /** a range operand of an operation, inside the machine; `blockAligned`: on memory block boundaries (hotplug) */
  opRange(s: StmtIn<'isolate' | 'unisolate' | 'alloc_contig_range' | 'add_memory' | 'remove_memory' | 'eject'>, blockAligned: boolean): { start: number; end: number } | null {
    const a = s.args.range;
    const r = this.range(a);
    if (!r) return null;
    if (blockAligned) {
      const mb = this.machine.memoryBlockPages;
      if (r.start % mb || r.end % mb) {
        this.report(a!.loc, `${s.kind} range ${rangeText(r.start, r.end)} is not aligned to the memory block size (${mb} pages = ${(mb * 4) / 1024} MiB)`);
        return null;
      }
    }
    return this.checkRange(a, r) ? r : null;
  }

  gfp(c: Clause | undefined): string[] | null {
    if (!c) return [];
    const v = c.value;
    if (!v || v.t !== 'list') return null;
    const out: string[] = [];
    for (const w of v.items) {
      if (w.t !== 'word') continue;
      if (!(GFP_FLAGS as readonly string[]).includes(w.text)) {
        this.report(w.loc, `unknown GFP flag \`${w.text}\`${didYouMean(w.text, GFP_FLAGS)}`);
        return null;
      }
      out.push(w.text);
    }
    return out;
  }

  // ------------------------------------------------------------------ interleave
  lowerInterleave(s: StmtOf<'interleave'>): void {
    const ops: OpStep[] = [];
    const cpus = new Map<number, { kind: string; loc: Loc }>();
    const schedule: { cpu: number; phase: string; loc: Loc }[] = [];
    const lastPhase = new Map<number, number>();
    let broken = false;
    for (const c of s.block!.body) {
      if (c.broken) { broken = true; continue; }
      if (c.kind === 'cpu_op' && c.inner) {
        const n = this.cpu({ key: 'cpu', keyLoc: c.headLoc, value: c.args.cpu ?? null, loc: c.args.cpu?.loc ?? c.headLoc });
        if (n === null) { broken = true; continue; }
        if (cpus.has(n)) {
          this.report(c.args.cpu!.loc, `cpu ${n} already runs an operation in this interleave (line ${cpus.get(n)!.loc.line}); each CPU runs at most one`);
          broken = true;
          continue;
        }
        if (!STMT_INFO[c.inner.kind]?.op || !isOperation(c.inner)) {
          this.report(c.inner.headLoc, `\`${c.inner.kind}\` is not an operation`);
          broken = true;
          continue;
        }
        cpus.set(n, { kind: c.inner.kind, loc: c.loc });
        const st = this.lowerOp(c.inner, n);
        if (st) ops.push(st); else broken = true;
      } else if (c.kind === 'schedule') {
        const items = c.args.items;
        if (!items || items.t !== 'list') continue;
        for (const it of items.items) {
          if (it.t !== 'list') continue;
          const [cpuArg, ph] = it.items as [NumArg, WordArg];
          const n = this.int(cpuArg, 'a cpu');
          if (n === null || !ph) { broken = true; continue; }
          const owner = cpus.get(n);
          if (!owner) {
            this.report(cpuArg.loc, `cpu ${n} has no operation in this interleave (cpus: ${[...cpus.keys()].join(', ') || 'none'}); \`cpu N: OP\` lines come before \`schedule\``);
            broken = true;
            continue;
          }
          const phases = STMT_INFO[owner.kind]?.phases ?? ['run'];
          const idx = phases.indexOf(ph.text);
          if (idx < 0) {
            this.report(ph.loc, `\`${ph.text}\` is not a phase of ${owner.kind === 'cma_alloc' ? 'cma_alloc' : owner.kind}; phases: ${phases.join(', ')}`);
            broken = true;
            continue;
          }
          const last = lastPhase.get(n);
          if (last !== undefined && idx <= last) {
            this.report(ph.loc, `cpu ${n} has already passed phase \`${ph.text}\` (phases run in order: ${phases.join(' → ')})`);
            broken = true;
            continue;
          }
          lastPhase.set(n, idx);
          schedule.push({ cpu: n, phase: ph.text, loc: it.loc });
        }
      }
    }
    if (!ops.length && !broken) { this.report(s.headLoc, 'an interleave needs at least one `cpu N: OPERATION`'); return; }
    this.steps.push({ kind: 'interleave', ops, schedule, loc: s.block!.loc });
  }

  // ------------------------------------------------------------------ expectations
  lowerExpect(s: StmtIn<ExpectKind>): Step | null {
    const extra: Record<string, string[]> = { expect_pageblock: ['isolated'], expect_block: [...ZONE_NAMES] };
    const clauses = EXPECT_CLAUSES[s.kind] ?? ['when'];
    const cl = this.clauses(s, s.kind, { clauses, flags: [...(extra[s.kind] ?? []), ...QUANTIFIERS] });
    if (!cl) return null;
    const { by } = cl;
    // `always` / `sometimes`: over every schedule of the interleave before it (src/sim/explore.ts)
    const quant = cl.flags.filter((f) => (QUANTIFIERS as readonly string[]).includes(f.text));
    if (quant.length > 1) { this.report(quant[1]!.loc, 'an expectation takes one of `always` or `sometimes`'); return null; }
    const flags = cl.flags.filter((f) => !quant.includes(f));
    const variants: string[] = [];
    const when = by.get('when');
    if (when?.value?.t === 'list') {
      for (const w of when.value.items) if (w.t === 'word' && this.resolve('variant', w)) variants.push(w.text);
      if (variants.length !== when.value.items.length) return null;
    }
    const e = lowerExpectation(this, s, by, flags);
    if (!e) return null;
    return quant[0] ? { kind: 'expect', expect: e, variants, loc: s.loc, quantifier: quant[0].text as 'always' | 'sometimes' } : { kind: 'expect', expect: e, variants, loc: s.loc };
  }
}

// ------------------------------------------------------------------ one lowering function per statement kind
// Each table has an entry for every kind of its group (ast.ts): a new kind without one does not compile.

/** a statement of one of the kinds G (a member of the Stmt union) */
type StmtIn<G extends StmtKind> = Extract<Stmt, { kind: G }>;

/** what every operation has checked before its own lowering: its clauses by key, its flag words, its CPU */
interface OpContext { by: Map<string, Clause>; flags: WordArg[]; cpu: number }
type OperationLowerer<K extends OperationKind> = (L: Lowerer, s: StmtOf<K>, c: OpContext) => Operation | null;

function modifiersOf(flags: WordArg[]): PageModifier[] {
  return flags.filter((f) => (MODIFIERS as readonly string[]).includes(f.text)).map((f) => f.text as PageModifier);
}

/** `page PFN KIND` and `pages START..END KIND`: pages [start, end) of one kind (or free on a CPU's PCP list) */
function populate(L: Lowerer, s: StmtIn<'page' | 'pages'>, start: number, end: number, { by, flags, cpu }: OpContext): Operation | null {
  const kind = L.flagOf(flags, [...KINDS, 'pcp'] as const, 'page kind');
  if (kind === undefined) return null;
  if (kind === null) { L.report(s.headLoc, `\`${s.kind}\` needs a page kind: ${[...KINDS, 'pcp'].join(', ')}`); return null; }
  const modifiers = modifiersOf(flags);
  if (kind === 'pcp') {
    if (modifiers.length) { L.report(s.headLoc, 'a `pcp` page is free (zero refcount): it takes no modifiers'); return null; }
    return { op: 'page', start, end, kind, modifiers, cpu };
  }
  if (by.has('cpu')) { L.report(by.get('cpu')!.keyLoc, '`cpu N` only applies to `pcp` pages'); return null; }
  if (modifiers.includes('reclaimable') && kind !== 'slab') { L.report(s.headLoc, '`reclaimable` only applies to `slab` pages'); return null; }
  const why = populationError(kind, modifiers, null, L.machine.pageblockOrder);
  if (why) { L.report(s.headLoc, why); return null; }
  return { op: 'page', start, end, kind: kind as PageKind, modifiers };
}

function percentOf(L: Lowerer, a: PctArg | undefined): number | null | undefined {
  const pct = a?.t === 'pct' ? a.value : null;
  if (pct !== null && (pct < 0 || pct > 100)) { L.report(a!.loc, 'a percentage is between 0% and 100%'); return undefined; }
  return pct;
}

const OPERATIONS: { [K in OperationKind]: OperationLowerer<K> } = {
  page(L, s, c) {
    const start = L.int(s.args.pfn, 'a pfn');
    if (!L.checkPfn(s.args.pfn, start)) return null;
    return populate(L, s, start!, start! + 1, c);
  },
  pages(L, s, c) {
    const r = L.range(s.args.range);
    if (!L.checkRange(s.args.range, r)) return null;
    return populate(L, s, r!.start, r!.end, c);
  },
  folio(L, s, { by, flags }) {
    const a = s.args;
    const pfn = L.int(a.pfn, 'a pfn');
    if (!L.checkPfn(a.pfn, pfn)) return null;
    const oc = by.get('order');
    if (!oc) { L.report(s.headLoc, '`folio` needs `order N`'); return null; }
    const kind = L.flagOf(flags, KINDS, 'page kind');
    if (kind === undefined) return null;
    if (kind === null) { L.report(s.headLoc, `\`folio\` needs a page kind: ${KINDS.join(', ')}`); return null; }
    const order = L.order(oc, 'folio', L.machine.maxPageOrder);
    if (order === null) return null;
    if (pfn! % 2 ** order) { L.report(a.pfn!.loc, `folio pfn ${hex(pfn!)} is not aligned to its order ${order} (${2 ** order} pages)`); return null; }
    if (L.hasMachine && !L.layout.covers(pfn!, pfn! + 2 ** order)) { L.report(a.pfn!.loc, `folio ${rangeText(pfn!, pfn! + 2 ** order)} extends outside the machine's memory`); return null; }
    const modifiers = modifiersOf(flags);
    const why = populationError(kind, modifiers, order, L.machine.pageblockOrder);
    if (why) { L.report(s.headLoc, why); return null; }
    return { op: 'folio', pfn: pfn!, order, kind, modifiers };
  },
  pageblock(L, s) {
    const pfn = L.int(s.args.pfn, 'a pfn');
    if (!L.checkPfn(s.args.pfn, pfn)) return null;
    const w = s.args.state;
    if (!w) return null;
    const mt = L.oneOf(w, PAGEBLOCK_TYPES, 'pageblock migratetype');
    if (!mt) return null;
    return { op: 'pageblock', pfn: pfn!, migratetype: mt };
  },
  pageset(L, s, { by, cpu }) {
    // /proc/zoneinfo's `high:` and `batch:` of one pageset (struct per_cpu_pages: both `int`)
    const zone = L.zoneRef(s.args.zone, by.get('node'), true);
    const hc = by.get('high'), bc = by.get('batch');
    if (!hc) { L.report(s.headLoc, '`pageset` needs `high N` (the pageset\'s pcp->high, as /proc/zoneinfo prints it)'); return null; }
    const high = L.int(hc.value ?? undefined, 'pcp->high');
    const batch = bc ? L.int(bc.value ?? undefined, 'pcp->batch') : null;
    if (high === null || (bc && batch === null) || !zone) return null;
    const INT_MAX = 2 ** 31 - 1;
    if (high > INT_MAX) { L.report(hc.loc, `high ${high} is above INT_MAX (pcp->high is an int)`); return null; }
    if (batch !== null && (batch < 1 || batch > INT_MAX)) { L.report(bc!.loc, `batch ${batch} must be 1 to INT_MAX (pcp->batch is at least BOOT_PAGESET_BATCH, 1)`); return null; }
    return { op: 'pageset', zone, cpu: by.has('cpu') ? cpu : null, high, batch };
  },
  fill(L, s, { by, flags }) {
    const zone = L.zoneRef(s.args.zone, by.get('node'), true);
    const pct = percentOf(L, s.args.percent);
    if (pct === undefined) return null;
    const cls = L.flagOf(flags, FILL_CLASSES, 'fill class');
    if (cls === undefined) return null;
    if (cls === null) { L.report(s.headLoc, `\`fill\` needs a class: ${FILL_CLASSES.join(', ')}`); return null; }
    const packing = L.flagOf(flags, ['packed', 'scattered'] as const, 'placement');
    if (packing === undefined) return null;
    const order = by.has('order') ? L.order(by.get('order'), 'fill', L.machine.maxPageOrder) : 0;
    if (!zone || pct === null || order === null) return null;
    return { op: 'fill', zone, percent: pct, cls: cls as FillClass, order, packed: packing === 'packed' };
  },
  alloc(L, s, { by, flags }) {
    const oc = by.get('order');
    if (!oc) { L.report(s.headLoc, '`alloc` needs `order N`'); return null; }
    const order = L.order(oc, 'alloc', L.machine.maxPageOrder);
    const gfp = L.gfp(by.get('gfp'));
    if (gfp === null) return null;
    let mt = L.flagOf(flags, ALLOC_MIGRATETYPES, 'migratetype');
    if (mt === undefined) return null;
    if (mt === null) {
      if (!by.has('gfp')) { L.report(s.headLoc, '`alloc` needs a migratetype: movable, unmovable or reclaimable (or `gfp FLAGS`)'); return null; }
      mt = gfp.some((g) => g === '__GFP_MOVABLE' || g.endsWith('_MOVABLE') || g.startsWith('GFP_TRANSHUGE')) ? 'movable' : gfp.includes('__GFP_RECLAIMABLE') ? 'reclaimable' : 'unmovable';
    }
    const zone = by.has('zone') ? L.zoneRef(by.get('zone')!.value, by.get('node'), true) : null;
    if (by.has('zone') && !zone) return null;
    if (!by.has('zone') && by.has('node') && L.nid(by.get('node')) === null) return null;
    const count = by.has('count') ? L.pages(by.get('count')!.value ?? undefined, 'the count') : 1;
    if (order === null || count === null) return null;
    if (count < 1) { L.report(by.get('count')!.loc, 'count must be at least 1'); return null; }
    return { op: 'alloc', order, migratetype: mt, gfp, zone: zone ?? (by.has('node') ? { nid: L.int(by.get('node')!.value ?? undefined, 'a node id') ?? 0, zone: 'Normal' } : null), count };
  },
  free(L, s) {
    const target = L.target(s.args.target, true);
    return target ? { op: 'free', target, order: null } : null;
  },
  pin(L, s, { flags }) {
    const target = L.target(s.args.target);
    return target ? { op: 'pin', target, longterm: flags.some((f) => f.text === 'longterm') } : null;
  },
  unpin(L, s) {
    const target = L.target(s.args.target);
    return target ? { op: 'unpin', target } : null;
  },
  migrate(L, s, { by }) {
    const target = L.target(s.args.target);
    const nid = by.has('node') ? L.nid(by.get('node')) : null;
    if (by.has('node') && nid === null) return null;
    return target ? { op: 'migrate', target, nid } : null;
  },
  cma_release(L, s) {
    const t = s.args.target;
    const target = L.target(t, true);
    if (target?.kind === 'name') {
      const d = L.read(0, 'label:' + target.name) as NameDef | undefined;
      if (d && d.stmt !== 'cma_alloc') L.report(t!.loc, `\`${target.name}\` is not a cma_alloc (it is a ${d.stmt})`, 'warning');
    }
    return target ? { op: 'cma_release', target } : null;
  },
  slab_grow(L, s, { by, flags }) {
    const zone = L.zoneRef(s.args.zone, by.get('node'), true);
    const pages = L.pages(s.args.count, 'the page count');
    return zone && pages !== null ? { op: 'slab_grow', zone, pages, reclaimable: flags.some((f) => f.text === 'reclaimable') } : null;
  },
  slab_shrink(L, s, { by }) {
    const zone = L.zoneRef(s.args.zone, by.get('node'), true);
    const pct = percentOf(L, s.args.percent);
    if (pct === undefined) return null;
    return zone && pct !== null ? { op: 'slab_shrink', zone, percent: pct } : null;
  },
  drain(L, _s, { by, cpu }) {
    const zone = by.has('zone') ? L.zoneRef(by.get('zone')!.value, by.get('node'), true) : null;
    if (by.has('zone') && !zone) return null;
    return { op: 'drain', cpu: by.has('cpu') ? cpu : null, zone };
  },
  isolate(L, s, { by }) {
    const r = L.opRange(s, false);
    if (!r) return null;
    const mode = by.has('mode') ? L.oneOf(by.get('mode')!.value, ISOLATE_MODES, 'isolation mode') : 'other';
    return mode ? { op: 'isolate', start: r.start, end: r.end, mode } : null;
  },
  unisolate(L, s) {
    const r = L.opRange(s, false);
    return r && { op: 'unisolate', start: r.start, end: r.end };
  },
  alloc_contig_range(L, s, { by, flags }) {
    const r = L.opRange(s, false);
    if (!r) return null;
    const gfp = L.gfp(by.get('gfp'));
    return gfp ? { op: 'alloc_contig_range', start: r.start, end: r.end, cma: flags.some((f) => f.text === 'cma'), gfp } : null;
  },
  add_memory(L, s, { by }) {
    const r = L.opRange(s, true);
    if (!r) return null;
    const nid = by.has('node') ? L.nid(by.get('node')) : 0;
    return nid === null ? null : { op: 'add_memory', start: r.start, end: r.end, nid };
  },
  remove_memory(L, s) {
    const r = L.opRange(s, true);
    return r && { op: 'remove_memory', start: r.start, end: r.end };
  },
  eject(L, s) {
    const r = L.opRange(s, true);
    return r && { op: 'eject', start: r.start, end: r.end };
  },
  alloc_contig_pages(L, s, { by }) {
    const pages = L.pages(s.args.count, 'the page count');
    const nid = by.has('node') ? L.nid(by.get('node')) : null;
    const zone = by.has('zone') ? L.zoneRef(by.get('zone')!.value, by.get('node'), true) : null;
    if (pages === null || (by.has('node') && nid === null) || (by.has('zone') && !zone)) return null;
    return { op: 'alloc_contig_pages', pages, nid, zone };
  },
  cma_alloc(L, s, { by }) {
    const area = L.resolve('cma', s.args.area);
    const pages = L.pages(s.args.count, 'the page count');
    const align = by.has('align') ? L.order(by.get('align'), 'cma_alloc align', null) : 0;
    if (!area || pages === null || align === null) return null;
    return { op: 'cma_alloc', area: area.name, pages, align };
  },
  online(L, s, { flags }) {
    const block = L.int(s.args.block, 'a memory block id');
    if (!L.checkBlock(s.args.block, block)) return null;
    const type = L.flagOf(flags, ONLINE_TYPES, 'online type');
    if (type === undefined) return null;
    return { op: 'online', block: block!, type: type ?? 'online' };
  },
  offline(L, s) {
    const block = L.int(s.args.block, 'a memory block id');
    if (!L.checkBlock(s.args.block, block)) return null;
    return { op: 'offline', block: block! };
  },
  hugetlb_resize(L, s, { by }) {
    const pages = L.hugePages(s.args.size);
    const count = L.int(s.args.count, 'nr_hugepages');
    const nid = by.has('node') ? L.nid(by.get('node')) : null;
    if (pages === null || count === null || (by.has('node') && nid === null)) return null;
    return { op: 'hugetlb_resize', pages, count, nid };
  },
  hugetlb_overcommit(L, s) {
    const pages = L.hugePages(s.args.size);
    const count = L.int(s.args.count, 'nr_overcommit_hugepages');
    if (pages === null || count === null) return null;
    if (pages > 1 << L.machine.maxPageOrder) {
      // nr_overcommit_hugepages_store(): -EINVAL for gigantic hstates
      L.report(s.args.size!.loc, `gigantic huge pages (${s.args.size!.raw}) have no overcommit: nr_overcommit_hugepages_store() refuses them (-EINVAL)`);
      return null;
    }
    return { op: 'hugetlb_overcommit', pages, count };
  },
  hugetlb_alloc(L, s) {
    const pages = L.hugePages(s.args.size);
    const count = L.int(s.args.count, 'a number of huge pages');
    if (pages === null || count === null) return null;
    if (count < 1) { L.report(s.args.count!.loc, 'hugetlb … alloc needs at least one huge page'); return null; }
    return { op: 'hugetlb_alloc', pages, count };
  },
  compact(L, s, { by }) {
    const zone = L.zoneRef(s.args.zone, by.get('node'), true);
    const order = by.has('order') ? L.order(by.get('order'), 'compaction', L.machine.maxPageOrder) : -1;
    return zone && order !== null ? { op: 'compact', zone, order } : null;
  },
  report: () => ({ op: 'report' }),
  kswapd(L, _s, { by }) {
    const nid = by.has('node') ? L.nid(by.get('node')) : 0;
    return nid === null ? null : { op: 'kswapd', nid };
  },
  sysctl(L, s) {
    const nameArg = s.args.name;
    const list = s.args.values;
    if (!nameArg || !list) return null;
    const full = nameArg.text;
    const known = SYSCTL_NAMES.map((n) => `vm.${n}`);
    const name = full.startsWith('vm.') ? full.slice(3) : '';
    const def = Object.prototype.hasOwnProperty.call(SYSCTLS, name) ? SYSCTLS[name] : undefined;
    if (!def) {
      const why = Object.prototype.hasOwnProperty.call(UNMODELLED_SYSCTLS, name) ? UNMODELLED_SYSCTLS[name] : null;
      L.report(nameArg.loc, why ? `${full} is not modelled: ${why}; sysctls: ${known.join(', ')}` : `unknown sysctl \`${full}\`${didYouMean(full, known)}; sysctls: ${known.join(', ')}`);
      return null;
    }
    if (list.items.length > def.maxValues) {
      L.report(list.items[def.maxValues]!.loc, `${full} takes ${def.maxValues === 1 ? 'one value' : `at most ${def.maxValues} values (${ZONE_NAMES.join(' ')})`}`);
      return null;
    }
    const values: number[] = [];
    for (const a of list.items) {
      const v = L.int(a, full);
      if (v === null) return null;
      // proc_dointvec_minmax(): a value outside [extra1, extra2] is -EINVAL and nothing is written
      if (v < def.min || v > def.max) { L.report(a.loc, `${full} is between ${def.min} and ${def.max}, not ${v} (the write fails with -EINVAL)`); return null; }
      values.push(v);
    }
    return { op: 'sysctl', name, values };
  },
  kcompactd(L, _s, { by }) {
    const nid = by.has('node') ? L.nid(by.get('node')) : 0;
    return nid === null ? null : { op: 'kcompactd', nid };
  },
  virtio_op(L, s) {
    const a = s.args;
    const dev = L.resolve('device', a.name);
    const pages = L.pages(a.count, 'the size change');
    const action = a.action?.text as 'plug' | 'unplug' | undefined;
    if (!dev || pages === null || !action) return null;
    const d = L.machine.virtioMem.find((x) => x.name === dev.name);
    if (d && pages % d.blockPages) {
      L.report(a.count!.loc, `virtio-mem ${d.name} plugs in device blocks of ${d.blockPages} pages: ${pages} pages is not a multiple`);
      return null;
    }
    return { op: 'virtio_mem', device: dev.name, action, pages };
  },
};

function lowerOperation<K extends OperationKind>(L: Lowerer, s: StmtOf<K>, c: OpContext): Operation | null {
  const f: OperationLowerer<K> = OPERATIONS[s.kind];
  return f(L, s, c);
}
function isOperation(s: Stmt): s is StmtIn<OperationKind> {
  return Object.hasOwn(OPERATIONS, s.kind);
}

type ExpectationLowerer<K extends ExpectKind> = (L: Lowerer, s: StmtOf<K>, by: Map<string, Clause>, flags: WordArg[]) => Expectation | null;

const cmpOf = (a: CmpArg | undefined): Cmp | null => (a && a.t === 'cmp' ? (a.text as Cmp) : null);

const EXPECTATIONS: { [K in ExpectKind]: ExpectationLowerer<K> } = {
  expect_result(L, s, by) {
    const name = s.args.name;
    if (!name || !L.resolve('label', name)) return null;
    const r = s.args.result;
    let errno: Errno | null = null;
    if (r?.t === 'errno') {
      const e = r.text.slice(1);
      if (!(ERRNOS as readonly string[]).includes(e)) {
        L.report(r.loc, `unknown errno \`${r.text}\`${didYouMean(e, ERRNOS)}; errnos: ${ERRNOS.map((x) => '-' + x).join(' ')}`);
        return null;
      }
      errno = e as Errno;
    }
    const at = by.get('at');
    const reason = by.get('reason');
    // `fails`: any failure (no errno needed: e.g. compaction ending COMPACT_COMPLETE without success)
    const fails = r?.t === 'word' && r.text === 'fails';
    if (!errno && !fails && (at || reason)) { L.report((at ?? reason)!.keyLoc, `\`${(at ?? reason)!.key}\` only applies to a failed result (expect ${name.text} -EBUSY at PFN reason "…", or expect ${name.text} fails reason "…")`); return null; }
    const pfn = at ? L.int(at.value ?? undefined, 'a pfn') : null;
    if (at && !L.checkPfn(at.value ?? undefined, pfn)) return null;
    return { what: 'result', name: name.text, ok: !errno && !fails, errno, pfn, reason: reason?.value?.t === 'str' ? reason.value.text : null };
  },
  expect_migrated(L, s) {
    const name = s.args.name;
    const value = L.int(s.args.value, 'the migration count');
    const cmp = cmpOf(s.args.cmp);
    if (!name || !L.resolve('label', name) || value === null || !cmp) return null;
    return { what: 'migrated', name: name.text, cmp, value };
  },
  expect_zone(L, s) {
    const a = s.args;
    const f = a.field;
    if (!f || f.t !== 'field') return null;
    const zone = L.zoneRef(f.zone, a.nid, false);
    const field = L.oneOf(f.field, ZONE_FIELDS, 'zone field') as ZoneField | null;
    const value = L.pages(a.value, 'the value');
    const cmp = cmpOf(a.cmp);
    if (!zone || !field || value === null || !cmp) return null;
    return { what: 'zone', zone, field, cmp, value };
  },
  expect_pageblock(L, s, _by, flags) {
    const pfn = L.int(s.args.pfn, 'a pfn');
    if (!L.checkPfn(s.args.pfn, pfn)) return null;
    const w = s.args.state;
    if (!w) return null;
    if (w.text === 'isolated') return { what: 'pageblock', pfn: pfn!, migratetype: 'isolate', isolated: true };
    const mt = L.oneOf(w, [...MIGRATETYPE_NAMES, 'isolated'], 'migratetype') as Migratetype | null;
    if (!mt) return null;
    const iso = flags.some((x) => x.text === 'isolated');
    return { what: 'pageblock', pfn: pfn!, migratetype: mt, isolated: iso || mt === 'isolate' };
  },
  expect_page(L, s) {
    const pfn = L.int(s.args.pfn, 'a pfn');
    if (!L.checkPagePfn(s.args.pfn, pfn)) return null;
    const st = L.oneOf(s.args.state, PAGE_STATES, 'page state') as PageStateName | null;
    return st ? { what: 'page', pfn: pfn!, state: st } : null;
  },
  expect_block(L, s, _by, flags) {
    const block = L.int(s.args.block, 'a memory block id');
    if (!L.checkBlock(s.args.block, block)) return null;
    if (s.args.state?.text === 'valid_zones') { L.report(s.args.state.loc, 'valid_zones is followed by the sysfs text in quotes: expect block N valid_zones "Normal Movable"'); return null; }
    const st = L.oneOf(s.args.state, ['online', 'offline', 'absent'] as const, 'memory block state');
    if (!st) return null;
    const z = flags.find((f) => (ZONE_NAMES as readonly string[]).includes(f.text));
    if (z && st !== 'online') { L.report(z.loc, 'only an online block has a zone'); return null; }
    return { what: 'block', block: block!, state: st, zone: z ? (z.text as ZoneName) : null };
  },
  expect_buddyinfo(L, s, by) {
    const a = s.args;
    const zone = L.zoneRef(a.zone, a.nid, false);
    const approx = a.cmp?.text === '~';
    const cmp = approx ? null : cmpOf(a.cmp);
    if (cmp && cmp !== '==') { L.report(a.cmp!.loc, 'buddyinfo compares with `==` (free blocks per order, from order 0), or with `~ … within N` (a tolerance per order)'); return null; }
    const within = by.get('within');
    if (within && !approx) { L.report(within.keyLoc, '`within` is the tolerance of `~`: expect buddyinfo ZONE ~ N0 N1 … within 300 (or within 10%)'); return null; }
    if (approx && !within) { L.report(a.cmp!.loc, '`~` needs a tolerance: add `within N` (blocks per order) or `within P%` (of each expected count)'); return null; }
    let tolerance: { abs: number } | { pct: number } | undefined;
    if (within?.value?.t === 'pct') tolerance = { pct: within.value.value };
    else if (within?.value) {
      const t = L.int(within.value, 'the tolerance');
      if (t === null) return null;
      tolerance = { abs: t };
    } else if (within) return null;
    const items = a.counts?.t === 'list' ? a.counts.items : [];
    const max = L.machine.maxPageOrder + 1;
    if (items.length > max) { L.report(items[max]!.loc, `buddyinfo has ${max} orders (0..MAX_PAGE_ORDER ${max - 1}); ${items.length} counts given`); return null; }
    const counts = items.map((i) => L.int(i, 'a count'));
    if (!zone || counts.some((c) => c === null)) return null;
    return tolerance ? { what: 'buddyinfo', zone, counts: counts as number[], tolerance } : { what: 'buddyinfo', zone, counts: counts as number[] };
  },
  expect_valid_zones(L, s) {
    const block = L.int(s.args.block, 'a memory block id');
    if (!L.checkBlock(s.args.block, block)) return null;
    const t = s.args.text;
    if (!t) return null;
    // valid_zones_show() prints zone names (struct zone.name) joined by single spaces, or "none"
    const zone = `(?:${ZONE_NAMES.join('|')})`;
    if (!new RegExp(`^(?:none|${zone}(?: ${zone})*)$`).test(t.text)) {
      L.report(t.loc, `valid_zones is what sysfs prints: zone names (${ZONE_NAMES.join(', ')}) separated by single spaces, the default zone first, or "none"; not "${t.text}"`);
      return null;
    }
    return { what: 'valid_zones', block: block!, text: t.text };
  },
  expect_vmstat(L, s) {
    const a = s.args;
    const w = a.counter;
    if (w && Object.hasOwn(VM_NOT_MODELLED, w.text)) {
      L.report(w.loc, `vmstat \`${w.text}\` is not modelled: ${VM_NOT_MODELLED[w.text]}; counted: ${VM_COUNTERS.join(', ')}`);
      return null;
    }
    const counter = L.oneOf(w, VM_COUNTERS, 'vmstat counter');
    const cmp = cmpOf(a.cmp);
    const value = L.int(a.value, 'a count');
    if (!counter || !cmp || value === null) return null;
    return { what: 'vmstat', counter, cmp, value };
  },
  expect_kpageflags(L, s) {
    const a = s.args;
    const r = L.range(a.range);
    if (!L.checkRange(a.range, r)) return null;
    const w = a.flag;
    if (w && Object.hasOwn(KPF_NOT_MODELLED, w.text)) {
      L.report(w.loc, `kpageflags \`${w.text}\` is not modelled: ${KPF_NOT_MODELLED[w.text]}; counted: ${KPF_KINDS.join(', ')}`);
      return null;
    }
    const flag = L.oneOf(w, KPF_KINDS, 'kpageflags flag');
    const cmp = cmpOf(a.cmp);
    const value = L.int(a.value, 'a count');
    if (!flag || !cmp || value === null) return null;
    return { what: 'kpageflags', start: r!.start, end: r!.end, flag, cmp, value };
  },
  expect_freelist(L, s) {
    const a = s.args;
    const zone = L.zoneRef(a.zone, a.nid, false);
    const mt = L.oneOf(a.mt, MIGRATETYPE_NAMES, 'migratetype');
    const oc: Clause | undefined = a.order ? { key: 'order', keyLoc: a.order.loc, value: a.order, loc: a.order.loc } : undefined;
    const order = L.order(oc, 'free list', L.machine.maxPageOrder);
    const cmp = cmpOf(a.cmp);
    const value = L.int(a.value, 'a count');
    if (!zone || !mt || order === null || !cmp || value === null) return null;
    return { what: 'freelist', zone, migratetype: mt, order, cmp, value };
  },
  expect_hugetlb(L, s) {
    const a = s.args;
    const pages = L.hugePages(a.size);
    const field = L.oneOf(a.field, ['free', 'total', 'surplus'] as const, 'hugetlb field');
    const cmp = cmpOf(a.cmp);
    const value = L.int(a.value, 'a count');
    if (pages === null || !field || !cmp || value === null) return null;
    return { what: 'hugetlb', pages, field, cmp, value };
  },
};

function lowerExpectation<K extends ExpectKind>(L: Lowerer, s: StmtOf<K>, by: Map<string, Clause>, flags: WordArg[]): Expectation | null {
  const f: ExpectationLowerer<K> = EXPECTATIONS[s.kind];
  return f(L, s, by, flags);
}
function isExpectation(s: Stmt): s is StmtIn<ExpectKind> {
  return Object.hasOwn(EXPECTATIONS, s.kind);
}

// ------------------------------------------------------------------ configuration and the machine
type Lowering<K extends StmtKind, X extends unknown[] = []> = (L: Lowerer, s: StmtOf<K>, ...x: X) => void;

/** Top-level configuration, lowered before the steps (a memo of a step is valid while these are unchanged). */
const CONFIG: { [K in ConfigKind]: Lowering<K> } = {
  machine(L, s) { if (s.block) L.lowerMachine(s); },
  kernel(L, s) { L.lowerKernel(s, null); },
  policy(L, s) { L.lowerPolicy(s, null); },
  seed(L, s) { L.lowerSeed(s); },
  variant(L, s) { if (s.block) L.lowerVariant(s); },
};
function lowerConfig<K extends ConfigKind>(L: Lowerer, s: StmtOf<K>): void {
  const f: Lowering<K> = CONFIG[s.kind];
  f(L, s);
}
function isConfig(s: Stmt): s is StmtIn<ConfigKind> {
  return Object.hasOwn(CONFIG, s.kind);
}

/** `machine { … }` scalar settings, into the machine spec */
const SETTINGS: { [K in SettingKind]: Lowering<K> } = {
  page_size(L, s) {
    const v = s.args.value;
    const p = v?.t === 'num' && v.value !== null ? v.value * BigInt(v.unit || 1) : null;
    if (p !== null && p !== 4096n) L.report(v!.loc, 'only 4K pages are modelled (page_size 4K)');
  },
  pageblock_order(L, s) {
    const v = s.args.value;
    const o = L.int(v, 'pageblock_order');
    if (o !== null) { if (o > 20) L.report(v!.loc, `pageblock_order ${o} is too large (at most 20)`); else L.machine.pageblockOrder = o; }
  },
  max_page_order(L, s) {
    const v = s.args.value;
    const o = L.int(v, 'max_page_order');
    if (o !== null) { if (o > 20) L.report(v!.loc, `max_page_order ${o} is too large (at most 20)`); else L.machine.maxPageOrder = o; }
  },
  memory_block_size(L, s) {
    const p = L.powerOfTwoPages(s);
    if (p !== null) L.machine.memoryBlockPages = p;
  },
  section_size(L, s) {
    const p = L.powerOfTwoPages(s);
    if (p !== null) L.machine.sectionPages = p;
  },
  swap(L, s) {
    const p = L.pages(s.args.value, 'swap');
    if (p !== null) L.machine.swapPages = p;
  },
  cpus(L, s) {
    const v = s.args.value;
    const n = L.int(v, 'cpus');
    if (n !== null) { if (n < 1 || n > 4096) L.report(v!.loc, 'cpus must be between 1 and 4096'); else L.machine.cpus = n; }
  },
  memmap_on_memory(L, s) {
    const x = L.oneOf(s.args.value, ['off', 'on', 'force'] as const, 'memmap_on_memory value');
    if (x) L.machine.memmapOnMemory = x;
  },
  movable_node(L, s) {
    const x = L.oneOf(s.args.value, ['off', 'on'] as const, 'movable_node value');
    if (x) L.machine.movableNode = x === 'on';
  },
  config_cma(L, s) {
    const x = L.oneOf(s.args.value, ['off', 'on'] as const, 'config_cma value');
    if (x) L.machine.configCma = x === 'on';
  },
};
function lowerSetting<K extends SettingKind>(L: Lowerer, s: StmtOf<K>): void {
  const f: Lowering<K> = SETTINGS[s.kind];
  f(L, s);
}
function isSetting(s: Stmt): s is StmtIn<SettingKind> {
  return Object.hasOwn(SETTINGS, s.kind);
}

/** `machine { … }` declarations, after the settings: nodes, CMA areas, hugetlb pools, virtio-mem devices */
const DECLARATIONS: { [K in DeclKind]: Lowering<K> } = {
  node(L, s) {
    if (!s.block) return;
    const nid = L.int(s.args.nid, 'a node id');
    if (nid === null) return;
    const node: NodeSpec = { nid, zones: [], reserved: [], hotplug: [], loc: s.loc };
    for (const c of s.block.body) {
      if (c.broken || !isNodePart(c)) continue;
      lowerNodePart(L, c, node);
    }
    L.machine.nodes.push(node);
  },
  cma(L, s) {
    const cl = L.clauses(s, 'cma');
    const r = L.range(s.args.range);
    const name = s.args.name;
    L.define('cma', name, 'cma');
    const opb = cl?.by.get('order_per_bit');
    const orderPerBit = opb ? L.int(opb.value ?? undefined, 'order_per_bit') ?? 0 : 0;
    if (L.machine.configCma === false) { L.report(s.headLoc, 'a CMA area needs CONFIG_CMA (`config_cma off` above)'); return; }
    if (r && name) L.machine.cma.push({ name: name.text, start: r.start, end: r.end, orderPerBit, loc: s.loc });
  },
  hugetlb_pool(L, s) {
    const cl = L.clauses(s, 'hugetlb_pool');
    const pages = L.hugePages(s.args.size);
    const count = L.int(s.args.count, 'the pool size');
    const node = cl?.by.get('node');
    const nid = node ? L.int(node.value ?? undefined, 'a node id') : null;
    if (pages !== null && count !== null) L.machine.hugetlb.push({ pages, count, nid, loc: s.loc });
  },
  virtio_decl(L, s) {
    const cl = L.clauses(s, 'virtio_decl');
    const name = s.args.name;
    L.define('device', name, 'virtio_decl');
    const r = L.range(s.args.range);
    const nidArg = s.args.nid;
    const nid = nidArg ? L.int(nidArg, 'a node id') : cl?.by.get('node') ? L.int(cl.by.get('node')!.value ?? undefined, 'a node id') : 0;
    const blk = cl?.by.get('block');
    const blockPages = blk ? L.pages(blk.value ?? undefined, 'the device block size') : 2 ** L.machine.pageblockOrder;
    if (r && name && nid !== null && blockPages !== null) L.machine.virtioMem.push({ name: name.text, nid, start: r.start, end: r.end, blockPages, loc: s.loc });
  },
};
function lowerDeclaration<K extends DeclKind>(L: Lowerer, s: StmtOf<K>): void {
  const f: Lowering<K> = DECLARATIONS[s.kind];
  f(L, s);
}
function isDeclaration(s: Stmt): s is StmtIn<DeclKind> {
  return Object.hasOwn(DECLARATIONS, s.kind);
}

/** `node N { … }`: zone spans, reserved ranges, holes, hotplug ranges */
const NODE_PARTS: { [K in NodePartKind]: Lowering<K, [NodeSpec]> } = {
  zone(L, s, node) {
    const r = L.range(s.args.range);
    if (!r) return;
    const z = L.zoneName(s.args.zone);
    if (z) node.zones.push({ zone: z, start: r.start, end: r.end, loc: s.loc });
  },
  reserved(L, s, node) {
    const r = L.range(s.args.range);
    if (!r) return;
    const cl = L.clauses(s, 'reserved');
    const uninit = !!cl?.flags.some((f) => f.text === 'uninitialised');
    const initmem = !!cl?.flags.some((f) => f.text === 'initmem');
    if (uninit && initmem) L.report(s.loc, '`uninitialised` and `initmem` exclude each other: initmem is initialised memory the kernel frees after boot');
    if (cl) node.reserved.push({ start: r.start, end: r.end, ...(uninit ? { uninitialised: true } : {}), ...(initmem ? { initmem: true } : {}), loc: s.loc });
  },
  hole(L, s, node) {
    const r = L.range(s.args.range);
    if (r) (node.holes ??= []).push({ start: r.start, end: r.end, loc: s.loc });
  },
  hotplug(L, s, node) {
    const r = L.range(s.args.range);
    if (!r) return;
    const st = L.oneOf(s.args.state, ['offline', 'absent'] as const, 'hotplug state');
    const cl = L.clauses(s, 'hotplug');
    const imported = !!cl?.flags.some((f) => f.text === 'imported');
    if (imported && st === 'absent') L.report(s.loc, '`imported` applies to `offline` ranges (an absent range has no memmap yet)');
    if (st && cl) node.hotplug.push({ start: r.start, end: r.end, state: st, ...(imported ? { imported } : {}), loc: s.loc });
  },
};
function lowerNodePart<K extends NodePartKind>(L: Lowerer, s: StmtOf<K>, node: NodeSpec): void {
  const f: Lowering<K, [NodeSpec]> = NODE_PARTS[s.kind];
  f(L, s, node);
}
function isNodePart(s: Stmt): s is StmtIn<NodePartKind> {
  return Object.hasOwn(NODE_PARTS, s.kind);
}

export type { Block };
