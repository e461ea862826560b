#!/usr/bin/env node
// Way B: the packaged extension, used as a person would. Packages the .vsix (`npm run package`: production
// esbuild bundle + vsce 3.9), installs it into a fresh code-server extensions dir with code-server's own
// --install-extension, opens the workspace in Chromium and drives the workbench with the keyboard and
// mouse: open files from the explorer, see squiggles and Problems, type and accept a completion, hover a
// keyword and a pfn, run commands through F1. Screenshots of every step go to .test-output/e2e/*.png.
//
//   node test/e2e/run.mjs        (needs `bash scripts/setup-vscode.sh` once)
//
// Each step counts as one test; the counts go to $MMSCN_RESULTS. A failing step does not stop the others
// (each starts by closing widgets), except when the workbench itself does not come up.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  bundleExtension, elapsed, freshDir, launchBrowser, ROOT, startCodeServer, tailLogs, webviewFrame, writeResults,
} from '../integration/harness.mjs';
import { workbench } from './workbench.mjs';

const STEP_TIMEOUT = Number(process.env.MMSCN_E2E_STEP_TIMEOUT_MS ?? 30_000);
const MAX_VSIX_BYTES = 3 * 1024 * 1024;
const t0 = Date.now();
const log = (s) => console.log(`[e2e ${elapsed(t0)}] ${s}`);
const dir = freshDir('e2e');
const wb = workbench({ dir, stepTimeout: STEP_TIMEOUT });
const results = wb.results;
const { step, activeEditor, clickEditor, domScrolledSideways, editorLines, hoverText, resetUi, openFromExplorer, runCommand } = wb;
let page;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000, ...opts });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, status: r.status };
}

// ------------------------------------------------------------------ the run
let server;
let browser;
let vsix = join(ROOT, 'mmscn.vsix');
try {
  await step('npm run package builds a small .vsix with only what the extension needs', async () => {
    const r = run('npm', ['run', '--silent', 'package']);
    if (!r.ok || !existsSync(vsix)) {
      // Keep going with a .vsix of what does build, so the other steps still say something.
      await bundleExtension({ minify: true, sourcemap: false });
      const p = run('npx', ['vsce', 'package', '--no-dependencies', '--skip-license', '--out', vsix]);
      const lines = r.out.split('\n').filter((l) => !/^npm warn/.test(l));
      const errs = lines.filter((l) => /✘|ERROR|error[: ]/i.test(l) && !/^\s+at /.test(l));
      throw new Error(`npm run package failed (exit ${r.status}):\n${(errs.length ? errs.slice(0, 12) : lines.slice(-15)).join('\n')}\n` +
        `(continuing with a .vsix built by esbuild alone${p.ok ? '' : ' — that failed too:\n' + p.out})`);
    }
    const size = statSync(vsix).size;
    const ls = run('npx', ['vsce', 'ls', '--no-dependencies']);
    const files = ls.out.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('npm warn'));
    const allowed = /^(package\.json|dist\/(extension|web|cli|lsp|lsp-worker|webview)\.js|dist\/[^/]+\.css|syntaxes\/.+|snippets\/.+|language-configuration\.json|media\/.+\.(png|md)|README\.md|CHANGELOG\.md|LICENSE(\.md|\.txt)?)$/;
    const unexpected = files.filter((f) => !allowed.test(f));
    log(`mmscn.vsix: ${(size / 1024).toFixed(0)} KiB, ${files.length} files`);
    if (unexpected.length) throw new Error(`unexpected files in the .vsix: ${unexpected.join(', ')}`);
    if (size > MAX_VSIX_BYTES) throw new Error(`the .vsix is ${size} bytes (limit ${MAX_VSIX_BYTES})`);
    for (const need of ['dist/extension.js', 'package.json', 'media/icon.png']) if (!files.includes(need)) throw new Error(`${need} is not in the .vsix`);
  });

  await step('the packaged README carries its images (the details page loads only https: and data: images)', async () => {
    if (!existsSync(vsix)) throw new Error('no .vsix');
    const r = run('unzip', ['-p', vsix, 'extension/readme.md']);
    if (!r.ok) throw new Error(`no extension/readme.md in the .vsix: ${r.out.slice(0, 300)}`);
    const images = [...r.out.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
    if (images.length < 2) throw new Error(`the packaged README has ${images.length} images`);
    const blocked = images.filter((u) => !/^(data:image\/|https:)/.test(u));
    if (blocked.length) throw new Error(`images the details page will not load: ${blocked.join(', ')}`);
  });

  const ws = await wb.installExtension(vsix);

  server = await startCodeServer({ dir, workspace: ws });
  log(`code-server at ${server.url}`);
  browser = await launchBrowser();
  page = await wb.openWorkbench(browser, server.url, ws);

  await step('a sample opens from the explorer as an mmscn file', async () => {
    const samples = readdirSync(join(ws, 'samples'), { recursive: true }).filter((f) => f.endsWith('.mmscn')).sort();
    if (!samples.length) throw new Error('no samples/**/*.mmscn in the workspace');
    await openFromExplorer('samples', ...samples[0].split('/'));
    const mode = page.locator('.statusbar-item[id="status.editor.mode"]');
    await page.waitForFunction(() => /mmscn/i.test(document.querySelector('.statusbar-item[id="status.editor.mode"]')?.textContent ?? ''), null, { timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Error(`language mode is ${await mode.textContent()}`); });
  });

  await step('the run button is in the editor title of an mmscn file', async () => {
    await openFromExplorer('basic.mmscn');
    await page.locator('.editor-group-container.active .editor-actions [aria-label*="Run Scenario"]').first().waitFor({ timeout: STEP_TIMEOUT });
  });

  await step('an error shows as a squiggle and in Problems', async () => {
    await resetUi();
    await openFromExplorer('broken.mmscn');
    await activeEditor().locator('.squiggly-error').first().waitFor({ timeout: STEP_TIMEOUT });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: /Highmem|zone/i }).first();
    await row.waitFor({ timeout: STEP_TIMEOUT }).catch(async () => {
      const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
      throw new Error(`Problems does not list the Highmem error: ${JSON.stringify(rows)}`);
    });
    const label = await row.getAttribute('aria-label');
    if (!/10/.test(label ?? '') && !/10/.test(await row.innerText())) throw new Error(`problem not on line 10: ${label}`);
  });

  await step('typing, Ctrl+Space and Enter complete a migratetype', async () => {
    await resetUi();
    await openFromExplorer('basic.mmscn');
    await clickEditor();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('alloc order 0 mov', { delay: 25 });
    await page.keyboard.press('Escape'); // close what typing opened; Ctrl+Space opens a fresh list
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await rows.first().waitFor({ timeout: STEP_TIMEOUT });
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    if (!labels.some((l) => /movable/.test(l))) throw new Error(`no 'movable' in the suggestions: ${JSON.stringify(labels)}`);
    const focused = await page.locator('.suggest-widget .monaco-list-row.focused').getAttribute('aria-label');
    if (!/movable/.test(focused ?? '')) throw new Error(`the focused suggestion is ${focused}`);
    await page.screenshot({ path: wb.shotFile('completion-list') });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('.editor-group-container.active .view-line')]
      .some((l) => /^alloc order 0 movable\s*$/.test(l.textContent.replace(/\u00a0/g, ' '))), null, { timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Error(`after Enter the lines are ${JSON.stringify((await editorLines()).slice(-4))}`); });
    // the click that focused the editor (clickEditor) left it where it was, not scrolled sideways by the DOM
    const sideways = await domScrolledSideways();
    if (sideways.length) throw new Error(`the editor is scrolled sideways by the DOM: ${sideways.join('; ')}`);
  });

  await step('hovering a keyword shows its documentation', async () => {
    await resetUi();
    const text = await hoverText('alloc_contig_range', /alloc_contig_range/);
    log(`keyword hover: ${JSON.stringify(text.slice(0, 200))}`);
  });

  await step('hovering a pfn shows that page', async () => {
    await resetUi();
    const text = await hoverText('0x100205', /0x100205/i);
    log(`pfn hover: ${JSON.stringify(text.slice(0, 200))}`);
  });

  await step('F1 › mmscn: Run Scenario shows every operation in the mmscn output', async () => {
    await resetUi();
    await runCommand('mmscn: Run Scenario');
    await page.waitForFunction(() => {
      const t = [...document.querySelectorAll('.part.panel .monaco-editor .view-lines')].map((e) => e.textContent.replace(/\u00a0/g, ' ')).join('\n');
      return /\[run\]/.test(t) && /expectations hold|cannot run|failed/.test(t);
    }, null, { timeout: STEP_TIMEOUT }).catch(async () => {
      throw new Error(`the output panel shows: ${JSON.stringify(await page.locator('.part.panel').innerText().catch(() => ''))}`);
    });
    const out = (await page.locator('.part.panel .monaco-editor .view-lines').first().textContent()).replace(/\u00a0/g, ' ');
    if (!/expectations hold/.test(out)) throw new Error(`the run did not complete: ${out}`);
    if (!/alloc_contig_range r: ✗ -EBUSY/.test(out)) throw new Error(`no -EBUSY result for r in: ${out}`);
  });

  await step('after the run, hovering a pfn shows that page\'s state from the simulator', async () => {
    await resetUi();
    const text = await hoverText('0x100205', /slab/i);
    log(`pfn hover after the run: ${JSON.stringify(text.slice(0, 300))}`);
  });

  await step('F1 › mmscn: Check File reports the errors of a broken file', async () => {
    await resetUi();
    await openFromExplorer('broken.mmscn');
    await runCommand('mmscn: Check File');
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: /broken\.mmscn — [1-9]\d* error/ }).first()
      .waitFor({ timeout: STEP_TIMEOUT }).catch(async () => {
        throw new Error(`notifications: ${JSON.stringify(await page.locator('.notifications-toasts').allInnerTexts())}`);
      });
  });

  await step('F1 offers mmscn: Import This Machine in the Node extension host (only the web build hides it)', async () => {
    await resetUi();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ timeout: STEP_TIMEOUT });
    await input.fill('>mmscn: Import');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'mmscn: Import This Machine' }).first().waitFor({ timeout: STEP_TIMEOUT });
    await resetUi();
  });

  // ---------------------------------------------------------------- the inspector (src/webview)
  const inspector = () => webviewFrame(page);
  /** Widths of the editor groups as a person sees them: a maximized group leaves the others 0 wide. */
  const groupWidths = () => page.locator('.part.editor .editor-group-container')
    .evaluateAll((gs) => gs.map((g) => Math.round(g.getBoundingClientRect().width)));
  /** A failing row's click reveals its line in the text editor: the person sees the cursor on that line (its line
   *  number is the active one). The reveal goes through the extension host and lands a few hundred ms later, seconds
   *  on a loaded machine; until it has, it can move the focus (and with it the active editor group) under whatever
   *  comes next. The editor takes the focus too (preserveFocus: false), and that lands after the cursor: waiting for
   *  the focus keeps it from closing whatever the next step opens (a command palette). The webview's own click
   *  handling used to keep the focus about once in ten runs (line selected, inspector group still active); the
   *  inspector now hands it back to the editor (src/extension/revealFocus.ts), so the focus in the editor is
   *  required, and must still be there a moment later (not taken back by the webview). */
  const waitForReveal = async (line) => {
    const revealed = (ln) => {
      const status = document.querySelector('.statusbar-item[id="status.editor.selection"]')?.textContent ?? '';
      const focusedEditor = document.activeElement?.closest('.editor-group-container.active .monaco-editor');
      return !!focusedEditor && status.includes(`Ln ${ln},`);
    };
    const fail = async (what) => {
      const status = await page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '?');
      const active = await page.locator('.part.editor .monaco-editor .line-numbers.active-line-number').allInnerTexts().catch(() => []);
      const focus = await page.evaluate(() => `${document.activeElement?.tagName} in ${document.activeElement?.closest('.editor-group-container')?.querySelector('.tab.active')?.textContent?.trim() ?? '?'}`);
      throw new Error(`line ${line} ${what}: status ${status}, active line numbers ${JSON.stringify(active)}, focus on ${focus}`);
    };
    await page.waitForFunction(revealed, line, { timeout: STEP_TIMEOUT, polling: 100 }).catch(() => fail('not revealed with the focus in the editor'));
    await page.waitForTimeout(1200);
    if (!(await page.evaluate(revealed, line))) await fail('revealed, but the editor lost the focus again');
  };
  /** The inspector is on screen (its group not hidden by a maximized one): what the theme steps look at. */
  const inspectorOnScreen = () => inspector().locator('#app[data-state="ready"]').waitFor({ timeout: STEP_TIMEOUT })
    .catch(async (e) => { throw new Error(`the inspector is not on screen (editor group widths ${JSON.stringify(await groupWidths())}): ${e.message.split('\n')[0]}`); });
  const shotAs = async (name) => page.screenshot({ path: join(dir, `inspector-${name}.png`) });
  /** Each element is inside the inspector's visible box (the webview's viewport), not cut off at its right edge:
   *  beside the editor the inspector is about 500 px wide. Returns the inspector's width, for the log. */
  const assertInView = async (what, selectors) => {
    const r = await inspector().locator('body').evaluate((b, sels) => {
      const bad = [];
      for (const sel of sels) {
        const els = [...document.querySelectorAll(sel)];
        if (!els.length) bad.push(`${sel}: none`);
        for (const e of els) {
          const x = e.getBoundingClientRect();
          if (!(x.width > 0 && x.left >= -0.5 && x.right <= window.innerWidth + 0.5)) bad.push(`${sel} '${e.textContent.slice(0, 40)}' at ${Math.round(x.left)}–${Math.round(x.right)} px`);
        }
      }
      return { bad, width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth };
    }, selectors);
    if (r.bad.length) throw new Error(`${what}: cut off in a ${r.width} px wide inspector: ${r.bad.join('; ')}`);
    if (r.scrollWidth > r.width + 1) throw new Error(`${what}: the inspector scrolls sideways (${r.scrollWidth} px of content in ${r.width} px)`);
    return r.width;
  };
  /** The mean colour of each migratetype swatch's solid half (pages in use) in the inspector's legend, as a person sees
   *  it (stripes and all), and the ΔE of every pair (theme.ts deltaE). */
  const swatchColours = () => inspector().locator('body').evaluate(() => {
    const mean = {};
    for (const item of document.querySelectorAll('#legend .legend-item[data-key^="mt-"]')) {
      const c = item.querySelector('canvas');
      const k = c.height / 14; // device pixels per CSS pixel of the 22×14 swatch
      const d = c.getContext('2d').getImageData(Math.round(1 * k), Math.round(8 * k), Math.round(20 * k), Math.round(4 * k)).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let j = 0; j < 3; j++) sum[j] += d[i + j];
      mean[`${item.textContent.trim()}`] = sum.map((v) => Math.round(v / (d.length / 4)));
    }
    const names = Object.keys(mean);
    const pairs = [];
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) {
      pairs.push({ a: names[i], b: names[j], dE: Math.round(window.mmscnInspector.deltaE(mean[names[i]], mean[names[j]])) });
    }
    return { mean, pairs };
  });
  /** Pixels of the map's cell at `pfn` that, drawn over the page's background, differ from it by ΔE >= 30: the ink a
   *  person sees there. */
  const cellInk = (pfn) => inspector().locator('body').evaluate((b, p) => {
    const m = window.mmscnInspector;
    const pt = m.pointOf(p);
    const L = m.layout();
    if (!pt) return null;
    const c = document.querySelector('canvas.zone-map');
    const k = c.width / c.getBoundingClientRect().width;
    const bg = m.parseColour(getComputedStyle(document.body).backgroundColor);
    const d = c.getContext('2d').getImageData(Math.round((pt.x - L.cellW / 2) * k), Math.round((pt.y - L.cellH / 2) * k), Math.round(L.cellW * k), Math.round(L.cellH * k)).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) {
      const a = d[i + 3] / 255; // the canvas over the page's background, as it is seen
      if (m.deltaE([0, 1, 2].map((j) => d[i + j] * a + bg[j] * (1 - a)), bg) >= 30) ink++;
    }
    return { ink, pixels: d.length / 4 };
  }, pfn);
  const FAILING_ROW_PARTS = ['.failing-row .pfn', '.failing-row .line', '.failing-row .errno:not(:empty)', '.failing-row .reason'];
  /** After a failing row's reveal took the focus to the editor, the map's cursor tooltip is not left on screen. */
  const assertNoCursorTip = async () => {
    const f = inspector();
    await f.locator('body').evaluate(() => window.mmscnInspector.settled());
    if (await f.locator('#map-tooltip').isVisible()) {
      throw new Error(`the map's tooltip stays on screen after the reveal took the focus to the editor: ${JSON.stringify(await f.locator('#map-tooltip').innerText())}`);
    }
  };

  /** Scrolls `sel` (the first match) to the top of the inspector, below the sticky header (scroll-padding-top), or the
   *  page to its top when `sel` is null; then checks that it is there: not under the header, not below the fold. The
   *  screenshots after it show what they are named for (a tab's click had left the map's top under the header). */
  const showBelowHeader = async (what, sel) => {
    const f = inspector();
    const r = await f.locator('body').evaluate(async (b, s) => {
      const target = s ? document.querySelector(s) : document.querySelector('.map-section');
      if (!target) return { missing: true };
      if (s) target.scrollIntoView({ block: 'start' }); else window.scrollTo(0, 0);
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      const head = document.querySelector('header').getBoundingClientRect().bottom;
      const x = target.getBoundingClientRect();
      return { head: Math.round(head), top: Math.round(x.top), height: window.innerHeight, scrollY: Math.round(window.scrollY) };
    }, sel);
    if (r.missing) throw new Error(`${what}: ${sel ?? '.map-section'} is not in the inspector`);
    if (r.top < r.head - 1 || r.top > r.height - 40) throw new Error(`${what} is not shown below the sticky header: its top at ${r.top} px, the header's bottom at ${r.head} px, a ${r.height} px high view scrolled by ${r.scrollY} px`);
    await page.waitForTimeout(150);
  };

  await step('F1 › mmscn: Open Inspector after a run shows the zone map with a legend', async () => {
    await resetUi();
    await openFromExplorer('samples', 'seed-000-alloc-contig-range', 'd-unification.mmscn');
    await runCommand('mmscn: Run Scenario');
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: /d-unification/ }).first().waitFor({ timeout: STEP_TIMEOUT });
    await resetUi();
    await page.locator('.editor-group-container.active .editor-actions [aria-label*="Open Inspector"]').first().click();
    const f = inspector();
    await f.locator('#app[data-state="ready"]').waitFor({ timeout: STEP_TIMEOUT });
    await f.locator('canvas.zone-map').first().waitFor({ timeout: STEP_TIMEOUT });
    const legend = await f.locator('#legend').innerText();
    // every colour and outline on the map is in it: a hole (no memory: pfns 0–0xfff here) and the cursor too
    for (const want of ['unmovable', 'movable', 'CMA', 'isolated', 'vmemmap', 'offline block', 'absent', 'hole', 'hugetlb pages in the pageblock', 'failing pageblock', 'cursor']) {
      if (!legend.includes(want)) throw new Error(`legend lacks '${want}': ${legend}`);
    }
    // the boundaries run between rows on the map (mostly horizontal): so do their legend glyphs
    const glyphs = await f.locator('#legend').evaluate((lg) => ['zone', 'block'].map((key) => {
      const c = lg.querySelector(`[data-key="${key}"] canvas`);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let x0 = c.width, x1 = -1, y0 = c.height, y1 = -1;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] < 64) continue;
        const x = (i / 4) % c.width, y = Math.floor(i / 4 / c.width);
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
      return { key, w: x1 - x0 + 1, h: y1 - y0 + 1 };
    }));
    if (glyphs.some((g) => !(g.w > 2 * g.h))) throw new Error(`the legend's boundary glyphs are not horizontal lines: ${JSON.stringify(glyphs)}`);
    const title = await f.locator('.title').innerText();
    if (!/d-unification\.mmscn/.test(title)) throw new Error(`title: ${title}`);
    // beside the editor the sticky header is compact (it took ~190 px of the panel) and every control is in it, whole
    const { headerH, width } = await f.locator('header').evaluate((h) => ({ headerH: Math.round(h.getBoundingClientRect().height), width: window.innerWidth }));
    log(`header: ${headerH} px high in a ${width} px wide inspector`);
    if (width <= 640 && headerH > 125) throw new Error(`the sticky header is ${headerH} px high in a ${width} px wide inspector (at most 125 px)`);
    await assertInView('the header', ['.title .src-base', '#prev-step', '#step', '#next-step', '#zoom-out', '#zoom-in', '#zoom-fit', '#zoom-label', '#goto-pfn', '#colour-mode']);
    await shotAs('beside-editor');
  });

  await step('the inspector lists the failing pageblocks with their reasons; a click reveals the operation line', async () => {
    const f = inspector();
    const row = f.locator('.failing-row[data-pfn="' + 0x50010 + '"]').first();
    await row.waitFor({ timeout: STEP_TIMEOUT });
    const text = await row.innerText();
    if (!/0x50010/.test(text) || !/EBUSY/.test(text) || !/line \d+/.test(text)) throw new Error(`failing row: ${text}`);
    const line = Number(/line (\d+)/.exec(text)[1]);
    // one click, as a person clicks: a second click after a slow first reveal only queues a second reveal that
    // lands unobserved during the next steps and takes the focus from them (a palette closed under the hover step)
    const width = await assertInView('the failing rows', FAILING_ROW_PARTS);
    await row.click();
    await waitForReveal(line);
    await assertNoCursorTip();
    log(`failing row (inspector ${width} px wide): ${JSON.stringify(text)}`);
  });

  await step('the migration log lists migrations, filters by text and result', async () => {
    const f = inspector();
    await f.locator('[data-tab="migrations"]').click();
    const rows = f.locator('tr.mig-row');
    await rows.first().waitFor({ timeout: STEP_TIMEOUT });
    const n = await rows.count();
    const first = await rows.first().innerText();
    if (!/0x[0-9a-f]+/.test(first)) throw new Error(`migration row: ${first}`);
    await f.locator('#mig-filter').click();
    await page.keyboard.type('MR_MEMORY_HOTPLUG');
    await page.waitForTimeout(50);
    const filtered = await rows.count();
    if (!(filtered > 0 && filtered <= n)) throw new Error(`filter MR_MEMORY_HOTPLUG: ${filtered} of ${n} rows`);
    log(`migration log: ${n} rows, ${filtered} MR_MEMORY_HOTPLUG; first: ${JSON.stringify(first)}`);
    // beside the editor each reason is as wide as the table (a row of its own), not a column a few words wide
    const widths = await f.locator('#migrations').evaluate((m) => {
      const table = m.querySelector('table');
      return { inner: window.innerWidth, table: Math.round(table?.getBoundingClientRect().width ?? 0), reasons: [...m.querySelectorAll('td.mig-reason')].slice(0, 20).map((c) => Math.round(c.getBoundingClientRect().width)) };
    });
    log(`migration log widths: ${JSON.stringify(widths)}`);
    if (widths.inner <= 640 && (!widths.reasons.length || widths.reasons.some((w) => w < widths.table * 0.9))) {
      throw new Error(`the reasons are squeezed in a ${widths.inner} px wide inspector: reason cells ${JSON.stringify(widths.reasons)} px of a ${widths.table} px table`);
    }
    await assertInView('the migration log', ['#migrations td.mig-reason']);
    await f.locator('#migrations .table-scroll').scrollIntoViewIfNeeded();
    await shotAs('migrations');
  });

  await step('hovering the map shows pfn, zone, block, state, buddy order, owner in a tooltip', async () => {
    await resetUi();
    await runCommand('View: Hide Panel');
    await page.locator('.part.editor .editor-group-container').last().click({ position: { x: 5, y: 5 } });
    await runCommand('View: Toggle Maximize Editor Group');
    const f = inspector();
    await f.locator('[data-tab="failing"]').click();
    await f.locator('body').evaluate(() => window.scrollTo(0, 0));
    const canvas = f.locator('canvas.zone-map').first();
    await canvas.waitFor({ timeout: STEP_TIMEOUT });
    await page.waitForTimeout(300); // the canvas re-lays out for the wider editor group
    const pt = await f.locator('body').evaluate(() => window.mmscnInspector.pointOf(0x88400));
    if (!pt) throw new Error('pfn 0x88400 is not on the map');
    await canvas.hover({ position: pt });
    const tip = f.locator('#map-tooltip');
    await f.locator('#map-tooltip .tip-page').first().waitFor({ timeout: STEP_TIMEOUT });
    const text = await tip.innerText();
    for (const want of [/pfn 0x88400/, /zone Movable/, /memory block 17/, /page 0x88400:/]) if (!want.test(text)) throw new Error(`tooltip lacks ${want}: ${text}`);
    log(`tooltip: ${JSON.stringify(text)}`);
    // maximized, rows are about 11 px high: room for a pfn on every row (a slightly smaller font), not every second
    const L = await f.locator('body').evaluate(() => window.mmscnInspector.layout());
    log(`maximized map: rows ${L.rows} of ${L.cellH} px, a label every ${L.labelEvery} row(s) at ${L.labelPx} px`);
    if (L.cellH >= 10 && L.labelEvery !== 1) throw new Error(`rows of ${L.cellH} px are labelled every ${L.labelEvery} rows`);
    await f.locator('body').evaluate(() => window.scrollTo(0, 0));
    await shotAs('map');
  });

  await step('the map zooms in to single pages (+ key) and shows buddy orders', async () => {
    const f = inspector();
    const canvas = f.locator('canvas.zone-map').first();
    const pt = await f.locator('body').evaluate(() => window.mmscnInspector.pointOf(0x50000));
    await canvas.click({ position: pt });
    for (let i = 0; i < 12; i++) await canvas.press('+');
    await page.waitForFunction(() => true);
    await f.locator('#zoom-label', { hasText: 'cell = 1 page' }).waitFor({ timeout: STEP_TIMEOUT });
    const p2 = await f.locator('body').evaluate(() => window.mmscnInspector.pointOf(0x50010));
    await canvas.hover({ position: p2 });
    await f.locator('#map-tooltip .tip-page', { hasText: /page 0x50010/ }).first().waitFor({ timeout: STEP_TIMEOUT });
    log(`page tooltip: ${JSON.stringify(await f.locator('#map-tooltip').innerText())}`);
    await f.locator('body').evaluate(() => window.scrollTo(0, 0));
    await shotAs('pages');
    await canvas.press('0');
  });

  await step('free areas: buddyinfo histograms and pagetypeinfo tables per zone', async () => {
    const f = inspector();
    await f.locator('[data-tab="free"]').click();
    await f.locator('.histogram').first().waitFor({ timeout: STEP_TIMEOUT });
    const t = await f.locator('#free-areas').innerText();
    if (!/zone Movable/.test(t) || !/pagetypeinfo/.test(t)) throw new Error(`free areas: ${t.slice(0, 300)}`);
    await shotAs('free-areas');
  });

  await step('the inspector numbers steps as the debugger does; the panels sit right under the map', async () => {
    const f = inspector();
    await f.locator('[data-tab="failing"]').click();
    const label = await f.locator('#step').innerText();
    if (!/^end · (\d+) \/ \1 steps run$/.test(label)) throw new Error(`step label after a run: ${label}`);
    // the canvas is as tall as the machine needs: the tabs are on screen, not below the fold
    const tabsTop = await f.locator('#tabs').evaluate((e) => e.getBoundingClientRect().top);
    const viewH = await f.locator('body').evaluate(() => window.innerHeight);
    if (tabsTop > viewH - 40) throw new Error(`the panels start at ${tabsTop}px of a ${viewH}px view (below the fold)`);
  });

  await step('wheel zoom refreshes the tooltip; a failing row keeps a finer zoom; go to pfn shows that page', async () => {
    const f = inspector();
    const canvas = f.locator('canvas.zone-map').first();
    await f.locator('body').evaluate(() => window.scrollTo(0, 0));
    const pt = await f.locator('body').evaluate(() => window.mmscnInspector.pointOf(0x88400));
    await canvas.hover({ position: pt });
    const title = f.locator('#map-tooltip .tip-title');
    await title.waitFor({ timeout: STEP_TIMEOUT });
    const before = await title.innerText();
    await page.mouse.wheel(0, -120);
    await f.locator('#map-tooltip .tip-title').filter({ hasNotText: before }).first().waitFor({ timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Error(`the tooltip still says '${before}' after a wheel zoom (zoom: ${await f.locator('#zoom-label').innerText()})`); });
    // zoom in to single pages, then click a failing row: the zoom stays
    await canvas.click({ position: await f.locator('body').evaluate(() => window.mmscnInspector.pointOf(0x50000)) });
    for (let i = 0; i < 12; i++) await canvas.press('+');
    await f.locator('#zoom-label', { hasText: 'cell = 1 page' }).waitFor({ timeout: STEP_TIMEOUT });
    await f.locator('.failing-row[data-pfn="' + 0x50010 + '"]').first().click();
    // the click also reveals line 34 in the text editor: VS Code shows the group the hover step's maximize hid
    await waitForReveal(34);
    await assertNoCursorTip();
    const zoom = await f.locator('#zoom-label').innerText();
    if (!/cell = 1 page/.test(zoom)) throw new Error(`a click on a failing row reset the zoom: ${zoom}`);
    await canvas.press('0');
    const typePfn = async (text) => {
      await f.locator('#goto-pfn').evaluate((e, t) => { e.value = t; }, text);
      await f.locator('#goto-pfn').press('Enter');
    };
    await typePfn('0x88410');
    await f.locator('#map-tooltip .tip-page', { hasText: /page 0x88410/ }).first().waitFor({ timeout: STEP_TIMEOUT });
    const cur = await f.locator('body').evaluate(() => window.mmscnInspector.cursor());
    if (cur !== 0x88410) throw new Error(`go to pfn: the cursor is at ${cur}`);
    await typePfn('0xfffffff');
    await f.locator('#goto-error', { hasText: /beyond the machine/ }).waitFor({ timeout: STEP_TIMEOUT });
    await shotAs('goto-pfn');
    // editing the field takes the error away (it stayed in the sticky header of every later screenshot)
    await f.locator('#goto-pfn').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await page.waitForTimeout(100);
    const stale = await f.locator('#goto-error').innerText();
    if (stale) throw new Error(`the go-to-pfn error stays after the field was cleared: ${JSON.stringify(stale)}`);
    await canvas.press('0');
  });

  await step('compare: two variants side by side with the zone counters that differ', async () => {
    const f = inspector();
    await f.locator('[data-tab="compare"]').click();
    await f.locator('#compare-go').click();
    await f.locator('#compare-out h4').last().waitFor({ timeout: STEP_TIMEOUT });
    await f.locator('.compare-maps canvas.zone-map').nth(1).waitFor({ timeout: STEP_TIMEOUT });
    const t = await f.locator('#compare-out').innerText();
    if (!/contig/.test(t) || !/unified/.test(t)) throw new Error(`compare: ${t.slice(0, 300)}`);
    await page.waitForTimeout(500);
    // the result scrolled into view: both maps whole on screen, under the sticky header (not below the fold)
    const onScreen = await f.locator('body').evaluate(() => {
      const top = document.querySelector('header').getBoundingClientRect().bottom;
      return { top: Math.round(top), height: window.innerHeight, maps: [...document.querySelectorAll('.compare-maps canvas.zone-map')].map((c) => { const r = c.getBoundingClientRect(); return [Math.round(r.top), Math.round(r.bottom)]; }) };
    });
    log(`compare maps on screen: ${JSON.stringify(onScreen)}`);
    if (onScreen.maps.length !== 2 || onScreen.maps.some(([t0, b]) => t0 < onScreen.top - 1 || b > onScreen.height + 1)) {
      throw new Error(`the compared maps are not both on screen: ${JSON.stringify(onScreen)}`);
    }
    // the counters: a table with rows, or a line saying all are equal with the values offered; never headers alone
    const counters = await f.locator('#compare-out h4').last().innerText();
    const emptyTables = await f.locator('#compare-out table').evaluateAll((ts) => ts.filter((x) => !x.querySelector('tbody tr')).length);
    log(`compare counters: ${JSON.stringify(counters)}`);
    if (emptyTables) throw new Error(`${emptyTables} table(s) of headers only in the compare view (${counters})`);
    if (/equal/.test(counters) && !(await f.locator('#compare-equal summary').count())) throw new Error(`all counters equal, and their values are not offered: ${counters}`);
    // the compare tab has the maps' legend under them: every item of the inspector's own, each with its swatch
    const legends = await f.locator('body').evaluate(() => {
      const keys = (sel) => [...document.querySelectorAll(`${sel} .legend-item`)].filter((i) => i.querySelector('canvas.swatch')).map((i) => i.dataset.key);
      return { main: keys('#legend'), compare: keys('#compare-legend') };
    });
    const lacking = legends.main.filter((k) => !legends.compare.includes(k));
    if (!legends.main.length || lacking.length) throw new Error(`the compare tab's legend lacks ${JSON.stringify(lacking)} (inspector legend: ${JSON.stringify(legends.main)})`);
    await f.locator('#compare-legend').scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    await shotAs('compare-legend');
    await f.locator('#compare-out').evaluate((o) => o.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await shotAs('compare');
    // beside the editor each variant's outcome (a sentence) is as wide as the table, not a column a word wide
    const outcomes = await f.locator('#compare-ops').evaluate((t) => ({
      inner: window.innerWidth, table: Math.round(t.getBoundingClientRect().width),
      cells: [...t.querySelectorAll('tbody td')].filter((c) => /^\s*\S*\s*[✓✗]/.test(c.textContent) || c.classList.contains('outcome')).map((c) => ({ w: Math.round(c.getBoundingClientRect().width), text: c.textContent.slice(0, 30) })),
    }));
    log(`compare outcomes: ${JSON.stringify(outcomes)}`);
    if (outcomes.inner <= 640 && (outcomes.cells.length < 2 || outcomes.cells.some((c) => c.w < outcomes.table * 0.9))) {
      throw new Error(`the compared outcomes are squeezed in a ${outcomes.inner} px wide inspector: ${JSON.stringify(outcomes.cells)} of a ${outcomes.table} px table`);
    }
    await showBelowHeader('the operations with different outcomes', '#compare-ops-heading');
    await shotAs('compare-outcomes');
    if (await f.locator('#compare-equal summary').count()) {
      await f.locator('#compare-equal summary').click();
      await f.locator('#compare-equal-table tbody tr').first().waitFor({ timeout: STEP_TIMEOUT });
      await f.locator('#compare-counters').evaluate((h) => h.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(200);
      await shotAs('compare-counters');
      await f.locator('#compare-equal summary').click();
    }
    // the theme steps' screenshots start from the top of the inspector, as before the result scrolled itself into view
    // (after the tab's click: Playwright scrolls what it clicks into view)
    await f.locator('[data-tab="failing"]').click();
    await f.locator('body').evaluate(() => window.scrollTo(0, 0));
    // Undo the hover step's maximize only if a group is still maximized. The failing-row click of the wheel-zoom step
    // revealed its line in the text editor's group, so VS Code has already shown the groups side by side again, and
    // "Toggle Maximize" would maximize the *active* group: the inspector's, or the text editor's whenever the editor
    // has the focus (as it had when that reveal landed after the last click in the webview) — the inspector is then
    // 0 wide and the theme steps see its body hidden.
    if ((await groupWidths()).some((w) => w === 0)) await runCommand('View: Toggle Maximize Editor Group');
    await page.waitForFunction(() => [...document.querySelectorAll('.part.editor .editor-group-container')]
      .every((g) => g.getBoundingClientRect().width > 0), null, { timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Error(`an editor group is still hidden: widths ${JSON.stringify(await groupWidths())}`); });
    await inspectorOnScreen();
  });

  for (const [theme, label, cls] of [['light', 'Light Modern', 'vscode-light'], ['dark', 'Dark Modern', 'vscode-dark'], ['high contrast', 'Dark High Contrast', 'vscode-high-contrast']]) {
    await step(`theme ${theme}: editor and inspector screenshots`, async () => {
      await inspectorOnScreen();
      // F1 › Preferences: Color Theme (clicked: 'Browse Color Themes in Marketplace' matches the text too)
      await resetUi();
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input[type="text"]');
      await input.waitFor({ timeout: STEP_TIMEOUT });
      await input.fill('>Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Preferences: Color Theme' }).filter({ hasNotText: 'Marketplace' }).first().click();
      await page.locator('.quick-input-widget input[placeholder^="Select Color Theme"]').waitFor({ timeout: STEP_TIMEOUT });
      await input.fill(label);
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
      await row.click();
      const f = inspector();
      await f.locator(`body.${cls}`).waitFor({ timeout: STEP_TIMEOUT });
      await page.waitForTimeout(300);
      const name = theme.toLowerCase().replace(/\s+/g, '-');
      // the whole machine fits: every row of the fitted map is inside the canvas and covered by the summary
      const L = await f.locator('body').evaluate(() => window.mmscnInspector.layout());
      log(`map layout: ${JSON.stringify(L)}`);
      if (L.cellPages * L.cols * L.rows < (L.summary?.end ?? 0) - L.start) throw new Error(`the map shows fewer rows than the machine needs: ${JSON.stringify(L)}`);
      if (L.rows * L.cellH > L.canvasH) throw new Error(`rows below the canvas: ${JSON.stringify(L)}`);
      // the theme row's click leaves the mouse over the breadcrumbs: their path tooltip would cover the inspector
      await page.mouse.move(5, 5);
      await page.waitForFunction(() => ![...document.querySelectorAll('.workbench-hover-container')]
        .some((h) => h.getBoundingClientRect().width > 0), null, { timeout: STEP_TIMEOUT });
      // the migratetypes' swatches are plainly different colours in every theme: reclaimable and highatomic were two
      // ambers (charts-yellow, charts-orange) a few ΔE apart
      const sw = await swatchColours();
      log(`theme ${theme}: migratetype swatches ${JSON.stringify(sw.mean)}; ΔE ${sw.pairs.map((p) => `${p.a}/${p.b} ${p.dE}`).join(', ')}`);
      // the theme variables the map's colours come from (theme.ts MT_VARS, CLASS_VARS): the values the unit test's
      // colour-blindness check assumes
      const vars = await f.locator('body').evaluate(() => Object.fromEntries(['charts-red', 'charts-green', 'charts-blue', 'charts-purple',
        'terminal-ansiCyan', 'terminal-ansiMagenta', 'terminal-ansiBrightYellow', 'terminal-ansiBrightCyan']
        .map((n) => [n, getComputedStyle(document.body).getPropertyValue(`--vscode-${n}`).trim()])));
      log(`theme ${theme}: map colour variables ${JSON.stringify(vars)}`);
      if (sw.pairs.length !== 10) throw new Error(`expected 5 migratetype swatches: ${JSON.stringify(sw.mean)}`);
      const close = sw.pairs.filter((p) => p.dE < 20 || (/reclaimable|highatomic/.test(p.a) && /reclaimable|highatomic/.test(p.b) && p.dE < 40));
      if (close.length) throw new Error(`migratetype swatches too alike in ${label}: ${JSON.stringify(close)}`);
      if (cls === 'vscode-high-contrast') {
        // high contrast: badges outlined (contrastBorder), holes drawn so they show on the black background
        const badges = await f.locator('.title .badge').evaluateAll((bs) => bs.map((b) => {
          const st = getComputedStyle(b);
          const m = window.mmscnInspector;
          return { w: parseFloat(st.borderTopWidth), dE: Math.round(m.deltaE(m.parseColour(st.borderTopColor), m.parseColour(getComputedStyle(document.body).backgroundColor))) };
        }));
        if (!badges.length || badges.some((b) => !(b.w >= 1 && b.dE >= 30))) throw new Error(`badges without a visible border in ${label}: ${JSON.stringify(badges)}`);
        const hole = await cellInk(0);
        log(`theme ${theme}: the hole at pfn 0 has ${JSON.stringify(hole)} pixels of ink`);
        if (!hole || hole.ink < 8) throw new Error(`the hole at pfn 0 is invisible in ${label}: ${JSON.stringify(hole)}`);
      }
      // the top of the inspector: the header, the machine line and the map under it (not the map's middle)
      await showBelowHeader(`theme ${theme}: the top of the map`, null);
      await page.screenshot({ path: join(dir, `theme-${name}.png`) });
      // (a theme step that failed in its compare part left the compare tab selected)
      await f.locator('[data-tab="failing"]').click();
      const width = await assertInView('the failing rows', FAILING_ROW_PARTS);
      log(`theme ${theme}: the inspector is ${width} px wide`);
      // beside the editor the failing list starts below the fold: a screenshot of it too, the tabs under the header
      await showBelowHeader(`theme ${theme}: the failing pageblocks`, '#tabs');
      await page.screenshot({ path: join(dir, `theme-${name}-failing.png`) });
      await f.locator('body').evaluate(() => window.scrollTo(0, 0));
      await f.locator('[data-tab="compare"]').click();
      // the compare step's maps are still there until this compare replaces them: wait for the new ones
      await f.locator('#compare-out').evaluate((o) => o.querySelector('.compare-maps')?.classList.add('stale'));
      await f.locator('#compare-go').click();
      const maps = f.locator('.compare-maps:not(.stale)');
      await maps.locator('canvas.zone-map').nth(1).waitFor({ timeout: STEP_TIMEOUT });
      // beside the editor the compared maps start below the fold: show them
      await maps.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(dir, `theme-${name}-compare.png`) });
      // both compared maps whole, the tables inside their own (scrolling) boxes
      await assertInView('the compare view', ['.compare-maps:not(.stale) canvas.zone-map', '#compare-ops-box', '#compare-out h4']);
      await showBelowHeader(`theme ${theme}: the compare tables`, '#compare-ops-heading');
      await page.screenshot({ path: join(dir, `theme-${name}-compare-tables.png`) });
      await f.locator('[data-tab="failing"]').click();
      await f.locator('body').evaluate(() => window.scrollTo(0, 0));
    });
  }

  await step('with the source tab closed, a failing row opens the source beside the inspector, not over it', async () => {
    await resetUi();
    const groups = () => page.locator('.part.editor .editor-group-container').evaluateAll((gs) => gs.map((g) => ({
      w: Math.round(g.getBoundingClientRect().width), tab: (g.querySelector('.tab.active')?.textContent ?? '').trim(),
    })));
    // close every text editor's group: the inspector is left alone, in column One
    for (let i = 0; i < 4; i++) {
      const text = page.locator('.part.editor .editor-group-container', { has: page.locator('.monaco-editor .view-lines') }).first();
      if (!(await text.count())) break;
      await text.locator('.view-lines').first().click();
      await runCommand('View: Close All Editors in Group');
    }
    await page.waitForFunction(() => document.querySelectorAll('.part.editor .editor-group-container').length === 1, null, { timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Error(`the inspector is not alone: groups ${JSON.stringify(await groups())}`); });
    await inspectorOnScreen();
    const f = inspector();
    await f.locator('[data-tab="failing"]').click();
    const row = f.locator('.failing-row[data-pfn="' + 0x50010 + '"]').first();
    const line = Number(/line (\d+)/.exec(await row.innerText())[1]);
    await row.click();
    await waitForReveal(line);
    const gs = await groups();
    const insp = gs.filter((g) => /Inspector/.test(g.tab));
    const src = gs.filter((g) => /d-unification\.mmscn/.test(g.tab) && !/Inspector/.test(g.tab));
    if (insp.length !== 1 || src.length !== 1 || gs.some((g) => g.w === 0)) throw new Error(`the source is not beside the inspector: groups ${JSON.stringify(gs)}`);
    await inspectorOnScreen();
    await assertNoCursorTip();
    // the inspector got narrower (the source opened beside it): the clicked row's pageblock is still on the map
    await f.locator('body').evaluate(() => window.scrollTo(0, 0));
    await f.locator('body').evaluate(async (b, pfn) => {
      for (let i = 0; i < 50 && !window.mmscnInspector.pointOf(pfn); i++) await new Promise((r) => setTimeout(r, 100));
    }, 0x50010);
    if (!(await f.locator('body').evaluate((b, pfn) => window.mmscnInspector.pointOf(pfn), 0x50010))) {
      throw new Error(`after the source opened beside it, the map no longer shows the clicked pageblock 0x50010: ${await f.locator('#zoom-label').innerText()}`);
    }
    await shotAs('reveal-beside');
  });

  if (results.some((r) => !r.ok)) {
    console.log('\n--- last workbench console lines\n' + wb.consoleLines.slice(-40).join('\n'));
  }
} catch (e) {
  if (!results.some((r) => r.error === e)) results.push({ name: 'harness', ok: false, error: e });
  console.error(`[e2e] ${e?.stack ?? e}`);
} finally {
  const failed = results.filter((r) => !r.ok).length;
  if (failed && server) console.log(tailLogs(server.userData, 25));
  await browser?.close().catch(() => {});
  await server?.stop();
  const counts = { passed: results.length - failed, failed };
  writeResults(counts);
  log(`${counts.passed} passed, ${counts.failed} failed — screenshots in .test-output/e2e/`);
  process.exit(failed ? 1 : 0);
}
