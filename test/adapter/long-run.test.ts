// Long runs must not block the extension host (issue 16, item 2): the adapter runs inline there, so a continue
// over thousands of operations on a large machine runs in time slices; `pause` stops it at a step boundary and
// other requests are answered while it runs.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, startAdapter, topFrame, type Harness } from './support.js';

/** 4 GiB Normal zone, 3000 alloc_contig_range + free pairs: several seconds of simulation in one continue. */
function longScenario(): string {
  const lines = ['kernel 6.12', 'machine {', '  cpus 4', '  node 0 {', '    zone Normal 0x100000..0x200000', '  }', '}'];
  for (let i = 0; i < 3000; i++) {
    const b = 0x100000 + (i % 1000) * 0x400;
    lines.push(`alloc_contig_range 0x${b.toString(16)}..0x${(b + 0x400).toString(16)} as r${i}`, `free r${i}`);
  }
  return lines.join('\n') + '\n';
}

describe('mmscn debug adapter: long runs yield to the host', function () {
  this.timeout(60_000);
  let h: Harness;
  let program: string;
  before(() => {
    program = join(mkdtempSync(join(tmpdir(), 'mmscn-long-')), 'long.mmscn');
    writeFileSync(program, longScenario());
  });
  beforeEach(async () => { h = await startAdapter(); });
  afterEach(async () => { await h.close(); });

  it('answers other requests while a continue runs, and pause stops it with reason pause', async () => {
    const entry = await launch(h.dc, { program, stopOnEntry: true });
    assert.equal(entry.body.reason, 'entry');
    const stopped = h.dc.waitForEvent('stopped', 20_000) as Promise<DebugProtocol.StoppedEvent>;
    let terminated = false;
    void h.dc.waitForEvent('terminated', 60_000).then(() => { terminated = true; }, () => undefined);
    await h.dc.continueRequest({ threadId: 1 });
    // the run is going: a request is answered promptly (not after the whole run)
    const t0 = Date.now();
    const threads = await h.dc.threadsRequest();
    assert.equal(threads.body.threads.length, 1);
    assert.ok(Date.now() - t0 < 1000, `threads took ${Date.now() - t0} ms while running`);
    const state = await h.dc.customRequest('mmscnState');
    assert.equal(state.body.running, true, 'the continue is still running');
    // another stepping request is refused, not queued behind the run
    await assert.rejects(h.dc.nextRequest({ threadId: 1 }), /running — pause it first/);

    const p0 = Date.now();
    await h.dc.pauseRequest({ threadId: 1 });
    const ev = await stopped;
    assert.equal(ev.body.reason, 'pause');
    assert.ok(Date.now() - p0 < 1000, `pause took ${Date.now() - p0} ms to stop`);
    assert.equal(terminated, false, 'paused before the end');
    const f = await topFrame(h.dc);
    const m = /^step (\d+)\/6000: /.exec(f.name);
    assert.ok(m, f.name);
    assert.ok(Number(m[1]) > 1 && Number(m[1]) < 6000, f.name);
    assert.equal(f.line, Number(m[1]) + 7, 'the stop shows the step about to run');
    const after = await h.dc.customRequest('mmscnState');
    assert.equal(after.body.running, false);
    // and it goes on from there: one step over moves one step
    const next = h.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await h.dc.nextRequest({ threadId: 1 });
    assert.equal((await next).body.reason, 'step');
    assert.equal((await topFrame(h.dc)).line, f.line + 1);
  });

  it('terminate while running drops the run and ends the session', async () => {
    await launch(h.dc, { program, stopOnEntry: true });
    await h.dc.continueRequest({ threadId: 1 });
    const terminated = h.dc.waitForEvent('terminated', 5000);
    await h.dc.terminateRequest({});
    await terminated;
    const state = await h.dc.customRequest('mmscnState');
    assert.equal(state.body.running, false);
  });
});
