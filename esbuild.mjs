// One build script for every bundle: the extension host, the CLI, the language server, the inspector webview.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const version = { MMSCN_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) };

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

export const builds = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'], target: 'node20' },
  // package.json "browser": the extension in a web worker extension host (vscode.dev, code-server); no Node there,
  // so the Node modules @vscode/debugadapter names are shimmed (src/extension/web/), and nothing else may need one
  {
    entryPoints: ['src/extension/web.ts'], outfile: 'dist/web.js', platform: 'browser', format: 'cjs', external: ['vscode'], target: 'es2022',
    alias: { events: './src/extension/web/events.ts', url: './src/extension/web/url.ts' },
  },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, define: version },
  // the language server alone: what the extension starts (src/lsp/bin.ts); `mmscn lsp --stdio` is the same server
  { entryPoints: ['src/lsp/bin.ts'], outfile: 'dist/lsp.js', platform: 'node', format: 'cjs', target: 'node20', define: version },
  // the language server in a web worker, which the browser build starts (src/extension/web/languageClient.ts)
  { entryPoints: ['src/lsp/worker.ts'], outfile: 'dist/lsp-worker.js', platform: 'browser', format: 'iife', target: 'es2022', define: version },
  { entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((b) => existsSync(b.entryPoints[0]));

/** esbuild options of the bundle written to `outfile` (test/unit/web-bundle.test.ts builds the browser one) */
export const optionsFor = (outfile) => ({ ...common, ...builds.find((b) => b.outfile === outfile) });

// run as a script (npm run build), not when a test imports the options (no top-level await: tests load this as CommonJS)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  (async () => {
    for (const b of builds) {
      const opts = { ...common, ...b };
      if (watch) await (await esbuild.context(opts)).watch();
      else await esbuild.build(opts);
    }
  })().catch(() => { process.exitCode = 1; }); // esbuild has printed the errors
}
