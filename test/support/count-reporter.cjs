// Spec output for people, plus a {passed, failed} file for scripts/test-all.mjs.
const fs = require('node:fs');
const Mocha = require('mocha');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const out = process.env.MMSCN_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify({ passed: this.stats.passes, failed: this.stats.failures }));
    });
  }
}
module.exports = CountReporter;
