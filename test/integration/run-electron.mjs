#!/usr/bin/env node
// The integration suite under a desktop VS Code (Way A with @vscode/test-electron), for machines that can
// download one. Build first: `node test/integration/run.mjs --bundle-only`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { freshDir, makeWorkspace, ROOT, USER_SETTINGS, writeResults } from './harness.mjs';
import { writeFileSync, mkdirSync } from 'node:fs';

const dir = freshDir('integration-electron');
const fixtures = readdirSync(join(ROOT, 'test/integration/fixtures')).map((f) => join(ROOT, 'test/integration/fixtures', f));
const ws = makeWorkspace(join(dir, 'workspace'), fixtures);
const userData = join(dir, 'user-data');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
const hostResults = join(dir, 'host-results.json');
let code = 1;
try {
  code = await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out/test/integration/index.js'),
    extensionTestsEnv: { MMSCN_HOST_RESULTS: hostResults },
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', join(dir, 'extensions')],
  });
} catch (e) {
  console.error(e);
}
const counts = existsSync(hostResults) ? JSON.parse(readFileSync(hostResults, 'utf8')) : { passed: 0, failed: 1 };
writeResults(counts);
process.exit(code === 0 && counts.failed === 0 ? 0 : 1);
