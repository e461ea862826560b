// Benchmark: operations whose cost could grow with pages, on big and high machines.
// Run: npx tsx bench/scale.ts   (prints time and memory; figures are recorded in docs/performance.md)
//  1. boot a free 1 TiB zone, one `report` pass (page_reporting_process over 262,144 order-10 blocks)
//  2. a 1 TiB machine with 16 GiB memory blocks: `offline` + `online` of one 16 GiB block
//  3. the same layout placed above pfn 2^32 (16 TiB physical): boot and report
//  4. `report` with policy page_reporting = hinting on a free 1 TiB zone (one hinting cycle)
//  5. `compact` (full compaction, compact_memory) on free 8 GiB and 64 GiB zones, on 8 GiB zones full of
//     unmovable runs, and on 50%-fragmented 8 GiB / 64 GiB zones (`fill 50% movable`: scattered order-0 pages;
//     the cost there is the migrations themselves, one Migration record each; 64 GiB only as step 7)
//  6. isolate + unisolate of a 64 GiB range (free, then 50% filled), alloc_contig_range of 1 GiB and its free
// Pass step numbers to run only those (e.g. `npx tsx bench/scale.ts 4 5`).
import { analyze } from '../src/language/index.js';
import { ScenarioRun } from '../src/sim/runner.js';

const mem = (): string => {
  const u = process.memoryUsage();
  return `rss ${(u.rss / 2 ** 20).toFixed(0)} MiB, heap ${(u.heapUsed / 2 ** 20).toFixed(0)} MiB`;
};

function time(label: string, text: string): void {
  const { scenario, diagnostics } = analyze(text);
  const errs = diagnostics.filter((d) => d.severity === 'error');
  if (errs.length) throw new Error(errs.map((d) => d.message).join('\n'));
  let t = performance.now();
  const run = new ScenarioRun(scenario!, null, {});
  console.log(`${label}: boot ${(performance.now() - t).toFixed(0)} ms, ${run.machine.c.free.size} free blocks; ${mem()}`);
  while (!run.done) {
    const step = run.currentStep!;
    t = performance.now();
    run.step();
    const r = run.ops[run.ops.length - 1]!;
    console.log(`${label}: line ${step.loc.line} ${r.op} ${(performance.now() - t).toFixed(0)} ms (${r.result.ok ? 'ok' : r.result.errno}; ${r.result.reason ?? ''}); ${mem()}`);
  }
}

const only = process.argv.slice(2).map(Number);
const step = (n: number, f: () => void): void => { if (!only.length || only.includes(n)) f(); };
step(1, () => time('report 1 TiB', 'machine { node 0 { zone Normal 0x0+1T } }\nreport\nreport\n'));
step(2, () => time('offline 16 GiB block', 'machine {\n  memory_block_size 16G\n  node 0 { zone Normal 0x0+1T }\n}\noffline block 40\nonline block 40\n'));
step(3, () => time('report 1 TiB above 2^32', 'machine { node 0 { zone Normal 0x100000000+1T } }\nreport\n'));
step(4, () => time('hinting 1 TiB', 'policy page_reporting = hinting\nmachine { node 0 { zone Normal 0x0+1T } }\nreport\nreport\n'));
step(5, () => {
  time('compact free 8 GiB', 'machine { node 0 { zone Normal 0x0+8G } }\ncompact Normal\n');
  time('compact free 64 GiB', 'machine { node 0 { zone Normal 0x0+64G } }\ncompact Normal\n');
  time('compact 8 GiB 90% unmovable runs', 'machine { node 0 { zone Normal 0x0+8G } }\nfill Normal 90% unmovable order 0 packed\ncompact Normal\n');
  time('compact 8 GiB 50% fragmented', 'machine { node 0 { zone Normal 0x0+8G } }\nfill Normal 50% movable\ncompact Normal\n');
});
step(6, () => {
  time('isolate 64 GiB', 'machine { node 0 { zone Normal 0x0+64G } }\nisolate 0x100000..0x1000000 as i\nunisolate 0x100000..0x1000000\nfill Normal 50% movable\nisolate 0x100000..0x1000000 as j\nunisolate 0x100000..0x1000000\n');
  time('contig 1 GiB', 'machine { node 0 { zone Normal 0x0+64G } }\nalloc_contig_range 0x100000..0x140000 as a\nfree a\n');
});
// only when asked (`npx tsx bench/scale.ts 7`): 2.8 million migrations, about 30 s and 2.5 GiB
if (only.includes(7)) time('compact 64 GiB 50% fragmented', 'machine { node 0 { zone Normal 0x0+64G } }\nfill Normal 50% movable\ncompact Normal\n');
