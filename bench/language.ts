// Language service benchmark: analyze / complete / hover / format on scenarios of growing size.
// Run: npx tsx bench/language.ts   (figures go into docs/performance.md by hand)
import { analyze, complete, hover, format } from '../src/language/index.js';
import { languageScenario } from './lib/gen.js';
import { clearAnalysisCache } from '../src/language/analyze.js';

const scenario = languageScenario;

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
    time(() => { clearAnalysisCache(); analyze(text + `# ${unique++}\n`); }).toFixed(0) + ' ms',
    time(() => complete(text + 'alloc order 0 ', lines, 15)).toFixed(0) + ' ms',
    time(() => hover(text, mid, 22)).toFixed(0) + ' ms',
    time(() => { clearAnalysisCache(); format(text); }).toFixed(0) + ' ms',
  ];
  console.log('| ' + row.join(' | ') + ' |');
}
