// The browser build (src/extension/web.ts) runs the adapter inline in a web worker extension host, where Node's
// globals do not exist: a long continue still runs in slices and finishes without setImmediate.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, startAdapter, type Harness } from './support.js';

/** enough alloc_contig_range + free pairs on a 4 GiB zone for a continue to take several slices */
function scenario(): string {
  const lines = ['kernel 6.12', 'machine {', '  cpus 2', '  node 0 {', '    zone Normal 0x100000..0x200000', '  }', '}'];
  for (let i = 0; i < 400; i++) {
    const b = 0x100000 + (i % 1000) * 0x400;
    lines.push(`alloc_contig_range 0x${b.toString(16)}..0x${(b + 0x400).toString(16)} as r${i}`, `free r${i}`);
  }
  return lines.join('\n') + '\n';
}

describe('mmscn debug adapter without Node globals (web worker host)', function () {
  this.timeout(40_000);
  let h: Harness;
  const saved = globalThis.setImmediate;
  beforeEach(async () => { h = await startAdapter(); });
  afterEach(async () => {
    globalThis.setImmediate = saved;
    await h.close();
  });

  it('a long continue runs to the end when setImmediate does not exist', async () => {
    const program = join(mkdtempSync(join(tmpdir(), 'mmscn-web-')), 'long.mmscn');
    writeFileSync(program, scenario());
    const entry = await launch(h.dc, { program, stopOnEntry: true });
    assert.equal(entry.body.reason, 'entry');
    const terminated = h.dc.waitForEvent('terminated', 30_000);
    // only the adapter's calls see this: Node's sockets and timers keep their own references
    delete (globalThis as { setImmediate?: unknown }).setImmediate;
    await h.dc.continueRequest({ threadId: 1 });
    await terminated;
    const state = await h.dc.customRequest('mmscnState');
    assert.equal(state.body.running, false);
  });
});
