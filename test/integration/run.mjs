#!/usr/bin/env node
// Way A: the integration suite (test/integration/suite, mocha) inside a real VS Code extension host.
// Here that VS Code is code-server 4.100.3 (VS Code 1.100.3) driven by Debian's Chromium through
// playwright-core; see README.md next to this file for the same suite under @vscode/test-electron.
//
//   node test/integration/run.mjs            (needs `bash scripts/setup-vscode.sh` once)
//   MMSCN_GREP=hover node test/integration/run.mjs      only tests whose title matches
//
// Steps: bundle the extension (dist/extension.js) and the test index (out/test/integration/index.js);
// make a workspace in .test-output/integration/workspace (samples/**/*.mmscn + fixtures/*.mmscn);
// start code-server on 127.0.0.1:0; expose codeAutomationLog/codeAutomationExit in the page *before*
// navigating to /?folder=WS&payload=[extensionDevelopmentPath, extensionTestsPath]; the workbench loads the
// extension in development mode, calls run(), and reports the exit code through codeAutomationExit.
// Per-test counts come from the host reporter's `MMSCN_RESULTS {...}` line and go to $MMSCN_RESULTS.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, bundleExtension, elapsed, freshDir, launchBrowser, makeWorkspace, ROOT, startCodeServer, tailLogs, writeResults } from './harness.mjs';

const TIMEOUT_MS = Number(process.env.MMSCN_INTEGRATION_TIMEOUT_MS ?? 300_000);
const t0 = Date.now();
const log = (s) => console.log(`[integration ${elapsed(t0)}] ${s}`);

let server;
let browser;
let counts = null;
let exitCode = 1;
const consoleLines = [];

try {
  // 1. bundles
  await bundleExtension();
  const testIndex = join(ROOT, 'out/test/integration/index.js');
  await bundle({
    entryPoints: [join(ROOT, 'test/integration/suite/index.ts')], outfile: testIndex,
    external: ['vscode'], logOverride: { 'require-resolve-not-external': 'silent' },
  });
  if (existsSync(join(ROOT, 'src/webview/main.ts'))) {
    // the inspector webview (a browser bundle, as esbuild.mjs builds it)
    await bundle({ entryPoints: [join(ROOT, 'src/webview/main.ts')], outfile: join(ROOT, 'dist/webview.js'), platform: 'browser', format: 'iife', target: 'es2022', external: [] });
  }
  log('bundled dist/extension.js, dist/webview.js and out/test/integration/index.js');
  if (process.argv.includes('--bundle-only')) { counts = { passed: 0, failed: 0 }; exitCode = 0; throw 'bundle-only'; }

  // 2. workspace
  const dir = freshDir('integration');
  const fixtures = readdirSync(join(ROOT, 'test/integration/fixtures')).map((f) => join(ROOT, 'test/integration/fixtures', f));
  const ws = makeWorkspace(join(dir, 'workspace'), fixtures);
  const hostResults = join(dir, 'host-results.json');

  // 3. code-server
  server = await startCodeServer({ dir, workspace: ws, env: { MMSCN_HOST_RESULTS: hostResults, MMSCN_GREP: process.env.MMSCN_GREP ?? '' } });
  log(`code-server at ${server.url}`);

  // 4. browser: automation hooks first, then the workbench with the test payload
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => consoleLines.push(`[console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  let exited;
  const exitPromise = new Promise((res) => { exited = res; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    for (const line of text.split('\n')) {
      if (line.startsWith('MMSCN_RESULTS ')) counts = JSON.parse(line.slice('MMSCN_RESULTS '.length));
      else if (line.startsWith('MMSCN_TEST ')) console.log('  ' + line.slice('MMSCN_TEST '.length));
      else if (/^\s{6}/.test(line) || line.startsWith('[mmscn]')) console.log(line);
    }
    consoleLines.push(`[${type}] ${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exited(code));

  const remote = (p) => `vscode-remote://${server.host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(testIndex)],
    ['skipWelcome', 'true'],
  ];
  await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  log('workbench loading; tests run in the extension host');

  let timer;
  const code = await Promise.race([
    exitPromise,
    new Promise((res) => { timer = setTimeout(() => res('timeout'), TIMEOUT_MS); }),
  ]);
  clearTimeout(timer);
  if (code === 'timeout') {
    await page.screenshot({ path: join(dir, 'timeout.png') }).catch(() => {});
    throw new Error(`the suite did not finish within ${TIMEOUT_MS} ms (screenshot: .test-output/integration/timeout.png)`);
  }
  log(`extension host exited with code ${code}`);
  if (!counts && existsSync(hostResults)) counts = JSON.parse(readFileSync(hostResults, 'utf8'));
  if (!counts) throw new Error('the suite exited without reporting results (no MMSCN_RESULTS line)');
  exitCode = counts.failed === 0 && code === 0 ? 0 : 1;
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // run() rejected outside any test
} catch (e) {
  if (e !== 'bundle-only') {
    console.error(`[integration] ${e.stack ?? e}`);
    exitCode = 1;
  }
} finally {
  if (exitCode !== 0) {
    console.log('\n--- last workbench console lines');
    console.log(consoleLines.slice(-60).join('\n'));
    if (server) {
      console.log('--- code-server output\n' + server.output.join('').split('\n').slice(-30).join('\n'));
      console.log(tailLogs(server.userData));
    }
  }
  await browser?.close().catch(() => {});
  await server?.stop();
  if (process.argv.includes('--bundle-only')) process.exit(exitCode);
  const c = counts ?? { passed: 0, failed: 1 };
  if (counts?.failures?.length) {
    console.log(`\n${counts.failures.length} failing:`);
    for (const f of counts.failures) console.log(`  ✘ ${f.title}\n      ${f.error.split('\n')[0]}`);
  }
  writeResults(c);
  writeFileSync(join(ROOT, '.test-output/integration-console.log'), consoleLines.join('\n'));
  log(`${c.passed} passed, ${c.failed} failed`);
  process.exit(exitCode);
}
