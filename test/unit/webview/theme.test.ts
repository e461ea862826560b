// The inspector's colours (src/webview/theme.ts): the colour arithmetic, and the migratetype palette measured in
// VS Code 1.100's themes (the e2e theme steps log what the legend's swatches show; these are those colours).
import assert from 'node:assert/strict';
import { CLASS_LABELS, CLASS_VARS, MT_HIGHATOMIC, MT_LABELS, MT_VARS, deltaE, parseColour, withAlpha } from '../../../src/webview/theme.js';

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
  for (const [name, charts] of Object.entries(themes)) {
    it(`tells the legend's five migratetypes apart in ${name}`, () => {
      // unmovable, movable, reclaimable, highatomic, CMA (isolate is never a pageblock's stored type on the map)
      const rgb = MT_VARS.slice(0, 5).map((v) => {
        const c = charts[v.replace('--vscode-charts-', '')];
        assert.ok(c, `${v} is not a chart colour`);
        return parseColour(c)!;
      });
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
  // Code 1.100's themes set their variables (terminal.ansiCyan/ansiMagenta: the default terminal colours)
  const classColours: Record<string, Record<string, string>> = {
    'Light Modern': { '--vscode-terminal-ansiCyan': '#0598bc', '--vscode-terminal-ansiMagenta': '#bc05bc' },
    'Dark Modern': { '--vscode-terminal-ansiCyan': '#11a8cd', '--vscode-terminal-ansiMagenta': '#bc3fbc' },
    'Dark High Contrast': { '--vscode-terminal-ansiCyan': '#0fa8cd', '--vscode-terminal-ansiMagenta': '#bc3fbc' },
  };
  for (const [name, charts] of Object.entries(themes)) {
    it(`tells the page classes apart in ${name} (reclaimable slab and pinned were two ambers)`, () => {
      const coloured = [1, 2, 3, 4, 5, 6, 7];
      const rgb = coloured.map((i) => {
        const v = CLASS_VARS[i]!;
        const c = classColours[name]![v] ?? charts[v.replace('--vscode-charts-', '')];
        assert.ok(c, `${v} has no colour in ${name}`);
        return parseColour(c)!;
      });
      for (let i = 0; i < rgb.length; i++) {
        for (let j = i + 1; j < rgb.length; j++) {
          const d = deltaE(rgb[i]!, rgb[j]!);
          assert.ok(d >= 25, `${CLASS_LABELS[coloured[i]!]} and ${CLASS_LABELS[coloured[j]!]}: ΔE ${d.toFixed(1)}`);
        }
      }
    });
  }

  it('keeps all six migratetypes on different theme variables', () => {
    assert.equal(new Set(MT_VARS).size, MT_LABELS.length);
  });

  it('(why highatomic is not charts-orange: next to charts-yellow it is a few ΔE away in Light Modern)', () => {
    assert.ok(deltaE(parseColour('#bf8803')!, parseColour('#d18616')!) < 12);
  });
});
