// Benchmark: a 256 GiB machine boots, is filled, and runs 10,000 mixed operations.
// Run: npx tsx bench/sim.ts   (prints time and memory; figures are recorded in docs/performance.md)
import { Machine, type OpContext } from '../src/sim/machine.js';
import { resolvePolicies } from '../src/sim/policies.js';
import type { Operation, Target } from '../src/sim/scenario.js';
import { G, spec256G } from './lib/gen.js';
import type { OpResult } from '../src/sim/api.js';
import { buddyinfo, pagetypeinfo } from '../src/sim/proc.js';

const spec = spec256G();

const mem = (): string => {
  const u = process.memoryUsage();
  return `rss ${(u.rss / 2 ** 20).toFixed(0)} MiB, heap ${(u.heapUsed / 2 ** 20).toFixed(0)} MiB`;
};
const t0 = performance.now();
const m = new Machine(spec, resolvePolicies('latest'), 1);
const tBoot = performance.now() - t0;
console.log(`boot 256 GiB: ${tBoot.toFixed(0)} ms; ${mem()}`);

const labels = new Map<string, OpResult>();
function run(op: Operation, cpu: number, label: string): OpResult {
  const ctx: OpContext = { cpu, label, resolve: (t: Target) => (t.kind === 'pfn' ? [{ pfn: t.pfn, pages: 0 }] : labels.get(t.name)?.allocated ?? []) };
  const g = m.run(op, ctx);
  for (;;) { const r = g.next(); if (r.done) { labels.set(label, r.value); return r.value; } }
}
const N = { nid: 0, zone: 'Normal' as const };
let t = performance.now();
run({ op: 'fill', zone: N, percent: 40, cls: 'movable', order: 0, packed: false }, 0, 'fill1');
run({ op: 'fill', zone: N, percent: 2, cls: 'slab', order: 0, packed: false }, 0, 'fill2');
run({ op: 'fill', zone: N, percent: 5, cls: 'anon', order: 9, packed: false }, 0, 'fill3');
console.log(`fills (47% of Normal): ${(performance.now() - t).toFixed(0)} ms; extents ${m.c.ext.size}, free blocks ${m.c.free.size}; ${mem()}`);

// seeded op mix
let s = 12345;
const rnd = (n: number): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
const live: string[] = [];
const counts: Record<string, number> = {};
const fails: Record<string, number> = {};
const lo = 0x100000, hi = 0x100000 + 252 * G;
t = performance.now();
for (let i = 0; i < 10000; i++) {
  const k = rnd(100);
  let op: Operation;
  if (k < 40) op = { op: 'alloc', order: [0, 0, 0, 1, 2, 3, 4, 9, 10][rnd(9)], migratetype: (['movable', 'unmovable', 'reclaimable'] as const)[rnd(3)], gfp: [], zone: null, count: 1 + rnd(16) };
  else if (k < 70 && live.length) { const j = rnd(live.length); op = { op: 'free', target: { kind: 'name', name: live[j] }, order: null }; live.splice(j, 1); }
  else if (k < 75) op = { op: 'drain', cpu: null, zone: null };
  else if (k < 85) { const p = lo + rnd((hi - lo) >> 10) * 1024; op = { op: 'alloc_contig_range', start: p, end: p + 1024, cma: false, gfp: [] }; }
  else if (k < 88) op = { op: 'cma_alloc', area: 'cma0', pages: 512 * (1 + rnd(4)), align: 9 };
  else if (k < 93) { const p = lo + rnd((hi - lo) >> 9) * 512; op = { op: 'isolate', start: p, end: p + 512, mode: 'other' }; }
  else if (k < 96) { op = { op: 'unisolate', start: lo, end: lo + 4 * G }; }
  else if (k < 98) op = { op: 'hugetlb_resize', pages: 512, count: 1000 + rnd(100), nid: null };
  else op = { op: 'slab_grow', zone: N, pages: 1 + rnd(64), reclaimable: rnd(2) === 0 };
  const label = 'o' + i;
  const r = run(op, rnd(8), label);
  counts[op.op] = (counts[op.op] ?? 0) + 1;
  if (!r.ok) fails[op.op] = (fails[op.op] ?? 0) + 1;
  if (r.ok && r.allocated.length && (op.op === 'alloc' || op.op === 'alloc_contig_range' || op.op === 'cma_alloc')) live.push(label);
}
const tOps = performance.now() - t;
console.log(`10,000 ops: ${tOps.toFixed(0)} ms (${(tOps / 10000).toFixed(3)} ms/op); ${mem()}`);
console.log('ops', JSON.stringify(counts), 'failed', JSON.stringify(fails));
t = performance.now();
const cl = m.clone();
console.log(`clone: ${(performance.now() - t).toFixed(0)} ms (extents ${m.c.ext.size}, free blocks ${m.c.free.size})`);
t = performance.now();
const inv = m.checkInvariants();
console.log(`checkInvariants: ${(performance.now() - t).toFixed(0)} ms, ${inv.length} violations${inv.length ? ': ' + inv.slice(0, 3).join('; ') : ''}`);
t = performance.now();
buddyinfo(m); pagetypeinfo(m); m.zones();
console.log(`proc renderers + zones(): ${(performance.now() - t).toFixed(0)} ms`);
void cl;
console.log(buddyinfo(m));
