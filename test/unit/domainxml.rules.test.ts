/**
 * Rules beyond the probes, table-driven: each row's message is what libvirt 9.0 printed for
 * that body (test driver or qemu session driver), checked by hand with virsh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineErrors, diagnose, domain } from './domainxml.helpers';

const ROWS: Array<[string, string, string | undefined]> = [
  ['cache monitor outside its group', "<cputune><cachetune vcpus='0-1'><cache id='0' level='3' type='both' size='768' unit='KiB'/><monitor level='3' vcpus='2'/></cachetune></cputune>", 'invalid argument: Monitor vcpus conflicts with allocation'],
  ['identical monitors', "<cputune><cachetune vcpus='0-1'><cache id='0' level='3' type='both' size='768' unit='KiB'/><monitor level='3' vcpus='0'/><monitor level='3' vcpus='0'/></cachetune></cputune>", 'invalid argument: Identical vcpus found in same type monitors'],
  ['overlapping monitors', "<cputune><cachetune vcpus='0-1'><monitor level='3' vcpus='0'/><monitor level='3' vcpus='0-1'/></cachetune></cputune>", 'invalid argument: vcpus overlaps in resctrl groups'],
  ['monitor of vCPUs that do not exist', "<cputune><cachetune vcpus='0-1'><monitor level='3' vcpus='8'/></cachetune></cputune>", 'invalid argument: vcpus is empty'],
  ['monitor list syntax', "<cputune><cachetune vcpus='0-1'><monitor level='3' vcpus='3-1'/></cachetune></cputune>", "XML error: Invalid monitor attribute 'vcpus' value '3-1'"],
  ['iothreadpin cpuset is read before the duplicate check', "<iothreads>2</iothreads><cputune><iothreadpin iothread='2' cpuset='0'/><iothreadpin iothread='2' cpuset='0,^0'/></cputune>", "unsupported configuration: Invalid value of 'cpuset': 0,^0"],
  ['vcpu 0 with NUMA cells', "<vcpu>0</vcpu><cpu><numa><cell id='0' cpus='0-1' memory='524288'/></numa></cpu>", 'internal error: Number of CPUs in <numa> exceeds the <vcpu> count'],
  ['an empty <vcpus> leaves current in charge', "<vcpu placement='static' current='4'>4</vcpu><vcpus></vcpus>", undefined],
  ['a repeated cell id over memory 0 replaces the cell', "<cpu><numa><cell id='0' cpus='0-3' memory='0'/><cell id='0' cpus='2-3' memory='0'/></numa></cpu>", undefined],
  ['PCI expander bus on a missing NUMA node', "<devices><controller type='pci' index='0' model='pci-root'/><controller type='pci' index='1' model='pci-expander-bus'><model name='pxb'/><target busNr='254'><node>1</node></target></controller></devices>", "XML error: pci-expander-bus with index 1 is configured for a NUMA node (1) not present in the domain's <cpu><numa> array (0)"],
  ['monitor without vcpus', "<cputune><cachetune vcpus='0-1'><monitor level='3'/></cachetune></cputune>", "XML error: Missing monitor attribute 'vcpus'"],
  ['monitor without level', "<cputune><cachetune vcpus='0-1'><monitor vcpus='0-1'/></cachetune></cputune>", "XML error: Missing required attribute 'level' in element 'monitor'"],
  ['memorytunes with the same vCPUs share nodes', "<cputune><memorytune vcpus='0-1'><node id='0' bandwidth='20'/></memorytune><memorytune vcpus='0-1'><node id='0' bandwidth='30'/></memorytune></cputune>", 'XML error: Memory Bandwidth already defined for node 0'],
  ['hugepages on a missing node', "<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='3'/></hugepages></memoryBacking>", 'hugepages: node 3 not found'],
  ['hugepages on node 0 without NUMA', "<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='0'/></hugepages></memoryBacking>", undefined],
  ['two default page sizes', "<memoryBacking><hugepages><page size='1048576' unit='KiB'/><page size='2048' unit='KiB'/></hugepages></memoryBacking>", 'two master hugepages detected: 2048 and 1048576'],
  ['node 0 of a NUMA-less guest is the default', "<memoryBacking><hugepages><page size='1048576' unit='KiB'/><page size='2048' unit='KiB' nodeset='0'/></hugepages></memoryBacking>", 'two master hugepages detected: 2048 and 1048576'],
  ['intersecting page nodesets', "<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='0'/><page size='1048576' unit='KiB' nodeset='0-1'/></hugepages></memoryBacking><cpu><numa><cell id='0' cpus='0-1' memory='524288'/><cell id='1' cpus='2-3' memory='524288'/></numa></cpu>", 'nodeset attribute of hugepages of sizes 1048576 and 2048 intersect'],
  ['default size plus all nodes', "<memoryBacking><hugepages><page size='1048576' unit='KiB'/><page size='2048' unit='KiB' nodeset='0-1'/></hugepages></memoryBacking><cpu><numa><cell id='0' cpus='0-1' memory='524288'/><cell id='1' cpus='2-3' memory='524288'/></numa></cpu>", undefined],
  ['current=0 (qemu)', "<vcpu current='0'>4</vcpu>", "unsupported configuration: vcpu 0 can't be offline"],
  ['bare numatune memory', '<numatune><memory/></numatune>', undefined],
  ['memnode under auto vCPU placement', "<vcpu placement='auto'>4</vcpu><numatune><memnode cellid='1' mode='strict' nodeset='0'/></numatune><cpu><numa><cell id='0' cpus='0-1' memory='524288'/><cell id='1' cpus='2-3' memory='524288'/></numa></cpu>", 'unsupported configuration: Per-node binding is not compatible with automatic NUMA placement.'],
  ['auto numatune still parses its nodeset', "<numatune><memory placement='auto' nodeset='3-1'/></numatune>", "invalid argument: Failed to parse bitmap '3-1'"],
  ['NUMA cells are read in order', "<cpu><numa><cell id='0' cpus='0-1' memory='524288'><distances/></cell><cell id='0' cpus='2-3' memory='524288'/></numa></cpu>", 'XML error: NUMA distances defined without siblings'],
  ['maxphysaddr bits is a signed int', "<cpu><maxphysaddr mode='emulate' bits='x'/></cpu>", "XML error: Invalid value for attribute 'bits' in element 'maxphysaddr': 'x'. Expected integer value"],
  ['a monitor of the whole group beside smaller ones', "<cputune><cachetune vcpus='0-1'><cache id='0' level='3' type='both' size='768' unit='KiB'/><monitor level='3' vcpus='0'/><monitor level='3' vcpus='0-1'/></cachetune></cputune>", 'unsupported configuration: cachetune is only supported for KVM domains'],
  ['the same without an allocation', "<cputune><cachetune vcpus='0-1'><monitor level='3' vcpus='0-1'/><monitor level='3' vcpus='0'/></cachetune></cputune>", 'invalid argument: vcpus overlaps in resctrl groups'],
  ['NUMA cells without memory and <memory> 0', "<cpu><numa><cell cpus='0-3' memory='0'/></numa></cpu>", undefined],
  // qemu's <vcpus> rules (qemu session driver, libvirt 9.0)
  ['vcpu0 hotpluggable', "<vcpu current='2'>4</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='yes'/></vcpus>", "unsupported configuration: vcpu0 can't be hotpluggable"],
  ['order on some vCPUs only', "<vcpu current='2'>4</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='no' order='1'/><vcpu id='1' enabled='yes' hotpluggable='no'/></vcpus>", 'unsupported configuration: all vcpus must have either set or unset order'],
  ['non-hotpluggable after hotpluggable (9.0 typo)', "<vcpu current='2'>4</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/><vcpu id='1' enabled='yes' hotpluggable='yes'/><vcpu id='2' enabled='yes' hotpluggable='no'/></vcpus>", 'unsupported configuration: online non-hotpluggable vcpus need to be ordered prior to hotplugable vcpus'],
  ['orders may skip numbers', "<vcpu current='2'>4</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='no' order='1'/><vcpu id='1' enabled='yes' hotpluggable='no' order='3'/></vcpus>", undefined],
  ['vcpu0 order must be 1', "<vcpu current='2'>4</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='no' order='2'/></vcpus>", 'unsupported configuration: vcpu0 must be enabled first'],
];

test('libvirt 9.0: some memory must be given', () => {
  const message = 'XML error: Memory size must be specified via <memory> or in the <numa> configuration';
  assert.ok(defineErrors(diagnose(domain('', { memory: '' }), '9.0')).some((e) => e.upstream === message));
  assert.ok(defineErrors(diagnose(domain('', { memory: '<memory>0</memory>' }), '9.0')).some((e) => e.upstream === message));
  assert.deepEqual(defineErrors(diagnose(domain("<cpu><numa><cell cpus='0-3' memory='1048576'/></numa></cpu>", { memory: '' }), '9.0')), []);
});

test('libvirt 9.0 (QEMU 7.2): machine type vCPU limits', () => {
  const iommu = "<features><ioapic driver='qemu'/></features><devices><iommu model='intel'><driver intremap='on' eim='on'/></iommu></devices>";
  const upstreams = (vcpu: string, machine: string) => defineErrors(diagnose(domain(iommu, { type: 'qemu', vcpu, machine }), '9.0')).map((e) => e.upstream);
  assert.deepEqual(upstreams('300', 'pc'), ['unsupported configuration: Maximum CPUs greater than specified machine type limit 255']);
  assert.deepEqual(upstreams('300', 'q35'), ['unsupported configuration: Maximum CPUs greater than specified machine type limit 288']);
  assert.deepEqual(upstreams('288', 'q35'), []);
});

for (const [name, body, message] of ROWS) {
  test(`libvirt 9.0: ${name}`, () => {
    const errs = defineErrors(diagnose(domain(body, { type: 'qemu' }), '9.0'));
    if (message === 'unsupported configuration: cachetune is only supported for KVM domains') assert.equal(errs.length, 1, 'only the KVM rule');
    if (message === undefined) assert.deepEqual(errs.map((e) => e.upstream), []);
    else assert.ok(errs.some((e) => e.upstream === message), `want "${message}", got ${JSON.stringify(errs.map((e) => e.upstream))}`);
  });
}

test('what libvirt writes itself is not flagged: current = enabled vCPUs, an empty host-model <model fallback=allow>', () => {
  const vcpus = (current: number) => domain(`  <vcpu current='${current}'>4</vcpu>
  <vcpus>
    <vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>
    <vcpu id='1' enabled='yes' hotpluggable='yes' order='2'/>
    <vcpu id='2' enabled='no' hotpluggable='yes'/>
    <vcpu id='3' enabled='no' hotpluggable='yes'/>
  </vcpus>`);
  const codes = (text: string) => diagnose(text).map((f) => f.code);
  // `virsh dumpxml` of this very domain (libvirt 9.0 test driver) keeps current='2'.
  assert.ok(!codes(vcpus(2)).includes('libvirt/vcpu-current-ignored'));
  const ignored = diagnose(vcpus(3)).find((f) => f.code === 'libvirt/vcpu-current-ignored')!;
  assert.match(ignored.explanation, /ignores current \(3\) and counts the vCPUs with enabled='yes' instead \(2\)/);
  assert.equal(ignored.fixes![0].edits[0].newText, '2');
  // Nova and vagrant-libvirt write this; libvirt drops it and fallback='allow' is the default anyway.
  assert.ok(!codes(domain("  <cpu mode='host-model' match='exact'><model fallback='allow'/></cpu>")).includes('libvirt/cpu-model-ignored'));
  assert.ok(codes(domain("  <cpu mode='host-model'><model fallback='forbid'/></cpu>")).includes('libvirt/cpu-model-ignored'));
});
