// Language service benchmark: analyze / complete / hover / format on scenarios of growing size.
// Run: npx tsx bench/language.ts   (figures go into docs/performance.md by hand)
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyze, analyzeOnce, complete, hover, format } from '../src/language/index.js';
import { importLikeScenario, languageScenario } from './lib/gen.js';
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

// analyzeOnce (the import's check, verify's prediction) of an imported machine's text: the heap it keeps a line (the
// scenario; the text's tokens and syntax tree are dropped chunk by chunk), against analyze()'s (tokens, tree, scenario).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function kept(f: () => unknown): { ms: number; bytes: number } {
  gc();
  const h0 = process.memoryUsage().heapUsed;
  const t = performance.now();
  const keep = f();
  const ms = performance.now() - t;
  gc();
  const bytes = process.memoryUsage().heapUsed - h0;
  if (!keep) throw new Error('nothing analyzed');
  return { ms, bytes };
}
clearAnalysisCache(); // the analyses of the table above are not counted below
console.log('');
console.log('| import-like lines | KiB | analyzeOnce | kept a line | analyze (editor) | kept a line |');
console.log('|---|---|---|---|---|---|');
for (const n of [100000]) {
  const text = importLikeScenario(n);
  const lines = text.split('\n').length;
  const once = kept(() => analyzeOnce(text));
  const full = kept(() => analyze(text));
  clearAnalysisCache();
  console.log(`| ${lines} | ${(text.length / 1024).toFixed(0)} | ${once.ms.toFixed(0)} ms | ${(once.bytes / lines).toFixed(0)} B | ${full.ms.toFixed(0)} ms | ${(full.bytes / lines).toFixed(0)} B |`);
}
