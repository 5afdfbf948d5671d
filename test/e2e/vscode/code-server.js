// Start code-server (real VS Code server + workbench) and a headless chromium for it.
// Shared by code-shim.js (mocha suite in the extension host) and ui.mjs (workbench UI checks).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');

const freePort = () => new Promise((res, rej) => {
  const s = net.createServer();
  s.on('error', rej);
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});

/**
 * Start code-server in its own process group on a free port. Resolves once it listens.
 * workspaceTrust: keep VS Code's workspace trust on (by default it is disabled, so every folder is trusted).
 * Returns { host, tmp, child, log(), kill(), exited } where exited resolves with a message if it dies.
 * kill() SIGKILLs the whole group: code-server leaves agentHost/copilot-runtime behind if only its pid dies.
 */
async function startCodeServer({ node = process.env.CODE_SERVER_NODE, entry = process.env.CODE_SERVER_ENTRY, udd, exts, verbose = false, workspaceTrust = false } = {}) {
  if (!node || !entry) throw new Error('set CODE_SERVER_NODE and CODE_SERVER_ENTRY (see scripts/setup-test-env.sh)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-'));
  const port = await freePort();
  const cfg = path.join(tmp, 'config.yaml');
  // Always pass --config: otherwise code-server writes ~/.config/code-server/config.yaml
  fs.writeFileSync(cfg, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [entry, '--config', cfg,
    '--user-data-dir', udd || path.join(tmp, 'udd'), '--extensions-dir', exts || path.join(tmp, 'exts'),
    '--disable-telemetry', '--disable-update-check', ...(workspaceTrust ? [] : ['--disable-workspace-trust']), '--ignore-last-opened',
    '--reconnection-grace-time', '5',
    // built workbenches ignore the `payload` URL parameter unless the smoke-test driver is enabled
    '--vscode-option', 'enable-smoke-test-driver'];
  const child = spawn(node, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const onData = (d) => { log += d; if (verbose) process.stderr.write('[code-server] ' + d); };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((res) => child.on('exit', (c, sig) => res(`code-server exited (${c ?? sig})\n${log.slice(-4000)}`)));
  const kill = () => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    try { fs.rmSync(tmp, { recursive: true, force: true }); } catch { /* best effort */ }
  };
  const listening = new Promise((res) => {
    const t = setInterval(() => { if (log.includes('HTTP server listening')) { clearInterval(t); res(); } }, 100);
    exited.then(() => clearInterval(t));
  });
  const early = await Promise.race([listening.then(() => null), exited]);
  if (early) { kill(); throw new Error(early); }
  return { host: `127.0.0.1:${port}`, tmp, child, log: () => log, kill, exited };
}

/** Workbench URL opening `folder`, with the smoke-test payload (extension under development, optional tests). */
function workbenchUrl(host, { folder, devPaths = [], testsPath } = {}) {
  const remote = (p) => `vscode-remote://${host}${path.resolve(p)}`;
  const payload = [...devPaths.map((d) => ['extensionDevelopmentPath', remote(d)]),
    ...(testsPath ? [['extensionTestsPath', remote(testsPath)]] : []), ['skipWelcome', 'true']];
  const url = `http://${host}/?payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url + (folder ? `&folder=${encodeURIComponent(path.resolve(folder))}` : '&ew=true');
}

/** Headless Debian chromium through playwright-core (no browser download). */
async function launchChromium(userDataDir, extra = {}) {
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    ...extra,
  });
}

module.exports = { startCodeServer, workbenchUrl, launchChromium };
