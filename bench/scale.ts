// Benchmark: operations whose cost could grow with pages, on big and high machines.
// Run: npx tsx bench/scale.ts   (prints time and memory; figures are recorded in docs/performance.md)
//  1. boot a free 1 TiB zone, one `report` pass (page_reporting_process over 262,144 order-10 blocks)
//  2. a 1 TiB machine with 16 GiB memory blocks: `offline` + `online` of one 16 GiB block
//  3. the same layout placed above pfn 2^32 (16 TiB physical): boot and report
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

time('report 1 TiB', 'machine { node 0 { zone Normal 0x0+1T } }\nreport\nreport\n');
time('offline 16 GiB block', 'machine {\n  memory_block_size 16G\n  node 0 { zone Normal 0x0+1T }\n}\noffline block 40\nonline block 40\n');
time('report 1 TiB above 2^32', 'machine { node 0 { zone Normal 0x100000000+1T } }\nreport\n');
