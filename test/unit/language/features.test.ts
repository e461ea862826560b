// Completion, hover, formatting, outline, folding and semantic tokens.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complete, hover, format, applyEdits, documentSymbols, foldingRanges, semanticTokens } from '../../../src/language/index.js';
import { runCheck } from '../../../src/cli/check.js';
import { MACHINE, cursor } from './helpers.js';
import type { PageInfo } from '../../../src/sim/api.js';

const M = `variant old { kernel 5.18 }\n${MACHINE}alloc order 0 movable as p\n`;
const labels = (src: string) => { const c = cursor(src); return complete(c.text, c.line, c.col).map((i) => i.label); };
const has = (src: string, ...want: string[]) => { const got = labels(src); for (const w of want) assert.ok(got.includes(w), `${w} not in [${got.join(' ')}]`); return got; };
const hasNot = (src: string, ...bad: string[]) => { const got = labels(src); for (const b of bad) assert.ok(!got.includes(b), `${b} in [${got.join(' ')}]`); };

describe('language: completion', () => {
  it('statement keywords by block', () => {
    has('|', 'machine', 'alloc', 'alloc_contig_range', 'expect', 'kernel', 'policy', 'interleave', 'variant');
    hasNot('|', 'zone', 'cpus');
    has('machine {\n  |\n}', 'cpus', 'node', 'cma', 'hugetlb', 'virtio_mem', 'memmap_on_memory');
    hasNot('machine {\n  |\n}', 'alloc', 'zone');
    // `hotplug` twice: the keyword and the hotplug snippet (snippets are offered by the service in their block)
    assert.deepEqual(labels('machine {\n  node 0 {\n    |\n  }\n}'), ['zone', 'reserved', 'hole', 'hotplug', 'hotplug']);
    has(M + 'interleave {\n  |\n}', 'cpu', 'schedule');
    has(M + 'interleave {\n  cpu 0: |\n}', 'alloc_contig_range', 'free', 'offline');
    assert.deepEqual(labels('variant v {\n  |\n}'), ['kernel', 'policy']);
  });
  it('a partial word filters', () => {
    assert.deepEqual([...new Set(labels(M + 'alloc_c|'))], ['alloc_contig_range', 'alloc_contig_pages']);
  });
  it('snippets for whole blocks', () => {
    const c = cursor('|');
    const m = complete(c.text, c.line, c.col).find((i) => i.kind === 'snippet' && i.label === 'machine');
    assert.ok(m?.snippet && m.insertText?.includes('node 0 {'));
  });
  it('arguments after an operation', () => {
    has(M + 'alloc |', 'order', 'movable', 'unmovable', 'gfp', 'zone', 'count', 'as', 'cpu');
    hasNot(M + 'alloc order 0 |', 'order');
    has(M + 'pin 0x100000 |', 'longterm');
    has(M + 'fill Normal 60% |', 'movable', 'slab', 'packed');
    has(M + 'online block 40 |', 'online_movable', 'online_kernel');
    assert.deepEqual(labels(M + 'isolate 0x100000..0x100400 mode |'), ['other', 'cma', 'offline']);
  });
  it('names defined in the file', () => {
    assert.deepEqual(labels(M + 'free |'), ['p']);
    has(M + 'expect |', 'p', 'Normal', 'pageblock', 'buddyinfo');
    assert.deepEqual(labels(M + 'cma_alloc |'), ['cma0']);
    assert.deepEqual(labels(M + 'virtio_mem |'), ['vmem0']);
    assert.deepEqual(labels(M + 'expect p ok when |'), ['old']);
    hasNot(M + 'free |\nalloc order 0 movable as later\n', 'later');
  });
  it('values', () => {
    has(M + 'fill |', 'Normal', 'DMA32');
    has(M + 'alloc order 0 movable zone |', 'Normal');
    has(M + 'page 0x100000 |', 'anon', 'slab', 'pcp', 'reclaimable', 'pinned');
    has(M + 'expect pageblock 0x100000 |', 'movable', 'isolate', 'isolated', 'cma');
    has(M + 'expect page 0x100000 |', 'buddy', 'pcp', 'allocated');
    assert.deepEqual(labels(M + 'expect block 33 |'), ['valid_zones', 'online', 'offline', 'absent']);
    has(M + 'expect Normal.|', 'free', 'spanned', 'present', 'managed', 'nr_isolate_pageblock');
    has(M + 'expect p |', 'ok', '-EBUSY', '-ENOMEM', 'migrated');
    has(M + 'alloc order 0 movable gfp |', 'GFP_KERNEL', '__GFP_HIGH');
    has('machine {\n  node 0 {\n    hotplug 0x0..0x8000 |\n', 'offline', 'absent');
    has('machine {\n  memmap_on_memory |\n}', 'force');
  });
  it('policies, values and kernel presets', () => {
    has(M + 'policy |', 'isolation_granularity', 'contig_pcp', 'page_reporting');
    assert.deepEqual(labels(M + 'policy contig_pcp = |'), ['drain_once', 'disable']);
    assert.deepEqual(labels(M + 'policy isolation_granularity = |'), ['pageblock', 'max_order']);
    has(M + 'kernel |', '5.10', '6.12', 'latest');
  });
  it('memory blocks, cpus, orders', () => {
    has(M + 'online block |', '32', '33', '40', '47');
    hasNot(M + 'online block |', '100');
    assert.deepEqual(labels(M + 'drain cpu |'), ['0', '1']);
    assert.equal(labels(M + 'alloc order |').length, 11);
  });
  it('phases in schedule', () => {
    const il = 'interleave {\n  cpu 0: alloc_contig_range 0x100000..0x100400 as r\n  cpu 1: free p\n  schedule cpu 1 lookup, cpu 0 |\n}';
    assert.deepEqual(labels(M + il), ['isolate', 'drain', 'migrate', 'dissolve', 'test', 'take', 'undo']);
    assert.deepEqual(labels(M + 'interleave {\n  cpu 1: free p\n  schedule cpu 1 |\n}'), ['lookup', 'enqueue']);
  });
  it('nothing inside comments and strings', () => {
    assert.deepEqual(labels(M + '# alloc |'), []);
    assert.deepEqual(labels(M + 'expect p -EBUSY reason "pc|"'), []);
  });
});

describe('language: hover', () => {
  const h = (src: string, info?: (pfn: number) => PageInfo | undefined) => { const c = cursor(src); return hover(c.text, c.line, c.col, info)?.contents ?? ''; };
  it('keywords name the kernel function, phases and errnos', () => {
    const t = h(M + '|alloc_contig_range 0x100000..0x100400');
    assert.match(t, /alloc_contig_range\(\)`, mm\/page_alloc\.c/);
    assert.match(t, /isolate` → `drain` → `migrate`/);
    assert.match(t, /-EBUSY/);
    assert.match(h(M + 'off|line block 40'), /offline_pages\(\)`, mm\/memory_hotplug\.c/);
    assert.match(h(M + 'alloc order 0 movable a|s x'), /names the operation/);
    assert.match(h('machine {\n  max_pag|e_order 10\n}'), /MAX_PAGE_ORDER/);
  });
  it('a pfn shows address, zone, pageblock and memory block, and the page state', () => {
    const info = (pfn: number): PageInfo => ({ pfn, nid: 0, zone: 'Normal', block: 32, pageblock: 0x100000, migratetype: 'movable', isolated: false, state: 'pcp', head: pfn, order: 0, kind: null, modifiers: [], owner: null, cpu: 1, lastMigration: null });
    const t = h(M + 'page 0x1002|05 slab', info);
    assert.match(t, /pfn 0x100205/);
    assert.match(t, /physical address 0x100205000/);
    assert.match(t, /ZONE_NORMAL/);
    assert.match(t, /pageblock 0x100200/);
    assert.match(t, /memory block 32/);
    assert.match(t, /state:\*\* pcp/);
    assert.match(t, /cpu 1's PCP list/);
  });
  it('a size shows pages and pageblocks', () => {
    const t = h(M + 'alloc_contig_pages 6|4M');
    assert.match(t, /16384 pages \(64 MiB\)/);
    assert.match(t, /32 pageblocks/);
  });
  it('a range shows both ends, length and pageblocks', () => {
    const t = h(M + 'isolate 0x100000..0x10|0400');
    assert.match(t, /range 0x100000\.\.0x100400/);
    assert.match(t, /1024 pages \(4 MiB\)/);
    assert.match(t, /2 pageblocks/);
  });
  it('values and names', () => {
    assert.match(h(M + 'alloc order 0 mov|able'), /MIGRATE_MOVABLE/);
    assert.match(h(M + 'fill Nor|mal 60% movable'), /ZONE_NORMAL/);
    assert.match(h(M + 'policy contig|_pcp = disable'), /zone_pcp_disable/);
    assert.match(h(M + 'expect |p ok'), /defined on line 12/);
    assert.match(h(M + 'expect p -EB|USY'), /-EBUSY/);
    assert.match(h(M + 'online block 3|3'), /memory block 33.*\n- pfns 0x108000\.\.0x110000/);
    assert.equal(h(M + '# a comm|ent'), '');
  });
});

describe('language: formatting', () => {
  const messy = `machine   {\ncpus 2   # two\n    node 0{\nzone Normal 0x100000 .. 0x140000\n   }\n}\n\nalloc order  0 movable gfp GFP_KERNEL | __GFP_HIGH  as x;free x\nexpect  Normal . free>=3\n`;
  it('canonical indentation and spacing, comments kept', () => {
    const out = applyEdits(messy, format(messy));
    assert.equal(out, `machine {\n  cpus 2 # two\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\n\nalloc order 0 movable gfp GFP_KERNEL|__GFP_HIGH as x; free x\nexpect Normal.free >= 3\n`);
  });
  it('idempotent', () => {
    const once = applyEdits(messy, format(messy));
    assert.deepEqual(format(once), []);
  });
  it('broken lines are left untouched', () => {
    const t = 'machine {\ncpus   2\n  node 0 { zone ))) 0x1\n}\n';
    const out = applyEdits(t, format(t));
    assert.ok(out.includes('  node 0 { zone ))) 0x1'));
    assert.ok(out.includes('  cpus 2'));
  });
  it('keeps every character of the tokens (fuzz-ish)', () => {
    const t = 'kernel 6.12 ; seed 1\r\nvariant a { kernel 5.18 }\r\n';
    const out = applyEdits(t, format(t));
    assert.equal(out.replace(/\s/g, ''), t.replace(/\s/g, ''));
    assert.deepEqual(format(out), []);
  });
});

describe('language: outline, folding, semantic tokens', () => {
  const text = `kernel 6.12\n${MACHINE}alloc order 0 movable as p\ninterleave {\n  cpu 0: alloc_contig_range 0x100000..0x100400 as r\n  cpu 1: free p\n}\nexpect r ok\ncheckpoint c\n`;
  it('symbols', () => {
    const s = documentSymbols(text);
    assert.deepEqual(s.map((x) => [x.name, x.kind]), [['kernel 6.12', 'policy'], ['machine', 'machine'], ['p', 'label'], ['interleave', 'interleave'], ['expect r ok', 'expect'], ['c', 'checkpoint']]);
    const m = s[1]!;
    assert.deepEqual(m.children.map((c) => c.name), ['node 0', 'cma0', 'vmem0']);
    assert.deepEqual(m.children[0]!.children.map((c) => c.name), ['DMA32', 'Normal', 'hotplug']);
    assert.deepEqual(s[3]!.children.map((c) => c.name), ['r', 'cpu 1: free p']);
    assert.equal(m.loc.line, 2);
    assert.equal(m.loc.endLine, 11);
  });
  it('folding', () => {
    const f = foldingRanges('# a\n# b\nmachine {\n  node 0 {\n    zone Normal 0x0..0x8000\n  }\n}\n');
    assert.deepEqual(f, [{ startLine: 1, endLine: 2, kind: 'comment' }, { startLine: 3, endLine: 6, kind: 'region' }, { startLine: 4, endLine: 5, kind: 'region' }]);
  });
  it('semantic tokens', () => {
    const t = semanticTokens('alloc order 0 movable zone Normal as x # c\nfree x');
    assert.deepEqual(t.map((x) => [x.line, x.col, x.length, x.type, x.modifiers.join()]), [
      [1, 1, 5, 'function', ''], [1, 7, 5, 'keyword', ''], [1, 13, 1, 'number', ''], [1, 15, 7, 'enumMember', ''],
      [1, 23, 4, 'keyword', ''], [1, 28, 6, 'type', ''], [1, 35, 2, 'keyword', ''], [1, 38, 1, 'variable', 'declaration'],
      [1, 40, 3, 'comment', ''], [2, 1, 4, 'function', ''], [2, 6, 1, 'variable', ''],
    ]);
  });
});

describe('mmscn check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmscn-check-'));
  it('prints file:line:col: error: message and returns 2', () => {
    const f = join(dir, 'bad.mmscn');
    writeFileSync(f, `${MACHINE}alloc order 11 movable\n`);
    const out: string[] = [];
    assert.equal(runCheck([f], (l) => out.push(l)), 2);
    assert.deepEqual(out, [`${f}:11:7: error: alloc order 11 is above MAX_PAGE_ORDER (10)`]);
  });
  it('returns 0 for a clean file and prints warnings', () => {
    const f = join(dir, 'ok.mmscn');
    writeFileSync(f, 'machine {\n  node 0 {\n    zone DMA32 0x1000..0x3ffe0\n  }\n}\n');
    const out: string[] = [];
    assert.equal(runCheck([f], (l) => out.push(l)), 0);
    assert.equal(out.length, 1);
    assert.match(out[0]!, /:3:5: warning: ZONE_DMA32 end/);
  });
  it('an unreadable file is an error', () => {
    const out: string[] = [];
    assert.equal(runCheck([join(dir, 'missing.mmscn')], (l) => out.push(l)), 2);
    assert.match(out[0]!, /missing\.mmscn:1:1: error: cannot read file/);
  });
});

describe('language: sysctl', () => {
  const M2 = MACHINE + '\n';
  it('hover on the name gives its range, what it does and the kernel function; completion offers the knobs', () => {
    const c = cursor(M2 + 'sysctl vm.watermark_sc|ale_factor 200\n');
    const t = hover(c.text, c.line, c.col)?.contents ?? '';
    assert.match(t, /\*\*vm\.watermark_scale_factor\*\* \(1\.\.3000\)/);
    assert.match(t, /__setup_per_zone_wmarks/);
    const k = cursor(M2 + 'sysctl |');
    const items = complete(k.text, k.line, k.col).map((i) => i.label);
    assert.ok(items.includes('vm.compaction_proactiveness'), items.join(' '));
    assert.ok(items.includes('vm.min_free_kbytes'));
  });
});
