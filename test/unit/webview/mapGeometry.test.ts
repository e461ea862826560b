// The zone map's geometry (src/webview/mapGeometry.ts): arithmetic only, so it is tested without a DOM.
import assert from 'node:assert/strict';
import { LEFT, MapGeometry, TOP } from '../../../src/webview/mapGeometry.js';

describe('webview: map geometry', () => {
  const machine = (end: number, plotW = 800, plotH = 400) => {
    const g = new MapGeometry();
    g.machineEnd = end;
    g.pbPages = 512;
    const h = g.fit(plotW, plotH);
    g.cellPages = g.fitPages;
    return { g, h };
  };

  it('fits the whole machine with cells of at least 8 px, one pageblock or more per cell', () => {
    const { g, h } = machine(0x40000);
    assert.ok(g.cellW >= 8 && g.cellH >= 8);
    assert.ok(g.fitPages >= 512 && (g.fitPages & (g.fitPages - 1)) === 0);
    assert.ok(g.rows * g.cols * g.fitPages >= 0x40000, 'every pfn is on screen at the fitted zoom');
    assert.equal(h, TOP + 6 + g.rows * g.cellH);
  });

  it('pfnAt and pointOf are inverse on cell centres', () => {
    const { g } = machine(0x40000);
    for (const pfn of [0, g.cellPages * 3, g.rowPages() * 2 + g.cellPages]) {
      const p = g.pointOf(pfn)!;
      assert.equal(g.pfnAt(p.x, p.y), pfn);
    }
    assert.equal(g.pfnAt(LEFT - 1, TOP + 1), null);
  });

  it('zooming keeps the row of the pfn on screen and stops at one page per cell and at the fitted zoom', () => {
    const { g } = machine(0x40000);
    assert.equal(g.zoomAt(0x20000, 1), false, 'already zoomed out fully');
    const before = g.cellPages;
    assert.equal(g.zoomAt(0x20000, -1), true);
    assert.equal(g.cellPages, before / 2);
    assert.ok(g.view.start <= 0x20000 && 0x20000 < g.view.end);
    while (g.zoomAt(0x20000, -1));
    assert.equal(g.cellPages, 1);
  });
});
