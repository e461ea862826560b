// `mmscn check` / `run` on machines at and beyond the limits: a diagnostic at the line, never a silent exit 2 or a
// V8 out-of-memory crash; memory above 2^32 runs at once.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildOnce, mmscnWithin } from '../support/cli.js';

const mmscn = (...args: string[]) => mmscnWithin(30_000, ...args);

describe('mmscn on very large and very high machines', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'mmscn-big-'));
  const file = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  before(() => {
    buildOnce();
  });

  it('a 2^52-page zone: check and run report it at the zone line', () => {
    const f = file('huge.mmscn', 'machine {\n  node 0 {\n    zone Normal 0x0+0x10000000000000\n  }\n}\n');
    for (const cmd of ['check', 'run']) {
      const r = mmscn(cmd, f);
      assert.equal(r.code, 2);
      assert.match(r.out + r.err, /huge\.mmscn:3:5: error: .*above the largest machine/);
    }
  });

  it('a 64 TiB machine is refused with a diagnostic, not an out-of-memory crash', () => {
    const f = file('64t.mmscn', 'machine {\n  node 0 {\n    zone Normal 0x0+64T\n  }\n}\n');
    const r = mmscn('run', f);
    assert.equal(r.code, 2);
    assert.match(r.out + r.err, /64t\.mmscn:3:5: error: the simulator cannot hold this machine/);
  });

  it('memory only above 2^32 runs at once and prints its pfns', () => {
    const f = file('high.mmscn', 'machine { node 0 { zone Normal 0x100000000..0x100040000 } }\nreport\n');
    assert.equal(mmscn('check', f).code, 0);
    const r = mmscn('run', '--format', 'zoneinfo', f);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /start_pfn: +4294967296/);
  });
});
