// The allocation slow path of 6.12 (mm/page_alloc.c __alloc_pages_slowpath), reclaim (mm/vmscan.c) and the OOM
// decision (__alloc_pages_may_oom). Each scenario runs step by step with the invariant checker after every step.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/language/index.js';
import { runScenario } from '../../../src/sim/runner.js';
import { Zone } from '../../../src/sim/zone.js';
import { runChecked } from './helpers.js';
import { compactionDeferred, compactionDeferReset, deferCompaction } from '../../../src/sim/slowpath.js';

const MACHINE = (extra = '') => `kernel 6.12
machine {
  ${extra}
  node 0 {
    zone Normal 0x8000..0x10000
  }
}
`;


describe('slow path: direct reclaim (__alloc_pages_direct_reclaim -> try_to_free_pages)', () => {
  it('reclaims clean page cache for a GFP_KERNEL order-0 allocation (shrink_folio_list frees clean file folios)', () => {
    const { byName } = runChecked(`${MACHINE()}fill Normal 100% file
alloc order 0 unmovable gfp GFP_KERNEL as a
`);
    const a = byName.get('a')!;
    assert.equal(a.ok, true, a.reason ?? '');
    assert.ok(a.slowpath!.reclaimed.inactive_file > 0);
    assert.deepEqual(a.slowpath!.kswapdWoken, [0]);
    assert.equal(a.slowpath!.oom, null);
  });

  it('does not write back dirty file pages: dirty page cache -> the OOM killer would run (shrink_folio_list, __alloc_pages_may_oom)', () => {
    const { byName } = runChecked(`${MACHINE().replace('0x8000..0x10000', '0x8000..0xa000')}pages 0x8000..0xa000 file dirty
alloc order 0 unmovable gfp GFP_KERNEL as a
`);
    const a = byName.get('a')!;
    assert.equal(a.ok, false);
    assert.equal(a.errno, 'ENOMEM');
    assert.equal(a.slowpath!.reclaimed.inactive_file, 0);
    assert.equal(a.slowpath!.oom?.invoked, true);
    // should_reclaim_retry: MAX_RECLAIM_RETRIES loops without progress
    assert.equal(a.slowpath!.noProgressLoops, 17);
    assert.match(a.reason!, /OOM killer would run/);
  });

  it('keeps pages under writeback and unevictable (mlocked) pages', () => {
    for (const mod of ['writeback', 'unevictable']) {
      const { byName } = runChecked(`${MACHINE().replace('0x8000..0x10000', '0x8000..0xa000')}pages 0x8000..0xa000 file ${mod}
alloc order 0 unmovable gfp GFP_KERNEL as a
`);
      assert.equal(byName.get('a')!.ok, false, mod);
      assert.equal(byName.get('a')!.slowpath!.reclaimed.inactive_file, 0, mod);
    }
  });

  it('anon without swap is not scanned (get_scan_count SCAN_FILE); with `swap` it is swapped out', () => {
    const none = runChecked(`${MACHINE()}fill Normal 100% anon
alloc order 0 unmovable gfp GFP_KERNEL as a
`).byName.get('a')!;
    assert.equal(none.ok, false);
    assert.equal(none.slowpath!.reclaimed.inactive_anon, 0);
    const swap = runChecked(`${MACHINE('swap 4G')}fill Normal 100% anon
alloc order 0 unmovable gfp GFP_KERNEL as a
`).byName.get('a')!;
    assert.equal(swap.ok, true, swap.reason ?? '');
    assert.ok(swap.slowpath!.reclaimed.inactive_anon > 0);
  });

  it('GFP_NOIO cannot swap (shrink_folio_list: add_to_swap needs __GFP_IO)', () => {
    const a = runChecked(`${MACHINE('swap 4G')}fill Normal 100% anon
alloc order 0 unmovable gfp GFP_NOIO as a
`).byName.get('a')!;
    assert.equal(a.ok, false);
    assert.equal(a.slowpath!.reclaimed.inactive_anon, 0);
  });

  it('reclaims the oldest pages first (isolate_lru_folios takes from the LRU tail)', () => {
    const text = `${MACHINE()}pages 0x8000..0xc000 file
pages 0xc000..0x10000 file
alloc order 0 unmovable gfp GFP_KERNEL as a
`;
    const a = analyze(text).scenario!;
    const [o] = runScenario(a);
    assert.equal(o!.ops[2]!.result.ok, true);
    assert.notEqual(o!.machine.pageInfo(0x8000).kind, 'file', 'oldest page reclaimed');
    assert.equal(o!.machine.pageInfo(0xffff).kind, 'file', 'youngest page kept');
  });

  it('does not reclaim above the request\'s zone (isolate_lru_folios skips zones above reclaim_idx)', () => {
    const text = `kernel 6.12
machine {
  node 0 {
    zone Normal 0x8000..0x10000
    zone Movable 0x10000..0x18000
  }
}
fill Normal 100% unmovable
fill Movable 100% file
alloc order 0 unmovable gfp GFP_KERNEL as a
`;
    const a = runChecked(text).byName.get('a')!;
    assert.equal(a.ok, false);
    assert.equal(a.slowpath!.reclaimed.inactive_file, 0);
  });

  it('shrinks reclaimable slab (shrink_slab), but not without __GFP_FS; should_reclaim_retry does not count slab', () => {
    const ok = runChecked(`${MACHINE()}pages 0x8000..0x10000 slab reclaimable
alloc order 0 unmovable gfp GFP_KERNEL as a
`).byName.get('a')!;
    assert.ok(ok.slowpath!.reclaimed.slab > 0);
    // zone_reclaimable_pages() counts LRU pages only: one round frees 128 slab pages (below min), then OOM
    assert.equal(ok.ok, false);
    assert.equal(ok.slowpath!.oom?.invoked, true);
    const nofs = runChecked(`${MACHINE()}pages 0x8000..0x10000 slab reclaimable
alloc order 0 unmovable gfp GFP_NOFS as a
`).byName.get('a')!;
    assert.equal(nofs.ok, false);
    assert.equal(nofs.slowpath!.reclaimed.slab, 0);
  });
});

describe('slow path: retry and OOM rules (__alloc_pages_slowpath, __alloc_pages_may_oom)', () => {
  const full = `${MACHINE()}fill Normal 100% unmovable
`;
  it('no __GFP_DIRECT_RECLAIM: no reclaim, kswapd woken (wake_all_kswapds)', () => {
    const a = runChecked(`${full}alloc order 0 unmovable gfp GFP_NOWAIT as a
`).byName.get('a')!;
    assert.equal(a.ok, false);
    assert.equal(a.slowpath!.reclaimRuns, 0);
    assert.match(a.slowpath!.gaveUp!, /__GFP_DIRECT_RECLAIM/);
  });
  it('__GFP_NORETRY: one round of reclaim, no OOM', () => {
    const a = runChecked(`${full}alloc order 0 unmovable gfp GFP_KERNEL|__GFP_NORETRY as a
`).byName.get('a')!;
    assert.equal(a.slowpath!.reclaimRuns, 1);
    assert.equal(a.slowpath!.oom, null);
    assert.match(a.slowpath!.gaveUp!, /__GFP_NORETRY/);
  });
  it('costly order without __GFP_RETRY_MAYFAIL: no retry, no OOM', () => {
    const a = runChecked(`${full}alloc order 4 unmovable gfp GFP_KERNEL as a
`).byName.get('a')!;
    assert.equal(a.ok, false);
    assert.equal(a.slowpath!.oom, null);
    assert.match(a.slowpath!.gaveUp!, /costly order 4/);
  });
  it('costly order with __GFP_RETRY_MAYFAIL: retries, then the OOM killer is not invoked (order > PAGE_ALLOC_COSTLY_ORDER)', () => {
    const a = runChecked(`${full}alloc order 10 unmovable gfp GFP_KERNEL|__GFP_RETRY_MAYFAIL as a
`).byName.get('a')!;
    assert.equal(a.ok, false);
    assert.equal(a.slowpath!.oom?.invoked, false);
    assert.match(a.slowpath!.oom!.reason, /PAGE_ALLOC_COSTLY_ORDER/);
  });
  it('order-0 __GFP_RETRY_MAYFAIL: no OOM kill', () => {
    const a = runChecked(`${full}alloc order 0 unmovable gfp GFP_KERNEL|__GFP_RETRY_MAYFAIL as a
`).byName.get('a')!;
    assert.equal(a.slowpath!.oom?.invoked, false);
    assert.match(a.slowpath!.oom!.reason, /__GFP_RETRY_MAYFAIL/);
  });
  it('GFP_NOFS: out_of_memory does not kill (no __GFP_FS) and the kernel would keep retrying', () => {
    const a = runChecked(`${full}alloc order 0 unmovable gfp GFP_NOFS as a
`).byName.get('a')!;
    assert.equal(a.ok, false);
    assert.equal(a.slowpath!.oom?.invoked, false);
    assert.match(a.slowpath!.gaveUp!, /retry indefinitely/);
  });
  it('GFP_KERNEL order 0: the OOM killer would run', () => {
    const a = runChecked(`${full}alloc order 0 unmovable gfp GFP_KERNEL as a
`).byName.get('a')!;
    assert.equal(a.slowpath!.oom?.invoked, true);
  });
});

describe('kswapd (balance_pgdat)', () => {
  it('asleep unless woken; once woken it reclaims to the high watermark', () => {
    const text = `${MACHINE()}fill Normal 100% file
kswapd as k0
alloc order 0 unmovable gfp GFP_NOWAIT as a
kswapd as k1
`;
    const s = analyze(text).scenario!;
    const [o] = runScenario(s);
    const r = new Map(o!.ops.map((x) => [x.name, x.result]));
    assert.match(r.get('k0')!.reason!, /asleep/);
    assert.match(r.get('k1')!.reason!, /balanced/);
    const z = o!.machine.zones()[0]!;
    assert.ok(z.free > z.watermarks.high, `free ${z.free} > high ${z.watermarks.high}`);
    assert.deepEqual(o!.machine.checkInvariants(), []);
  });
});

describe('direct compaction (try_to_compact_pages)', () => {
  it('a fragmented zone gives an order-9 movable page after compaction', () => {
    const a = runChecked(`${MACHINE()}fill Normal 40% anon
alloc order 9 movable as a
`).byName.get('a')!;
    assert.equal(a.ok, true, a.reason ?? '');
    assert.ok(a.slowpath!.compaction.length > 0);
  });
  it('defer_compaction / compaction_deferred / compaction_defer_reset', () => {
    const z = new Zone(0, 0, 2, 11, 1);
    assert.equal(compactionDeferred(z, 9), false);
    deferCompaction(z, 9);
    assert.equal(z.compactDeferShift, 1);
    assert.equal(z.compactOrderFailed, 0); // order 9 is not below order_failed 0
    // defer limit 2: the first consideration is deferred, the second is not
    assert.equal(compactionDeferred(z, 9), true);
    assert.equal(compactionDeferred(z, 9), false);
    compactionDeferReset(z, 9, true);
    assert.equal(z.compactDeferShift, 0);
    assert.equal(z.compactOrderFailed, 10);
    assert.equal(compactionDeferred(z, 3), false, 'orders below compact_order_failed are never deferred');
  });
});
