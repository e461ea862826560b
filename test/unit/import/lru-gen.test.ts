// A machine whose kernel reclaims with MGLRU (/sys/kernel/mm/lru_gen/enabled has LRU_GEN_CORE, bit 0 — Debian's 6.12
// build) imports with `policy lru_gen = on`, so the simulator's reclaim results say their order is not the kernel's.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnapshot } from '../../../src/import/fs.js';
import { generate } from '../../../src/import/generate.js';
import { analyze } from '../../../src/language/index.js';

const FIXTURE = join(__dirname, '../../fixtures/proc-snapshot-1');

function capture(enabled: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmscn-lrugen-'));
  cpSync(FIXTURE, dir, { recursive: true });
  if (enabled !== null) {
    mkdirSync(join(dir, 'sys/kernel/mm/lru_gen'), { recursive: true });
    writeFileSync(join(dir, 'sys/kernel/mm/lru_gen/enabled'), enabled);
  }
  return dir;
}

describe('import: MGLRU (lru_gen/enabled)', function () {
  this.timeout(60000);
  it('enabled (0x0007): the scenario says policy lru_gen = on, and it analyses', () => {
    const text = generate(readSnapshot(capture('0x0007\n'), false)).text;
    assert.match(text, /^policy lru_gen = on\b/m);
    const a = analyze(text);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    assert.equal(a.scenario!.policies.lru_gen, 'on');
  });
  it('disabled (0x0000) or absent: no policy line (the classic LRU, which is modelled)', () => {
    assert.doesNotMatch(generate(readSnapshot(capture('0x0000\n'), false)).text, /lru_gen/);
    assert.doesNotMatch(generate(readSnapshot(capture(null), false)).text, /lru_gen/);
  });
  it('a malformed file is an error naming it', () => {
    assert.throws(() => readSnapshot(capture('yes\n'), false), /lru_gen\/enabled:1: error: expected the LRU_GEN capability bits/);
  });
});
