#!/usr/bin/env node
// A "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// No desktop VS Code/Electron is installable offline, so this parses the CLI flags test-electron passes,
// starts code-server (real VS Code 1.139 server + node extension host), opens its workbench in headless
// chromium with a smoke-test `payload` carrying extensionDevelopmentPath/extensionTestsPath, and exits
// with the code the test runner reports via window.codeAutomationExit.
// Env: CODE_SERVER_NODE (node 24 binary), CODE_SERVER_ENTRY (.../code-server/out/node/entry.js),
//      CHROMIUM_PATH (default /usr/bin/chromium), CODE_SHIM_TIMEOUT_MS (default 300000), CODE_SHIM_VERBOSE=1.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const util = require('util');
const { chromium } = require('playwright-core');

const CS_NODE = process.env.CODE_SERVER_NODE;
const CS_ENTRY = process.env.CODE_SERVER_ENTRY;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
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

const freePort = () => new Promise((res, rej) => {
  const s = net.createServer();
  s.on('error', rej);
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});

let cs; // code-server child, leader of its own process group
let tmp;
// Kill the whole group: killing only code-server's pid leaves agentHost/copilot-runtime processes behind.
function cleanup() {
  if (cs && cs.pid) { try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* already gone */ } }
  if (tmp) { try { fs.rmSync(tmp, { recursive: true, force: true }); } catch { /* best effort */ } }
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

async function main() {
  if (!CS_NODE || !CS_ENTRY) throw new Error('set CODE_SERVER_NODE and CODE_SERVER_ENTRY (see scripts/setup-test-env.sh)');
  if (!opt.tests) throw new Error('missing --extensionTestsPath');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-shim-'));
  const port = await freePort();
  const cfg = path.join(tmp, 'config.yaml');
  fs.writeFileSync(cfg, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const csArgs = [CS_ENTRY, '--config', cfg,
    '--user-data-dir', opt.udd || path.join(tmp, 'udd'), '--extensions-dir', opt.exts || path.join(tmp, 'exts'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened',
    '--reconnection-grace-time', '5',
    // built workbenches ignore the `payload` URL parameter unless the smoke-test driver is enabled
    '--vscode-option', 'enable-smoke-test-driver'];
  cs = spawn(CS_NODE, csArgs, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let csLog = '';
  const onCsData = (d) => { csLog += d; if (VERBOSE) process.stderr.write('[code-server] ' + d); };
  cs.stdout.on('data', onCsData);
  cs.stderr.on('data', onCsData);

  let resolveExit;
  const exitCode = new Promise((resolve) => { resolveExit = resolve; });
  let listening = false;
  cs.on('exit', (c, sig) => {
    console.error(`code-shim: code-server exited early (${c ?? sig})\n${csLog.slice(-4000)}`);
    resolveExit(listening ? 4 : 5);
  });
  await Promise.race([exitCode, new Promise((res) => {
    const t = setInterval(() => { if (csLog.includes('HTTP server listening')) { clearInterval(t); listening = true; res(); } }, 100);
  })]);
  if (!listening) return exitCode;

  const host = `127.0.0.1:${port}`;
  const remote = (p) => `vscode-remote://${host}${path.resolve(p)}`;
  const payload = [...opt.dev.map((d) => ['extensionDevelopmentPath', remote(d)]),
    ['extensionTestsPath', remote(opt.tests)], ['skipWelcome', 'true']];
  let url = `http://${host}/?payload=${encodeURIComponent(JSON.stringify(payload))}`;
  url += opt.folder ? `&folder=${encodeURIComponent(path.resolve(opt.folder))}` : '&ew=true';

  const ctx = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
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
  await page.goto(url);
  const code = await exitCode;
  clearTimeout(timer);
  await ctx.close().catch(() => {});
  return code;
}

main().then((code) => process.exit(code), (e) => { console.error('code-shim:', e); process.exit(1); });
