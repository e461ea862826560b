// The simulator's state and its primitive operations (see docs/sim-model.md "Internal API").
// No per-page arrays: pageblock-sized typed arrays, a sparse map of free buddy blocks keyed by head pfn with
// per-(zone, order, migratetype) doubly linked lists, a sparse map of allocated extents, and a map of PCP pages.
import type { MachineSpec, Policies, PageKind, PageModifier } from './scenario.js';
import { PAGE_MODIFIERS } from './scenario.js';
import type { Migration, SimEvent, SlowpathSummary } from './api.js';
import { CMA, HIGHATOMIC, ISOLATE, MIGRATE_TYPES, MAX_NR_ZONES } from './consts.js';
import { Zone } from './zone.js';
import { Rng } from './rng.js';
import { PageReportingDevice } from './reporting/state.js';
import { alignDown, pow2 } from './pfn.js';
import { copySysctls, defaultSysctls, type SysctlState } from './sysctl-state.js';
import { checkMachineSize } from './limits.js';
import { NumMap, reserveKeys } from './nummap.js';
import { hex, MIGRATETYPE_NAMES } from '../shared/format.js';
import { newVmEvents, type VmEvents } from './vmstat.js';

/** A free buddy block: PageBuddy head with buddy_order, on free_area[order].free_list[mt]. */
export interface FreeBlock {
  pfn: number;
  order: number;
  /** the list it sits on (== pageblock type when freelist_hygiene is on, except ISOLATE) */
  mt: number;
  zone: number;
  prev: number;
  next: number;
  /** PageReported */
  reported: boolean;
}

export type Kind = PageKind | 'hugetlb';

/**
 * Allocated pages: a run of `n` pages made of units of 2^order pages starting at `pfn` (naturally aligned).
 * folio=true: every unit is one compound page (folio) of that order; folio=false: independent order-0 pages
 * (order is then 0). A run never crosses a pageblock boundary unless it is a single unit of order > pageblock_order.
 * Runs are split on demand when one unit changes state.
 */
export interface Extent {
  pfn: number;
  n: number;
  order: number;
  folio: boolean;
  kind: Kind;
  /** bitmask over PAGE_MODIFIERS */
  mods: number;
  owner: string | null;
  /** hugetlb only: folio is free in the hugetlb pool */
  hugeFree: boolean;
  /** refcount dropped, being freed by this cpu (between the free op's lookup and enqueue phases), else -1 */
  freeing: number;
  lastMig: Migration | null;
  /** LRU age stamp (file/anon/thp): a smaller stamp is nearer the list tail (older); within one stamp, lower pfn is
   *  older. Pages populated by one operation share its stamp; reclaim gives pages it puts back a new stamp. */
  lru: number;
}

export interface PcpEntry {
  cpu: number;
  zone: number;
  order: number;
  pindex: number;
  /** migratetype cached at free time (pre-6.10 get_pcppage_migratetype) */
  cachedMt: number;
}

export const MOD_BIT: Record<PageModifier, number> = Object.fromEntries(PAGE_MODIFIERS.map((m, i) => [m, 1 << i])) as Record<PageModifier, number>;
/** pinned or longterm-pinned (FOLL_PIN / FOLL_LONGTERM): the page cannot be migrated or freed */
export const MOD_PINNED_ANY = MOD_BIT.pinned | MOD_BIT.longterm;
export function modsToList(mask: number): PageModifier[] {
  return PAGE_MODIFIERS.filter((_, i) => mask & (1 << i));
}

/** hugetlb pools: pages per huge page → nid → { total (nr_huge_pages_node), free folios (head pfns; the list head is the
 *  array end), surplus (surplus_huge_pages_node) } */
export type HugePools = Map<number, Map<number, { total: number; free: number[]; surplus: number }>>;
export interface CmaAreaState {
  name: string;
  start: number;
  end: number;
  orderPerBit: number;
  /** one byte per bitmap bit */
  bitmap: Uint8Array;
  available: number;
  zone: number;
  failed: boolean;
}

/** a copy of one of Core's NumMaps (a plain Map when a caller replaced it with one) */
function cloneNumMap<V>(m: Map<number, V>, copy?: (v: V) => V): Map<number, V> {
  if (m instanceof NumMap) return m.cloneWith(copy);
  const out = new NumMap<V>();
  for (const [k, v] of m) out.set(k, copy ? copy(v) : v);
  return out;
}

export const BLOCK_ABSENT = 0;
export const BLOCK_OFFLINE = 1;
export const BLOCK_ONLINE = 2;

/** Core.caches */
export class CoreCaches {
  /** zonelist()'s lists by (nid, highest zone, __GFP_THISNODE), built for these zones at this present epoch */
  zonelists: { zones: Zone[]; epoch: number; lists: (readonly Zone[] | undefined)[] } = { zones: [], epoch: -1, lists: [] };
  /** straddleOf()'s bounds of the straddle map's keys, and the map and size they were computed for */
  stMap: Map<number, unknown> | null = null;
  stSize = -1;
  stLo = 0;
  stHi = -1;
}

export class Core {
  readonly pbo: number;
  readonly pbPages: number;
  readonly maxOrder: number;
  readonly nrOrders: number;
  readonly cpus: number;
  /** highest pfn (exclusive) the machine can ever have */
  readonly maxPfn: number;
  /** lowest pfn the machine can ever have (aligned down like maxPfn): per-pageblock and per-block arrays start
   *  here, so their size is proportional to the spanned range, not to the highest pfn */
  readonly minPfn: number;
  /** global pageblock number of pbMt[0] (minPfn / pageblock_nr_pages) */
  readonly pbBase: number;
  /** memory block id of blockState[0] */
  readonly blockBase: number;
  readonly nrNodes: number;
  zones: Zone[] = [];
  /** per pageblock: the stored 3-bit migratetype (PB_migrate_0..2) */
  pbMt: Uint8Array;
  /** per pageblock: PB_migrate_isolate (or, <=6.16, "the type field says ISOLATE") */
  pbIso: Uint8Array;
  /** per pageblock: global zone index of its pages, -1 when none are online */
  pbZone: Int16Array;
  /** per pageblock: PB_migrate_skip, compaction's skip hint (mm/compaction.c set/get/clear_pageblock_skip) */
  pbSkip: Uint8Array;
  /** pageblocks only partly online or shared by two zones (boot zone boundaries not pageblock-aligned): pfn-precise ranges */
  straddle = new Map<number, { start: number; end: number; zone: number }[]>();
  /** values derived from the state, each checked against what it was built from at every use: not state (the
   *  journal does not record them, a clone starts without them) */
  readonly caches = new CoreCaches();
  /** per memory block: BLOCK_ABSENT / OFFLINE / ONLINE */
  blockState: Uint8Array;
  /** per memory block: nid, -1 unknown */
  blockNid: Int16Array;
  /** the free blocks by head pfn (a NumMap, as the journal's copy is: boot of a 4 TiB machine adds a million heads and a
   *  fill deletes most of them, ~20% faster than a native Map) */
  free: Map<number, FreeBlock> = new NumMap<FreeBlock>();
  ext: Map<number, Extent> = new NumMap<Extent>();
  /**
   * per pageblock: the heads of extents inside it (single units bigger than a pageblock are not indexed). Most
   * pageblocks hold no head or one (a fill of a TiB zone makes a million one-run pageblocks), so the one head is
   * kept in pbHead without an array: 0 no head, k > 0 one head at the pageblock's start + k - 1, -1 several heads,
   * sorted in pbExt (which has an entry exactly for those pageblocks).
   */
  pbHead: Int32Array;
  pbExt: Map<number, number[]> = new NumMap<number[]>();
  pcpPages: Map<number, PcpEntry> = new NumMap<PcpEntry>();
  rng: Rng;
  /** min_free_kbytes (init_per_zone_wmark_min) */
  minFreeKbytes = 0;
  /** the vm sysctls the model reads (`sysctl` statements write them) */
  sysctl: SysctlState = defaultSysctls();
  /** per isolated pageblock: the isolation mode (undo writes MIGRATE_CMA back for cma when isolate_migratetype=lost) */
  isoMode = new Map<number, 'other' | 'cma' | 'offline'>();
  /** events of the running operation */
  events: SimEvent[] = [];
  /** the slow paths internal allocations of the running operation went through (Machine.run reports the last) */
  slowpaths: SlowpathSummary[] = [];
  /** [start, end) pfn ranges of the folios migrate_pages is working on: isolated, so off the LRU for reclaim */
  migrating: [number, number][] | null = null;
  /** totalcma_pages */
  totalCma = 0;
  pools: HugePools = new Map();
  /** nr_overcommit_hugepages per hstate (pages per huge page → count; absent = 0) */
  hugeOvercommit = new Map<number, number>();
  cma: CmaAreaState[] = [];
  /** the free page reporting device (registered at boot; __free_one_page notifies it) */
  reportDev: PageReportingDevice = new PageReportingDevice();
  /** the last migration that landed on each allocated page/folio head (dropped when it is freed) */
  migLog: Map<number, Migration> = new NumMap<Migration>();
  /**
   * Where migrated pages are now, so a label follows its folios (the kernel's owner holds the folio, not the pfn):
   * `owner NUL original head pfn` → current head, and current head → that key. An entry lives while the pages are
   * allocated: a further migration moves it, freeing the head drops it.
   */
  moved = new Map<string, number>();
  movedKey: Map<number, string> = new NumMap<string>();
  /** the LRU clock: the stamp new LRU pages get (advanced per operation and by reclaim's putback) */
  lruSeq = 1;
  /** free swap pages (get_nr_swap_pages()); the total is spec.swapPages */
  swapFree = 0;
  /**
   * swap slots in use, per owner (a label): the pfns its operation recorded whose pages reclaim swapped out, as a
   * sorted flat [start, n, …] array (swap.ts; never changed in place). Their sum is spec.swapPages - swapFree.
   */
  swapped = new Map<string, readonly number[]>();
  /**
   * per node: kswapd's wakeup state and failure count (pgdat->kswapd_order, kswapd_highest_zoneidx, kswapd_failures)
   * and kcompactd's request (pgdat->kcompactd_max_order, kcompactd_highest_zoneidx; MAX_NR_ZONES - 1 stands for
   * nr_zones - 1: the loops skip unpopulated zones) and pgdat->proactive_compact_trigger (a non-zero write of
   * vm.compaction_proactiveness woke kcompactd for a proactive pass); kcompactdWoken: wakeup_kcompactd() found it
   * asleep and kcompactd_node_suitable() and woke it (an operation that yields the CPU, cond_resched, runs it)
   */
  kswapd: { woken: boolean; order: number; highestZoneidx: number; failures: number; kcompactdOrder: number; kcompactdHighest: number; proactiveTrigger: boolean; kcompactdWoken: boolean }[] = [];
  /** per node: lruvec->anon_cost / file_cost (lru_note_cost) */
  lruCost: { anon: number; file: number }[] = [];
  /** /proc/vmstat event counters the simulator counts where the kernel does (vmstat.ts), since the scenario began */
  vm: VmEvents = newVmEvents();

  constructor(readonly spec: MachineSpec, readonly pol: Policies, seed: number) {
    this.pbo = spec.pageblockOrder;
    this.pbPages = 1 << spec.pageblockOrder;
    this.maxOrder = spec.maxPageOrder;
    this.nrOrders = spec.maxPageOrder + 1;
    this.cpus = Math.max(1, spec.cpus);
    // a machine the simulator cannot hold is refused before anything is allocated (src/sim/limits.ts)
    const size = checkMachineSize(spec);
    if (size.error) throw new Error(size.error);
    let maxNid = 0;
    for (const n of spec.nodes) maxNid = Math.max(maxNid, n.nid);
    this.minPfn = size.minPfn;
    this.maxPfn = size.maxPfn;
    this.nrNodes = maxNid + 1;
    this.pbBase = this.minPfn / this.pbPages;
    const nPb = (this.maxPfn - this.minPfn) / this.pbPages;
    this.pbMt = new Uint8Array(nPb);
    this.pbIso = new Uint8Array(nPb);
    this.pbSkip = new Uint8Array(nPb);
    this.pbZone = new Int16Array(nPb).fill(-1);
    this.pbHead = new Int32Array(nPb);
    this.blockBase = this.minPfn / spec.memoryBlockPages;
    const nBlocks = Math.ceil(this.maxPfn / spec.memoryBlockPages) - this.blockBase;
    this.blockState = new Uint8Array(nBlocks);
    this.blockNid = new Int16Array(nBlocks).fill(-1);
    for (let nid = 0; nid < this.nrNodes; nid++) {
      for (let zid = 0; zid < MAX_NR_ZONES; zid++) this.zones.push(new Zone(nid * MAX_NR_ZONES + zid, nid, zid, this.nrOrders, this.cpus));
    }
    this.rng = new Rng(seed);
    this.swapFree = spec.swapPages ?? 0;
    for (let n = 0; n < this.nrNodes; n++) {
      this.kswapd.push({ woken: false, order: 0, highestZoneidx: -1, failures: 0, kcompactdOrder: 0, kcompactdHighest: MAX_NR_ZONES - 1, proactiveTrigger: false, kcompactdWoken: false });
      this.lruCost.push({ anon: 0, file: 0 });
    }
  }

  /** deep copy of the whole state */
  cloneInto(c: Core): void {
    c.zones = this.zones.map((z) => z.clone());
    c.pbMt = this.pbMt.slice();
    c.pbIso = this.pbIso.slice();
    c.pbSkip = this.pbSkip.slice();
    c.pbZone = this.pbZone.slice();
    c.pbHead = this.pbHead.slice();
    c.straddle = new Map([...this.straddle].map(([k, v]) => [k, v.map((r) => ({ ...r }))]));
    c.blockState = this.blockState.slice();
    c.blockNid = this.blockNid.slice();
    c.free = cloneNumMap(this.free, (b) => ({ ...b }));
    c.ext = cloneNumMap(this.ext, (e) => ({ ...e }));
    c.pbExt = cloneNumMap(this.pbExt, (l) => l.slice());
    c.pcpPages = cloneNumMap(this.pcpPages, (p) => ({ ...p }));
    c.rng = this.rng.clone();
    c.isoMode = new Map(this.isoMode);
    c.migLog = cloneNumMap(this.migLog);
    c.moved = new Map(this.moved);
    c.movedKey = cloneNumMap(this.movedKey);
    c.reportDev = Object.assign(new PageReportingDevice(), this.reportDev);
    c.minFreeKbytes = this.minFreeKbytes;
    c.sysctl = copySysctls(this.sysctl);
    c.totalCma = this.totalCma;
    c.pools = new Map([...this.pools].map(([k, v]) => [k, new Map([...v].map(([n, p]) => [n, { ...p, free: p.free.slice() }]))]));
    c.hugeOvercommit = new Map(this.hugeOvercommit);
    c.cma = this.cma.map((a) => ({ ...a, bitmap: a.bitmap.slice() }));
    c.lruSeq = this.lruSeq;
    c.swapFree = this.swapFree;
    c.freeGen = this.freeGen;
    c.swapped = new Map(this.swapped);
    c.kswapd = this.kswapd.map((k) => ({ ...k }));
    c.lruCost = this.lruCost.map((k) => ({ ...k }));
    c.vm = { ...this.vm };
    c.events = [];
    c.slowpaths = [];
    c.migrating = null;
  }

  emit(e: SimEvent): void {
    this.events.push(e);
  }
  note(text: string): void {
    this.events.push({ type: 'note', text });
  }

  // ------------------------------------------------------------------ zones and pfns
  zone(nid: number, zid: number): Zone {
    return this.zones[nid * MAX_NR_ZONES + zid];
  }
  /** page_zone() of an online pfn; null for holes, offline and absent memory (pfn_to_online_page() == NULL) */
  zoneOf(pfn: number): Zone | null {
    if (pfn < this.minPfn || pfn >= this.maxPfn) return null;
    const pb = this.pbNo(pfn);
    const zi = this.pbZone[pb - this.pbBase];
    if (zi < 0) return null;
    const st = this.straddleOf(pb);
    if (st) {
      for (const r of st) if (pfn >= r.start && pfn < r.end) return this.zones[r.zone];
      return null;
    }
    return this.zones[zi];
  }
  /** straddle.get(pb) behind a bounds check: the few straddling pageblocks sit at zone and hole edges (usually
   *  pageblock 0 alone), and the Map lookup was a third of zoneOf in the order-0 pcp cycle. The bounds are
   *  recomputed whenever the map is another (a journal jump, a clone) or its size changed (boot adds, offline
   *  deletes); entries are only ever added or deleted, never replaced. */
  straddleOf(pb: number): { start: number; end: number; zone: number }[] | undefined {
    const m = this.straddle;
    const b = this.caches;
    if (m !== b.stMap || m.size !== b.stSize) {
      let lo = Infinity, hi = -Infinity;
      for (const k of m.keys()) { if (k < lo) lo = k; if (k > hi) hi = k; }
      b.stMap = m;
      b.stSize = m.size;
      b.stLo = lo;
      b.stHi = hi;
    }
    return pb < b.stLo || pb > b.stHi ? undefined : m.get(pb);
  }
  online(pfn: number): boolean {
    return this.zoneOf(pfn) !== null;
  }
  /** the first online pfn in [s, e), -1 if none (__first_valid_page); a pageblock at a time, pfn-precise only where a pageblock is partly online */
  firstOnline(s: number, e: number): number {
    let p = Math.max(s, this.minPfn);
    const end = Math.min(e, this.maxPfn);
    while (p < end) {
      const pb = this.pbNo(p);
      const pbEnd = (pb + 1) * this.pbPages;
      if (this.pbZone[pb - this.pbBase] >= 0) {
        const st = this.straddleOf(pb);
        if (!st) return p;
        let best = -1;
        for (const r of st) {
          const q = Math.max(p, r.start);
          if (q < r.end && q < end && (best < 0 || q < best)) best = q;
        }
        if (best >= 0) return best;
      }
      p = pbEnd;
    }
    return -1;
  }
  blockOf(pfn: number): number {
    return Math.floor(pfn / this.spec.memoryBlockPages);
  }
  /** pfn_to_pageblock_nr-style global pageblock number (pfn >> pageblock_order); keys of straddle/pbExt/isoMode */
  pbNo(pfn: number): number {
    // a shift below 2^31 (a float division and floor were ~7% of the order-0 state changes); pfns are integers >= 0
    return pfn < 2147483648 ? pfn >> this.pbo : Math.floor(pfn / this.pbPages);
  }
  /** index of pfn's pageblock in pbMt/pbIso/pbZone (relative to minPfn) */
  pbi(pfn: number): number {
    return (pfn < 2147483648 ? pfn >> this.pbo : Math.floor(pfn / this.pbPages)) - this.pbBase;
  }
  /** node of memory block `id` as recorded at boot, -1 when unknown or outside the machine */
  blockNidOf(id: number): number {
    const i = id - this.blockBase;
    return i >= 0 && i < this.blockNid.length ? this.blockNid[i] : -1;
  }
  /** BLOCK_ABSENT / OFFLINE / ONLINE of memory block `id` at boot (ABSENT outside the machine) */
  blockStateOf(id: number): number {
    const i = id - this.blockBase;
    return i >= 0 && i < this.blockState.length ? this.blockState[i] : BLOCK_ABSENT;
  }

  // ------------------------------------------------------------------ pageblock flags
  pbStart(pfn: number): number {
    return alignDown(pfn, this.pbPages);
  }
  /** get_pfnblock_migratetype(): ISOLATE when isolated, else the stored type */
  getMt(pfn: number): number {
    const pb = this.pbi(pfn);
    return this.pbIso[pb] ? ISOLATE : this.pbMt[pb];
  }
  /** the 3-bit type without the isolate state (MIGRATETYPE_MASK read) */
  storedMt(pfn: number): number {
    return this.pbMt[this.pbi(pfn)];
  }
  isIsolated(pfn: number): boolean {
    return this.pbIso[this.pbi(pfn)] === 1; // beyond the machine (undefined) is not isolated
  }
  /** set_pageblock_migratetype() on one pageblock (never ISOLATE: use setIsolate) */
  setMt(pfn: number, mt: number, why: string): void {
    const pb = this.pbi(pfn);
    const from = this.pbMt[pb];
    if (from === mt) return;
    this.pbMt[pb] = mt;
    if (!this.pbIso[pb]) this.emit({ type: 'retype', pfn: this.pbStart(pfn), from: MIGRATETYPE_NAMES[from], to: MIGRATETYPE_NAMES[mt], why });
  }
  /** change_pageblock_range(): every pageblock of a block of `order` */
  setMtRange(pfn: number, order: number, mt: number, why: string): void {
    const n = Math.max(1, pow2(order - this.pbo));
    for (let i = 0; i < n; i++) this.setMt(pfn + i * this.pbPages, mt, why);
  }
  setIsolate(pfn: number, on: boolean): void {
    this.pbIso[this.pbi(pfn)] = on ? 1 : 0;
  }

  // ------------------------------------------------------------------ free lists (free_area)
  /** account_freepages(): NR_FREE_PAGES excludes ISOLATE; CMA and HIGHATOMIC have their own counters */
  account(z: Zone, nr: number, mt: number): void {
    if (mt === ISOLATE) return;
    z.free += nr;
    if (mt === CMA) z.freeCma += nr;
    else if (mt === HIGHATOMIC) z.nrFreeHighatomic += nr;
  }
  /**
   * Bumped by every change of a free list (add, delete, PageReported): a reader that remembered a position in a
   * list can tell whether anything else touched the lists since (the hinting cycle resumes its walk there).
   */
  freeGen = 0;
  /** __SetPageReported / __ClearPageReported on a free block, keeping the per-list count */
  markReported(b: FreeBlock, reported: boolean): void {
    if (b.reported === reported) return;
    b.reported = reported;
    this.zones[b.zone].nrReported[b.order * MIGRATE_TYPES + b.mt] += reported ? 1 : -1;
    this.freeGen++;
  }
  /** __add_to_free_list(): head (LIFO) or tail; nr_free++. No accounting. */
  addFree(z: Zone, pfn: number, order: number, mt: number, tail: boolean): FreeBlock {
    // a head already on a list would be overwritten in the map and left linked: fail loudly instead
    if (this.free.has(pfn)) throw new Error(`page ${hex(pfn)} is already a free buddy block (double free)`);
    return this.addFreeNew(z, pfn, order, mt, tail);
  }
  /** addFree() of a block carved out of a free block just unlinked (it cannot be a free head already: free blocks
   *  never overlap), without the double-free lookup, a cache miss per block in a fill of a TiB zone.
   *  `last`: a block this step added (and did not delete) before, the list's tail if nothing was added after it (boot frees a zone's
   *  blocks in pfn order): a tail add links after it without looking the tail up (the journal saw it created). */
  addFreeNew(z: Zone, pfn: number, order: number, mt: number, tail: boolean, last: FreeBlock | null = null): FreeBlock {
    const li = order * MIGRATE_TYPES + mt;
    const b: FreeBlock = { pfn, order, mt, zone: z.idx, prev: -1, next: -1, reported: false };
    if (z.head[li] < 0) {
      z.head[li] = z.tail[li] = pfn;
    } else if (tail) {
      const t = z.tail[li];
      (last !== null && last.pfn === t ? last : this.free.get(t)!).next = pfn;
      b.prev = t;
      z.tail[li] = pfn;
    } else {
      const h = z.head[li];
      this.free.get(h)!.prev = pfn;
      b.next = h;
      z.head[li] = pfn;
    }
    z.cnt[li]++;
    z.nrFree[order]++;
    this.free.set(pfn, b);
    this.freeGen++;
    return b;
  }
  /** __del_page_from_free_list(): unlink, nr_free--, clears PageReported. No accounting. */
  delFree(b: FreeBlock): void {
    const z = this.zones[b.zone];
    const li = b.order * MIGRATE_TYPES + b.mt;
    if (b.prev >= 0) this.free.get(b.prev)!.next = b.next;
    else z.head[li] = b.next;
    if (b.next >= 0) this.free.get(b.next)!.prev = b.prev;
    else z.tail[li] = b.prev;
    z.cnt[li]--;
    z.nrFree[b.order]--;
    if (b.reported) z.nrReported[li]--;
    this.free.delete(b.pfn);
    this.freeGen++;
  }
  /**
   * delFree() of every block of `bs` (distinct, ascending pfn): the lists, the map and the counters end as after
   * deleting them one by one. A run of them that follow each other on a list is unlinked at once: the neighbours are
   * looked up in the map once per run, not twice per block (a fill of a TiB zone deletes most max-order blocks).
   */
  delFreeMany(bs: readonly FreeBlock[]): void {
    const n = bs.length;
    // index of the block with head pfn in bs (hint: the index it probably has), -1 when not deleted here
    const at = (pfn: number, hint: number): number => {
      if (hint >= 0 && hint < n && bs[hint]!.pfn === pfn) return hint;
      let lo = 0, hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = bs[mid]!.pfn;
        if (v === pfn) return mid;
        if (v < pfn) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    };
    for (let k = 0; k < n; k++) {
      const b = bs[k]!;
      // a block whose predecessor is deleted too is inside a run: the run's first block unlinks it
      if (b.prev >= 0 && at(b.prev, k - 1) >= 0) continue;
      let e = b, ei = k;
      while (e.next >= 0) {
        const x = at(e.next, ei + 1);
        if (x < 0) break;
        e = bs[x]!;
        ei = x;
      }
      const z = this.zones[b.zone];
      const li = b.order * MIGRATE_TYPES + b.mt;
      if (b.prev >= 0) this.free.get(b.prev)!.next = e.next;
      else z.head[li] = e.next;
      if (e.next >= 0) this.free.get(e.next)!.prev = b.prev;
      else z.tail[li] = b.prev;
    }
    for (const b of bs) {
      const z = this.zones[b.zone];
      const li = b.order * MIGRATE_TYPES + b.mt;
      z.cnt[li]--;
      z.nrFree[b.order]--;
      if (b.reported) z.nrReported[li]--;
      this.free.delete(b.pfn);
    }
    this.freeGen += n;
  }
  /**
   * addFreeNew(zones[zone[i]], pfn[i], order[i], mt[i], false) for i = 0..n-1 (blocks carved out of free blocks just
   * deleted), with the head each add links to taken from the add before it when that made it the head.
   */
  addFreeNewHeads(n: number, pfn: readonly number[], order: readonly number[], mt: readonly number[], zone: readonly number[]): void {
    const per = this.nrOrders * MIGRATE_TYPES;
    const last: (FreeBlock | undefined)[] = new Array(this.zones.length * per);
    reserveKeys(this.free, n);
    for (let i = 0; i < n; i++) {
      const z = this.zones[zone[i]!];
      const li = order[i]! * MIGRATE_TYPES + mt[i]!;
      const p = pfn[i]!;
      const b: FreeBlock = { pfn: p, order: order[i]!, mt: mt[i]!, zone: z.idx, prev: -1, next: -1, reported: false };
      const h = z.head[li];
      if (h < 0) {
        z.head[li] = z.tail[li] = p;
      } else {
        const c = last[z.idx * per + li];
        (c !== undefined && c.pfn === h ? c : this.free.get(h)!).prev = p;
        b.next = h;
        z.head[li] = p;
      }
      last[z.idx * per + li] = b;
      z.cnt[li]++;
      z.nrFree[b.order]++;
      this.free.set(p, b);
    }
    this.freeGen += n;
  }
  /** del_page_from_free_list(): unlink and account */
  delFreeAccount(b: FreeBlock): void {
    this.delFree(b);
    this.account(this.zones[b.zone], -(1 << b.order), b.mt);
  }
  /** move_to_free_list(): to the TAIL of another type's list, with accounting; PageReported is kept */
  moveFree(b: FreeBlock, mt: number): void {
    if (b.mt === mt) return;
    const z = this.zones[b.zone];
    const rep = b.reported;
    this.delFree(b);
    this.account(z, -(1 << b.order), b.mt);
    const nb = this.addFree(z, b.pfn, b.order, mt, true);
    this.markReported(nb, rep);
    this.account(z, 1 << b.order, mt);
  }
  /** get_pageblock_skip(): PB_migrate_skip of pfn's pageblock (beyond the machine: clear) */
  getSkip(pfn: number): boolean {
    return this.pbSkip[this.pbi(pfn)] === 1;
  }
  /** set_pageblock_skip() / clear_pageblock_skip() */
  setSkip(pfn: number, on: boolean): void {
    const i = this.pbi(pfn);
    if (i >= 0 && i < this.pbSkip.length) this.pbSkip[i] = on ? 1 : 0;
  }
  /**
   * move_freelist_tail(freelist, b) (mm/compaction.c): list_cut_position up to and including b, list_splice_tail:
   * b becomes the tail, what followed it the head. Pointer surgery, O(1).
   */
  freelistTail(b: FreeBlock): void {
    const z = this.zones[b.zone];
    const li = b.order * MIGRATE_TYPES + b.mt;
    if (z.tail[li] === b.pfn) return;
    this.rotateFreelist(z, li, this.free.get(this.free.get(b.pfn)!.next)!);
  }
  /**
   * move_freelist_head(freelist, b) (mm/compaction.c): list_cut_before b, list_splice_tail: b becomes the head,
   * what preceded it goes to the tail. O(1).
   */
  freelistHead(b: FreeBlock): void {
    const z = this.zones[b.zone];
    const li = b.order * MIGRATE_TYPES + b.mt;
    if (z.head[li] === b.pfn) return;
    this.rotateFreelist(z, li, this.free.get(b.pfn)!);
  }
  /** Both moves are one rotation of the list: `h` (not the head) becomes the head, its predecessor the tail. */
  private rotateFreelist(z: Zone, li: number, h: FreeBlock): void {
    // get by key: the journal records the values before they change
    const oldHead = this.free.get(z.head[li])!, oldTail = this.free.get(z.tail[li])!, newTail = this.free.get(h.prev)!;
    oldTail.next = oldHead.pfn;
    oldHead.prev = oldTail.pfn;
    newTail.next = -1;
    h.prev = -1;
    z.head[li] = h.pfn;
    z.tail[li] = newTail.pfn;
    this.freeGen++;
  }
  /** first block on free_area[order].free_list[mt] (get_page_from_free_area) */
  listHead(z: Zone, order: number, mt: number): FreeBlock | undefined {
    const h = z.head[order * MIGRATE_TYPES + mt];
    return h < 0 ? undefined : this.free.get(h);
  }
  listEmpty(z: Zone, order: number, mt: number): boolean {
    return z.head[order * MIGRATE_TYPES + mt] < 0;
  }
  /** walk a list head → tail */
  *listIter(z: Zone, order: number, mt: number): Generator<FreeBlock> {
    let p = z.head[order * MIGRATE_TYPES + mt];
    while (p >= 0) {
      const b = this.free.get(p)!;
      p = b.next;
      yield b;
    }
  }
  /** PageBuddy(pfn_to_page(pfn)): the free block whose head is exactly pfn */
  buddyAt(pfn: number): FreeBlock | undefined {
    return this.free.get(pfn);
  }
  /** the free block containing pfn (probe aligned-down heads per order) */
  freeContaining(pfn: number): FreeBlock | undefined {
    let prev = -1;
    for (let o = 0; o <= this.maxOrder; o++) {
      const h = alignDown(pfn, pow2(o));
      // an aligned pfn has the same head for several orders: one lookup answers them all
      if (h === prev) continue;
      prev = h;
      const b = this.free.get(h);
      if (b && pfn < h + (1 << b.order)) return b;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ extents (allocated pages)
  private pbIndexAdd(e: Extent): void {
    if (e.n > this.pbPages) return;
    const pb = this.pbNo(e.pfn);
    const i = pb - this.pbBase;
    const one = this.pbHead[i];
    if (one === 0) { this.pbHead[i] = e.pfn - pb * this.pbPages + 1; return; }
    if (one > 0) {
      const h = pb * this.pbPages + one - 1;
      this.pbExt.set(pb, h < e.pfn ? [h, e.pfn] : [e.pfn, h]);
      this.pbHead[i] = -1;
      return;
    }
    const l = this.pbExt.get(pb)!;
    let lo = 0, hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l[mid] < e.pfn) lo = mid + 1;
      else hi = mid;
    }
    l.splice(lo, 0, e.pfn);
  }
  private pbIndexDel(e: Extent): void {
    if (e.n > this.pbPages) return;
    const pb = this.pbNo(e.pfn);
    const i = pb - this.pbBase;
    const one = this.pbHead[i];
    if (one >= 0) {
      if (one > 0 && pb * this.pbPages + one - 1 === e.pfn) this.pbHead[i] = 0;
      return;
    }
    const l = this.pbExt.get(pb);
    if (!l) return;
    let lo = 0, hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l[mid] < e.pfn) lo = mid + 1;
      else hi = mid;
    }
    if (l[lo] === e.pfn) l.splice(lo, 1);
    // back to pbHead at one head (or none)
    if (l.length <= 1) {
      this.pbExt.delete(pb);
      this.pbHead[i] = l.length ? l[0]! - pb * this.pbPages + 1 : 0;
    }
  }
  /** the sorted heads of the extents starting in pageblock pb (global number), null when none */
  private pbHeads(pb: number): number[] | null {
    const one = this.pbHead[pb - this.pbBase];
    if (one > 0) return [pb * this.pbPages + one - 1];
    if (one < 0) return this.pbExt.get(pb) ?? null;
    return null;
  }
  newExtent(pfn: number, n: number, order: number, folio: boolean, kind: Kind, mods: number, owner: string | null): Extent {
    return { pfn, n, order, folio, kind, mods, owner, hugeFree: false, freeing: -1, lastMig: null, lru: this.lruSeq };
  }
  /**
   * newExtent() for the extents of a `fill` (up to a million, living for the whole run) with its own object literal:
   * V8 decides per allocation site whether to allocate in the old generation (pretenuring) from how many of its
   * objects survive; sharing newExtent's site made every later extent (an order-0 page allocated and freed at once)
   * an old-generation allocation, several times slower to allocate and to collect.
   */
  newFillExtent(pfn: number, n: number, order: number, folio: boolean, kind: Kind, mods: number, owner: string | null): Extent {
    return { pfn, n, order, folio, kind, mods, owner, hugeFree: false, freeing: -1, lastMig: null, lru: this.lruSeq };
  }
  /** add an extent; it must not cross a pageblock unless it is a single unit; coalesces order-0 runs */
  addExtent(e: Extent): Extent {
    if (this.pbStart(e.pfn) !== this.pbStart(e.pfn + e.n - 1) && !(e.folio && e.n === pow2(e.order) && e.order > this.pbo)) {
      // split into per-pageblock runs
      let p = e.pfn;
      const end = e.pfn + e.n;
      let first: Extent | null = null;
      while (p < end) {
        const q = Math.min(end, this.pbStart(p) + this.pbPages);
        const part = this.addExtent({ ...e, pfn: p, n: q - p });
        first ??= part;
        p = q;
      }
      return first!;
    }
    // coalesce with the left neighbour: same attributes, same pageblock
    if (e.pfn % this.pbPages) {
      const left = this.extentContaining(e.pfn - 1);
      if (left && left.pfn + left.n === e.pfn && this.sameRun(left, e) && left.n + e.n <= this.pbPages) {
        left.n += e.n;
        return left;
      }
    }
    this.ext.set(e.pfn, e);
    this.pbIndexAdd(e);
    return e;
  }
  private sameRun(a: Extent, b: Extent): boolean {
    return a.order === b.order && a.folio === b.folio && a.kind === b.kind && a.mods === b.mods && a.owner === b.owner &&
      a.hugeFree === b.hugeFree && a.freeing === b.freeing && a.kind !== 'hugetlb' && a.lastMig === null && b.lastMig === null && a.lru === b.lru &&
      a.n % pow2(a.order) === 0;
  }
  removeExtent(e: Extent): void {
    this.ext.delete(e.pfn);
    this.pbIndexDel(e);
  }
  /** the extent containing pfn */
  extentContaining(pfn: number): Extent | undefined {
    const pb = this.pbNo(pfn);
    // outside the machine the typed array reads undefined: neither branch
    const one = this.pbHead[pb - this.pbBase];
    if (one > 0) {
      const h = pb * this.pbPages + one - 1;
      if (h <= pfn) {
        const e = this.ext.get(h)!;
        if (pfn < h + e.n) return e;
      }
    } else if (one < 0) {
      const l = this.pbExt.get(pb)!;
      let lo = 0, hi = l.length - 1, best = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (l[mid] <= pfn) { best = mid; lo = mid + 1; } else hi = mid - 1;
      }
      if (best >= 0) {
        const e = this.ext.get(l[best])!;
        if (pfn < e.pfn + e.n) return e;
      }
    }
    for (let o = this.pbo + 1; o <= 30; o++) {
      const h = pfn - (pfn % pow2(o));
      const e = this.ext.get(h);
      if (e && e.n > this.pbPages && pfn < h + e.n) return e;
      if (pow2(o) > this.maxPfn) break;
    }
    return undefined;
  }
  /** the unit (page or folio) containing pfn, as its own extent (splitting the run if needed) */
  unitAt(pfn: number): Extent | undefined {
    const e = this.extentContaining(pfn);
    if (!e) return undefined;
    const us = 1 << e.order;
    const s = e.pfn + Math.floor((pfn - e.pfn) / us) * us;
    return this.carve(e, s, us);
  }
  /** split run e so that [s, s+len) (unit-aligned) is its own extent; returns it */
  carve(e: Extent, s: number, len: number): Extent {
    if (s === e.pfn && len === e.n) return e;
    const end = e.pfn + e.n;
    this.removeExtent(e);
    if (s > e.pfn) { const l = { ...e, n: s - e.pfn }; this.ext.set(l.pfn, l); this.pbIndexAdd(l); }
    const mid = { ...e, pfn: s, n: len };
    this.ext.set(mid.pfn, mid);
    this.pbIndexAdd(mid);
    if (s + len < end) { const r = { ...e, pfn: s + len, n: end - s - len }; this.ext.set(r.pfn, r); this.pbIndexAdd(r); }
    return mid;
  }
  /** extents overlapping [start, end), in pfn order (walks pageblocks; big single units found by probing) */
  extentsIn(start: number, end: number): Extent[] {
    if (end === start + 1) {
      // one page (an order-0 free): at most the one extent containing it
      const e = this.extentContaining(start);
      return e ? [e] : [];
    }
    // Extents are disjoint and found in ascending pfn order (the one containing start, then each pageblock's sorted
    // heads, or the extent covering a pageblock without heads, which started before it): a duplicate can only be
    // the extent pushed last, and the result is sorted as it is built.
    const out: Extent[] = [];
    let last = -1;
    const first = this.extentContaining(start);
    if (first) { out.push(first); last = first.pfn; }
    for (let pb = this.pbNo(start); pb * this.pbPages < end; pb++) {
      const one = this.pbHead[pb - this.pbBase];
      if (one > 0) {
        const h = pb * this.pbPages + one - 1;
        if (h < end && h > last) {
          const e = this.ext.get(h)!;
          if (h + e.n > start) { out.push(e); last = h; }
        }
        continue;
      }
      const l = one < 0 ? this.pbExt.get(pb) : undefined;
      if (l) {
        for (const h of l) {
          if (h >= end) break;
          if (h <= last) continue;
          const e = this.ext.get(h)!;
          if (h + e.n > start) { out.push(e); last = h; }
        }
      } else {
        const p = Math.max(start, pb * this.pbPages);
        const e = this.extentContaining(p);
        if (e && e.pfn > last) { out.push(e); last = e.pfn; }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ migrated pages of a label
  /** a unit owned by `owner` migrated from head src to head dst */
  noteMoved(src: number, dst: number, owner: string | null): void {
    if (owner === null) return;
    const k = this.movedKey.get(src) ?? `${owner}\u0000${src}`;
    this.movedKey.delete(src);
    this.moved.set(k, dst);
    this.movedKey.set(dst, k);
  }
  /**
   * The unit at head (`pages` long) was split into base pages (split_folio_to_list, mm/huge_memory.c): if it had
   * moved, each base page is followed on its own from the pfn it had in the owner's original folio, so freeing
   * one of them (the head first, say) loses none of the others.
   */
  splitMoved(head: number, pages: number): void {
    const k = this.movedKey.get(head);
    if (k === undefined) return;
    const at = k.lastIndexOf('\u0000');
    const owner = k.slice(0, at), src = Number(k.slice(at + 1));
    for (let i = 1; i < pages; i++) {
      const ki = `${owner}\u0000${src + i}`;
      this.moved.set(ki, head + i);
      this.movedKey.set(head + i, ki);
    }
  }
  /** the unit at head is freed: forget where it came from */
  dropMoved(head: number): void {
    const k = this.movedKey.get(head);
    if (k === undefined) return;
    this.movedKey.delete(head);
    this.moved.delete(k);
  }
  /** where the unit `owner` had at head pfn was migrated to (undefined: it never moved, or is gone) */
  movedTo(owner: string, pfn: number): number | undefined {
    return this.moved.get(`${owner}\u0000${pfn}`);
  }

  // ------------------------------------------------------------------ pcp pages
  /** the pcp page (or order-N pcp block) containing pfn */
  pcpContaining(pfn: number): { pfn: number; e: PcpEntry } | undefined {
    for (const o of [0, 1, 2, 3, this.pbo]) {
      const h = alignDown(pfn, pow2(o));
      const e = this.pcpPages.get(h);
      if (e && pfn < h + (1 << e.order)) return { pfn: h, e };
    }
    return undefined;
  }

  describe(pfn: number): string {
    return hex(pfn);
  }
}
