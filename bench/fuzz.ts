// Long fuzzing run: thousands of seeded random scenarios over every operation (test/fuzz/scenario-gen.ts),
// checkInvariants (incl. page conservation) after every step, no "internal simulator error".
// Run: npx tsx bench/fuzz.ts [scenarios=2000] [steps=60] [first seed=1] [mix=all|bench] [max seconds]
// Prints one line per distinct failure (message with numbers blanked) with the seeds that hit it, and the
// reproduction of the first one. Exit code 1 when anything failed. With a time budget it stops after the
// scenario that crosses it and reports what ran; a new kind of failure is printed as soon as it is found.
import { fuzzOne, BENCH_MIX, type FuzzFailure } from '../test/fuzz/scenario-gen.js';

const n = Number(process.argv[2] ?? 2000);
const steps = Number(process.argv[3] ?? 60);
const first = Number(process.argv[4] ?? 1);
const mix = process.argv[5] === 'bench' ? BENCH_MIX : undefined;
const budgetMs = process.argv[6] ? Number(process.argv[6]) * 1000 : Infinity;
const kinds = new Map<string, FuzzFailure[]>();
const t0 = performance.now();
let ran = 0;
for (let seed = first; seed < first + n && performance.now() - t0 < budgetMs; seed++) {
  const f = fuzzOne({ seed, steps, weights: mix });
  ran++;
  if (f) {
    const k = f.message.replace(/0x[0-9a-f]+/g, 'X').replace(/\d+/g, 'N').slice(0, 200);
    if (!kinds.has(k)) {
      kinds.set(k, []);
      console.log(`new failure, seed ${f.seed} (${f.kernel}), step ${f.step}: ${f.message}\n${f.repro}`);
    }
    kinds.get(k)!.push(f);
  }
  if (ran % 100 === 0) console.log(`${ran}/${n} scenarios, ${[...kinds.values()].reduce((s, v) => s + v.length, 0)} failing, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(`${ran} scenarios (seeds ${first}–${first + ran - 1}) × ${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${kinds.size} distinct failures`);
for (const [k, fs] of kinds) console.log(`${fs.length}× [seeds ${fs.slice(0, 8).map((f) => f.seed).join(', ')}] ${k}`);
const one = [...kinds.values()][0]?.[0];
if (one) console.log(`\nfirst failure, seed ${one.seed} (${one.kernel}), step ${one.step}:\n${one.message}\n${one.repro}`);
process.exitCode = kinds.size ? 1 : 0;
