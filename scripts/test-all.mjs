// Runs every test suite that exists and ends with the one line CI reads: "N passed, N failed".
// MMSCN_SUITES=unit,adapter picks suites; each suite writes {passed, failed} to $MMSCN_RESULTS.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

// A suite with `single: true` is one check (the type checker, the linter): 1 passed, or 1 failed on a non-zero exit.
const suites = [
  { name: 'typecheck', needs: 'tsconfig.json', single: true, cmd: ['npx', 'tsc', '--noEmit', '-p', '.'] },
  { name: 'lint', needs: 'eslint.config.mjs', single: true, cmd: ['npx', 'eslint', 'src', 'test', 'bench'] },
  { name: 'unit', needs: 'test/unit', cmd: ['npx', 'mocha', '--reporter', 'test/support/count-reporter.cjs'] },
  // --no-config: .mocharc.json's spec (test/unit) would otherwise be added to this suite's
  { name: 'adapter', needs: 'test/adapter', cmd: ['npx', 'mocha', '--no-config', '--node-option', 'import=tsx', '--timeout', '20000', '--reporter', 'test/support/count-reporter.cjs', '--spec', 'test/adapter/**/*.test.ts'] },
  // the language server over stdio child processes, and Neovim/Emacs driving it (test/lsp)
  { name: 'lsp', needs: 'test/lsp', cmd: ['npx', 'mocha', '--no-config', '--node-option', 'import=tsx', '--timeout', '30000', '--reporter', 'test/support/count-reporter.cjs', '--spec', 'test/lsp/**/*.test.ts'] },
  { name: 'integration', needs: 'test/integration/run.mjs', cmd: ['node', 'test/integration/run.mjs'] },
  { name: 'e2e', needs: 'test/e2e/run.mjs', cmd: ['node', 'test/e2e/run.mjs'] },
  // the browser build (package.json "browser") in code-server's web worker extension host
  { name: 'web', needs: 'test/e2e/web.mjs', cmd: ['node', 'test/e2e/web.mjs'] },
];
const wanted = process.env.MMSCN_SUITES?.split(',').map((s) => s.trim());
const outDir = '.test-output';
mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
for (const s of suites) {
  if (wanted && !wanted.includes(s.name)) continue;
  if (!existsSync(s.needs)) continue;
  const results = join(outDir, `${s.name}-results.json`);
  rmSync(results, { force: true });
  console.log(`\n=== ${s.name} ===`);
  const r = spawnSync(s.cmd[0], s.cmd.slice(1), { stdio: 'inherit', env: { ...process.env, MMSCN_RESULTS: results } });
  let counts = { passed: 0, failed: 0 };
  if (s.single) counts = r.status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  else {
    if (existsSync(results)) counts = JSON.parse(readFileSync(results, 'utf8'));
    // A suite that died before reporting, or exited non-zero with no failure counted, is one failure.
    if (!existsSync(results) || (r.status !== 0 && counts.failed === 0)) counts.failed += 1;
  }
  console.log(`=== ${s.name}: ${counts.passed} passed, ${counts.failed} failed ===`);
  passed += counts.passed;
  failed += counts.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
