// A machine snapshot (parsed proc/sysfs files) → a .mmscn scenario whose simulated state reproduces it:
// zone spans, holes, memory blocks, present/managed (reserved ranges), the free lists per zone, migratetype and
// order, and the pageblock counts per migratetype. Pure: no fs.
//
// Layout, per zone (all in pfn order, lowest first):
//  1. free blocks of order ≥ pageblock_order: MAX_PAGE_ORDER blocks on aligned runs of whole pageblocks; smaller
//     ones (order pageblock_order) on a pageblock whose buddy pageblock keeps a non-free page (holes first);
//  2. free blocks below pageblock_order packed into pageblocks of their type, largest first, each next to a buddy
//     that holds at least one non-free page (so buddy merging gives exactly these orders);
//  3. the other pageblocks get the remaining "Number of blocks type" counts, fully allocated;
//  4. non-free pages: the top `present − managed` of them are `reserved` (memblock allocates top-down), the rest
//     `pages … kernel|anon|slab reclaimable` by the pageblock's type.
import type { PagetypeInfo, ZoneinfoZone } from './parse.js';
import type { KpfSummary } from './kpageflags.js';
import { freeBlocksOf } from './buddyRuns.js';
import { totalPages as total, type Range } from '../sim/ranges.js';
import { orders, validateSnapshot, type Snapshot } from './validate.js';
import { hex, PAGE_SIZE, ZONE_NAMES, MIGRATETYPE_NAMES, migratetypeIndex } from '../shared/format.js';

/** defined with the checks over it (validate.ts), re-exported for generate()'s callers */
export type { Snapshot };

export interface ImportResult {
  text: string;
  /** what is not reproduced exactly, and why (also written as comments into the text) */
  notes: string[];
  /** the counts the scenario is built to reproduce, per zone (for tests and the summary) */
  zones: { nid: number; zone: string; spanned: number; present: number; managed: number; free: number[][]; blocks: number[] }[];
}

type R = Range;

function sizeText(bytes: number): string {
  for (const [u, m] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 1024]] as const) if (bytes % m === 0) return `${bytes / m}${u}`;
  return String(bytes);
}

interface ZoneWork {
  z: ZoneinfoZone; start: number; end: number; present: R[]; holes: R[];
  free: number[][]; blocks: number[] | null;
}

/** Throws ImportError (file, line) when the snapshot is malformed or beyond the import's limits (validate.ts). */
export function generate(snap: Snapshot): ImportResult {
  validateSnapshot(snap);
  const notes: string[] = [...(snap.readNotes ?? [])];
  const pti = snap.pagetypeinfo;
  const { maxOrder, pbo } = orders(snap);
  const pbPages = 2 ** pbo;
  const blockPages = snap.memory ? snap.memory.blockBytes / 4096 : 32768;

  // ---------------------------------------------------------------- zones, present ranges, holes
  const online: R[] | null = snap.memory
    ? merge(snap.memory.blocks.filter((b) => b.state !== 'offline').map((b): R => [b.id * blockPages, (b.id + 1) * blockPages]))
    : null;
  const iomem = snap.iomem ? merge(snap.iomem) : null;
  // per (node, zone): the buddyinfo row, pagetypeinfo's free rows and block counts (maps: no search per zone)
  const key = (nid: number, zone: string) => `${nid} ${zone}`;
  const biOf = new Map((snap.buddyinfo ?? []).map((r) => [key(r.nid, r.zone), r]));
  const ptFreeOf = new Map<string, PagetypeInfo['free']>();
  for (const r of pti?.free ?? []) { const k = key(r.nid, r.zone); if (!ptFreeOf.has(k)) ptFreeOf.set(k, []); ptFreeOf.get(k)!.push(r); }
  const ptBlocksOf = new Map((pti?.blocks ?? []).map((r) => [key(r.nid, r.zone), r]));
  if (snap.memory?.blocks.some((b) => b.state === 'going-offline')) notes.push('a memory block was going-offline while the snapshot was taken: imported as online');
  const work: ZoneWork[] = [];
  for (const z of snap.zoneinfo) {
    if (!z.spanned || z.startPfn === null) continue;
    if (!(ZONE_NAMES as readonly string[]).includes(z.zone)) { notes.push(`node ${z.nid} zone ${z.zone} (${z.spanned} pages spanned) is not modelled: left out`); continue; }
    const start = z.startPfn, end = z.startPfn + z.spanned;
    let present: R[] = [[start, end]];
    if (iomem?.length) present = intersectSorted(present, iomem);
    if (online) present = intersectSorted(present, online);
    let extra = total(present) - z.present;
    if (extra > 0) {
      // a hole the files do not locate (no /proc/iomem): x86 keeps 640K–1M for the BIOS and VGA; else below the top
      const legacy: R = [0x100 - extra, 0x100];
      const inLegacy = intersectSorted(present, [legacy]);
      const cut: R = start < legacy[0] && inLegacy.length === 1 && total(inLegacy) === extra
        ? legacy
        : [present[present.length - 1]![1] - 1 - extra, present[present.length - 1]![1] - 1];
      present = subtractSorted(present, cut);
      notes.push(`node ${z.nid} ${z.zone}: ${extra} pages spanned but not present could not be located (no /proc/iomem): hole placed at ${hex(cut[0])}..${hex(cut[1])}`);
      extra = 0;
    }
    if (extra < 0) notes.push(`node ${z.nid} ${z.zone}: present ${z.present} but the memory blocks and /proc/iomem give ${total(present)} pages: present differs`);
    const holes = gaps(start, end, present);
    // free lists
    const free: number[][] = MIGRATETYPE_NAMES.map(() => new Array<number>(maxOrder + 1).fill(0));
    const bi = biOf.get(key(z.nid, z.zone));
    if (pti && pti.free.length) {
      const rows = ptFreeOf.get(key(z.nid, z.zone)) ?? [];
      for (const r of rows) {
        const mi = migratetypeIndex(r.mt);
        if (mi < 0) { if (r.counts.some((n) => n)) notes.push(`node ${z.nid} ${z.zone}: migratetype ${r.mt} is not modelled: its free blocks are left out`); continue; }
        for (let o = 0; o <= maxOrder; o++) free[mi]![o] = r.counts[o] ?? 0;
      }
      for (const r of rows) {
        const mi = migratetypeIndex(r.mt);
        r.capped.forEach((cap, o) => {
          if (!cap || mi < 0) return;
          // the kernel stopped counting at 100000: buddyinfo has the whole count (when both were read together)
          const others = rows.filter((x) => x !== r).reduce((n, x) => n + (x.counts[o] ?? 0), 0);
          if (bi && bi.counts[o]! - others >= 100000) { free[mi]![o] = bi.counts[o]! - others; notes.push(`node ${z.nid} ${z.zone} ${r.mt} order ${o}: pagetypeinfo shows >100000 (the kernel stops counting); ${free[mi]![o]} taken from buddyinfo`); }
          else notes.push(`node ${z.nid} ${z.zone} ${r.mt} order ${o}: pagetypeinfo shows >100000 (the kernel stops counting): imported as 100000`);
        });
      }
      if (bi) {
        const diff = bi.counts.map((n, o) => n - free.reduce((s, row) => s + row[o]!, 0));
        if (diff.some((d) => d)) notes.push(`node ${z.nid} ${z.zone}: buddyinfo and pagetypeinfo differ (${diff.map((d, o) => (d ? `order ${o}: ${d > 0 ? '+' : ''}${d}` : '')).filter(Boolean).join(', ')}): they were read at different moments; the scenario follows pagetypeinfo`);
      }
    } else if (bi) {
      free[1] = bi.counts.slice();
      notes.push(`node ${z.nid} ${z.zone}: no /proc/pagetypeinfo (it needs root): every free block is imported as movable`);
    }
    const buddyPages = free.reduce((s, row) => s + row.reduce((t, n, o) => t + n * 2 ** o, 0), 0);
    if (Math.abs(z.free - buddyPages) > (z.statThresholdSum ?? 0) && !Number.isNaN(z.free)) notes.push(`node ${z.nid} ${z.zone}: zoneinfo "pages free" ${z.free} but the free lists hold ${buddyPages} pages (read at a different moment; per-cpu lists are not in either)`);
    const pb = ptBlocksOf.get(key(z.nid, z.zone));
    const blocks = pb ? MIGRATETYPE_NAMES.map((t) => pb.counts[t] ?? 0) : null;
    if (pb) for (const [t, n] of Object.entries(pb.counts)) if (n && migratetypeIndex(t) < 0) notes.push(`node ${z.nid} ${z.zone}: ${n} pageblocks of type ${t} are not modelled`);
    if (blocks && (blocks[4]! || blocks[5]!)) notes.push(`node ${z.nid} ${z.zone}: CMA and isolated pageblocks (${blocks[4]} and ${blocks[5]}) are not reproduced (they need a cma area or an isolate operation): counted as movable`);
    if (blocks) { blocks[1]! += blocks[4]! + blocks[5]!; blocks[4] = blocks[5] = 0; }
    for (const mi of [4, 5]) if (free[mi]!.some((n) => n)) { notes.push(`node ${z.nid} ${z.zone}: free blocks on the ${MIGRATETYPE_NAMES[mi]} lists are not reproduced`); free[mi]!.fill(0); }
    work.push({ z, start, end, present, holes, free, blocks });
  }

  // ---------------------------------------------------------------- per zone layout
  const pop: string[] = [];
  const kpfStats: KpfStats[] = [];
  const nodeLines = new Map<number, string[]>();
  const addNode = (nid: number, l: string) => { if (!nodeLines.has(nid)) nodeLines.set(nid, []); nodeLines.get(nid)!.push(l); };
  const zonesOut: ImportResult['zones'] = [];
  const kernelFree = snap.kpf ? kernelFreeBlockAt(snap.kpf) : null;
  let pcpPlaced = 0, pcpWanted = 0, reservedFlagged = 0;
  for (const w of work) {
    const { z } = w;
    addNode(z.nid, `zone ${z.zone} ${hex(w.start)}..${hex(w.end)}`);
    for (const h of w.holes) addNode(z.nid, `hole ${hex(h[0])}..${hex(h[1])}`);
    const presentN = total(w.present);
    // pageblocks the kernel does not count (memmap not initialised): taken out of the layout, written `uninitialised`
    const uninit = uninitialisedBlocks(w, pbPages, presentN - z.managed, snap.kpf?.zeroBlocks ?? null, notes);
    const zw = uninit.length ? { ...w, present: subtractAll(w.present, uninit) } : w;
    const layNotes: string[] = [];
    let lay = layoutZone(zw, pbo, pbPages, maxOrder, layNotes, kernelFree, true);
    // the free blocks at the kernel's pfns must leave "Number of blocks type" exact and room for every free block of
    // the free lists (the pageblocks they take can leave no aligned pair for a MAX_PAGE_ORDER block); if not (flags
    // read long after the free lists), the layout by type alone, as without them, when that one is exact
    const countsOff = (l: Layout) => !!w.blocks && l.blockCounts.some((n, t) => n !== w.blocks![t]);
    if (kernelFree && (countsOff(lay) || lay.unplaced > 0)) {
      const altNotes: string[] = [];
      const alt = layoutZone(zw, pbo, pbPages, maxOrder, altNotes, kernelFree, false);
      if (countsOff(lay) || (!countsOff(alt) && alt.unplaced === 0)) {
        const why = countsOff(lay) ? 'the pageblock counts inexact' : `no room for ${lay.unplaced} free blocks of the free lists`;
        lay = alt;
        layNotes.length = 0;
        layNotes.push(...altNotes, `node ${z.nid} ${z.zone}: the free blocks at the kernel's pfns (/proc/kpageflags) left ${why} (the flags were read later than the free lists): placed by type instead`);
      }
    }
    notes.push(...layNotes);
    for (const r of uninit) addNode(z.nid, `reserved ${hex(r[0])}..${hex(r[1])} uninitialised`);
    let R = presentN - z.managed - total(uninit);
    if (R < 0) { notes.push(`node ${z.nid} ${z.zone}: managed ${z.managed} above present ${presentN}`); R = 0; }
    // non-free pages, top-down: the first R are reserved
    let nonFree = lay.nonFree;
    const avail = total(nonFree);
    if (avail < R) { notes.push(`node ${z.nid} ${z.zone}: only ${avail} pages are not free, ${R} should be reserved (present − managed): managed differs`); R = avail; }
    const reserved: R[] = [];
    let left = R;
    // first the pages /proc/kpageflags says are PageReserved (KPF_RESERVED), highest first; then, top-down, the
    // highest other non-free pages (memblock allocates top-down)
    if (snap.kpf && left > 0) {
      const flagged = intersectSorted(nonFree, merge(snap.kpf.runs.filter((r) => r.kind === 'reserved').map((r): R => [r.start, r.end])));
      const take: R[] = [];
      for (let i = flagged.length - 1; i >= 0 && left > 0; i--) {
        const [s, e] = flagged[i]!;
        const n = Math.min(left, e - s);
        take.push([e - n, e]);
        left -= n;
      }
      take.reverse();
      reservedFlagged += R - left;
      for (const t of take) reserved.push(t);
      nonFree = subtractRanges(nonFree, take);
    }
    for (let i = nonFree.length - 1; i >= 0 && left > 0; i--) {
      const [s, e] = nonFree[i]!;
      const take = Math.min(left, e - s);
      reserved.push([e - take, e]);
      nonFree[i] = [s, e - take];
      left -= take;
    }
    for (const r of merge(reserved)) addNode(z.nid, `reserved ${hex(r[0])}..${hex(r[1])}`);
    // PCP pages (zoneinfo's per-cpu `count:`): order-0 free pages on a cpu's list, not in the buddy; taken from the
    // non-free pages whose /proc/kpageflags words are all zero (a page on a pcp list has no flags: not KPF_BUDDY),
    // then from the other non-free pages, longest runs first
    const pcp = (z.pcpCounts ?? []).slice(0, Math.max(1, snap.cpus));
    if (pcp.some((n) => n > 0)) {
      const live = nonFree.filter(([a, b]) => b > a);
      const zeroRuns = snap.kpf ? intersectSorted(live, merge(snap.kpf.runs.filter((r) => r.kind === 'none').map((r): R => [r.start, r.end]))) : [];
      // longest runs first: a cpu's pages in few lines (which pages it holds is not known either way)
      const byLength = (rs: R[]) => rs.slice().sort((x, y) => y[1] - y[0] - (x[1] - x[0]) || x[0] - y[0]);
      const pool = byLength(zeroRuns).concat(byLength(subtractRanges(live, zeroRuns)));
      let pi = 0, off = 0;
      const taken: R[] = [];
      for (let cpu = 0; cpu < pcp.length; cpu++) {
        let n = pcp[cpu]!;
        pcpWanted += n;
        while (n > 0 && pi < pool.length) {
          const [s, e] = pool[pi]!;
          const a = s + off, b = Math.min(e, a + n);
          pop.push(`pages ${hex(a)}..${hex(b)} pcp cpu ${cpu}`);
          taken.push([a, b]);
          pcpPlaced += b - a; n -= b - a;
          if (b === e) { pi++; off = 0; } else off = b - s;
        }
      }
      nonFree = subtractRanges(nonFree, merge(taken));
    }
    // the pagesets' pcp->high and pcp->batch as zoneinfo shows them (the simulator would compute its own: the kernel's
    // high also follows its auto-tuning and decay); one line when every cpu has the same
    if (presentN > 0) pop.push(...pagesetLines(z, Math.max(1, snap.cpus))); // an unpopulated zone has the boot pageset
    // population: the other non-free pages, by their pageblock's type
    const kindOf = (t: number) => (t === 1 ? 'anon' : t === 2 ? 'slab reclaimable' : 'kernel');
    pop.push(`# node ${z.nid} ${z.zone}: ${lay.freeBlocks} free blocks, ${lay.typed.length} pageblocks retyped`);
    const guess = (p: number, e: number) => {
      const t = lay.type.get(Math.floor(p / pbPages)) ?? 1;
      let q = Math.min(e, (Math.floor(p / pbPages) + 1) * pbPages);
      while (q < e && (lay.type.get(Math.floor(q / pbPages)) ?? 1) === t) q = Math.min(e, q + pbPages);
      return { q, kind: kindOf(t) };
    };
    if (snap.kpf) kpfStats.push(populateFromFlags(snap.kpf, nonFree, guess, pop));
    else for (const [s, e] of nonFree) {
      let p = s;
      while (p < e) {
        const t = lay.type.get(Math.floor(p / pbPages)) ?? 1;
        let q = Math.min(e, (Math.floor(p / pbPages) + 1) * pbPages);
        while (q < e && (lay.type.get(Math.floor(q / pbPages)) ?? 1) === t) q = Math.min(e, q + pbPages);
        pop.push(`pages ${hex(p)}..${hex(q)} ${kindOf(t)}`);
        p = q;
      }
    }
    for (const [pfn, t] of lay.typed) pop.push(`pageblock ${hex(pfn)} ${MIGRATETYPE_NAMES[t]}`);
    zonesOut.push({ nid: z.nid, zone: z.zone, spanned: z.spanned, present: presentN, managed: presentN - R - total(uninit), free: w.free, blocks: lay.blockCounts });
  }

  if (pcpPlaced < pcpWanted) notes.push(`PCP pages (zoneinfo per-cpu \`count:\`): only ${pcpPlaced} of ${pcpWanted} placed as \`pages … pcp cpu N\` (not enough non-free pages)`);
  if (snap.kpf) notes.push(`reserved pages: ${reservedFlagged} where /proc/kpageflags says PageReserved, the rest of present − managed top-down`);
  if (snap.kpf) {
    const st = kpfStats.reduce((a, b) => ({ flagged: a.flagged + b.flagged, kernelFree: a.kernelFree + b.kernelFree, guessed: a.guessed + b.guessed, folios: a.folios + b.folios }), { flagged: 0, kernelFree: 0, guessed: 0, folios: 0 });
    notes.push(`page kinds from /proc/kpageflags: ${st.flagged} pages by their flags (${st.folios} THP folios whole), ${st.kernelFree} free in the kernel but not in the scenario's free lists (read at another moment, or placed differently: imported as kernel), ${st.guessed} beyond what was read, by pageblock type`);
  }

  // ---------------------------------------------------------------- memory blocks that are offline
  const spans = merge(work.map((w): R => [w.start, w.end]));
  if (snap.memory) {
    for (const b of snap.memory.blocks) {
      if (b.state !== 'offline') continue;
      const r: R = [b.id * blockPages, (b.id + 1) * blockPages];
      if (intersectSorted([r], spans).length) { notes.push(`memory${b.id} is offline inside a zone span: the language cannot place an offline block there, imported as a hole`); continue; }
      const nid = b.nid ?? 0;
      const l = nodeLines.get(nid);
      const last = l?.[l.length - 1];
      // `imported`: the block's memmap was allocated before the capture and is among its non-free pages
      const m = last && /^hotplug (0x[0-9a-f]+)\.\.(0x[0-9a-f]+) offline imported$/.exec(last);
      if (m && Number(m[2]) === r[0]) l![l!.length - 1] = `hotplug ${m[1]}..${hex(r[1])} offline imported`;
      else addNode(nid, `hotplug ${hex(r[0])}..${hex(r[1])} offline imported`);
    }
  }

  // ---------------------------------------------------------------- the text
  const head = [
    `# Imported by \`mmscn import\` from ${snap.source} on ${snap.date}${snap.kernelRelease ? ` (Linux ${snap.kernelRelease})` : ''}.`,
    '# The simulated state reproduces the free lists per zone, migratetype and order (/proc/pagetypeinfo, /proc/buddyinfo),',
    '# the pageblock counts ("Number of blocks type"), and spanned/present/managed (/proc/zoneinfo). Not exactly reproduced:',
    ...(notes.length ? notes.map((n) => `#  - ${n}`) : ['#  - nothing: every count above matches.']),
    '# Where pages are: holes from /proc/iomem and the memory blocks; `reserved` = present − managed, the highest non-free',
    '# pages of each zone (memblock allocates top-down); non-free pages are anon in movable pageblocks, kernel in unmovable',
    '# ones, reclaimable slab in reclaimable ones. Which page is which is not in these files (only /proc/kpageflags has it).',
    '# PCP pages: zoneinfo\'s per-cpu `count:` as `pages … pcp cpu N` (order 0), on non-free pages with no flags in',
    '# /proc/kpageflags when read, else on other non-free ones, longest runs first: which pages a cpu holds is in no file.',
    '# Pagesets: zoneinfo\'s per-cpu `high:` and `batch:` as `pageset ZONE … high H batch B` (the kernel\'s high follows',
    '# its auto-tuning; the simulator would compute its own).',
    'kernel latest',
    // the captured kernel reclaims with MGLRU, which the simulator does not model: its reclaim results say so
    ...(snap.lruGen ? ['policy lru_gen = on   # /sys/kernel/mm/lru_gen/enabled: MGLRU (reclaim order not modelled)'] : []),
    '',
    'machine {',
    `  cpus ${Math.max(1, snap.cpus)}`,
    `  pageblock_order ${pbo}`,
    `  max_page_order ${maxOrder}`,
    // the captured kernel has no MIGRATE_CMA (its pagetypeinfo has no CMA column): CONFIG_CMA is off
    ...(pti && pti.types.length && !pti.types.includes('cma') ? ['  config_cma off'] : []),
    ...(blockPages * PAGE_SIZE % (128 * 2 ** 20) ? [`  section_size ${sizeText(blockPages * PAGE_SIZE)}`] : []),
    `  memory_block_size ${sizeText(blockPages * PAGE_SIZE)}`,
  ];
  for (const nid of [...nodeLines.keys()].sort((a, b) => a - b)) {
    head.push(`  node ${nid} {`);
    for (const l of nodeLines.get(nid)!) head.push(`    ${l}`);
    head.push('  }');
  }
  // concat, not push(...pop): a spread passes every line as an argument and overflows the stack on big imports
  const text = head.concat('}', '', repeatRuns(pop, pbPages), '').join('\n');
  return { text, notes, zones: zonesOut };
}

/**
 * The compact repeat form: consecutive `pages A..B KIND` (or `folio P order N KIND`, or `pageblock P TYPE`) lines of
 * one length and kind at one stride become `… every STRIDE count N` (the language expands them to the same steps, in
 * the same order), so a fragmented machine's regular patterns take one line each. `pbPages`: a pageblock's pages
 * (the stride of `pageblock` lines must be a multiple of it).
 */
export function repeatRuns(lines: string[], pbPages = 0): string[] {
  const RE = /^(pages) 0x([0-9a-f]+)\.\.0x([0-9a-f]+) (.+)$|^(folio) 0x([0-9a-f]+) (order \d+ .+)$|^(pageblock) 0x([0-9a-f]+) ([a-z]+)$/;
  const parse = (l: string) => {
    const m = RE.exec(l);
    if (!m || / every /.test(l)) return null;
    if (m[1]) { const a = parseInt(m[2]!, 16); return { a, len: parseInt(m[3]!, 16) - a, rest: m[4]!, folio: 'pages' }; }
    if (m[8]) return pbPages > 0 ? { a: parseInt(m[9]!, 16), len: pbPages, rest: m[10]!, folio: 'pageblock' } : null;
    const order = Number(/^order (\d+)/.exec(m[7]!)![1]);
    return { a: parseInt(m[6]!, 16), len: 2 ** order, rest: m[7]!, folio: 'folio' };
  };
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    const x = parse(lines[i]!);
    if (!x) { out.push(lines[i]!); i++; continue; }
    let n = 1, stride = 0;
    for (let j = i + 1; j < lines.length; j++) {
      const y = parse(lines[j]!);
      if (!y || y.folio !== x.folio || y.len !== x.len || y.rest !== x.rest) break;
      if (n === 1) { if (y.a - x.a < x.len || (y.folio === 'pageblock' && (y.a - x.a) % x.len)) break; stride = y.a - x.a; }
      else if (y.a - x.a !== n * stride) break;
      n++;
    }
    if (n >= 3) {
      out.push(`${lines[i]} every ${hex(stride)} count ${n}`);
      i += n;
    } else { out.push(lines[i]!); i++; }
  }
  return out;
}

/**
 * `pageset ZONE node N [cpu C] high H batch B` from zoneinfo's per-cpu `high:` and `batch:` (zoneinfo_show_print(),
 * mm/vmstat.c), for the first `cpus` cpus; none for a zone without pagesets (unpopulated) or managed pages.
 */
export function pagesetLines(z: { nid: number; zone: string; managed: number; pcpHigh?: number[]; pcpBatch?: number[] }, cpus: number): string[] {
  const hi = (z.pcpHigh ?? []).slice(0, cpus), ba = (z.pcpBatch ?? []).slice(0, cpus);
  if (!hi.length || z.managed <= 0) return [];
  const at = `pageset ${z.zone} node ${z.nid}`;
  const tail = (cpu: number) => `high ${hi[cpu]}${ba[cpu] !== undefined && ba[cpu]! >= 1 ? ` batch ${ba[cpu]}` : ''}`;
  if (hi.length === cpus && hi.every((h, i) => h === hi[0] && ba[i] === ba[0])) return [`${at} ${tail(0)}`];
  return hi.map((_, cpu) => `${at} cpu ${cpu} ${tail(cpu)}`);
}

interface KpfStats { flagged: number; kernelFree: number; guessed: number; folios: number }
/** the scenario's word for what the flags say (stable_page_flags, fs/proc/page.c) */
const FLAG_KIND: Record<string, string> = {
  anon: 'anon', file: 'file', slab: 'slab', pagetable: 'pagetable', offline: 'offline',
  // PageReserved beyond present − managed (the kernel reserved them after boot), hugetlb pages (no pool in the
  // scenario), pages with no flags at all (most kernel allocations), with flags the language has no word for
  reserved: 'kernel', hugetlb: 'kernel', none: 'kernel', kernel: 'kernel', nopage: 'kernel', free: 'kernel',
};

/**
 * `pages` and `folio` lines for the non-free ranges of a zone from /proc/kpageflags: each run of one kind becomes
 * a line (`kernel` for what the language has no kind for); a THP folio wholly non-free here becomes `folio … order`.
 * Pages the flags do not cover (not read) get `guess`, the pageblock-type kind.
 */
function populateFromFlags(k: KpfSummary, nonFree: R[], guess: (p: number, e: number) => { q: number; kind: string }, pop: string[]): KpfStats {
  const st: KpfStats = { flagged: 0, kernelFree: 0, guessed: 0, folios: 0 };
  const runs = k.runs, thp = k.thp;
  const firstAbove = <T>(a: T[], p: number, end: (x: T) => number) => { let lo = 0, hi = a.length; while (lo < hi) { const m = (lo + hi) >> 1; if (end(a[m]!) <= p) lo = m + 1; else hi = m; } return lo; };
  let last: { start: number; end: number; kind: string } | null = null;
  const emit = (start: number, end: number, kind: string) => {
    if (last && last.end === start && last.kind === kind) { last.end = end; return; }
    flush();
    last = { start, end, kind };
  };
  const flush = () => { if (last) pop.push(`pages ${hex(last.start)}..${hex(last.end)} ${last.kind}`); last = null; };
  for (const [s, e] of nonFree) {
    let ri = firstAbove(runs, s, (r) => r.end);
    let ti = firstAbove(thp, s, (f) => f.pfn + 2 ** f.order);
    let p = s;
    while (p < e) {
      // a whole THP folio starting here and inside this non-free range
      while (ti < thp.length && thp[ti]!.pfn < p) ti++;
      const f = thp[ti];
      if (f && f.pfn === p && p + 2 ** f.order <= e) {
        flush();
        pop.push(`folio ${hex(p)} order ${f.order} ${f.kind === 'anon' ? 'thp' : 'file'}`);
        st.folios++; st.flagged += 2 ** f.order;
        p += 2 ** f.order;
        continue;
      }
      while (ri < runs.length && runs[ri]!.end <= p) ri++;
      const r = runs[ri];
      if (!r || r.start > p) {
        const g = guess(p, Math.min(e, r ? r.start : e));
        emit(p, g.q, g.kind); st.guessed += g.q - p; p = g.q;
        continue;
      }
      let q = Math.min(e, r.end);
      if (f && f.pfn < q) q = f.pfn; // stop at the next folio
      emit(p, q, FLAG_KIND[r.kind] ?? 'kernel');
      if (r.kind === 'free') st.kernelFree += q - p; else st.flagged += q - p;
      p = q;
    }
    flush();
  }
  return st;
}

/**
 * The pageblocks of a zone that the kernel's "Number of blocks type" does not count although they are present:
 * pagetypeinfo_showblockitemcount() (mm/vmstat.c) skips a pageblock whose first page has no zone yet, i.e. whose
 * memmap is not initialised (deferred struct page init, `deferred_init_memmap()`, which works upwards: the highest
 * pageblocks are the last initialised). Their number is what the simulator would count minus the kernel's count;
 * which ones: `hint` (pageblock start pfns whose /proc/kpageflags words are all zero) when given, else the highest.
 * At most `notManaged` pages (they are present but not managed). Needs a pageblock-aligned zone start.
 */
function uninitialisedBlocks(w: ZoneWork, pbPages: number, notManaged: number, hint: Set<number> | null, notes: string[]): R[] {
  if (!w.blocks || w.start % pbPages) return [];
  const kernel = w.blocks.reduce((a, b) => a + b, 0);
  const full: number[] = [];
  let counted = 0;
  for (let p = w.start; p < w.end; p += pbPages) {
    const i = intersectSorted(w.present, [[p, Math.min(p + pbPages, w.end)]]);
    if (!i.length || i[0]![0] !== p) continue;
    counted++;
    if (total(i) === pbPages) full.push(p);
  }
  let k = Math.min(counted - kernel, Math.floor(Math.max(0, notManaged) / pbPages));
  if (k <= 0) return [];
  const pick = (hint ? full.filter((p) => hint.has(p)) : full).reverse().slice(0, k).sort((a, b) => a - b);
  if (pick.length < k) k = pick.length;
  notes.push(`node ${w.z.nid} ${w.z.zone}: ${k} pageblocks are present but not counted by the kernel (memmap not initialised: deferred struct page init); ${hint ? 'located by /proc/kpageflags (all-zero words)' : 'placed at the top of the zone (deferred init works upwards; /proc/kpageflags would locate them)'}: \`reserved … uninitialised\``);
  return merge(pick.map((p): R => [p, p + pbPages]));
}

/** sorted disjoint ranges without every range of `cut` (sorted, disjoint) */
function subtractAll(rs: R[], cut: R[]): R[] {
  let out = rs;
  for (const c of cut) out = subtractSorted(out, c);
  return out;
}

interface Layout {
  nonFree: R[];
  /** pageblock index → migratetype index (absent = movable, the boot type) */
  type: Map<number, number>;
  /** pageblocks whose type is not movable: [first present pfn, type] */
  typed: [number, number][];
  freeBlocks: number;
  blockCounts: number[];
  /** free blocks of the free lists that found no room (noted): buddyinfo/pagetypeinfo then inexact */
  unplaced: number;
}

/**
 * Where the kernel has a free block of at least `pages` pages at `start`, from /proc/kpageflags: every page of the
 * aligned range has KPF_BUDDY (stable_page_flags() in fs/proc/page.c sets it on a free block's first page, PageBuddy,
 * and on its other pages too, is_free_buddy_page()); a whole free aligned range is one free block of at least that
 * order, as the buddy allocator merges free buddies. A hint for the layout (the flags do not give the order), never
 * a count.
 */
interface KernelFree { (start: number, pages: number): boolean; pagesIn(start: number, end: number): number; free: R[] }
function kernelFreeBlockAt(k: KpfSummary): KernelFree {
  const runs = k.runs;
  const first = (p: number) => { let lo = 0, hi = runs.length; while (lo < hi) { const m = (lo + hi) >> 1; if (runs[m]!.end <= p) lo = m + 1; else hi = m; } return lo; };
  const f = ((start: number, pages: number) => {
    const r = runs[first(start)];
    return !!r && r.kind === 'free' && r.start <= start && r.end >= start + pages;
  }) as KernelFree;
  f.free = runs.filter((r) => r.kind === 'free').map((r): R => [r.start, r.end]);
  /** pages with KPF_BUDDY in [start, end) */
  f.pagesIn = (start, end) => {
    let n = 0;
    for (let i = first(start); i < runs.length && runs[i]!.start < end; i++) if (runs[i]!.kind === 'free') n += Math.min(end, runs[i]!.end) - Math.max(start, runs[i]!.start);
    return n;
  };
  return f;
}

function layoutZone(w: ZoneWork, pbo: number, pbPages: number, maxOrder: number, notes: string[], kernelFree: KernelFree | null = null, exact = true): Layout {
  const { z } = w;
  const where = `node ${z.nid} ${z.zone}`;
  const pb0 = Math.floor(w.start / pbPages), pb1 = Math.ceil(w.end / pbPages);
  const isPresent = (p: number): boolean => {
    // binary search in the sorted present ranges
    let lo = 0, hi = w.present.length - 1;
    while (lo <= hi) { const m = (lo + hi) >> 1; const [s, e] = w.present[m]!; if (p < s) hi = m - 1; else if (p >= e) lo = m + 1; else return true; }
    return false;
  };
  // present pages below a pfn: prefix sums over the sorted present ranges and a binary search (a capture may have
  // many ranges: intersecting per pageblock would be quadratic)
  const P = w.present, cum = [0];
  for (const [s, e] of P) cum.push(cum[cum.length - 1]! + e - s);
  /** index of the first present range ending above p */
  const rangeAfter = (p: number) => { let lo = 0, hi = P.length; while (lo < hi) { const m = (lo + hi) >> 1; if (P[m]![1] <= p) lo = m + 1; else hi = m; } return lo; };
  const below = (p: number) => { const i = rangeAfter(p); return i < P.length ? cum[i]! + Math.max(0, p - P[i]![0]) : cum[P.length]!; };
  const presentIn = (s: number, e: number) => below(e) - below(s);
  /** the first present pfn in [s, e), or null */
  const firstPresent = (s: number, e: number) => { const i = rangeAfter(s); const p = i < P.length ? Math.max(s, P[i]![0]) : e; return p < e ? p : null; };
  const full = (pb: number) => presentIn(pb * pbPages, (pb + 1) * pbPages) === pbPages;
  // the simulator (and the kernel) counts a pageblock when pfn zone_start + k × pageblock is in the zone
  const counted = (pb: number) => { const p = w.start + (pb - pb0) * pbPages; return p < w.end && isPresent(p); };
  const role = new Map<number, 'free' | 'anchor' | 'host' | 'exact'>();
  const type = new Map<number, number>();
  const freeList: [number, number][] = []; // [pfn, order]
  const free = w.free.map((r) => r.slice());
  const used = [0, 0, 0, 0, 0, 0];
  const assign = (pb: number, t: number) => { type.set(pb, t); used[t]!++; };

  // 0. with /proc/kpageflags: the kernel's free blocks at their pfns (buddyRuns.ts), as many per order as the free
  // lists hold; the rest is placed below as without the flags
  if (kernelFree && exact) placeExact(kernelFree, w, { pbo, pbPages, maxOrder, pb0, pb1, counted, role, type, assign, used, freeList, free, notes });

  // 1. orders ≥ pageblock_order
  for (let k = maxOrder; k >= pbo; k--) {
    const n = 2 ** (k - pbo);
    const groupOk = (g: number) => {
      for (let i = 0; i < n; i++) { const pb = g + i; if (pb < pb0 || pb >= pb1 || role.has(pb) || !full(pb) || !counted(pb)) return false; }
      return true;
    };
    // where the kernel has a free block of this order first (/proc/kpageflags), then anywhere that fits
    for (const whereKernel of kernelFree ? [true, false] : [false])
    for (const preferBuddyNotFull of k === maxOrder ? [false] : [true, false]) {
      for (let t = 0; t < 4; t++) {
        for (let g = Math.ceil(pb0 / n) * n; g + n <= pb1 && free[t]![k]! > 0; g += n) {
          if (!groupOk(g)) continue;
          if (whereKernel && !kernelFree!(g * pbPages, n * pbPages)) continue;
          if (k < maxOrder) {
            const b = g ^ n;
            let buddyFree = false, buddyFull = true;
            for (let i = 0; i < n; i++) { if (role.get(b + i) === 'free') buddyFree = true; if (b + i < pb0 || b + i >= pb1 || !full(b + i)) buddyFull = false; }
            if (buddyFree || (preferBuddyNotFull && buddyFull)) continue;
            for (let i = 0; i < n; i++) if (!role.has(b + i)) role.set(b + i, 'anchor');
          }
          for (let i = 0; i < n; i++) { role.set(g + i, 'free'); assign(g + i, t); }
          freeList.push([g * pbPages, k]);
          free[t]![k]!--;
        }
      }
    }
  }
  let unplaced = 0;
  for (let t = 0; t < 4; t++) for (let k = pbo; k <= maxOrder; k++) if (free[t]![k]! > 0) { unplaced += free[t]![k]!; notes.push(`${where}: ${free[t]![k]} ${MIGRATETYPE_NAMES[t]} free blocks of order ${k} found no room`); }

  // 2. orders below pageblock_order, packed into pageblocks of their type (holes first: they are anchors)
  // fillRec(a, k): place free blocks in [a, a + 2^k) so that the region keeps at least one non-free page
  // (a hole, another zone's page or an allocated one): then the free block next to it cannot merge
  let pbFull = false;
  const pres = (s: number, e: number) => (pbFull ? e - s : presentIn(s, e));
  const fillRec = (a: number, k: number, c: number[]): void => {
    const n = 2 ** k;
    if (!pres(a, a + n)) return;
    let any = false;
    for (let o = 0; o < k; o++) if (c[o]! > 0) { any = true; break; }
    if (!any || k === 0) return; // stays non-free
    const h = n / 2;
    if (c[k - 1]! > 0 && pres(a, a + h) === h) { freeList.push([a, k - 1]); c[k - 1]!--; fillRec(a + h, k - 1, c); return; }
    if (c[k - 1]! > 0 && pres(a + h, a + n) === h) { freeList.push([a + h, k - 1]); c[k - 1]!--; fillRec(a, k - 1, c); return; }
    fillRec(a, k - 1, c);
    fillRec(a + h, k - 1, c);
  };
  const candidates: number[] = [];
  for (let pb = pb0; pb < pb1; pb++) if (role.get(pb) !== 'free' && role.get(pb) !== 'exact' && presentIn(pb * pbPages, (pb + 1) * pbPages)) candidates.push(pb);
  // pageblocks with holes first (holes are anchors); then, with /proc/kpageflags, those where the kernel has the most
  // free pages (the small free blocks go to the pageblocks that hold them in the kernel, if not to their pfns)
  const kfree = new Map<number, number>();
  if (kernelFree) for (const pb of candidates) kfree.set(pb, kernelFree.pagesIn(pb * pbPages, (pb + 1) * pbPages));
  candidates.sort((a, b) => Number(full(a)) - Number(full(b)) || (kfree.get(b) ?? 0) - (kfree.get(a) ?? 0) || a - b);
  let ci = 0;
  for (let t = 0; t < 4; t++) {
    const c = free[t]!;
    const left = () => c.slice(0, pbo).some((n) => n > 0);
    while (left() && ci < candidates.length) {
      const pb = candidates[ci++]!;
      role.set(pb, 'host');
      if (counted(pb)) assign(pb, t); else type.set(pb, t);
      pbFull = full(pb);
      fillRec(pb * pbPages, pbo, c);
    }
    if (left()) {
      unplaced += c.slice(0, pbo).reduce((s, n) => s + n, 0);
      notes.push(`${where}: ${c.slice(0, pbo).reduce((s, n) => s + n, 0)} ${MIGRATETYPE_NAMES[t]} free blocks below pageblock order found no room`);
    }
  }
  // 3. the remaining pageblocks: fully allocated, with the remaining block counts
  const target = w.blocks;
  const order = [0, 2, 3, 1];
  let extra = 0;
  for (; ci < candidates.length; ci++) {
    const pb = candidates[ci]!;
    if (role.has(pb) && role.get(pb) !== 'anchor') continue;
    if (!counted(pb)) continue;
    const t = target ? order.find((x) => used[x]! < target[x]!) : 1;
    if (t === undefined) { extra++; used[1]!++; continue; }
    assign(pb, t);
  }
  // pageblocks that hold only partially present pages and were never a candidate are movable (boot)
  if (target) {
    if (extra) notes.push(`${where}: ${extra} pageblocks the kernel did not count (e.g. memmap not initialised yet: deferred struct page init) are counted by the simulator as movable`);
    for (let t = 0; t < 4; t++) if (used[t]! > target[t]! && t !== 1) notes.push(`${where}: the free blocks need ${used[t]} ${MIGRATETYPE_NAMES[t]} pageblocks, the machine has ${target[t]}`);
    const short = target.map((n, t) => n - used[t]!).filter((d) => d > 0);
    if (short.length && !extra) {
      // what differs: the total when it is smaller, and each type whose count is not the kernel's
      const sim = used.reduce((a, b) => a + b, 0), kern = target.reduce((a, b) => a + b, 0);
      const types = target.map((n, t) => (used[t] !== n ? `${MIGRATETYPE_NAMES[t]} ${used[t]} (kernel ${n})` : '')).filter((x) => x);
      notes.push(`${where}: ${sim < kern ? `the simulator counts fewer pageblocks than the kernel (${sim} < ${kern}); ` : ''}the simulator's pageblocks per type differ: ${types.join(', ')}`);
    }
  }
  // non-free = present − free blocks, as merged ranges
  const freeR: R[] = freeList.map(([p, o]): R => [p, p + 2 ** o]).sort((a, b) => a[0] - b[0]);
  const nonFree: R[] = [];
  {
    let fi = 0;
    for (const [s, e] of w.present) {
      let p = s;
      while (fi < freeR.length && freeR[fi]![1] <= p) fi++;
      let j = fi;
      while (p < e) {
        if (j < freeR.length && freeR[j]![0] < e) {
          const [fs, fe] = freeR[j]!;
          if (fs > p) nonFree.push([p, fs]);
          p = Math.max(p, fe);
          j++;
        } else { nonFree.push([p, e]); p = e; }
      }
    }
  }
  const merged: R[] = [];
  for (const r of nonFree) { const l = merged[merged.length - 1]; if (l && l[1] === r[0]) l[1] = r[1]; else merged.push([r[0], r[1]]); }
  const typed: [number, number][] = [];
  for (const [pb, t] of [...type.entries()].sort((a, b) => a[0] - b[0])) {
    if (t === 1) continue;
    const s = Math.max(pb * pbPages, w.start);
    const first = firstPresent(s, (pb + 1) * pbPages);
    if (first !== null) typed.push([first, t]);
  }
  const blockCounts = [0, 0, 0, 0, 0, 0];
  for (let pb = pb0; pb < pb1; pb++) if (counted(pb)) blockCounts[type.get(pb) ?? 1]!++;
  return { nonFree: merged, type, typed, freeBlocks: freeList.length, blockCounts, unplaced };
}

interface ExactCtx {
  pbo: number; pbPages: number; maxOrder: number; pb0: number; pb1: number;
  counted(pb: number): boolean;
  role: Map<number, 'free' | 'anchor' | 'host' | 'exact'>;
  type: Map<number, number>;
  assign(pb: number, t: number): void;
  used: number[];
  freeList: [number, number][];
  /** free blocks still to place, [migratetype][order]: decremented here */
  free: number[][];
  notes: string[];
}

/**
 * The kernel's free blocks at their pfns: the KPF_BUDDY runs of the zone decomposed as the buddy allocator holds
 * them (freeBlocksOf, buddyRuns.ts). Per order, no more blocks than the free lists (pagetypeinfo) hold: the flags
 * are read after the free lists, on a running machine some blocks changed in between. Migratetype: the flags have
 * none, but every free block is on its pageblock's list (move_freepages_block() on every pageblock type change,
 * 6.10+), so the blocks of one pageblock (or one block of pageblock order and above) take one type: first, for each
 * of pagetypeinfo's unmovable, reclaimable and highatomic rows, a set of units that is exactly that row (within
 * "Number of blocks type"); then the rest on the movable lists. Blocks that fit no row stay non-free here and their
 * counts are placed by the layout as without the flags.
 */
function placeExact(kf: KernelFree, w: ZoneWork, x: ExactCtx): void {
  const { pbo, pbPages, maxOrder, free } = x;
  const blocks = freeBlocksOf(kf.free, w.present, maxOrder).filter(([p, k]) => Math.floor(p / pbPages) >= x.pb0 && Math.ceil((p + 2 ** k) / pbPages) <= x.pb1);
  if (!blocks.length) return;
  const quota = new Array<number>(maxOrder + 1).fill(0);
  for (let k = 0; k <= maxOrder; k++) quota[k] = free.reduce((n, row) => n + (row[k] ?? 0), 0);
  // units: one block of order ≥ pageblock_order, or the smaller blocks of one pageblock
  const units: { pbs: number[]; blocks: [number, number][] }[] = [];
  for (const b of blocks) {
    const [p, k] = b;
    const pb = Math.floor(p / pbPages);
    if (k >= pbo) units.push({ pbs: Array.from({ length: 2 ** (k - pbo) }, (_, i) => pb + i), blocks: [b] });
    else {
      const last = units[units.length - 1];
      if (last && last.pbs.length === 1 && last.pbs[0] === pb && last.blocks[0]![1] < pbo) last.blocks.push(b);
      else units.push({ pbs: [pb], blocks: [b] });
    }
  }
  const target = w.blocks;
  let placed = 0;
  const take = (u: typeof units[number], t: number) => {
    for (const b of u.blocks) {
      const k = b[1];
      if (!(free[t]![k]! > 0 && quota[k]! > 0)) continue;
      free[t]![k]!--; quota[k]!--;
      x.freeList.push([b[0], k]);
      placed++;
    }
    const whole = u.blocks[0]![1] >= pbo;
    for (const pb of u.pbs) {
      x.role.set(pb, whole ? 'free' : 'exact');
      if (x.counted(pb)) x.assign(pb, t); else x.type.set(pb, t);
    }
  };
  // the rare types first (unmovable, reclaimable, highatomic): a set of units whose blocks are exactly that row
  const taken = new Set<number>();
  for (const t of [0, 2, 3]) {
    const pick = exactSubset(units.map((u) => u.blocks.map((b) => b[1])), units.map((u) => u.pbs.filter((pb) => x.counted(pb)).length), free[t]!, target ? target[t]! - x.used[t]! : Infinity, taken);
    if (pick) for (const i of pick) { taken.add(i); take(units[i]!, t); }
  }
  // the other units on the movable lists (most free memory), within its pageblock count. Not the rare types here:
  // what of their rows no exact subset took is packed into fresh pageblocks by the layout below, and a guess here
  // would take pageblocks of their "Number of blocks" that the packing then lacks (counts no longer exact)
  // within a budget of pageblocks: what the movable row keeps beyond these units (the flags read at another moment)
  // is packed into fresh pageblocks below, at least half a pageblock of free pages each (fillRec keeps one page of
  // each half non-free), plus one per order; units with the most free pages first
  const pagesOf = (u: typeof units[number]) => u.blocks.reduce((a, [, k]) => a + 2 ** k, 0);
  let rowLeft = free[1]!.reduce((a, n, k) => a + n * 2 ** k, 0);
  const reserve = (pages: number) => (pages > 0 ? Math.ceil(pages / (pbPages / 2)) + maxOrder + 1 : 0);
  const budget = target ? target[1]! - x.used[1]! : Infinity;
  const order = units.map((u, i) => i).filter((i) => !taken.has(i) && units[i]!.blocks.some(([, k]) => free[1]![k]! > 0 && quota[k]! > 0))
    .sort((a, b) => pagesOf(units[b]!) - pagesOf(units[a]!) || a - b);
  const nOf = (i: number) => units[i]!.pbs.filter((pb) => x.counted(pb)).length;
  // all of them, then without the ones with the fewest free pages until the rest of the row fits
  let used = 0, kept = order.length;
  for (const i of order) { used += nOf(i); rowLeft -= Math.min(pagesOf(units[i]!), rowLeft); }
  rowLeft = Math.max(0, rowLeft);
  while (kept > 0 && used + reserve(rowLeft) > budget) { const i = order[--kept]!; used -= nOf(i); rowLeft += pagesOf(units[i]!); }
  const movable = new Set(order.slice(0, kept));
  for (const [ui, u] of units.entries()) if (movable.has(ui)) take(u, 1);
  const left = quota.reduce((a, n) => a + n, 0);
  if (placed < blocks.length || left) x.notes.push(`node ${w.z.nid} ${w.z.zone}: ${placed} of the ${blocks.length} free blocks /proc/kpageflags shows placed at the kernel's pfns (the free lists hold ${left + placed}: read at another moment; the rest placed by type)`);
}

/**
 * Indices of units (each a list of block orders, in pfn order) whose orders together are exactly `row` (count per
 * order), using at most `maxPbs` counted pageblocks and none of `skip`; null when there is none (or the search gives
 * up: at most 100000 steps). Depth-first, lowest pfns first.
 */
function exactSubset(units: number[][], pbs: number[], row: number[], maxPbs: number, skip: Set<number>): number[] | null {
  const need = row.slice();
  if (!need.some((n) => n > 0)) return null;
  const hist = units.map((u) => { const h = new Array<number>(row.length).fill(0); for (const k of u) h[k]!++; return h; });
  const cand = hist.map((h, i) => i).filter((i) => !skip.has(i) && hist[i]!.every((n, k) => n <= need[k]!));
  const pages = (h: number[]) => h.reduce((a, n, k) => a + n * 2 ** k, 0);
  const suffix = new Array<number>(cand.length + 1).fill(0);
  for (let j = cand.length - 1; j >= 0; j--) suffix[j] = suffix[j + 1]! + pages(hist[cand[j]!]!);
  let steps = 0;
  const chosen: number[] = [];
  // recursion depth: the units chosen (a row's blocks), not the candidates
  const dfs = (j0: number, left: number, pbLeft: number): boolean => {
    if (left === 0) return true;
    for (let j = j0; j < cand.length; j++) {
      if (++steps > 100000 || suffix[j]! < left) return false;
      const i = cand[j]!, h = hist[i]!;
      if (pbs[i]! > pbLeft || !h.every((n, k) => n <= need[k]!)) continue;
      for (let k = 0; k < h.length; k++) need[k]! -= h[k]!;
      chosen.push(i);
      if (dfs(j + 1, left - pages(h), pbLeft - pbs[i]!)) return true;
      chosen.pop();
      for (let k = 0; k < h.length; k++) need[k]! += h[k]!;
    }
    return false;
  };
  return dfs(0, pages(need), maxPbs) ? chosen : null;
}

// ---------------------------------------------------------------- sorted range helpers (linear, not quadratic)
/** sorted, overlapping or touching ranges joined */
function merge(rs: R[]): R[] {
  const out: R[] = [];
  for (const [s, e] of [...rs].sort((a, b) => a[0] - b[0])) {
    const l = out[out.length - 1];
    if (l && s <= l[1]) l[1] = Math.max(l[1], e); else out.push([s, e]);
  }
  return out;
}
/** the intersection of two sorted lists of disjoint ranges */
function intersectSorted(a: R[], b: R[]): R[] {
  const out: R[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const x = Math.max(a[i]![0], b[j]![0]), y = Math.min(a[i]![1], b[j]![1]);
    if (x < y) out.push([x, y]);
    if (a[i]![1] < b[j]![1]) i++; else j++;
  }
  return out;
}
/** sorted disjoint ranges without every range of `cut` (sorted, disjoint, each inside one range of rs): linear */
function subtractRanges(rs: R[], cut: R[]): R[] {
  const out: R[] = [];
  let j = 0;
  for (const [s, e] of rs) {
    let p = s;
    while (j < cut.length && cut[j]![1] <= p) j++;
    while (j < cut.length && cut[j]![0] < e) {
      const [cs, ce] = cut[j]!;
      if (cs > p) out.push([p, cs]);
      p = Math.max(p, ce);
      if (ce > e) break;
      j++;
    }
    if (p < e) out.push([p, e]);
  }
  return out;
}

/** sorted disjoint ranges without [cs, ce) */
function subtractSorted(rs: R[], [cs, ce]: R): R[] {
  const out: R[] = [];
  for (const [s, e] of rs) {
    if (ce <= s || cs >= e) { out.push([s, e]); continue; }
    if (s < cs) out.push([s, cs]);
    if (ce < e) out.push([ce, e]);
  }
  return out;
}
/** the parts of [start, end) not in the sorted disjoint ranges `present` */
function gaps(start: number, end: number, present: R[]): R[] {
  const out: R[] = [];
  let p = start;
  for (const [s, e] of present) {
    if (s > p) out.push([p, Math.min(s, end)]);
    p = Math.max(p, e);
    if (p >= end) break;
  }
  if (p < end) out.push([p, end]);
  return out.filter(([s, e]) => s < e);
}
