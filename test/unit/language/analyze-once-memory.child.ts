// Child of analyze-once.test.ts ("heap"): analyzeOnce of an import-like text of argv[2] lines, run under a small
// --max-old-space-size; prints what the scenario keeps (bytes of heap a line, after a full gc) as one JSON line.
import { analyzeOnce } from '../../../src/language/index.js';
import { importLikeScenario } from '../../../bench/lib/gen.js';

const lines = Number(process.argv[2]);
const gc = (globalThis as { gc?: () => void }).gc!;
const text = importLikeScenario(lines);
gc();
const before = process.memoryUsage().heapUsed;
const a = analyzeOnce(text);
gc();
const kept = process.memoryUsage().heapUsed - before;
process.stdout.write(JSON.stringify({ steps: a.partial.steps.length, errors: a.diagnostics.length, keptPerLine: Math.round(kept / lines) }) + '\n');
