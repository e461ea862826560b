// The reclaim LRU view kept between reclaim runs (a pure speed-up: the lists are exactly what a fresh NodeLru build
// gives). Building the view from every extent was most of a reclaim run on big machines (pressure-256G: ~227 builds
// of ~166,000 extents per 10,000 operations), while between two runs only a few hundred extents change.
//
// How staleness is excluded: nothing is trusted to report a change. Each refresh walks the extent map once and
// compares every extent with what the cache recorded for it at the previous refresh — the same object, and the same
// value of every field the view reads (pfn, n, order, folio, kind, mods, freeing, lru stamp). An extent that matches
// contributes exactly what it contributed then; every other recorded extent is taken out of the lists and every other
// live extent is put in. So an in-place mutation anywhere, a journal restore (values swapped under the same keys), a
// clone (another Core: another cache) all show up as differences. The zone of an extent (zoneOf: pbZone, straddle) is
// recorded too, and valid while the zone layout is unchanged: a layout change (hotplug) rebuilds the cache.
// The walk relies on the extent map's insertion order (NumMap, like Map: survivors keep their order, new and
// re-inserted keys go last) only for speed: with any other order the answer is the same, just slower.
// Not cached: a view while migrate_pages has folios isolated (c.migrating): NodeLru builds that one fresh.
import type { Core, Extent, Kind } from '../core.js';
import { MAX_NR_ZONES } from '../consts.js';
import type { SlabRun } from './slab-pick.js';
import { lruOf, shrinkableSlab } from './lru-list.js';

/** a run of LRU pages: `n` pages made of folios of `unit` pages, in one zone, oldest first */
export interface LruRun {
  pfn: number;
  n: number;
  unit: number;
  zid: number;
}

/** one node's lists: runs sorted by (stamp, pfn), and the reclaimable slab runs sorted by (zone, pfn) */
export interface NodeLists {
  runs: LruRun[][];
  stamps: number[][];
  slab: SlabRun[];
  slabZid: number[];
  size: number[][];
}

/** what the cache recorded per extent (parallel arrays, in the extent map's order) */
interface Rec {
  len: number;
  obj: Extent[];
  pfn: Float64Array;
  n: Float64Array;
  lru: Float64Array;
  /** order | folio << 8 */
  meta: Int32Array;
  mods: Int32Array;
  freeing: Int32Array;
  kind: Kind[];
  /** node, zone: -1 when offline (no zone) */
  nid: Int16Array;
  zid: Int8Array;
  /** 0-3: the LRU list; 4: reclaimable slab; -1: neither */
  list: Int8Array;
}

const SLAB = 4;

class LruCache {
  rec: Rec = newRec(0);
  /** records marked dead (obj null) among rec's first len */
  dead = 0;
  nodes: NodeLists[];
  private pbZone: Int16Array;
  private straddle: string;

  constructor(private readonly c: Core) {
    this.nodes = Array.from({ length: c.nrNodes }, emptyNode);
    this.pbZone = c.pbZone.slice();
    this.straddle = straddleKey(c);
  }

  /** the zone layout the recorded zones were read from is still the live one */
  layoutSame(): boolean {
    const c = this.c;
    const a = c.pbZone, b = this.pbZone;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return straddleKey(c) === this.straddle;
  }

  refresh(): void {
    const c = this.c;
    // Records stay in their slots (in the extent map's order): a record that goes is marked dead (obj null), a key
    // replaced at its position takes its slot again, new extents (which come after every survivor) are appended.
    // The dead slots are squeezed out once they are half of the records.
    let rec = this.rec;
    const oldLen = rec.len;
    let len = oldLen;
    // per node and list: indices of runs to drop, runs to add (with their stamps / zones)
    const drop: number[][][] = this.nodes.map(() => [[], [], [], [], []]);
    const add: { run: LruRun | SlabRun; key: number }[][][] = this.nodes.map(() => [[], [], [], [], []]);
    const remove = (r: Rec, i: number): void => {
      r.obj[i] = null as unknown as Extent;
      this.dead++;
      const l = r.list[i]!;
      if (l < 0) return;
      const nl = this.nodes[r.nid[i]!]!;
      const pfn = r.pfn[i]!;
      const at = l === SLAB ? find(nl.slab, nl.slabZid, r.zid[i]!, pfn, slabPfn) : find(nl.runs[l]!, nl.stamps[l]!, r.lru[i]!, pfn, runPfn);
      if (at < 0) throw new Error(`lru cache: recorded run at ${pfn} not found`);
      drop[r.nid[i]!]![l]!.push(at);
      if (l !== SLAB) nl.size[l]![r.zid[i]!] -= r.n[i]!;
    };
    let j = 0;
    for (const e of c.ext.values()) {
      // the record at this position: the same object with the same fields contributes the same run
      let slot = -1;
      while (j < oldLen) {
        const o = rec.obj[j];
        if (o === null) { j++; continue; }
        if (o === e && same(rec, j, e)) { slot = -2; j++; break; }
        // otherwise the record goes: deleted, re-inserted later, changed in place, or replaced under the same key
        // (Map.set and the journal's exchange keep the position: then e is that key's new value, recorded here)
        const sameKey = rec.pfn[j] === e.pfn;
        remove(rec, j);
        if (sameKey) { slot = j++; break; }
        j++;
      }
      if (slot === -2) continue;
      if (slot >= 0) this.dead--;
      else {
        if (len >= rec.obj.length) rec = this.rec = grow(rec, len);
        slot = len++;
      }
      // a new (or changed) extent: record it and put its run in
      record(rec, slot, e, c);
      const l = rec.list[slot]!;
      if (l < 0) continue;
      const nid = rec.nid[slot]!, zid = rec.zid[slot]!;
      const unit = e.folio ? 1 << e.order : 1;
      if (l === SLAB) add[nid]![l]!.push({ run: [e.pfn, e.n, unit], key: zid });
      else {
        add[nid]![l]!.push({ run: { pfn: e.pfn, n: e.n, unit, zid }, key: e.lru });
        this.nodes[nid]!.size[l]![zid] += e.n;
      }
    }
    for (; j < oldLen; j++) if (rec.obj[j] !== null) remove(rec, j);
    rec.len = len;
    if (this.dead > 64 && this.dead * 2 > len) {
      let k = 0;
      for (let i = 0; i < len; i++) if (rec.obj[i] !== null) { if (k !== i) copyRec(rec, k, rec, i); k++; }
      rec.obj.fill(null as unknown as Extent, k, len);
      rec.len = k;
      this.dead = 0;
    }
    for (let nid = 0; nid < this.nodes.length; nid++) {
      const nl = this.nodes[nid]!;
      for (let l = 0; l < 4; l++) {
        if (!drop[nid]![l]!.length && !add[nid]![l]!.length) continue;
        const m = merge(nl.runs[l]!, nl.stamps[l]!, drop[nid]![l]!, add[nid]![l]! as { run: LruRun; key: number }[], runPfn);
        nl.runs[l] = m.runs;
        nl.stamps[l] = m.keys;
      }
      if (drop[nid]![SLAB]!.length || add[nid]![SLAB]!.length) {
        const m = merge(nl.slab, nl.slabZid, drop[nid]![SLAB]!, add[nid]![SLAB]! as { run: SlabRun; key: number }[], slabPfn);
        nl.slab = m.runs;
        nl.slabZid = m.keys;
      }
    }
  }
}

function emptyNode(): NodeLists {
  return {
    runs: [[], [], [], []], stamps: [[], [], [], []], slab: [], slabZid: [],
    size: Array.from({ length: 4 }, () => new Array<number>(MAX_NR_ZONES).fill(0)),
  };
}

function straddleKey(c: Core): string {
  let s = '';
  for (const [pb, rs] of c.straddle) {
    s += `${pb}:`;
    for (const r of rs) s += `${r.start},${r.end},${r.zone};`;
  }
  return s;
}

/** an array of n slots in V8's fast (packed) mode: `new Array(n)` of more than ~100,000 makes a dictionary array */
function slots<T>(n: number, v: T): T[] {
  const a: T[] = [];
  for (let i = 0; i < n; i++) a.push(v);
  return a;
}

function newRec(n: number): Rec {
  return {
    len: 0, obj: slots<Extent>(n, null as unknown as Extent), pfn: new Float64Array(n), n: new Float64Array(n), lru: new Float64Array(n), meta: new Int32Array(n), mods: new Int32Array(n),
    freeing: new Int32Array(n), kind: slots<Kind>(n, 'anon'), nid: new Int16Array(n), zid: new Int8Array(n), list: new Int8Array(n),
  };
}

const meta = (e: Extent): number => e.order | (e.folio ? 256 : 0);

function same(r: Rec, j: number, e: Extent): boolean {
  return r.pfn[j] === e.pfn && r.n[j] === e.n && r.lru[j] === e.lru && r.meta[j] === meta(e) && r.mods[j] === e.mods && r.freeing[j] === e.freeing && r.kind[j] === e.kind;
}

/** a bigger copy of the first k records */
function grow(r: Rec, k: number): Rec {
  const g = newRec(Math.ceil(k * 1.25) + 64);
  for (let i = 0; i < k; i++) copyRec(g, i, r, i);
  g.len = r.len;
  return g;
}

function copyRec(r: Rec, i: number, o: Rec, j: number): void {
  r.obj[i] = o.obj[j]!; r.pfn[i] = o.pfn[j]!; r.n[i] = o.n[j]!; r.lru[i] = o.lru[j]!; r.meta[i] = o.meta[j]!; r.mods[i] = o.mods[j]!; r.freeing[i] = o.freeing[j]!;
  r.kind[i] = o.kind[j]!; r.nid[i] = o.nid[j]!; r.zid[i] = o.zid[j]!; r.list[i] = o.list[j]!;
}

/** record e at i, with its zone and the list it is on (an LRU list, the shrinkers' slab, or neither) */
function record(r: Rec, i: number, e: Extent, c: Core): void {
  r.obj[i] = e; r.pfn[i] = e.pfn; r.n[i] = e.n; r.lru[i] = e.lru; r.meta[i] = meta(e); r.mods[i] = e.mods; r.freeing[i] = e.freeing; r.kind[i] = e.kind;
  const z = c.zoneOf(e.pfn);
  r.nid[i] = z ? z.nid : -1;
  r.zid[i] = z ? z.zid : -1;
  r.list[i] = !z ? -1 : e.kind === 'slab' ? (shrinkableSlab(e) ? SLAB : -1) : lruOf(e);
}

const runPfn = (r: LruRun): number => r.pfn;
const slabPfn = (r: SlabRun): number => r[0];

/** index of the run with (key, pfn) in a list sorted by (key, pfn) (keys: stamps or zones), -1 if absent */
function find<R>(runs: R[], keys: number[], key: number, pfn: number, pfnOf: (r: R) => number): number {
  let lo = 0, hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = keys[mid]!, p = pfnOf(runs[mid]!);
    if (s === key && p === pfn) return mid;
    if (s < key || (s === key && p < pfn)) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The list without the dropped indices, with the added runs merged in (all sorted by (key, pfn)). In place: the
 * dropped runs (mostly at the tail reclaim just took from) are squeezed out, and added runs that all sort after the
 * last one (new stamps are the newest) are appended; only other adds need a merge.
 */
function merge<R>(runs: R[], keys: number[], drop: number[], add: { run: R; key: number }[], pfnOf: (r: R) => number): { runs: R[]; keys: number[] } {
  if (drop.length) {
    drop.sort((a, b) => a - b);
    let w = drop[0]!, d = 0;
    for (let i = w; i < runs.length; i++) {
      if (d < drop.length && drop[d] === i) { while (d < drop.length && drop[d] === i) d++; continue; }
      runs[w] = runs[i]!;
      keys[w++] = keys[i]!;
    }
    runs.length = w;
    keys.length = w;
  }
  if (!add.length) return { runs, keys };
  add.sort((a, b) => a.key - b.key || pfnOf(a.run) - pfnOf(b.run));
  const last = runs.length - 1;
  const a0 = add[0]!;
  if (last < 0 || keys[last]! < a0.key || (keys[last] === a0.key && pfnOf(runs[last]!) < pfnOf(a0.run))) {
    for (const x of add) { runs.push(x.run); keys.push(x.key); }
    return { runs, keys };
  }
  // each add's place (before the first run that sorts after it), then the pieces between them copied natively
  const pr: R[][] = [], pk: number[][] = [];
  let prev = 0;
  for (const x of add) {
    let lo = prev, hi = runs.length;
    const p = pfnOf(x.run);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < x.key || (keys[mid] === x.key && pfnOf(runs[mid]!) < p)) lo = mid + 1;
      else hi = mid;
    }
    if (lo > prev) { pr.push(runs.slice(prev, lo)); pk.push(keys.slice(prev, lo)); }
    pr.push([x.run]);
    pk.push([x.key]);
    prev = lo;
  }
  if (prev < runs.length) { pr.push(runs.slice(prev)); pk.push(keys.slice(prev)); }
  return { runs: ([] as R[]).concat(...pr), keys: ([] as number[]).concat(...pk) };
}

const caches = new WeakMap<Core, LruCache>();

/** the node's lists as a fresh build would make them (shared: the caller copies what it changes) */
export function cachedNodeLists(c: Core, nid: number): NodeLists {
  let cache = caches.get(c);
  if (!cache || !cache.layoutSame()) caches.set(c, (cache = new LruCache(c)));
  cache.refresh();
  return cache.nodes[nid]!;
}
