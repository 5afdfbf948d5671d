// Real-client test layer: neovim's LSP client, real VS Code (code-server) running the mocha suite in the
// extension host, then one workbench UI check (Problems panel, squiggle, hover; screenshot in test/e2e/.cache).
// Usage: node scripts/run-e2e.mjs [neovim|vscode|vscode-ui]      (after `npm run build`)
// A layer whose oracle is not installed is skipped with a message, or fails when CI_REQUIRE_ORACLES=1.
// Install the oracles with: bash scripts/setup-test-env.sh
import { spawnSync } from 'node:child_process';
import { repoRoot, requireOracles, neovimOracleProblems, vscodeOracleProblems } from '../test/e2e/env.mjs';

const only = process.argv[2];
const layers = [
  { name: 'neovim', problems: neovimOracleProblems, args: ['--test', '--test-reporter=spec', 'test/e2e/neovim.test.mjs'] },
  { name: 'vscode', problems: vscodeOracleProblems, args: ['test/e2e/vscode/run.mjs'] },
  { name: 'vscode-ui', problems: vscodeOracleProblems, args: ['--test', '--test-reporter=spec', 'test/e2e/vscode-ui.test.mjs'] },
].filter((l) => !only || l.name === only);
if (!layers.length) { console.error(`run-e2e: unknown layer '${only}' (neovim | vscode | vscode-ui)`); process.exit(2); }

const results = [];
for (const l of layers) {
  const problems = l.problems();
  if (problems.length) {
    const why = problems.join('; ');
    if (requireOracles) {
      console.error(`e2e ${l.name}: FAILED, oracle missing and CI_REQUIRE_ORACLES=1: ${why}\n  fix: bash scripts/setup-test-env.sh`);
      results.push(`${l.name} failed (missing oracle)`);
    } else {
      console.log(`e2e ${l.name}: SKIPPED (${why}). Install with: bash scripts/setup-test-env.sh`);
      results.push(`${l.name} skipped`);
    }
    continue;
  }
  console.log(`\n=== e2e ${l.name} ===`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, l.args, { stdio: 'inherit', cwd: repoRoot });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  results.push(`${l.name} ${r.status === 0 ? 'passed' : 'failed'} in ${secs} s`);
}
const count = (w) => results.filter((r) => r.includes(` ${w}`)).length;
console.log(`\ne2e: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped (${results.join(', ')})`);
process.exit(count('failed') ? 1 : 0);
