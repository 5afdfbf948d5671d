/**
 * Host-aware codes: reported only when the editor has a profile of the compute node (the host's
 * `virsh domcapabilities`, online CPUs, isolcpus, NUMA nodes). They say what would fail on that
 * host, which the file alone cannot. Their inputs are host profiles, so their tests are named.
 */
import type { CodeKind } from './types';

const HOST_TESTS = 'test/unit/hostProfile.rules.test.ts';

export const hostCodes = {
  'libvirt/host-cpuset-offline': {
    stage: 'vm start', severity: 'warning',
    summary: 'A cpuset names CPUs the host does not have online: the guest never runs there, or fails to start.',
    explanation: 'libvirt accepts the XML; at start, the cgroup refuses a set with offline CPUs (or the threads never run on them). Use CPUs from the host\'s online list.',
    testedIn: HOST_TESTS,
  },
  'libvirt/host-model-unusable': {
    stage: 'vm start', severity: 'error',
    summary: 'The host cannot run this CPU model (domcapabilities says usable=\'no\'): the guest fails to start here.',
    explanation: 'libvirt lists, per model, whether this host\'s CPU and QEMU can provide it, and which features are missing. Unless the domain allows a fallback (fallback=\'allow\' with check other than \'full\'), the guest does not start. Pick a usable model, or mode=\'host-model\'.',
    severityNote: 'A warning when the domain lets libvirt fall back to another model.',
    testedIn: HOST_TESTS,
  },
  'libvirt/host-pin-spans-numa': {
    stage: 'advice', severity: 'information',
    summary: 'The vCPUs are pinned to host NUMA nodes other than the ones the guest\'s memory is bound to.',
    explanation: 'Every memory access then crosses the interconnect. Pin the vCPUs to the CPUs of the node(s) in <numatune>, or bind the memory where the vCPUs run.',
    testedIn: HOST_TESTS,
  },
  'nova/host-cpuset-offline': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'cpu_dedicated_set / cpu_shared_set names CPUs the host does not have online: nova-compute refuses to start.',
    explanation: 'nova-compute compares the configured sets with the host\'s online CPUs when it starts. Use CPUs from the online list.',
    upstream: "Invalid '…' config: one or more of the configured CPUs is not online. Online cpuset(s): …, configured cpuset(s): …",
    testedIn: HOST_TESTS,
  },
  'nova/host-dedicated-not-isolated': {
    stage: 'advice', severity: 'information',
    summary: 'cpu_dedicated_set has CPUs outside the kernel\'s isolcpus: host tasks still run on them.',
    explanation: 'Pinned guests then share their CPUs with host processes (noisy neighbours). Add those CPUs to isolcpus= on the kernel command line, or keep cpu_dedicated_set within it.',
    testedIn: HOST_TESTS,
  },
  'nova/host-model-unknown': {
    stage: 'nova runtime', severity: 'warning',
    summary: 'The host\'s libvirt does not list this cpu_models entry: nova-compute refuses to start, or guests with it fail.',
    explanation: 'If libvirt\'s cpu_map lacks the model, nova-compute refuses to start; if only QEMU lacks it, guests with it fail to start. Pick a model `virsh domcapabilities` lists on the host.',
    testedIn: HOST_TESTS,
  },
  'nova/host-model-unusable': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'The host cannot run this cpu_models entry (usable=\'no\'): nova-compute refuses to start.',
    explanation: 'With virt_type = kvm, nova-compute compares every configured model (with the extra flags) with the host CPU at start-up and stops if one does not fit. With [workarounds] skip_cpu_compare_at_startup or virt_type = qemu, it starts, and the guests fail instead.',
    upstream: 'Configured CPU model: … and CPU Flags … are not compatible with host CPU. Please correct your config and try again. …',
    severityNote: 'A warning when nova-compute does not compare models at start-up (skip_cpu_compare_at_startup, or virt_type other than kvm).',
    testedIn: HOST_TESTS,
  },
} as const;

export const hostKind: CodeKind<keyof typeof hostCodes> = {
  page: 'host',
  title: 'Host-aware codes',
  intro: 'Reported only when the editor has a profile of the compute node (its `virsh domcapabilities`, online CPUs, isolcpus and NUMA nodes): what would fail on that host, which the file alone cannot tell.',
  language: 'ini',
  codes: hostCodes,
};
