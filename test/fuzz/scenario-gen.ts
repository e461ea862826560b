// Random-scenario fuzzing of the simulator: seeded generators of valid operation sequences over every
// operation, run through the ScenarioRun (labels, strict owners, invariant checking after every step).
// Used by test/unit/sim/fuzz.test.ts (short, in CI) and bench/fuzz.ts (thousands of scenarios).
// A failure is a scenario that breaks checkInvariants (incl. page conservation) or returns an
// "internal simulator error"; the report carries the seed and the .mmscn-like op list to reproduce it.
import { analyze } from '../../src/language/index.js';
import { ScenarioRun } from '../../src/sim/runner.js';
import type { KernelPreset, Loc, Operation, Scenario, Step, ZoneRef } from '../../src/sim/scenario.js';
import { KERNEL_PRESETS } from '../../src/sim/scenario.js';
import type { OpResult } from '../../src/sim/api.js';
import type { Machine } from '../../src/sim/machine.js';

/** deterministic PRNG (mulberry32) */
export class Prng {
  constructor(private s: number) {}
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
}

/** Two nodes, DMA32 + Normal, an offline hotplug range (node 0), an absent one (node 1), CMA, a 2M pool, virtio-mem;
 *  a 64M swap device (machineText(false): none, so reclaim cannot touch anon). */
export const MACHINE = `machine {
  cpus 2
  swap 64M
  node 0 {
    zone DMA32 0x1000..0x20000
    zone Normal 0x20000..0x40000
    hotplug 0x40000..0x50000 offline
  }
  node 1 {
    zone Normal 0x60000..0x80000
    hotplug 0x80000..0x90000 absent
  }
  cma cma0 0x30000+32M
  hugetlb 2M pool 4
  virtio_mem vmem0 node 1 0xa0000+256M block 2M
}
`;
export function machineText(swap = true): string {
  return swap ? MACHINE : MACHINE.replace('  swap 64M\n', '');
}

/** every address range an operation may name (online, hotpluggable or virtio-mem) */
const SPANS: [number, number][] = [[0x1000, 0x20000], [0x20000, 0x40000], [0x40000, 0x50000], [0x60000, 0x80000], [0x80000, 0x90000], [0xa0000, 0xb0000]];
const ZONES: ZoneRef[] = [{ nid: 0, zone: 'DMA32' }, { nid: 0, zone: 'Normal' }, { nid: 1, zone: 'Normal' }, { nid: 0, zone: 'Movable' }, { nid: 1, zone: 'Movable' }];
const HOTPLUG_BLOCKS = [8, 9, 16, 17];
const OP_NAMES = [
  'page', 'folio', 'fill', 'pageblock', 'alloc', 'free', 'pin', 'unpin', 'slab_grow', 'slab_shrink', 'drain',
  'isolate', 'unisolate', 'alloc_contig_range', 'alloc_contig_pages', 'cma_alloc', 'cma_release', 'online', 'offline',
  'add_memory', 'remove_memory', 'hugetlb_resize', 'compact', 'migrate', 'report', 'virtio_mem', 'kswapd',
  'kcompactd', 'sysctl', 'hugetlb_overcommit', 'hugetlb_alloc',
] as const;
/** ops whose label owns what they allocated (a later `free`/`cma_release` of the label is valid) */
const OWNING_OPS = ['alloc', 'folio', 'alloc_contig_range', 'alloc_contig_pages', 'cma_alloc', 'hugetlb_alloc'];
/** the page states reclaim treats differently: dirty/writeback file, mlocked, active, pinned */
const MODIFIERS = ['pinned', 'longterm', 'reclaimable', 'dirty', 'writeback', 'unevictable', 'active'] as const;
export type FuzzOp = (typeof OP_NAMES)[number];

export interface FuzzOptions {
  seed: number;
  steps: number;
  kernel?: KernelPreset;
  /** op → relative weight (default 1 each; 0 leaves the op out) */
  weights?: Partial<Record<FuzzOp, number>>;
  /** the machine has a swap device (default true) */
  swap?: boolean;
  /** memory pressure: fills are large and mostly page cache / anon, populations span up to a pageblock */
  pressure?: boolean;
  /** called after every step that passed (coverage counts in tests) */
  onStep?: (op: Operation, res: OpResult, m: Machine) => void;
}

export interface FuzzFailure { seed: number; kernel: KernelPreset; step: number; message: string; repro: string }

const L = (line: number): Loc => ({ line, col: 1, endLine: line, endCol: 2 });
const hex = (n: number): string => '0x' + n.toString(16);

/** a machine-wide generator state: labels that own pages, labels freed */
class Gen {
  live: string[] = [];
  freed: string[] = [];
  constructor(readonly r: Prng, readonly weights: Partial<Record<FuzzOp, number>>, readonly pressure = false) {}

  pfn(): number { const [s, e] = this.r.pick(SPANS); return this.r.range(s, e - 1); }
  aligned(order: number): number { const p = this.pfn(); return p - (p % (1 << order)); }
  /** whole pageblocks inside one span (the language rejects ranges outside the machine) */
  pbRange(maxPb: number): { start: number; end: number } {
    const [a, b] = this.r.pick(SPANS);
    const lo = Math.ceil(a / 512), hi = Math.floor(b / 512);
    const s = this.r.range(lo, hi - 1);
    return { start: s * 512, end: Math.min(hi, s + this.r.range(1, maxPb)) * 512 };
  }
  target(): { kind: 'name'; name: string } | { kind: 'pfn'; pfn: number } {
    if (this.live.length && this.r.chance(0.8)) return { kind: 'name', name: this.r.pick(this.live) };
    if (this.freed.length && this.r.chance(0.3)) return { kind: 'name', name: this.r.pick(this.freed) }; // use after free: an error, never a crash
    return { kind: 'pfn', pfn: this.pfn() };
  }

  /** none, one or two modifiers (dirty+writeback, unevictable+active, … ; invalid pairs are errors, never crashes) */
  mods(p: number): (typeof MODIFIERS)[number][] {
    const r = this.r;
    if (!r.chance(p)) return [];
    const a = r.pick(MODIFIERS);
    if (!r.chance(0.3)) return [a];
    const b = r.pick(MODIFIERS);
    return b === a ? [a] : [a, b];
  }

  sysctl(): Operation { return sysctlOp(this.r); }

  op(): Operation {
    const r = this.r;
    const total = OP_NAMES.reduce((s, n) => s + (this.weights[n] ?? 1), 0);
    let x = r.next() * total;
    let name: FuzzOp = 'alloc';
    for (const n of OP_NAMES) { x -= this.weights[n] ?? 1; if (x < 0) { name = n; break; } }
    switch (name) {
      case 'page': {
        const s = this.pfn();
        return { op: 'page', start: s, end: s + r.range(1, this.pressure ? 512 : 64), kind: r.pick(['anon', 'file', 'slab', 'kernel', 'movable_ops', 'pagetable', 'pcp'] as const), modifiers: this.mods(0.4), cpu: r.int(2) };
      }
      case 'folio': { const order = r.pick([0, 2, 4, 9]); return { op: 'folio', pfn: this.aligned(order), order, kind: r.pick(['anon', 'file', 'thp'] as const), modifiers: this.mods(0.3) }; }
      // now and then memory pressure: a zone mostly full, so allocations go through reclaim and compaction
      case 'fill':
        if (this.pressure) {
          // large fills packed and of one kind (few runs: the per-step checker stays cheap; `movable` picks file or
          // anon per unit, so a large one is tens of thousands of runs), small ones scattered (fragmentation)
          const big = r.chance(0.5);
          return { op: 'fill', zone: r.pick(ZONES), percent: big ? r.range(60, 99) : r.range(1, 8), cls: big ? r.pick(['file', 'file', 'anon', 'slab', 'unmovable'] as const) : r.pick(['file', 'anon', 'movable', 'slab'] as const), order: r.pick([0, 0, 2, 9]), packed: big || r.chance(0.3) };
        }
        return { op: 'fill', zone: r.pick(ZONES), percent: r.chance(0.15) ? r.range(60, 95) : r.range(1, 15), cls: r.pick(['movable', 'anon', 'file', 'slab', 'unmovable', 'pagetable'] as const), order: r.pick([0, 0, 2, 9]), packed: r.chance(0.5) };
      case 'pageblock': return { op: 'pageblock', pfn: this.aligned(9), migratetype: r.pick(['unmovable', 'movable', 'reclaimable', 'highatomic'] as const) };
      case 'alloc': return { op: 'alloc', order: r.pick([0, 0, 0, 1, 2, 3, 4, 9, 10]), migratetype: r.pick(['movable', 'unmovable', 'reclaimable'] as const), gfp: r.pick([[], [], ['GFP_ATOMIC'], ['GFP_KERNEL'], ['GFP_HIGHUSER_MOVABLE'], ['GFP_NOFS'], ['GFP_NOIO'], ['GFP_KERNEL', '__GFP_NORETRY'], ['GFP_KERNEL', '__GFP_RETRY_MAYFAIL'], ['GFP_NOWAIT']]), zone: r.chance(0.2) ? r.pick(ZONES) : null, count: r.range(1, 16) };
      case 'free': return { op: 'free', target: this.target(), order: null };
      case 'pin': return { op: 'pin', target: this.target(), longterm: r.chance(0.5) };
      case 'unpin': return { op: 'unpin', target: this.target() };
      case 'slab_grow': return { op: 'slab_grow', zone: r.pick(ZONES), pages: r.range(1, 64), reclaimable: r.chance(0.5) };
      case 'slab_shrink': return { op: 'slab_shrink', zone: r.pick(ZONES), percent: r.range(1, 100) };
      case 'drain': return { op: 'drain', cpu: r.pick([null, 0, 1]), zone: r.chance(0.3) ? r.pick(ZONES) : null };
      case 'isolate': return { op: 'isolate', ...this.pbRange(4), mode: r.pick(['other', 'cma'] as const) };
      case 'unisolate': return { op: 'unisolate', ...(r.chance(0.5) ? this.pbRange(8) : { start: 0x1000, end: 0xb0000 }) };
      case 'alloc_contig_range': {
        const s = r.chance(0.3) ? this.aligned(9) : this.pfn();
        return { op: 'alloc_contig_range', start: s, end: s + r.range(1, 2048), cma: r.chance(0.2), gfp: r.chance(0.1) ? ['GFP_KERNEL', '__GFP_COMP'] : [] };
      }
      case 'alloc_contig_pages': return { op: 'alloc_contig_pages', pages: r.pick([1, 16, 512, 1024, 4096]), nid: r.chance(0.3) ? r.int(2) : null, zone: r.chance(0.3) ? r.pick(ZONES.slice(0, 3)) : null };
      case 'cma_alloc': return { op: 'cma_alloc', area: 'cma0', pages: r.range(1, 2048), align: r.pick([0, 0, 4, 9]) };
      case 'cma_release': return { op: 'cma_release', target: this.target() };
      case 'online': return { op: 'online', block: r.pick(HOTPLUG_BLOCKS), type: r.pick(['online', 'online_kernel', 'online_movable'] as const) };
      case 'offline': return { op: 'offline', block: r.pick([...HOTPLUG_BLOCKS, 4, 7, 13, 20]) };
      case 'add_memory': return { op: 'add_memory', start: r.pick([0x80000, 0x88000]), end: r.pick([0x88000, 0x90000]), nid: 1 };
      case 'remove_memory': return { op: 'remove_memory', start: r.pick([0x80000, 0x88000, 0x40000]), end: r.pick([0x88000, 0x90000, 0x48000]) };
      case 'hugetlb_resize': return { op: 'hugetlb_resize', pages: 512, count: r.range(0, 12), nid: r.pick([null, 0, 1]) };
      case 'compact': return { op: 'compact', zone: r.pick(ZONES), order: r.pick([-1, 0, 3, 9, 10]) };
      case 'migrate': return { op: 'migrate', target: this.target(), nid: r.pick([null, 0, 1]) };
      case 'report': return { op: 'report' };
      case 'kswapd': return { op: 'kswapd', nid: r.int(2) };
      case 'kcompactd': return { op: 'kcompactd', nid: r.int(2) };
      case 'sysctl': return this.sysctl();
      case 'hugetlb_overcommit': return { op: 'hugetlb_overcommit', pages: 512, count: r.range(0, 8) };
      case 'hugetlb_alloc': return { op: 'hugetlb_alloc', pages: 512, count: r.range(1, 6) };
      case 'virtio_mem': return { op: 'virtio_mem', device: 'vmem0', action: r.chance(0.6) ? 'plug' : 'unplug', pages: 512 * r.range(1, 16) };
    }
  }
}

/** the vm sysctls the simulator reads, in their ranges (now and then out of range: an error, never a crash) */
function sysctlOp(r: Prng): Operation {
  const name = r.pick(['compaction_proactiveness', 'watermark_scale_factor', 'min_free_kbytes', 'extfrag_threshold', 'swappiness', 'lowmem_reserve_ratio'] as const);
  const v = (): number => {
    switch (name) {
      case 'compaction_proactiveness': return r.range(0, 100);
      case 'watermark_scale_factor': return r.pick([1, 10, 100, 1000, 3000]);
      case 'min_free_kbytes': return r.pick([0, 1024, 4096, 16384, 65536]);
      case 'extfrag_threshold': return r.range(0, 1000);
      case 'swappiness': return r.pick([0, 1, 60, 100, 200]);
      case 'lowmem_reserve_ratio': return r.pick([0, 1, 32, 256]);
    }
  };
  const values = name === 'lowmem_reserve_ratio' ? Array.from({ length: r.range(1, 4) }, v) : [r.chance(0.05) ? -1 : v()];
  return { op: 'sysctl', name, values };
}

/** the op as the language writes it (for reproductions; close to .mmscn, exact as JSON) */
function opText(o: Operation, name: string): string {
  return `${JSON.stringify(o)} as ${name}`;
}

/** One random scenario: returns the first failure, or null. */
export function fuzzOne(o: FuzzOptions): FuzzFailure | null {
  const r = new Prng(o.seed);
  const kernel = o.kernel ?? r.pick(KERNEL_PRESETS);
  const base = analyze(`kernel ${kernel}\nseed ${o.seed}\n${machineText(o.swap)}`);
  const errs = base.diagnostics.filter((d) => d.severity === 'error');
  if (!base.scenario || errs.length) throw new Error(`fuzz machine does not parse: ${errs.map((d) => d.message).join('; ')}`);
  const scenario: Scenario = { ...base.scenario, steps: [] };
  const run = new ScenarioRun(scenario, null, { checkInvariants: true, timeTravel: false });
  const g = new Gen(r, o.weights ?? {}, o.pressure);
  const lines: string[] = [];
  for (let i = 0; i < o.steps; i++) {
    const name = `o${i}`;
    const op = g.op();
    const cpu = r.int(2);
    const step: Step = { kind: 'op', op, name, cpu, loc: L(i + 1) };
    scenario.steps.push(step);
    lines.push(`${opText(op, name)} cpu ${cpu}`);
    const nOps = run.ops.length;
    const nInv = run.invariants.length;
    run.step();
    const res = run.ops[nOps]?.result;
    const fail = (message: string): FuzzFailure => ({ seed: o.seed, kernel, step: i, message, repro: `kernel ${kernel}\nseed ${o.seed}\n${machineText(o.swap)}${lines.join('\n')}\n` });
    if (!res) return fail(run.internal ? `${op.op}: internal simulator error: ${run.internal.message}` : 'the step recorded no operation');
    if (res.reason?.startsWith('internal simulator error')) return fail(`${op.op}: ${res.reason}`);
    if (run.invariants.length > nInv) return fail(`after ${op.op}: ${run.invariants.slice(nInv, nInv + 5).map((v) => v.message).join('; ')}`);
    o.onStep?.(op, res, run.machine);
    // bookkeeping of labels: what owns pages, what was freed
    if (res.ok && res.allocated.length && OWNING_OPS.includes(op.op)) g.live.push(name);
    if (res.ok && (op.op === 'free' || op.op === 'cma_release') && op.target.kind === 'name') {
      const k = g.live.indexOf(op.target.name);
      if (k >= 0) { g.live.splice(k, 1); g.freed.push(op.target.name); }
    }
  }
  return null;
}

/** The bench's op mix (bench/sim.ts) as weights: alloc 40, free 30, drain 5, acr 10, cma_alloc 3, isolate 5, unisolate 3, hugetlb 2, slab 2. */
export const BENCH_MIX: Partial<Record<FuzzOp, number>> = Object.fromEntries(OP_NAMES.map((n) => [n, 0])) as Partial<Record<FuzzOp, number>>;
Object.assign(BENCH_MIX, { alloc: 40, free: 30, drain: 5, alloc_contig_range: 10, cma_alloc: 3, isolate: 5, unisolate: 3, hugetlb_resize: 2, slab_grow: 2 });

/**
 * Memory pressure (issue 7): populations of every reclaimable state (file clean/dirty/writeback, anon, mlocked,
 * reclaimable slab), fills to pressure, allocations through the slow path at costly and non-costly orders, kswapd,
 * kcompactd, compaction, vm sysctls, hugetlb growth/overcommit/surplus, alloc_contig_range over page cache, frees.
 */
export const PRESSURE_MIX: Partial<Record<FuzzOp, number>> = Object.fromEntries(OP_NAMES.map((n) => [n, 0])) as Partial<Record<FuzzOp, number>>;
Object.assign(PRESSURE_MIX, {
  page: 10, folio: 6, fill: 8, alloc: 30, free: 20, slab_grow: 3, slab_shrink: 2, drain: 2, alloc_contig_range: 6,
  alloc_contig_pages: 2, pin: 2, unpin: 1, migrate: 2, compact: 4, kswapd: 6, kcompactd: 4, sysctl: 4,
  hugetlb_resize: 4, hugetlb_overcommit: 3, hugetlb_alloc: 4, isolate: 1, unisolate: 1,
});

export { OP_NAMES, hex };

/** A whole random scenario (the same generator; labels follow the results of a straight run while it is built). */
export function fuzzScenario(o: FuzzOptions): Scenario {
  const r = new Prng(o.seed);
  const kernel = o.kernel ?? r.pick(KERNEL_PRESETS);
  const base = analyze(`kernel ${kernel}\nseed ${o.seed}\n${machineText(o.swap)}`);
  if (!base.scenario) throw new Error('fuzz machine does not parse');
  const scenario: Scenario = { ...base.scenario, steps: [] };
  const run = new ScenarioRun(scenario, null, { timeTravel: false });
  const g = new Gen(r, o.weights ?? {}, o.pressure);
  for (let i = 0; i < o.steps; i++) {
    const name = `o${i}`;
    const op = g.op();
    scenario.steps.push({ kind: 'op', op, name, cpu: r.int(2), loc: L(i + 1) });
    const nOps = run.ops.length;
    run.step();
    const res = run.ops[nOps]?.result;
    if (!res || run.internal) break;
    if (res.ok && res.allocated.length && OWNING_OPS.includes(op.op)) g.live.push(name);
    if (res.ok && (op.op === 'free' || op.op === 'cma_release') && op.target.kind === 'name') {
      const k = g.live.indexOf(op.target.name);
      if (k >= 0) { g.live.splice(k, 1); g.freed.push(op.target.name); }
    }
  }
  return scenario;
}
