import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  asHostProfile, gatherHostProfile, parseCapabilities, parseCpuList, parseDomCapabilities, parseIsolcpus, parseNodeCpulists, usableModels,
} from '../../server/src/hosts/hostProfile';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { SHARED_DATA } from '../support/ops';

const DOMCAPS = join(SHARED_DATA, 'host-cpus/domcaps');
const read = (p: string) => readFileSync(p, 'utf8');

test('hostProfile: libvirt 11.3 domcapabilities give usable models and their blockers', () => {
  const d = parseDomCapabilities(read(`${DOMCAPS}/libvirt-11.3.0/qemu_7.2.0.x86_64.xml`));
  assert.ok(typeof d !== 'string', String(d));
  const broadwell = d.customModels.find((m) => m.name === 'Broadwell');
  assert.equal(broadwell?.usable, 'no');
  assert.deepEqual(broadwell?.blockers?.slice(0, 4), ['erms', 'hle', 'invpcid', 'pcid']);
  assert.equal(d.modes.hostPassthrough, true);
  assert.equal(d.hostModel?.model, 'EPYC-Rome');
  assert.ok(d.hostModel!.require.includes('x2apic'));
  // Every usable model has no blockers list, every unusable one has one (libvirt 11 lists them all).
  for (const m of d.customModels) assert.equal(m.usable === 'no', m.blockers !== undefined, m.name);
});

test('hostProfile: libvirt 9.0 domcapabilities have no blockers: we say unknown, not "none"', () => {
  const d = parseDomCapabilities(read(`${DOMCAPS}/libvirt-9.0.0/qemu_7.2.0.x86_64.xml`));
  assert.ok(typeof d !== 'string');
  const ivy = d.customModels.find((m) => m.name === 'IvyBridge');
  assert.deepEqual(ivy, { name: 'IvyBridge', usable: 'no', vendor: 'Intel' });
  const p = { host: 'h', gatheredAt: '', uri: '', numaNodes: [], problems: [], ...d };
  assert.deepEqual(usableModels(p).slice(0, 3), ['qemu64', 'qemu32', 'pentium3']);
});

test('hostProfile: a TCG host reports host-passthrough unsupported', () => {
  const d = parseDomCapabilities(read(`${DOMCAPS}/libvirt-11.3.0/qemu_10.0.0-tcg.x86_64.xml`));
  assert.ok(typeof d !== 'string');
  assert.equal(d.modes.hostPassthrough, false);
  assert.equal(d.modes.maximum, true);
});

test('hostProfile: broken or foreign XML is a problem string, never a throw', () => {
  assert.match(String(parseDomCapabilities('<domainCapabilities><cpu>')), /^virsh domcapabilities: /);
  assert.equal(parseDomCapabilities('<capabilities/>'), 'virsh domcapabilities: no <domainCapabilities> element');
  assert.equal(parseCapabilities('<domainCapabilities/>'), 'virsh capabilities: no <host> element');
});

test('hostProfile: capabilities give arch, host CPU and NUMA cells', () => {
  const c = parseCapabilities(`<capabilities><host><cpu><arch>x86_64</arch><model>Skylake-Client-IBRS</model><vendor>Intel</vendor><feature name='vmx'/></cpu>
    <topology><cells num='2'><cell id='0'><cpus num='2'><cpu id='0'/><cpu id='2'/></cpus></cell><cell id='1'><cpus num='2'><cpu id='1'/><cpu id='3'/></cpus></cell></cells></topology></host></capabilities>`);
  assert.ok(typeof c !== 'string');
  assert.deepEqual(c, { arch: 'x86_64', hostCpu: { model: 'Skylake-Client-IBRS', vendor: 'Intel', features: ['vmx'] }, numaNodes: [{ id: 0, cpus: [0, 2] }, { id: 1, cpus: [1, 3] }] });
});

test('hostProfile: isolcpus with and without flags; the last one counts; strides are a problem', () => {
  assert.deepEqual(parseIsolcpus('BOOT_IMAGE=/vmlinuz root=/dev/sda1 isolcpus=2-5,8 quiet'), { cpus: [2, 3, 4, 5, 8] });
  assert.deepEqual(parseIsolcpus('isolcpus=domain,managed_irq,1-3'), { cpus: [1, 2, 3] });
  assert.deepEqual(parseIsolcpus('isolcpus=1 isolcpus=4-5'), { cpus: [4, 5] });
  assert.deepEqual(parseIsolcpus('quiet nohz_full=2-3'), {});
  assert.match(parseIsolcpus('isolcpus=0-15:2/4').problem ?? '', /not a CPU list we read/);
});

test('hostProfile: cpu lists and node cpulists as sysfs prints them', () => {
  assert.deepEqual(parseCpuList('0-3,8-9\n'), [0, 1, 2, 3, 8, 9]);
  assert.deepEqual(parseCpuList('\n'), []);
  assert.equal(parseCpuList('0-3 junk'), undefined);
  assert.deepEqual(parseNodeCpulists('/sys/devices/system/node/node0/cpulist:0-1\n/sys/devices/system/node/node1/cpulist:2-3\n'), [{ id: 0, cpus: [0, 1] }, { id: 1, cpus: [2, 3] }]);
});

test('hostProfile: gathered from a crafted sysfs/procfs tree; a missing virsh URI is a problem, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostprofile-'));
  try {
    const node = (n: number, list: string) => { mkdirSync(join(dir, 'sys/devices/system/node', `node${n}`), { recursive: true }); writeFileSync(join(dir, 'sys/devices/system/node', `node${n}`, 'cpulist'), list); };
    mkdirSync(join(dir, 'sys/devices/system/cpu'), { recursive: true });
    mkdirSync(join(dir, 'sys/devices/system/node'), { recursive: true });
    mkdirSync(join(dir, 'proc'));
    writeFileSync(join(dir, 'sys/devices/system/cpu/online'), '0-7\n');
    writeFileSync(join(dir, 'sys/devices/system/node/online'), '0-1\n');
    node(0, '0-3\n'); node(1, '4-7\n');
    writeFileSync(join(dir, 'proc/cmdline'), 'root=/dev/vda isolcpus=managed_irq,2-3,6-7\n');
    const p = await gatherHostProfile(new LocalRunner(), { uri: 'test:///no-such-driver-xyz', sysRoot: join(dir, 'sys'), procRoot: join(dir, 'proc') });
    assert.deepEqual(p.onlineCpus, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(p.numaNodes, [{ id: 0, cpus: [0, 1, 2, 3] }, { id: 1, cpus: [4, 5, 6, 7] }]);
    assert.deepEqual(p.isolcpus, [2, 3, 6, 7]);
    assert.equal(p.problems.filter((x) => x.startsWith('virsh -c test:///no-such-driver-xyz capabilities: ')).length, 1, p.problems.join('\n'));
    assert.ok(asHostProfile(JSON.parse(JSON.stringify(p))), 'the profile survives the JSON trip to the server');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('hostProfile: asHostProfile refuses shapes rules could crash on', () => {
  const ok = { host: 'h', gatheredAt: '', uri: '', modes: {}, customModels: [], numaNodes: [], problems: [] };
  assert.ok(asHostProfile(ok));
  assert.equal(asHostProfile({ ...ok, onlineCpus: ['0'] }), undefined);
  assert.equal(asHostProfile({ ...ok, numaNodes: [{ id: 0, cpus: 'x' }] }), undefined);
  assert.equal(asHostProfile({ ...ok, customModels: [{ name: 3 }] }), undefined);
  assert.equal(asHostProfile(null), undefined);
});
