// `fill … unmovable|slab|pagetable` places the pages as the allocator places unmovable pages (issue 11 item 6):
// in MIGRATE_UNMOVABLE pageblocks, claiming whole pageblocks (try_to_claim_block) as they are needed, never
// in CMA; movable fills leave pageblock types alone.
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';
import type { Machine } from '../../../src/sim/machine.js';

function runText(text: string): Machine {
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const out = runScenario(a.scenario!, { checkInvariants: true });
  assert.deepEqual(out[0]!.errors.map((e) => e.message), []);
  assert.deepEqual(out[0]!.invariants.map((e) => e.message), [], 'invariant violations');
  assert.deepEqual(out[0]!.ops.filter((o) => !o.result.ok).map((o) => o.result), []);
  return out[0]!.machine;
}

const MACHINE = (extra = '') => `kernel 6.12\nseed 7\nmachine {\n  cpus 2\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n${extra}}\n`;

/** pageblock start → [stored type, unmovable-kind pages in it] */
function census(m: Machine): Map<number, { mt: string; kernel: number; free: number }> {
  const out = new Map<number, { mt: string; kernel: number; free: number }>();
  for (let pfn = 0x100000; pfn < 0x140000; pfn++) {
    const p = m.pageInfo(pfn);
    let e = out.get(p.pageblock);
    if (!e) out.set(p.pageblock, (e = { mt: p.migratetype ?? '?', kernel: 0, free: 0 }));
    if (p.state === 'allocated' && (p.kind === 'kernel' || p.kind === 'slab' || p.kind === 'pagetable')) e.kernel++;
    if (p.state === 'buddy') e.free++;
  }
  return out;
}

describe('fill of unmovable pages claims pageblocks', () => {
  for (const cls of ['unmovable', 'slab', 'pagetable']) {
    it(`fill Normal 10% ${cls}: every page in an UNMOVABLE pageblock, as few pageblocks as the pages need`, () => {
      const m = runText(MACHINE() + `fill Normal 10% ${cls}\n`);
      const c = census(m);
      const withPages = [...c.values()].filter((e) => e.kernel > 0);
      assert.ok(withPages.length > 0);
      assert.deepEqual([...new Set(withPages.map((e) => e.mt))], ['unmovable']);
      const pages = withPages.reduce((n, e) => n + e.kernel, 0);
      assert.equal(withPages.length, Math.ceil(pages / 512), `${withPages.length} pageblocks for ${pages} pages`);
      // the claimed pageblocks' free pages are on the unmovable lists: /proc/pagetypeinfo counts them as Unmovable
      const z = m.zones().find((x) => x.zone === 'Normal')!;
      const unmovableFree = [...c.values()].filter((e) => e.mt === 'unmovable').reduce((n, e) => n + e.free, 0);
      const listed = z.freeCounts[0]!.reduce((n, k, o) => n + k * 2 ** o, 0); // MIGRATE_UNMOVABLE
      assert.equal(listed, unmovableFree);
    });
  }

  it('a second unmovable fill goes into the pageblocks the first one claimed before claiming more', () => {
    const m = runText(MACHINE() + 'fill Normal 1% slab\nfill Normal 1% unmovable\n');
    const withPages = [...census(m).values()].filter((e) => e.kernel > 0);
    const pages = withPages.reduce((n, e) => n + e.kernel, 0);
    assert.equal(withPages.length, Math.ceil(pages / 512));
  });

  it('movable fills leave pageblock types alone', () => {
    const m = runText(MACHINE() + 'fill Normal 30% movable\n');
    assert.deepEqual([...new Set([...census(m).values()].map((e) => e.mt))], ['movable']);
  });

  it('never into a CMA area', () => {
    const m = runText(MACHINE('  cma cma0 0x100000..0x120000\n') + 'fill Normal 20% unmovable\n');
    for (const [pb, e] of census(m)) if (pb < 0x120000) assert.equal(e.kernel, 0, `unmovable pages in CMA pageblock 0x${pb.toString(16)}`);
  });
});
