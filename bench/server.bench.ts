/**
 * Server start to first diagnostics, as an editor sees it: spawn `dist/server.js --stdio`,
 * initialize, open a nova.conf and a domain XML, wait for both diagnostics.
 * Peer in the same run: a bare `node -e 0` start, the floor any node server pays.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startClient } from '../test/support/lspClient';
import { median, fmt } from './support';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const nova = '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n';
const domain = readFileSync('test/e2e/vscode/workspace/domain.xml', 'utf8');

async function once(): Promise<number> {
  const t0 = process.hrtime.bigint();
  const c = await startClient();
  const a = c.diagnostics('file:///bench/nova.conf');
  const b = c.diagnostics('file:///bench/domain.xml');
  c.open('file:///bench/nova.conf', 'nova-conf', nova);
  c.open('file:///bench/domain.xml', 'xml', domain);
  await Promise.all([a, b]);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await c.close();
  return ms;
}

(async () => {
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await once());
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const m = median(ours);
  const p = median(bare);
  console.log(`server start -> first diagnostics (2 docs): median ${fmt(m)} over ${RUNS} runs (target < 300 ms)`);
  console.log(`peer: bare node start (node -e 0):          median ${fmt(p)}; ratio ours/bare = ${(m / p).toFixed(2)}`);
})();
