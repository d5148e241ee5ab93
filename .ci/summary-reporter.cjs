'use strict';
// Mocha's own "N passing" line is not one CI recognises; print the plain
// "N passed, N failed[, N skipped]" line after the spec output.
const Mocha = require('mocha');
module.exports = class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = this.stats;
      process.stdout.write(`${s.passes} passed, ${s.failures} failed` + (s.pending ? `, ${s.pending} skipped` : '') + '\n');
    });
  }
};
