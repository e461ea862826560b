// The hotplug-side memmap state: memory blocks (drivers/base/memory.c), memory groups, which sections
// are present/online (mem_section SECTION_IS_ONLINE) and which zone each hot-added pfn is linked to
// (set_page_links via memmap_init_range; poisoned again by remove_pfn_range_from_zone).
// Boot memory is linked by the boot zone spans. The core asks `link(pfn)` for page_zone().
import type { MachineSpec, Policies, ZoneName } from '../scenario.js';
import type { MemoryBlock, MemoryGroup, PfnView } from './types.js';
import { vmemmapPagesForAdd, PMD_PFNS, PMDS_PER_TABLE, type MemmapPmd } from './memmap.js';

interface BlockMem {
  /** sections present (added) */
  present: boolean;
  /** sections online (online_mem_sections / offline_mem_sections) */
  online: boolean;
  /** zone the buddy part [start+vmemmap, end) is linked to; null = poisoned / never initialised */
  link: ZoneName | null;
  /** zone the vmemmap part [start, start+vmemmap) is linked to (vmemmap_accounting=online) */
  vmemmapLink: ZoneName | null;
}

export class HotplugState {
  readonly blocks = new Map<number, MemoryBlock>();
  readonly groups: MemoryGroup[] = [];
  private readonly mem = new Map<number, BlockMem>();
  private readonly bootZones: { nid: number; zone: ZoneName; start: number; end: number }[] = [];
  private readonly bootHoles: { start: number; end: number }[] = [];
  /** vmemmap PMDs of hot-added memory (vmemmap.ts): PMD index → the pages holding its struct pages */
  private readonly memmap = new Map<number, MemmapPmd>();
  /** PMD table pages of the vmemmap that hot-add allocated: PUD index (512 PMDs) → the page */
  private readonly memmapTables = new Map<number, number>();
  readonly blockPages: number;

  constructor(readonly spec: MachineSpec, init = true, readonly policies?: Pick<Policies, 'memmap_on_memory_size'>) {
    this.blockPages = spec.memoryBlockPages;
    if (!init) return;
    for (const n of spec.nodes) for (const z of n.zones) this.bootZones.push({ nid: n.nid, zone: z.zone, start: z.start, end: z.end });
    for (const n of spec.nodes) for (const x of n.holes ?? []) this.bootHoles.push({ start: x.start, end: x.end });
    this.bootHoles.sort((x, y) => x.start - y.start);
    // boot memory: memory_dev_init() → add_boot_memory_block(): a block exists when at least one of its
    // sections is present (has memblock memory); a block wholly inside firmware holes has none
    for (const z of this.bootZones) {
      for (let id = Math.floor(z.start / this.blockPages); id * this.blockPages < z.end; id++) {
        if (this.blocks.has(id)) continue;
        const start = id * this.blockPages;
        if (!this.anySectionPresentAtBoot(start, start + this.blockPages)) continue;
        const zs = new Set(this.bootZones.filter((b) => b.start < start + this.blockPages && b.end > start).map((b) => b.zone));
        // early mem->zone: the one zone the block's memory is in, NULL if it spans zones
        const zone = zs.size === 1 ? [...zs][0]! : null;
        this.blocks.set(id, { id, start, pages: this.blockPages, nid: z.nid, state: 'online', zone, group: null, vmemmap: 0, hotplugged: false });
        this.mem.set(id, { present: true, online: true, link: null, vmemmapLink: null });
      }
    }
    // coldplugged / hotpluggable ranges: one static memory group per range (one DIMM, acpi_memhotplug)
    for (const n of spec.nodes) {
      for (const h of n.hotplug) {
        if (h.state === 'offline') this.addRange(h.start, h.end, n.nid);
      }
    }
  }

  /** present_section_nr() at boot: some section of [start, end) holds boot zone memory outside the holes */
  private anySectionPresentAtBoot(start: number, end: number): boolean {
    const sp = this.spec.sectionPages;
    for (let s = start; s < end; s += sp) {
      const e = s + sp;
      for (const z of this.bootZones) {
        const a = Math.max(s, z.start), b = Math.min(e, z.end);
        if (a >= b) continue;
        // the part of [a, b) not covered by holes
        let p = a;
        for (const h of this.bootHoles) {
          if (h.end <= p || h.start >= b) continue;
          if (h.start > p) return true;
          p = Math.max(p, h.end);
          if (p >= b) break;
        }
        if (p < b) return true;
      }
    }
    return false;
  }

  clone(): HotplugState {
    const c = new HotplugState(this.spec, false, this.policies);
    for (const [k, b] of this.blocks) c.blocks.set(k, { ...b });
    for (const g of this.groups) c.groups.push({ ...g });
    for (const [k, m] of this.mem) c.mem.set(k, { ...m });
    c.bootZones.push(...this.bootZones);
    c.bootHoles.push(...this.bootHoles);
    for (const [k, m] of this.memmap) c.memmap.set(k, { pfns: m.pfns.slice(), order: m.order });
    for (const [k, p] of this.memmapTables) c.memmapTables.set(k, p);
    return c;
  }

  blockOf(pfn: number): number {
    return Math.floor(pfn / this.blockPages);
  }

  /** add_memory_resource → arch_add_memory (sections present, offline) + create_memory_block_devices. */
  addRange(start: number, end: number, nid: number): MemoryGroup {
    const group: MemoryGroup = {
      id: this.groups.length, nid, dynamic: false, pages: end - start, presentKernel: 0, presentMovable: 0,
    };
    this.groups.push(group);
    const vm = vmemmapPagesForAdd(this.spec, this.policies, end - start);
    for (let s = start; s < end; s += this.blockPages) {
      const id = this.blockOf(s);
      this.blocks.set(id, { id, start: s, pages: this.blockPages, nid, state: 'offline', zone: null, group: group.id, vmemmap: vm, hotplugged: true });
      this.mem.set(id, { present: true, online: false, link: null, vmemmapLink: null });
    }
    return group;
  }

  /** try_remove_memory → remove_memory_block_devices + arch_remove_memory */
  removeRange(start: number, end: number): void {
    for (let s = start; s < end; s += this.blockPages) {
      const id = this.blockOf(s);
      const b = this.blocks.get(id);
      this.blocks.delete(id);
      this.mem.delete(id);
      if (b?.group != null) {
        const g = this.groups.find((x) => x.id === b.group);
        if (g) g.pages -= b.pages;
      }
    }
  }

  /** is the vmemmap PMD `idx` mapped: boot memory in it (sparse_init), or populated by an earlier add */
  memmapMapped(idx: number): boolean {
    if (this.memmap.has(idx)) return true;
    return this.anySectionPresentAtBoot(idx * PMD_PFNS, (idx + 1) * PMD_PFNS);
  }
  /**
   * The vmemmap PMD table under PUD `pud` (512 PMDs: the struct pages of 2^24 pfns, 64 GiB) exists: boot memory
   * has a present section there, hot-add allocated it, or one of its PMDs is mapped.
   */
  memmapTableMapped(pud: number): boolean {
    if (this.memmapTables.has(pud)) return true;
    const first = pud * PMDS_PER_TABLE;
    for (const k of this.memmap.keys()) if (k >= first && k < first + PMDS_PER_TABLE) return true;
    return this.anySectionPresentAtBoot(first * PMD_PFNS, (first + PMDS_PER_TABLE) * PMD_PFNS);
  }
  memmapTableOf(pud: number): number | null {
    return this.memmapTables.get(pud) ?? null;
  }
  setMemmapTable(pud: number, pfn: number | null): void {
    if (pfn === null) this.memmapTables.delete(pud);
    else this.memmapTables.set(pud, pfn);
  }
  /** no PMD of PUD `pud` is mapped any more (free_pmd_table's pmd_none check over the table) */
  memmapTableEmpty(pud: number): boolean {
    const first = pud * PMDS_PER_TABLE;
    for (const k of this.memmap.keys()) if (k >= first && k < first + PMDS_PER_TABLE) return false;
    return !this.anySectionPresentAtBoot(first * PMD_PFNS, (first + PMDS_PER_TABLE) * PMD_PFNS);
  }
  memmapOf(idx: number): MemmapPmd | null {
    return this.memmap.get(idx) ?? null;
  }
  setMemmap(idx: number, m: MemmapPmd | null): void {
    if (m) this.memmap.set(idx, m);
    else this.memmap.delete(idx);
  }
  /** pages the page allocator holds for hot-added memmap */
  memmapPages(): number {
    let n = 0;
    for (const m of this.memmap.values()) n += m.pfns.length << m.order;
    return n;
  }
  /** any present memory block in [start, end) */
  anyPresent(start: number, end: number): boolean {
    for (let id = this.blockOf(start); id * this.blockPages < end; id++) if (this.mem.get(id)?.present) return true;
    return false;
  }

  group(b: MemoryBlock): MemoryGroup | null {
    return b.group === null ? null : this.groups.find((g) => g.id === b.group) ?? null;
  }

  /** online_mem_sections / offline_mem_sections for a whole block */
  setOnline(id: number, online: boolean): void {
    const m = this.mem.get(id);
    if (m) m.online = online;
  }

  /** set_page_links for [start, start+nr) of one block (memmap_init_range); null poisons (page_init_poison) */
  setLink(start: number, nr: number, zone: ZoneName | null): void {
    const id = this.blockOf(start);
    const m = this.mem.get(id);
    const b = this.blocks.get(id);
    if (!m || !b) return;
    if (b.vmemmap && start === b.start && nr === b.vmemmap) m.vmemmapLink = zone;
    else if (start === b.start + b.vmemmap || start === b.start) {
      m.link = zone;
      if (start === b.start && nr === b.pages) m.vmemmapLink = zone;
    }
  }

  private bootZone(pfn: number): { nid: number; zone: ZoneName } | null {
    const z = this.bootZones.find((b) => pfn >= b.start && pfn < b.end);
    return z ? { nid: z.nid, zone: z.zone } : null;
  }

  /** page_zone()/page_to_nid() of any present pfn, null when poisoned or absent */
  link(pfn: number): { nid: number; zone: ZoneName } | null {
    const id = this.blockOf(pfn);
    const b = this.blocks.get(id);
    const m = this.mem.get(id);
    if (!b || !m || !m.present) return null;
    if (!b.hotplugged) return this.bootZone(pfn);
    const zone = pfn < b.start + b.vmemmap ? m.vmemmapLink : m.link;
    return zone ? { nid: b.nid, zone } : null;
  }

  present(pfn: number): boolean {
    return this.mem.get(this.blockOf(pfn))?.present ?? false;
  }

  isOnline(pfn: number): boolean {
    return this.mem.get(this.blockOf(pfn))?.online ?? false;
  }

  /**
   * The first pfn of [start, end) that is not System RAM in a boot block, -1 if none. walk_system_ram_range()
   * counts pages, so a hole of a few pages (e820's 0xbffe0..0xc0000 below the PCI hole) is found wherever it lies.
   */
  firstHole(start: number, end: number): number {
    let p = start;
    while (p < end) {
      const b = this.blocks.get(this.blockOf(p));
      if (!b || b.hotplugged) { p = (this.blockOf(p) + 1) * this.spec.memoryBlockPages; continue; }
      const z = this.bootZones.find((x) => p >= x.start && p < x.end);
      if (!z) return p;
      const to = Math.min(z.end, end);
      const h = this.bootHoles.find((x) => x.start < to && x.end > p);
      if (h) return Math.max(h.start, p);
      p = to;
    }
    return -1;
  }

  /** true for a pfn in a boot hole (present section, no memory): not System RAM */
  isHole(pfn: number): boolean {
    const b = this.blocks.get(this.blockOf(pfn));
    return !!b && !b.hotplugged && this.bootZone(pfn) === null;
  }

  view(): PfnView {
    return {
      valid: (pfn) => this.present(pfn),
      online: (pfn) => {
        if (!this.isOnline(pfn)) return null;
        const b = this.blocks.get(this.blockOf(pfn))!;
        const l = this.link(pfn);
        return l ? l : { nid: b.nid, zone: null };
      },
      zoneOf: (pfn) => this.link(pfn),
    };
  }
}
