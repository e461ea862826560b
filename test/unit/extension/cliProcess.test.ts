// src/extension/cliProcess.ts: the commands Import This Machine and Verify Prediction on This Machine run the CLI in
// a child process (the extension host stays responsive); Cancel sends SIGTERM. verify must restore the machine when
// the SIGTERM comes between the grow and the shrink (src/import/live.ts onInterrupt: the operation is synchronous, the
// signal waits for the restore), and end at once when it comes before the operation.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLine, importNotes, runCli, type Cancellation } from '../../../src/extension/cliProcess.js';

const CHILD = join(__dirname, '../import/verify-signal-child.ts');
const NR2M = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages';

/** a token cancelled when `when()` becomes true (polled) */
function cancelWhen(when: () => boolean): Cancellation & { stop(): void } {
  const ls: (() => unknown)[] = [];
  let requested = false;
  const timer = setInterval(() => { if (!requested && when()) { requested = true; for (const l of ls) l(); } }, 20);
  return {
    get isCancellationRequested() { return requested; },
    onCancellationRequested: (l) => { ls.push(l); return { dispose: () => undefined }; },
    stop: () => clearInterval(timer),
  };
}
const logged = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');

describe('cliProcess: the CLI in a child process', function () {
  this.timeout(60000);
  it('runs a script with the arguments and collects stdout, stderr and the exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmscn-cli-'));
    const script = join(dir, 'x.js');
    writeFileSync(script, 'process.stdout.write(JSON.stringify(process.argv.slice(2))); process.stderr.write("a:1: error: bad\\n"); process.exitCode = 2;');
    const r = await runCli(['verify', '--live', '+2'], { cli: script });
    assert.deepEqual(JSON.parse(r.stdout), ['verify', '--live', '+2']);
    assert.equal(r.code, 2);
    assert.equal(r.cancelled, false);
    assert.equal(errorLine(r), 'a:1: error: bad');
  });
  it('a cancel kills a long child with SIGTERM and resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmscn-cli-'));
    const script = join(dir, 'x.js');
    writeFileSync(script, 'setTimeout(() => {}, 60000);');
    const t0 = Date.now();
    const c = cancelWhen(() => Date.now() - t0 > 300);
    const r = await runCli([], { cli: script, cancel: c });
    c.stop();
    assert.equal(r.cancelled, true);
    assert.equal(r.signal, 'SIGTERM');
    assert.ok(Date.now() - t0 < 10000);
  });
  it('verify: SIGTERM before the operation ends the child at once; nothing is written to the machine', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'mmscn-sig-')), 'log');
    const c = cancelWhen(() => logged(log).includes('capture'));
    const t0 = Date.now();
    const r = await runCli([log, 'capture'], { cli: CHILD, nodeArgs: ['--import', 'tsx'], cancel: c });
    c.stop();
    assert.equal(r.cancelled, true);
    assert.equal(r.signal, 'SIGTERM', r.stderr);
    assert.ok(Date.now() - t0 < 4500, 'ended before the 5 s capture finished');
    assert.equal(logged(log), 'capture\n');
  });
  it('verify: SIGTERM between the grow and the shrink waits for the restore; the pool is written back', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'mmscn-sig-')), 'log');
    const c = cancelWhen(() => logged(log).includes(`${NR2M} 5`));
    const r = await runCli([log, 'grow'], { cli: CHILD, nodeArgs: ['--import', 'tsx'], cancel: c });
    c.stop();
    assert.equal(r.cancelled, true);
    assert.equal(logged(log), `capture\n${NR2M} 5\n${NR2M} 3\n`, 'grown by 2, then back to 3');
    // the report was printed (the cancel came during the operation): the machine was restored
    if (r.code === 0) assert.equal((JSON.parse(r.stdout) as { restore: { done: boolean } }).restore.done, true);
    else assert.equal(r.code, 143, `${r.code} ${r.signal} ${r.stderr}`);
  });
});

describe('importMachine: the notes of the CLI summary', () => {
  it('reads the "not reproduced exactly" items from stderr', () => {
    const err = 'mmscn import: this machine (vm): node 0 DMA …\nmmscn import: not reproduced exactly (2):\n  - one\n  - two\n';
    assert.deepEqual(importNotes(err), ['one', 'two']);
    assert.deepEqual(importNotes('mmscn import: the free lists … are reproduced exactly\n'), []);
  });
});
