// `mmscn verify --live OPERATION`, the pure part: the operation's words, the simulator's prediction on an imported
// machine, and the two outcomes side by side. The machine side (capture, the write to /proc or /sys, measuring and
// restoring) is src/cli/verify.ts. Nothing here guesses for the kernel: the kernel's column holds only what was
// measured, the simulator's only what it computed; what the simulator does not model is said in words.
import type { Snapshot } from './generate.js';
import { generate } from './generate.js';
import type { BuddyRow } from './parse.js';
import { analyzeOnce } from '../language/index.js';
import { ScenarioRun } from '../sim/runner.js';
import type { VerifyView } from '../shared/protocol.js';
import { hex } from '../shared/format.js';

export type HugeSize = '2M' | '1G';
export type VerifyOp = { kind: 'hugetlb'; size: HugeSize; n: number } | { kind: 'compact' };

/** pages per huge page and the kB in its sysfs name (/sys/kernel/mm/hugepages/hugepages-<kB>kB) */
export const HUGE: Record<HugeSize, { pages: number; kB: number }> = { '2M': { pages: 512, kB: 2048 }, '1G': { pages: 262144, kB: 1048576 } };
/** at most this many huge pages per verify (8 GiB of 2M, 16 GiB of 1G): a check, not a stress test */
export const MAX_GROW: Record<HugeSize, number> = { '2M': 4096, '1G': 16 };

export const VERIFY_OPS_HELP = 'hugetlb 2M +N | hugetlb 1G +N (grow the pool by N, then shrink it back) | compact_memory';

/** the operation's words (`hugetlb 2M +4`, `compact_memory`), or an error message */
export function parseVerifyOp(words: string[]): VerifyOp | string {
  const w = words.join(' ').trim();
  if (w === 'compact_memory' || w === 'compact') return { kind: 'compact' };
  const m = /^hugetlb\s+(2M|1G)\s+\+?(\d{1,9})$/i.exec(w);
  if (m) {
    const size = m[1]!.toUpperCase() as HugeSize, n = Number(m[2]);
    if (n < 1 || n > MAX_GROW[size]) return `hugetlb ${size}: grow by 1 to ${MAX_GROW[size]} pages, not ${n}`;
    return { kind: 'hugetlb', size, n };
  }
  const shown = w.slice(0, 30).replace(/[^\x20-\x7e]/g, '?');
  return `unknown operation \`${shown}\`: expected ${VERIFY_OPS_HELP}`;
}

export function opText(op: VerifyOp): string {
  return op.kind === 'compact' ? 'compact_memory' : `hugetlb ${op.size} +${op.n}`;
}

export interface ZoneSpan { nid: number; zone: string; start: number; end: number }
export interface ZoneFree { nid: number; zone: string; before: number[]; after: number[] }
export interface Placement {
  folios: number;
  perZone: { nid: number; zone: string; folios: number }[];
  /** the folios as merged pfn ranges [start, end) */
  ranges: [number, number][];
  heads: number[];
}

/** one column: what the simulator predicted, or what the kernel did */
export interface Side {
  /** hugetlb: huge pages in the pool before and after the grow, and how many the grow asked for */
  pool?: { before: number; after: number; requested: number };
  placement?: Placement | null;
  perNode?: { nid: number; folios: number }[] | null;
  /** free blocks per order, per zone, just before and just after the operation */
  free: ZoneFree[];
  /** pages migrated by the operation (kernel: the pgmigrate_success delta; simulator: pages of its migrations) */
  migrated: number | null;
  /** kernel: /proc/vmstat deltas; simulator: the ones it can derive (null: not counted) */
  counters: Record<string, number | null>;
  /** the operation's own time (kernel: the write to the file; simulator: running the operation) */
  ms: number;
  notes: string[];
}
export interface Prediction extends Side {
  /** generating, checking and booting the imported scenario */
  bootMs: number;
  importNotes: string[];
}

export function zoneSpans(snap: Snapshot): ZoneSpan[] {
  return snap.zoneinfo.filter((z) => z.spanned && z.startPfn !== null).map((z) => ({ nid: z.nid, zone: z.zone, start: z.startPfn!, end: z.startPfn! + z.spanned }));
}

export function placement(heads: { pfn: number; pages: number }[], spans: ZoneSpan[]): Placement {
  const hs = [...heads].sort((a, b) => a.pfn - b.pfn);
  const perZone: Placement['perZone'] = [];
  for (const h of hs) {
    const z = spans.find((s) => s.start <= h.pfn && h.pfn < s.end);
    const nid = z?.nid ?? -1, zone = z?.zone ?? '(outside the zones)';
    const e = perZone.find((x) => x.nid === nid && x.zone === zone);
    if (e) e.folios++; else perZone.push({ nid, zone, folios: 1 });
  }
  const ranges: [number, number][] = [];
  for (const h of hs) {
    const l = ranges[ranges.length - 1];
    if (l && l[1] === h.pfn) l[1] += h.pages; else ranges.push([h.pfn, h.pfn + h.pages]);
  }
  return { folios: hs.length, perZone, ranges, heads: hs.map((h) => h.pfn) };
}

/** /proc/vmstat as name → value */
export function parseVmstat(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of text.split('\n')) {
    const x = /^([a-z0-9_]+) (\d+)$/.exec(l.trim());
    if (x) m.set(x[1]!, Number(x[2]));
  }
  return m;
}

/** the counters verify shows: hugetlb, compaction, migration */
export const VMSTAT_KEYS = /^(htlb_buddy_alloc_|compact_|pgmigrate_)/;

export function vmstatDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) if (VMSTAT_KEYS.test(k) && before.has(k)) out[k] = v - before.get(k)!;
  return out;
}

export function freeOf(rows: BuddyRow[]): Map<string, number[]> {
  return new Map(rows.map((r) => [`${r.nid} ${r.zone}`, r.counts]));
}
export const pagesOf = (counts: number[]) => counts.reduce((t, n, o) => t + n * 2 ** o, 0);

/** what the scenario appends to the imported machine for the operation */
export function scenarioOps(op: VerifyOp, zones: { nid: number; zone: string }[]): string[] {
  // compact_memory: compact_nodes() → compact_node() on every node, every populated zone, order -1 (mm/compaction.c)
  if (op.kind === 'compact') return zones.map((z) => `compact ${z.zone} node ${z.nid}`);
  // the import has no hugetlb pool (the machine's pool pages are imported as kernel pages): the simulator's pool
  // starts empty, so growing it to N gives N fresh huge pages, as the kernel's grow by N does
  return [`hugetlb ${op.size} resize ${op.n}`];
}

/**
 * The simulator's outcome of `op` on the imported snapshot. Throws Error when the imported scenario does not check
 * or the simulator fails (an internal error is not a prediction).
 */
export function predict(snap: Snapshot, op: VerifyOp, now: () => number = () => performance.now()): Prediction {
  const t0 = now();
  const res = generate(snap);
  const zones = res.zones.filter((z) => z.present > 0);
  const text = res.text.replace(/\n*$/, '\n') + ['# mmscn verify: the operation', ...scenarioOps(op, zones)].join('\n') + '\n';
  const { scenario, diagnostics } = analyzeOnce(text);
  const bad = diagnostics.find((d) => d.severity === 'error');
  if (!scenario || bad) throw new Error(`the imported scenario does not check (line ${bad?.loc.line ?? 1}: ${bad?.message ?? 'no scenario'})`);
  const run = new ScenarioRun(scenario, null, { timeTravel: false });
  const c = () => run.machine.c;
  const freeNow = () => c().zones.filter((z) => z.populated).map((z) => ({ nid: z.nid, zone: z.name as string, counts: z.nrFree.slice() }));
  const failed = () => {
    if (run.internal) throw new Error(`the simulator failed on line ${run.internal.loc.line}: ${run.internal.message}`);
    if (run.errors.length) throw new Error(`the simulator refused line ${run.errors[0]!.loc.line}: ${run.errors[0]!.message}`);
  };
  // the population statements are steps too: run them, then the operation's own steps (the last ones)
  const first = scenario.steps.length - scenarioOps(op, zones).length;
  run.runToEnd((i) => i >= first);
  failed();
  const opsBefore = run.ops.length;
  const before = freeNow();
  const vmBefore = { ...c().vm };
  const bootMs = now() - t0;
  const t1 = now();
  run.runToEnd();
  const ms = now() - t1;
  failed();
  const after = freeNow();
  const notes: string[] = [];
  let migrated = 0;
  for (const r of run.ops.slice(opsBefore)) {
    for (const m of r.result.migrations) if (m.result === 'ok') migrated += 2 ** m.order;
    for (const e of r.result.events) if (e.type === 'note' && /nr_hugepages is/.test(e.text)) notes.push(e.text);
  }
  const side: Prediction = {
    free: before.map((b, i) => ({ nid: b.nid, zone: b.zone, before: b.counts, after: after[i]!.counts })),
    migrated, counters: {}, ms, notes, bootMs, importNotes: res.notes,
  };
  if (op.kind === 'hugetlb') {
    const pages = HUGE[op.size].pages;
    const heads: { pfn: number; pages: number }[] = [];
    const perNode: { nid: number; folios: number }[] = [];
    for (const [nid, p] of c().pools.get(pages) ?? new Map()) {
      perNode.push({ nid, folios: p.total });
      for (const pfn of p.free) heads.push({ pfn, pages });
    }
    side.pool = { before: 0, after: heads.length, requested: op.n };
    side.placement = placement(heads, zoneSpans(snap));
    side.perNode = perNode.sort((a, b) => a.nid - b.nid);
    // alloc_buddy_hugetlb_folio() counts HTLB_BUDDY_PGALLOC(_FAIL) for each buddy allocation of a fresh page; the
    // simulator makes one per page obtained and, when it fell short, one failed attempt per node before it stops
    // (set_max_huge_pages → alloc_pool_huge_folio); gigantic pages come from alloc_contig_pages: no such counter
    const nodes = new Set(zones.map((z) => z.nid)).size;
    side.counters = pages <= 2 ** c().maxOrder
      ? { htlb_buddy_alloc_success: heads.length, htlb_buddy_alloc_fail: heads.length < op.n ? nodes : 0 }
      : { htlb_buddy_alloc_success: 0, htlb_buddy_alloc_fail: 0 };
  } else {
    // compact_zone's totals and COMPACTISOLATED as the simulator counts them (src/sim/vmstat.ts); compact_memory runs
    // MIGRATE_SYNC, so they are the simulator's exact counts for its own run
    const d = (k: 'compact_migrate_scanned' | 'compact_free_scanned' | 'compact_isolated') => c().vm[k] - vmBefore[k];
    side.counters = { compact_migrate_scanned: d('compact_migrate_scanned'), compact_free_scanned: d('compact_free_scanned'), compact_isolated: d('compact_isolated') };
  }
  side.counters.pgmigrate_success = migrated;
  return side;
}

export interface VerifyReport {
  operation: string;
  source: string;
  kernelRelease: string | null;
  /** from the end of the capture to the operation: the window in which other activity changes the machine */
  captureToOperationMs: number;
  /** free pages per zone at the capture and just before the operation (the drift in that window) */
  drift: { nid: number; zone: string; atCapture: number; beforeOperation: number }[];
  predicted: Prediction;
  kernel: Side;
  restore: { done: boolean; text: string } | null;
  /** the comparison, one line per quantity: equal or not, and by how much */
  agreement: string[];
  /** why the two columns can differ (always said, whatever the numbers) */
  caveats: string[];
}

/** which quantities agree, in words */
export function compare(op: VerifyOp, p: Side, k: Side): string[] {
  const out: string[] = [];
  const eq = (what: string, a: number | null | undefined, b: number | null | undefined) => {
    if (a === null || a === undefined || b === null || b === undefined) out.push(`${what}: not comparable (${a == null ? 'the simulator does not count it' : 'not measured'})`);
    else out.push(`${what}: ${a === b ? `equal (${a})` : `differ (simulator ${a}, kernel ${b}, ${b - a > 0 ? '+' : ''}${b - a})`}`);
  };
  if (op.kind === 'hugetlb') {
    eq('huge pages obtained', p.pool && p.pool.after - p.pool.before, k.pool && k.pool.after - k.pool.before);
    if (p.placement && k.placement) {
      const zs = new Set([...p.placement.perZone, ...k.placement.perZone].map((z) => `${z.nid} ${z.zone}`));
      for (const z of zs) {
        const [nid, zone] = z.split(' ');
        const n = (pl: Placement) => pl.perZone.find((x) => `${x.nid} ${x.zone}` === z)?.folios ?? 0;
        eq(`node ${nid} ${zone}`, n(p.placement), n(k.placement));
      }
      const same = p.placement.heads.filter((h) => new Set(k.placement!.heads).has(h)).length;
      out.push(`same pfns: ${same} of ${k.placement.folios} huge pages the kernel placed are where the simulator put one`);
    } else out.push('placement: not comparable (/proc/kpageflags was not readable)');
    for (const c of ['htlb_buddy_alloc_success', 'htlb_buddy_alloc_fail']) eq(c, p.counters[c], k.counters[c]);
  }
  eq('pages migrated', p.migrated, k.migrated);
  for (const z of p.free) {
    const kz = k.free.find((x) => x.nid === z.nid && x.zone === z.zone);
    eq(`node ${z.nid} ${z.zone} free pages change`, pagesOf(z.after) - pagesOf(z.before), kz ? pagesOf(kz.after) - pagesOf(kz.before) : null);
    if (op.kind === 'compact') {
      const high = (c: number[]) => c.slice(9).reduce((t, n, o) => t + n * 2 ** (o + 9), 0);
      eq(`node ${z.nid} ${z.zone} free pages in blocks of order ≥ 9 after`, high(z.after), kz ? high(kz.after) : null);
    }
  }
  return out;
}

/** what the simulator does not model and what happens between the capture and the operation: always said */
export function caveats(op: VerifyOp, r: Pick<VerifyReport, 'captureToOperationMs' | 'drift'>, importNotes: string[]): string[] {
  const moved = r.drift.reduce((t, d) => t + Math.abs(d.beforeOperation - d.atCapture), 0);
  const out = [
    `Between the capture and the operation (${Math.round(r.captureToOperationMs)} ms) the machine kept running: ${moved} free pages changed hands (buddyinfo at the capture vs. just before the operation). The prediction starts from the capture.`,
    'The kernel column is measured (files read before and after the write); the simulator column is computed from the imported scenario. The kernel counters are machine-wide: other activity in the same moments counts in them too.',
  ];
  if (importNotes.length) out.push(`The import is not exact (${importNotes.length} note(s), e.g. "${importNotes[0]!.slice(0, 160)}"): where the imported page kinds or free blocks differ from the kernel's, the prediction follows the import.`);
  if (op.kind === 'hugetlb') {
    out.push('Which free block the kernel takes depends on the order of its free lists (and the per-cpu lists); the import places large free blocks where /proc/kpageflags shows free ranges, but not in the kernel\'s list order, so the pfns can differ even when the zones agree.');
    out.push('The machine\'s existing hugetlb pool is imported as kernel pages, not as a pool; the simulator grows an empty pool by N.');
    if (op.size === '1G') out.push('Gigantic pages come from alloc_contig_pages: which ranges can be migrated depends on page kinds the import takes from /proc/kpageflags (pinned pages and in-flight I/O are not visible there).');
  } else {
    out.push('compact_memory in the simulator: a full compaction (order -1, MIGRATE_SYNC, whole zone, skip hints ignored, as compact_node does) of every populated zone; it does not model kcompactd, the LRU/pcp drains, or pages that are pinned or under I/O at that moment (/proc/kpageflags does not show pins). The compact_* scan and isolation counters are counted as compact_zone counts them, over the imported layout: they agree with the kernel\'s only as far as the imported page kinds, folio orders and free blocks do.');
    out.push('pgmigrate_success counts every migration on the machine in that moment (also NUMA balancing, khugepaged, memory tiering).');
  }
  return out;
}

function rangesText(pl: Placement | null | undefined, pages: number): string {
  if (!pl) return '—';
  if (!pl.ranges.length) return 'none';
  const rs = pl.ranges.map(([s, e]) => `${hex(s)}..${hex(e)}${e - s > pages ? ` (${(e - s) / pages})` : ''}`);
  return rs.length > 4 ? `${rs.slice(0, 4).join(', ')} … (${rs.length} ranges)` : rs.join(', ');
}

/** the report as rows (header first), for the text and the inspector */
export function reportRows(r: VerifyReport, op: VerifyOp): [string, string, string][] {
  const p = r.predicted, k = r.kernel;
  const rows: [string, string, string][] = [['', 'simulator (predicted)', 'kernel (measured)']];
  const num = (n: number | null | undefined) => (n === null || n === undefined ? '— (not counted)' : String(n));
  if (op.kind === 'hugetlb') {
    const pages = HUGE[op.size].pages;
    rows.push([`${op.size} pages obtained`, `${p.pool!.after - p.pool!.before} of ${op.n}`, k.pool ? `${k.pool.after - k.pool.before} of ${op.n} (nr_hugepages ${k.pool.before} → ${k.pool.after})` : '—']);
    const nodes = new Set([...(p.perNode ?? []), ...(k.perNode ?? [])].map((x) => x.nid));
    for (const nid of [...nodes].sort((a, b) => a - b)) {
      const kb = k.perNode?.find((x) => x.nid === nid)?.folios;
      rows.push([`  node ${nid}`, String(p.perNode?.find((x) => x.nid === nid)?.folios ?? 0), kb === undefined ? '—' : String(kb)]);
    }
    const zs = new Set([...(p.placement?.perZone ?? []), ...(k.placement?.perZone ?? [])].map((z) => `${z.nid} ${z.zone}`));
    for (const z of zs) {
      const n = (pl: Placement | null | undefined) => (pl ? String(pl.perZone.find((x) => `${x.nid} ${x.zone}` === z)?.folios ?? 0) : '—');
      rows.push([`  node ${z.split(' ')[0]} ${z.split(' ')[1]}`, n(p.placement), n(k.placement)]);
    }
    rows.push(['  pfn ranges', rangesText(p.placement, pages), k.placement ? rangesText(k.placement, pages) : '— (/proc/kpageflags not readable)']);
  }
  // the operation's own counters, and any other that moved (the JSON has them all)
  const own = op.kind === 'hugetlb' ? /^(htlb_buddy_alloc_|pgmigrate_fail)/ : /^(compact_(migrate_scanned|free_scanned|isolated)|pgmigrate_fail)/;
  const keys = [...new Set([...Object.keys(p.counters), ...Object.keys(k.counters)])].filter((x) => x !== 'pgmigrate_success' && (own.test(x) || (k.counters[x] ?? 0) !== 0));
  for (const key of keys) rows.push([key, num(p.counters[key]), num(k.counters[key])]);
  rows.push(['pages migrated', num(p.migrated), k.migrated === null ? '—' : `${k.migrated} (pgmigrate_success)`]);
  for (const z of p.free) {
    const kz = k.free.find((x) => x.nid === z.nid && x.zone === z.zone);
    rows.push([`free pages node ${z.nid} ${z.zone}`, `${pagesOf(z.before)} → ${pagesOf(z.after)}`, kz ? `${pagesOf(kz.before)} → ${pagesOf(kz.after)}` : '—']);
  }
  rows.push(['time', `${p.ms.toFixed(1)} ms (import + boot ${Math.round(p.bootMs)} ms)`, `${k.ms.toFixed(1)} ms (the write)`]);
  return rows;
}

export function reportTitle(r: VerifyReport): string {
  return `mmscn verify: ${r.operation} on ${r.source}${r.kernelRelease ? ` (Linux ${r.kernelRelease})` : ''}`;
}

/** the notes of both sides, said which side they come from */
export function reportNotes(r: VerifyReport): string[] {
  return [...r.predicted.notes.map((x) => `simulator: ${x}`), ...r.kernel.notes.map((x) => `kernel: ${x}`)];
}

/** the report as text: a table of simulator vs kernel, the comparison, and the caveats */
export function formatReport(r: VerifyReport, op: VerifyOp): string {
  const rows = reportRows(r, op);
  const w0 = Math.max(...rows.map((x) => x[0].length)), w1 = Math.max(...rows.map((x) => x[1].length));
  const out = [reportTitle(r), ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`)];
  if (r.restore) out.push(`restored: ${r.restore.text}`);
  out.push(...reportNotes(r));
  out.push('comparison:', ...r.agreement.map((a) => `  - ${a}`));
  out.push('why the two can differ:', ...r.caveats.map((a) => `  - ${a}`));
  return out.join('\n');
}

/** what the inspector shows (src/shared/protocol.ts VerifyView) */
export function verifyView(r: VerifyReport, op: VerifyOp): VerifyView {
  return { title: reportTitle(r), rows: reportRows(r, op), restore: r.restore?.text ?? null, notes: reportNotes(r), agreement: r.agreement, caveats: r.caveats };
}
