// What the inspector shows, computed from a machine and its operation records: pure (no vscode), so the
// host (inspector.ts) stays thin and the numbers can be unit-tested in plain Node.
import type { Machine } from '../sim/machine.js';
import type { OpRecord } from '../sim/runner.js';
import { buddyinfo, pagetypeinfo } from '../sim/proc.js';
import { machineWindow, summarize, type MapSummary } from '../sim/mapview.js';
import type {
  CompareResult, FailingPageblock, InspectorState, MigrationRow, OpRow, ZoneDiff, ZoneInfo,
} from '../shared/protocol.js';
import { outcomeText, MIGRATETYPE_NAMES } from '../shared/format.js';


/** A run at some step: what ScenarioRun (runner.ts) has, or a finished RunOutcome plus its step count. */
export interface InspectedRun {
  machine: Machine;
  ops: readonly OpRecord[];
  variant: string | null;
  variants: string[];
  /** top-level steps done, and how many the scenario has */
  step: number;
  of: number;
}

export function opText(r: OpRecord): string {
  return outcomeText(r.result, { migrations: false });
}

export function zoneInfos(m: Machine): ZoneInfo[] {
  return m.zones().map((z) => ({
    nid: z.nid, zone: z.zone, start: z.start_pfn, end: z.end_pfn, spanned: z.spanned, present: z.present, managed: z.managed,
    free: z.free, freeCma: z.free_cma, isolatedPageblocks: z.nr_isolate_pageblock, cmaPages: z.cma_pages,
    buddyinfo: z.buddyinfo, freeCounts: z.freeCounts, pageblocks: MIGRATETYPE_NAMES.map((k) => z.pageblockCounts[k] ?? 0),
    watermarks: { min: z.watermarks.min, low: z.watermarks.low, high: z.watermarks.high },
  }));
}

/** Pageblocks an operation failed on: the op's first failing pfn, and failed isolations it reported. */
export function failingPageblocks(m: Machine, ops: readonly OpRecord[]): FailingPageblock[] {
  const pb = m.c.pbPages;
  const out: FailingPageblock[] = [];
  const seen = new Set<string>();
  const add = (r: OpRecord, pfn: number, reason: string, errno: string | null) => {
    const key = `${r.step}:${pfn}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ pfn, pageblock: pfn - (pfn % pb), op: r.op, name: r.name, line: r.loc.line, step: r.step, errno, reason });
  };
  for (const r of ops) {
    if (!r.result.ok && r.result.pfn !== null) add(r, r.result.pfn, r.result.reason ?? 'failed', r.result.errno);
    for (const e of r.result.events) if (e.type === 'isolate' && !e.ok) add(r, e.pfn, e.why ?? 'isolation failed', 'EBUSY');
  }
  return out;
}

export function migrationRows(ops: readonly OpRecord[]): MigrationRow[] {
  const out: MigrationRow[] = [];
  const shown = cpuShown(ops);
  for (const r of ops) for (const mg of r.result.migrations) out.push({ ...mg, step: r.step, line: r.loc.line, op: r.op, cpu: r.cpu, cpuShown: shown(r) });
  return out;
}

export function opRows(ops: readonly OpRecord[]): OpRow[] {
  const shown = cpuShown(ops);
  return ops.map((r) => ({ step: r.step, line: r.loc.line, op: r.op, name: r.name, ok: r.result.ok, text: opText(r), cpu: r.cpu, cpuShown: shown(r) }));
}

/** which CPU ran an operation is worth saying in an interleave (several operations in one step) or off cpu 0 */
function cpuShown(ops: readonly OpRecord[]): (r: OpRecord) => boolean {
  const perStep = new Map<number, number>();
  for (const r of ops) perStep.set(r.step, (perStep.get(r.step) ?? 0) + 1);
  return (r) => r.cpu !== 0 || (perStep.get(r.step) ?? 0) > 1;
}

export function wholeMap(m: Machine, maxCells = 4096): MapSummary {
  return summarize(m, { ...machineWindow(m), maxCells });
}

export function inspectorState(run: InspectedRun, source: string, origin: 'run' | 'debug'): InspectorState {
  const m = run.machine;
  return {
    source, variant: run.variant, variants: run.variants, step: run.step, of: run.of, origin,
    pageblockPages: m.c.pbPages, maxOrder: m.c.maxOrder, memoryBlockPages: m.spec.memoryBlockPages,
    zones: zoneInfos(m),
    blocks: m.blocks().map((b) => ({ id: b.id, start: b.start, pages: b.pages, state: b.state, zone: b.zone, nid: b.nid })),
    cma: m.c.cma.map((a) => ({ name: a.name, start: a.start, end: a.end })),
    map: wholeMap(m),
    failing: failingPageblocks(m, run.ops),
    migrations: migrationRows(run.ops),
    ops: opRows(run.ops),
    buddyinfo: buddyinfo(m),
    pagetypeinfo: pagetypeinfo(m),
  };
}

/** Every zone counter of two machines side by side, keyed `nid:Zone counter`. */
export function zoneDiff(a: Machine, b: Machine): ZoneDiff[] {
  const rows = (m: Machine) => {
    const out = new Map<string, number>();
    for (const z of zoneInfos(m)) {
      const k = `${z.nid}:${z.zone}`;
      const put = (counter: string, v: number) => out.set(`${k}\u0000${counter}`, v);
      put('spanned', z.spanned); put('present', z.present); put('managed', z.managed); put('free', z.free);
      put('free_cma', z.freeCma); put('nr_isolate_pageblock', z.isolatedPageblocks);
      z.pageblocks.forEach((n, i) => put(`pageblocks ${MIGRATETYPE_NAMES[i]}`, n));
      z.buddyinfo.forEach((n, o) => put(`nr_free order ${o}`, n));
    }
    return out;
  };
  const ra = rows(a);
  const rb = rows(b);
  const keys = [...new Set([...ra.keys(), ...rb.keys()])];
  return keys.map((k) => {
    const [key, counter] = k.split('\u0000') as [string, string];
    return { key, counter, a: ra.get(k) ?? 0, b: rb.get(k) ?? 0 };
  });
}

export function compareRuns(a: InspectedRun, b: InspectedRun, maxCells = 2048): CompareResult {
  const opDiff: CompareResult['opDiff'] = [];
  const bByLine = new Map(b.ops.map((r) => [`${r.loc.line}:${r.cpu}`, r]));
  for (const ra of a.ops) {
    const rb = bByLine.get(`${ra.loc.line}:${ra.cpu}`);
    const ta = opText(ra);
    const tb = rb ? opText(rb) : '(not run)';
    if (ta !== tb) opDiff.push({ line: ra.loc.line, op: ra.op, a: ta, b: tb });
  }
  return {
    a: { variant: a.variant ?? '(none)', map: wholeMap(a.machine, maxCells), failing: failingPageblocks(a.machine, a.ops) },
    b: { variant: b.variant ?? '(none)', map: wholeMap(b.machine, maxCells), failing: failingPageblocks(b.machine, b.ops) },
    diff: zoneDiff(a.machine, b.machine),
    opDiff,
    step: Math.min(a.step, b.step),
  };
}

/** The line that explains a pfn: the operation that failed on its pageblock, else its owner, else the op that last migrated it. */
export function lineForPfn(run: InspectedRun, pfn: number): number | null {
  const f = failingPageblocks(run.machine, run.ops);
  const pb = run.machine.c.pbPages;
  const hit = f.find((x) => x.pfn === pfn) ?? f.find((x) => x.pageblock === pfn - (pfn % pb));
  if (hit) return hit.line;
  let info;
  try { info = run.machine.pageInfo(pfn); } catch { return null; }
  const owner = info.owner?.replace(/ \(being freed.*$/, '') ?? null;
  if (owner) {
    const m = /^line (\d+)$/.exec(owner);
    if (m) return Number(m[1]);
    const named = [...run.ops].reverse().find((r) => r.name === owner);
    if (named) return named.loc.line;
  }
  if (info.lastMigration) {
    const lm = info.lastMigration;
    const r = [...run.ops].reverse().find((x) => x.result.migrations.some((mg) => mg.src === lm.src && mg.dst === lm.dst));
    if (r) return r.loc.line;
  }
  return null;
}
