// `npm test` after build + typecheck: unit, protocol and oracle tests with node's runner
// (TypeScript through tsx), then the real-client tests (neovim, VS Code on code-server).
// Node 20's `node --test` takes files, not directories, so we list them here.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) find(p, out);
    else if (/\.test\.(ts|mjs)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const only = process.argv[2]; // optional layer: unit | protocol | oracle | e2e
const layers = ['unit', 'protocol', 'oracle'].filter((l) => !only || l === only);
const files = layers.flatMap((l) => find(join('test', l)));
let failed = false;
// The real compute node (test/support/computeNode.ts) is started once for every test file named node.*.test.ts.
const nodeState = files.some((f) => /(^|[\\/])node\.[^\\/]+\.test\.ts$/.test(f)) ? join(tmpdir(), `nlc-compute-node-${process.pid}.json`) : undefined;
const nodeCmd = (cmd) => spawnSync(process.execPath, ['--import', 'tsx', 'test/support/computeNode.ts', cmd, nodeState], { stdio: 'inherit' });
if (files.length) {
  if (nodeState) nodeCmd('up');
  try {
    const env = nodeState ? { ...process.env, NLC_COMPUTE_NODE: nodeState } : process.env;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter', 'spec', ...files], { stdio: 'inherit', env });
    failed ||= r.status !== 0;
  } finally {
    if (nodeState) nodeCmd('down');
  }
}
if ((!only || only === 'e2e') && existsSync('scripts/run-e2e.mjs')) {
  const r = spawnSync(process.execPath, ['scripts/run-e2e.mjs'], { stdio: 'inherit' });
  failed ||= r.status !== 0;
}
console.log(failed ? 'npm test: FAILED' : 'npm test: all layers passed');
process.exit(failed ? 1 : 0);
