// Lowering: syntax tree → Scenario (src/sim/scenario.ts), with the semantic checks that need the
// statement's meaning (names, units, alignment, pfns inside the machine, policies, interleave schedules).
import type {
  Loc, Scenario, MachineSpec, NodeSpec, Step, OpStep, Operation, Expectation, Variant, Policies, PolicyName,
  KernelPreset, ZoneName, ZoneRef, Target, Migratetype, PageKind, PageModifier, FillClass, Errno, Cmp, ZoneField,
  PageStateName,
} from '../sim/scenario.js';
import { KERNEL_PRESETS, ERRNOS, ZONE_FIELDS, PAGEBLOCK_TYPES } from '../sim/scenario.js';
import { POLICY_VALUES } from '../sim/policies.js';
import type { Arg, Block, Clause, FileAst, NumArg, RangeArg, Stmt, WordArg } from './ast.js';
import type { Diagnostic } from './types.js';
import {
  STMT_INFO, KINDS, MODIFIERS, FILL_CLASSES, ALLOC_MIGRATETYPES, ONLINE_TYPES, ISOLATE_MODES, PAGE_STATES, GFP_FLAGS,
} from './docs.js';
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

/** The statement as the user wrote its head: `slab grow`, `hugetlb`, `virtio_mem`, `expect`. */
export function headName(kind: string): string {
  if (kind.startsWith('expect_')) return 'expect';
  if (kind === 'slab_grow' || kind === 'slab_shrink') return kind.replace('_', ' ');
  if (kind === 'hugetlb_pool' || kind === 'hugetlb_resize') return 'hugetlb';
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

function asClause(cs: Clause[]): Clause | undefined {
  for (let i = 0; i < cs.length; i++) if (cs[i]!.key === 'as') return cs[i];
  return undefined;
}
/** the configuration statements of the last lowering (objects), and its generation */
let lastConfig: Stmt[] = [];
let generation = 0;
const CONFIG_KINDS = new Set(['machine', 'kernel', 'policy', 'seed', 'variant']);

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
  private hasMachine = false;
  private kernelSeen: Loc | null = null;
  private seedSeen: Loc | null = null;

  /** the statement being recorded (memo on) */
  private rec: StmtMemo | null = null;
  /** false once the statement read something the memo cannot check (the list of all names) */
  private cacheable = true;
  private readonly report: (loc: Loc, message: string, severity?: 'error' | 'warning') => void;

  constructor(report: (loc: Loc, message: string, severity?: 'error' | 'warning') => void, private readonly memo = false) {
    this.report = (loc, message, severity = 'error') => {
      this.rec?.diags.push([loc, message, severity]);
      report(loc, message, severity);
    };
  }

  private read(map: number, key: string): unknown {
    const v = map === 0 ? this.defs.get(key) : map === 1 ? this.declaredLater.get(key) : this.freedAt.get(key);
    this.rec?.events.push([false, map, key, v]);
    return v;
  }
  private write(map: number, key: string, v: unknown): void {
    if (map === 0) { this.defs.set(key, v as NameDef); this.names.push(v as NameDef); } else this.freedAt.set(key, v as Loc);
    this.rec?.events.push([true, map, key, v]);
  }

  private lowerStepUncached(s: Stmt): void {
    if (s.kind === 'interleave') { if (s.block) this.lowerInterleave(s); return; }
    if (s.kind === 'checkpoint') {
      const n = s.args.name as WordArg | undefined;
      if (n) { this.define('checkpoint', n, s.kind); this.steps.push({ kind: 'checkpoint', name: n.text, loc: s.loc }); }
      return;
    }
    if (s.kind.startsWith('expect_')) {
      const e = this.lowerExpect(s);
      if (e) this.steps.push(e);
      return;
    }
    const step = this.lowerOp(s, null);
    if (step) this.steps.push(step);
  }

  /** lowers one top-level step statement, or replays its memo when what it read is unchanged */
  private lowerStep(s: Stmt, gen: number): void {
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
    for (let i = 0; i < all.length; i++) {
      const s = all[i]!;
      if (s.broken) continue;
      if (s.kind === 'variant') this.define('variant', s.args.name as WordArg | undefined, s.kind);
      const as = asClause(s.clauses) ?? (s.inner ? asClause(s.inner.clauses) : undefined);
      if (as?.value && as.value.t === 'word' && !this.declaredLater.has(as.value.text)) this.declaredLater.set(as.value.text, as.value.loc);
    }
    // configuration first: the machine must be known to check operations
    for (const s of ast.top.body) {
      if (s.broken) continue;
      if (s.kind === 'machine' && s.block) this.lowerMachine(s);
      else if (s.kind === 'kernel' || s.kind === 'policy') this.lowerConfig(s, null);
      else if (s.kind === 'seed') {
        if (this.seedSeen) this.report(s.headLoc, `duplicate \`seed\` (first on line ${this.seedSeen.line})`);
        this.seedSeen = s.loc;
        this.seed = this.int(s.args.value as NumArg | undefined, 'the seed') ?? 0;
      } else if (s.kind === 'variant' && s.block) this.lowerVariant(s);
    }
    validateMachine(this.machine, (loc, msg, sev) => this.report(loc, msg, sev));
    this.layout = new Layout(this.machine);
    // steps, in order (a memo of each statement is valid while the configuration statements are the same objects)
    const config = ast.top.body.filter((s) => CONFIG_KINDS.has(s.kind));
    for (const s of ast.all) if (s.kind === 'variant' && !config.includes(s)) config.push(s);
    if (config.length !== lastConfig.length || config.some((s, i) => s !== lastConfig[i])) generation++;
    lastConfig = config;
    const gen = generation;
    for (const s of ast.top.body) {
      if (s.broken) continue;
      if (CONFIG_KINDS.has(s.kind)) continue;
      this.lowerStep(s, gen);
    }
    if (!this.hasMachine) {
      const first = this.steps[0];
      if (first) this.report(first.loc, 'no `machine { … }` block: the scenario has no memory (add `machine { node 0 { zone Normal START..END } }`)');
    }
    return { kernel: this.kernel, policies: this.policies, seed: this.seed, machine: this.machine, variants: this.variants, steps: this.steps };
  }

  // ------------------------------------------------------------------ names
  private define(kind: NameKind, w: WordArg | undefined, stmt: string): void {
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
  private resolve(kind: NameKind, w: WordArg | undefined): NameDef | null {
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
  private int(a: Arg | undefined, what: string): number | null {
    if (!a || a.t !== 'num') return null;
    if (a.value === null) { this.report(a.loc, `\`${a.raw}\` does not fit in 64 bits`); return null; }
    if (a.unit) { this.report(a.loc, `${what} is a number, not a size (\`${a.raw}\`)`); return null; }
    if (a.value > BigInt(Number.MAX_SAFE_INTEGER)) { this.report(a.loc, `\`${a.raw}\` is too large for ${what} (at most 2^53-1)`); return null; }
    return Number(a.value);
  }
  /** A page count: a plain number of pages or a size in bytes that is a whole number of pages. */
  private pages(a: Arg | undefined, what: string): number | null {
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
  private sizePages(a: Arg | undefined, what: string): number | null {
    if (!a || a.t !== 'num') return null;
    return this.pages(a, what);
  }
  private range(a: Arg | undefined): { start: number; end: number } | null {
    if (!a || a.t !== 'range') return null;
    const r = a as RangeArg;
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
  private clauses(s: Stmt, kind: string, accepts?: { clauses: string[]; flags: readonly string[] }): { by: Map<string, Clause>; flags: WordArg[] } | null {
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
  private cpu(c: Clause | undefined): number | null {
    if (!c) return null;
    const n = this.int(c.value ?? undefined, 'a cpu');
    if (n !== null && n >= this.machine.cpus) {
      this.report(c.loc, `cpu ${n} does not exist: the machine has ${this.machine.cpus} CPU${this.machine.cpus > 1 ? 's' : ''} (\`cpus ${this.machine.cpus}\` in machine)`);
      return null;
    }
    return n;
  }
  private nid(c: Clause | NumArg | undefined): number | null {
    const a = c && 't' in c ? c : c?.value ?? undefined;
    if (!a) return null;
    const n = this.int(a, 'a node id');
    if (n !== null && this.hasMachine && !this.machine.nodes.some((x) => x.nid === n)) {
      this.report(a.loc, `node ${n} does not exist (nodes: ${this.machine.nodes.map((x) => x.nid).join(', ') || 'none'})`);
      return null;
    }
    return n;
  }
  private zoneName(w: Arg | undefined | null): ZoneName | null {
    if (!w || w.t !== 'word') return null;
    if ((ZONE_NAMES as readonly string[]).includes(w.text)) return w.text as ZoneName;
    this.report(w.loc, `unknown zone \`${w.text}\`${didYouMean(w.text, ZONE_NAMES)}; zones: DMA, DMA32, Normal, Movable`);
    return null;
  }
  private zoneRef(w: Arg | undefined | null, node: Clause | NumArg | undefined, op: boolean): ZoneRef | null {
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
  private oneOf<T extends string>(w: Arg | undefined | null, values: readonly T[], what: string): T | null {
    if (!w || w.t !== 'word') return null;
    if ((values as readonly string[]).includes(w.text)) return w.text as T;
    this.report(w.loc, `unknown ${what} \`${w.text}\`${didYouMean(w.text, values)}; expected one of: ${values.join(', ')}`);
    return null;
  }

  // ------------------------------------------------------------------ layout checks for operations
  private checkPfn(a: Arg | undefined, pfn: number | null): boolean {
    if (pfn === null || !a) return false;
    if (!this.hasMachine) return true;
    if (!this.layout.covers(pfn, pfn + 1)) { this.report(a.loc, `pfn ${hex(pfn)} is outside every zone and hotplug range (${this.layout.describe()})`); return false; }
    return true;
  }
  private checkRange(a: Arg | undefined, r: { start: number; end: number } | null): boolean {
    if (!r || !a) return false;
    if (!this.hasMachine) return true;
    if (!this.layout.covers(r.start, r.end)) {
      this.report(a.loc, `range ${rangeText(r.start, r.end)} is not inside the machine's zones and hotplug ranges (${this.layout.describe()})`);
      return false;
    }
    return true;
  }
  private checkBlock(a: Arg | undefined, id: number | null): boolean {
    if (id === null || !a) return false;
    if (this.hasMachine && !this.layout.blockExists(id)) {
      const ids = this.layout.blockIds(64);
      this.report(a.loc, `memory block ${id} does not exist (memory blocks: ${ids.length ? `${ids[0]}..${ids[ids.length - 1]}` : 'none'}; block size ${this.machine.memoryBlockPages} pages)`);
      return false;
    }
    return true;
  }
  /** `frees`: this statement frees what the target names (`free`, `cma_release`) */
  private target(a: Arg | undefined, frees = false): Target | null {
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
  private order(c: Clause | undefined, what: string, max: number | null): number | null {
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
  private lowerConfig(s: Stmt, into: Variant | null): void {
    if (s.kind === 'kernel') {
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
      return;
    }
    const nameArg = s.args.name as WordArg | undefined;
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
      if (val.t !== 'num') { this.report(val.loc, `policy ${name} takes a number, not \`${(val as WordArg).text}\``); return; }
      const n = this.int(val, `policy ${name}`);
      if (n === null) return;
      value = n;
    } else {
      const text = val.t === 'word' ? val.text : val.t === 'num' ? val.raw : '';
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

  private lowerVariant(s: Stmt): void {
    const n = s.args.name as WordArg | undefined;
    if (!n) return;
    const v: Variant = { name: n.text, kernel: null, policies: {}, loc: s.loc };
    for (const c of s.block!.body) {
      if (c.broken) continue;
      if (c.kind === 'kernel' || c.kind === 'policy') this.lowerConfig(c, v);
    }
    if (!this.variants.some((x) => x.name === v.name)) this.variants.push(v);
  }

  private lowerMachine(s: Stmt): void {
    if (this.hasMachine) { this.report(s.headLoc, 'only one `machine { … }` block is allowed'); return; }
    this.hasMachine = true;
    const m = this.machine;
    const seen = new Map<string, Loc>();
    const body = s.block!.body;
    // scalar settings first, so node and device checks use the final sizes
    for (const c of body) {
      if (c.broken) continue;
      const v = c.args.value;
      if (['page_size', 'pageblock_order', 'max_page_order', 'memory_block_size', 'section_size', 'swap', 'cpus', 'memmap_on_memory', 'movable_node', 'config_cma'].includes(c.kind)) {
        if (seen.has(c.kind)) this.report(c.headLoc, `duplicate \`${c.kind}\` (first on line ${seen.get(c.kind)!.line})`);
        seen.set(c.kind, c.loc);
      }
      switch (c.kind) {
        case 'page_size': {
          const p = v?.t === 'num' && v.value !== null ? v.value * BigInt(v.unit || 1) : null;
          if (p !== null && p !== 4096n) this.report(v!.loc, 'only 4K pages are modelled (page_size 4K)');
          break;
        }
        case 'pageblock_order': {
          const o = this.int(v, 'pageblock_order');
          if (o !== null) { if (o > 20) this.report(v!.loc, `pageblock_order ${o} is too large (at most 20)`); else m.pageblockOrder = o; }
          break;
        }
        case 'max_page_order': {
          const o = this.int(v, 'max_page_order');
          if (o !== null) { if (o > 20) this.report(v!.loc, `max_page_order ${o} is too large (at most 20)`); else m.maxPageOrder = o; }
          break;
        }
        case 'memory_block_size':
        case 'section_size': {
          const p = this.pages(v, c.kind);
          if (p === null) break;
          if (!isPow2(p)) { this.report(v!.loc, `${c.kind} must be a power of two number of pages`); break; }
          if (c.kind === 'memory_block_size') m.memoryBlockPages = p; else m.sectionPages = p;
          break;
        }
        case 'swap': {
          const p = this.pages(v, 'swap');
          if (p !== null) m.swapPages = p;
          break;
        }
        case 'cpus': {
          const n = this.int(v, 'cpus');
          if (n !== null) { if (n < 1 || n > 4096) this.report(v!.loc, 'cpus must be between 1 and 4096'); else m.cpus = n; }
          break;
        }
        case 'memmap_on_memory': {
          const x = this.oneOf(v, ['off', 'on', 'force'] as const, 'memmap_on_memory value');
          if (x) m.memmapOnMemory = x;
          break;
        }
        case 'movable_node': {
          const x = this.oneOf(v, ['off', 'on'] as const, 'movable_node value');
          if (x) m.movableNode = x === 'on';
          break;
        }
        case 'config_cma': {
          const x = this.oneOf(v, ['off', 'on'] as const, 'config_cma value');
          if (x) m.configCma = x === 'on';
          break;
        }
      }
    }
    if (m.pageblockOrder > m.maxPageOrder) this.report(s.headLoc, `pageblock_order ${m.pageblockOrder} is above max_page_order ${m.maxPageOrder}`);
    if (m.memoryBlockPages % m.sectionPages) this.report(s.headLoc, `memory_block_size (${m.memoryBlockPages} pages) must be a multiple of section_size (${m.sectionPages} pages)`);
    if (m.memoryBlockPages < 2 ** m.pageblockOrder) this.report(s.headLoc, 'memory_block_size must be at least a pageblock');
    for (const c of body) {
      if (c.broken) continue;
      if (c.kind === 'node' && c.block) this.lowerNode(c);
      else if (c.kind === 'cma') {
        const cl = this.clauses(c, 'cma');
        const r = this.range(c.args.range);
        const name = c.args.name as WordArg;
        this.define('cma', name, 'cma');
        const opb = cl?.by.get('order_per_bit');
        const orderPerBit = opb ? this.int(opb.value ?? undefined, 'order_per_bit') ?? 0 : 0;
        if (m.configCma === false) { this.report(c.headLoc, 'a CMA area needs CONFIG_CMA (`config_cma off` above)'); continue; }
        if (r && name) m.cma.push({ name: name.text, start: r.start, end: r.end, orderPerBit, loc: c.loc });
      } else if (c.kind === 'hugetlb_pool') {
        const cl = this.clauses(c, 'hugetlb_pool');
        const pages = this.hugePages(c.args.size);
        const count = this.int(c.args.count, 'the pool size');
        const node = cl?.by.get('node');
        const nid = node ? this.int(node.value ?? undefined, 'a node id') : null;
        if (pages !== null && count !== null) m.hugetlb.push({ pages, count, nid, loc: c.loc });
      } else if (c.kind === 'virtio_decl') {
        const cl = this.clauses(c, 'virtio_decl');
        const name = c.args.name as WordArg;
        this.define('device', name, 'virtio_decl');
        const r = this.range(c.args.range);
        const nidArg = c.args.nid as NumArg | undefined;
        const nid = nidArg ? this.int(nidArg, 'a node id') : cl?.by.get('node') ? this.int(cl.by.get('node')!.value ?? undefined, 'a node id') : 0;
        const blk = cl?.by.get('block');
        const blockPages = blk ? this.pages(blk.value ?? undefined, 'the device block size') : 2 ** m.pageblockOrder;
        if (r && name && nid !== null && blockPages !== null) m.virtioMem.push({ name: name.text, nid, start: r.start, end: r.end, blockPages, loc: c.loc });
      }
    }
  }

  private hugePages(a: Arg | undefined): number | null {
    const p = this.sizePages(a, 'the huge page size');
    if (p === null) return null;
    if (p !== 512 && p !== 262144) { this.report(a!.loc, `unsupported huge page size \`${(a as NumArg).raw}\`: 2M (PMD) or 1G (PUD, gigantic)`); return null; }
    return p;
  }

  private lowerNode(s: Stmt): void {
    const nid = this.int(s.args.nid, 'a node id');
    if (nid === null) return;
    const node: NodeSpec = { nid, zones: [], reserved: [], hotplug: [], loc: s.loc };
    for (const c of s.block!.body) {
      if (c.broken) continue;
      const r = this.range(c.args.range);
      if (!r) continue;
      if (c.kind === 'zone') {
        const z = this.zoneName(c.args.zone);
        if (z) node.zones.push({ zone: z, start: r.start, end: r.end, loc: c.loc });
      } else if (c.kind === 'reserved') {
        const cl = this.clauses(c, 'reserved');
        const uninit = !!cl?.flags.some((f) => f.text === 'uninitialised');
        if (cl) node.reserved.push({ start: r.start, end: r.end, ...(uninit ? { uninitialised: true } : {}), loc: c.loc });
      }
      else if (c.kind === 'hole') (node.holes ??= []).push({ start: r.start, end: r.end, loc: c.loc });
      else if (c.kind === 'hotplug') {
        const st = this.oneOf(c.args.state, ['offline', 'absent'] as const, 'hotplug state');
        const cl = this.clauses(c, 'hotplug');
        const imported = !!cl?.flags.some((f) => f.text === 'imported');
        if (imported && st === 'absent') this.report(c.loc, '`imported` applies to `offline` ranges (an absent range has no memmap yet)');
        if (st && cl) node.hotplug.push({ start: r.start, end: r.end, state: st, ...(imported ? { imported } : {}), loc: c.loc });
      }
    }
    this.machine.nodes.push(node);
  }

  // ------------------------------------------------------------------ operations and population
  private lowerOp(s: Stmt, forcedCpu: number | null): OpStep | null {
    const info = STMT_INFO[s.kind];
    if (!info) return null;
    if (s.kind === 'hugetlb_pool' || s.kind === 'virtio_decl' || s.kind === 'cma') return null;
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
    const op = this.operation(s, by, flags, cpu);
    if (as) this.define('label', as.value as WordArg, s.kind);
    if (!op) return null;
    return { kind: 'op', op, name: as ? (as.value as WordArg).text : null, cpu, loc: s.loc };
  }

  private flagOf<T extends string>(flags: WordArg[], values: readonly T[], what: string, s: Stmt): T | null | undefined {
    const hits = flags.filter((f) => (values as readonly string[]).includes(f.text));
    if (hits.length > 1) { this.report(hits[1]!.loc, `only one ${what} may be given (\`${hits[0]!.text}\` and \`${hits[1]!.text}\`)`); return undefined; }
    void s;
    return hits.length ? (hits[0]!.text as T) : null;
  }

  private operation(s: Stmt, by: Map<string, Clause>, flags: WordArg[], cpu: number): Operation | null {
    const a = s.args;
    const mach = this.machine;
    switch (s.kind) {
      case 'page':
      case 'pages': {
        let start: number | null;
        let end: number | null;
        if (s.kind === 'page') {
          start = this.int(a.pfn, 'a pfn');
          if (!this.checkPfn(a.pfn, start)) return null;
          end = start! + 1;
        } else {
          const r = this.range(a.range);
          if (!this.checkRange(a.range, r)) return null;
          start = r!.start; end = r!.end;
        }
        const kind = this.flagOf(flags, [...KINDS, 'pcp'] as const, 'page kind', s);
        if (kind === undefined) return null;
        if (kind === null) { this.report(s.headLoc, `\`${s.kind}\` needs a page kind: ${[...KINDS, 'pcp'].join(', ')}`); return null; }
        const modifiers = flags.filter((f) => (MODIFIERS as readonly string[]).includes(f.text)).map((f) => f.text as PageModifier);
        if (kind === 'pcp') {
          if (modifiers.length) { this.report(s.headLoc, 'a `pcp` page is free (zero refcount): it takes no modifiers'); return null; }
          return { op: 'page', start: start!, end: end!, kind, modifiers, cpu };
        }
        if (by.has('cpu')) { this.report(by.get('cpu')!.keyLoc, '`cpu N` only applies to `pcp` pages'); return null; }
        if (modifiers.includes('reclaimable') && kind !== 'slab') { this.report(s.headLoc, '`reclaimable` only applies to `slab` pages'); return null; }
        return { op: 'page', start: start!, end: end!, kind: kind as PageKind, modifiers };
      }
      case 'folio': {
        const pfn = this.int(a.pfn, 'a pfn');
        if (!this.checkPfn(a.pfn, pfn)) return null;
        const oc = by.get('order');
        if (!oc) { this.report(s.headLoc, '`folio` needs `order N`'); return null; }
        const kind = this.flagOf(flags, KINDS, 'page kind', s);
        if (kind === undefined) return null;
        if (kind === null) { this.report(s.headLoc, `\`folio\` needs a page kind: ${KINDS.join(', ')}`); return null; }
        const order = this.order(oc, 'folio', mach.maxPageOrder);
        if (order === null) return null;
        if (pfn! % 2 ** order) { this.report(a.pfn!.loc, `folio pfn ${hex(pfn!)} is not aligned to its order ${order} (${2 ** order} pages)`); return null; }
        if (this.hasMachine && !this.layout.covers(pfn!, pfn! + 2 ** order)) { this.report(a.pfn!.loc, `folio ${rangeText(pfn!, pfn! + 2 ** order)} extends outside the machine's memory`); return null; }
        const modifiers = flags.filter((f) => (MODIFIERS as readonly string[]).includes(f.text)).map((f) => f.text as PageModifier);
        return { op: 'folio', pfn: pfn!, order, kind, modifiers };
      }
      case 'pageblock': {
        const pfn = this.int(a.pfn, 'a pfn');
        if (!this.checkPfn(a.pfn, pfn)) return null;
        const w = a.state as WordArg | undefined;
        if (!w) return null;
        const mt = this.oneOf(w, PAGEBLOCK_TYPES, 'pageblock migratetype');
        if (!mt) return null;
        return { op: 'pageblock', pfn: pfn!, migratetype: mt };
      }
      case 'fill': {
        const zone = this.zoneRef(a.zone, by.get('node'), true);
        const pct = a.percent?.t === 'pct' ? a.percent.value : null;
        if (pct !== null && (pct < 0 || pct > 100)) { this.report(a.percent!.loc, 'a percentage is between 0% and 100%'); return null; }
        const cls = this.flagOf(flags, FILL_CLASSES, 'fill class', s);
        if (cls === undefined) return null;
        if (cls === null) { this.report(s.headLoc, `\`fill\` needs a class: ${FILL_CLASSES.join(', ')}`); return null; }
        const packing = this.flagOf(flags, ['packed', 'scattered'] as const, 'placement', s);
        if (packing === undefined) return null;
        const order = by.has('order') ? this.order(by.get('order'), 'fill', mach.maxPageOrder) : 0;
        if (!zone || pct === null || order === null) return null;
        return { op: 'fill', zone, percent: pct, cls: cls as FillClass, order, packed: packing === 'packed' };
      }
      case 'alloc': {
        const oc = by.get('order');
        if (!oc) { this.report(s.headLoc, '`alloc` needs `order N`'); return null; }
        const order = this.order(oc, 'alloc', mach.maxPageOrder);
        const gfp = this.gfp(by.get('gfp'));
        if (gfp === null) return null;
        let mt = this.flagOf(flags, ALLOC_MIGRATETYPES, 'migratetype', s);
        if (mt === undefined) return null;
        if (mt === null) {
          if (!by.has('gfp')) { this.report(s.headLoc, '`alloc` needs a migratetype: movable, unmovable or reclaimable (or `gfp FLAGS`)'); return null; }
          mt = gfp.some((g) => g === '__GFP_MOVABLE' || g.endsWith('_MOVABLE') || g.startsWith('GFP_TRANSHUGE')) ? 'movable' : gfp.includes('__GFP_RECLAIMABLE') ? 'reclaimable' : 'unmovable';
        }
        const zone = by.has('zone') ? this.zoneRef(by.get('zone')!.value, by.get('node'), true) : null;
        if (by.has('zone') && !zone) return null;
        if (!by.has('zone') && by.has('node') && this.nid(by.get('node')) === null) return null;
        const count = by.has('count') ? this.pages(by.get('count')!.value ?? undefined, 'the count') : 1;
        if (order === null || count === null) return null;
        if (count < 1) { this.report(by.get('count')!.loc, 'count must be at least 1'); return null; }
        return { op: 'alloc', order, migratetype: mt, gfp, zone: zone ?? (by.has('node') ? { nid: this.int(by.get('node')!.value ?? undefined, 'a node id') ?? 0, zone: 'Normal' } : null), count };
      }
      case 'free': {
        const target = this.target(a.target, true);
        return target ? { op: 'free', target, order: null } : null;
      }
      case 'pin': {
        const target = this.target(a.target);
        return target ? { op: 'pin', target, longterm: flags.some((f) => f.text === 'longterm') } : null;
      }
      case 'unpin': {
        const target = this.target(a.target);
        return target ? { op: 'unpin', target } : null;
      }
      case 'migrate': {
        const target = this.target(a.target);
        const nid = by.has('node') ? this.nid(by.get('node')) : null;
        if (by.has('node') && nid === null) return null;
        return target ? { op: 'migrate', target, nid } : null;
      }
      case 'cma_release': {
        const t = a.target;
        const target = this.target(t, true);
        if (target?.kind === 'name') {
          const d = this.read(0, 'label:' + target.name) as NameDef | undefined;
          if (d && d.stmt !== 'cma_alloc') this.report(t!.loc, `\`${target.name}\` is not a cma_alloc (it is a ${d.stmt})`, 'warning');
        }
        return target ? { op: 'cma_release', target } : null;
      }
      case 'slab_grow': {
        const zone = this.zoneRef(a.zone, by.get('node'), true);
        const pages = this.pages(a.count, 'the page count');
        return zone && pages !== null ? { op: 'slab_grow', zone, pages, reclaimable: flags.some((f) => f.text === 'reclaimable') } : null;
      }
      case 'slab_shrink': {
        const zone = this.zoneRef(a.zone, by.get('node'), true);
        const pct = a.percent?.t === 'pct' ? a.percent.value : null;
        if (pct !== null && (pct < 0 || pct > 100)) { this.report(a.percent!.loc, 'a percentage is between 0% and 100%'); return null; }
        return zone && pct !== null ? { op: 'slab_shrink', zone, percent: pct } : null;
      }
      case 'drain': {
        const zone = by.has('zone') ? this.zoneRef(by.get('zone')!.value, by.get('node'), true) : null;
        if (by.has('zone') && !zone) return null;
        return { op: 'drain', cpu: by.has('cpu') ? cpu : null, zone };
      }
      case 'isolate':
      case 'unisolate':
      case 'alloc_contig_range':
      case 'add_memory':
      case 'remove_memory':
      case 'eject': {
        const r = this.range(a.range);
        if (!r) return null;
        if (s.kind === 'add_memory' || s.kind === 'remove_memory' || s.kind === 'eject') {
          const mb = mach.memoryBlockPages;
          if (r.start % mb || r.end % mb) {
            this.report(a.range!.loc, `${s.kind} range ${rangeText(r.start, r.end)} is not aligned to the memory block size (${mb} pages = ${(mb * 4) / 1024} MiB)`);
            return null;
          }
        }
        if (!this.checkRange(a.range, r)) return null;
        if (s.kind === 'isolate') {
          const mode = by.has('mode') ? this.oneOf(by.get('mode')!.value, ISOLATE_MODES, 'isolation mode') : 'other';
          return mode ? { op: 'isolate', start: r.start, end: r.end, mode } : null;
        }
        if (s.kind === 'unisolate') return { op: 'unisolate', start: r.start, end: r.end };
        if (s.kind === 'alloc_contig_range') {
          const gfp = this.gfp(by.get('gfp'));
          return gfp ? { op: 'alloc_contig_range', start: r.start, end: r.end, cma: flags.some((f) => f.text === 'cma'), gfp } : null;
        }
        if (s.kind === 'add_memory') {
          const nid = by.has('node') ? this.nid(by.get('node')) : 0;
          return nid === null ? null : { op: 'add_memory', start: r.start, end: r.end, nid };
        }
        if (s.kind === 'eject') return { op: 'eject', start: r.start, end: r.end };
        return { op: 'remove_memory', start: r.start, end: r.end };
      }
      case 'alloc_contig_pages': {
        const pages = this.pages(a.count, 'the page count');
        const nid = by.has('node') ? this.nid(by.get('node')) : null;
        const zone = by.has('zone') ? this.zoneRef(by.get('zone')!.value, by.get('node'), true) : null;
        if (pages === null || (by.has('node') && nid === null) || (by.has('zone') && !zone)) return null;
        return { op: 'alloc_contig_pages', pages, nid, zone };
      }
      case 'cma_alloc': {
        const area = this.resolve('cma', a.area as WordArg);
        const pages = this.pages(a.count, 'the page count');
        const align = by.has('align') ? this.order(by.get('align'), 'cma_alloc align', null) : 0;
        if (!area || pages === null || align === null) return null;
        return { op: 'cma_alloc', area: area.name, pages, align };
      }
      case 'online':
      case 'offline': {
        const block = this.int(a.block, 'a memory block id');
        if (!this.checkBlock(a.block, block)) return null;
        if (s.kind === 'offline') return { op: 'offline', block: block! };
        const type = this.flagOf(flags, ONLINE_TYPES, 'online type', s);
        if (type === undefined) return null;
        return { op: 'online', block: block!, type: type ?? 'online' };
      }
      case 'hugetlb_resize': {
        const pages = this.hugePages(a.size);
        const count = this.int(a.count, 'nr_hugepages');
        const nid = by.has('node') ? this.nid(by.get('node')) : null;
        if (pages === null || count === null || (by.has('node') && nid === null)) return null;
        return { op: 'hugetlb_resize', pages, count, nid };
      }
      case 'compact': {
        const zone = this.zoneRef(a.zone, by.get('node'), true);
        const order = by.has('order') ? this.order(by.get('order'), 'compaction', mach.maxPageOrder) : -1;
        return zone && order !== null ? { op: 'compact', zone, order } : null;
      }
      case 'report':
        return { op: 'report' };
      case 'kswapd': {
        const nid = by.has('node') ? this.nid(by.get('node')) : 0;
        return nid === null ? null : { op: 'kswapd', nid };
      }
      case 'virtio_op': {
        const dev = this.resolve('device', a.name as WordArg);
        const pages = this.pages(a.count, 'the size change');
        const action = (a.action as WordArg | undefined)?.text as 'plug' | 'unplug' | undefined;
        if (!dev || pages === null || !action) return null;
        const d = mach.virtioMem.find((x) => x.name === dev.name);
        if (d && pages % d.blockPages) {
          this.report(a.count!.loc, `virtio-mem ${d.name} plugs in device blocks of ${d.blockPages} pages: ${pages} pages is not a multiple`);
          return null;
        }
        return { op: 'virtio_mem', device: dev.name, action, pages };
      }
    }
    return null;
  }

  private gfp(c: Clause | undefined): string[] | null {
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
  private lowerInterleave(s: Stmt): void {
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
        if (!STMT_INFO[c.inner.kind]?.op) {
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
  private lowerExpect(s: Stmt): Step | null {
    const extra: Record<string, string[]> = { expect_pageblock: ['isolated'], expect_block: [...ZONE_NAMES] };
    const clauses = s.kind === 'expect_result' ? ['at', 'reason', 'when'] : ['when'];
    const cl = this.clauses(s, s.kind, { clauses, flags: extra[s.kind] ?? [] });
    if (!cl) return null;
    const { by, flags } = cl;
    const variants: string[] = [];
    const when = by.get('when');
    if (when?.value?.t === 'list') {
      for (const w of when.value.items) if (w.t === 'word' && this.resolve('variant', w)) variants.push(w.text);
      if (variants.length !== when.value.items.length) return null;
    }
    const e = this.expectation(s, by, flags);
    return e ? { kind: 'expect', expect: e, variants, loc: s.loc } : null;
  }

  private cmpOf(a: Arg | undefined): Cmp | null {
    return a && a.t === 'cmp' ? (a.text as Cmp) : null;
  }

  private expectation(s: Stmt, by: Map<string, Clause>, flags: WordArg[]): Expectation | null {
    const a = s.args;
    switch (s.kind) {
      case 'expect_result': {
        const name = a.name as WordArg;
        if (!this.resolve('label', name)) return null;
        const r = a.result;
        let errno: Errno | null = null;
        if (r?.t === 'errno') {
          const e = r.text.slice(1);
          if (!(ERRNOS as readonly string[]).includes(e)) {
            this.report(r.loc, `unknown errno \`${r.text}\`${didYouMean(e, ERRNOS)}; errnos: ${ERRNOS.map((x) => '-' + x).join(' ')}`);
            return null;
          }
          errno = e as Errno;
        }
        const at = by.get('at');
        const reason = by.get('reason');
        // `fails`: any failure (no errno needed: e.g. compaction ending COMPACT_COMPLETE without success)
        const fails = r?.t === 'word' && r.text === 'fails';
        if (!errno && !fails && (at || reason)) { this.report((at ?? reason)!.keyLoc, `\`${(at ?? reason)!.key}\` only applies to a failed result (expect ${name.text} -EBUSY at PFN reason "…", or expect ${name.text} fails reason "…")`); return null; }
        const pfn = at ? this.int(at.value ?? undefined, 'a pfn') : null;
        if (at && !this.checkPfn(at.value ?? undefined, pfn)) return null;
        return { what: 'result', name: name.text, ok: !errno && !fails, errno, pfn, reason: reason?.value?.t === 'str' ? reason.value.text : null };
      }
      case 'expect_migrated': {
        const name = a.name as WordArg;
        const value = this.int(a.value, 'the migration count');
        const cmp = this.cmpOf(a.cmp);
        if (!this.resolve('label', name) || value === null || !cmp) return null;
        return { what: 'migrated', name: name.text, cmp, value };
      }
      case 'expect_zone': {
        const f = a.field;
        if (!f || f.t !== 'field') return null;
        const zone = this.zoneRef(f.zone, a.nid as NumArg | undefined, false);
        const field = this.oneOf(f.field, ZONE_FIELDS, 'zone field') as ZoneField | null;
        const value = this.pages(a.value, 'the value');
        const cmp = this.cmpOf(a.cmp);
        if (!zone || !field || value === null || !cmp) return null;
        return { what: 'zone', zone, field, cmp, value };
      }
      case 'expect_pageblock': {
        const pfn = this.int(a.pfn, 'a pfn');
        if (!this.checkPfn(a.pfn, pfn)) return null;
        const w = a.state as WordArg | undefined;
        if (!w) return null;
        if (w.text === 'isolated') return { what: 'pageblock', pfn: pfn!, migratetype: 'isolate', isolated: true };
        const mt = this.oneOf(w, [...MIGRATETYPE_NAMES, 'isolated'], 'migratetype') as Migratetype | null;
        if (!mt) return null;
        const iso = flags.some((x) => x.text === 'isolated');
        return { what: 'pageblock', pfn: pfn!, migratetype: mt, isolated: iso || mt === 'isolate' };
      }
      case 'expect_page': {
        const pfn = this.int(a.pfn, 'a pfn');
        if (!this.checkPfn(a.pfn, pfn)) return null;
        const st = this.oneOf(a.state, PAGE_STATES, 'page state') as PageStateName | null;
        return st ? { what: 'page', pfn: pfn!, state: st } : null;
      }
      case 'expect_block': {
        const block = this.int(a.block, 'a memory block id');
        if (!this.checkBlock(a.block, block)) return null;
        const st = this.oneOf(a.state, ['online', 'offline', 'absent'] as const, 'memory block state');
        if (!st) return null;
        const z = flags.find((f) => (ZONE_NAMES as readonly string[]).includes(f.text));
        if (z && st !== 'online') { this.report(z.loc, 'only an online block has a zone'); return null; }
        return { what: 'block', block: block!, state: st, zone: z ? (z.text as ZoneName) : null };
      }
      case 'expect_buddyinfo': {
        const zone = this.zoneRef(a.zone, a.nid as NumArg | undefined, false);
        const cmp = this.cmpOf(a.cmp);
        if (cmp && cmp !== '==') { this.report(a.cmp!.loc, 'buddyinfo compares with `==` (free blocks per order, from order 0)'); return null; }
        const items = a.counts?.t === 'list' ? a.counts.items : [];
        const max = this.machine.maxPageOrder + 1;
        if (items.length > max) { this.report(items[max]!.loc, `buddyinfo has ${max} orders (0..MAX_PAGE_ORDER ${max - 1}); ${items.length} counts given`); return null; }
        const counts = items.map((i) => this.int(i, 'a count'));
        if (!zone || counts.some((c) => c === null)) return null;
        return { what: 'buddyinfo', zone, counts: counts as number[] };
      }
      case 'expect_freelist': {
        const zone = this.zoneRef(a.zone, a.nid as NumArg | undefined, false);
        const mt = this.oneOf(a.mt, MIGRATETYPE_NAMES, 'migratetype');
        const oc: Clause | undefined = a.order ? { key: 'order', keyLoc: a.order.loc, value: a.order, loc: a.order.loc } : undefined;
        const order = this.order(oc, 'free list', this.machine.maxPageOrder);
        const cmp = this.cmpOf(a.cmp);
        const value = this.int(a.value, 'a count');
        if (!zone || !mt || order === null || !cmp || value === null) return null;
        return { what: 'freelist', zone, migratetype: mt, order, cmp, value };
      }
      case 'expect_hugetlb': {
        const pages = this.hugePages(a.size);
        const field = this.oneOf(a.field, ['free', 'total'] as const, 'hugetlb field');
        const cmp = this.cmpOf(a.cmp);
        const value = this.int(a.value, 'a count');
        if (pages === null || !field || !cmp || value === null) return null;
        return { what: 'hugetlb', pages, field, cmp, value };
      }
    }
    return null;
  }
}

export type { Block };
