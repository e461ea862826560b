// The inspector's colours (src/webview/theme.ts): the colour arithmetic, and the migratetype palette measured in
// VS Code 1.100's themes (the e2e theme steps log what the legend's swatches show; these are those colours).
import assert from 'node:assert/strict';
import { CLASS_LABELS, CLASS_PATTERN, CLASS_VARS, MT_HIGHATOMIC, MT_LABELS, MT_PATTERN, MT_UNMOVABLE, MT_VARS, deltaE, paintMigratetype, paintPageClass, parseColour, withAlpha, type Pattern, type Theme } from '../../../src/webview/theme.js';
import { drawCell } from '../../../src/webview/mapDraw.js';
import type { MapSummary } from '../../../src/shared/protocol.js';

describe('webview: theme colours', () => {
  it('parses the colour forms a webview\'s computed style gives', () => {
    assert.deepEqual(parseColour('#cca700'), [204, 167, 0]);
    assert.deepEqual(parseColour('#ffffffb3'), [255, 255, 255]);
    assert.deepEqual(parseColour('#fa0'), [255, 170, 0]);
    assert.deepEqual(parseColour(' rgb(1, 2, 3) '), [1, 2, 3]);
    assert.deepEqual(parseColour('rgba(10, 20, 30, 0.5)'), [10, 20, 30]);
    assert.equal(parseColour('var(--x)'), null);
    assert.equal(withAlpha('#102030', 0.25), 'rgba(16, 32, 48, 0.25)');
    assert.equal(withAlpha('nonsense', 0.5), 'rgba(128, 128, 128, 0.5)');
  });

  it('measures colour difference as CIE76 ΔE', () => {
    assert.ok(Math.abs(deltaE([0, 0, 0], [255, 255, 255]) - 100) < 0.01);
    assert.equal(deltaE([12, 34, 56], [12, 34, 56]), 0);
  });

  // the theme variables the migratetypes read (MT_VARS), as VS Code 1.100's themes set them
  const themes: Record<string, Record<string, string>> = {
    'Light Modern': { red: '#e51400', green: '#388a34', yellow: '#bf8803', orange: '#d18616', blue: '#1a85ff', purple: '#652d90' },
    'Dark Modern': { red: '#f14c4c', green: '#89d185', yellow: '#cca700', orange: '#d18616', blue: '#3794ff', purple: '#b180d7' },
    'Dark High Contrast': { red: '#f48771', green: '#89d185', yellow: '#ffd370', orange: '#ab5a00', blue: '#3794ff', purple: '#b180d7' },
  };
  // the terminal colours the map reads, as VS Code 1.100 defaults them (terminalColorRegistry: light, dark, hcDark;
  // no theme of the three sets its own)
  const terminal: Record<string, Record<string, string>> = {
    'Light Modern': { ansiCyan: '#0598bc', ansiMagenta: '#bc05bc', ansiBrightYellow: '#b5ba00', ansiBrightCyan: '#0598bc' },
    'Dark Modern': { ansiCyan: '#11a8cd', ansiMagenta: '#bc3fbc', ansiBrightYellow: '#f5f543', ansiBrightCyan: '#29b8db' },
    'Dark High Contrast': { ansiCyan: '#00cdcd', ansiMagenta: '#cd00cd', ansiBrightYellow: '#ffff00', ansiBrightCyan: '#00ffff' },
  };
  const background: Record<string, string> = { 'Light Modern': '#ffffff', 'Dark Modern': '#1f1f1f', 'Dark High Contrast': '#000000' };
  const foreground: Record<string, string> = { 'Light Modern': '#3b3b3b', 'Dark Modern': '#cccccc', 'Dark High Contrast': '#ffffff' };
  /** a theme variable's colour in a theme, as [r, g, b] */
  const colourOf = (theme: string, v: string): [number, number, number] => {
    const c = v.startsWith('--vscode-charts-') ? themes[theme]![v.slice('--vscode-charts-'.length)] :
      v.startsWith('--vscode-terminal-') ? terminal[theme]![v.slice('--vscode-terminal-'.length)] : undefined;
    assert.ok(c, `${v} has no colour in ${theme}`);
    return parseColour(c)!;
  };
  for (const name of Object.keys(themes)) {
    it(`tells the legend's five migratetypes apart in ${name}`, () => {
      // unmovable, movable, reclaimable, highatomic, CMA (isolate is never a pageblock's stored type on the map)
      const rgb = MT_VARS.slice(0, 5).map((v) => colourOf(name, v));
      for (let i = 0; i < rgb.length; i++) {
        for (let j = i + 1; j < rgb.length; j++) {
          const d = deltaE(rgb[i]!, rgb[j]!);
          assert.ok(d >= 30, `${MT_LABELS[i]} and ${MT_LABELS[j]}: ΔE ${d.toFixed(1)}`);
        }
      }
      assert.ok(deltaE(rgb[2]!, rgb[MT_HIGHATOMIC]!) >= 100, 'reclaimable and highatomic are far apart (yellow and blue)');
    });
  }

  // the page classes' coloured swatches (PCP, movable, unmovable, reclaimable slab, pinned, hugetlb, vmemmap) as VS
  // Code 1.100's themes set their variables
  for (const name of Object.keys(themes)) {
    it(`tells the page classes apart in ${name} (reclaimable slab and pinned were two ambers)`, () => {
      const coloured = [1, 2, 3, 4, 5, 6, 7];
      const rgb = coloured.map((i) => colourOf(name, CLASS_VARS[i]!));
      for (let i = 0; i < rgb.length; i++) {
        for (let j = i + 1; j < rgb.length; j++) {
          const d = deltaE(rgb[i]!, rgb[j]!);
          assert.ok(d >= 25, `${CLASS_LABELS[coloured[i]!]} and ${CLASS_LABELS[coloured[j]!]}: ΔE ${d.toFixed(1)}`);
        }
      }
    });
  }

  // Red-green colour blindness (about 8% of men): the colours as a deuteranope and a protanope see them (Machado,
  // Oliveira and Fernandes 2009, severity 1.0, applied to linear RGB). Whatever is told apart by colour alone must
  // stay apart for them too; a class with a pattern is exempt only when painting it does draw that pattern.
  const MACHADO: Record<string, number[][]> = {
    deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  };
  const simulate = (rgb: readonly number[], m: number[][]): number[] => {
    const lin = rgb.map((v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return m.map((row) => {
      const c = Math.min(1, Math.max(0, row[0]! * lin[0]! + row[1]! * lin[1]! + row[2]! * lin[2]!));
      return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
    });
  };
  /** a colour at `alpha` over the background, as the canvas blends it */
  const over = (c: readonly number[], bg: readonly number[], alpha: number) => c.map((v, i) => v * alpha + bg[i]! * (1 - alpha));
  const CVD_MIN = 25;
  /** CIE L* (0 black – 100 white): a pattern's thin marks show by their lightness against what they are drawn on */
  const lightness = (rgb: readonly number[]) => {
    const [r, g, b] = rgb.map((v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }) as [number, number, number];
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
  };
  const MARK_L_MIN = 20;

  it('simulates red-green colour blindness: red and green collapse, blue and yellow stay', () => {
    const d = MACHADO.deuteranopia!, p = MACHADO.protanopia!;
    assert.deepEqual(simulate([255, 255, 255], d).map(Math.round), [255, 255, 255]);
    assert.deepEqual(simulate([0, 0, 0], p).map(Math.round), [0, 0, 0]);
    // Dark High Contrast's charts-red and charts-green: 77 ΔE apart for normal vision, 8 for a deuteranope
    assert.ok(deltaE(simulate([0xf4, 0x87, 0x71], d), simulate([0x89, 0xd1, 0x85], d)) < 10);
    assert.ok(deltaE(simulate([0x37, 0x94, 0xff], p), simulate([0xff, 0xff, 0x00], p)) > 80);
  });

  /** A canvas context that records what is painted (fillRect and path segments, with the style in force). */
  interface Op { op: 'fillRect' | 'segment' | 'fill'; style: string; x: number; y: number; w: number; h: number }
  function recorder() {
    const ops: Op[] = [];
    const stack: [string, string][] = [];
    let fill = '', stroke = '', path: [number, number][][] = [];
    const ctx = {
      get fillStyle() { return fill; }, set fillStyle(v: string) { fill = v; },
      get strokeStyle() { return stroke; }, set strokeStyle(v: string) { stroke = v; },
      lineWidth: 1,
      save() { stack.push([fill, stroke]); }, restore() { [fill, stroke] = stack.pop()!; },
      beginPath() { path = []; }, closePath() {}, clip() {}, rect() {}, setLineDash() {},
      moveTo(x: number, y: number) { path.push([[x, y]]); }, lineTo(x: number, y: number) { path.at(-1)!.push([x, y]); },
      stroke() { for (const sub of path) for (let i = 1; i < sub.length; i++) ops.push({ op: 'segment', style: stroke, x: sub[i - 1]![0], y: sub[i - 1]![1], w: sub[i]![0] - sub[i - 1]![0], h: sub[i]![1] - sub[i - 1]![1] }); },
      fill() { ops.push({ op: 'fill', style: fill, x: 0, y: 0, w: 0, h: 0 }); },
      fillRect(x: number, y: number, w: number, h: number) { ops.push({ op: 'fillRect', style: fill, x, y, w, h }); },
      strokeRect() {},
    };
    return { ctx: ctx as unknown as CanvasRenderingContext2D, ops };
  }
  /** The marks of `p` among the ops painted over a W×H cell, in any colour. */
  const marks = (ops: Op[], p: Pattern, W: number, H: number): Op[] => ops.filter((o) => {
    switch (p) {
      case 'pips': return o.op === 'fillRect' && o.w === 1 && o.h === 1;
      case 'stripes': return o.op === 'fillRect' && o.w === 1 && o.h > 1 && o.h <= H;
      case 'dots': return o.op === 'fillRect' && o.w === 1.5 && o.h === 1.5;
      case 'hatch': return o.op === 'segment' && o.w > 0 && o.h < 0;
      case 'backhatch': return o.op === 'segment' && o.w > 0 && o.h > 0;
      case 'notch': return o.op === 'fill' || o.op === 'segment'; // the corner and its edge
    }
    return false;
  });
  const W = 20, H = 12;

  for (const name of Object.keys(themes)) {
    const bg = parseColour(background[name]!)!;
    const th = {
      mt: MT_VARS.map((v, i) => (i === 5 ? terminal[name]!.ansiCyan! : `#${colourOf(name, v).map((x) => x.toString(16).padStart(2, '0')).join('')}`)),
      cls: CLASS_VARS.map((v, i) => (i >= 1 && i <= 7 ? `#${colourOf(name, v).map((x) => x.toString(16).padStart(2, '0')).join('')}` : '#808080')),
      fg: foreground[name]!, bg: background[name]!,
    };

    it(`paints every patterned migratetype and page class with its pattern, visible to colour-blind eyes, in ${name}`, () => {
      const patterned = (table: readonly (Pattern | null)[]) => table.map((p, i) => [i, p] as const).filter((x): x is readonly [number, Pattern] => x[1] !== null);
      for (const [table, paint, labels] of [
        [MT_PATTERN, (ctx: CanvasRenderingContext2D, i: number) => paintMigratetype(ctx, th, i, 0, 0, W, H, H / 2), MT_LABELS],
        [CLASS_PATTERN, (ctx: CanvasRenderingContext2D, i: number) => paintPageClass(ctx, th, i, 0, 0, W, H), CLASS_LABELS],
      ] as const) {
        const ps = patterned(table);
        assert.equal(new Set(ps.map(([, p]) => p)).size, ps.length, `two ${labels === MT_LABELS ? 'migratetypes' : 'page classes'} share a pattern`);
        for (const [i, p] of ps) {
          const r = recorder();
          paint(r.ctx, i);
          const m = marks(r.ops, p, W, H);
          assert.ok(m.length >= 2, `${labels[i]}: no ${p} painted (${JSON.stringify(r.ops)})`);
          // each mark stands out from what it is drawn over, for every eye: the base colour is the solid colour over
          // the used part, the tint over the free part (isolate's colour is never on the map: its hatch is the
          // isolated mark, drawn over the pageblock's own type)
          if (labels === MT_LABELS && i === 5) continue;
          const base = labels === MT_LABELS ? th.mt[i]! : th.cls[i]!;
          const solid = parseColour(base)!;
          // (a mark is visible when it differs in colour by CVD_MIN and in lightness by MARK_L_MIN, for every eye;
          // pips and stripes are drawn part by part, the rest over the whole cell: the used part and the free
          // part's tint, where the notch shows by its fill or its edge)
          const tint = over(solid, bg, 0.28);
          const parts = labels !== MT_LABELS ? [['solid', solid]] as const : [['used', solid], ['free', tint]] as const;
          for (const [part, under] of parts) {
            const onIt = p === 'pips' || p === 'stripes' ? m.filter((o) => (o.y < H / 2) === (part === 'free')) : m;
            assert.ok(onIt.length, `${labels[i]}'s ${p}: nothing over the ${part} part`);
            for (const [vision, mx] of [['normal', null], ...Object.entries(MACHADO)] as const) {
              const see = (c: readonly number[]) => (mx ? simulate(c, mx) : c);
              const seen = onIt.map((o) => {
                const ink = see(parseColour(o.style)!);
                return { style: o.style, dE: deltaE(ink, see(under)), dL: Math.abs(lightness(ink) - lightness(see(under))) };
              });
              const ok = (x: { dE: number; dL: number }) => x.dE >= CVD_MIN && x.dL >= MARK_L_MIN;
              assert.ok(p === 'notch' ? seen.some(ok) : seen.every(ok),
                `${labels[i]}'s ${p} over its ${part} part (${base}) in ${name}, ${vision}: ${seen.map((x) => `${x.style} ΔE ${x.dE.toFixed(1)} ΔL ${x.dL.toFixed(1)}`).join('; ')}`);
            }
          }
        }
      }
      // and the classes with no pattern draw none (the pattern tells them from the patterned ones)
      const r = recorder();
      paintMigratetype(r.ctx, th, 1, 0, 0, W, H, H / 2);
      assert.equal(r.ops.length, 2, 'movable: a tint and a solid part, nothing else');
    });

    /** a thing of one page's or one pageblock's (cellPages 1 or 512) of migratetype `mt`, `free` of its pages free
     *  and the rest of page class `cls`, with `flags` (mapview.ts: 1 isolated), as drawMap's summary gives it */
    const oneCell = (mt: number, cellPages: number, free: number, cls: number, flags: number): MapSummary => ({
      cells: 1, start: 0, cellPages, pageblockPages: 512, flags: [flags], online: [cellPages],
      mt: MT_LABELS.map((_, t) => [t === mt ? Math.max(1, cellPages / 512) : 0]),
      counts: CLASS_LABELS.map((_, k) => [k === 0 ? free : k === cls ? cellPages - free : 0]),
    }) as unknown as MapSummary;
    const theme = { ...th, muted: '#808080' } as unknown as Theme;
    /** whether marks in `inks` show over `under` for every eye: for each eye some ink differs by CVD_MIN and MARK_L_MIN */
    const showsOn = (inks: readonly string[], under: readonly number[], what: string) => {
      for (const [vision, mx] of [['normal', null], ...Object.entries(MACHADO)] as const) {
        const see = (c: readonly number[]) => (mx ? simulate(c, mx) : c);
        const seen = inks.map((ink) => {
          const c = see(parseColour(ink)!);
          return { ink, dE: deltaE(c, see(under)), dL: Math.abs(lightness(c) - lightness(see(under))) };
        });
        assert.ok(seen.some((x) => x.dE >= CVD_MIN && x.dL >= MARK_L_MIN),
          `${what} in ${name}, ${vision}: ${seen.map((x) => `${x.ink} ΔE ${x.dE.toFixed(1)} ΔL ${x.dL.toFixed(1)}`).join('; ')}`);
      }
    };

    it(`draws the isolated hatch so it shows on every migratetype, used and free, and every page class, in ${name}`, () => {
      // Dark High Contrast's white hatch on a used reclaimable pageblock's bright yellow was 3 L* apart
      const hatchInks = (ops: Op[]) => {
        const lines = marks(ops, 'hatch', W, H);
        const inks = [...new Set(lines.map((o) => o.style))];
        // every line of the hatch carries every ink (an edged line), so whichever ink shows, every line shows
        for (const ink of inks) assert.equal(lines.filter((o) => o.style === ink).length, lines.length / inks.length, `${ink} edges only some lines`);
        assert.ok(inks.length >= 1 && lines.length >= 2 * inks.length, `no hatch painted (${JSON.stringify(ops)})`);
        return inks;
      };
      for (const mt of [0, 1, 2, 3, 4]) {
        // the migratetype view: a pageblock half used, isolated (drawMap paints isolation over the type's cell)
        const r = recorder();
        drawCell(r.ctx, theme, 'migratetype', oneCell(mt, 512, 256, 2, 1), 0, 0, 0, W, H);
        const inks = hatchInks(r.ops);
        const solid = parseColour(th.mt[mt]!)!;
        showsOn(inks, solid, `the isolated hatch over a used ${MT_LABELS[mt]} pageblock (${th.mt[mt]})`);
        showsOn(inks, over(solid, bg, 0.28), `the isolated hatch over a free ${MT_LABELS[mt]} pageblock's tint (${th.mt[mt]})`);
        // zoomed in to pages: a free page of the isolated pageblock, over its tint
        const z = recorder();
        drawCell(z.ctx, theme, 'pages', oneCell(mt, 1, 1, 0, 1), 0, 0, 0, W, H);
        showsOn(hatchInks(z.ops), over(solid, bg, 0.18), `the isolated hatch over a free page of a ${MT_LABELS[mt]} pageblock`);
      }
      // and over the page classes' bars, zoomed in to an isolated pageblock's pages
      for (const k of [1, 2, 3, 4, 5, 6, 7]) {
        const r = recorder();
        drawCell(r.ctx, theme, 'pages', oneCell(1, 1, 0, k, 1), 0, 0, 0, W, H);
        showsOn(hatchInks(r.ops), parseColour(th.cls[k]!)!, `the isolated hatch over a ${CLASS_LABELS[k]} page (${th.cls[k]})`);
      }
    });

    it(`gives the pageblock's tint behind zoomed-in pages its migratetype's pattern in ${name}`, () => {
      // a free page of a pageblock of each type: the tint is all that shows of the pageblock there
      const seenPatterns: string[] = [];
      for (const mt of [0, 1, 2, 3, 4]) {
        const r = recorder();
        drawCell(r.ctx, theme, 'pages', oneCell(mt, 1, 1, 0, 0), 0, 0, 0, W, H);
        const p = MT_PATTERN[mt];
        if (p !== 'pips' && p !== 'stripes') {
          seenPatterns.push('');
          continue;
        }
        const m = marks(r.ops, p, W, H);
        assert.ok(m.length >= 2, `a ${MT_LABELS[mt]} pageblock's free page: no ${p} (${JSON.stringify(r.ops)})`);
        const tint = over(parseColour(th.mt[mt]!)!, bg, 0.18);
        for (const o of m) showsOn([o.style], tint, `the ${p} of a ${MT_LABELS[mt]} pageblock's tint`);
        seenPatterns.push(p);
        // a used page covers the pattern with its own bar (an unmovable page's pips are the background's colour)
        const u = recorder();
        drawCell(u.ctx, theme, 'pages', oneCell(mt, 1, 0, 2, 0), 0, 0, 0, W, H);
        const last = u.ops.findIndex((o) => o.op === 'fillRect' && o.style === th.cls[2] && o.w === W && o.h === H);
        assert.ok(last > 0 && marks(u.ops.slice(0, last), p, W, H).length >= 2, `a used page over a ${MT_LABELS[mt]} pageblock's ${p}`);
      }
      assert.deepEqual(seenPatterns, ['pips', '', '', 'stripes', ''], 'unmovable pipped, highatomic striped, CMA notched by its own mark');
    });

    for (const [vision, mx] of Object.entries(MACHADO)) {
      it(`tells the migratetypes and page classes apart under simulated ${vision} in ${name}, by colour or by pattern`, () => {
        for (const [vars, table, labels, idx] of [
          [MT_VARS, MT_PATTERN, MT_LABELS, [0, 1, 2, 3, 4]],
          [CLASS_VARS, CLASS_PATTERN, CLASS_LABELS, [1, 2, 3, 4, 5, 6, 7]],
        ] as const) {
          const seen = idx.map((i) => simulate(colourOf(name, vars[i]!), mx));
          for (let a = 0; a < idx.length; a++) {
            for (let b = a + 1; b < idx.length; b++) {
              const [i, j] = [idx[a]!, idx[b]!];
              if (table[i] || table[j]) continue; // one of them carries a pattern (checked above): the other does not
              const d = deltaE(seen[a]!, seen[b]!);
              assert.ok(d >= CVD_MIN, `${labels[i]} and ${labels[j]} under ${vision} in ${name}: ΔE ${d.toFixed(1)}`);
            }
          }
        }
      });
    }
  }

  it('marks unmovable with pips, pageblocks and pages alike (red and green are one colour to a deuteranope)', () => {
    assert.equal(MT_PATTERN[MT_UNMOVABLE], 'pips');
    assert.equal(CLASS_PATTERN[CLASS_LABELS.indexOf('unmovable')], 'pips');
  });

  it('keeps all six migratetypes on different theme variables', () => {
    assert.equal(new Set(MT_VARS).size, MT_LABELS.length);
  });

  it('(why highatomic is not charts-orange: next to charts-yellow it is a few ΔE away in Light Modern)', () => {
    assert.ok(deltaE(parseColour('#bf8803')!, parseColour('#d18616')!) < 12);
  });
});
