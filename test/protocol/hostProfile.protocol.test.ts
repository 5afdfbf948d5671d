// The client sends the host profile (novaLibvirtCpu/hostProfile); the server re-checks open documents with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startClient } from '../support/lspClient';
import type { HostProfile } from '../../server/src/hosts/hostProfile';

const PROFILE: HostProfile = {
  host: 'localhost', gatheredAt: '2026-12-01T00:00:00Z', uri: 'qemu:///system', arch: 'x86_64', virtType: 'kvm', modes: { custom: true },
  customModels: [{ name: 'Westmere', usable: 'yes' }, { name: 'Broadwell', usable: 'no', blockers: ['hle', 'rtm'] }],
  onlineCpus: [0, 1, 2, 3], numaNodes: [{ id: 0, cpus: [0, 1, 2, 3] }], problems: [],
};
const URI = 'file:///etc/nova/nova.conf';
const TEXT = '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Broadwell\n[compute]\ncpu_dedicated_set = 2-5\ncpu_shared_set = 0-1\n';
const hostCodes = (ds: Array<{ code?: string | number }>) => ds.map((d) => String(d.code)).filter((c) => c.includes('/host-')).sort();

test('host profile over LSP: send it, get the host-aware diagnostics; clear it, they go', async () => {
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'zed' });
  try {
    assert.deepEqual(hostCodes(await c.openAndWait(URI, 'nova-conf', TEXT)), []);
    const withHost = c.diagnostics(URI);
    await c.connection.sendNotification('novaLibvirtCpu/hostProfile', PROFILE);
    const ds = await withHost;
    assert.deepEqual(hostCodes(ds), ['nova/host-cpuset-offline', 'nova/host-model-unusable']);
    const offline = ds.find((d) => d.code === 'nova/host-cpuset-offline')!;
    assert.match(String(offline.message), /^cpu_dedicated_set names CPUs .*nova-compute refuses to start.*\nInvalid '\[compute\] cpu_dedicated_set' config: one or more of the configured CPUs is not online\. Online cpuset\(s\): \[0, 1, 2, 3\], configured cpuset\(s\): \[2, 3, 4, 5\]$/);
    // Garbage is refused (host checks off), never a crash: the server still answers.
    const garbage = c.diagnostics(URI);
    await c.connection.sendNotification('novaLibvirtCpu/hostProfile', { customModels: 'x' });
    assert.deepEqual(hostCodes(await garbage), []);
    const again = c.diagnostics(URI);
    await c.connection.sendNotification('novaLibvirtCpu/hostProfile', PROFILE);
    assert.equal(hostCodes(await again).length, 2);
    const cleared = c.diagnostics(URI);
    await c.connection.sendNotification('novaLibvirtCpu/hostProfile', null);
    assert.deepEqual(hostCodes(await cleared), []);
  } finally { await c.close(); }
});
