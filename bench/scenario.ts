// End-to-end benchmark: a 10,000-operation scenario on a 256 GiB machine, through the language and the
// runner as `mmscn run` does. Run: npx tsx bench/scenario.ts
import { analyze } from '../src/language/index.js';
import { runScenario } from '../src/sim/runner.js';

let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)]!;
const hex = (n: number) => '0x' + n.toString(16);

const lines = [
  'kernel 6.12', 'seed 3', 'machine {', '  cpus 8', '  memory_block_size 2G', '  node 0 {',
  '    zone DMA 0x1..0x1000', '    zone DMA32 0x1000..0x100000', '    zone Normal 0x100000..0x4000000', '  }', '}',
  'fill Normal 40% movable', 'fill Normal 2% slab',
];
const live: string[] = [];
for (let n = 0; n < 10000; n++) {
  const k = rand();
  if (k < 0.4) {
    lines.push(`alloc order ${pick([0, 0, 0, 1, 2, 3, 9, 10])} ${pick(['movable', 'unmovable', 'reclaimable'])} as a${n}`);
    live.push(`a${n}`);
  } else if (k < 0.7 && live.length) lines.push(`free ${live.splice(Math.floor(rand() * live.length), 1)[0]}`);
  else if (k < 0.8) {
    const p = 0x100000 + Math.floor(rand() * (0x3f00000 / 0x400)) * 0x400;
    lines.push(`alloc_contig_range ${hex(p)}..${hex(p + 0x400)}`);
  } else if (k < 0.9) lines.push('drain');
  else {
    const p = 0x100000 + Math.floor(rand() * (0x3f00000 / 0x200)) * 0x200;
    lines.push(`isolate ${hex(p)}..${hex(p + 0x200)}`, `unisolate ${hex(p)}..${hex(p + 0x200)}`);
    n++;
  }
}
lines.push('expect Normal.nr_isolate_pageblock == 0');
const text = lines.join('\n') + '\n';

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
