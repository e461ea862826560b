// The `mmscn` binary as the CLI tests run it: the real bundle (dist/cli.js), built once per test process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(__dirname, '../../dist/cli.js');
const ROOT = join(__dirname, '../..');

let built = false;
/** Builds dist/ with esbuild.mjs unless this process already did (call from a suite's `before`). */
export function buildOnce(): void {
  if (built) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  built = true;
}

/** `mmscn ARGS…` within `ms` milliseconds: a hang is a failure (killed), not a stuck suite. */
export function mmscnWithin(ms: number, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: ms, killSignal: 'SIGKILL' });
  assert.equal(r.signal, null, `mmscn ${args.join(' ')} did not finish within ${ms / 1000} s`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export const mmscn = (...args: string[]) => mmscnWithin(60_000, ...args);
