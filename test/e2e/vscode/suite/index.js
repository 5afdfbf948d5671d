// Loaded by the VS Code extension host via require(): must stay CommonJS.
// Runs every *.test.js next to this file with mocha (bdd) and prints "N passed, N failed".
'use strict';
const fs = require('fs');
const path = require('path');
const mochaModule = require('mocha'); // mocha 12 is ESM with a CJS core; require(esm) gives the namespace
const Mocha = mochaModule.default || mochaModule;

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  if (process.env.MOCHA_GREP) mocha.grep(new RegExp(process.env.MOCHA_GREP));
  // The untrusted window runs only untrusted.test.js; the trusted one everything else.
  const untrusted = process.env.NLC_E2E_UNTRUSTED === '1';
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && (f === 'untrusted.test.js') === untrusted).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats || {};
      console.log(`${passes} passed, ${failed} failed${pending ? `, ${pending} pending` : ''}`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
  });
};
