// Host-aware rules (nova/host-*, libvirt/host-*): the same documents with and without a host profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../server/src/analyze';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { findingMessage, type Finding } from '../../server/src/core/findings';
import { parseDomCapabilities, type HostProfile } from '../../server/src/hosts/hostProfile';
import { domain } from './domainxml.helpers';
import { join } from 'node:path';
import { SHARED_DATA } from '../support/ops';

const base = getKnowledge(normalizeSettings({ useHostCpuMap: false, novaRelease: 'zed' }));
const dc = parseDomCapabilities(readFileSync(join(SHARED_DATA, 'host-cpus/domcaps/libvirt-11.3.0/qemu_7.2.0.x86_64.xml'), 'utf8'));
if (typeof dc === 'string') throw new Error(dc);
/** A two-node, 8-CPU KVM host whose libvirt marks Broadwell unusable (recorded libvirt 11.3 domcaps). */
const HOST: HostProfile = {
  host: 'compute-1', gatheredAt: '2026-12-01T00:00:00Z', uri: 'qemu:///system', ...dc, arch: 'x86_64',
  onlineCpus: [0, 1, 2, 3, 4, 5, 6, 7], numaNodes: [{ id: 0, cpus: [0, 1, 2, 3] }, { id: 1, cpus: [4, 5, 6, 7] }], isolcpus: [4, 5, 6, 7], problems: [],
};
const run = (path: string, text: string, host?: HostProfile, lang = 'nova-conf'): Finding[] => analyze(path, text, { ...base, host }, lang)?.findings ?? [];
const codes = (fs: Finding[]) => fs.map((f) => f.code).filter((c) => c.includes('/host-'));

test('nova/host-model-unusable: a model domcapabilities marks usable=no, with its blockers and Nova\'s start-up message', () => {
  const conf = '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Westmere,Broadwell\n';
  assert.deepEqual(codes(run('/etc/nova/nova.conf', conf)), [], 'no profile, no host findings');
  const fs = run('/etc/nova/nova.conf', conf, HOST).filter((f) => f.code === 'nova/host-model-unusable');
  assert.equal(fs.length, 1);
  assert.equal(fs[0].severity, 'error');
  assert.deepEqual(fs[0].range, { start: { line: 3, character: 22 }, end: { line: 3, character: 31 } });
  // Our first line leads with the point (model, host, consequence); Nova's text follows verbatim.
  assert.match(findingMessage(fs[0]), /^compute-1 cannot run CPU model Broadwell, so nova-compute refuses to start .* It lacks: erms, hle, invpcid, pcid.*\nConfigured CPU model: Broadwell and CPU Flags \[\] ar not compatible with host CPU\. Please correct your config and try again\.$/);
  const unknown = run('/etc/nova/nova.conf', conf.replace('Westmere', 'GraniteRapids'), HOST).filter((f) => f.code === 'nova/host-model-unknown');
  assert.equal(unknown.length, 1, 'GraniteRapids is in our map but not in this host\'s domcapabilities');
  assert.match(unknown[0].explanation, /^compute-1's libvirt does not list CPU model GraniteRapids for kvm guests/);
  // The profile is for kvm guests: a qemu (TCG) node is not judged by it.
  assert.deepEqual(codes(run('/etc/nova/nova.conf', conf.replace('kvm', 'qemu'), HOST)), []);
  // Not custom: the models are not used (another rule reports them).
  assert.deepEqual(codes(run('/etc/nova/nova.conf', conf.replace('custom', 'host-model'), HOST)), []);
});

test('nova/host-cpuset-offline: CPUs the host does not have, in Nova\'s words', () => {
  const fs = run('/etc/nova/nova.conf', '[compute]\ncpu_dedicated_set = 4-9\ncpu_shared_set = 0-1\n', HOST);
  const off = fs.filter((f) => f.code === 'nova/host-cpuset-offline');
  assert.equal(off.length, 1);
  assert.equal(off[0].upstream, "Invalid '[compute] cpu_dedicated_set' config: one or more of the configured CPUs is not online. Online cpuset(s): [0, 1, 2, 3, 4, 5, 6, 7], configured cpuset(s): [4, 5, 6, 7, 8, 9]");
  assert.match(off[0].explanation, /names CPUs 8-9 that compute-1 does not have online/);
  // vcpu_pin_set hides cpu_shared_set from Nova's check (it is the one Nova reads for VCPU).
  const pin = run('/etc/nova/nova.conf', '[DEFAULT]\nvcpu_pin_set = 0-99999999\n[compute]\ncpu_shared_set = 0-20\n', HOST).filter((f) => f.code === 'nova/host-cpuset-offline');
  assert.equal(pin.length, 1);
  assert.equal(pin[0].upstream, undefined, 'a 100M-CPU list is not spelt out');
  assert.match(pin[0].explanation, /vcpu_pin_set names CPUs 8-99999999/);
});

test('nova/host-dedicated-not-isolated: dedicated CPUs outside isolcpus; none when isolcpus is absent', () => {
  const conf = '[compute]\ncpu_dedicated_set = 2-7\ncpu_shared_set = 0-1\n';
  const fs = run('/etc/nova/nova.conf', conf, HOST).filter((f) => f.code === 'nova/host-dedicated-not-isolated');
  assert.equal(fs.length, 1);
  assert.match(fs[0].explanation, /CPUs 2-3 outside the kernel's isolcpus \(4-7\)/);
  assert.deepEqual(codes(run('/etc/nova/nova.conf', conf, { ...HOST, isolcpus: undefined })), []);
});

test('libvirt/host-model-unusable, host-cpuset-offline and host-pin-spans-numa on a kvm domain', () => {
  const xml = domain(`  <cputune>
    <vcpupin vcpu='0' cpuset='0-1'/>
    <vcpupin vcpu='1' cpuset='3-4'/>
    <vcpupin vcpu='2' cpuset='12'/>
    <emulatorpin cpuset='5'/>
  </cputune>
  <numatune><memory mode='strict' nodeset='0'/></numatune>
  <cpu mode='custom' match='exact'><model fallback='forbid'>Broadwell</model></cpu>
`, { type: 'kvm' });
  assert.deepEqual(codes(analyze('d.xml', xml, base, 'xml')!.findings), []);
  const fs = run('d.xml', xml, HOST, 'xml');
  assert.deepEqual(codes(fs).sort(), ['libvirt/host-cpuset-offline', 'libvirt/host-model-unusable', 'libvirt/host-pin-spans-numa', 'libvirt/host-pin-spans-numa'].sort(), fs.map((f) => f.code + ': ' + f.explanation).join('\n'));
  const model = fs.find((f) => f.code === 'libvirt/host-model-unusable')!;
  assert.equal(model.severity, 'error', "fallback='forbid' cannot fall back");
  assert.match(model.explanation, /It lacks: erms, hle/);
  const spans = fs.filter((f) => f.code === 'libvirt/host-pin-spans-numa').map((f) => f.explanation);
  assert.ok(spans.some((e) => e.startsWith('vcpupin of vCPU 1 spans host NUMA nodes 0, 1')), spans.join('\n'));
  assert.ok(spans.some((e) => e.startsWith('emulatorpin runs on host NUMA node 1 of compute-1')));
  assert.match(fs.find((f) => f.code === 'libvirt/host-cpuset-offline')!.explanation, /^vcpupin of vCPU 2 names CPU 12 that compute-1 does not have online \(online: 0-7\)/);
  // A qemu (TCG) domain is not judged by kvm usability; placement='auto' has no static binding.
  const tcg = run('d.xml', xml.replace("type='kvm'", "type='qemu'").replace("mode='strict' nodeset='0'", "placement='auto'"), HOST, 'xml');
  assert.deepEqual(codes(tcg), ['libvirt/host-cpuset-offline']);
});
