// Pure parsers for the kernel's memory files (no fs): /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo,
// /proc/iomem (System RAM), memory-block sysfs, /proc/kpageflags words. Formats: mm/vmstat.c, drivers/base/memory.c,
// /work/shared/reference/peer-tools-and-proc-formats.md §2. Malformed input throws ImportError(file, line, message);
// a message quotes the capture only as a short printable excerpt (limits.ts: excerpt). Counts of nodes, zones and
// orders are bounded (limits.ts) as the lines are read, before anything proportional to them is built.
import { excerpt, IMPORT_MAX_PAGE_ORDER, MAX_CPU_ID, MAX_CPUS, MAX_NUMNODES, MAX_ZONES } from './limits.js';
import type { ZoneName } from '../shared/format.js';
import { PAGE_SIZE } from '../shared/format.js';

export class ImportError extends Error {
  constructor(public file: string, public line: number, public detail: string) {
    super(`${file}:${line}: error: ${detail}`);
  }
}

export type ImportZone = ZoneName;

/** kernel migratetype_names[] → the language's names (unknown types are kept, lower-cased) */
export function mtName(procName: string): string {
  const m: Record<string, string> = {
    Unmovable: 'unmovable', Movable: 'movable', Reclaimable: 'reclaimable', HighAtomic: 'highatomic', CMA: 'cma', Isolate: 'isolate',
  };
  return m[procName] ?? procName.toLowerCase();
}

function num(file: string, line: number, s: string, what: string): number {
  if (!/^\d+$/.test(s)) throw new ImportError(file, line, `expected ${what}, found \`${excerpt(s)}\``);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new ImportError(file, line, `${what} ${excerpt(s)} is too large`);
  return n;
}
/** a node id: below MAX_NUMNODES */
function nodeId(file: string, line: number, s: string): number {
  const n = num(file, line, s, 'a node id');
  if (n >= MAX_NUMNODES) throw new ImportError(file, line, `node ${n}: node ids are below MAX_NUMNODES (${MAX_NUMNODES})`);
  return n;
}
/** a zone name as the kernel prints it (zone_names[]: DMA, DMA32, Normal, HighMem, Movable, Device) */
function zoneName(file: string, line: number, s: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(s)) throw new ImportError(file, line, `expected a zone name, found \`${excerpt(s)}\``);
  return s;
}
/** the number of order columns: 0..MAX_PAGE_ORDER, MAX_PAGE_ORDER between 1 and IMPORT_MAX_PAGE_ORDER */
function orderCount(file: string, line: number, n: number): void {
  if (n < 2 || n > IMPORT_MAX_PAGE_ORDER + 1) throw new ImportError(file, line, `${n} order columns: expected 2 to ${IMPORT_MAX_PAGE_ORDER + 1} (orders 0..MAX_PAGE_ORDER, MAX_PAGE_ORDER at most ${IMPORT_MAX_PAGE_ORDER})`);
}
/** (node, zone) seen once per table; at most MAX_ZONES of them */
function zoneSet(file: string) {
  const seen = new Map<string, number>();
  return (line: number, nid: number, zone: string, what = '') => {
    const k = `${nid} ${zone}${what}`;
    const first = seen.get(k);
    if (first !== undefined) throw new ImportError(file, line, `node ${nid} zone ${zone}${what ? ` type ${what}` : ''} again (first on line ${first})`);
    if (seen.size >= (what ? MAX_ZONES * 16 : MAX_ZONES)) throw new ImportError(file, line, `more than ${MAX_ZONES} zones (MAX_NUMNODES ${MAX_NUMNODES} × MAX_NR_ZONES ${MAX_ZONES / MAX_NUMNODES})`);
    seen.set(k, line);
  };
}
const lines = (text: string) => text.split('\n');

// ---------------------------------------------------------------- /proc/buddyinfo
export interface BuddyRow { nid: number; zone: string; counts: number[]; line: number }

/** "Node %d, zone %8s " + "%6lu " per order. The number of orders is counted, not assumed. */
export function parseBuddyinfo(text: string, file = '/proc/buddyinfo'): BuddyRow[] {
  const out: BuddyRow[] = [];
  const seen = zoneSet(file);
  lines(text).forEach((l, i) => {
    if (!l.trim()) return;
    const m = /^Node\s+(\d+),\s*zone\s+(\S+)\s+(.*)$/.exec(l.trim());
    if (!m) throw new ImportError(file, i + 1, 'expected `Node N, zone NAME COUNT…`');
    const nid = nodeId(file, i + 1, m[1]!), zone = zoneName(file, i + 1, m[2]!);
    seen(i + 1, nid, zone);
    const counts = m[3]!.trim().split(/\s+/).map((s) => num(file, i + 1, s, 'a free block count'));
    if (out.length && counts.length !== out[0]!.counts.length) throw new ImportError(file, i + 1, `${counts.length} orders, but the first row has ${out[0]!.counts.length}`);
    if (!out.length) orderCount(file, i + 1, counts.length);
    out.push({ nid, zone, counts, line: i + 1 });
  });
  if (!out.length) throw new ImportError(file, 1, 'no `Node N, zone …` rows');
  return out;
}

// ---------------------------------------------------------------- /proc/pagetypeinfo
export interface PagetypeInfo {
  pageblockOrder: number;
  /** the line of `Page block order:` */
  pageblockOrderLine?: number;
  /** free blocks per (node, zone, migratetype, order); `capped` marks `>100000` cells (the list walk stopped) */
  free: { nid: number; zone: string; mt: string; counts: number[]; capped: boolean[]; line: number }[];
  /** "Number of blocks type": pageblocks per (node, zone, migratetype) */
  blocks: { nid: number; zone: string; counts: Record<string, number>; line: number }[];
  /** the migratetype columns of the block table, as the kernel printed them (language names) */
  types: string[];
}

/** a migratetype name as the kernel prints it (migratetype_names[]) */
function typeName(file: string, line: number, s: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,23}$/.test(s)) throw new ImportError(file, line, `expected a migratetype name, found \`${excerpt(s)}\``);
  return s;
}

export function parsePagetypeinfo(text: string, file = '/proc/pagetypeinfo'): PagetypeInfo {
  const res: PagetypeInfo = { pageblockOrder: -1, free: [], blocks: [], types: [] };
  let orders = -1;
  let section: 'none' | 'free' | 'blocks' | 'mixed' = 'none';
  let blockTypes: string[] = [];
  const freeSeen = zoneSet(file), blockSeen = zoneSet(file);
  let ordersLine = 1;
  lines(text).forEach((raw, i) => {
    const ln = i + 1;
    const l = raw.trim();
    if (!l) return;
    let m: RegExpExecArray | null;
    if ((m = /^Page block order:\s*(\S+)$/.exec(l))) {
      const o = num(file, ln, m[1]!, 'the pageblock order');
      // pageblock_order = min(HUGETLB_PAGE_ORDER, PAGE_BLOCK_ORDER) ≤ MAX_PAGE_ORDER (include/linux/pageblock-flags.h)
      if (o < 1 || o > IMPORT_MAX_PAGE_ORDER) throw new ImportError(file, ln, `pageblock order ${o}: expected 1 to ${IMPORT_MAX_PAGE_ORDER}`);
      if (res.pageblockOrder >= 0 && o !== res.pageblockOrder) throw new ImportError(file, ln, `pageblock order ${o}, earlier ${res.pageblockOrder}`);
      res.pageblockOrder = o;
      res.pageblockOrderLine = ln;
      section = 'none';
      return;
    }
    if (/^Pages per block:/.test(l)) return;
    if ((m = /^Free pages count per migrate type at order\s+(.*)$/.exec(l))) {
      const os = m[1]!.split(/\s+/).map((s) => num(file, ln, s, 'an order'));
      if (os.some((o, k) => o !== k)) throw new ImportError(file, ln, 'the order columns are not 0, 1, 2 …');
      if (os.length > IMPORT_MAX_PAGE_ORDER + 1) orderCount(file, ln, os.length);
      ordersLine = ln;
      if (orders >= 0 && os.length !== orders) throw new ImportError(file, ln, `${os.length} order columns, earlier ${orders}`);
      orders = os.length;
      section = 'free';
      return;
    }
    if ((m = /^Number of (blocks|mixed blocks) type\s+(.*)$/.exec(l)) || (m = /^Number of (mixed blocks)\s+(.*)$/.exec(l))) {
      section = m[1] === 'blocks' ? 'blocks' : 'mixed';
      if (section === 'blocks') {
        blockTypes = m[2]!.split(/\s+/).map((t) => mtName(typeName(file, ln, t)));
        if (blockTypes.length > 16) throw new ImportError(file, ln, `${blockTypes.length} migratetype columns: the kernel has at most 6`);
        if (!res.types.length) res.types = blockTypes;
      }
      return;
    }
    if (section === 'free') {
      m = /^Node\s+(\d+),\s*zone\s+(\S+),\s*type\s+(\S+)\s+(.*)$/.exec(l);
      if (!m) throw new ImportError(file, ln, 'expected `Node N, zone NAME, type TYPE COUNT…`');
      const cells = m[4]!.split(/\s+/);
      if (cells.length !== orders) throw new ImportError(file, ln, `${cells.length} counts, but the header has ${orders} orders`);
      const nid = nodeId(file, ln, m[1]!), zone = zoneName(file, ln, m[2]!), mt = mtName(typeName(file, ln, m[3]!));
      freeSeen(ln, nid, zone, mt);
      const capped = cells.map((c) => c.startsWith('>'));
      const counts = cells.map((c) => num(file, ln, c.replace(/^>/, ''), 'a free block count'));
      res.free.push({ nid, zone, mt, counts, capped, line: ln });
      return;
    }
    if (section === 'blocks' || section === 'mixed') {
      m = /^Node\s+(\d+),\s*zone\s+(\S+)\s+(.*)$/.exec(l);
      if (!m) throw new ImportError(file, ln, 'expected `Node N, zone NAME COUNT…`');
      const cells = m[3]!.split(/\s+/).map((c) => num(file, ln, c, 'a pageblock count'));
      if (cells.length !== blockTypes.length) throw new ImportError(file, ln, `${cells.length} counts, but the header has ${blockTypes.length} types`);
      const nid = nodeId(file, ln, m[1]!), zone = zoneName(file, ln, m[2]!);
      if (section === 'blocks') blockSeen(ln, nid, zone);
      if (section === 'blocks') res.blocks.push({ nid, zone, counts: Object.fromEntries(blockTypes.map((t, k) => [t, cells[k]!])), line: ln });
      return;
    }
    throw new ImportError(file, ln, `unexpected line \`${excerpt(l, 40)}\``);
  });
  if (res.pageblockOrder < 0) throw new ImportError(file, 1, 'no `Page block order:` line');
  if (orders < 0) throw new ImportError(file, 1, 'no `Free pages count per migrate type at order` header');
  orderCount(file, ordersLine, orders);
  return res;
}

// ---------------------------------------------------------------- /proc/zoneinfo
export interface ZoneinfoZone {
  nid: number; zone: string; line: number;
  free: number; spanned: number; present: number; managed: number; cma: number;
  /** null for unpopulated zones (they stop at `protection:`) */
  startPfn: number | null;
  /** per-cpu pageset `count:` (pages on that cpu's PCP lists), in cpu order; [] when not printed */
  pcpCounts?: number[];
  /** per-cpu pageset `high:` (pcp->high) and `batch:` (pcp->batch), in cpu order; [] when not printed */
  pcpHigh?: number[];
  pcpBatch?: number[];
  /** the sum over cpus of `vm stats threshold:`: how far "pages free" (a vmstat counter) may lag the free lists */
  statThresholdSum?: number;
}

/** Per node/zone: pages free, spanned, present, managed, cma, start_pfn. Every other line is ignored. */
export function parseZoneinfo(text: string, file = '/proc/zoneinfo'): ZoneinfoZone[] {
  const out: ZoneinfoZone[] = [];
  let cur: ZoneinfoZone | null = null;
  const fields = new Map<string, keyof ZoneinfoZone>([['spanned', 'spanned'], ['present', 'present'], ['managed', 'managed'], ['cma', 'cma']]);
  const done = (ln: number) => {
    if (!cur) return;
    for (const f of ['spanned', 'present', 'managed'] as const) if (Number.isNaN(cur[f])) throw new ImportError(file, cur.line, `zone ${cur.zone} of node ${cur.nid} has no \`${f}\` line (before line ${ln})`);
    if (Number.isNaN(cur.cma)) cur.cma = 0;
    out.push(cur);
  };
  const all = lines(text);
  const seen = zoneSet(file);
  all.forEach((raw, i) => {
    const ln = i + 1;
    const l = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^Node\s+(\d+),\s*zone\s+(\S+)\s*$/.exec(l))) {
      const nid = nodeId(file, ln, m[1]!), zone = zoneName(file, ln, m[2]!);
      seen(ln, nid, zone);
      done(ln);
      cur = { nid, zone, line: ln, free: NaN, spanned: NaN, present: NaN, managed: NaN, cma: NaN, startPfn: null };
      return;
    }
    if (/^Node\s/.test(l)) throw new ImportError(file, ln, 'expected `Node N, zone NAME`');
    if (!cur) {
      if (l) throw new ImportError(file, ln, 'expected `Node N, zone NAME` first');
      return;
    }
    const z: ZoneinfoZone = cur;
    if ((m = /^pages free\s+(\S+)$/.exec(l))) { z.free = num(file, ln, m[1]!, 'a page count'); return; }
    if ((m = /^start_pfn:\s+(\S+)$/.exec(l))) { z.startPfn = num(file, ln, m[1]!, 'a pfn'); return; }
    // zoneinfo_show_print(): per cpu `cpu: N`, `count: N` (pcp->count), …, `vm stats threshold: N`
    if ((m = /^count:\s+(\S+)$/.exec(l))) {
      z.pcpCounts ??= [];
      if (z.pcpCounts.length >= MAX_CPUS) throw new ImportError(file, ln, `more than ${MAX_CPUS} per-cpu pagesets in one zone`);
      z.pcpCounts.push(num(file, ln, m[1]!, 'a page count'));
      return;
    }
    // `high:` / `batch:` with a colon are the pageset's (the watermark is `high N` without one)
    if ((m = /^(high|batch):\s+(\S+)$/.exec(l))) {
      const arr = m[1] === 'high' ? (z.pcpHigh ??= []) : (z.pcpBatch ??= []);
      if (arr.length >= MAX_CPUS) throw new ImportError(file, ln, `more than ${MAX_CPUS} per-cpu pagesets in one zone`);
      const v = num(file, ln, m[2]!, `pcp->${m[1]}`);
      // struct per_cpu_pages: int high, int batch (printed with %i); the language takes them up to INT_MAX
      if (v > 2 ** 31 - 1) throw new ImportError(file, ln, `pcp->${m[1]} ${v} is above INT_MAX`);
      arr.push(v);
      return;
    }
    if ((m = /^vm stats threshold:\s+(\S+)$/.exec(l))) { z.statThresholdSum = (z.statThresholdSum ?? 0) + num(file, ln, m[1]!, 'a threshold'); return; }
    if ((m = /^(spanned|present|managed|cma)\s+(\S+)$/.exec(l))) {
      const f = fields.get(m[1]!)!;
      const r = z as unknown as Record<string, number>;
      if (Number.isNaN(r[f])) r[f] = num(file, ln, m[2]!, `\`${m[1]}\``);
    }
  });
  done(all.length);
  if (!out.length) throw new ImportError(file, 1, 'no `Node N, zone NAME` sections');
  return out;
}

// ---------------------------------------------------------------- /proc/iomem
/** top-level `System RAM` ranges as pfn ranges [start, end) (4K pages); zeros (no root) give [] */
export function parseIomem(text: string, file = '/proc/iomem'): [number, number][] {
  const out: [number, number][] = [];
  let prevEnd = -1, prevLine = 0;
  lines(text).forEach((raw, i) => {
    if (!raw.trim() || /^\s/.test(raw)) return;
    const m = /^([0-9a-fA-F]+)-([0-9a-fA-F]+)\s*:\s*(.*)$/.exec(raw.trim());
    if (!m) throw new ImportError(file, i + 1, 'expected `START-END : NAME`');
    if (m[1]!.length > 16 || m[2]!.length > 16) throw new ImportError(file, i + 1, 'address too large');
    const s = parseInt(m[1]!, 16), e = parseInt(m[2]!, 16) + 1;
    if (!Number.isSafeInteger(e)) throw new ImportError(file, i + 1, 'address too large');
    if (e <= 1) return; // addresses hidden (not root): all zeros
    // the top level of the resource tree: siblings in address order, never overlapping (kernel/resource.c)
    if (s >= e) throw new ImportError(file, i + 1, `range ${m[1]}-${m[2]} ends before it starts`);
    if (s < prevEnd) throw new ImportError(file, i + 1, `range ${m[1]}-${m[2]} overlaps or precedes the range on line ${prevLine}`);
    prevEnd = e; prevLine = i + 1;
    if (m[3]!.trim() !== 'System RAM') return;
    const ps = Math.ceil(s / PAGE_SIZE), pe = Math.floor(e / PAGE_SIZE);
    if (pe > ps) out.push([ps, pe]);
  });
  return out;
}

// ---------------------------------------------------------------- memory-block sysfs
export interface SysfsBlockFiles {
  /** e.g. memory32 */
  name: string;
  dir: string;
  state?: string;
  phys_index?: string;
  valid_zones?: string;
  /** node ids from memoryN/nodeM links */
  nodes: number[];
}
export interface MemoryBlock { id: number; state: 'online' | 'offline' | 'going-offline'; validZones: string[]; nid: number | null }
export interface MemoryBlocks {
  blockBytes: number; blocks: MemoryBlock[];
  /** where each block was read (blockDirs[i] is blocks[i]'s directory), for error messages */
  blockDirs?: string[];
}

export function parseMemoryBlocks(blockSizeText: string, blockSizeFile: string, dirs: SysfsBlockFiles[]): MemoryBlocks {
  const bs = blockSizeText.trim();
  if (!/^(0x)?[0-9a-fA-F]{1,16}$/.test(bs)) throw new ImportError(blockSizeFile, 1, `expected a hex byte count, found \`${excerpt(bs)}\``);
  const blockBytes = parseInt(bs, 16);
  // memory_block_size_bytes(): a power of two, at least a section (drivers/base/memory.c)
  if (!blockBytes || blockBytes % 4096 || !Number.isSafeInteger(blockBytes) || !Number.isInteger(Math.log2(blockBytes))) throw new ImportError(blockSizeFile, 1, `block size 0x${excerpt(bs.replace(/^0x/, ''))} is not a power of two multiple of 4K`);
  const found: { b: MemoryBlock; dir: string }[] = [];
  for (const d of dirs) {
    const m = /^memory(\d+)$/.exec(d.name);
    if (!m) continue;
    let id = Number(m[1]);
    if (d.phys_index !== undefined) {
      const p = d.phys_index.trim();
      if (!/^[0-9a-fA-F]{1,12}$/.test(p)) throw new ImportError(`${d.dir}/phys_index`, 1, `expected a hex block id, found \`${excerpt(p)}\``);
      id = parseInt(p, 16);
    }
    const st = (d.state ?? '').trim();
    if (st !== 'online' && st !== 'offline' && st !== 'going-offline') throw new ImportError(`${d.dir}/state`, 1, `expected online, offline or going-offline, found \`${excerpt(st)}\``);
    const vz = (d.valid_zones ?? '').trim().split(/\s+/).filter(Boolean);
    // the lowest node link (a loop: Math.min(...nodes) would pass every link as an argument)
    let nid: number | null = null;
    for (const n of d.nodes) if (nid === null || n < nid) nid = n;
    found.push({ b: { id, state: st, validZones: vz, nid }, dir: d.dir });
  }
  found.sort((a, b) => a.b.id - b.b.id);
  for (let i = 1; i < found.length; i++) {
    if (found[i]!.b.id === found[i - 1]!.b.id) throw new ImportError(`${found[i]!.dir}/phys_index`, 1, `memory block ${found[i]!.b.id} again (also ${found[i - 1]!.dir})`);
  }
  const blocks = found.map((f) => f.b);
  return { blockBytes, blocks, blockDirs: found.map((f) => f.dir) };
}

// ---------------------------------------------------------------- /proc/kpageflags
export const KPF_BUDDY = 10, KPF_NOPAGE = 20, KPF_OFFLINE = 23, KPF_RESERVED = 32, KPF_SLAB = 7, KPF_LRU = 5;
/** per-pageblock summary of 8-byte little-endian kpageflags words: pages with each of a few flags */
export interface KpfBlock { pfn: number; nopage: number; buddyHeads: number; reserved: number; slab: number; lru: number; offline: number }
export function summariseKpageflags(buf: Uint8Array, firstPfn: number, pbPages: number, file = '/proc/kpageflags'): KpfBlock[] {
  if (buf.length % 8) throw new ImportError(file, 1, `read ${buf.length} bytes: not a whole number of 8-byte words`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: KpfBlock[] = [];
  let cur: KpfBlock | null = null;
  for (let i = 0; i < buf.length / 8; i++) {
    const pfn = firstPfn + i;
    if (!cur || pfn - cur.pfn >= pbPages) { cur = { pfn: pfn - (pfn % pbPages), nopage: 0, buddyHeads: 0, reserved: 0, slab: 0, lru: 0, offline: 0 }; out.push(cur); }
    const lo = dv.getUint32(i * 8, true), hi = dv.getUint32(i * 8 + 4, true);
    if (lo & (1 << KPF_NOPAGE)) cur.nopage++;
    if (lo & (1 << KPF_BUDDY)) cur.buddyHeads++;
    if (lo & (1 << KPF_SLAB)) cur.slab++;
    if (lo & (1 << KPF_LRU)) cur.lru++;
    if (lo & (1 << KPF_OFFLINE)) cur.offline++;
    if (hi & 1) cur.reserved++;
  }
  return out;
}

// ---------------------------------------------------------------- sys/devices/system/cpu/online
/** a cpu list like `0-3,5` (lib/bitmap-str.c bitmap_print_to_pagebuf): ascending, ids below NR_CPUS → the count */
export function parseCpuList(text: string, file = '/sys/devices/system/cpu/online'): number {
  const t = text.trim();
  if (t.length > 4096) throw new ImportError(file, 1, 'the cpu list is longer than a sysfs page');
  let n = 0, prev = -1;
  for (const part of t.split(',')) {
    const m = /^(\d{1,10})(?:-(\d{1,10}))?$/.exec(part);
    if (!m) throw new ImportError(file, 1, `expected a cpu list like 0-3,5, found \`${excerpt(t)}\``);
    const a = Number(m[1]), b = m[2] ? Number(m[2]) : a;
    if (b > MAX_CPU_ID) throw new ImportError(file, 1, `cpu ${b}: cpu ids are below NR_CPUS (at most ${MAX_CPU_ID + 1})`);
    if (b < a) throw new ImportError(file, 1, `cpu range ${a}-${b} ends before it starts`);
    if (a <= prev) throw new ImportError(file, 1, `cpu ${a} is not above the cpus before it (${prev})`);
    n += b - a + 1;
    prev = b;
  }
  if (n > MAX_CPUS) throw new ImportError(file, 1, `${n} cpus online: the simulator models at most ${MAX_CPUS}`);
  return n;
}
