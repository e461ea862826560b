// A versioned map for time travel (journal.ts): every value a key had at a journal boundary is kept, so putting the
// map at another boundary is setting one number, whatever the distance of the jump.
//
// Each key's versions form a chain (newest first) in three append-only parallel arrays: the boundary index the value
// was reached at, the value (ABSENT: deleted) and the previous version. Reading at boundary `cur` walks a key's chain
// to its newest version at or before `cur` (usually the head: a key changes a few times in a run). The steps of the
// live interval write into `dirty`, an overlay read first; closing an interval at a new boundary appends one version
// per key that changed, closing a known boundary again (a replay: runs are deterministic) drops the overlay.
// Used for Core's migration maps (migLog, moved, movedKey), whose values are immutable (never changed in place), and
// whose keys would otherwise be swapped one by one on a far jump (three per migrated page).
import { NumMap } from './nummap.js';

const ABSENT: unique symbol = Symbol('absent');
type Pre<V> = V | typeof ABSENT;

export class VersionedMap<K, V> implements Map<K, V> {
  /** newest version of each key ever set (index into the arrays below) */
  private readonly heads: Map<K, number>;
  private readonly bnd: number[] = [];
  private readonly val: Pre<V>[] = [];
  private readonly prev: number[] = [];
  /** live size at each boundary index */
  private readonly sizes: number[] = [];
  private dirty: Map<K, Pre<V>>;
  /** size change of the live interval */
  private delta = 0;
  /** the boundary index the live interval started at */
  private cur = 0;

  constructor(private readonly numeric: boolean, entries: Iterable<readonly [K, V]>) {
    this.heads = (numeric ? new NumMap<number>() : new Map<K, number>()) as Map<K, number>;
    this.dirty = this.newDirty();
    let n = 0;
    for (const [k, v] of entries) {
      this.heads.set(k, this.push(0, v, -1));
      n++;
    }
    this.sizes.push(n);
  }

  private newDirty(): Map<K, Pre<V>> {
    return (this.numeric ? new NumMap<Pre<V>>() : new Map<K, Pre<V>>()) as Map<K, Pre<V>>;
  }
  private push(b: number, v: Pre<V>, prev: number): number {
    this.bnd.push(b);
    this.val.push(v);
    this.prev.push(prev);
    return this.bnd.length - 1;
  }
  /** the value at the live interval's start boundary */
  private at(k: K): Pre<V> {
    let i = this.heads.get(k);
    if (i === undefined) return ABSENT;
    const cur = this.cur;
    while (i >= 0 && this.bnd[i]! > cur) i = this.prev[i]!;
    return i < 0 ? ABSENT : this.val[i]!;
  }
  private now(k: K): Pre<V> {
    const d = this.dirty.get(k);
    return d !== undefined ? d : this.at(k);
  }

  /** versions held (for the journal's size) */
  get versions(): number {
    return this.bnd.length;
  }

  /**
   * The run reached boundary index `j` = cur + 1 by stepping. A new boundary (`known` false: at the frontier) keeps
   * the keys the interval changed as versions; a known one was reached before with the same values.
   */
  close(j: number, known: boolean): void {
    if (j !== this.cur + 1) throw new Error(`versioned map: closing boundary ${j} from ${this.cur}`);
    if (!known) {
      for (const [k, w] of this.dirty) {
        if (this.at(k) === w) continue;
        const h = this.heads.get(k);
        this.heads.set(k, this.push(j, w, h === undefined ? -1 : h));
      }
      this.sizes[j] = this.sizes[this.cur]! + this.delta;
    }
    this.dirty = this.newDirty();
    this.delta = 0;
    this.cur = j;
  }
  /** drops the live interval's writes and stands at boundary index `j` (a known one) */
  restore(j: number): void {
    if (j < 0 || j >= this.sizes.length) throw new Error(`versioned map: no boundary ${j}`);
    this.dirty = this.newDirty();
    this.delta = 0;
    this.cur = j;
  }

  get size(): number {
    return this.sizes[this.cur]! + this.delta;
  }
  get [Symbol.toStringTag](): string {
    return 'VersionedMap';
  }
  has(k: K): boolean {
    return this.now(k) !== ABSENT;
  }
  get(k: K): V | undefined {
    const v = this.now(k);
    return v === ABSENT ? undefined : v;
  }
  set(k: K, v: V): this {
    if (this.now(k) === ABSENT) this.delta++;
    this.dirty.set(k, v);
    return this;
  }
  delete(k: K): boolean {
    if (this.now(k) === ABSENT) return false;
    this.delta--;
    this.dirty.set(k, ABSENT);
    return true;
  }
  clear(): void {
    for (const k of [...this.keys()]) this.delete(k);
  }
  *entries(): MapIterator<[K, V]> {
    for (const k of this.heads.keys()) {
      if (this.dirty.has(k)) continue;
      const v = this.at(k);
      if (v !== ABSENT) yield [k, v];
    }
    for (const [k, v] of this.dirty) if (v !== ABSENT) yield [k, v];
  }
  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  forEach(f: (v: V, k: K, m: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) f.call(thisArg, v, k, this);
  }
}
