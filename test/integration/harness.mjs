// Shared by test/integration/run.mjs (Way A: mocha inside the extension host) and test/e2e/run.mjs
// (Way B: the packaged .vsix driven as a person would): start code-server (a real VS Code: workbench in
// the browser, extension host in Node) on a free loopback port with its own user-data and extensions
// directories, and Debian's Chromium through playwright-core. Nothing here sleeps for a fixed time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER = join(ROOT, '.tools/code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'editor.semanticHighlighting.enabled': true,
};

export function checkTools() {
  const missing = [];
  if (!existsSync(CODE_SERVER)) missing.push(`code-server (${CODE_SERVER})`);
  if (!existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  if (missing.length) throw new Error(`missing ${missing.join(' and ')}: run \`bash scripts/setup-vscode.sh\``);
}

/** A fresh directory under .test-output/<name>. */
export function freshDir(...parts) {
  const d = join(ROOT, '.test-output', ...parts);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

/** Copies samples/**\/*.mmscn (keeping folders) and the given fixture files into `ws`. */
export function makeWorkspace(ws, fixtures = []) {
  mkdirSync(ws, { recursive: true });
  const copy = (from, to) => writeFileSync(to, readFileSync(from));
  const walk = (dir, rel) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p, join(rel, e));
      else if (e.endsWith('.mmscn')) {
        mkdirSync(join(ws, rel), { recursive: true });
        copy(p, join(ws, rel, e));
      }
    }
  };
  walk(join(ROOT, 'samples'), 'samples');
  for (const f of fixtures) copy(f, join(ws, f.split('/').pop()));
  return ws;
}

/**
 * Starts code-server; resolves once it prints the port it listens on.
 * @returns {{ url: string, host: string, proc: import('node:child_process').ChildProcess, output: string[], userData: string, stop(): Promise<void> }}
 */
export async function startCodeServer({ dir, workspace, settings = {}, env = {}, timeoutMs = 60_000 }) {
  checkTools();
  const userData = join(dir, 'user-data');
  const extensions = join(dir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const args = [
    CODE_SERVER, '--config', config, '--auth', 'none', '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userData, '--extensions-dir', extensions, workspace,
  ];
  // Its own process group, so stop() also ends the extension host and file watcher it forks (the server
  // would otherwise keep an orphaned extension host alive for its reconnection grace time).
  const proc = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = [];
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within ${timeoutMs} ms:\n${output.join('')}`)), timeoutMs);
    const onData = (b) => {
      const s = b.toString();
      output.push(s);
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(output.join(''));
      if (m) { clearTimeout(timer); resolvePromise(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited with ${code}:\n${output.join('')}`)); });
  });
  return {
    url, host: new URL(url).host, proc, output, userData, extensions,
    stop: () => stopProcess(proc),
  };
}

export function stopProcess(proc) {
  const group = (sig) => { try { process.kill(-proc.pid, sig); } catch { /* already gone */ } };
  return new Promise((res) => {
    const alive = proc.exitCode === null && !proc.signalCode;
    if (!alive) { group('SIGKILL'); return res(); }
    const t = setTimeout(() => { group('SIGKILL'); res(); }, 5000);
    proc.once('exit', () => { clearTimeout(t); group('SIGKILL'); res(); });
    group('SIGTERM');
  });
}

/** Installs a .vsix into an extensions dir with code-server's own CLI (as a user would). */
export function installVsix(vsix, extensionsDir, userDataDir) {
  const r = spawnSync(process.execPath, [CODE_SERVER, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The last lines of every log file code-server wrote under user-data/logs (for failure reports). */
export function tailLogs(userData, lines = 40) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.log')) {
        const text = readFileSync(p, 'utf8').trimEnd().split('\n');
        if (text.length && text[0]) out.push(`--- ${p.slice(userData.length + 1)} (last ${Math.min(lines, text.length)} lines)\n${text.slice(-lines).join('\n')}`);
      }
    }
  };
  walk(join(userData, 'logs'));
  return out.join('\n');
}

export function writeResults(counts) {
  const file = process.env.MMSCN_RESULTS;
  if (file) writeFileSync(file, JSON.stringify({ passed: counts.passed, failed: counts.failed }));
}

/** Builds with esbuild (the same options as esbuild.mjs) — extra entries for the tests. */
export async function bundle(options) {
  const esbuild = await import('esbuild');
  await esbuild.build({ bundle: true, sourcemap: true, logLevel: 'warning', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], ...options });
}

export const elapsed = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Bundles the extension into dist/extension.js (the language service and the simulator are imported directly). */
export async function bundleExtension(extra = {}) {
  // the language server the extension starts (dist/lsp.js, as esbuild.mjs builds it)
  const lsp = join(ROOT, 'src/lsp/bin.ts');
  if (existsSync(lsp)) await bundle({ ...extra, entryPoints: [lsp], outfile: join(ROOT, 'dist/lsp.js'), external: [] });
  await bundle({ entryPoints: [join(ROOT, 'src/extension/extension.ts')], outfile: join(ROOT, 'dist/extension.js'), ...extra });
}

/**
 * The DOM inside a webview (the inspector, when it lands): webviews are two iframes deep in the workbench.
 * `await webviewFrame(page).locator('canvas').waitFor()`; take page.screenshot() to see it as a person does.
 */
export function webviewFrame(page) {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}
