/**
 * The vocabulary of the blocks we check: which children and attributes each element takes,
 * their values and one line of documentation. One table feeds the unknown-name warnings,
 * completion and hover, so they cannot disagree. Keys are `parent/element` because names
 * repeat with different meanings (`cpu/cache` vs `cell/cache` vs `cachetune/cache`).
 * `since` is the libvirt release that introduced an item (absent: older than 9.0).
 */
import type { XmlElement } from './scan';

export type ValueKind = 'uint' | 'int' | 'hostCpuset' | 'vcpuSet' | 'hostNodeset' | 'iothreadSet' | 'size' | 'unit' | 'model' | 'feature' | 'vendor' | 'text';

export interface AttrSpec {
  doc: string;
  values?: string[];
  kind?: ValueKind;
  required?: boolean;
  since?: [number, number];
}

export interface ElemSpec {
  doc: string;
  attrs: Record<string, AttrSpec>;
  children: string[];
  text?: ValueKind;
  since?: [number, number];
  /** Allowed only once (the schema rejects a second one; the parser reads the first). */
  once?: boolean;
}

const UNITS = ['b', 'bytes', 'KiB', 'KB', 'k', 'MiB', 'MB', 'M', 'GiB', 'GB', 'G', 'TiB', 'TB'];
const MEM_MODES = ['strict', 'preferred', 'interleave', 'restrictive'];
const SCHEDULERS = ['batch', 'idle', 'fifo', 'rr'];
const yesNo = ['yes', 'no'];
const onOff = ['on', 'off'];
const u = (doc: string, extra: Partial<AttrSpec> = {}): AttrSpec => ({ doc, kind: 'uint', ...extra });
const e = (doc: string, values: string[], extra: Partial<AttrSpec> = {}): AttrSpec => ({ doc, values, ...extra });

const sched = (setAttr: 'vcpus' | 'iothreads'): ElemSpec => ({
  doc: `Real-time or batch scheduling for the listed ${setAttr === 'vcpus' ? 'vCPUs' : 'iothreads'}. fifo/rr need a priority (1-99 on Linux).`,
  attrs: {
    [setAttr]: { doc: `${setAttr === 'vcpus' ? 'Guest vCPU ids' : 'Iothread ids'} (libvirt list syntax). Required by the parser although the schema marks it optional. Lists must not overlap.`, kind: setAttr === 'vcpus' ? 'vcpuSet' : 'iothreadSet' },
    scheduler: e('batch, idle (no priority) or the real-time fifo, rr (need priority).', SCHEDULERS, { required: true }),
    priority: u('Real-time priority for fifo/rr; the kernel allows 1-99.'),
  },
  children: [],
});

export const SCHEMA: Record<string, ElemSpec> = {
  'domain/vcpu': {
    doc: 'Maximum number of vCPUs (1-65535 per the schema). `current` starts fewer online; `placement` and `cpuset` say where they may run on the host.',
    text: 'uint', once: true,
    attrs: {
      placement: e('static (default: use cpuset) or auto (ask numad for a placement; cpuset is then ignored).', ['static', 'auto']),
      cpuset: { doc: 'Host CPUs all vCPUs may run on by default, e.g. `1-4,^3,6`. Ignored with placement=auto.', kind: 'hostCpuset' },
      current: u('vCPUs online at boot (<= the maximum). Ignored when <vcpus> lists each vCPU.'),
    },
    children: [],
  },
  'domain/vcpus': { doc: 'Per-vCPU state for hotplug: which vCPUs are online, hotpluggable, and in which order QEMU brings them up.', attrs: {}, children: ['vcpu'], once: true },
  'vcpus/vcpu': {
    doc: 'One vCPU\'s hotplug state.',
    attrs: {
      id: u('vCPU id, below the <vcpu> count.', { required: true }),
      enabled: e('Online at boot.', yesNo, { required: true }),
      hotpluggable: e('Can be unplugged/plugged at runtime. Default: no for online, yes for offline vCPUs.', yesNo),
      order: u('Order in which QEMU adds the vCPU (qemu: vCPU 0 is 1; all or none online vCPUs have one).'),
    },
    children: [],
  },
  'domain/cpu': {
    doc: 'The guest CPU: model and features (or the host\'s), topology, caches and guest NUMA cells.',
    once: true,
    attrs: {
      mode: e('custom (default: a named cpu_map model), host-model (closest model to the host, migratable), host-passthrough (the host CPU as is; migration only between identical hosts), maximum (everything the hypervisor can do).', ['custom', 'host-model', 'host-passthrough', 'maximum']),
      match: e('custom mode only: exact (default), minimum (this model or better), strict (the host must match exactly).', ['exact', 'minimum', 'strict']),
      check: e('How strictly the started guest CPU is compared with the request: none, partial (qemu default for host-model and custom on kvm), full.', ['none', 'partial', 'full']),
      migratable: e('host-passthrough/maximum only: off exposes host features that block migration (invtsc...).', onOff),
      deprecated_features: e('s390 only: turn off features the CPU model marks deprecated.', onOff, { since: [11, 0] }),
    },
    children: ['model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa'],
  },
  'cpu/model': {
    doc: 'A CPU model from libvirt\'s cpu_map (checked only when the guest starts).',
    text: 'model', once: true,
    attrs: {
      fallback: e('allow (default): use a close model if the hypervisor lacks this one; forbid: fail instead.', ['allow', 'forbid']),
      vendor_id: { doc: 'CPUID vendor string shown to the guest: exactly 12 characters, no comma.', kind: 'text' },
    },
    children: [],
  },
  'cpu/vendor': { doc: 'Required CPU vendor (needs a model): Intel, AMD, Hygon...', text: 'vendor', once: true, attrs: {}, children: [] },
  'cpu/topology': {
    doc: 'How vCPUs are presented: sockets x dies x clusters x cores x threads must equal the <vcpu> count (qemu checks it at define).',
    once: true,
    attrs: {
      sockets: u('Sockets (non-zero).', { required: true }),
      dies: u('Dies per socket (default 1).'),
      clusters: u('Clusters per die (default 1).', { since: [10, 1] }),
      cores: u('Cores per die/cluster (non-zero).', { required: true }),
      threads: u('Threads per core (non-zero).', { required: true }),
    },
    children: [],
  },
  'cpu/cache': {
    doc: 'CPU cache information shown to the guest (at most one; x86 only in qemu).',
    once: true,
    attrs: {
      mode: e('emulate (needs level 3), passthrough (host-passthrough/maximum only, no level), disable (no level).', ['emulate', 'passthrough', 'disable'], { required: true }),
      level: u('Cache level 1-3 (qemu supports 3 for emulate).'),
    },
    children: [],
  },
  'cpu/maxphysaddr': {
    doc: 'Physical address bits the guest sees.',
    once: true,
    attrs: {
      mode: e('passthrough (the host\'s value) or emulate (use bits).', ['emulate', 'passthrough'], { required: true }),
      bits: u('Number of address bits (emulate).'),
      limit: u('Upper bound for passthrough (non-zero).', { since: [9, 3] }),
    },
    children: [],
  },
  'cpu/feature': {
    doc: 'A CPU feature (libvirt\'s spelling, e.g. sse4.1, not QEMU\'s sse4-1) and what to do with it.',
    attrs: {
      policy: e('force (enable even if the host lacks it), require (fail to start if the host lacks it), optional, disable, forbid (fail if the host has it). Missing means require.', ['force', 'require', 'optional', 'disable', 'forbid'], { required: true }),
      name: { doc: 'Feature name from cpu_map.', kind: 'feature', required: true },
    },
    children: [],
  },
  'cpu/numa': { doc: 'Guest NUMA topology: one <cell> per node, with ids 0..n-1.', once: true, attrs: {}, children: ['cell', 'interconnects'] },
  'numa/cell': {
    doc: 'A guest NUMA node: its vCPUs and memory.',
    attrs: {
      id: u('Node id (default: position); ids must be 0..n-1.'),
      cpus: { doc: 'Guest vCPU ids in this node (libvirt list syntax); may be empty for a memory-only node.', kind: 'vcpuSet' },
      memory: { doc: 'Node memory (unit: KiB by default).', kind: 'size', required: true },
      unit: { doc: 'Unit of memory.', values: UNITS, kind: 'unit' },
      memAccess: e('shared (needed for vhost-user) or private.', ['shared', 'private']),
      discard: e('Discard the node\'s memory on guest shutdown (file-backed memory).', yesNo),
    },
    children: ['distances', 'cache'],
  },
  'cell/distances': { doc: 'Distances from this node to others: 10 to itself, 11-255 to other nodes.', attrs: {}, children: ['sibling'] },
  'distances/sibling': { doc: 'Distance to one node.', attrs: { id: u('Node id.', { required: true }), value: u('10 for itself, 11-255 otherwise.', { required: true }) }, children: [] },
  'cell/cache': {
    doc: 'HMAT: a memory-side cache of this node.',
    attrs: {
      level: u('Cache level 1-3.', { required: true }),
      associativity: e('Associativity.', ['none', 'direct', 'full'], { required: true }),
      policy: e('Write policy.', ['none', 'writeback', 'writethrough'], { required: true }),
    },
    children: ['size', 'line'],
  },
  'cache/size': { doc: 'Cache size (libvirt reads it as KiB: the unit attribute is ignored).', attrs: { value: u('Size.', { required: true }), unit: { doc: 'Required by the schema, ignored by libvirt\'s parser: always KiB.', values: UNITS, kind: 'unit', required: true } }, children: [] },
  'cache/line': { doc: 'Cache line size (libvirt reads it as bytes: the unit attribute is ignored).', attrs: { value: u('Size.', { required: true }), unit: { doc: 'Required by the schema, ignored by libvirt\'s parser: always bytes.', values: UNITS, kind: 'unit', required: true } }, children: [] },
  'numa/interconnects': { doc: 'HMAT latencies and bandwidths between nodes.', attrs: {}, children: ['latency', 'bandwidth'] },
  'interconnects/latency': {
    doc: 'Access latency (ns) from an initiator node (with CPUs) to a target node.',
    attrs: {
      initiator: u('Initiator node id (must have CPUs).', { required: true }),
      target: u('Target node id.', { required: true }),
      cache: u('Target cache level this applies to.'),
      type: e('Access type.', ['access', 'read', 'write'], { required: true }),
      value: u('Latency in ns.', { required: true }),
    },
    children: [],
  },
  'interconnects/bandwidth': {
    doc: 'Bandwidth from an initiator node (with CPUs) to a target node.',
    attrs: {
      initiator: u('Initiator node id (must have CPUs).', { required: true }),
      target: u('Target node id.', { required: true }),
      cache: u('Target cache level this applies to.'),
      type: e('Access type.', ['access', 'read', 'write'], { required: true }),
      value: u('Bandwidth.', { required: true }),
      unit: { doc: 'Unit per second (the schema requires it; the parser defaults to KiB).', values: UNITS, kind: 'unit', required: true },
    },
    children: [],
  },
  'domain/cputune': {
    doc: 'CPU tuning: pinning of vCPUs, emulator and iothreads to host CPUs, CFS shares/bandwidth, real-time scheduling, cache/memory bandwidth allocation.',
    once: true,
    attrs: {},
    children: ['shares', 'period', 'quota', 'global_period', 'global_quota', 'emulator_period', 'emulator_quota', 'iothread_period', 'iothread_quota',
      'vcpupin', 'emulatorpin', 'iothreadpin', 'vcpusched', 'iothreadsched', 'emulatorsched', 'cachetune', 'memorytune', 'energytune'],
  },
  'cputune/shares': { doc: 'Relative CPU weight (cgroup v1: 2-262144, v2: 1-10000).', text: 'uint', once: true, attrs: {}, children: [] },
  'cputune/period': { doc: 'CFS period per vCPU in µs: 1000-1000000 (0 = unset).', text: 'uint', once: true, attrs: {}, children: [] },
  'cputune/quota': { doc: 'CFS quota per vCPU in µs: 1000-17592186044415, negative = unlimited (0 = unset).', text: 'int', once: true, attrs: {}, children: [] },
  'cputune/global_period': { doc: 'CFS period for the whole domain in µs: 1000-1000000.', text: 'uint', once: true, attrs: {}, children: [] },
  'cputune/global_quota': { doc: 'CFS quota for the whole domain in µs.', text: 'int', once: true, attrs: {}, children: [] },
  'cputune/emulator_period': { doc: 'CFS period of the emulator threads in µs: 1000-1000000.', text: 'uint', once: true, attrs: {}, children: [] },
  'cputune/emulator_quota': { doc: 'CFS quota of the emulator threads in µs.', text: 'int', once: true, attrs: {}, children: [] },
  'cputune/iothread_period': { doc: 'CFS period of each iothread in µs: 1000-1000000.', text: 'uint', once: true, attrs: {}, children: [] },
  'cputune/iothread_quota': { doc: 'CFS quota of each iothread in µs.', text: 'int', once: true, attrs: {}, children: [] },
  'cputune/vcpupin': {
    doc: 'Pins one vCPU to host CPUs. A vcpu id beyond the <vcpu> count is silently dropped by libvirt.',
    attrs: { vcpu: u('Guest vCPU id.', { required: true }), cpuset: { doc: 'Host CPUs (libvirt list syntax; `^N` only removes CPUs listed before it).', kind: 'hostCpuset', required: true } },
    children: [],
  },
  'cputune/emulatorpin': { doc: 'Pins the emulator threads to host CPUs (keep them off the vCPUs\' CPUs for real-time guests).', once: true, attrs: { cpuset: { doc: 'Host CPUs.', kind: 'hostCpuset', required: true } }, children: [] },
  'cputune/iothreadpin': {
    doc: 'Pins one iothread to host CPUs.',
    attrs: { iothread: u('Iothread id (1..<iothreads>).', { required: true }), cpuset: { doc: 'Host CPUs.', kind: 'hostCpuset', required: true } },
    children: [],
  },
  'cputune/vcpusched': sched('vcpus'),
  'cputune/iothreadsched': sched('iothreads'),
  'cputune/emulatorsched': { doc: 'Scheduling of the emulator threads.', once: true, attrs: { scheduler: e('Scheduler.', SCHEDULERS, { required: true }), priority: u('Real-time priority for fifo/rr.') }, children: [] },
  'cputune/cachetune': {
    doc: 'Resctrl cache allocation (CAT) for a group of vCPUs.',
    attrs: { vcpus: { doc: 'Guest vCPUs of the group (required before 12.x).', kind: 'vcpuSet' }, id: { doc: 'Output only: ignored on define.', kind: 'text' } },
    children: ['cache', 'monitor'],
  },
  'cachetune/cache': {
    doc: 'One cache allocation.',
    attrs: {
      id: u('Host cache id.', { required: true }), level: u('Host cache level.', { required: true }),
      type: e('Which part of the cache.', ['both', 'code', 'data'], { required: true }),
      size: u('Size (KiB when unit is absent).', { required: true }), unit: { doc: 'Unit of size.', values: UNITS, kind: 'unit' },
    },
    children: [],
  },
  'cachetune/monitor': { doc: 'Cache occupancy monitoring (level 3 only).', attrs: { level: u('Must be 3.', { required: true }), vcpus: { doc: 'vCPUs to monitor (a subset of the group).', kind: 'vcpuSet', required: true } }, children: [] },
  'cputune/memorytune': {
    doc: 'Resctrl memory bandwidth allocation (MBA) for a group of vCPUs.',
    attrs: { vcpus: { doc: 'Guest vCPUs of the group (required before 12.x).', kind: 'vcpuSet' } },
    children: ['node', 'monitor'],
  },
  'memorytune/node': { doc: 'Bandwidth on one host NUMA node.', attrs: { id: u('Host node id.', { required: true }), bandwidth: u('Percent (or MBps with the mba_MBps mount option).', { required: true }) }, children: [] },
  'memorytune/monitor': { doc: 'Memory bandwidth monitoring.', attrs: { vcpus: { doc: 'vCPUs to monitor.', kind: 'vcpuSet', required: true } }, children: [] },
  'cputune/energytune': {
    doc: 'Resctrl energy monitoring for a group of vCPUs.', since: [12, 4],
    attrs: { vcpus: { doc: 'Guest vCPUs (optional).', kind: 'vcpuSet' }, id: { doc: 'Output only.', kind: 'text' } },
    children: ['monitor'],
  },
  'energytune/monitor': { doc: 'Energy monitoring.', attrs: { vcpus: { doc: 'vCPUs.', kind: 'vcpuSet' } }, children: [] },
  'domain/numatune': { doc: 'Where the guest\'s memory is allocated on host NUMA nodes.', once: true, attrs: {}, children: ['memory', 'memnode'] },
  'numatune/memory': {
    doc: 'Memory policy for the whole guest.',
    once: true,
    attrs: {
      mode: e('strict (default; fail if the nodes run out), preferred, interleave, restrictive (cgroups only).', MEM_MODES),
      nodeset: { doc: 'Host NUMA nodes (required with placement static).', kind: 'hostNodeset' },
      placement: e('static (use nodeset) or auto (numad decides; default follows <vcpu placement>).', ['static', 'auto']),
    },
    children: [],
  },
  'numatune/memnode': {
    doc: 'Memory policy for one guest NUMA cell.',
    attrs: {
      cellid: u('Guest cell id.', { required: true }),
      mode: e('Policy (the schema requires it; the parser defaults to strict).', MEM_MODES, { required: true }),
      nodeset: { doc: 'Host NUMA nodes.', kind: 'hostNodeset', required: true },
    },
    children: [],
  },
};

/** Our blocks: the elements under <domain> we own. */
export const TOP_BLOCKS = ['vcpu', 'vcpus', 'cpu', 'cputune', 'numatune'];

/** True for elements at or below one of our top blocks. Iterative walk up. */
export function inBlocks(el: XmlElement): boolean {
  let cur: XmlElement | undefined = el;
  while (cur?.parent) {
    if (cur.parent.name === 'domain' && !cur.parent.parent) return TOP_BLOCKS.includes(cur.name);
    cur = cur.parent;
  }
  return false;
}
