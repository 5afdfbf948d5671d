#!/usr/bin/env node
// A "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// No desktop VS Code/Electron is installable offline, so this parses the CLI flags test-electron passes,
// starts code-server (real VS Code 1.139 server + node extension host), opens its workbench in headless
// chromium with a smoke-test `payload` carrying extensionDevelopmentPath/extensionTestsPath, and exits
// with the code the test runner reports via window.codeAutomationExit.
// Env: CODE_SERVER_NODE (node 24 binary), CODE_SERVER_ENTRY (.../code-server/out/node/entry.js),
//      CHROMIUM_PATH (default /usr/bin/chromium), CODE_SHIM_TIMEOUT_MS (default 300000), CODE_SHIM_VERBOSE=1.
'use strict';
const path = require('path');
const util = require('util');
const { startCodeServer, workbenchUrl, launchChromium } = require('./code-server');

const VERBOSE = process.env.CODE_SHIM_VERBOSE === '1';
const opt = { dev: [], tests: undefined, udd: undefined, exts: undefined, folder: undefined };
for (const a of process.argv.slice(2)) {
  const m = /^--([^=]+)=(.*)$/.exec(a);
  if (m && m[1] === 'extensionDevelopmentPath') opt.dev.push(m[2]);
  else if (m && m[1] === 'extensionTestsPath') opt.tests = m[2];
  else if (m && m[1] === 'user-data-dir') opt.udd = m[2];
  else if (m && m[1] === 'extensions-dir') opt.exts = m[2];
  else if (!a.startsWith('-')) opt.folder = a;
  // every other desktop flag (--no-sandbox, --disable-updates, ...) is meaningless for code-server
}

let cs;
// On any exit (including Ctrl+C from runTests) take the whole code-server process group down.
process.on('exit', () => cs && cs.kill());
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

async function main() {
  if (!opt.tests) throw new Error('missing --extensionTestsPath');
  // NLC_E2E_UNTRUSTED=1 (run.mjs's untrusted run): workspace trust on, so the fresh profile's folder is untrusted.
  cs = await startCodeServer({ udd: opt.udd, exts: opt.exts, verbose: VERBOSE, workspaceTrust: process.env.NLC_E2E_UNTRUSTED === '1' });
  let resolveExit;
  const exitCode = new Promise((resolve) => { resolveExit = resolve; });
  cs.exited.then((msg) => { console.error(`code-shim: ${msg}`); resolveExit(4); });

  const ctx = await launchChromium(path.join(cs.tmp, 'chromium'));
  const page = ctx.pages()[0] || await ctx.newPage();
  // Offline noise from the workbench (gallery, github auth, copilot/agent host) that says nothing about our tests.
  const noise = /AgentHost|ChatModelSelection|ENOTFOUND|socket|connection token|github|AccountPolicyGate|Service Worker|builtin extensions|grace time|open-vsx/;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const t = util.format(...args);
    if (VERBOSE || !noise.test(t)) (type === 'error' ? process.stderr : process.stdout).write(t + '\n');
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  const timeoutMs = Number(process.env.CODE_SHIM_TIMEOUT_MS || 300000);
  const timer = setTimeout(() => { console.error(`code-shim: no test result after ${timeoutMs} ms`); resolveExit(3); }, timeoutMs);
  await page.goto(workbenchUrl(cs.host, { folder: opt.folder, devPaths: opt.dev, testsPath: opt.tests }));
  const code = await exitCode;
  clearTimeout(timer);
  await ctx.close().catch(() => {});
  return code;
}

main().then((code) => process.exit(code), (e) => { console.error('code-shim:', e); process.exit(1); });
