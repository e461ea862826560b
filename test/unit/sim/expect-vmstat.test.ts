// `expect vmstat COUNTER`, `expect buddyinfo ZONE ~ … within T`, `expect block N valid_zones "…"` (issue 8: let a
// scenario say everything the kernel reports). The counters are counted where the kernel counts them:
// __alloc_pages_direct_compact (mm/page_alloc.c), alloc_buddy_hugetlb_folio (mm/hugetlb.c), migrate_pages (mm/migrate.c).
import assert from 'node:assert/strict';
import { runText as run } from './helpers.js';
import type { RunOutcome } from '../../../src/sim/runner.js';

const MACHINE = `kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;
const failed = (o: RunOutcome) => o.expectations.filter((e) => !e.ok).map((e) => e.message);
/** base pages of the successful migrations the operations traced (what migrate_pages adds to nr_succeeded) */
const migratedPages = (o: RunOutcome) => {
  let n = 0;
  for (const r of o.ops) for (const e of r.result.events) if (e.type === 'migrate' && e.m.result === 'ok') n += 2 ** e.m.order;
  return n;
};

describe('expect vmstat: counters counted where the kernel counts them', () => {
  it('a direct compaction that gives the page: one compact_stall and one compact_success (__alloc_pages_direct_compact)', () => {
    const o = run(`${MACHINE}fill Normal 40% anon
alloc order 9 movable as a
expect a ok
expect vmstat compact_stall == 1
expect vmstat compact_success == 1
expect vmstat compact_fail == 0
`);
    assert.deepEqual(failed(o), []);
    assert.ok(o.machine.c.vm.pgmigrate_success > 0);
    assert.equal(o.machine.c.vm.pgmigrate_success, migratedPages(o));
  });

  it('compaction that cannot help: a stall and a fail for the async attempt and for the one after reclaim', () => {
    // one slab page in every pageblock: no pageblock can become a free order-9 block
    const o = run(`${MACHINE}page 0x8100 slab every 512 count 64
fill Normal 50% anon
alloc order 9 movable as a
expect a -ENOMEM
expect vmstat compact_stall == 2
expect vmstat compact_fail == 2
expect vmstat compact_success == 0
`);
    assert.deepEqual(failed(o), []);
    assert.equal(o.machine.c.vm.pgmigrate_success, migratedPages(o));
  });

  it('an order-0 allocation never stalls in compaction; compact_memory (compact) migrates without a stall', () => {
    const o = run(`${MACHINE}fill Normal 40% anon
alloc order 0 movable
compact Normal
expect vmstat compact_stall == 0
expect vmstat pgmigrate_success > 0
`);
    assert.deepEqual(failed(o), []);
    assert.equal(o.machine.c.vm.pgmigrate_success, migratedPages(o));
  });

  it('htlb_buddy_alloc_success per 2M folio grown; a failed grow counts one fail per node tried (alloc_pool_huge_folio)', () => {
    const ok = run(`${MACHINE}hugetlb 2M resize 8
expect hugetlb 2M total == 8
expect vmstat htlb_buddy_alloc_success == 8
expect vmstat htlb_buddy_alloc_fail == 0
`);
    assert.deepEqual(failed(ok), []);
    // 64 pageblocks, one slab page in each: no order-9 page anywhere, even after compaction
    const no = run(`${MACHINE}page 0x8100 slab every 512 count 64
hugetlb 2M resize 8 as h
expect hugetlb 2M total == 0
expect vmstat htlb_buddy_alloc_success == 0
expect vmstat htlb_buddy_alloc_fail == 1
`);
    assert.deepEqual(failed(no), []);
  });

  it('alloc_contig_range over a free pool folio: its replacement is a buddy hugetlb allocation (alloc_and_dissolve_hugetlb_folio)', () => {
    const head = run(`${MACHINE}hugetlb 2M resize 1\n`).machine.c.pools.get(512)!.get(0)!.free[0]!;
    const o = run(`${MACHINE}hugetlb 2M resize 1
alloc_contig_range 0x${head.toString(16)}+2M as r
expect r ok
expect hugetlb 2M total == 1
expect vmstat htlb_buddy_alloc_success == 2
`);
    assert.deepEqual(failed(o), []);
  });

  it('the counters are part of the state a step back restores (Machine.clone)', () => {
    const o = run(`${MACHINE}hugetlb 2M resize 2\n`);
    const copy = o.machine.clone();
    assert.equal(copy.c.vm.htlb_buddy_alloc_success, 2);
    copy.c.vm.htlb_buddy_alloc_success++;
    assert.equal(o.machine.c.vm.htlb_buddy_alloc_success, 2);
  });

  it('a wrong value fails with the count the simulator has', () => {
    const o = run(`${MACHINE}hugetlb 2M resize 2\nexpect vmstat htlb_buddy_alloc_success == 3\n`);
    assert.deepEqual(failed(o), ['expected vmstat htlb_buddy_alloc_success == 3, but it is 2']);
  });
});

describe('expect buddyinfo ~ within: a tolerance per order', () => {
  const have = (o: RunOutcome) => o.machine.zones().find((z) => z.zone === 'Normal')!.buddyinfo;
  it('holds within the tolerance, absolute or a percentage, and names the orders that differ', () => {
    const base = run(`${MACHINE}fill Normal 30% anon\n`);
    const b = have(base);
    const near = b.map((n, i) => (i === 0 ? n + 3 : n));
    const o = run(`${MACHINE}fill Normal 30% anon
expect buddyinfo Normal ~ ${near.join(' ')} within 3
expect buddyinfo Normal ~ ${near.join(' ')} within 2
`);
    assert.equal(o.expectations[0]!.ok, true, o.expectations[0]!.message);
    assert.equal(o.expectations[1]!.ok, false);
    assert.match(o.expectations[1]!.message, new RegExp(`; order 0: ${b[0]} \\(expected ${b[0]! + 3}, off by -3\\)$`));
    // 10% of each expected count: an order with expected 0 must be exactly 0
    const pct = b.map((n) => Math.round(n * 1.05));
    const p = run(`${MACHINE}fill Normal 30% anon
expect buddyinfo Normal ~ ${pct.join(' ')} within 10%
expect buddyinfo Normal ~ ${b.map((n) => n + 1).join(' ')} within 0%
`);
    assert.equal(p.expectations[0]!.ok, true, p.expectations[0]!.message);
    assert.equal(p.expectations[1]!.ok, false);
    assert.equal((p.expectations[1]!.message.match(/order \d+:/g) ?? []).length, b.length);
  });
});

describe('expect block N valid_zones: the sysfs text (valid_zones_show)', () => {
  const M = `machine {
  node 0 {
    zone Normal 0x8000..0x10000
    hotplug 0x10000..0x20000 offline
  }
}
`;
  it('an offline block lists the default zone first, then the other zones it may be onlined to; an online block its zone', () => {
    const o = run(`${M}expect block 1 valid_zones "Normal"
expect block 2 valid_zones "Normal Movable"
expect block 3 valid_zones "Normal Movable"
online block 3 online_movable
expect block 3 valid_zones "Movable"
expect block 2 valid_zones "Normal Movable"
`);
    assert.deepEqual(failed(o), []);
  });
  it('a mismatch shows the text and the block state', () => {
    const o = run(`${M}expect block 2 valid_zones "Movable Normal"\n`);
    assert.deepEqual(failed(o), ['expected memory block 2 valid_zones "Movable Normal", but it is "Normal Movable" (offline)']);
  });
});
