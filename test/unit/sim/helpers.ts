// Test helpers: small machine specs and a driver for Machine.run.
import { Machine, type OpContext } from '../../../src/sim/machine.js';
import type { MachineSpec, Operation, Policies, ZoneName, Target } from '../../../src/sim/scenario.js';
import type { OpResult } from '../../../src/sim/api.js';
import { resolvePolicies } from '../../../src/sim/policies.js';
import { freeOnePage, takeFree, FPI_NONE } from '../../../src/sim/buddy.js';
import type { KernelPreset } from '../../../src/sim/scenario.js';
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/index.js';
import { runScenario, type RunOutcome } from '../../../src/sim/runner.js';
import { ZONE_NAMES } from '../../../src/shared/format.js';
import { allocPages } from '../../../src/sim/alloc.js';
import { MOVABLE, UNMOVABLE } from '../../../src/sim/consts.js';

const L = { line: 1, col: 1, endLine: 1, endCol: 1 };

export function spec(o: {
  zones: [ZoneName, number, number][];
  cpus?: number;
  reserved?: [number, number][];
  cma?: [string, number, number][];
  hugetlb?: { pages: number; count: number }[];
  nodes?: { nid: number; zones: [ZoneName, number, number][] }[];
  memoryBlockPages?: number;
}): MachineSpec {
  const nodes = o.nodes ?? [{ nid: 0, zones: o.zones }];
  return {
    pageblockOrder: 9, maxPageOrder: 10, memoryBlockPages: o.memoryBlockPages ?? 32768, sectionPages: 32768, cpus: o.cpus ?? 1,
    memmapOnMemory: 'off', movableNode: false,
    nodes: nodes.map((n, i) => ({
      nid: n.nid, zones: n.zones.map(([zone, start, end]) => ({ zone, start, end, loc: L })),
      reserved: i === 0 ? (o.reserved ?? []).map(([start, end]) => ({ start, end, loc: L })) : [], hotplug: [], loc: L,
    })),
    cma: (o.cma ?? []).map(([name, start, end]) => ({ name, start, end, orderPerBit: 0, loc: L })),
    hugetlb: (o.hugetlb ?? []).map((h) => ({ ...h, nid: null, loc: L })),
    virtioMem: [],
  };
}

export function machine(s: MachineSpec, kernel: KernelPreset = 'latest', pol: Partial<Policies> = {}, seed = 1): Machine {
  return new Machine(s, resolvePolicies(kernel, pol), seed);
}

export function ctx(cpu = 0, labels: Map<string, OpResult> = new Map(), label = 'op'): OpContext {
  return {
    cpu, label,
    resolve: (t: Target) => (t.kind === 'pfn' ? [{ pfn: t.pfn, pages: 0 }] : labels.get(t.name)?.allocated ?? []),
  };
}

/** run an operation to completion */
export function run(m: Machine, op: Operation, cpu = 0, labels?: Map<string, OpResult>, label = 'op'): OpResult {
  const g = m.run(op, ctx(cpu, labels, label));
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

export function pfn(n: number): Target {
  return { kind: 'pfn', pfn: n };
}

/** blocks on a free list, head → tail, as [pfn, order] */
export function list(m: Machine, nid: number, zone: ZoneName, order: number, mt: number): number[] {
  const z = m.c.zone(nid, ZONE_NAMES.indexOf(zone));
  return [...m.c.listIter(z, order, mt)].map((b) => b.pfn);
}

/** node 0 Normal [start, pages) with every page allocated, so each test builds its own free lists */
export function blank(pages: number, kernel: KernelPreset = 'latest', start = 0): Machine {
  const m = machine(spec({ zones: [['Normal', start, pages]] }), kernel);
  takeFree(m.c, start, pages - start);
  m.c.addExtent(m.c.newExtent(start, pages - start, 0, false, 'kernel', 0, 'test'));
  return m;
}

/** frees [pfn, pfn + 2^order) as one buddy block of type `mt` (the pageblock is retyped first with `retype`) */
export function release(m: Machine, pfn: number, order: number, mt: number, retype = false): void {
  const c = m.c;
  for (const e of c.extentsIn(pfn, pfn + (1 << order))) {
    const s = Math.max(e.pfn, pfn), t = Math.min(e.pfn + e.n, pfn + (1 << order));
    c.removeExtent(c.carve(e, s, t - s));
  }
  if (retype && c.storedMt(pfn) !== mt) c.setMt(pfn, mt, 'test');
  freeOnePage(c, c.zone(0, 2), pfn, order, mt, FPI_NONE);
}

/**
 * Analyses and runs scenario text (its first variant, or none): the file must have no errors, nor the run, nor
 * (with checkInvariants) any step's invariant check.
 */
export function runText(text: string, o: { until?: number; checkInvariants?: boolean; variant?: string } = {}): RunOutcome {
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const out = runScenario(a.scenario!, o)[0]!;
  assert.deepEqual(out.errors.map((e) => e.message), []);
  assert.deepEqual(out.invariants.map((e) => e.message), []);
  return out;
}

/** the result of the operation labelled `name` */
export function resultOf(out: RunOutcome, name: string): OpResult {
  const r = out.ops.find((x) => x.name === name);
  assert.ok(r, `no operation labelled ${name}`);
  return r.result;
}

/** the fast path (low watermark) fails, the slow path's first attempt (min watermark 0) passes: Normal of node 0 */
export function betweenMinAndLow(m: Machine): void {
  const z = m.c.zone(0, 2);
  z.wmMin = 0;
  z.wmLow = 1 << 20;
  z.wmHigh = 1 << 20;
}

/**
 * Runs scenario text with no errors allowed, checking the invariants after every operation (prefixes of the
 * scenario) and that no internal error happened; the operations' results, and by label.
 */
export function runChecked(text: string): { ops: OpResult[]; byName: Map<string, OpResult> } {
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const s = a.scenario!;
  const ops = s.steps.filter((st) => st.kind === 'op');
  for (let n = 1; n <= ops.length; n++) {
    const [o] = runScenario({ ...s, steps: s.steps.filter((st) => st.kind !== 'op' || ops.indexOf(st) < n) });
    assert.deepEqual(o!.machine.checkInvariants(), [], `invariants after step ${n}`);
    assert.equal(o!.internal, null, o!.internal?.message);
  }
  const [o] = runScenario(s);
  const byName = new Map<string, OpResult>();
  for (const r of o!.ops) if (r.name) byName.set(r.name, r.result);
  return { ops: o!.ops.map((r) => r.result), byName };
}

/**
 * The highatomic-reserve setup: a `pages`-page machine whose only free memory is one UNMOVABLE pageblock at
 * 0x1000 (retyped), watermarks between min and low (betweenMinAndLow), then one order-2 allocation with `gfp`.
 */
export function order2FromUnmovableBlock(kernel: KernelPreset, gfp: number, pages = 0x10000) {
  const m = blank(pages, kernel);
  const z = m.c.zone(0, 2);
  release(m, 0x1000, 9, UNMOVABLE, true);
  betweenMinAndLow(m);
  return { m, z, r: allocPages(m.c, { order: 2, gfp, nid: 0, cpu: 0 }) };
}

/** A compaction playground: Normal [start, start + 4 pageblocks) of kernel pages (not LRU, not movable), every block MOVABLE */
export function kernelZone4(start: number): Machine {
  const m = machine(spec({ zones: [['Normal', start, start + 0x800]] }), '6.12');
  const c = m.c;
  takeFree(c, start, 0x800);
  c.addExtent(c.newExtent(start, 0x800, 0, false, 'kernel', 0, 'test'));
  for (let b = start; b < start + 0x800; b += 0x200) c.setMt(b, MOVABLE, 'test');
  return m;
}
/** replaces [pfn, pfn + n) with anon pages (on the LRU) */
export function anonRun(m: Machine, pfn: number, n: number): void {
  const c = m.c;
  for (const e of c.extentsIn(pfn, pfn + n)) {
    const s = Math.max(e.pfn, pfn), t = Math.min(e.pfn + e.n, pfn + n);
    c.removeExtent(c.carve(e, s, t - s));
  }
  c.addExtent(c.newExtent(pfn, n, 0, false, 'anon', 0, 'test'));
}

/** node 0 Normal [1, 0x10000): [0x8000, 0x10000) anon with the second half of every 16-page chunk free (order 3):
 *  compaction has work and kcompactd's proactive score is high */
export function fragmented16(): Machine {
  const m = blank(0x10000, '6.12', 1);
  const c = m.c;
  for (const e of c.extentsIn(0x8000, 0x10000)) c.removeExtent(e);
  c.addExtent(c.newExtent(0x8000, 0x8000, 0, false, 'anon', 0, 'test'));
  for (let p = 0x8000; p < 0x10000; p += 16) release(m, p + 8, 3, MOVABLE, true);
  return m;
}

/** kswapd woken for `order` (highest zone Normal) on a one-cpu 256 MiB Normal zone after `fill`, then one `kswapd`
 *  operation: the machine and the operation's note */
export function kswapdAfter(fill: string, order: number): { m: Machine; text: string } {
  const m = runText(`kernel 6.12\nmachine {\n  cpus 1\n  node 0 { zone Normal 0x40000..0x50000 }\n}\n${fill}\n`).machine;
  Object.assign(m.c.kswapd[0]!, { woken: true, order, highestZoneidx: 2 });
  return { m, text: run(m, { op: 'kswapd', nid: 0 }).reason ?? '' };
}
