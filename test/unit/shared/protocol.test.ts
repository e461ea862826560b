// The inspector's message protocol: the guards the host applies to webview messages, and the helpers both sides share.
import * as assert from 'node:assert/strict';
import { isFromWebview, isToWebview, migrationMatches, type MigrationRow } from '../../../src/shared/protocol.js';
import * as mapview from '../../../src/sim/mapview.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hex, pagesSize } from '../../../src/shared/format.js';

describe('inspector protocol', () => {
  it('accepts well-formed webview messages and rejects anything else', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview({ type: 'hoverPage', id: 1, pfn: 0x100205 }));
    assert.ok(isFromWebview({ type: 'viewMap', id: 2, start: 0, end: 512, maxCells: 512, variant: 'old' }));
    assert.ok(isFromWebview({ type: 'reveal', line: 14 }));
    assert.ok(isFromWebview({ type: 'gotoStep', step: 3 }));
    assert.ok(isFromWebview({ type: 'compare', variantA: 'old', variantB: 'new' }));
    for (const bad of [null, 'ready', { type: 'nope' }, { type: 'hoverPage', id: 1, pfn: -1 }, { type: 'hoverPage', id: 1, pfn: 1.5 },
      { type: 'viewMap', id: 1, start: 10, end: 10, maxCells: 1 }, { type: 'reveal' }, { type: 'reveal', line: 0 }, { type: 'gotoStep', step: '1' }]) {
      assert.equal(isFromWebview(bad), false, JSON.stringify(bad));
    }
    assert.ok(isToWebview({ type: 'state', state: {} }));
    assert.equal(isToWebview({ type: 'ready' }), false);
  });

  it('formats pfns and sizes as a kernel developer reads them', () => {
    assert.equal(hex(0x100205), '0x100205');
    assert.equal(pagesSize(512), '2 MiB');
    assert.equal(pagesSize(262144), '1 GiB');
    assert.equal(pagesSize(3), '12 KiB');
  });

  it('filters the migration log by words and result', () => {
    const row: MigrationRow = { src: 0x50010, dst: null, order: 0, result: 'EAGAIN', reason: 'pinned: refcount mismatch', step: 7, line: 34, op: 'alloc_contig_range' };
    assert.ok(migrationMatches(row, '0x50010 pinned', 'all'));
    assert.ok(migrationMatches(row, 'ALLOC_CONTIG', 'failed'));
    assert.equal(migrationMatches(row, '', 'ok'), false);
    assert.equal(migrationMatches(row, 'hotplug', 'all'), false);
  });

  it('the webview map uses the same flag and class numbers as src/sim/mapview.ts', () => {
    const src = readFileSync(join(__dirname, '../../../src/webview/mapDraw.ts'), 'utf8');
    const want = { F_ISOLATED: mapview.F_ISOLATED, F_CMA: mapview.F_CMA, F_VMEMMAP: mapview.F_VMEMMAP, F_OFFLINE: mapview.F_OFFLINE, F_ABSENT: mapview.F_ABSENT, F_HOLE: mapview.F_HOLE, F_HUGETLB: mapview.F_HUGETLB, CLS_FREE: mapview.CLS.free, CLS_PCP: mapview.CLS.pcp };
    for (const [k, v] of Object.entries(want)) assert.match(src, new RegExp(`\\b${k} = ${v}\\b`), `${k} should be ${v} in src/webview/mapDraw.ts`);
  });
});
