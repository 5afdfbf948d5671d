/**
 * What a whole apply costs beyond nova-compute's own restart, on the real test node
 * (test/support/computeNode.ts): N applies alternating two valid configs, each split into
 *   nova's own = the restart command + the time from its end to the log line that shows start-up
 *                past init_host (that line's own timestamp), and
 *   ours       = everything else: listing/reading/hashing the set, planning, the hash re-check,
 *                backup, atomic write, manifest, the log mark, and the verification's poll lag.
 * Needs root and the node's packages (it starts its own node unless NLC_COMPUTE_NODE names one).
 * Run: node --import tsx bench/apply.bench.ts [N]
 */
import { computeNodeMissing, NodeRunner, seedComputeConf, useComputeNode } from '../test/support/computeNode';
import { applyChange, type TransactionUi } from '../server/src/ops/transaction';
import { planNovaCpuMode } from '../server/src/ops/novaConfPlan';
import { sysvManager } from '../server/src/hosts/services';
import { getKnowledge } from '../server/src/knowledge/knowledge';
import { normalizeSettings } from '../server/src/core/settings';
import type { CpuModeChange } from '../server/src/ops/types';
import { median, fmt } from './support';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 5);

/** oslo.log's local timestamp at the start of a line, in epoch ms. */
function logTime(line: string): number {
  const m = /(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(line)!;
  return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]).getTime();
}

async function main() {
  const missing = computeNodeMissing();
  if (missing) { console.log(`apply bench skipped: ${missing}`); return; }
  const { node, release } = await useComputeNode();
  let restartEnd = 0;
  const runner = new NodeRunner(node, { log: (e) => { if (e.argv.at(-1) === 'restart') restartEnd = Date.now(); } });
  const knowledge = getKnowledge(normalizeSettings({ novaRelease: 'zed' }));
  const ui: TransactionUi = { preview: async () => true, progress: () => undefined, offerRollback: async () => false };
  writeFileSync(join(node.etcNova, 'nova-compute.conf'), seedComputeConf(node.hostname));
  await runner.run(['/etc/init.d/nova-compute', 'start']);
  const changes: CpuModeChange[] = [{ mode: 'custom', models: ['qemu64'] }, { mode: 'host-model' }];
  const total: number[] = [], nova: number[] = [], ours: number[] = [];
  try {
    for (let i = 0; i < N; i++) {
      const change = changes[i % 2];
      const r = await applyChange({ runner, manager: sysvManager(), knowledge, ui }, (files) => planNovaCpuMode(files, change, knowledge));
      if (r.outcome !== 'applied') throw new Error(`run ${i}: ${r.outcome}: ${r.message}`);
      const novaMs = r.timings.restartMs + (logTime(r.verdict!.startedLine!) - restartEnd);
      total.push(r.timings.totalMs); nova.push(novaMs); ours.push(r.timings.totalMs - novaMs);
      console.log(`run ${i + 1}: total ${fmt(r.timings.totalMs)} = nova-compute ${fmt(novaMs)} (restart command ${fmt(r.timings.restartMs)}) + ours ${fmt(r.timings.totalMs - novaMs)}`);
    }
    console.log(`apply on the real node, ${N} runs: total median ${fmt(median(total))}; nova-compute's own restart median ${fmt(median(nova))}; `
      + `ours median ${fmt(median(ours))}, max ${fmt(Math.max(...ours))} (${(100 * median(ours) / median(total)).toFixed(0)} % of the total)`);
  } finally {
    await runner.run(['/etc/init.d/nova-compute', 'stop'], { timeoutMs: 60_000 });
    await release();
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
