// Checks across the files of a capture, before generate() does any work proportional to its numbers: orders,
// pageblock order, zone spans (pfn limit, overlap, order within a node), free blocks against the zone, memory block
// size and ids, total size. A capture that passes gives a scenario the language accepts; one that does not gives
// an ImportError naming the file and line. Kernel rules cited per check; bounds in limits.ts.
import { ImportError, type BuddyRow, type MemoryBlocks, type PagetypeInfo, type ZoneinfoZone } from './parse.js';
import type { KpfSummary } from './kpageflags.js';
import { IMPORT_MAX_FREE_BLOCKS, IMPORT_MAX_PAGEBLOCKS, IMPORT_MAX_PAGES, IMPORT_MAX_PFN, MAX_ZONES } from './limits.js';
import { hex, ZONE_NAMES, PAGE_SIZE } from '../shared/format.js';

export interface CaptureFiles { zoneinfo: string; buddyinfo: string; pagetypeinfo: string; memory: string }
export const DEFAULT_FILES: CaptureFiles = {
  zoneinfo: '/proc/zoneinfo', buddyinfo: '/proc/buddyinfo', pagetypeinfo: '/proc/pagetypeinfo', memory: '/sys/devices/system/memory',
};

/** A machine snapshot: the parsed proc/sysfs files generate() turns into a scenario. */
export interface Snapshot {
  /** where the files came from (a directory, or "this machine (hostname)") */
  source: string;
  date: string;
  buddyinfo: BuddyRow[] | null;
  pagetypeinfo: PagetypeInfo | null;
  zoneinfo: ZoneinfoZone[];
  memory: MemoryBlocks | null;
  /** System RAM as pfn ranges (/proc/iomem), null when unknown */
  iomem: [number, number][] | null;
  cpus: number;
  kernelRelease?: string;
  /** the files read, for error messages (default: the /proc and /sys paths) */
  files?: Partial<CaptureFiles>;
  /** what /proc/kpageflags says about the zones' pages (attachKpageflags), when it was readable */
  kpf?: KpfSummary;
  /** the text of every file read, by path relative to the capture root (for `import --live --save DIR`) */
  raw?: Map<string, string>;
  /** what reading found worth saying (e.g. --live gave up waiting for the files to agree) */
  readNotes?: string[];
  /** /sys/kernel/mm/lru_gen/enabled has LRU_GEN_CORE set: the kernel reclaims with MGLRU (undefined: no such file) */
  lruGen?: boolean;
}

/** the MAX_PAGE_ORDER and pageblock order generate() will use (the same defaults) */
export function orders(snap: Snapshot): { maxOrder: number; pbo: number } {
  const pti = snap.pagetypeinfo;
  const maxOrder = (snap.buddyinfo?.[0]?.counts.length ?? pti?.free[0]?.counts.length ?? 11) - 1;
  return { maxOrder, pbo: pti?.pageblockOrder ?? Math.min(9, maxOrder) };
}

export function validateSnapshot(snap: Snapshot): void {
  const f = { ...DEFAULT_FILES, ...snap.files };
  const pti = snap.pagetypeinfo;
  const { maxOrder, pbo } = orders(snap);
  if (maxOrder < 1) throw new ImportError(f.buddyinfo, snap.buddyinfo?.[0]?.line ?? 1, `${maxOrder + 1} order columns: MAX_PAGE_ORDER must be at least 1`);
  const ptOrders = pti?.free[0]?.counts.length;
  if (snap.buddyinfo && ptOrders !== undefined && ptOrders !== maxOrder + 1) {
    throw new ImportError(f.pagetypeinfo, pti!.free[0]!.line, `${ptOrders} order columns, but ${f.buddyinfo} has ${maxOrder + 1}`);
  }
  // pageblock_order ≤ MAX_PAGE_ORDER (include/linux/pageblock-flags.h: pageblock_order = min(…, PAGE_BLOCK_ORDER),
  // PAGE_BLOCK_ORDER ≤ MAX_PAGE_ORDER); 0 would make every page a pageblock
  if (pbo < 1 || pbo > maxOrder) throw new ImportError(f.pagetypeinfo, pti?.pageblockOrderLine ?? 1, `pageblock order ${pbo}: expected 1 to MAX_PAGE_ORDER ${maxOrder}`);
  if (snap.zoneinfo.length > MAX_ZONES) throw new ImportError(f.zoneinfo, snap.zoneinfo[MAX_ZONES]!.line, `more than ${MAX_ZONES} zones`);

  // ---- zone spans: below the pfn limit, not overlapping, in zone order within a node (free_area_init_node)
  const pbPages = 2 ** pbo;
  let pages = 0, pageblocks = 0;
  const spans: { nid: number; zone: string; idx: number; start: number; end: number; line: number }[] = [];
  const zoneLine = new Map<string, { present: number; line: number }>();
  for (const z of snap.zoneinfo) {
    const at = `node ${z.nid} zone ${z.zone}`;
    if (z.present > z.spanned) throw new ImportError(f.zoneinfo, z.line, `${at}: present ${z.present} above spanned ${z.spanned} (present = spanned − holes)`);
    zoneLine.set(`${z.nid} ${z.zone}`, { present: z.present, line: z.line });
    if (!z.spanned || z.startPfn === null) continue;
    const end = z.startPfn + z.spanned;
    if (z.spanned > IMPORT_MAX_PFN || end > IMPORT_MAX_PFN) {
      throw new ImportError(f.zoneinfo, z.line, `${at}: spans pfns ${hex(z.startPfn)}..${hex(end)}, above the import's limit of 2^40 pfns (MAX_PHYSMEM_BITS 52)`);
    }
    const idx = (ZONE_NAMES as readonly string[]).indexOf(z.zone);
    if (idx < 0) continue; // not modelled: generate() leaves it out, with a note
    pages += z.spanned;
    pageblocks += Math.ceil(end / pbPages) - Math.floor(z.startPfn / pbPages);
    if (pages > IMPORT_MAX_PAGES) throw new ImportError(f.zoneinfo, z.line, `the zones span more than 2^32 pages (16 TiB) together: too big to import (docs/import.md)`);
    if (pageblocks > IMPORT_MAX_PAGEBLOCKS) throw new ImportError(f.zoneinfo, z.line, `the zones span more than 2^22 pageblocks (pageblock order ${pbo}) together: too big to import (docs/import.md)`);
    spans.push({ nid: z.nid, zone: z.zone, idx, start: z.startPfn, end, line: z.line });
  }
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!, b = sorted[i]!;
    if (b.start < a.end) {
      const [first, second] = a.line < b.line ? [a, b] : [b, a];
      throw new ImportError(f.zoneinfo, second.line, `node ${second.nid} zone ${second.zone} ${hex(second.start)}..${hex(second.end)} overlaps node ${first.nid} zone ${first.zone} ${hex(first.start)}..${hex(first.end)} (line ${first.line}): a scenario cannot express overlapping zone spans`);
    }
  }
  // within a node, sorted by start, the zone index must rise (DMA < DMA32 < Normal < Movable)
  const lastOfNode = new Map<number, (typeof spans)[number]>();
  for (const s of sorted) {
    const prev = lastOfNode.get(s.nid);
    if (prev && prev.idx > s.idx) {
      throw new ImportError(f.zoneinfo, Math.max(prev.line, s.line), `node ${s.nid}: zone ${s.zone} starts at ${hex(s.start)}, above zone ${prev.zone} (${hex(prev.start)}): zones of a node are in the order DMA, DMA32, Normal, Movable`);
    }
    lastOfNode.set(s.nid, s);
  }

  // ---- free blocks: no more free pages than the zone has present pages (free ≤ managed ≤ present)
  let freeBlocks = 0;
  const freeCheck = (file: string, line: number, nid: number, zone: string, counts: number[]) => {
    const z = zoneLine.get(`${nid} ${zone}`);
    let p = 0;
    for (let o = 0; o < counts.length; o++) { p += counts[o]! * 2 ** o; freeBlocks += counts[o]!; }
    if (z && p > z.present) throw new ImportError(file, line, `node ${nid} zone ${zone}: the free blocks hold ${p} pages, but the zone has ${z.present} present pages (${f.zoneinfo} line ${z.line})`);
    if (freeBlocks > IMPORT_MAX_FREE_BLOCKS) throw new ImportError(file, line, `more than 2^22 free blocks: too many to import (docs/import.md)`);
  };
  for (const r of snap.buddyinfo ?? []) freeCheck(f.buddyinfo, r.line, r.nid, r.zone, r.counts);
  if (pti) {
    freeBlocks = 0;
    const perZone = new Map<string, { counts: number[]; line: number; nid: number; zone: string }>();
    for (const r of pti.free) {
      const k = `${r.nid} ${r.zone}`;
      const e = perZone.get(k) ?? { counts: r.counts.map(() => 0), line: r.line, nid: r.nid, zone: r.zone };
      r.counts.forEach((n, o) => { e.counts[o]! += n; });
      e.line = r.line;
      perZone.set(k, e);
    }
    for (const e of perZone.values()) freeCheck(f.pagetypeinfo, e.line, e.nid, e.zone, e.counts);
  }

  // ---- memory blocks: a power of two (parseMemoryBlocks), at least a MAX_PAGE_ORDER block and a pageblock
  // (MIN_MEMORY_BLOCK_SIZE is a section; a section holds a MAX_PAGE_ORDER block), ids below the pfn limit
  const mem = snap.memory;
  if (mem) {
    const blockPages = mem.blockBytes / PAGE_SIZE;
    const sizeFile = `${f.memory}/block_size_bytes`;
    if (blockPages < 2 ** maxOrder || blockPages < pbPages) {
      throw new ImportError(sizeFile, 1, `memory block size ${hex(mem.blockBytes)} is smaller than a MAX_PAGE_ORDER block (${2 ** maxOrder} pages) or a pageblock (${pbPages} pages)`);
    }
    if (blockPages > IMPORT_MAX_PFN) throw new ImportError(sizeFile, 1, `memory block size ${hex(mem.blockBytes)} is above the import's limit of 2^40 pfns`);
    mem.blocks.forEach((b, i) => {
      if ((b.id + 1) * blockPages > IMPORT_MAX_PFN) {
        const dir = mem.blockDirs?.[i] ?? `${f.memory}/memory${b.id}`;
        throw new ImportError(`${dir}/phys_index`, 1, `memory block ${b.id} ends above the import's limit of 2^40 pfns`);
      }
    });
  }
}
