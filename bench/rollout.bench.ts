// The rollout's own overhead per host beyond Ansible's, measured in the same run on real hosts
// (test/support/fleet.ts: N hosts with their own sshd and nova-compute; needs root and the
// compute node's packages, like the oracle tests):
//   ours, over the wire: the preview per host (list + read the set over OpenSSH, plan, judge,
//     detect the service manager), and the playbook's delegated helper (our log mark + Nova's
//     verdict) timed from Ansible's own task times;
//   ours, in process (CPU): planning a host, generating the playbooks + vars, reading the events;
//   Ansible's: ansible-playbook's wall time for the same hosts in --check --diff (no restarts: what
//     Ansible itself costs to reach, stat, copy-check each host), per host.
// Medians over ROUNDS rounds; the load average is printed (the machine is shared).
//   node --import tsx bench/rollout.bench.ts [HOSTS=3] [ROUNDS=3]
//
// 2026-12-01, 3 hosts, 3 rounds, load average 9.8 at start and 13.3 at end (2 shared cores):
//   ours: preview per host, wall median 2.30 s; Ansible --check --diff per host, wall median 10.7 s
//   (ours/Ansible 0.21); in process per host: plan 5.2 ms CPU, playbook + vars 0.003 ms, events 0.26 ms.
//   In the recorded real apply, our delegated helper: log mark median 3.0 s (a node + ssh start),
//   verdict median 20.2 s (nova-compute's own start-up, waited for), of 52 s per host in all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { computeNodeMissing } from '../test/support/computeNode';
import { startFleet, startAll } from '../test/support/fleet';
import { readInventory, selectHosts } from '../server/src/inventory/ansibleInventory';
import { LocalRunner } from '../server/src/hosts/localRunner';
import { inventoryRunner } from '../server/src/advise/collect';
import { getKnowledge } from '../server/src/knowledge/knowledge';
import { normalizeSettings } from '../server/src/core/settings';
import { previewRollout } from '../server/src/rollout/preview';
import { runRollout } from '../server/src/rollout/orchestrate';
import { AnsibleExecutor } from '../server/src/rollout/ansible';
import { AnsibleEventReader } from '../server/src/rollout/ansibleEvents';
import { applyPlaybook, playbookText, playbookVars, rollbackPlaybook, type PlaybookInput } from '../server/src/rollout/playbook';
import { planNovaCpuMode } from '../server/src/ops/index';
import { cpuRuns, fmt, median } from './support';

const HOSTS = Number(process.argv[2] ?? 3);
const ROUNDS = Number(process.argv[3] ?? 3);
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const change = { mode: 'custom' as const, models: ['EPYC-Milan'] };

const cpu = (n: number, fn: () => void): number => median(cpuRuns(n, fn));

/** Our helper's share of a real apply, from Ansible's own task times in the recorded run (test/fixtures/rollout/). */
function helperMsFromFixture(): { mark: number[]; verify: number[]; wallPerHost: number } {
  const lines = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'rollout', 'ansible-host3-refused.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const span = (name: string) => lines.filter((e) => e._event === 'v2_runner_on_ok' && e.task?.name === name).map((e) => Date.parse(e.task.duration.end) - Date.parse(e.task.duration.start));
  const t = lines.map((e) => Date.parse(e._timestamp)).filter(Number.isFinite);
  return { mark: span('nlc:mark'), verify: span('nlc:verify'), wallPerHost: (Math.max(...t) - Math.min(...t)) / 3 };
}

(async () => {
  const missing = computeNodeMissing();
  if (missing) { console.log(`rollout bench not run: ${missing}`); return; }
  const load0 = loadavg()[0];
  const fleet = await startFleet(HOSTS);
  try {
    await startAll(fleet.hosts);
    const knowledge = getKnowledge(normalizeSettings({ novaRelease: 'zed' }));
    const inv = await readInventory(new LocalRunner(), fleet.inventory);
    const previewMs: number[] = [];
    const ansibleMs: number[] = [];
    let sample: Awaited<ReturnType<typeof previewRollout>> | undefined;
    for (let r = 0; r < ROUNDS; r++) {
      const targets = selectHosts(inv, 'computes').map((h) => ({ name: h.name, runner: inventoryRunner(h, fleet.sshConfig), inventory: h }));
      const t0 = Date.now();
      const preview = await previewRollout(targets, change, { knowledge });
      previewMs.push((Date.now() - t0) / HOSTS);
      sample = preview;
      const ex = new AnsibleExecutor({ inventory: fleet.inventory, helper: [process.execPath, CLI], sshConfig: fleet.sshConfig, novaRelease: 'zed' });
      const s = await runRollout(preview, ex, () => undefined, { dryRun: true, batchSize: HOSTS });
      if (!s.ok) throw new Error(`dry run failed: ${s.message}`);
      ansibleMs.push(s.engineMs! / HOSTS);
      for (const t of targets) await t.runner.close();
    }
    // In-process work per host, CPU medians.
    const files = sample!.hosts[0].set!.map((m) => ({ path: m.path, sha256: m.sha256, text: readFileSync(join(fleet.hosts[0].etcNova, m.path.replace('/etc/nova/', '')), 'utf8') }));
    const planCpu = cpu(30, () => planNovaCpuMode(files, change, knowledge, 'host1'));
    const input: PlaybookInput = {
      become: true, serial: [1, 2, 2],
      hosts: Array.from({ length: 100 }, (_, i) => ({ name: `host${i}`, restart: ['/etc/init.d/nova-compute', 'restart'], mark: ['node', 'cli.js', 'rollout-step', 'mark'], verify: ['node', 'cli.js', 'rollout-step', 'verify'], files: [{ path: '/etc/nova/nova-compute.conf', src: `/tmp/x/${i}`, backup: '/etc/nova/b', sha256Before: 'a'.repeat(64), sha256After: 'b'.repeat(64) }] })),
    };
    const genCpu = cpu(30, () => { playbookText(applyPlaybook(input), 'a'); playbookText(rollbackPlaybook(input), 'r'); JSON.stringify(playbookVars(input)); }) / 100;
    const jsonl = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'rollout', 'ansible-host3-refused.jsonl'), 'utf8').split('\n');
    const parseCpu = cpu(30, () => { const r = new AnsibleEventReader(new Map()); for (const l of jsonl) r.feed(l); }) / 3;
    const helper = helperMsFromFixture();
    const pre = median(previewMs);
    const ans = median(ansibleMs);
    console.log(`rollout bench: ${HOSTS} hosts, ${ROUNDS} rounds, load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end (2 cores, shared)`);
    console.log(`  ours   preview per host (read set over ssh, plan, judge, detect service), wall median  ${fmt(pre)}`);
    console.log(`  Ansible --check --diff per host (ansible-playbook wall), median                         ${fmt(ans)}`);
    console.log(`  ratio ours/Ansible                                                                         ${(pre / ans).toFixed(2)}`);
    console.log(`  ours   in process, CPU per host: plan ${fmt(planCpu)}, playbook+vars ${fmt(genCpu)}, reading events ${fmt(parseCpu)}`);
    console.log(`  real apply (recorded run, test/fixtures/rollout/): our helper inside Ansible: mark median ${fmt(median(helper.mark))}, verdict median ${fmt(median(helper.verify))} (mostly waiting for nova-compute to start); whole run ${fmt(helper.wallPerHost)} per host`);
  } finally {
    await fleet.stop();
  }
})().catch((e) => { console.error(e); process.exitCode = 1; });
