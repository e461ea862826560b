// A Map<number, V> for the simulator's hot sparse maps (free blocks, extents, pcp pages by pfn), with the same
// behaviour as Map (insertion-order iteration, re-insertion goes last, iteration sees entries added while it runs
// and skips deleted ones) but without V8's pathology for a key deleted and added again and again: a JS Map keeps
// every deleted entry in its bucket's chain until the table is rehashed, so looking up an absent key whose bucket
// holds many dead copies walks them all. The order-0 pcp cycle (alloc pfn X, free pfn X) does exactly that:
// with 65,536 entries one set+delete of the same key cost ~100 µs (Node 20) instead of ~0.1 µs.
//
// Layout: entries in insertion order in parallel arrays (keys, vals; a deleted slot holds the key NaN), and an
// open-addressing index (Int32Array of slot + 1, 0 empty, -1 tombstone) that is rebuilt when tombstones or dead
// slots pile up (amortised O(1)). Keys are numbers (pfns: integers below 2^53). Used for Core.ext, pbExt, pcpPages,
// migLog, movedKey and free.

const EMPTY = 0;
const TOMB = -1;

function hash(k: number): number {
  const lo = k | 0;
  // pfns below 2^31 (machines below 8 TiB) have no high word: no division
  const hi = k < 2147483648 ? 0 : (k / 4294967296) | 0;
  // murmur3's fmix32 finaliser: every input bit reaches the low bits the index uses. (A multiply and one shift
  // left the low bits of pageblock-aligned pfns, the heads of a fill's extents, nearly constant: 17 probes per
  // insert instead of 0.07 for a million of them.)
  let h = lo ^ Math.imul(hi, 0x27d4eb2d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

export class NumMap<V> implements Map<number, V> {
  private keysArr: number[] = [];
  private valsArr: (V | undefined)[] = [];
  /** slot + 1 of each key, EMPTY or TOMB */
  private index: Int32Array;
  private mask: number;
  private live = 0;
  private tombs = 0;
  /** running iterators: slots are not compacted while one runs */
  private iterating = 0;

  constructor(entries?: Iterable<readonly [number, V]> | null) {
    this.index = new Int32Array(16);
    this.mask = 15;
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.live;
  }

  get [Symbol.toStringTag](): string {
    return 'NumMap';
  }

  private find(k: number): number {
    const idx = this.index;
    const mask = this.mask;
    let i = hash(k) & mask;
    for (;;) {
      const s = idx[i]!;
      if (s === EMPTY) return -1;
      if (s > 0 && this.keysArr[s - 1] === k) return i;
      i = (i + 1) & mask;
    }
  }

  has(k: number): boolean {
    return this.find(k) >= 0;
  }

  get(k: number): V | undefined {
    const i = this.find(k);
    return i < 0 ? undefined : this.valsArr[this.index[i]! - 1];
  }

  set(k: number, v: V): this {
    if ((this.live + this.tombs + 1) * 2 > this.mask + 1) this.rebuild(this.live + 1);
    const idx = this.index;
    const mask = this.mask;
    const ks = this.keysArr;
    let i = hash(k) & mask;
    let free = -1; // first tombstone on the probe path: the new key goes there
    for (;;) {
      const s = idx[i]!;
      if (s === EMPTY) break;
      if (s > 0) {
        if (ks[s - 1] === k) { this.valsArr[s - 1] = v; return this; }
      } else if (free < 0) free = i;
      i = (i + 1) & mask;
    }
    if (free >= 0) { i = free; this.tombs--; }
    idx[i] = ks.length + 1;
    ks.push(k);
    this.valsArr.push(v);
    this.live++;
    return this;
  }

  /** make room for `extra` more keys at once: one rebuild now instead of one per doubling while they go in (a fill
   *  adds ~10^6 extents, boot ~10^6 free blocks) */
  reserve(extra: number): void {
    if ((this.live + this.tombs + extra) * 2 > this.mask + 1) this.rebuild(this.live + extra);
  }

  delete(k: number): boolean {
    const i = this.find(k);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** delete the key at index position i */
  private removeAt(i: number): void {
    const slot = this.index[i]! - 1;
    this.index[i] = TOMB;
    this.tombs++;
    this.live--;
    if (slot === this.keysArr.length - 1 && this.iterating === 0) {
      // the newest entry: drop its slot instead of leaving a dead one (the order-0 pcp cycle adds a key and deletes
      // it again; dead slots would pile up until a whole-map compaction). No other slot moves, so the iteration
      // order is unchanged; not under a running iterator, which may stand on this slot and would then miss the
      // entry a later set appends here.
      this.keysArr.pop();
      this.valsArr.pop();
      return;
    }
    this.keysArr[slot] = NaN;
    this.valsArr[slot] = undefined;
    // dead slots: compact when they outnumber the live ones (never under a running iterator)
    if (this.iterating === 0 && this.keysArr.length > 64 && this.keysArr.length > 2 * this.live) this.rebuild(this.live);
  }

  /** set k to v, or delete it when v is undefined, and return its previous value: one probe when present, and
   *  no call through a subclass's set/delete (the time-travel journal swaps many entries per jump with it) */
  exchange(k: number, v: V | undefined): V | undefined {
    const i = this.find(k);
    if (i >= 0) {
      const slot = this.index[i]! - 1;
      const old = this.valsArr[slot] as V;
      if (v !== undefined) this.valsArr[slot] = v;
      else this.removeAt(i);
      return old;
    }
    if (v !== undefined) NumMap.prototype.set.call(this, k, v);
    return undefined;
  }

  clear(): void {
    this.keysArr = [];
    this.valsArr = [];
    this.index = new Int32Array(16);
    this.mask = 15;
    this.live = 0;
    this.tombs = 0;
  }

  /** compact the slots (unless iterating) and rebuild the index for `want` live keys */
  private rebuild(want: number): void {
    if (this.iterating === 0 && this.keysArr.length !== this.live) {
      const ks: number[] = [];
      const vs: (V | undefined)[] = [];
      const oks = this.keysArr;
      const ovs = this.valsArr;
      for (let s = 0; s < oks.length; s++) {
        if (oks[s] === oks[s]) { ks.push(oks[s]!); vs.push(ovs[s]); } // not NaN
      }
      this.keysArr = ks;
      this.valsArr = vs;
    }
    // load at most 1/4 after a rebuild, so the next one is at least cap/4 insertions away (amortised O(1))
    let cap = 16;
    while (cap < want * 4) cap *= 2;
    // same size: clear and reuse the index (a 4 M-entry array per rebuild would be most of the cost)
    const idx = cap === this.index.length ? this.index.fill(EMPTY) : new Int32Array(cap);
    const mask = cap - 1;
    const ks = this.keysArr;
    for (let s = 0; s < ks.length; s++) {
      const k = ks[s]!;
      if (k !== k) continue;
      let j = hash(k) & mask;
      while (idx[j] !== EMPTY) j = (j + 1) & mask;
      idx[j] = s + 1;
    }
    this.index = idx;
    this.mask = mask;
    this.tombs = 0;
  }

  /** a copy with each value passed through `copy` (identity: the values are shared), built by copying the arrays
   *  instead of inserting key by key (a checkpoint of a filled machine copies ~10^5-10^6 entries) */
  cloneWith(copy?: (v: V) => V): NumMap<V> {
    const m = new NumMap<V>();
    if (this.keysArr.length !== this.live && this.iterating === 0) this.rebuild(this.live);
    m.keysArr = this.keysArr.slice();
    if (copy) {
      const vs = this.valsArr;
      const out: (V | undefined)[] = new Array(vs.length);
      for (let i = 0; i < vs.length; i++) out[i] = vs[i] === undefined ? undefined : copy(vs[i] as V);
      m.valsArr = out;
    } else m.valsArr = this.valsArr.slice();
    m.index = this.index.slice();
    m.mask = this.mask;
    m.live = this.live;
    m.tombs = this.tombs;
    return m;
  }

  private *walk<T>(f: (k: number, v: V) => T): Generator<T, undefined, unknown> {
    this.iterating++;
    try {
      // slots are only appended while this runs (no compaction), so new entries are visited, deleted ones skipped
      for (let s = 0; s < this.keysArr.length; s++) {
        const k = this.keysArr[s]!;
        if (k === k) yield f(k, this.valsArr[s] as V);
      }
    } finally {
      this.iterating--;
    }
    return undefined;
  }

  entries(): MapIterator<[number, V]> {
    return this.walk((k, v) => [k, v] as [number, V]) as unknown as MapIterator<[number, V]>;
  }
  keys(): MapIterator<number> {
    return this.walk((k) => k) as unknown as MapIterator<number>;
  }
  values(): MapIterator<V> {
    return this.walk((_k, v) => v) as unknown as MapIterator<V>;
  }
  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }
  forEach(cb: (value: V, key: number, map: Map<number, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this);
  }
}

/** NumMap.reserve for a map typed as Map (the core's maps are NumMaps; any other Map needs nothing) */
export function reserveKeys(m: Map<number, unknown>, extra: number): void {
  if (m instanceof NumMap) m.reserve(extra);
}
