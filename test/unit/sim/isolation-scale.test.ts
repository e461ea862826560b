// Isolation over big ranges costs pageblocks and free blocks, not pages: __first_valid_page walks a pageblock
// at a time (pfn-precise only in pageblocks a zone boundary or hole cuts), so a range of offline memory or holes
// is not probed page by page.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { ScenarioRun } from '../../../src/sim/runner.js';
import { Core } from '../../../src/sim/core.js';

function run(text: string): ScenarioRun {
  const { scenario, diagnostics } = analyze(text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = new ScenarioRun(scenario!, null, {});
  r.runToEnd();
  return r;
}

describe('isolation at scale', () => {
  it('firstOnline is the first pfn c.online() accepts, across holes, offline blocks and split pageblocks', () => {
    const r = run(`machine {
  node 0 {
    zone DMA32 0x1000..0x20123
    zone Normal 0x20123..0x40000
    hole 0x30100..0x30300
    hole 0x31000..0x32000
    hotplug 0x40000..0x50000 offline
  }
}
`);
    const c = r.machine.c;
    const naive = (s: number, e: number) => { for (let p = s; p < e; p++) if (c.online(p)) return p; return -1; };
    const cuts = [0, 0xfff, 0x1000, 0x1001, 0x20000, 0x20122, 0x20123, 0x20200, 0x30000, 0x30100, 0x30180, 0x30300, 0x30301,
      0x31000, 0x31fff, 0x32000, 0x3ffff, 0x40000, 0x48000, 0x50000, 0x50001];
    for (const s of cuts) for (const e of cuts) if (e > s) assert.equal(c.firstOnline(s, e), naive(s, e), `[${s.toString(16)}, ${e.toString(16)})`);
  });

  it('isolate and unisolate of a 64 GiB range that is half offline look at pageblocks, not pages', function () {
    this.timeout(60_000);
    const r = run('machine {\n  node 0 {\n    zone Normal 0x0+32G\n    hotplug 0x800000..0x1000000 offline\n  }\n}\n');
    const orig = Core.prototype.zoneOf;
    let n = 0;
    Core.prototype.zoneOf = function (this: Core, pfn: number) { n++; return orig.call(this, pfn); };
    try {
      for (const op of [{ op: 'isolate' as const, start: 0x100000, end: 0x1000000, mode: 'other' as const }, { op: 'unisolate' as const, start: 0x100000, end: 0x1000000 }]) {
        const g = r.machine.run(op as never, { cpu: 0, label: 'i', resolve: () => [] });
        let res = g.next();
        while (!res.done) res = g.next();
        assert.equal(res.value.ok, true, res.value.reason ?? '');
      }
    } finally {
      Core.prototype.zoneOf = orig;
    }
    // 30,720 pageblocks; page by page the offline half alone was 8M probes
    assert.ok(n < 400_000, `${n} zoneOf calls`);
  });
});
