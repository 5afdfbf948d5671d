// Baseline against libvirt's recorded `virsh -c test:///default cpu-baseline` results (128 sets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCpuCatalog } from '../../server/src/knowledge/cpumap/load';
import { readFileSync } from 'node:fs';
import { BaselineError } from '../../server/src/knowledge/cpumap/baseline';
import { parseHostCpus } from '../../server/src/knowledge/cpumap/hostCpuXml';
import { hostSetFiles, loadHosts, outcome, readTsv } from './cpumap.support';

const catalog = loadCpuCatalog({ useHostMap: false, extraPaths: [] });
const sets = readTsv('oracle-baseline.tsv');

function expected(r: Record<string, string>, prefix: string, vendor: string, fallback: string): string {
  const status = r[`${prefix}status`];
  return status === 'ok' ? `ok|${r[`${prefix}model`]}|${vendor}|${r[`${prefix}features`]}|${fallback}` : status;
}

function agreement(label: string, dir: 'hosts' | 'hosts-libvirt-9.0.0', want: (r: Record<string, string>) => string): void {
  const disagree: string[] = [];
  for (const r of sets) {
    const got = outcome(() => catalog.baseline(loadHosts(hostSetFiles(r.hosts, dir))));
    if (got !== want(r)) disagree.push(`${r.set_id}: got ${got.slice(0, 160)} want ${want(r).slice(0, 160)}`);
  }
  console.log(`# ${label}: ${sets.length - disagree.length}/${sets.length} agree`);
  assert.deepEqual(disagree, []);
}

test('recorded libvirt 12.8.0 oracle: model, vendor, expanded features, fallback, errors (128 sets)', () => {
  assert.equal(sets.length, 128);
  agreement('libvirt 12.8.0 on hosts/', 'hosts', (r) => expected(r, 'v12.8.0_', r['v12.8.0_vendor'], r['v12.8.0_fallback']));
});

test('recorded libvirt 12.8.0 oracle on the libvirt 9.0.0 host descriptions (forbid fallbacks, -mpx)', () => {
  const prefix = 'v12.8.0_on_hosts-libvirt-9.0.0_';
  // This column set records no vendor; the 9.0 host files carry the same vendors as the 12.8 ones.
  agreement('libvirt 12.8.0 on hosts-libvirt-9.0.0/', 'hosts-libvirt-9.0.0', (r) => expected(r, prefix, r['v12.8.0_vendor'], r[`${prefix}fallback`]));
});

test('plain cpu-baseline output: the features listed on top of the model (require and -disable)', () => {
  for (const r of sets.filter((s) => s['v12.8.0_status'] === 'ok')) {
    const b = catalog.baseline(loadHosts(hostSetFiles(r.hosts)));
    assert.equal(b.model, r['v12.8.0_nofeatures_model'], r.set_id);
    const listed = [...b.require, ...b.disable.map((d) => `-${d}`)].sort((a, c) => (a.replace(/^-/, '') < c.replace(/^-/, '') ? -1 : 1));
    assert.equal(listed.join(','), r['v12.8.0_nofeatures_extra'], r.set_id);
  }
});

test('surprises worth pinning: newer model with disabled features, vendor mismatch', () => {
  const cascadelake = catalog.baseline(loadHosts(hostSetFiles('hosts/Xeon-Platinum-8268.xml')));
  assert.equal(cascadelake.model, 'Cooperlake');
  assert.deepEqual(cascadelake.disable, ['avx512-bf16', 'pschange-mc-no', 'taa-no']);
  const i7 = catalog.baseline(loadHosts(hostSetFiles('hosts/Core-i7-4510U.xml')));
  assert.equal(i7.model, 'Haswell-noTSX');
  assert.deepEqual(i7.disable, ['x2apic']);
  assert.throws(() => catalog.baseline(loadHosts(hostSetFiles('hosts/Hygon-C86-7185-32-core.xml,hosts/EPYC-7502-32-Core.xml'))), /CPU vendors do not match/);
});

function error(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof BaselineError, String(e));
    return e.virshMessage;
  }
  return 'no error';
}

test("libvirt's error messages", () => {
  const intel = { arch: 'x86_64', model: 'Haswell', vendor: 'Intel', features: [] };
  assert.equal(error(() => catalog.baseline([intel, { ...intel, model: 'EPYC', vendor: 'AMD' }])), 'operation failed: CPU vendors do not match');
  assert.equal(error(() => catalog.baseline([intel, { ...intel, model: 'Haswell-v9' }])), 'internal error: Unknown CPU model Haswell-v9');
  assert.equal(error(() => catalog.baseline([{ ...intel, features: ['sse4-1'] }])), 'internal error: Unknown CPU feature sse4-1');
  assert.equal(error(() => catalog.baseline([{ ...intel, vendor: 'Cyrix' }])), 'operation failed: Unknown CPU vendor Cyrix');
  assert.equal(error(() => catalog.baseline([intel, { ...intel, model: 'EPYC' }])), 'operation failed: CPU vendor AMD of model EPYC differs from vendor Intel');
  assert.equal(error(() => catalog.baseline([{ ...intel, model: '' }])), 'XML error: Missing CPU model name');
  assert.equal(error(() => catalog.baseline([])), 'invalid argument: no host CPUs given');
  // A vendor-less first host: no vendor in the result. 486 has vme, the Haswell model does not (virsh: 486,-vme).
  const plain = catalog.baseline([{ model: '486', features: [] }, intel]);
  assert.equal(plain.vendor, undefined);
  assert.equal(plain.model, '486');
  assert.deepEqual(plain.disable, ['vme']);
  assert.equal(plain.fallback, 'allow');
  assert.equal(error(() => loadHosts(hostSetFiles('domcaps/libvirt-11.3.0/qemu_5.0.0.x86_64.xml'))), 'XML error: Missing CPU architecture');
  assert.match(error(() => loadHosts([])), /does not contain any <cpu> element/);
});

test('host CPUs are read from capabilities output too, ignoring NUMA <cpus>', () => {
  const host = readFileSync(hostSetFiles('hosts/Xeon-Gold-6148.xml')[0], 'utf8');
  const caps = `<?xml version="1.0"?><capabilities><host><uuid>x</uuid>${host}<topology><cells num='1'><cell id='0'><cpus num='1'><cpu id='0' socket_id='0' core_id='0' siblings='0'/></cpus></cell></cells></topology></host></capabilities>`;
  const hosts = parseHostCpus(caps);
  assert.equal(hosts.length, 1);
  assert.equal(hosts[0].model, 'Skylake-Server-v1');
  assert.equal(hosts[0].vendor, 'Intel');
  assert.equal(hosts[0].arch, 'x86_64');
  assert.equal(hosts[0].features.length, (host.match(/<feature /g) ?? []).length);
  assert.equal(error(() => parseHostCpus(`<cpu mode='custom'><arch>x86_64</arch><model>Haswell</model></cpu>`)), 'XML error: Attribute mode is only allowed for guest CPU');
  assert.match(error(() => parseHostCpus('<cpu><arch>x86_64</arch>')), /^XML error: /);
});

test('fallback is forbid when every host names the chosen model', () => {
  const host = { arch: 'x86_64', model: 'Haswell-noTSX', vendor: 'Intel', features: ['vmx'] };
  const b = catalog.baseline([host, host]);
  assert.equal(b.model, 'Haswell-noTSX');
  assert.equal(b.fallback, 'forbid');
  assert.deepEqual(b.require, ['vmx']);
  assert.equal(b.vendor, 'Intel');
  assert.ok(b.expanded.includes('vmx') && b.expanded.includes('avx2'));
  assert.equal(catalog.baseline([host, { ...host, model: 'Haswell-v2' }]).fallback, 'allow');
});
