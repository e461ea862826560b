// Memory of a long offline/online loop: heap after N `offline block` / `online block` pairs, stepped through
// a ScenarioRun as the CLI and the debugger do. Each pair used to keep ~100 events per operation forever
// (13 KiB per loop with 128 MiB blocks, MiBs with large blocks); the runner now keeps full traces only for its
// latest operations (FULL_TRACE_OPS). Run: node --expose-gc --import tsx bench/hotplug-loop.ts [loops] [blockSize]
import { analyze } from '../src/language/index.js';
import { ScenarioRun } from '../src/sim/runner.js';

const loops = Number(process.argv[2] ?? 5000);
const blockSize = process.argv[3] ?? '2G';
const text = `machine {
  memory_block_size ${blockSize}
  cpus 4
  node 0 {
    zone DMA    0x1..0x1000
    zone DMA32  0x1000..0x100000
    hotplug 0x100000..0x300000 offline
  }
}
online block 2 online_movable
online block 3 online_movable
${'offline block 2\nonline block 2 online_movable\n'.repeat(loops)}`;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.log('(run with node --expose-gc for heap figures)');
const heap = () => { gc?.(); return process.memoryUsage().heapUsed / 2 ** 20; };
const { scenario, diagnostics } = analyze(text);
if (!scenario) throw new Error(diagnostics.map((d) => `${d.loc.line}: ${d.message}`).join('\n'));
const run = new ScenarioRun(scenario, null, { timeTravel: false });
const start = heap();
const t0 = performance.now();
const every = Math.max(1, Math.floor(scenario.steps.length / 5));
for (let i = 0; !run.done; i++) {
  run.step();
  if (i % every === every - 1) console.log(`after ${i + 1} steps: heap +${(heap() - start).toFixed(1)} MiB`);
}
const ms = performance.now() - t0;
const events = run.ops.reduce((n, o) => n + o.result.events.length, 0);
console.log(`${loops} loops (${blockSize} blocks): ${ms.toFixed(0)} ms, ${(ms / loops).toFixed(2)} ms/loop, heap +${(heap() - start).toFixed(1)} MiB, ${events} events kept`);
