// Runs the mocha suite in test/e2e/vscode/suite inside real VS Code (code-server) via @vscode/test-electron.
// Usage: node test/e2e/vscode/run.mjs     (after `npm run build` and `bash scripts/setup-test-env.sh`)
// Env: CODE_SHIM_VERBOSE=1 shows code-server/workbench logs; MOCHA_GREP=<regex> runs a subset.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
// Fresh profile per run so state (recent files, caches, extension storage) never leaks between runs.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nlc-vscode-e2e-'));
const t0 = Date.now();
let code;
try {
  code = await runTests({
    vscodeExecutablePath: path.join(here, 'code-shim.js'),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(here, 'suite/index'),
    launchArgs: [path.join(here, 'workspace'), `--user-data-dir=${profile}/user-data`, `--extensions-dir=${profile}/extensions`],
    // Reaches the shim (and from there code-server and the extension host).
    extensionTestsEnv: { CODE_SERVER_NODE: cs.node, CODE_SERVER_ENTRY: cs.entry, CHROMIUM_PATH: chromiumPath() },
  });
} catch (e) {
  // runTests rejects with TestRunFailedError on a non-zero exit of the shim
  console.error(`vscode e2e: ${e.message || e}`);
  code = typeof e.code === 'number' && e.code !== 0 ? e.code : 1;
} finally {
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`vscode e2e: exit ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(code);
