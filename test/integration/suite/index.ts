// The extension-host side of the integration suite: the `run()` contract of extensionTestsPath, shared by
// @vscode/test-electron (desktop) and by test/integration/run.mjs (code-server + Chromium).
// Bundled by run.mjs (esbuild) into out/test/integration/index.js, mocha included.
//
// Results leave the host two ways: every line is console.log'ed (the workbench forwards extension-host
// console output to `codeAutomationLog`, where run.mjs parses the final `MMSCN_RESULTS {...}` line), and,
// when MMSCN_HOST_RESULTS names a file, the same JSON is written there.
import * as fs from 'node:fs';
import Mocha from 'mocha';

interface Failure { title: string; error: string }

class HostReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const failures: Failure[] = [];
    let passed = 0;
    let pending = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (t) => { passed++; console.log(`MMSCN_TEST ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`); });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (t) => { pending++; console.log(`MMSCN_TEST - ${t.fullTitle()} (pending)`); });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (t, err) => {
      const error = (err as Error)?.stack ?? String(err);
      failures.push({ title: t.fullTitle(), error });
      console.log(`MMSCN_TEST ✘ ${t.fullTitle()}\n${error.split('\n').slice(0, 8).map((l) => '      ' + l).join('\n')}`);
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const summary = { passed, failed: failures.length, pending, failures };
      console.log(`MMSCN_RESULTS ${JSON.stringify(summary)}`);
      const file = process.env.MMSCN_HOST_RESULTS;
      if (file) fs.writeFileSync(file, JSON.stringify(summary));
    });
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false, reporter: HostReporter as unknown as typeof Mocha.reporters.Base });
  if (process.env.MMSCN_GREP) mocha.grep(process.env.MMSCN_GREP);
  // The test files are part of this bundle: define suite()/test() globals, then evaluate them (lazily,
  // esbuild turns these require()s into module initialisers).
  mocha.suite.emit('pre-require', globalThis, 'index.js', mocha);
  /* eslint-disable @typescript-eslint/no-require-imports -- evaluated here, after the globals exist */
  require('./activation.test');
  require('./diagnostics.test');
  require('./features.test');
  require('./commands.test');
  require('./debug.test');
  require('./inspector.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
