// End-to-end benchmark: a 10,000-operation scenario on a 256 GiB machine, through the language and the
// runner as `mmscn run` does. Run: npx tsx bench/scenario.ts
import { analyze } from '../src/language/index.js';
import { runScenario } from '../src/sim/runner.js';
import { scenario256G } from './lib/gen.js';

const text = scenario256G(10000);
const lines = text.split('\n').slice(0, -1);

const t0 = performance.now();
const { scenario, diagnostics } = analyze(text);
const t1 = performance.now();
if (!scenario) throw new Error(diagnostics.map((d) => `${d.loc.line}: ${d.message}`).join('\n'));
const [o] = runScenario(scenario);
const t2 = performance.now();
const mem = process.memoryUsage();
console.log(`${lines.length} lines, ${o!.ops.length} operations (${o!.ops.filter((r) => !r.result.ok).length} failed), ` +
  `${o!.expectations.filter((e) => e.ok).length}/${o!.expectations.length} expectations hold`);
console.log(`analyze: ${(t1 - t0).toFixed(0)} ms; run: ${(t2 - t1).toFixed(0)} ms; rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
