#!/usr/bin/env node
// The web extension build (package.json "browser" → dist/web.js, src/extension/web.ts) in code-server's web worker
// extension host, driven in Chromium as test/e2e/run.mjs drives the Node build. code-server normally runs an
// extension that has a `main` in its Node extension host; the user setting `remote.extensionKind` set to
// ["web"] for mmscn.mmscn (with `extensions.webWorker`) makes the workbench run it in the browser's web worker
// host instead, as vscode.dev would. Proves that is where it runs (the extension's own output line, written
// from inside the worker, and Developer: Show Running Extensions), then language features, Run, the inspector,
// the debugger, and that mmscn: Import This Machine is not offered. Screenshots go to .test-output/e2e-web/.
//
//   node test/e2e/web.mjs        (needs `bash scripts/setup-vscode.sh` once; `npm test` runs it as suite "web")
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  elapsed, freshDir, launchBrowser, ROOT, startCodeServer, tailLogs, webviewFrame, writeResults,
} from '../integration/harness.mjs';
import { workbench } from './workbench.mjs';

const STEP_TIMEOUT = Number(process.env.MMSCN_E2E_STEP_TIMEOUT_MS ?? 30_000);
const EXTENSION_ID = 'mmscn.mmscn';
/** what makes code-server's workbench run mmscn in its web worker extension host instead of the Node one */
export const WEB_WORKER_SETTINGS = {
  'extensions.webWorker': true,
  'remote.extensionKind': { [EXTENSION_ID]: ['web'] },
};
const t0 = Date.now();
const log = (s) => console.log(`[e2e-web ${elapsed(t0)}] ${s}`);
const dir = freshDir('e2e-web');
const wb = workbench({ dir, stepTimeout: STEP_TIMEOUT });
const results = wb.results;
const { step, activeEditor, clickEditor, domScrolledSideways, editorLines, resetUi, openFromExplorer, paletteOffers, runCommand, waitForPanel } = wb;
let page;

// ------------------------------------------------------------------ the run
let server;
let browser;
const vsix = join(ROOT, 'mmscn.vsix');
try {
  await step('npm run package builds a .vsix that carries the browser entry', async () => {
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0 || !existsSync(vsix)) throw new Error(`npm run package failed (${r.status}):\n${`${r.stdout}${r.stderr}`.split('\n').slice(-15).join('\n')}`);
    const manifest = JSON.parse(spawnSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' }).stdout);
    if (manifest.browser !== './dist/web.js') throw new Error(`package.json browser: ${manifest.browser}`);
    const list = spawnSync('unzip', ['-l', vsix], { encoding: 'utf8' }).stdout;
    if (!/extension\/dist\/web\.js/.test(list)) throw new Error(`dist/web.js is not in the .vsix:\n${list}`);
  }, { fatal: true });

  const ws = await wb.installExtension(vsix);

  server = await startCodeServer({ dir, workspace: ws, settings: WEB_WORKER_SETTINGS });
  log(`code-server at ${server.url}`);
  browser = await launchBrowser();
  page = await wb.openWorkbench(browser, server.url, ws);

  await step('an mmscn file opens; the extension activates in the web worker host (its output says: no process)', async () => {
    await openFromExplorer('basic.mmscn');
    await page.waitForFunction(() => /mmscn/i.test(document.querySelector('.statusbar-item[id="status.editor.mode"]')?.textContent ?? ''), null, { timeout: STEP_TIMEOUT });
    await runCommand('mmscn: Show Output');
    const text = await waitForPanel(/\[activate\] mmscn/, 'no activation line');
    const line = text.split(/\n|(?=\[activate\])/).find((l) => /\[activate\] mmscn/.test(l)) ?? text;
    log(`activation: ${line.trim()}`);
    if (!/web build \(web worker, typeof process = undefined\)/.test(line)) throw new Error(`not the web build in a web worker: ${line}`);
    // the language server runs in this host (a worker of its own, or this thread where workers are refused)
    const all = await waitForPanel(/language server: in /, 'the language server did not say where it runs');
    const where = all.split(/\n|(?=\[activate\])/).find((l) => /language server: in /.test(l)) ?? '';
    log(`server: ${where.trim()}`);
    if (/did not start/.test(all)) throw new Error(`the language server did not start: ${all}`);
  }, { fatal: true });

  await step('Developer: Show Running Extensions lists mmscn in the web worker host', async () => {
    await runCommand('Developer: Show Running Extensions');
    const editor = page.locator('.editor-group-container.active .runtime-extensions-editor, .editor-group-container.active .extensions-list').first();
    await editor.waitFor({ timeout: STEP_TIMEOUT });
    const row = page.locator('.editor-group-container.active .monaco-list-row', { hasText: /mmscn/ }).first();
    await row.waitFor({ timeout: STEP_TIMEOUT });
    const text = await row.innerText();
    log(`running extensions row: ${JSON.stringify(text)}`);
    // the Node host's extensions show the remote authority (127.0.0.1:port) here instead
    if (!/web worker/i.test(text) || text.includes(server.host)) throw new Error(`mmscn's row does not say web worker: ${JSON.stringify(text)}`);
    await page.keyboard.press('Control+W');
  });

  await step('an error shows as a squiggle and in Problems', async () => {
    await resetUi();
    await openFromExplorer('broken.mmscn');
    await activeEditor().locator('.squiggly-error').first().waitFor({ timeout: STEP_TIMEOUT });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: /Highmem|zone/i }).first();
    await row.waitFor({ timeout: STEP_TIMEOUT }).catch(async () => {
      throw new Error(`Problems does not list the Highmem error: ${JSON.stringify(await page.locator('.markers-panel .monaco-list-row').allInnerTexts())}`);
    });
    log(`problem: ${JSON.stringify(await row.innerText())}`);
  });

  await step('typing, Ctrl+Space and Enter complete a migratetype', async () => {
    await resetUi();
    await openFromExplorer('basic.mmscn');
    await clickEditor();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('alloc order 0 mov', { delay: 25 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await rows.first().waitFor({ timeout: STEP_TIMEOUT });
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    if (!labels.some((l) => /movable/.test(l))) throw new Error(`no 'movable' in the suggestions: ${JSON.stringify(labels)}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('.editor-group-container.active .view-line')]
      .some((l) => /^alloc order 0 movable\s*$/.test(l.textContent.replace(/\u00a0/g, ' '))), null, { timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Error(`after Enter the lines are ${JSON.stringify((await editorLines()).slice(-4))}`); });
  });

  await step('F1 › mmscn: Run Scenario shows every operation in the mmscn output', async () => {
    await resetUi();
    await runCommand('mmscn: Run Scenario');
    const out = await waitForPanel(/\[run\][\s\S]*(expectations hold|cannot run|failed)/, 'the run did not report');
    if (!/expectations hold/.test(out)) throw new Error(`the run did not complete: ${out}`);
    if (!/alloc_contig_range r: ✗ -EBUSY/.test(out)) throw new Error(`no -EBUSY result for r in: ${out}`);
  });

  await step('hovering a pfn after the run shows that page\'s state from the simulator', async () => {
    await resetUi();
    const box = await activeEditor().evaluate((ed) => {
      for (const l of ed.querySelectorAll('.view-lines .view-line')) {
        const i = l.textContent.indexOf('0x100205');
        if (i < 0) continue;
        const walker = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent.length;
          if (seen + len > i + 3) {
            const r = document.createRange();
            r.setStart(n, i + 3 - seen);
            r.setEnd(n, i + 4 - seen);
            const b = r.getBoundingClientRect();
            return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
          }
          seen += len;
        }
      }
      return null;
    });
    if (!box) throw new Error(`0x100205 is not visible: ${JSON.stringify(await editorLines())}`);
    await page.mouse.move(box.x, box.y);
    const t = await page.waitForFunction(() => {
      const h = [...document.querySelectorAll('.monaco-hover')].filter((e) => e.offsetParent !== null).map((e) => e.innerText).join('\n');
      return /slab/i.test(h) ? h : null;
    }, null, { timeout: STEP_TIMEOUT }).then((x) => x.jsonValue()).catch(async () => {
      throw new Error(`no hover with the page's state: ${JSON.stringify(await page.evaluate(() => [...document.querySelectorAll('.monaco-hover')].map((e) => e.innerText).join(' | ')))}`);
    });
    log(`pfn hover: ${JSON.stringify(t.slice(0, 200))}`);
  });

  await step('Open Inspector after a run shows the zone map and the failing pageblocks', async () => {
    await resetUi();
    await openFromExplorer('samples', 'seed-000-alloc-contig-range', 'd-unification.mmscn');
    await runCommand('mmscn: Run Scenario');
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: /d-unification/ }).first().waitFor({ timeout: STEP_TIMEOUT });
    await resetUi();
    await page.locator('.editor-group-container.active .editor-actions [aria-label*="Open Inspector"]').first().click();
    const f = webviewFrame(page);
    await f.locator('#app[data-state="ready"]').waitFor({ timeout: STEP_TIMEOUT });
    await f.locator('canvas.zone-map').first().waitFor({ timeout: STEP_TIMEOUT });
    const title = await f.locator('.title').innerText();
    if (!/d-unification\.mmscn/.test(title)) throw new Error(`title: ${title}`);
    const row = f.locator('.failing-row[data-pfn="' + 0x50010 + '"]').first();
    await row.waitFor({ timeout: STEP_TIMEOUT });
    const text = await row.innerText();
    if (!/0x50010/.test(text) || !/EBUSY/.test(text)) throw new Error(`failing row: ${text}`);
    log(`inspector failing row: ${JSON.stringify(text)}`);
  });

  await step('mmscn: Import This Machine is not offered (Run Scenario is)', async () => {
    await resetUi();
    await openFromExplorer('basic.mmscn');
    const run = await paletteOffers('mmscn: Run');
    const imp = await paletteOffers('mmscn: Import');
    await resetUi();
    log(`the palette offers for 'mmscn: Run': ${JSON.stringify(run)}; for 'mmscn: Import': ${JSON.stringify(imp)}`);
    if (!run.some((o) => /Run Scenario/.test(o))) throw new Error(`Run Scenario is not offered: ${JSON.stringify(run)}`);
    if (imp.some((o) => /Import This Machine/.test(o))) throw new Error(`Import This Machine is offered: ${JSON.stringify(imp)}`);
  });

  await step('mmscn: Debug Scenario stops on entry (inline adapter); F10 steps; Shift+F5 ends it', async () => {
    await resetUi();
    await runCommand('mmscn: Debug Scenario');
    const frames = page.locator('.debug-call-stack .monaco-list-row');
    const frameNamed = (re) => page.waitForFunction((src) => [...document.querySelectorAll('.debug-call-stack .monaco-list-row')]
      .some((r) => new RegExp(src).test(r.textContent)), re.source, { timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Error(`no frame matching ${re}; the call stack shows ${JSON.stringify(await frames.allInnerTexts())}`); });
    await page.locator('.debug-toolbar').waitFor({ timeout: STEP_TIMEOUT });
    await frameNamed(/step 1\/\d+/);
    await activeEditor().locator('.debug-top-stack-frame-line, .debug-top-stack-frame').first().waitFor({ timeout: STEP_TIMEOUT });
    await clickEditor();
    await page.keyboard.press('F10');
    await frameNamed(/step 2\/\d+/);
    // the inspector (open beside since the last step) follows the debugger
    await webviewFrame(page).locator('#step', { hasText: /step 2 \/ \d+/ }).waitFor({ timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Error(`the inspector shows ${await webviewFrame(page).locator('#step').innerText().catch(() => '?')}`); });
    log(`call stack: ${JSON.stringify(await frames.allInnerTexts())}`);
    // the editor beside the inspector is not left scrolled sideways by the click that focused it (clickEditor)
    const sideways = await domScrolledSideways();
    if (sideways.length) throw new Error(`the editor is scrolled sideways by the DOM: ${sideways.join('; ')}`);
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
  });
} catch (e) {
  if (!results.some((r) => r.error === e)) results.push({ name: 'harness', ok: false, error: e });
  console.error(`[e2e-web] ${e?.stack ?? e}`);
} finally {
  const failed = results.filter((r) => !r.ok).length;
  if (failed && server) console.log(tailLogs(server.userData, 25));
  await browser?.close().catch(() => {});
  await server?.stop();
  const counts = { passed: results.length - failed, failed };
  writeResults(counts);
  log(`${counts.passed} passed, ${counts.failed} failed — screenshots in .test-output/e2e-web/`);
  process.exit(failed ? 1 : 0);
}
