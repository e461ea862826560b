// The zone map's geometry (src/webview/mapGeometry.ts): arithmetic only, so it is tested without a DOM.
import assert from 'node:assert/strict';
import { LEFT, MapGeometry, TOP, axisLabels, zoneLabelSpot } from '../../../src/webview/mapGeometry.js';

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

describe('webview: the zone band\'s names on the map\'s left axis', () => {
  it('a zone one row high (Movable, the last memory block, maximized: 11 px rows) still has its name', () => {
    const s = zoneLabelSpot(TOP + 17 * 11, TOP + 18 * 11 - 1, 0);
    assert.ok(s, 'the name is drawn');
    assert.ok(s.nameY - 6 >= TOP + 17 * 11 - 2 && s.nameY + 6 <= TOP + 18 * 11 + 2, `inside its row: ${s.nameY}`);
    assert.equal(s.nodeY, null, 'no room for the node line');
  });

  it('a tall zone: the name at its top, the node under it, as before', () => {
    assert.deepEqual(zoneLabelSpot(100, 200, 0), { nameY: 108, nodeY: 124, bottom: 130 });
    assert.deepEqual(zoneLabelSpot(100, 120, 0), { nameY: 108, nodeY: null, bottom: 114 });
  });

  it('a short zone right under another zone\'s name is left unnamed rather than drawn over it', () => {
    const a = zoneLabelSpot(100, 110, 0)!;
    assert.equal(a.nameY, 105);
    assert.equal(zoneLabelSpot(111, 121, a.bottom), null);
    assert.ok(zoneLabelSpot(122, 132, a.bottom), 'one row further down there is room');
  });
});

describe('webview: the map keeps its cursor on screen when its width changes', () => {
  it('zoomed in on a failing pageblock, a narrower inspector (the source opened beside it) still shows it', () => {
    const g = new MapGeometry();
    g.machineEnd = 0x90000;
    g.pbPages = 512;
    g.fit(1100 - LEFT, 440);
    g.cellPages = 512; // a failing row's click: one pageblock a cell, centred on 0x50010
    const pfn = 0x50010;
    g.start = Math.max(0, pfn - (pfn % g.rowPages()) - Math.floor(g.rows / 2) * g.rowPages());
    g.fit(500 - LEFT - 124, 440); // beside the editor: fewer columns, so fewer pages a row
    g.keepInView(pfn);
    g.clampStart();
    const { start, end } = g.view;
    assert.ok(pfn >= start && pfn < end, `0x50010 in view ${start.toString(16)}–${end.toString(16)}`);
  });

  it('a cursor already on screen does not move the view', () => {
    const g = new MapGeometry();
    g.machineEnd = 0x90000;
    g.fit(500, 300);
    g.cellPages = 512;
    g.start = g.rowPages() * 4;
    g.keepInView(g.start + g.rowPages());
    assert.equal(g.start, g.rowPages() * 4);
  });
});

describe('webview: which rows the map axes label', () => {
  it('labels every row of a maximized map (11 px rows) in a slightly smaller font, not every second row', () => {
    assert.deepEqual(axisLabels(11, 13), { every: 1, fontPx: 12 });
    assert.deepEqual(axisLabels(10, 13), { every: 1, fontPx: 10 });
  });

  it('keeps the full font on rows tall enough for it', () => {
    assert.deepEqual(axisLabels(12, 13), { every: 1, fontPx: 13 });
    assert.deepEqual(axisLabels(28, 13), { every: 1, fontPx: 13 });
  });

  it('labels every n-th row at the full size when rows are too short for a 10 px font', () => {
    assert.deepEqual(axisLabels(9, 13), { every: 2, fontPx: 13 });
    assert.deepEqual(axisLabels(4, 13), { every: 3, fontPx: 13 });
  });

  it('never puts two labels closer than their digits are tall', () => {
    for (let h = 4; h <= 30; h++) {
      for (const font of [11, 13, 16]) {
        const { every, fontPx } = axisLabels(h, font);
        assert.ok(fontPx <= font && fontPx >= Math.min(10, font), `row ${h} px, font ${font}: ${fontPx}`);
        assert.ok(fontPx * 0.73 + 2 <= every * h, `row ${h} px, font ${font}: every ${every} at ${fontPx} px`);
      }
    }
  });
});
