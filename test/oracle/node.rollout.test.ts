/**
 * `nova-libvirt-cpu rollout` to five real compute hosts (test/support/fleet.ts: each its own
 * /etc/nova, log, pid file, hostname, sshd and Debian nova-compute, sharing the compute node's
 * rabbitmq, conductor, placement and libvirtd), through real Ansible (Debian's ansible-core 2.14
 * over real OpenSSH) and through our OpenSSH executor. The CLI runs on the machine, outside
 * every host, as an operator's workstation would. Needs `npm run build`.
 *
 * The injected failure is Nova's own: host3's own nova-compute.conf says `virt_type = kvm` (the
 * others `qemu`), so only host3's nova-compute compares the new model with the host CPU (this
 * machine's TCG host CPU is kvm64) and refuses it at start, in its log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { computeNodeMissing } from '../support/computeNode';
import { sshdMissing } from '../support/sshd';
import { testUsersMissing } from '../support/testUsers';
import { cliRunner, isRunning, logSince, logSize, resetFleet, startAll, startFleet, type Fleet, type FleetHost } from '../support/fleet';
import { summaryTable } from '../../server/src/rollout/orchestrate';
import type { RolloutEvent, RolloutSummary } from '../../server/src/rollout/types';

const REQUIRED = process.env.CI_REQUIRE_ORACLES === '1';
const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
const JSONL = '/usr/lib/python3/dist-packages/ansible_collections/ansible/posix/plugins/callback/jsonl.py';
const missing = computeNodeMissing() ?? [...sshdMissing(), ...testUsersMissing()][0]
  ?? (existsSync('/usr/bin/ansible-playbook') ? undefined : 'ansible-playbook is not installed (scripts/setup-test-env.sh installs ansible)')
  ?? (existsSync(JSONL) ? undefined : 'the ansible.posix.jsonl callback is missing (Debian package ansible; scripts/setup-test-env.sh installs it)')
  ?? (existsSync(CLI) ? undefined : 'dist/cli.js is not built (npm run build)');

const CHANGE = ['--mode', 'custom', '--models', 'EPYC-Milan', '--nova-release', 'zed'];
const REFUSAL = /ERROR oslo_service\.service \[-\] Error starting thread\.: nova\.exception\.InvalidCPUInfo: Configured CPU model: EPYC-Milan and CPU Flags \[\] ar not compatible with host CPU\./;
const HOST3_KVM = { host3: [['libvirt', 'virt_type', 'kvm'] as [string, string, string]] };

let fleet: Fleet;
let cli: ReturnType<typeof cliRunner>;

/** sha256 of every file under a host's /etc/nova (our backups and manifests included: "untouched" means none appeared). */
function tree(h: FleetHost, dir = h.etcNova, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tree(h, p, out);
    else out[p.slice(h.etcNova.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}
/** The config set's own files only (what a rollback must restore byte for byte). */
const setFiles = (h: FleetHost) => Object.fromEntries(Object.entries(tree(h)).filter(([p]) => !p.includes('nova-libvirt-cpu')));

function rollout(args: string[]) {
  return cli.run(['rollout', '--inventory', fleet.inventory, '--limit', 'computes', '--ssh-config', fleet.sshConfig, '--batch', '2', '--yes', '--format', 'json', ...CHANGE, ...args]);
}

function summaryOf(r: { code: number | null; stdout: string; stderr: string }): RolloutSummary {
  try { return (JSON.parse(r.stdout) as { summary: RolloutSummary }).summary; } catch { assert.fail(`no JSON summary (exit ${r.code}):\n${r.stderr.slice(-4000)}`); }
}

/** nova-compute started again after `from` and runs: the last start in the log since then got past init_host. */
function runsAgainSince(h: FleetHost, from: number): boolean {
  const since = logSince(h, from);
  const last = since.lastIndexOf('Starting compute node');
  return last >= 0 && /Looking for unclaimed instances stuck in BUILDING status|not found in the database|Final resource view/.test(since.slice(last)) && !/Error starting thread/.test(since.slice(last));
}

async function failureStopsAndRollsBack(executor: 'ansible' | 'ssh', t: { diagnostic(s: string): void }) {
  resetFleet(fleet, HOST3_KVM);
  await startAll(fleet.hosts);
  const before = fleet.hosts.map(setFiles);
  const untouched = fleet.hosts.slice(3).map((h) => tree(h));
  const logFrom = fleet.hosts.map(logSize);
  const r = await rollout(['--executor', executor]);
  const s = summaryOf(r);
  t.diagnostic(`${executor}, failure on host3:\n${summaryTable(s)}${s.message}`);
  assert.equal(r.code, 1, r.stderr.slice(-3000));
  assert.equal(s.executor, executor);
  assert.equal(s.stoppedAt, 'host3');
  assert.match(s.message, REFUSAL, "Nova's own words, read back from host3's log");
  assert.match(s.rows[2].novaLine ?? '', REFUSAL);
  assert.deepEqual(s.rows.map((x) => x.state), ['rolled-back', 'rolled-back', 'rolled-back', 'untouched', 'untouched']);
  for (const [i, h] of fleet.hosts.slice(0, 3).entries()) {
    assert.deepEqual(setFiles(h), before[i], `${h.name}: every file of the set byte-identical after the rollback`);
    assert.ok(await isRunning(h), `${h.name}: nova-compute runs again`);
    assert.ok(runsAgainSince(h, logFrom[i]), `${h.name}: its log shows the restored config starting past init_host`);
  }
  assert.match(logSince(fleet.hosts[2], logFrom[2]), REFUSAL, "host3's own log has the refusal");
  for (const [i, h] of fleet.hosts.slice(3).entries()) {
    assert.deepEqual(tree(h), untouched[i], `${h.name}: untouched (no file, no backup)`);
    assert.doesNotMatch(logSince(h, logFrom[i + 3]), /Starting compute node/, `${h.name}: never restarted`);
  }
}

describe('rollout to five hosts through Ansible and OpenSSH (real nova-computes)', { skip: !REQUIRED && missing ? `${missing}; CI_REQUIRE_ORACLES=1 makes this a failure` : false }, () => {
  before(async () => {
    if (missing) assert.fail(`CI_REQUIRE_ORACLES=1 but ${missing}`);
    fleet = await startFleet(5);
    cli = cliRunner(CLI);
  });
  after(async () => {
    await fleet?.stop();
    cli?.dispose();
  });

  test("the preview catches an error that host4's own fragment causes, before anything is written (both executors)", async (t) => {
    // An error whatever the read order (no other file sets these options), which init_host raises as InvalidConfiguration.
    // A fragment's virt_type would not do: Debian's init script passes --config-file, so oslo.config reads
    // nova.conf.d before nova-compute.conf, whose virt_type then wins; the fragment's `lxc` is there to show it.
    resetFleet(fleet, {}, { host4: '[compute]\ncpu_shared_set = 0-1\ncpu_dedicated_set = 1\n[libvirt]\nvirt_type = lxc\n' });
    const before = fleet.hosts.map((h) => tree(h));
    for (const executor of ['ansible', 'ssh']) {
      const r = await rollout(['--executor', executor]);
      const out = JSON.parse(r.stdout) as { preview: { blocked?: string; hosts: Array<{ host: string; verdict: string; problem?: string }> }; summary: RolloutSummary };
      t.diagnostic(`${executor}, preview blocked:\n${summaryTable(out.summary)}${out.summary.message}`);
      assert.equal(r.code, 1, r.stderr.slice(-3000));
      assert.deepEqual(out.preview.hosts.map((h) => h.verdict), ['change', 'change', 'change', 'error', 'change']);
      assert.match(out.preview.blocked ?? '', /^Not started: 1 of 5 host\(s\)/);
      assert.match(out.preview.hosts[3].problem ?? '', /The '\[compute\] cpu_dedicated_set' and '\[compute\] cpu_shared_set' configuration options must be disjoint\./);
      assert.match(out.preview.hosts[3].problem ?? '', /nova\.conf\.d\/50-local\.conf/);
      // host4's launch, read over its SSH (the init script's nova-compute): the fragment first, so its virt_type loses.
      const host4 = (out.preview.hosts as unknown as Array<{ set: Array<{ path: string }>; from: string }>)[3];
      assert.deepEqual(host4.set.map((f) => f.path), ['/etc/nova/nova.conf.d/50-local.conf', '/etc/nova/nova.conf', '/etc/nova/nova-compute.conf']);
      assert.equal(host4.from, 'unset (host-model)', "nova-compute.conf's virt_type = qemu wins (lxc would make it none)");
      assert.deepEqual(out.summary.rows.map((x) => x.state), ['untouched', 'untouched', 'untouched', 'untouched', 'untouched']);
      assert.deepEqual(fleet.hosts.map((h) => tree(h)), before, 'every file on every host byte-identical, no backup written');
    }
  });

  test('Ansible: the canary, then batches of two; every nova-compute runs with the new mode', async (t) => {
    resetFleet(fleet);
    await startAll(fleet.hosts);
    const logFrom = fleet.hosts.map(logSize);
    const r = await rollout(['--executor', 'ansible']);
    const s = summaryOf(r);
    t.diagnostic(`ansible, 5 hosts:\n${summaryTable(s)}${s.message}`);
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    assert.ok(s.ok);
    assert.deepEqual(s.rows.map((x) => [x.host, x.state, x.restart, x.to]), fleet.hosts.map((h) => [h.name, 'applied', 'ok', 'custom (EPYC-Milan)']));
    // serial [1, 2, 2]: the canary verified before anyone else started, and hosts 2-3 before hosts 4-5.
    const events = (JSON.parse(r.stdout) as { events: RolloutEvent[] }).events;
    const at = (kind: string, host: string) => events.findIndex((e) => e.kind === kind && 'host' in e && e.host === host);
    for (const later of ['host2', 'host3', 'host4', 'host5']) assert.ok(at('verified', 'host1') < at('started', later), `canary before ${later}`);
    for (const later of ['host4', 'host5']) for (const b of ['host2', 'host3']) assert.ok(at('verified', b) < at('started', later), `${b} before ${later}`);
    for (const [i, h] of fleet.hosts.entries()) {
      const conf = readFileSync(join(h.etcNova, 'nova-compute.conf'), 'utf8');
      assert.match(conf, /^cpu_mode = custom$/m, h.name);
      assert.match(conf, /^cpu_models = EPYC-Milan$/m, h.name);
      assert.ok(await isRunning(h), `${h.name}: nova-compute runs`);
      assert.ok(runsAgainSince(h, logFrom[i]), `${h.name}: started with the new config past init_host`);
      assert.equal(readdirSync(h.etcNova).filter((n) => /^nova-compute\.conf\.nova-libvirt-cpu\.\d{8}T\d{6}Z\.bak$/.test(n)).length, 1, `${h.name}: one backup in our naming`);
    }
  });

  test('Ansible: Nova refuses the change on host3: the rollout stops, hosts 1-3 are rolled back byte for byte and run again, 4-5 untouched', (t) => failureStopsAndRollsBack('ansible', t));

  test('OpenSSH executor: the same failure, the same stop and rollback', (t) => failureStopsAndRollsBack('ssh', t));
});
