/** Generated domain XMLs shared by the benchmark and the bad-input tests. */

/** A realistic ~200-line Nova-style domain (8 vCPUs, 2 NUMA cells, pinning, devices). */
export function typicalDomain(): string {
  const disks = Array.from({ length: 6 }, (_, i) => `    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='/var/lib/nova/instances/uuid/disk${i}'/>
      <target dev='vd${String.fromCharCode(97 + i)}' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x0${i + 4}' function='0x0'/>
    </disk>`).join('\n');
  const nics = Array.from({ length: 4 }, (_, i) => `    <interface type='bridge'>
      <mac address='fa:16:3e:00:00:0${i}'/>
      <source bridge='br-int'/>
      <virtualport type='openvswitch'/>
      <model type='virtio'/>
      <mtu size='1450'/>
    </interface>`).join('\n');
  const serials = Array.from({ length: 4 }, (_, i) => `    <serial type='pty'>
      <target port='${i}'/>
    </serial>`).join('\n');
  const controllers = Array.from({ length: 8 }, (_, i) => `    <controller type='pci' index='${i + 1}' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='${i + 1}' port='0x${(16 + i).toString(16)}'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x${i}'/>
    </controller>`).join('\n');
  return `<domain type='kvm'>
  <name>instance-0000002a</name>
  <uuid>4b2a6b1e-2b8d-4c0c-9d5b-2a5f2f5e7c11</uuid>
  <metadata>
    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
      <nova:package version="26.2.1"/>
      <nova:name>db-1</nova:name>
      <nova:flavor name="m1.numa">
        <nova:memory>8192</nova:memory>
        <nova:vcpus>8</nova:vcpus>
      </nova:flavor>
    </nova:instance>
  </metadata>
  <memory unit='KiB'>8388608</memory>
  <currentMemory unit='KiB'>8388608</currentMemory>
  <vcpu placement='static' cpuset='2-17'>8</vcpu>
  <cputune>
    <shares>8192</shares>
${Array.from({ length: 8 }, (_, i) => `    <vcpupin vcpu='${i}' cpuset='${i + 2}'/>`).join('\n')}
    <emulatorpin cpuset='0-1'/>
    <vcpusched vcpus='0-1' scheduler='fifo' priority='1'/>
  </cputune>
  <numatune>
    <memory mode='strict' nodeset='0-1'/>
    <memnode cellid='0' mode='strict' nodeset='0'/>
    <memnode cellid='1' mode='strict' nodeset='1'/>
  </numatune>
  <sysinfo type='smbios'>
    <system>
      <entry name='manufacturer'>OpenStack Foundation</entry>
      <entry name='product'>OpenStack Nova</entry>
    </system>
  </sysinfo>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <boot dev='hd'/>
    <smbios mode='sysinfo'/>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <cpu mode='custom' match='exact' check='partial'>
    <model fallback='forbid'>Skylake-Server-IBRS</model>
    <vendor>Intel</vendor>
    <topology sockets='2' dies='1' cores='2' threads='2'/>
    <feature policy='require' name='vmx'/>
    <feature policy='require' name='pcid'/>
    <feature policy='disable' name='hle'/>
    <feature policy='disable' name='rtm'/>
    <numa>
      <cell id='0' cpus='0-3' memory='4194304' unit='KiB'/>
      <cell id='1' cpus='4-7' memory='4194304' unit='KiB'/>
    </numa>
  </cpu>
  <clock offset='utc'>
    <timer name='pit' tickpolicy='delay'/>
    <timer name='rtc' tickpolicy='catchup'/>
    <timer name='hpet' present='no'/>
  </clock>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' index='0' model='pcie-root'/>
${controllers}
${disks}
${nics}
${serials}
    <input type='tablet' bus='usb'/>
    <graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0'/>
    <video>
      <model type='virtio' heads='1' primary='yes'/>
    </video>
    <memballoon model='virtio'>
      <stats period='10'/>
    </memballoon>
    <rng model='virtio'>
      <backend model='random'>/dev/urandom</backend>
    </rng>
  </devices>
</domain>
`;
}

/** N vCPUs (q35 + IOMMU with EIM), N vcpupins, 4 NUMA cells: the large-guest case. */
export function bigDomain(n: number): string {
  const cell = n / 4;
  const cells = Array.from({ length: 4 }, (_, i) => `      <cell id='${i}' cpus='${i * cell}-${(i + 1) * cell - 1}' memory='1048576' unit='KiB'/>`).join('\n');
  const pins = Array.from({ length: n }, (_, i) => `    <vcpupin vcpu='${i}' cpuset='${i % 64}'/>`).join('\n');
  return `<domain type='kvm'>
  <name>big</name>
  <memory unit='KiB'>4194304</memory>
  <vcpu placement='static'>${n}</vcpu>
  <cputune>
${pins}
    <emulatorpin cpuset='64-65'/>
  </cputune>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <features>
    <acpi/>
    <apic/>
    <ioapic driver='qemu'/>
  </features>
  <cpu mode='host-model'>
    <topology sockets='4' dies='1' cores='${n / 8}' threads='2'/>
    <numa>
${cells}
    </numa>
  </cpu>
  <devices>
    <iommu model='intel'>
      <driver intremap='on' eim='on'/>
    </iommu>
  </devices>
</domain>
`;
}

/** A domain around `body` (cpu, cputune... blocks) with `vcpus` vCPUs, for the hostile inputs. */
function shell(body: string, vcpus: number | string = 4): string {
  return `<domain type='kvm'>\n  <name>h</name>\n  <memory unit='KiB'>1048576</memory>\n  <vcpu>${vcpus}</vcpu>\n  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n${body}\n</domain>\n`;
}

const cells = (n: number, cpus: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `<cell id='${i}' cpus='${cpus(i)}' memory='1024'/>`).join('\n');

/**
 * Inputs that once crashed, stalled or bloated the analysis (issue 7), by name. Each is small to
 * describe and cheap to generate; the bench times them and the hostile tests assert on them.
 */
export const HOSTILE: Record<string, () => string> = {
  /** 304 bytes: the NUMA coverage rule once looped to the vCPU count ("invalid size error"). */
  'vcpu-2147483648': () => shell("  <cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>", 2147483648),
  'vcpu-1e8': () => shell("  <cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>", 100000000),
  /** 242 bytes: the root-detection regex backtracked exponentially on top-level comments. */
  'comments-30': () => `${'<!--a-->'.repeat(30)}<1`,
  /** A cpuset attribute past the schema regex's stack (~1.6M characters). */
  'cpuset-2M': () => shell(`  <cputune><emulatorpin cpuset='${'1,'.repeat(1_000_000)}1'/></cputune>`),
  'numa-cells-10k': () => shell(`  <cpu><numa>\n${cells(10_000, (i) => String(i))}\n</numa></cpu>`, 10_000),
  'numa-cells-100k': () => shell(`  <cpu><numa>\n${cells(100_000, (i) => String(i))}\n</numa></cpu>`, 100_000),
  /** 4,096 cells that all list every id: overlap, sums and coverage on the biggest sets. */
  'numa-cells-4096-full': () => shell(`  <cpu><numa>\n${cells(4096, () => '0-16383')}\n</numa></cpu>`, 16384),
  'entities-in-comment-200k': () => shell(`  <!-- ${'&x;'.repeat(200_000)} -->`),
  /** 10 MB of references to decode: a replace() with a callback once took 3 s and 350 MB. */
  'entities-in-text-2M': () => shell(`  <cpu><model>${'&amp;'.repeat(2_000_000)}</model></cpu>`),
  /** The same near the size limit (15 MB of 16 MiB): scanning and well-formedness alone once took 2-3 s (30 MB), past the server's budget. */
  'entities-in-text-15MB': () => shell(`  <cpu><model>${'&amp;'.repeat(3_000_000)}</model></cpu>`),
  /** A cpuset near the size limit (15 MB), read by the model's and the rules' cpuset parsers. */
  'cpuset-15MB': () => shell(`  <vcpu cpuset='${'1,'.repeat(7_500_000)}1'>2</vcpu>\n  <cputune><emulatorpin cpuset='0'/></cputune>`),
  /** 60k unknown features: a did-you-mean each (once 100k took 18 s), although 200 are kept. */
  'features-60k': () => shell(`  <cpu mode='custom'><model>Haswell</model>\n${Array.from({ length: 60_000 }, (_, i) => `<feature policy='require' name='fake${i}'/>`).join('\n')}\n</cpu>`),
  'nested-1M': () => shell(`  <metadata>${'<a>'.repeat(1_000_000)}${'</a>'.repeat(1_000_000)}</metadata>`),
  'attribute-10MB': () => shell(`  <cpu><model vendor_id='${'x'.repeat(10_000_000)}'>Haswell</model></cpu>`),
  /** Pairwise checks among many elements of one kind (all kept by libvirt, so all checked). */
  'vcpupins-60k': () => shell(`  <cputune>\n${Array.from({ length: 60_000 }, (_, i) => `<vcpupin vcpu='${i}' cpuset='${i % 64}'/>`).join('\n')}\n</cputune>`, 60_000),
  'vcpusched-10k': () => shell(`  <cputune>\n${Array.from({ length: 10_000 }, (_, i) => `<vcpusched vcpus='${i}' scheduler='batch'/>`).join('\n')}\n</cputune>`, 10_000),
  'interconnects-20k': () => shell(`  <cpu><numa>\n<cell id='0' cpus='0-1' memory='1024'/><cell id='1' cpus='2-3' memory='1024'/>\n<interconnects>\n${Array.from({ length: 20_000 }, (_, i) => `<latency initiator='0' target='1' cache='0' type='access' value='${i}'/>`).join('\n')}\n</interconnects></numa></cpu>`),
  'hugepages-10k': () => shell(`  <memoryBacking><hugepages>\n${Array.from({ length: 10_000 }, (_, i) => `<page size='2048' unit='KiB' nodeset='${i}'/>`).join('\n')}\n</hugepages></memoryBacking>\n  <cpu><numa>\n${cells(10_000, (i) => String(i))}\n</numa></cpu>`, 10_000),
  'memorytune-10k': () => shell(`  <cputune>\n${Array.from({ length: 10_000 }, (_, i) => `<memorytune vcpus='${i}'><node id='0' bandwidth='10'/></memorytune>`).join('\n')}\n</cputune>`, 10_000),
  'vcpus-hotplug-30k': () => shell(`  <vcpus>\n${Array.from({ length: 30_000 }, (_, i) => `<vcpu id='${i}' enabled='yes' hotpluggable='${i ? 'yes' : 'no'}' order='${i + 1}'/>`).join('\n')}\n</vcpus>`, 30_000),
  /** Past MAX_ITEMS elements the analysis is cut short with one input/ finding. */
  'pins-300k-10MB': () => shell(`  <cputune>\n${"    <vcpupin vcpu='1' cpuset='0-3'/>\n".repeat(300_000)}  </cputune>`),
  'unknown-attrs-100k': () => shell(`  <cpu mode='host-model'><topology sockets='1' cores='4' threads='1' ${Array.from({ length: 100_000 }, (_, i) => `x${i}='1'`).join(' ')}/></cpu>`),
};
