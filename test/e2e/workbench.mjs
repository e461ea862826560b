// Driving VS Code 1.100's workbench (code-server in Chromium) as a person does: steps with a screenshot each, the
// active editor's lines and text positions, hovers, the explorer, the command palette and the panel. Shared by
// run.mjs (the Node build) and web.mjs (the web build).
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installVsix, makeWorkspace, ROOT } from '../integration/harness.mjs';

/** The helpers, bound to `wb.page` (set it once the browser page exists); `wb.results` collects the steps. */
export function workbench({ dir, stepTimeout }) {
  /** consoleLines: the workbench page's browser console, as openWorkbench collects it */
  const wb = { page: null, results: [], consoleLines: [] };
  let shot = 0;

  /** The next numbered screenshot path: NN-name.png in the run's output folder. */
  const shotFile = (name) => join(dir, `${String(++shot).padStart(2, '0')}-${name}.png`);

  /** Runs one step; a failure is recorded (and ends the run only when `fatal`); a screenshot is taken either way. */
  async function step(name, fn, { fatal = false } = {}) {
    const started = Date.now();
    try {
      await fn();
      wb.results.push({ name, ok: true });
      console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      wb.results.push({ name, ok: false, error: e });
      console.log(`  ✘ ${name}\n      ${String(e?.message ?? e).split('\n').slice(0, 12).join('\n      ')}`);
      if (fatal) throw e;
    } finally {
      if (wb.page) {
        const file = shotFile(name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 50));
        await wb.page.screenshot({ path: file }).catch(() => {});
      }
    }
  }

  const activeEditor = () => wb.page.locator('.editor-group-container.active .monaco-editor').first();

  /** Puts the focus in the active text editor with a click at the start of its first whole line on screen. A click on
   *  the locator `.view-lines` aims at its centre, and that element is as wide as the longest line: beside the inspector
   *  the centre is off the editor's right edge, so Playwright scrolled Monaco's overflow-hidden box sideways to reach
   *  it, behind Monaco's back, and the editor stayed shifted (short lines blank) for the rest of the run. */
  async function clickEditor() {
    const pt = await activeEditor().evaluate((ed) => {
      const area = (ed.querySelector('.editor-scrollable') ?? ed).getBoundingClientRect();
      const line = [...ed.querySelectorAll('.view-lines .view-line')].map((l) => l.getBoundingClientRect())
        .filter((r) => r.height > 0 && r.top >= area.top && r.bottom <= area.bottom).sort((a, b) => a.top - b.top)[0];
      return line ? { x: area.left + 4, y: line.top + line.height / 2 } : null;
    });
    if (!pt) throw new Error('no line of the editor is on screen');
    await wb.page.mouse.click(pt.x, pt.y);
  }

  /** Elements of the active editor scrolled sideways by the DOM (Monaco scrolls its text with transforms, never so;
   *  only its hidden input textarea scrolls itself): a description of each, empty when none. */
  const domScrolledSideways = () => activeEditor().evaluate((ed) => [ed, ...ed.querySelectorAll('*')]
    .filter((e) => e.scrollLeft !== 0 && e.tagName !== 'TEXTAREA').map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} scrollLeft ${e.scrollLeft}`));

  /** The active editor's lines, in order, with Monaco's non-breaking spaces made plain. */
  async function editorLines() {
    return activeEditor().evaluate((ed) => [...ed.querySelectorAll('.view-lines .view-line')]
      .map((l) => ({ top: parseFloat(l.style.top) || 0, text: l.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top).map((l) => l.text));
  }

  /** Screen coordinates of `text` in the active editor (centre of its nth occurrence). */
  async function textPosition(text, nth = 0) {
    const box = await activeEditor().evaluate((ed, [needle, n]) => {
      const lines = [...ed.querySelectorAll('.view-lines .view-line')];
      let seen = 0;
      for (const l of lines) {
        const walker = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
        // Concatenate the line's text nodes to find the needle across token spans.
        const nodes = [];
        let all = '';
        for (let t = walker.nextNode(); t; t = walker.nextNode()) { nodes.push([t, all.length]); all += t.textContent.replace(/\u00a0/g, ' '); }
        let i = all.indexOf(needle);
        while (i >= 0) {
          if (seen++ === n) {
            const mid = i + Math.floor(needle.length / 2);
            const [node, start] = nodes.filter(([, s]) => s <= mid).pop();
            const r = document.createRange();
            r.setStart(node, mid - start);
            r.setEnd(node, mid - start + 1);
            const b = r.getBoundingClientRect();
            return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
          }
          i = all.indexOf(needle, i + 1);
        }
      }
      return null;
    }, [text, nth]);
    if (!box) throw new Error(`'${text}' is not visible in the editor: ${JSON.stringify(await editorLines())}`);
    return box;
  }

  /** Hovers `text` and waits for a fully faded-in hover matching `expect`; its text. */
  async function hoverText(text, expect) {
    const page = wb.page;
    await page.mouse.move(5, 5);
    const { x, y } = await textPosition(text);
    await page.mouse.move(x, y);
    const handle = await page.waitForFunction((want) => {
      // visible, with text, and done fading in (so the screenshot shows it as a person sees it)
      const opaque = (e) => { for (let n = e; n && n !== document.body; n = n.parentElement) if (getComputedStyle(n).opacity !== '1') return false; return true; };
      const hovers = [...document.querySelectorAll('.monaco-hover')].filter((h) => h.offsetParent !== null && h.innerText.trim() && opaque(h));
      const t = hovers.map((h) => h.innerText).join('\n');
      return want.test(t) ? t : null;
    }, expect, { timeout: stepTimeout }).catch(async () => {
      const now = await page.evaluate(() => [...document.querySelectorAll('.monaco-hover')].map((h) => h.innerText).join(' | '));
      throw new Error(`no hover matching ${expect} over '${text}'; hovers now: ${JSON.stringify(now)}`);
    });
    return handle.jsonValue();
  }

  async function resetUi() {
    for (let i = 0; i < 3; i++) await wb.page.keyboard.press('Escape');
    await wb.page.mouse.move(5, 5);
  }

  /** Opens a file by double-clicking it in the explorer (expanding the folders on the way): a pinned editor. */
  async function openFromExplorer(...path) {
    const page = wb.page;
    await page.keyboard.press('Control+Shift+E');
    const tree = page.locator('.explorer-folders-view');
    await tree.waitFor({ timeout: stepTimeout });
    for (const [i, part] of path.entries()) {
      const row = tree.locator(`.monaco-list-row[aria-label="${part}"]`).first();
      await row.waitFor({ timeout: stepTimeout });
      if (i < path.length - 1) {
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      } else {
        await row.dblclick();
      }
    }
    const name = path[path.length - 1];
    // by resource name: an inspector tab's label names the file too
    await page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor({ timeout: stepTimeout });
    await activeEditor().locator('.view-line').first().waitFor({ timeout: stepTimeout });
  }

  /** Opens the command palette and types `>text`. F1 reaches the workbench unless the keyboard focus is inside a
   *  webview's input (the inspector's filter box): then the title bar's command center opens it instead. */
  async function openPalette(text) {
    const input = wb.page.locator('.quick-input-widget input[type="text"]');
    for (let attempt = 0; ; attempt++) {
      await resetUi();
      if (attempt === 0) await wb.page.keyboard.press('F1');
      else await wb.page.locator('.part.titlebar .command-center').first().click();
      try {
        await input.waitFor({ timeout: attempt === 0 ? 5000 : stepTimeout });
        // a focus that lands late (a webview's iframe a click before made active) closes the palette under the fill:
        // seen once in the hover step ("element is not visible" for 30 s); open it again, once
        await input.fill(`>${text}`, { timeout: attempt === 0 ? 5000 : stepTimeout });
        break;
      } catch (e) {
        if (attempt > 0) throw e;
      }
    }
    return input;
  }

  /** The titles the command palette offers for `text`, once the list settled (two equal reads). */
  async function paletteOffers(text) {
    await openPalette(text);
    const rows = wb.page.locator('.quick-input-list .monaco-list-row');
    let prev = null;
    for (let i = 0; i < 20; i++) {
      await wb.page.waitForTimeout(150);
      const now = JSON.stringify(await rows.allInnerTexts());
      if (now === prev) break;
      prev = now;
    }
    return JSON.parse(prev ?? '[]');
  }

  async function runCommand(title) {
    await openPalette(title);
    const row = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: stepTimeout });
    await wb.page.keyboard.press('Enter');
  }

  /** The text of the editor in the panel (the Output view's content). */
  const panelText = () => wb.page.evaluate(() => [...document.querySelectorAll('.part.panel .monaco-editor .view-lines')]
    .map((e) => e.textContent.replace(/\u00a0/g, ' ')).join('\n'));

  async function waitForPanel(re, what) {
    await wb.page.waitForFunction((src) => {
      const t = [...document.querySelectorAll('.part.panel .monaco-editor .view-lines')].map((e) => e.textContent.replace(/\u00a0/g, ' ')).join('\n');
      return new RegExp(src).test(t);
    }, re.source, { timeout: stepTimeout }).catch(async () => {
      throw new Error(`${what}: the panel shows ${JSON.stringify((await panelText()).slice(0, 1500))}`);
    });
    return panelText();
  }

  /** The workspace (the integration and e2e fixtures) in the output folder, and `vsix` installed with code-server's
   *  own --install-extension into a fresh extensions dir there (a fatal step). Returns the workspace folder. */
  async function installExtension(vsix) {
    const fixtures = (d) => readdirSync(join(ROOT, d)).map((f) => join(ROOT, d, f));
    const ws = makeWorkspace(join(dir, 'workspace'), [...fixtures('test/integration/fixtures'), ...fixtures('test/e2e/fixtures')]);
    const extensions = join(dir, 'extensions');
    await step('the .vsix installs with code-server --install-extension', async () => {
      if (!existsSync(vsix)) throw new Error('no .vsix to install');
      const out = installVsix(vsix, extensions, join(dir, 'user-data'));
      if (!readdirSync(extensions).some((d) => d.startsWith('mmscn.mmscn-'))) throw new Error(`not installed:\n${out}`);
    }, { fatal: true });
    return ws;
  }

  /** A page of `browser` on code-server at `url` with the workspace `ws` open (a fatal step); the browser console is
   *  written to console.log in the output folder when the process exits. */
  async function openWorkbench(browser, url, ws) {
    const page = wb.page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => wb.consoleLines.push(`[console.${m.type()}] ${m.text()}`));
    process.on('exit', () => writeFileSync(join(dir, 'console.log'), wb.consoleLines.join('\n')));
    await step('the workbench opens the workspace', async () => {
      await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    }, { fatal: true });
    return page;
  }

  return Object.assign(wb, {
    installExtension, openWorkbench,
    step, shotFile, activeEditor, clickEditor, domScrolledSideways, editorLines, textPosition, hoverText, resetUi, openFromExplorer, openPalette, paletteOffers, runCommand,
    panelText, waitForPanel,
  });
}
