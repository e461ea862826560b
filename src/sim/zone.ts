// struct zone and struct per_cpu_pages: the per-zone counters, free_area list heads and pagesets.
// Free blocks themselves live in Core.free (keyed by head pfn); a zone only holds list heads/tails/counts.
import { MIGRATE_TYPES, NR_PCP_LISTS, ZONE_NAME_LIST } from './consts.js';
import type { ZoneName } from './scenario.js';

/** struct per_cpu_pages. lists[i] is an array whose LAST element is the list head (LIFO end), index 0 the tail. */
export class Pcp {
  count = 0;
  high = 0;
  highMin = 0;
  highMax = 0;
  batch = 1;
  freeCount = 0;
  allocFactor = 0;
  lists: number[][] = [];
  constructor() {
    for (let i = 0; i < NR_PCP_LISTS; i++) this.lists.push([]);
  }
  clone(): Pcp {
    const p = new Pcp();
    p.count = this.count; p.high = this.high; p.highMin = this.highMin; p.highMax = this.highMax;
    p.batch = this.batch; p.freeCount = this.freeCount; p.allocFactor = this.allocFactor;
    p.lists = this.lists.map((l) => l.slice());
    return p;
  }
}

export class Zone {
  /** spanned = end - start; an empty zone has start = end = 0 (zone_is_empty) */
  start = 0;
  end = 0;
  present = 0;
  presentEarly = 0;
  managed = 0;
  cmaPages = 0;
  /** nr_isolate_pageblock */
  nrIsolate = 0;
  /** NR_FREE_PAGES (account_freepages: ISOLATE excluded) */
  free = 0;
  /** NR_FREE_CMA_PAGES */
  freeCma = 0;
  nrFreeHighatomic = 0;
  nrReservedHighatomic = 0;
  wmMin = 0;
  wmLow = 0;
  wmHigh = 0;
  wmPromo = 0;
  boost = 0;
  lowmemReserve: number[] = [0, 0, 0, 0];
  contiguous = false;
  /** free_area[order].free_list[mt]: head/tail pfn (-1 = empty) and length; index order*MIGRATE_TYPES+mt */
  head: number[];
  tail: number[];
  cnt: number[];
  /** free_area[order].nr_free */
  nrFree: number[];
  /** per list (index order*MIGRATE_TYPES+mt): blocks on it with PageReported (Core.markReported keeps it) */
  nrReported: number[];
  pcp: Pcp[] = [];
  /** zone_pcp_disable nesting (pcp_batch_high_lock held) and the values to restore */
  pcpDisabled = 0;
  savedPcp: { high: number; highMin: number; highMax: number; batch: number }[] = [];

  constructor(public readonly idx: number, public readonly nid: number, public readonly zid: number, nrOrders: number, cpus: number) {
    this.head = new Array(nrOrders * MIGRATE_TYPES).fill(-1);
    this.tail = new Array(nrOrders * MIGRATE_TYPES).fill(-1);
    this.cnt = new Array(nrOrders * MIGRATE_TYPES).fill(0);
    this.nrFree = new Array(nrOrders).fill(0);
    this.nrReported = new Array(nrOrders * MIGRATE_TYPES).fill(0);
    for (let c = 0; c < cpus; c++) this.pcp.push(new Pcp());
  }
  get name(): ZoneName {
    return ZONE_NAME_LIST[this.zid];
  }
  get spanned(): number {
    return this.end - this.start;
  }
  /** populated_zone() */
  get populated(): boolean {
    return this.present > 0;
  }
  spans(pfn: number): boolean {
    return pfn >= this.start && pfn < this.end;
  }
  clone(): Zone {
    const z = Object.create(Zone.prototype) as Zone;
    Object.assign(z, this);
    z.lowmemReserve = this.lowmemReserve.slice();
    z.head = this.head.slice();
    z.tail = this.tail.slice();
    z.cnt = this.cnt.slice();
    z.nrFree = this.nrFree.slice();
    z.nrReported = this.nrReported.slice();
    z.pcp = this.pcp.map((p) => p.clone());
    z.savedPcp = this.savedPcp.map((s) => ({ ...s }));
    return z;
  }
}
