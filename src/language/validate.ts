// Semantic checks of the machine layout, and the Layout queries operations are checked against
// (is a pfn or range inside memory the machine has, which zone holds a pfn, does memory block N exist).
import type { Loc, MachineSpec, ZoneName } from '../sim/scenario.js';
import { MAX_PFN, MAX_PHYSMEM_BITS } from '../sim/pfn.js';
import { checkMachineSize } from '../sim/limits.js';
import { hex, ZONE_NAMES } from '../shared/format.js';

export type Report = (loc: Loc, message: string, severity?: 'error' | 'warning') => void;

export const rangeText = (s: number, e: number): string => `${hex(s)}..${hex(e)}`;
export const isPow2 = (n: number): boolean => n > 0 && Number.isInteger(n) && Number.isInteger(Math.log2(n));

interface Span { start: number; end: number; what: string }

export class Layout {
  readonly spans: Span[];
  constructor(readonly m: MachineSpec) {
    const spans: Span[] = [];
    for (const n of m.nodes) {
      for (const z of n.zones) spans.push({ start: z.start, end: z.end, what: `node ${n.nid} ZONE_${z.zone === 'Normal' ? 'NORMAL' : z.zone === 'Movable' ? 'MOVABLE' : z.zone}` });
      for (const h of n.hotplug) spans.push({ start: h.start, end: h.end, what: `node ${n.nid} hotplug (${h.state})` });
    }
    for (const v of m.virtioMem) spans.push({ start: v.start, end: v.end, what: `virtio-mem ${v.name}` });
    spans.sort((a, b) => a.start - b.start);
    this.spans = spans;
  }
  get pageblockPages(): number { return 2 ** this.m.pageblockOrder; }
  get maxOrderPages(): number { return 2 ** this.m.maxPageOrder; }

  /** Is every pfn of [start, end) in some zone span, hotplug range or virtio-mem device range? */
  covers(start: number, end: number): boolean {
    let at = start;
    for (const s of this.spans) {
      if (s.end <= at) continue;
      if (s.start > at) return false;
      at = s.end;
      if (at >= end) return true;
    }
    return at >= end;
  }
  /**
   * Has the machine a struct page for pfn? pfn_valid(): its section is present. memmap_init() (mm/mm_init.c)
   * initialises the holes of a present section with init_unavailable_range() (PG_reserved, in the zone of the next
   * memory range: pfn 0 is a reserved DMA page), so a pfn outside every span but in a section with boot memory has
   * one; hotplug ranges and devices are spans already.
   */
  hasMemmap(pfn: number): boolean {
    if (this.covers(pfn, pfn + 1)) return true;
    const sp = this.m.sectionPages;
    const s0 = pfn - (pfn % sp), s1 = s0 + sp;
    for (const n of this.m.nodes) {
      const holes = n.holes ?? [];
      for (const z of n.zones) {
        const a = Math.max(z.start, s0), b = Math.min(z.end, s1);
        // some pfn of [a, b) outside the node's firmware holes is present memory
        if (a < b && !holes.some((h) => h.start <= a && b <= h.end)) return true;
      }
    }
    return false;
  }
  zoneOf(pfn: number): { nid: number; zone: ZoneName } | null {
    for (const n of this.m.nodes) for (const z of n.zones) if (pfn >= z.start && pfn < z.end) return { nid: n.nid, zone: z.zone };
    return null;
  }
  /** Zone, hotplug range or device that holds the pfn, in words. */
  where(pfn: number): string | null {
    for (const s of this.spans) if (pfn >= s.start && pfn < s.end) return s.what;
    return null;
  }
  blockExists(id: number): boolean {
    const bp = this.m.memoryBlockPages;
    return this.spans.some((s) => s.start < (id + 1) * bp && s.end > id * bp);
  }
  /** Memory block ids the layout touches (at most `limit`). */
  blockIds(limit = 512): number[] {
    const bp = this.m.memoryBlockPages;
    const ids = new Set<number>();
    for (const s of this.spans) {
      for (let b = Math.floor(s.start / bp); b * bp < s.end && ids.size < limit; b++) ids.add(b);
    }
    return [...ids].sort((a, b) => a - b);
  }
  describe(): string {
    if (!this.spans.length) return 'the machine has no memory';
    return 'memory: ' + this.spans.slice(0, 6).map((s) => `${s.what} ${rangeText(s.start, s.end)}`).join(', ') + (this.spans.length > 6 ? ', …' : '');
  }
  hasZone(nid: number, zone: ZoneName): boolean {
    const n = this.m.nodes.find((x) => x.nid === nid);
    if (!n) return false;
    if (n.zones.some((z) => z.zone === zone)) return true;
    // ZONE_NORMAL / ZONE_MOVABLE can be created by onlining hotplugged memory
    const canGrow = n.hotplug.length > 0 || this.m.virtioMem.some((v) => v.nid === nid);
    return canGrow && (zone === 'Movable' || zone === 'Normal');
  }
}

const ZONE_KERNEL: Record<ZoneName, string> = { DMA: 'ZONE_DMA', DMA32: 'ZONE_DMA32', Normal: 'ZONE_NORMAL', Movable: 'ZONE_MOVABLE' };
export const zoneKernelName = (z: ZoneName): string => ZONE_KERNEL[z];

/** Checks of the machine itself: alignment, order and overlap of zones, hotplug ranges, CMA areas, devices. */
export function validateMachine(m: MachineSpec, report: Report): void {
  const pb = 2 ** m.pageblockOrder;
  const mb = m.memoryBlockPages;
  const all: { start: number; end: number; what: string; loc: Loc; zoneOf?: number }[] = [];
  const seen = new Map<number, Loc>();
  for (const n of m.nodes) {
    if (seen.has(n.nid)) report(n.loc, `duplicate node ${n.nid} (first on line ${seen.get(n.nid)!.line})`);
    seen.set(n.nid, n.loc);
    let prev: { zone: ZoneName; end: number; loc: Loc } | null = null;
    const zonesSeen = new Set<ZoneName>();
    for (const z of n.zones) {
      const name = zoneKernelName(z.zone);
      if (zonesSeen.has(z.zone)) report(z.loc, `duplicate ${name} in node ${n.nid}`);
      zonesSeen.add(z.zone);
      if (z.end <= z.start) { report(z.loc, `${name} is empty: end ${hex(z.end)} ≤ start ${hex(z.start)}`); continue; }
      // Real firmware maps leave zone ends unaligned (ZONE_DMA at pfn 1, ZONE_DMA32 ending at 0x3ffe0): the
      // kernel accepts that, with a pageblock straddling the boundary, so this is a warning. The first zone
      // of a node may start inside its first pageblock without one.
      const unaligned = (what: string, pfn: number) =>
        report(z.loc, `${name} ${what} ${hex(pfn)} is not pageblock-aligned (pageblock = ${pb} pages, pageblock_order ${m.pageblockOrder}): pageblock ${hex(pfn - (pfn % pb))} straddles the zone boundary`, 'warning');
      if (z.start % pb && z.start >= pb) unaligned('start', z.start);
      if (z.end % pb) unaligned('end', z.end);
      if (prev) {
        if (ZONE_NAMES.indexOf(z.zone) <= ZONE_NAMES.indexOf(prev.zone)) {
          report(z.loc, `zones of a node are ordered DMA < DMA32 < Normal < Movable: ${name} after ${zoneKernelName(prev.zone)}`);
        } else if (z.start < prev.end) {
          report(z.loc, `${name} ${rangeText(z.start, z.end)} starts below the end of ${zoneKernelName(prev.zone)} (${hex(prev.end)})`);
        }
      }
      prev = { zone: z.zone, end: z.end, loc: z.loc };
      all.push({ start: z.start, end: z.end, what: `node ${n.nid} ${name}`, loc: z.loc, zoneOf: n.nid });
    }
    for (const r of n.reserved) {
      if (r.end <= r.start) report(r.loc, `empty reserved range ${rangeText(r.start, r.end)}`);
      else if (!n.zones.some((z) => r.start >= z.start && r.end <= z.end)) {
        report(r.loc, `reserved range ${rangeText(r.start, r.end)} is not inside a zone of node ${n.nid}`);
      }
    }
    for (const r of n.holes ?? []) {
      if (r.end <= r.start) report(r.loc, `empty hole ${rangeText(r.start, r.end)}`);
      else if (!n.zones.some((z) => r.start >= z.start && r.end <= z.end)) {
        report(r.loc, `hole ${rangeText(r.start, r.end)} is not inside a zone of node ${n.nid}`);
      }
    }
    for (const h of n.hotplug) {
      if (h.end <= h.start) { report(h.loc, `empty hotplug range ${rangeText(h.start, h.end)}`); continue; }
      if (h.start % mb || h.end % mb) {
        report(h.loc, `hotplug range ${rangeText(h.start, h.end)} is not aligned to the memory block size (${mb} pages = ${mb / 256} MiB)`);
      }
      all.push({ start: h.start, end: h.end, what: `node ${n.nid} hotplug range`, loc: h.loc });
    }
  }
  for (const v of m.virtioMem) {
    if (!m.nodes.some((n) => n.nid === v.nid)) report(v.loc, `virtio-mem ${v.name}: node ${v.nid} does not exist`);
    if (v.end <= v.start) { report(v.loc, `virtio-mem ${v.name}: empty device range`); continue; }
    if (v.start % mb || v.end % mb) report(v.loc, `virtio-mem ${v.name}: device range ${rangeText(v.start, v.end)} is not memory-block aligned (${mb} pages)`);
    if (v.blockPages < pb || !isPow2(v.blockPages)) report(v.loc, `virtio-mem ${v.name}: device block size must be a power of two of at least a pageblock (${pb} pages)`);
    all.push({ start: v.start, end: v.end, what: `virtio-mem ${v.name}`, loc: v.loc });
  }
  all.sort((a, b) => a.start - b.start);
  for (let i = 1; i < all.length; i++) {
    const a = all[i - 1]!;
    const b = all[i]!;
    // zones of one node are already checked in order above
    if (b.start < a.end && !(a.zoneOf !== undefined && a.zoneOf === b.zoneOf)) report(b.loc, `${b.what} ${rangeText(b.start, b.end)} overlaps ${a.what} ${rangeText(a.start, a.end)} (line ${a.loc.line})`);
  }
  const zones = m.nodes.flatMap((n) => n.zones);
  const cmaSorted = [...m.cma].sort((a, b) => a.start - b.start);
  for (const c of m.cma) {
    if (c.end <= c.start) { report(c.loc, `CMA area ${c.name} is empty`); continue; }
    if (c.start % pb || c.end % pb) report(c.loc, `CMA area ${c.name} ${rangeText(c.start, c.end)} is not pageblock-aligned (${pb} pages): CMA pageblocks are whole MIGRATE_CMA pageblocks`);
    if (!zones.some((z) => c.start >= z.start && c.end <= z.end)) report(c.loc, `CMA area ${c.name} ${rangeText(c.start, c.end)} does not lie inside one zone`);
  }
  for (let i = 1; i < cmaSorted.length; i++) {
    if (cmaSorted[i]!.start < cmaSorted[i - 1]!.end) report(cmaSorted[i]!.loc, `CMA area ${cmaSorted[i]!.name} overlaps CMA area ${cmaSorted[i - 1]!.name}`);
  }
  for (const h of m.hugetlb) {
    if (h.nid !== null && !m.nodes.some((n) => n.nid === h.nid)) report(h.loc, `hugetlb pool: node ${h.nid} does not exist`);
  }
  // The largest machine (pfns below 2^40: MAX_PHYSMEM_BITS 52) and what the simulator can hold (src/sim/limits.ts)
  let tooHigh = false;
  for (const r of all) {
    if (r.end > MAX_PFN) {
      report(r.loc, `${r.what} ${rangeText(r.start, r.end)} ends above the largest machine: physical addresses are below 2^${MAX_PHYSMEM_BITS} (MAX_PHYSMEM_BITS), pfns below ${hex(MAX_PFN)}`);
      tooHigh = true;
    }
  }
  if (!tooHigh) {
    const size = checkMachineSize(m);
    if (size.error) report(size.loc ?? m.nodes[0]?.loc ?? { line: 1, col: 1, endLine: 1, endCol: 1 }, size.error);
  }
}
