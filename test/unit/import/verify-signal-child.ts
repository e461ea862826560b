// Child process of verify-signal.test.ts (not a test itself): `mmscn verify --live hugetlb 2M +2` against a fake
// machine whose file writes are appended to LOG, with this machine's real signal handling (liveMachine().onInterrupt).
// PHASE `capture`: the capture takes 5 s (the parent sends SIGTERM then); `grow`: the grow write takes 1.5 s (the
// parent sends SIGTERM after it is logged, i.e. between the grow and the shrink).
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSnapshot } from '../../../src/import/fs.js';
import { liveMachine, type MachineFiles } from '../../../src/import/live.js';
import { runVerify } from '../../../src/cli/verify.js';

const [log, phase] = process.argv.slice(2) as [string, string];
const MOVABLE = join(__dirname, '../../fixtures/proc-snapshot-movable');
const NR2M = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages';
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); // synchronous, as the import is
let pool = 3;
let t = 0;
const m: MachineFiles = {
  read: (p) => {
    if (p === NR2M) return `${pool}\n`;
    if (p === '/proc/vmstat') return 'pgmigrate_success 0\n';
    if (p === '/proc/buddyinfo') return readFileSync(join(MOVABLE, 'proc/buddyinfo'), 'utf8');
    throw new Error(`no file ${p}`);
  },
  write: (p, text) => {
    appendFileSync(log, `${p} ${text}\n`);
    const grow = Number(text) > pool;
    pool = Number(text);
    if (grow && phase === 'grow') sleep(1500);
  },
  exists: (p) => p === NR2M,
  writable: () => true,
  list: () => [],
  kpageflags: () => false,
  capture: () => { appendFileSync(log, 'capture\n'); if (phase === 'capture') sleep(5000); return readSnapshot(MOVABLE, false); },
  now: () => (t += 1),
  onInterrupt: liveMachine().onInterrupt,
  source: () => ({ name: 'a fake machine', release: null }),
};
process.exitCode = runVerify({ live: true, json: true }, ['hugetlb', '2M', '+2'], (s) => process.stdout.write(s + '\n'), (s) => process.stderr.write(s + '\n'), m);
