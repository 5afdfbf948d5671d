// The inventory path's parsing on recorded libvirt outputs: `virsh capabilities` (a recorded host
// CPU inside a capabilities document) and `virsh domcapabilities` (libvirt 11.3's recording of an
// EPYC-Rome host, with blockers) become advisor hosts; ansible-inventory's JSON becomes hosts and groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCapabilities, parseDomCapabilities, type HostProfile } from '../../server/src/hosts/hostProfile';
import { hostFromProfile } from '../../server/src/advise/collect';
import { advise } from '../../server/src/advise/advisor';
import { loadCpuCatalog } from '../../server/src/knowledge/cpumap/load';
import { InventoryError, parseInventoryJson, selectHosts } from '../../server/src/inventory/ansibleInventory';
import { hostSetFiles } from './cpumap.support';
import type { AdviseHost } from '../../server/src/advise/types';

const catalog = loadCpuCatalog({ useHostMap: false, extraPaths: [] });

function profileOf(hostFile: string, domcapsFile?: string): HostProfile {
  const caps = parseCapabilities(`<capabilities><host><uuid>u</uuid>${readFileSync(hostSetFiles(hostFile)[0], 'utf8')}</host></capabilities>`);
  assert.ok(typeof caps !== 'string', String(caps));
  const p: HostProfile = { host: hostFile, gatheredAt: '', uri: 'qemu:///system', modes: {}, customModels: [], problems: [], ...caps };
  if (domcapsFile) {
    const d = parseDomCapabilities(readFileSync(hostSetFiles(domcapsFile)[0], 'utf8'));
    assert.ok(typeof d !== 'string', String(d));
    Object.assign(p, { customModels: d.customModels, hostModel: d.hostModel });
  }
  return p;
}

test('recorded capabilities + domcapabilities: libvirt\'s usable verdicts where it gave them, the map elsewhere', () => {
  const rome = hostFromProfile('rome', profileOf('hosts/EPYC-7502-32-Core.xml', 'domcaps/libvirt-11.3.0/qemu_10.0.0.x86_64.xml')) as AdviseHost;
  const naples = hostFromProfile('naples', profileOf('hosts/EPYC-7601-32-Core.xml')) as AdviseHost;
  assert.equal(rome.cpu.model, 'EPYC-Rome-v3');
  assert.equal(rome.cpu.arch, 'x86_64');
  assert.ok(rome.domcaps!.length > 100);
  const a = advise([rome, naples], catalog);
  const b = catalog.baseline([rome.cpu, naples.cpu]);
  assert.deepEqual(a.cpu_models, [b.model]);
  const [r, n] = a.hosts;
  assert.equal(r.models[b.model].from, 'domcapabilities');
  assert.equal(r.models[b.model].usable, true);
  assert.equal(n.models['EPYC-Rome'].from, 'cpu_map');
  assert.equal(n.models['EPYC-Rome'].usable, false);
  assert.ok(n.models['EPYC-Rome'].blockers.includes('clwb'), n.models['EPYC-Rome'].blockers.join());
  // Only one host has a host-model: no flag is taken from host-models (every host must offer it).
  assert.ok(a.cpu_model_extra_flags.every((f) => f === 'svm' || f === 'pcid' || f.startsWith('-')), a.cpu_model_extra_flags.join());
});

test('a profile without a host CPU model is a reason, not a host', () => {
  const p: HostProfile = { host: 'x', gatheredAt: '', uri: 'qemu:///system', modes: {}, customModels: [], numaNodes: [], problems: ['virsh -c qemu:///system capabilities: error: failed to connect to the hypervisor'] };
  assert.equal(hostFromProfile('x', p), 'virsh -c qemu:///system capabilities: error: failed to connect to the hypervisor');
  assert.equal(hostFromProfile('x', { ...p, problems: [] }), 'virsh capabilities shows no host CPU model');
});

// What ansible-inventory 2.14 printed for an INI with a child group (recorded on this machine).
const INVENTORY = JSON.stringify({
  _meta: { hostvars: { node1: { ansible_connection: 'local' }, node2: { ansible_host: '127.0.0.1', ansible_port: 2222, ansible_user: 'nova' }, lone: {} } },
  all: { children: ['ungrouped', 'gpu'] }, ungrouped: { hosts: ['lone'] }, compute: { hosts: ['node1', 'node2'] }, gpu: { children: ['compute'] },
});

test('ansible-inventory JSON: hosts with their connection vars; --limit by group (through children) or host', () => {
  const inv = parseInventoryJson(INVENTORY);
  assert.deepEqual(inv.hosts.get('node2'), { name: 'node2', address: '127.0.0.1', port: 2222, user: 'nova' });
  assert.deepEqual(selectHosts(inv, 'gpu').map((h) => h.name), ['node1', 'node2']);
  assert.deepEqual(selectHosts(inv, 'lone,node1').map((h) => h.name), ['lone', 'node1']);
  assert.equal(selectHosts(inv, undefined).length, 3);
  assert.throws(() => selectHosts(inv, 'comp*'), /only group and host names are supported here, not Ansible patterns/);
  assert.throws(() => selectHosts(inv, 'nosuch'), /'nosuch' is neither a group nor a host of the inventory \(groups: compute, gpu\)/);
  assert.throws(() => parseInventoryJson('not json'), InventoryError);
});
