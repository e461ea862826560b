// Time travel without full clones: a journal of the machine's state between boundaries (positions of a run).
//
// Between two boundaries b_j < b_{j+1} the journal keeps one delta D_j: for every key of the big maps that the steps
// in between touched, its value at one end (ABSENT when it had none), and for the pageblock/memory-block typed arrays
// the indices that changed. A delta is "undo" (values at b_j) while the run stands after it and "redo" (values at
// b_{j+1}) while the run stands before it: applying it swaps the stored values with the live ones, which moves the
// machine across the interval and flips the delta, so going back and forth costs only the keys touched in between,
// and no copy of the whole state is ever made after boot. The small state (zones and their pcp lists, the pcp page
// map (packed), pools, hotplug blocks, counters) is copied at every boundary, its parts equal to the previous
// boundary's shared with it (a few KiB each). The migration maps (migLog, moved, movedKey) and the swap record (swapped) are versioned instead
// (vmap.ts): a jump only says which boundary they are read at, so they cost nothing per key crossed. A new Core field must be classified below (the constructor checks).
//
// How a touch is seen: the big maps are replaced by subclasses that record a key's value (a copy) the first time a
// step gets, sets or deletes it since the last boundary. Values are mutated in place only after a get (Core's
// helpers), and references to them are not kept across steps, so the first get sees the value at the boundary.
// Values read by iteration are not recorded: the simulator iterates these maps only to read them, or to delete
// through Core.delFree (which gets/deletes by key). The runner checks exactness against straight runs
// (test/unit/sim/journal.test.ts). A step that mutates a value it got by iteration must get it by key first.
import type { Core, Extent, FreeBlock, PcpEntry } from './core.js';
import { Machine } from './machine.js';
import { NumMap } from './nummap.js';
import { VersionedMap } from './vmap.js';
import { PageReportingDevice } from './reporting/state.js';
import { copySysctls } from './sysctl-state.js';

const ABSENT: unique symbol = Symbol('absent');
type Pre<V> = V | typeof ABSENT;

/** a map whose first touch of each key per interval is recorded (the value before the touch) */
interface Journaled<K, V> {
  log: Map<K, Pre<V>>;
  rawHas(k: K): boolean;
  rawGet(k: K): V | undefined;
  rawSet(k: K, v: V): void;
  rawDelete(k: K): void;
  /** for each i: keys[i] takes vals[i] (ABSENT: deleted) and vals[i] takes the value it had; nothing recorded */
  swapAll(keys: unknown[], vals: unknown[]): void;
}

class JNumMap<V> extends NumMap<V> implements Journaled<number, V> {
  log = new Map<number, Pre<V>>();
  constructor(private readonly copy: ((v: V) => V) | null) {
    super();
  }
  private note(k: number): void {
    const l = this.log;
    if (l === undefined || l.has(k)) return;
    const had = super.has(k);
    l.set(k, had ? (this.copy ? this.copy(super.get(k) as V) : (super.get(k) as V)) : ABSENT);
  }
  override get(k: number): V | undefined {
    const v = super.get(k);
    if (v !== undefined && this.copy) this.note(k);
    return v;
  }
  override set(k: number, v: V): this {
    this.note(k);
    return super.set(k, v);
  }
  override delete(k: number): boolean {
    this.note(k);
    return super.delete(k);
  }
  override clear(): void {
    for (const k of super.keys()) this.note(k);
    super.clear();
  }
  rawHas(k: number): boolean { return super.has(k); }
  rawGet(k: number): V | undefined { return super.get(k); }
  rawSet(k: number, v: V): void { super.set(k, v); }
  rawDelete(k: number): void { super.delete(k); }
  swapAll(keys: unknown[], vals: unknown[]): void {
    for (let x = 0; x < keys.length; x++) {
      const v = vals[x];
      const cur = this.exchange(keys[x] as number, v === ABSENT ? undefined : (v as V));
      vals[x] = cur === undefined ? ABSENT : cur;
    }
  }
}

/** Core's big maps: journaled per key. Values are copied at the first touch when the simulator mutates them in
 *  place (free blocks, extents, per-pageblock extent lists). */
const BIG = {
  free: (b: FreeBlock): FreeBlock => ({ ...b }),
  ext: (e: Extent): Extent => ({ ...e }),
  pbExt: (l: number[]): number[] => l.slice(),
} as const;
type BigName = keyof typeof BIG;
const BIG_NAMES = Object.keys(BIG) as BigName[];
/** Core's migration maps (immutable values, three entries per migrated page) and the swap record per owner
 *  (immutable arrays, swap.ts): versioned (vmap.ts), so a jump costs the same whatever its distance; `true`: numeric keys */
const VERSIONED = { migLog: true, moved: false, movedKey: true, swapped: false } as const;
type VersionedName = keyof typeof VERSIONED;
const VERSIONED_NAMES = Object.keys(VERSIONED) as VersionedName[];
/** typed arrays: diffed against a copy at the last boundary */
const ARRAYS = ['pbMt', 'pbIso', 'pbSkip', 'pbZone', 'pbHead', 'blockState', 'blockNid'] as const;
type ArrayName = (typeof ARRAYS)[number];
/** copied whole at every boundary (small) */
const SMALL = ['zones', 'straddle', 'pcpPages', 'rng', 'minFreeKbytes', 'isoMode', 'events', 'totalCma', 'pools', 'hugeOvercommit', 'cma', 'reportDev',
  'lruSeq', 'swapFree', 'kswapd', 'lruCost', 'freeGen', 'vm', 'slowpaths', 'migrating', 'sysctl'] as const;
/** Core.caches: derived values checked against the state at every use (a jump replaces the zones and the straddle map) */
const DERIVED = ['caches'];
/** fixed at construction */
const FIXED = ['spec', 'pol', 'pbo', 'pbPages', 'maxOrder', 'nrOrders', 'cpus', 'maxPfn', 'minPfn', 'pbBase', 'blockBase', 'nrNodes'];

type Small = Record<string, unknown> & { hp: Machine['hp'] };

function copySmall(c: Core, m: Machine): Small {
  const s: Small = { hp: m.hp.clone() } as Small;
  s.zones = c.zones.map((z) => z.clone());
  s.straddle = new Map([...c.straddle].map(([k, v]) => [k, v.map((r) => ({ ...r }))]));
  // the pcp pages as two arrays (a NumMap's index would be most of the copy); restore builds the map
  s.pcpPages = packPcp(c.pcpPages);
  s.rng = c.rng.clone();
  s.isoMode = new Map(c.isoMode);
  s.reportDev = Object.assign(new PageReportingDevice(), c.reportDev);
  s.pools = new Map([...c.pools].map(([k, v]) => [k, new Map([...v].map(([n, p]) => [n, { ...p, free: p.free.slice() }]))]));
  s.hugeOvercommit = new Map(c.hugeOvercommit);
  s.cma = c.cma.map((a) => ({ ...a, bitmap: a.bitmap.slice() }));
  s.kswapd = c.kswapd.map((k) => ({ ...k }));
  s.lruCost = c.lruCost.map((k) => ({ ...k }));
  s.vm = { ...c.vm };
  s.sysctl = copySysctls(c.sysctl);
  // per operation only (Machine.run and migrate_pages set them, as Core.cloneInto resets them): empty between steps
  s.slowpaths = [];
  s.migrating = null;
  for (const k of ['minFreeKbytes', 'totalCma', 'lruSeq', 'swapFree', 'freeGen'] as const) s[k] = c[k];
  s.events = [];
  return s;
}

/** the pcp page map packed: pfns and (cpu, zone, order, pindex, cachedMt) in one number each */
interface PcpCopy { keys: Float64Array; vals: Float64Array }
function packPcp(m: Map<number, PcpEntry>): PcpCopy {
  const keys = new Float64Array(m.size), vals = new Float64Array(m.size);
  let i = 0;
  for (const [k, p] of m) {
    // a new PcpEntry field would be lost here: fail loudly
    if (i === 0 && Object.keys(p).length !== 5) throw new Error(`journal: PcpEntry fields changed (${Object.keys(p).join(', ')}): update packPcp`);
    keys[i] = k;
    vals[i++] = (((p.cpu * 4096 + p.zone) * 64 + p.order) * 64 + p.pindex) * 64 + p.cachedMt;
  }
  return { keys, vals };
}
function unpackPcp(c: PcpCopy): NumMap<PcpEntry> {
  const m = new NumMap<PcpEntry>();
  for (let i = 0; i < c.keys.length; i++) {
    let v = c.vals[i]!;
    const cachedMt = v % 64; v = (v - cachedMt) / 64;
    const pindex = v % 64; v = (v - pindex) / 64;
    const order = v % 64; v = (v - order) / 64;
    const zone = v % 4096;
    m.set(c.keys[i]!, { cpu: (v - zone) / 4096, zone, order, pindex, cachedMt });
  }
  return m;
}

const NO_CHANGE = { idx: new Int32Array(0), val: new Float64Array(0) };

/**
 * `a` (a fresh copy) with every part deep-equal to the same part of `p` (the previous boundary's copy) replaced by
 * p's: structural sharing between boundaries. Copies are never mutated (a restore copies them again), so sharing is
 * safe. Maps (Map, NumMap) are compared entry by entry, typed arrays element by element.
 */
function share(a: unknown, p: unknown): unknown {
  if (a === p || typeof a !== 'object' || a === null || typeof p !== 'object' || p === null) return a;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(p)) return a;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<number>, y = p as unknown as ArrayLike<number>;
    if (x.length !== y.length) return a;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return a;
    return p;
  }
  if (Array.isArray(a)) {
    const b = p as unknown[];
    let all = a.length === b.length;
    for (let i = 0; i < a.length; i++) {
      const v = i < b.length ? share(a[i], b[i]) : a[i];
      a[i] = v;
      if (v !== b[i]) all = false;
    }
    return all ? p : a;
  }
  if (a instanceof Map || a instanceof NumMap) {
    const m = a as Map<unknown, unknown>, q = p as Map<unknown, unknown>;
    let all = m.size === q.size;
    for (const [k, v] of m) {
      const pv = q.get(k);
      const w = pv === undefined ? v : share(v, pv);
      if (w !== v) m.set(k, w);
      if (w !== pv) all = false;
    }
    return all ? p : a;
  }
  const x = a as Record<string, unknown>, y = p as Record<string, unknown>;
  const keys = Object.keys(x);
  let all = keys.length === Object.keys(y).length;
  for (const k of keys) {
    const v = share(x[k], y[k]);
    x[k] = v;
    if (v !== y[k]) all = false;
  }
  return all ? p : a;
}

interface Delta {
  maps: MapDelta[];
  /** per typed array: changed indices and their values at the other end */
  arrays: { idx: Int32Array; val: Float64Array }[];
}

/** shallow equality of two recorded values (objects of plain fields, or arrays of numbers) */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const x = a as Record<string, unknown>, y = b as Record<string, unknown>;
  for (const k in x) if (x[k] !== y[k]) return false;
  for (const k in y) if (!(k in x)) return false;
  return true;
}

/** one map's part of a delta: keys and their values at the other end (parallel arrays: compact, fast to walk) */
interface MapDelta { keys: unknown[]; vals: unknown[] }

/** the interval's log without the keys that ended as they began (read only, or changed and changed back) */
function prune<K, V>(j: Journaled<K, V>): MapDelta {
  const keys: unknown[] = [];
  const vals: unknown[] = [];
  for (const [k, pre] of j.log) {
    const had = j.rawHas(k);
    if (pre === ABSENT ? !had : had && same(pre, j.rawGet(k))) continue;
    keys.push(k);
    vals.push(pre);
  }
  return { keys, vals };
}

export class Journal {
  /** known boundaries (positions), ascending, and the small state at each */
  private readonly bounds: number[] = [];
  private readonly small = new Map<number, Small>();
  /** deltas[j] connects bounds[j] and bounds[j+1] */
  private readonly deltas: Delta[] = [];
  /** index in bounds of the boundary the live interval started at */
  private cur = 0;
  private readonly shadow: Map<ArrayName, Int32Array | Int16Array | Uint8Array>;

  constructor(private machine: Machine, position: number) {
    const c = machine.c;
    const known = new Set<string>([...BIG_NAMES, ...VERSIONED_NAMES, ...ARRAYS, ...SMALL, ...FIXED, ...DERIVED]);
    const unknown = Object.keys(c).filter((k) => !known.has(k));
    // a new Core field must be classified here, or going back would silently keep its later value
    if (unknown.length) throw new Error(`journal: Core fields not journaled: ${unknown.join(', ')}`);
    for (const name of BIG_NAMES) {
      const old = c[name] as Map<unknown, unknown>;
      const copy = BIG[name] as ((v: unknown) => unknown) | null;
      // numeric keys in a NumMap, even Core.free (native there for fills): a native Map slows down badly when the
      // journal deletes and adds back the same keys jump after jump (see nummap.ts)
      const j = new JNumMap<unknown>(copy);
      for (const [k, v] of old) j.rawSet(k as number, v);
      (c as unknown as Record<string, unknown>)[name] = j;
    }
    for (const name of VERSIONED_NAMES) {
      (c as unknown as Record<string, unknown>)[name] = new VersionedMap<unknown, unknown>(VERSIONED[name], c[name] as Map<unknown, unknown>);
    }
    this.shadow = new Map(ARRAYS.map((a) => [a, c[a].slice()]));
    this.bounds.push(position);
    this.small.set(position, copySmall(c, machine));
  }

  private get c(): Core {
    return this.machine.c;
  }
  private logs(): Journaled<unknown, unknown>[] {
    return BIG_NAMES.map((n) => this.c[n] as unknown as Journaled<unknown, unknown>);
  }
  private versioned(): VersionedMap<unknown, unknown>[] {
    return VERSIONED_NAMES.map((n) => this.c[n] as unknown as VersionedMap<unknown, unknown>);
  }

  /** the last known boundary at or before `position` */
  baseFor(position: number): number {
    // binary search (called at every step): the last index with bounds[i] <= position, or the first boundary
    const bs = this.bounds;
    let lo = 0, hi = bs.length - 1;
    if (bs[0]! > position) return bs[0]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bs[mid]! <= position) lo = mid;
      else hi = mid - 1;
    }
    return bs[lo]!;
  }
  get first(): number {
    return this.bounds[0]!;
  }
  get frontier(): number {
    return this.bounds[this.bounds.length - 1]!;
  }
  isBoundary(p: number): boolean {
    return this.small.has(p);
  }
  /** entries held by the deltas (for tests and the bench's log) */
  get size(): number {
    let n = 0;
    for (const d of this.deltas) for (const m of d.maps) n += m.keys.length;
    for (const v of this.versioned()) n += v.versions;
    return n;
  }

  /**
   * The run just reached `position` by stepping from the live interval's start. A known boundary closes the
   * interval (its delta is replaced by the one just recorded, same keys: runs are deterministic); past the
   * frontier, `newBoundary` says whether to make one here.
   */
  reached(position: number, newBoundary: boolean): boolean {
    const known = this.isBoundary(position);
    if (!known && !(newBoundary && position > this.frontier)) return false;
    const c = this.c;
    const d: Delta = { maps: [], arrays: [] };
    for (const j of this.logs()) {
      d.maps.push(prune(j));
      j.log = new Map();
    }
    for (const a of ARRAYS) {
      const live = c[a];
      const sh = this.shadow.get(a)!;
      const idx: number[] = [];
      const val: number[] = [];
      // compare 4 bytes at a time (a boundary of a 256 GiB machine compares 5 × 131072 entries), then the
      // entries of a differing word
      const per = 4 / live.BYTES_PER_ELEMENT;
      const words = Math.floor(live.length / per);
      const lw = new Int32Array(live.buffer, live.byteOffset, words);
      const sw = new Int32Array(sh.buffer, sh.byteOffset, words);
      for (let w = 0; w < words; w++) {
        if (lw[w] === sw[w]) continue;
        for (let i = w * per; i < w * per + per; i++) if (live[i] !== sh[i]) { idx.push(i); val.push(sh[i]!); sh[i] = live[i]!; }
      }
      for (let i = words * per; i < live.length; i++) {
        if (live[i] !== sh[i]) { idx.push(i); val.push(sh[i]!); sh[i] = live[i]!; }
      }
      d.arrays.push(idx.length ? { idx: Int32Array.from(idx), val: Float64Array.from(val) } : NO_CHANGE);
    }
    if (known) {
      if (this.bounds[this.cur + 1] !== position) throw new Error(`journal: stepped from ${this.bounds[this.cur]} to boundary ${position} past ${this.bounds[this.cur + 1]}`);
      for (const v of this.versioned()) v.close(this.cur + 1, true);
      this.deltas[this.cur] = d;
      this.cur++;
    } else {
      for (const v of this.versioned()) v.close(this.bounds.length, false);
      this.deltas.push(d);
      this.bounds.push(position);
      // the parts equal to the previous boundary's are shared with it (most of the small state changes rarely)
      const prev = this.small.get(this.bounds[this.bounds.length - 2]!);
      const now = copySmall(c, this.machine);
      this.small.set(position, share(now, prev) as Small);
      this.cur = this.bounds.length - 1;
    }
    return true;
  }

  /** Puts the machine at boundary `b` (a known one). Returns the machine to use (a new Machine object over the
   *  same state, so views keyed by the machine see a change). */
  restore(b: number): Machine {
    const c = this.c;
    // 1. back to the live interval's start: the recorded first values, the arrays from their copy
    for (const j of this.logs()) {
      for (const [k, v] of j.log) {
        if (v === ABSENT) j.rawDelete(k);
        else j.rawSet(k, v);
      }
      j.log = new Map();
    }
    for (const a of ARRAYS) c[a].set(this.shadow.get(a)!);
    // 2. across whole intervals, swapping each delta
    const target = this.bounds.indexOf(b);
    if (target < 0) throw new Error(`journal: no boundary at ${b}`);
    while (this.cur > target) this.swap(this.deltas[--this.cur]!);
    while (this.cur < target) this.swap(this.deltas[this.cur++]!);
    // the migration maps: the live interval's writes dropped, then read at the target boundary
    for (const v of this.versioned()) v.restore(target);
    for (const a of ARRAYS) this.shadow.get(a)!.set(c[a]);
    // 3. the small state of that boundary (copied again: the boundary's copy stays reusable)
    const s = this.small.get(b)!;
    const t = copySmall({ ...s, pcpPages: new Map() } as unknown as Core, { hp: s.hp } as Machine);
    t.pcpPages = unpackPcp(s.pcpPages as PcpCopy);
    for (const k of SMALL) (c as unknown as Record<string, unknown>)[k] = t[k];
    const old = this.machine;
    const m = new Machine(old.spec, old.policies, old.seed, false);
    m.c = c;
    m.hp = t.hp;
    m.bootNotes = old.bootNotes;
    this.machine = m;
    return m;
  }

  private swap(d: Delta): void {
    const logs = this.logs();
    for (let i = 0; i < logs.length; i++) {
      const j = logs[i]!;
      const { keys, vals } = d.maps[i]!;
      j.swapAll(keys, vals);
    }
    ARRAYS.forEach((a, i) => {
      const live = this.c[a];
      const { idx, val } = d.arrays[i]!;
      for (let x = 0; x < idx.length; x++) {
        const p = idx[x]!;
        const v = live[p]!;
        live[p] = val[x]!;
        val[x] = v;
      }
    });
  }
}
