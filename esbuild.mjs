// One build script for every bundle: the extension host, the CLI, the language server, the inspector webview.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const version = { MMSCN_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) };

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const builds = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'], target: 'node20' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, define: version },
  // the language server alone: what the extension starts (src/lsp/bin.ts); `mmscn lsp --stdio` is the same server
  { entryPoints: ['src/lsp/bin.ts'], outfile: 'dist/lsp.js', platform: 'node', format: 'cjs', target: 'node20', define: version },
  { entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((b) => existsSync(b.entryPoints[0]));

for (const b of builds) {
  const opts = { ...common, ...b };
  if (watch) await (await esbuild.context(opts)).watch();
  else await esbuild.build(opts);
}
