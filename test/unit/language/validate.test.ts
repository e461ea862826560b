// Each semantic check reports a clear message on the right line.
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/index.js';
import { MACHINE, oneError, errors } from './helpers.js';

const L = 11; // first line after MACHINE

const CASES: [string, string, number, string | RegExp][] = [
  ['unknown zone', 'fill Norml 60% movable', L, 'unknown zone `Norml` (did you mean `Normal`?)'],
  ['zone missing in node', 'compact DMA', L, 'node 0 has no ZONE_DMA'],
  ['unknown label', 'free q', L, 'unknown operation `q`'],
  ['label defined later', 'expect r ok\nalloc order 0 movable as r', L, 'defined later (line 12)'],
  ['unknown CMA area', 'cma_alloc cma9 512', L, 'unknown CMA area `cma9`'],
  ['unknown device', 'virtio_mem vmem9 plug 2M', L, 'unknown virtio-mem device `vmem9`'],
  ['unknown variant', 'alloc order 0 movable as r\nexpect r ok when nope', L + 1, 'unknown variant `nope`'],
  ['unknown memory block', 'online block 99', L, 'memory block 99 does not exist'],
  ['pfn outside every zone', 'page 0x10 anon', L, 'pfn 0x10 is outside every zone and hotplug range'],
  ['range outside', 'alloc_contig_range 0x17ff00..0x190000', L, /not inside the machine's zones/],
  ['range beyond', 'isolate 0x300000000..0x300000400', L, 'not inside'],
  ['add_memory misaligned', 'add_memory 0x140000+1M', L, 'not aligned to the memory block size (32768 pages = 128 MiB)'],
  ['folio misaligned', 'folio 0x100008 order 4 anon', L, 'not aligned to its order 4'],
  ['alloc order too big', 'alloc order 11 movable', L, 'order 11 is above MAX_PAGE_ORDER (10)'],
  ['folio order too big', 'folio 0x100000 order 18 thp', L, 'above MAX_PAGE_ORDER'],
  ['number beyond 2^64', 'page 0x1ffffffffffffffffff anon', L, 'does not fit in 64 bits'],
  ['size not whole pages', 'alloc_contig_pages 6K', L, 'not a whole number of 4K pages'],
  ['duplicate label', 'alloc order 0 movable as a\nalloc order 0 movable as a', L + 1, 'duplicate operation name `a` (first defined on line 11)'],
  ['duplicate checkpoint', 'checkpoint c\ncheckpoint c', L + 1, 'duplicate checkpoint name'],
  ['unknown policy', 'policy isolation = pageblock', L, /unknown policy `isolation`.*policies: isolation_granularity/],
  ['invalid policy value', 'policy contig_pcp = never', L, 'invalid value `never` for policy contig_pcp; allowed: drain_once, disable'],
  ['numeric policy', 'policy auto_movable_ratio = high', L, 'takes a number'],
  ['unknown kernel', 'kernel 4.19', L, 'unknown kernel preset `4.19`; presets: 5.10'],
  ['cpu beyond machine', 'alloc order 0 movable cpu 2', L, 'cpu 2 does not exist: the machine has 2 CPUs'],
  ['interleave cpu twice', 'interleave {\n  cpu 0: drain\n  cpu 0: report\n}', L + 2, 'cpu 0 already runs an operation'],
  ['schedule cpu not in interleave', 'interleave {\n  cpu 0: drain\n  schedule cpu 1 run\n}', L + 2, 'cpu 1 has no operation in this interleave'],
  ['invalid phase', 'interleave {\n  cpu 0: alloc_contig_range 0x100000..0x100400\n  schedule cpu 0 enqueue\n}', L + 2, '`enqueue` is not a phase of alloc_contig_range; phases: isolate, drain, migrate'],
  ['phase order', 'interleave {\n  cpu 0: alloc_contig_range 0x100000..0x100400\n  schedule cpu 0 migrate, cpu 0 drain\n}', L + 2, 'already passed phase `drain`'],
  ['unknown errno', 'alloc order 0 movable as r\nexpect r -EFOO', L + 1, 'unknown errno `-EFOO`'],
  ['option not accepted', 'free 0x100000 count 3', L, '`count` is not an option of `free`'],
  ['unknown flag', 'alloc order 0 movable sticky', L, 'unexpected `sticky` in `alloc`'],
  ['missing kind', 'page 0x100000', L, 'needs a page kind'],
  ['empty range', 'isolate 0x100400..0x100000', L, 'empty range'],
  ['statement misplaced', 'zone Normal 0x1..0x2', L, '`zone` is not allowed at the top level; it belongs inside `node N { … }`'],
  ['pfn is not a size', 'page 4M anon', L, 'expected a pfn (0x10000 or 65536) after `page`, found `4M`'],
  ['order is not a size', 'alloc order 2M movable', L, 'an order is a number, not a size'],
  ['keyword as name', 'checkpoint free', L, 'expected a checkpoint name after `checkpoint`, found `free`'],
];

describe('language: semantic validation', () => {
  for (const [what, text, line, msg] of CASES) {
    it(what, () => oneError(MACHINE + text + '\n', line, msg));
  }

  it('error ranges are exact', () => {
    const d = analyze(MACHINE + 'fill Norml 60% movable\n').diagnostics[0]!;
    assert.deepEqual(d.loc, { line: L, col: 6, endLine: L, endCol: 11 });
  });

  const LAYOUT: [string, string, string | RegExp][] = [
    ['overlapping zones', 'machine {\n  node 0 {\n    zone DMA32 0x1000..0x100000\n    zone Normal 0x80000..0x140000\n  }\n}', 'starts below the end of ZONE_DMA32'],
    ['zones out of order', 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n    zone DMA32 0x1000..0x100000\n  }\n}', 'ordered DMA < DMA32 < Normal < Movable'],
    ['hotplug misaligned', 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n    hotplug 0x140000..0x140200 absent\n  }\n}', 'not aligned to the memory block size'],
    ['hotplug overlaps zone', 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n    hotplug 0x138000..0x148000 absent\n  }\n}', 'overlaps node 0 ZONE_NORMAL'],
    ['CMA outside zones', 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n  cma c 0x200000+4M\n}', 'does not lie inside one zone'],
    ['CMA misaligned', 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n  cma c 0x100100+4M\n}', 'not pageblock-aligned'],
    ['duplicate CMA', 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n  cma c 0x100000+4M\n  cma c 0x110000+4M\n}', 'duplicate CMA area name `c`'],
    ['duplicate node', 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n  node 0 {\n    zone Movable 0x140000..0x180000\n  }\n}', 'duplicate node 0'],
    ['page size', 'machine {\n  page_size 64K\n}', 'only 4K pages'],
    ['pageblock above max order', 'machine {\n  pageblock_order 11\n}', 'pageblock_order 11 is above max_page_order 10'],
    ['huge page size', 'machine {\n  hugetlb 4M pool 1\n}', 'unsupported huge page size `4M`: 2M (PMD) or 1G'],
    ['duplicate variant', 'variant a { kernel 6.1 }\nvariant a { kernel 6.6 }', 'duplicate variant name `a`'],
    ['duplicate device', 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n  virtio_mem v node 0 0x200000+128M block 2M\n  virtio_mem v node 0 0x300000+128M block 2M\n}', 'duplicate virtio-mem device name `v`'],
    ['no machine', 'alloc order 0 movable', 'no `machine { … }` block'],
  ];
  for (const [what, text, msg] of LAYOUT) {
    it(what, () => {
      const e = errors(text);
      assert.equal(e.length, 1, e.join('\n'));
      if (typeof msg === 'string') assert.ok(e[0]!.includes(msg), e[0]);
      else assert.match(e[0]!, msg);
    });
  }

  it('an unaligned zone end is a warning (real firmware layouts)', () => {
    const a = analyze('machine {\n  node 0 {\n    zone DMA 0x1..0x1000\n    zone DMA32 0x1000..0x3ffe0\n  }\n}\n');
    assert.deepEqual(a.diagnostics.map((d) => [d.severity, d.loc.line]), [['warning', 4]]);
    assert.match(a.diagnostics[0]!.message, /ZONE_DMA32 end 0x3ffe0 is not pageblock-aligned/);
    assert.ok(a.scenario);
  });
});
