// The figure `pressure-256G` (issue 7): the 256 GiB machine of bench/sim.ts filled 95% with page cache (part of it
// dirty, part under writeback), then 10,000 mixed allocations and frees, most of which leave the fast path and
// reclaim; the invariant checker at the end. Shared by bench/figures.ts and `npx tsx bench/pressure.ts` (detail).
import { Machine } from '../src/sim/machine.js';
import { resolvePolicies } from '../src/sim/policies.js';
import type { Operation } from '../src/sim/scenario.js';
import { G, labelledRunner, spec256G } from './lib/gen.js';

export interface PressureRun {
  /** ms for boot + fills, and for the 10,000 operations */
  setupMs: number;
  opsMs: number;
  /** CPU time of the operations (the machine may be shared: wall clock varies 2-3x with load) */
  opsCpuMs: number;
  ops: number;
  counts: Record<string, number>;
  fails: Record<string, number>;
  /** operations whose allocation went through direct reclaim, and the pages reclaimed */
  reclaimOps: number;
  reclaimedPages: number;
  invariantMs: number;
  violations: string[];
}

export function pressure256G(nOps = 10000, log: (s: string) => void = () => {}): PressureRun {
  const t0 = performance.now();
  const m = new Machine(spec256G(), resolvePolicies('latest'), 1);
  const run = labelledRunner(m);
  const N = { nid: 0, zone: 'Normal' as const };
  const lo = 0x100000;
  // 1 GiB dirty and 1 GiB under writeback page cache (reclaim keeps them), then clean page cache up to 95%
  const setup = (op: Operation, label: string): void => { const r = run(op, 0, label); if (!r.ok) throw new Error(`${label}: ${r.reason}`); };
  setup({ op: 'page', start: lo + 10 * G, end: lo + 11 * G, kind: 'file', modifiers: ['dirty'] }, 'dirty');
  setup({ op: 'page', start: lo + 100 * G, end: lo + 101 * G, kind: 'file', modifiers: ['writeback'] }, 'wb');
  setup({ op: 'fill', zone: N, percent: 94, cls: 'file', order: 0, packed: false }, 'cache');
  const setupMs = performance.now() - t0;
  log(`pressure-256G: boot + fill 95% page cache ${setupMs.toFixed(0)} ms; extents ${m.c.ext.size}, free blocks ${m.c.free.size}`);

  let s = 4242;
  const rnd = (n: number): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
  const live: string[] = [];
  const counts: Record<string, number> = {};
  const fails: Record<string, number> = {};
  let reclaimOps = 0, reclaimedPages = 0;
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < nOps; i++) {
    const k = rnd(100);
    let op: Operation;
    if (k < 65 || !live.length) {
      // mostly order 0 (page cache, anon, slab), some pcp orders, few costly ones
      const order = [0, 0, 0, 0, 0, 0, 1, 2, 3, 9][rnd(10)];
      const mt = (['movable', 'unmovable', 'reclaimable'] as const)[rnd(3)];
      op = { op: 'alloc', order, migratetype: mt, gfp: order === 9 ? ['GFP_TRANSHUGE'] : [], zone: null, count: 1 + rnd(64) };
    } else {
      const j = rnd(live.length);
      op = { op: 'free', target: { kind: 'name', name: live[j]! }, order: null };
      live.splice(j, 1);
    }
    const label = 'o' + i;
    const r = run(op, rnd(8), label);
    counts[op.op] = (counts[op.op] ?? 0) + 1;
    if (!r.ok) fails[op.op] = (fails[op.op] ?? 0) + 1;
    if (r.slowpath?.reclaimRuns) {
      reclaimOps++;
      const x = r.slowpath.reclaimed;
      reclaimedPages += x.inactive_anon + x.active_anon + x.inactive_file + x.active_file + x.slab;
    }
    if (r.ok && r.allocated.length && op.op === 'alloc') live.push(label);
  }
  const opsMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const opsCpuMs = (cpu.user + cpu.system) / 1000;
  log(`pressure-256G: ${nOps} operations in ${opsMs.toFixed(0)} ms (cpu ${opsCpuMs.toFixed(0)} ms); ${reclaimOps} went through direct reclaim (${reclaimedPages} pages reclaimed); ops ${JSON.stringify(counts)} failed ${JSON.stringify(fails)}`);
  const ti = performance.now();
  const violations = m.checkInvariants();
  const invariantMs = performance.now() - ti;
  log(`pressure-256G: checkInvariants ${invariantMs.toFixed(0)} ms, ${violations.length} violations${violations.length ? ': ' + violations.slice(0, 3).join('; ') : ''}`);
  return { setupMs, opsMs, opsCpuMs, ops: nOps, counts, fails, reclaimOps, reclaimedPages, invariantMs, violations };
}

// run as a script only: inside bench/figures.ts's bundle every module is the main module
if (require.main === module && /pressure\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) pressure256G(Number(process.argv[2] ?? 10000), (s) => console.log(s));
