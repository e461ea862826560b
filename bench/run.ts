// `npm run bench`: every figure of docs/performance.md's targets table, each in its own process
// (bench/figures.ts NAME), one JSON line per figure on stdout: {name, value, unit, target, ok, note?}.
// Human-readable detail (the figures' own lines, then the older scripts bench/sim.ts, scenario.ts,
// language.ts, scale.ts) goes to stderr. A figure that misses its target prints ok:false; a figure
// that crashes prints ok:false with the error, and the exit code is then 1. MMSCN_BENCH_QUICK=1 skips the
// older scripts; MMSCN_BENCH_QEMU=1 boots the oracle case under qemu instead of reading its recorded timing.
// The figures run the code as it ships: bench/figures.ts is bundled first with the CLI's esbuild options
// (esbuild.mjs) into dist/bench/figures.js. Run through tsx instead, the order-0 pcp cycle ran 3-4x slower: tsx
// compiles with esbuild's keepNames, which wraps every closure a function creates in a __name() call (an
// Object.defineProperty per call), and the product's bundles are built without it.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error esbuild.mjs is the build script (plain JavaScript, no declarations)
import { optionsFor } from '../esbuild.mjs';

const NAMES = ['keystroke-10k', 'keystroke-50k', 'format-50k', 'step-back-256G', 'boot-fill-4T', 'order0-ops', 'contig-1G', 'time-to-answer', 'map-frame-4T', 'explore-3cpu', 'pressure-256G'];
const root = resolve(__dirname, '..');
const tsx = resolve(root, 'node_modules/.bin/tsx');
let crashed = 0;
const t0 = performance.now();
const figures = resolve(root, 'dist/bench/figures.js');

async function main(): Promise<void> {
  await build({
    ...optionsFor('dist/cli.js'), entryPoints: [resolve(root, 'bench/figures.ts')], outfile: figures, banner: {}, logLevel: 'warning',
  });
  for (const name of process.argv.slice(2).length ? process.argv.slice(2) : NAMES) {
    const r = spawnSync(process.execPath, ['--expose-gc', figures, name], {
      cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20,
    });
    const lines = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('{'));
    for (const l of lines) process.stdout.write(l + '\n');
    if (r.status !== 0 || !lines.length) {
      crashed++;
      process.stdout.write(JSON.stringify({ name, value: null, unit: '', target: '', ok: false, note: `the figure crashed (exit ${r.status ?? r.signal})` }) + '\n');
    }
  }
  process.stderr.write(`figures: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

  if (process.env.MMSCN_BENCH_QUICK !== '1' && process.argv.length <= 2) {
    for (const script of ['sim', 'scenario', 'language', 'scale']) {
      process.stderr.write(`\n== bench/${script}.ts\n`);
      const r = spawnSync(tsx, [resolve(root, `bench/${script}.ts`)], { cwd: root, stdio: ['ignore', 2, 2] });
      if (r.status !== 0) { crashed++; process.stderr.write(`bench/${script}.ts exited ${r.status ?? r.signal}\n`); }
    }
    process.stderr.write(`total: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  process.exitCode = crashed ? 1 : 0;
}

void main();
