// The lock model of `interleave` (src/sim/locks.ts, interleave.ts): one test per rule, each citing the kernel
// function it follows (linux 6.12), plus the `mmscn check` diagnostic for schedules the kernel cannot run.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { conflicts, opLocks, MEM_HOTPLUG_LOCK } from '../../../src/sim/locks.js';
import { runText, resultOf } from './helpers.js';
import type { Operation } from '../../../src/sim/scenario.js';

const MACHINE = `machine {
  cpus 3
  node 0 {
    zone DMA32  0x1000..0x40000
    zone Normal 0x40000..0x80000
  }
  cma pool 0x60000..0x64000
}
`;

function errorsOf(text: string): string[] {
  return analyze(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}:${d.loc.col}: ${d.message}`);
}

describe('interleave locks', () => {
  it('cma_alloc: two calls serialise on cma_mutex (__cma_alloc, mm/cma.c: mutex_lock(&cma_mutex) around alloc_contig_range)', () => {
    const out = runText(`${MACHINE}
interleave {
  cpu 0: cma_alloc pool 512 as a
  cpu 1: cma_alloc pool 512 as b
  schedule cpu 0 isolate, cpu 1 isolate
}
expect a ok
expect b ok
`);
    // cpu 1 cannot start its attempt while cpu 0 is inside its own: cpu 0 runs to its end, then cpu 1 gets the next range
    const sc = out.schedules![0]!;
    assert.deepEqual(sc.blocks.map((b) => [b.cpu, b.lock, b.holder]), [[1, 'cma_mutex', 0]]);
    const firstOf1 = sc.trace.findIndex((t) => t.cpu === 1);
    assert.ok(sc.trace.slice(firstOf1).every((t) => t.cpu === 1), 'no cpu 0 phase after cpu 1 started');
    assert.equal(resultOf(out, 'a').allocated[0]!.pfn, 0x60000);
    assert.equal(resultOf(out, 'b').allocated[0]!.pfn, 0x60200);
  });

  it('cma_alloc: a schedule that keeps cpu 0 inside alloc_contig_range while cpu 1 starts is an error naming cma_mutex and its holder', () => {
    const errs = errorsOf(`${MACHINE}
interleave {
  cpu 0: cma_alloc pool 512 as a
  cpu 1: cma_alloc pool 512 as b
  schedule cpu 0 isolate, cpu 1 isolate, cpu 0 drain
}
`);
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /^13:27: impossible schedule: cpu 1's cma_alloc cannot run to 'isolate' here: it waits for cma_mutex, held by cpu 0's cma_alloc .*cpu 0 must run past 'drain' first/);
  });

  it('offline: pcp_batch_high_lock is held from zone_pcp_disable() to zone_pcp_enable() (offline_pages, mm/memory_hotplug.c; mm/page_alloc.c)', () => {
    // only the disable proposal makes alloc_contig_range take it too (6.12 alloc_contig_range drains once)
    const text = (pcp: string, sched: string) => `policy contig_pcp = ${pcp}
${MACHINE}
interleave {
  cpu 0: offline block 10
  cpu 1: alloc_contig_range 0x70000..0x70200 as r
  schedule ${sched}
}
`;
    const errs = errorsOf(text('disable', 'cpu 0 pcp_disable, cpu 1 isolate, cpu 0 isolate'));
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /cpu 1's alloc_contig_range cannot run to 'isolate' here: it waits for pcp_batch_high_lock, held by cpu 0's offline/);
    assert.deepEqual(errorsOf(text('drain_once', 'cpu 0 pcp_disable, cpu 1 isolate, cpu 0 isolate')), []);
    const out = runText(text('disable', 'cpu 0 pcp_disable, cpu 1 isolate'));
    assert.deepEqual(out.schedules![0]!.blocks.map((b) => [b.cpu, b.lock, b.holder]), [[1, 'pcp_batch_high_lock', 0]]);
    assert.ok(resultOf(out, 'r').ok);
  });

  it('offline: a free is not blocked by zone_pcp_disable() (it takes no sleeping lock: the zone_pcp_disable comment, mm/page_alloc.c)', () => {
    const out = runText(`${MACHINE}
page 0x50010 anon
interleave {
  cpu 0: offline block 14
  cpu 1: free 0x50010
  schedule cpu 0 pcp_disable, cpu 1 enqueue, cpu 0 offline
}
`);
    assert.deepEqual(out.schedules![0]!.blocks, []);
  });

  it('offline/online: mem_hotplug_lock (write) and device_hotplug_lock serialise hotplug (memory_block_offline/online: mem_hotplug_begin, drivers/base/memory.c)', () => {
    const errs = errorsOf(`${MACHINE}
interleave {
  cpu 0: offline block 10
  cpu 1: offline block 14
  schedule cpu 0 isolate, cpu 1 pcp_disable, cpu 0 migrate
}
`);
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /waits for device_hotplug_lock, held by cpu 0's offline/);
    const locks = opLocks({ op: 'online', block: 10, type: 'online' }, { contig_pcp: 'drain_once' });
    assert.deepEqual(locks.needs(null).map((l) => [l.lock, l.mode]), [['device_hotplug_lock', 'exclusive'], ['mem_hotplug_lock', 'exclusive']]);
  });

  it('mem_hotplug_lock is a percpu rwsem: get_online_mems() readers share it, mem_hotplug_begin() excludes them (mm/memory_hotplug.c)', () => {
    const r = { lock: MEM_HOTPLUG_LOCK, mode: 'shared' as const };
    const w = { lock: MEM_HOTPLUG_LOCK, mode: 'exclusive' as const };
    assert.equal(conflicts(r, r), false);
    assert.equal(conflicts(r, w), true);
    assert.equal(conflicts(w, r), true);
    assert.equal(conflicts(w, w), true);
    assert.equal(conflicts(w, { lock: 'cma_mutex', mode: 'exclusive' }), false);
  });

  it('spinlock-only operations keep nothing between phases (zone->lock, pcp spinlocks: a phase is atomic)', () => {
    const ops: Operation[] = [
      { op: 'free', target: { kind: 'pfn', pfn: 1 }, order: null },
      { op: 'compact', zone: { nid: 0, zone: 'Normal' }, order: 9 },
      { op: 'hugetlb_resize', pages: 512, count: 1, nid: null },
      { op: 'alloc_contig_range', start: 0, end: 512, cma: false, gfp: [] },
    ];
    for (const op of ops) {
      const l = opLocks(op, { contig_pcp: 'drain_once' });
      assert.deepEqual(l.needs(null), [], op.op);
      assert.deepEqual(l.heldAfter('run'), [], op.op);
    }
  });

  it('the impossible-schedule diagnostic names the variant when only some variants hold the lock', () => {
    const errs = errorsOf(`variant a { kernel 6.12 }
variant b { kernel 6.12; policy contig_pcp = disable }
${MACHINE}
interleave {
  cpu 0: offline block 10
  cpu 1: alloc_contig_range 0x70000..0x70200 as r
  schedule cpu 0 pcp_disable, cpu 1 isolate, cpu 0 isolate
}
`);
    assert.equal(errs.length, 1);
    assert.match(errs[0]!, /\(variant b\)$/);
  });
});
