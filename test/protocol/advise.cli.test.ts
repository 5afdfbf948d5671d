/** `nova-libvirt-cpu advise` on recorded host CPUs: text and JSON, the split, libvirt's refusals, usage errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostSetFiles } from '../unit/cpumap.support';

function advise(...args: string[]) {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'advise', '--no-host-cpu-map', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const hostArgs = (hosts: string) => hostSetFiles(hosts).flatMap((f) => ['--host-cpu', f]);

test('advise: one generation mix gives custom + the baseline model + vmx, and a JSON row per host with its change', () => {
  // S060: five Haswell/Broadwell Xeons; libvirt 12.8.0 says Haswell-noTSX.
  const hosts = 'hosts/Xeon-E5-2609-v3.xml,hosts/Xeon-E5-2630-v3.xml,hosts/Xeon-E7-8890-v3.xml,hosts/Xeon-E5-2623-v4.xml,hosts/Xeon-E5-2630-v4.xml';
  const r = advise('--format', 'json', ...hostArgs(hosts));
  assert.equal(r.status, 0, r.stderr);
  const a = JSON.parse(r.stdout);
  assert.equal(a.cpu_mode, 'custom');
  assert.deepEqual(a.cpu_models, ['Haswell-noTSX']);
  assert.ok(a.cpu_model_extra_flags.includes('vmx'));
  assert.equal(a.hosts.length, 5);
  assert.equal(a.split, undefined, 'Haswell and Broadwell are one generation apart: no split');
  for (const h of a.hosts) {
    assert.deepEqual(h.change, { mode: 'custom', models: ['Haswell-noTSX'], extraFlags: a.cpu_model_extra_flags });
    assert.equal(h.models['Haswell-noTSX'].usable, true);
  }
  const text = advise(...hostArgs(hosts));
  assert.match(text.stdout, /cpu_models = Haswell-noTSX\n/);
  assert.match(text.stdout, /^Xeon-E5-2630-v4 +Intel +Broadwell/m);
});

test('advise: AVX-512 lost -> split into aggregates with the openstack commands', () => {
  const r = advise('--format', 'json', ...hostArgs('hosts/Xeon-E5-2650-v3.xml,hosts/Xeon-Gold-6148.xml'));
  assert.equal(r.status, 0, r.stderr);
  const a = JSON.parse(r.stdout);
  assert.ok(a.fleet.poor.some((p: string) => /AVX-512/.test(p)));
  assert.deepEqual(a.split.aggregates.map((g: { name: string; cpu_models: string[] }) => [g.name, g.cpu_models]), [['cpu-haswell', ['Haswell-noTSX']], ['cpu-skylake-server', ['Skylake-Server']]]);
  assert.ok(a.split.commands.includes('openstack aggregate create --property cpu_generation=skylake-server cpu-skylake-server'));
  assert.ok(a.split.commands.includes('openstack aggregate add host cpu-skylake-server Xeon-Gold-6148'));
  assert.ok(a.split.commands.some((c: string) => c.startsWith('openstack flavor set --property aggregate_instance_extra_specs:cpu_generation=haswell ')));
  const gold = a.hosts.find((h: { name: string }) => h.name === 'Xeon-Gold-6148');
  assert.equal(gold.aggregate, 'cpu-skylake-server');
  assert.deepEqual(gold.change.models, ['Skylake-Server']);
  assert.ok(!gold.losesNotable.includes('avx512f'), 'inside its aggregate it keeps AVX-512');
});

test('advise: Intel + AMD has no common model (libvirt\'s words), exit 1, one aggregate per vendor', () => {
  const r = advise('--format', 'json', ...hostArgs('hosts/Xeon-Gold-6148.xml,hosts/EPYC-7502-32-Core.xml'));
  assert.equal(r.status, 1);
  const a = JSON.parse(r.stdout);
  assert.deepEqual(a.cpu_models, []);
  assert.equal(a.fleet.baseline.error, 'operation failed: CPU vendors do not match');
  assert.deepEqual(a.split.aggregates.map((g: { cpu_models: string[] }) => g.cpu_models), [['Skylake-Server'], ['EPYC-Rome']]);
});

test('advise: bad input is named, never a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'advise-cli-'));
  const guest = join(dir, 'guest.xml');
  writeFileSync(guest, "<cpu mode='custom'><arch>x86_64</arch><model>Haswell</model></cpu>");
  let r = advise('--host-cpu', guest);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /guest\.xml: XML error: Attribute mode is only allowed for guest CPU/);
  r = advise('--host-cpu', join(dir, 'missing.xml'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read .*missing\.xml: no such file or directory/);
  r = advise('--host-cpu', hostSetFiles('domcaps/libvirt-11.3.0/qemu_5.0.0.x86_64.xml')[0]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /XML error: Missing CPU architecture/);
  const unknown = join(dir, 'unknown.xml');
  writeFileSync(unknown, '<cpu><arch>x86_64</arch><model>Haswell-v99</model><vendor>Intel</vendor></cpu>');
  r = advise('--host-cpu', unknown, ...hostArgs('hosts/Xeon-Gold-6148.xml'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^nova-libvirt-cpu: internal error: Unknown CPU model Haswell-v99 /m);
  assert.equal(r.stdout, '');
  r = advise();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /give --host-cpu FILE\.\.\. or --inventory INV/);
  r = advise('--format', 'yaml', ...hostArgs('hosts/Xeon-Gold-6148.xml'));
  assert.match(r.stderr, /--format must be text or json, not 'yaml'/);
  r = advise('--libvirt-version', '7.0', ...hostArgs('hosts/Xeon-Gold-6148.xml'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no cpu_map of libvirt 7\.0 here .*--cpu-map PATH/);
  r = advise('--inventory', join(dir, 'none.ini'), '--limit', 'compute*');
  assert.equal(r.status, 2);
});
