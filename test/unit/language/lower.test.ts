// Every construct of docs/language.md lowers to the expected Scenario fields.
import assert from 'node:assert/strict';
import { ok, MACHINE } from './helpers.js';
import { analyze } from '../../../src/language/index.js';

describe('language: lowering', () => {
  it('machine defaults', () => {
    const s = ok('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\n');
    assert.equal(s.kernel, 'latest');
    assert.equal(s.seed, 0);
    assert.deepEqual(s.policies, {});
    const m = s.machine;
    assert.equal(m.pageblockOrder, 9);
    assert.equal(m.maxPageOrder, 10);
    assert.equal(m.memoryBlockPages, 32768);
    assert.equal(m.sectionPages, 32768);
    assert.equal(m.cpus, 1);
    assert.equal(m.memmapOnMemory, 'off');
    assert.equal(m.movableNode, false);
    assert.deepEqual(m.nodes[0]!.zones.map((z) => [z.zone, z.start, z.end]), [['Normal', 0x100000, 0x140000]]);
    assert.deepEqual(m.nodes[0]!.zones[0]!.loc, { line: 3, col: 5, endLine: 3, endCol: 35 });
  });

  it('the full machine of the reference', () => {
    const s = ok(`machine {
  page_size 4K
  pageblock_order 9
  max_page_order 10
  memory_block_size 128M
  section_size 128M
  cpus 2
  memmap_on_memory on
  movable_node off
  node 0 {
    zone DMA    0x1..0x1000
    zone DMA32  0x1000..0x100000
    zone Normal 0x100000..0x140000
    reserved 0x9f..0x100
    hotplug 0x140000..0x180000 offline
    hotplug 0x180000..0x200000 absent
  }
  cma cma0 0x120000+64M order_per_bit 0
  hugetlb 2M pool 16 node 0
  hugetlb 1G pool 1
  virtio_mem vmem0 node 0 0x200000+4G block 2M
}
`);
    const m = s.machine;
    assert.equal(m.cpus, 2);
    assert.equal(m.memmapOnMemory, 'on');
    const n = m.nodes[0]!;
    assert.deepEqual(n.zones.map((z) => z.zone), ['DMA', 'DMA32', 'Normal']);
    assert.deepEqual(n.reserved.map((r) => [r.start, r.end]), [[0x9f, 0x100]]);
    assert.deepEqual(n.hotplug.map((h) => [h.start, h.end, h.state]), [[0x140000, 0x180000, 'offline'], [0x180000, 0x200000, 'absent']]);
    assert.deepEqual(m.cma.map((c) => [c.name, c.start, c.end, c.orderPerBit]), [['cma0', 0x120000, 0x120000 + 16384, 0]]);
    assert.deepEqual(m.hugetlb.map((h) => [h.pages, h.count, h.nid]), [[512, 16, 0], [262144, 1, null]]);
    assert.deepEqual(m.virtioMem.map((v) => [v.name, v.nid, v.start, v.end, v.blockPages]), [['vmem0', 0, 0x200000, 0x200000 + 1048576, 512]]);
  });

  it('kernel, policies, seed, variants', () => {
    const s = ok(`kernel 6.12
policy isolation_granularity = max_order
policy auto_movable_ratio = 250
policy online_policy = auto-movable
seed 42
variant old { kernel 5.18 }
variant new { kernel 5.19; policy isolate_migratetype = kept }
${MACHINE}alloc order 0 movable as r
expect r ok when new
expect r -EBUSY when old, new
`);
    assert.equal(s.kernel, '6.12');
    assert.deepEqual(s.policies, { isolation_granularity: 'max_order', auto_movable_ratio: 250, online_policy: 'auto-movable' });
    assert.equal(s.seed, 42);
    assert.deepEqual(s.variants.map((v) => [v.name, v.kernel, v.policies]), [['old', '5.18', {}], ['new', '5.19', { isolate_migratetype: 'kept' }]]);
    const ex = s.steps.filter((x) => x.kind === 'expect');
    assert.deepEqual(ex.map((e) => e.kind === 'expect' && e.variants), [['new'], ['old', 'new']]);
  });

  it('population', () => {
    const s = ok(`${MACHINE}page 0x100205 slab
page 0x100206 slab reclaimable
pages 0x100000..0x100100 anon
folio 0x100400 order 4 anon
folio 0x100800 order 9 thp
page 0x100010 anon pinned
page 0x100011 anon longterm dirty
page 0x100012 pcp cpu 1
pages 0x1009f..0x100100 reserved
fill Normal 60% movable
fill Normal 2% slab order 0 packed
`);
    const ops = s.steps.map((x) => (x.kind === 'op' ? x.op : null));
    assert.deepEqual(ops[0], { op: 'page', start: 0x100205, end: 0x100206, kind: 'slab', modifiers: [] });
    assert.deepEqual(ops[1], { op: 'page', start: 0x100206, end: 0x100207, kind: 'slab', modifiers: ['reclaimable'] });
    assert.deepEqual(ops[2], { op: 'page', start: 0x100000, end: 0x100100, kind: 'anon', modifiers: [] });
    assert.deepEqual(ops[3], { op: 'folio', pfn: 0x100400, order: 4, kind: 'anon', modifiers: [] });
    assert.deepEqual(ops[4], { op: 'folio', pfn: 0x100800, order: 9, kind: 'thp', modifiers: [] });
    assert.deepEqual(ops[6], { op: 'page', start: 0x100011, end: 0x100012, kind: 'anon', modifiers: ['longterm', 'dirty'] });
    assert.deepEqual(ops[7], { op: 'page', start: 0x100012, end: 0x100013, kind: 'pcp', modifiers: [], cpu: 1 });
    assert.deepEqual(ops[9], { op: 'fill', zone: { nid: 0, zone: 'Normal' }, percent: 60, cls: 'movable', order: 0, packed: false });
    assert.deepEqual(ops[10], { op: 'fill', zone: { nid: 0, zone: 'Normal' }, percent: 2, cls: 'slab', order: 0, packed: true });
    const st = s.steps[7]!;
    assert.equal(st.kind === 'op' && st.cpu, 1);
  });

  it('operations', () => {
    const s = ok(`${MACHINE}alloc order 0 movable as z
alloc order 3 unmovable gfp GFP_KERNEL zone Normal count 100 as a
alloc order 9 movable gfp GFP_ATOMIC|__GFP_HIGH
free a
free 0x100205
free z cpu 1
pin 0x100010 longterm
unpin 0x100010
slab grow Normal 100 reclaimable
slab shrink Normal 50%
drain
drain cpu 1 zone Normal
isolate 0x100000..0x100400 mode offline as iso
unisolate 0x100000..0x100400
alloc_contig_range 0x100000..0x100400 cma as r
alloc_contig_pages 1G node 0 zone Normal as g
cma_alloc cma0 512 align 9 as c
cma_release c
online block 40 online_movable
offline block 40
add_memory 0x140000+128M
remove_memory 0x140000+128M
hugetlb 2M resize 32 node 0
compact Normal order 9
compact Normal
migrate 0x100010 node 0
report
virtio_mem vmem0 plug 256M
virtio_mem vmem0 unplug 128M
checkpoint before_unplug
`);
    const ops = s.steps.map((x) => (x.kind === 'op' ? x.op : x));
    assert.deepEqual(ops[0], { op: 'alloc', order: 0, migratetype: 'movable', gfp: [], zone: null, count: 1 });
    assert.deepEqual(ops[1], { op: 'alloc', order: 3, migratetype: 'unmovable', gfp: ['GFP_KERNEL'], zone: { nid: 0, zone: 'Normal' }, count: 100 });
    assert.deepEqual(ops[2], { op: 'alloc', order: 9, migratetype: 'movable', gfp: ['GFP_ATOMIC', '__GFP_HIGH'], zone: null, count: 1 });
    assert.deepEqual(ops[3], { op: 'free', target: { kind: 'name', name: 'a' }, order: null });
    assert.deepEqual(ops[4], { op: 'free', target: { kind: 'pfn', pfn: 0x100205 }, order: null });
    assert.equal((s.steps[5] as { cpu: number }).cpu, 1);
    assert.equal((s.steps[1] as { name: string }).name, 'a');
    assert.deepEqual(ops[6], { op: 'pin', target: { kind: 'pfn', pfn: 0x100010 }, longterm: true });
    assert.deepEqual(ops[7], { op: 'unpin', target: { kind: 'pfn', pfn: 0x100010 } });
    assert.deepEqual(ops[8], { op: 'slab_grow', zone: { nid: 0, zone: 'Normal' }, pages: 100, reclaimable: true });
    assert.deepEqual(ops[9], { op: 'slab_shrink', zone: { nid: 0, zone: 'Normal' }, percent: 50 });
    assert.deepEqual(ops[10], { op: 'drain', cpu: null, zone: null });
    assert.deepEqual(ops[11], { op: 'drain', cpu: 1, zone: { nid: 0, zone: 'Normal' } });
    assert.deepEqual(ops[12], { op: 'isolate', start: 0x100000, end: 0x100400, mode: 'offline' });
    assert.deepEqual(ops[13], { op: 'unisolate', start: 0x100000, end: 0x100400 });
    assert.deepEqual(ops[14], { op: 'alloc_contig_range', start: 0x100000, end: 0x100400, cma: true, gfp: [] });
    assert.deepEqual(ops[15], { op: 'alloc_contig_pages', pages: 262144, nid: 0, zone: { nid: 0, zone: 'Normal' } });
    assert.deepEqual(ops[16], { op: 'cma_alloc', area: 'cma0', pages: 512, align: 9 });
    assert.deepEqual(ops[17], { op: 'cma_release', target: { kind: 'name', name: 'c' } });
    assert.deepEqual(ops[18], { op: 'online', block: 40, type: 'online_movable' });
    assert.deepEqual(ops[19], { op: 'offline', block: 40 });
    assert.deepEqual(ops[20], { op: 'add_memory', start: 0x140000, end: 0x148000, nid: 0 });
    assert.deepEqual(ops[21], { op: 'remove_memory', start: 0x140000, end: 0x148000 });
    assert.deepEqual(ops[22], { op: 'hugetlb_resize', pages: 512, count: 32, nid: 0 });
    assert.deepEqual(ops[23], { op: 'compact', zone: { nid: 0, zone: 'Normal' }, order: 9 });
    assert.deepEqual(ops[24], { op: 'compact', zone: { nid: 0, zone: 'Normal' }, order: -1 });
    assert.deepEqual(ops[25], { op: 'migrate', target: { kind: 'pfn', pfn: 0x100010 }, nid: 0 });
    assert.deepEqual(ops[26], { op: 'report' });
    assert.deepEqual(ops[27], { op: 'virtio_mem', device: 'vmem0', action: 'plug', pages: 65536 });
    assert.deepEqual(ops[28], { op: 'virtio_mem', device: 'vmem0', action: 'unplug', pages: 32768 });
    assert.deepEqual(s.steps[29], { kind: 'checkpoint', name: 'before_unplug', loc: { line: 40, col: 1, endLine: 40, endCol: 25 } });
    for (const st of s.steps) if (st.kind === 'op') assert.equal(typeof st.loc.line, 'number');
  });

  it('interleave', () => {
    const s = ok(`${MACHINE}alloc order 0 movable as p
interleave {
  cpu 0: alloc_contig_range 0x100000..0x100400 as r
  cpu 1: free p
  schedule cpu 1 lookup, cpu 0 drain, cpu 1 enqueue
}
expect r -EBUSY reason "pcp"
`);
    const il = s.steps[1]!;
    assert.equal(il.kind, 'interleave');
    if (il.kind !== 'interleave') return;
    assert.deepEqual(il.ops.map((o) => [o.cpu, o.op.op, o.name]), [[0, 'alloc_contig_range', 'r'], [1, 'free', null]]);
    assert.deepEqual(il.schedule.map((x) => [x.cpu, x.phase]), [[1, 'lookup'], [0, 'drain'], [1, 'enqueue']]);
    assert.deepEqual(il.loc, { line: 12, col: 1, endLine: 16, endCol: 2 });
    assert.deepEqual(s.steps[2], {
      kind: 'expect', variants: [], loc: { line: 17, col: 1, endLine: 17, endCol: 29 },
      expect: { what: 'result', name: 'r', ok: false, errno: 'EBUSY', pfn: null, reason: 'pcp' },
    });
  });

  it('expectations', () => {
    const s = ok(`${MACHINE}alloc_contig_range 0x100000..0x100400 as r
expect r ok
expect r -EBUSY
expect r -EBUSY at 0x100010 reason "pcp"
expect r migrated == 12
expect Normal.free == 32607
expect Normal.spanned >= 0x8000
expect node 0 Normal.present == 0x8000
expect pageblock 0x100000 movable
expect pageblock 0x100000 isolated
expect page 0x100010 pcp
expect block 33 online Normal
expect block 40 offline
expect buddyinfo Normal == 2 0 2 2 1 3 1 3 3 3 29
expect freelist Normal movable order 10 == 29
expect hugetlb 2M free == 16
expect Normal.free < 4M
`);
    const e = s.steps.filter((x) => x.kind === 'expect').map((x) => (x.kind === 'expect' ? x.expect : null));
    assert.deepEqual(e[0], { what: 'result', name: 'r', ok: true, errno: null, pfn: null, reason: null });
    assert.deepEqual(e[1], { what: 'result', name: 'r', ok: false, errno: 'EBUSY', pfn: null, reason: null });
    assert.deepEqual(e[2], { what: 'result', name: 'r', ok: false, errno: 'EBUSY', pfn: 0x100010, reason: 'pcp' });
    assert.deepEqual(e[3], { what: 'migrated', name: 'r', cmp: '==', value: 12 });
    assert.deepEqual(e[4], { what: 'zone', zone: { nid: 0, zone: 'Normal' }, field: 'free', cmp: '==', value: 32607 });
    assert.deepEqual(e[5], { what: 'zone', zone: { nid: 0, zone: 'Normal' }, field: 'spanned', cmp: '>=', value: 0x8000 });
    assert.deepEqual(e[6], { what: 'zone', zone: { nid: 0, zone: 'Normal' }, field: 'present', cmp: '==', value: 0x8000 });
    assert.deepEqual(e[7], { what: 'pageblock', pfn: 0x100000, migratetype: 'movable', isolated: false });
    assert.deepEqual(e[8], { what: 'pageblock', pfn: 0x100000, migratetype: 'isolate', isolated: true });
    assert.deepEqual(e[9], { what: 'page', pfn: 0x100010, state: 'pcp' });
    assert.deepEqual(e[10], { what: 'block', block: 33, state: 'online', zone: 'Normal' });
    assert.deepEqual(e[11], { what: 'block', block: 40, state: 'offline', zone: null });
    assert.deepEqual(e[12], { what: 'buddyinfo', zone: { nid: 0, zone: 'Normal' }, counts: [2, 0, 2, 2, 1, 3, 1, 3, 3, 3, 29] });
    assert.deepEqual(e[13], { what: 'freelist', zone: { nid: 0, zone: 'Normal' }, migratetype: 'movable', order: 10, cmp: '==', value: 29 });
    assert.deepEqual(e[14], { what: 'hugetlb', pages: 512, field: 'free', cmp: '==', value: 16 });
    assert.deepEqual(e[15], { what: 'zone', zone: { nid: 0, zone: 'Normal' }, field: 'free', cmp: '<', value: 1024 });
  });

  it('sizes, hex and decimal, START+SIZE and START+COUNT', () => {
    const s = ok(`${MACHINE}isolate 1048576+512 as a
isolate 0x100000+2M as b
pages 0x100000..0x100010 anon; alloc_contig_pages 8K
`);
    const ops = s.steps.map((x) => (x.kind === 'op' ? x.op : null));
    assert.deepEqual(ops[0], { op: 'isolate', start: 0x100000, end: 0x100200, mode: 'other' });
    assert.deepEqual(ops[1], { op: 'isolate', start: 0x100000, end: 0x100200, mode: 'other' });
    assert.deepEqual(ops[3], { op: 'alloc_contig_pages', pages: 2, nid: null, zone: null });
  });

  it('names may be soft keywords', () => {
    const s = ok(`variant shrink { policy contig_slab_shrink = on }\n${MACHINE}alloc order 0 movable as pool\nexpect pool ok when shrink\n`);
    assert.equal(s.variants[0]!.name, 'shrink');
  });

  it('scenario is null with errors but partial is kept', () => {
    const a = analyze(`${MACHINE}alloc order 0 movable\nalloc order 99 movable\n`);
    assert.equal(a.scenario, null);
    assert.equal(a.partial.steps.length, 1);
  });
});

describe('language: expect … fails', () => {
  it('lowers to a failed result with no errno, and allows at/reason', () => {
    const { scenario, diagnostics } = analyze(`${MACHINE}compact Normal order 9 as c\nexpect c fails reason "COMPACT_COMPLETE"\n`);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
    const e = scenario!.steps.find((s) => s.kind === 'expect');
    assert.deepEqual(e && e.kind === 'expect' && e.expect, { what: 'result', name: 'c', ok: false, errno: null, pfn: null, reason: 'COMPACT_COMPLETE' });
  });
});
