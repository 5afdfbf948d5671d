// Runs the mocha suite in test/e2e/vscode/suite inside real VS Code (code-server) via @vscode/test-electron.
// Usage: node test/e2e/vscode/run.mjs     (after `npm run build` and `bash scripts/setup-test-env.sh`)
// Env: CODE_SHIM_VERBOSE=1 shows code-server/workbench logs; MOCHA_GREP=<regex> runs a subset.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runTests } from '@vscode/test-electron';
import { repoRoot, codeServerPaths, chromiumPath, vscodeOracleProblems } from '../env.mjs';

const here = path.join(repoRoot, 'test/e2e/vscode');
const problems = vscodeOracleProblems();
if (!fs.existsSync(path.join(repoRoot, 'dist/client.js'))) problems.push('dist/client.js missing: run `npm run build`');
if (problems.length) {
  console.error('vscode e2e: cannot run:\n  ' + problems.join('\n  ') + '\n  (bash scripts/setup-test-env.sh installs code-server)');
  process.exit(2);
}

const cs = codeServerPaths();
// The host commands' suite (suite/commands.test.js) applies CPU-mode changes to a real compute node:
// code-server then runs inside the node's mount namespace (test/support/computeNode.ts), so the
// workspace extension sees that node's /etc/nova and nova-compute, as on a Remote-SSH window.
const node = startNode();
let csNode = cs.node;
if (node) {
  csNode = path.join(os.tmpdir(), `nlc-cs-node-${process.pid}.sh`);
  fs.writeFileSync(csNode, `#!/bin/sh\nexec ${[...node.enter, cs.node].map((a) => `'${a}'`).join(' ')} "$@"\n`, { mode: 0o755 });
}
const t0 = Date.now();
let code;
try {
  code = await suite({ csNode, env: node ? { NLC_E2E_COMPUTE_NODE: node.hostname } : {} });
  // Then an untrusted window (workspace trust on, a folder nobody trusted): suite/untrusted.test.js only.
  const untrusted = await suite({ csNode: cs.node, env: { NLC_E2E_UNTRUSTED: '1' }, settings: { 'security.workspace.trust.startupPrompt': 'never' } });
  if (code === 0) code = untrusted;
} finally {
  if (node && !node.shared) spawnSync(process.execPath, ['--import', 'tsx', 'test/support/computeNode.ts', 'down', node.state], { cwd: repoRoot, stdio: 'inherit' });
  if (node) fs.rmSync(csNode, { force: true });
}
console.log(`vscode e2e: exit ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(code);

/** One run of the mocha suite in a fresh profile (so state never leaks between runs); its exit code. */
async function suite({ csNode: nodeBin, env, settings }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nlc-vscode-e2e-'));
  if (settings) {
    fs.mkdirSync(path.join(profile, 'user-data', 'User'), { recursive: true });
    fs.writeFileSync(path.join(profile, 'user-data', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  }
  try {
    return await runTests({
      vscodeExecutablePath: path.join(here, 'code-shim.js'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(here, 'suite/index'),
      launchArgs: [path.join(here, 'workspace'), `--user-data-dir=${profile}/user-data`, `--extensions-dir=${profile}/extensions`],
      // Reaches the shim (and from there code-server and the extension host).
      extensionTestsEnv: { CODE_SERVER_NODE: nodeBin, CODE_SERVER_ENTRY: cs.entry, CHROMIUM_PATH: chromiumPath(), ...env },
    });
  } catch (e) {
    // runTests rejects with TestRunFailedError on a non-zero exit of the shim
    console.error(`vscode e2e: ${e.message || e}`);
    return typeof e.code === 'number' && e.code !== 0 ? e.code : 1;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Starts the compute node (when this machine can run one); undefined, with the reason printed, when not. */
function startNode() {
  if (process.env.NLC_E2E_NO_NODE) return undefined;
  // A node already up for this run (scripts/run-tests.mjs, or by hand: computeNode.ts up STATE): use it, leave it up.
  const shared = process.env.NLC_COMPUTE_NODE;
  if (shared && fs.existsSync(shared)) return { ...JSON.parse(fs.readFileSync(shared, 'utf8')), state: shared, shared: true };
  const state = path.join(os.tmpdir(), `nlc-e2e-node-${process.pid}.json`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/computeNode.ts', 'up', state], { cwd: repoRoot, encoding: 'utf8' });
  process.stdout.write(r.stdout + r.stderr);
  if (r.status !== 0 || !fs.existsSync(state)) return undefined;
  return { ...JSON.parse(fs.readFileSync(state, 'utf8')), state };
}
