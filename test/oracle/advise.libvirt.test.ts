/**
 * The advisor against the real tools on this machine: `ansible-inventory --list` for the inventory,
 * each host's own `virsh capabilities`/`domcapabilities` over the local runner and over OpenSSH to
 * the test sshd, and `virsh hypervisor-cpu-baseline` (the qemu driver, TCG here: no KVM) on the
 * recorded CPUs. No test host can report another CPU through a real virsh: the qemu driver reads
 * this machine's CPUID, and the test driver's capabilities have no host CPU model; so the
 * recorded CPUs go through the same parse path in test/unit/advise.collect.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCpuCatalog, hostMapPath } from '../../server/src/knowledge/cpumap/load';
import { advise } from '../../server/src/advise/advisor';
import { hostsFromText } from '../../server/src/advise/hostFiles';
import { crossCheck } from '../../server/src/advise/crossCheck';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { ensureLibvirtd, SYSTEM_URI } from '../support/libvirtd';
import { startSshd, sshdMissing, type TestSshd } from '../support/sshd';
import { requireOracle, skipUnless } from '../support/oracles';
import { hostSetFiles, readTsv } from '../unit/cpumap.support';

const libvirtd = ensureLibvirtd();
const ansible = spawnSync('ansible-inventory', ['--version'], { encoding: 'utf8' }).status === 0 ? undefined : 'ansible-inventory is not installed (apt install ansible-core)';
const missing = [libvirtd, ansible, ...sshdMissing()].filter(Boolean) as string[];
const skip = skipUnless(missing.length === 0, missing.join('; '));
const need = () => requireOracle(missing.length === 0, missing.join('; '));

let sshd: TestSshd | undefined;
before(async () => { if (!missing.length) sshd = await startSshd(['root']); });
after(async () => { await sshd?.stop(); });

test('advise --inventory: ansible-inventory picks the group, each host\'s virsh reports its CPU (local and over ssh)', { skip }, () => {
  need();
  const dir = mkdtempSync(join(tmpdir(), 'advise-inv-'));
  const inv = join(dir, 'hosts.ini');
  writeFileSync(inv, `[compute]\nnode-local ansible_connection=local\nnode-ssh ansible_host=127.0.0.1 ansible_user=root ansible_port=${sshd!.port}\n[other]\nnot-me ansible_host=192.0.2.1\n[cells:children]\ncompute\n`);
  const r = spawnSync(process.execPath, ['dist/cli.js', 'advise', '--inventory', inv, '--limit', 'cells', '--ssh-config', sshd!.clientConfig, '--uri', SYSTEM_URI, '--virt-type', 'qemu', '--format', 'json'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const a = JSON.parse(r.stdout);
  assert.deepEqual(a.hosts.map((h: { name: string }) => h.name), ['node-local', 'node-ssh']);
  // This machine's CPU, as virsh itself prints it.
  const caps = spawnSync('virsh', ['-c', SYSTEM_URI, 'capabilities'], { encoding: 'utf8' }).stdout;
  const model = /<host>[\s\S]*?<cpu>[\s\S]*?<model>([^<]+)<\/model>/.exec(caps)![1];
  for (const h of a.hosts) {
    assert.equal(h.model, model);
    assert.match(h.source, /^virsh -c qemu:\/\/\/system capabilities on /);
    // domcapabilities' own verdicts are used where it lists the model
    assert.ok(Object.values(h.models).some((u) => (u as { from: string }).from === 'domcapabilities'), JSON.stringify(h.models));
  }
  assert.equal(a.cpu_mode, 'custom');
  assert.equal(a.cpu_models.length, 1);
});

test('advise --inventory: a host that cannot be reached is named, the others are still advised (exit 4)', { skip }, () => {
  need();
  const dir = mkdtempSync(join(tmpdir(), 'advise-inv-'));
  const inv = join(dir, 'hosts.ini');
  // Port 1 on loopback: connection refused at once.
  writeFileSync(inv, `[compute]\nnode-local ansible_connection=local\nnode-down ansible_host=127.0.0.1 ansible_user=root ansible_port=1\n`);
  const r = spawnSync(process.execPath, ['dist/cli.js', 'advise', '--inventory', inv, '--ssh-config', sshd!.clientConfig, '--virt-type', 'qemu', '--format', 'json'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 4, r.stderr);
  const a = JSON.parse(r.stdout);
  assert.deepEqual(a.hosts.map((h: { name: string }) => h.name), ['node-local']);
  assert.equal(a.notCollected[0].name, 'node-down');
  assert.match(r.stderr, /node-down: not collected: .*(refused|Connection)/i);
});

test('hypervisor-cpu-baseline (qemu driver, TCG) on the recorded CPUs: always within the advisor\'s cpu-baseline', { skip }, async () => {
  need();
  const map = hostMapPath();
  assert.ok(map, 'libvirt 9.0 cpu_map');
  const catalog = loadCpuCatalog({ useHostMap: true, bundled: false, extraPaths: [] });
  const rows = readTsv('oracle-baseline.tsv').filter((r) => r.kind !== 'domcaps-hostmodel' && r['v9.0.0_status'] === 'ok');
  let same = 0;
  const outside: string[] = [];
  for (const r of rows) {
    const hosts = hostSetFiles(r.hosts, 'hosts-libvirt-9.0.0').flatMap((f) => hostsFromText(f, readFileSync(f, 'utf8')));
    const a = advise(hosts, catalog);
    const c = await crossCheck(new LocalRunner(), hosts.map((h) => h.cpu), a.fleet, { uri: SYSTEM_URI, virtType: 'qemu' });
    assert.ok(!('error' in c.result), `${r.set_id}: ${JSON.stringify(c.result)}`);
    if (c.sameAsBaseline) same++;
    // TCG runs less than the hosts: its answer may drop features, never add one the hosts do not share.
    const ours = new Set(catalog.baseline(hosts.map((h) => h.cpu)).expanded);
    const theirs = new Set([...(catalog.model(c.result.model)?.features ?? []), ...c.result.require]);
    for (const d of c.result.disable) theirs.delete(d);
    const extra = [...theirs].filter((f) => !ours.has(f));
    if (extra.length) outside.push(`${r.set_id}: ${c.result.model} adds ${extra.join(',')}`);
  }
  console.log(`# hypervisor-cpu-baseline (TCG) within cpu-baseline: ${rows.length - outside.length}/${rows.length}; identical: ${same}`);
  assert.deepEqual(outside, []);
  assert.ok(same > 0 && same < rows.length, 'some sets are identical, others cut by what TCG runs');
});

test('advise --libvirt-version 9.0 uses this machine\'s libvirt 9.0 map: the recorded 9.0.0 baselines', { skip: skipUnless(spawnSync('virsh', ['--version'], { encoding: 'utf8' }).stdout?.startsWith('9.0'), 'this machine\'s libvirt is not 9.0') }, () => {
  for (const r of readTsv('oracle-baseline.tsv').filter((x) => ['S005', 'S054', 'S061'].includes(x.set_id))) {
    const args = hostSetFiles(r.hosts, 'hosts-libvirt-9.0.0').flatMap((f) => ['--host-cpu', f]);
    const out = spawnSync(process.execPath, ['dist/cli.js', 'advise', '--libvirt-version', '9.0', '--format', 'json', ...args], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const a = JSON.parse(out.stdout);
    assert.match(a.cpu_map, /\/usr\/share\/libvirt\/cpu_map \(libvirt 9\.0/);
    assert.deepEqual(a.cpu_models, [r['v9.0.0_nofeatures_model']], r.set_id);
  }
});
