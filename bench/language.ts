// Language service benchmark: analyze / complete / hover / format on scenarios of growing size.
// Run: npx tsx bench/language.ts   (figures go into docs/performance.md by hand)
import { analyze, complete, hover, format } from '../src/language/index.js';

const header = `kernel 6.12
machine {
  cpus 4
  node 0 {
    zone DMA32  0x1000..0x100000
    zone Normal 0x100000..0x4000000
  }
}
`;

function scenario(ops: number): string {
  const lines = [header];
  for (let i = 0; i < ops; i++) {
    const pfn = 0x100000 + ((i * 0x200) % 0x3f00000);
    switch (i % 5) {
      case 0: lines.push(`alloc order ${i % 11} movable as a${i}`); break;
      case 1: lines.push(`page 0x${(pfn + 0x10).toString(16)} slab`); break;
      case 2: lines.push(`alloc_contig_range 0x${pfn.toString(16)}..0x${(pfn + 0x200).toString(16)} as r${i}`); break;
      case 3: lines.push(`expect r${i - 1} -EBUSY at 0x${(pfn - 0x200 + 0x10).toString(16)}`); break;
      case 4: lines.push(`free a${i - 4} cpu ${i % 4}`); break;
    }
  }
  return lines.join('\n') + '\n';
}

function time(f: () => unknown, reps = 3): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

// analyze: cold (a text never seen); complete/hover: after diagnostics analysed the same text, as in the
// editor; format parses on its own.
let unique = 0;
console.log('| operations | lines | KiB | analyze (cold) | complete at end (warm) | hover in the middle (warm) | format |');
console.log('|---|---|---|---|---|---|---|');
for (const n of [1000, 10000, 50000]) {
  const text = scenario(n);
  const lines = text.split('\n').length;
  const mid = Math.floor(lines / 2);
  const row = [
    n,
    lines,
    (text.length / 1024).toFixed(0),
    time(() => analyze(text + `# ${unique++}\n`)).toFixed(0) + ' ms',
    time(() => complete(text + 'alloc order 0 ', lines, 15)).toFixed(0) + ' ms',
    time(() => hover(text, mid, 22)).toFixed(0) + ' ms',
    time(() => format(text)).toFixed(0) + ' ms',
  ];
  console.log('| ' + row.join(' | ') + ' |');
}
