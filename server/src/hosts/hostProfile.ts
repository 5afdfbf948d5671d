/**
 * What a compute node can run, as libvirt and the kernel report it: `virsh capabilities`,
 * `virsh domcapabilities` (host-model, the custom models with their blockers), the NUMA layout
 * from /sys/devices/system/node, the online CPUs and `isolcpus` from /proc/cmdline.
 *
 * Gathered through a Runner (argv only), parsed here, and sent to the language server as plain
 * JSON (the `novaLibvirtCpu/hostProfile` notification) so host-aware rules can use it.
 * No vscode import.
 */
import type { Runner } from './runner';
import { childrenNamed, firstChild, parseXml, type XmlElement } from '../knowledge/cpumap/xmlTree';
import { cpuList, parseNovaCpuset, type Interval } from '../cpuset/novaCpuset';
import { merge } from '../cpuset/intervals';

export interface HostCustomModel {
  name: string;
  /** libvirt's verdict for this host: 'yes', 'no', or 'unknown' (its own word when it cannot tell). */
  usable: 'yes' | 'no' | 'unknown';
  vendor?: string;
  /** The features the host lacks (libvirt ≥ 9.7 lists them as <blockers>); undefined when libvirt does not say. */
  blockers?: string[];
  deprecated?: boolean;
}

export interface HostNumaNode { id: number; cpus: number[] }

export interface HostProfile {
  /** 'localhost' or the ssh destination. */
  host: string;
  /** ISO time of the gathering. */
  gatheredAt: string;
  /** libvirt URI asked. */
  uri: string;
  arch?: string;
  /** The domain type domcapabilities answered for (`kvm`, `qemu`): usability is per type. */
  virtType?: string;
  /** The host CPU as `virsh capabilities` names it. */
  hostCpu?: { model?: string; vendor?: string; features: string[] };
  /** What each guest CPU mode can do on this host (domcapabilities). */
  modes: { hostPassthrough?: boolean; hostModel?: boolean; custom?: boolean; maximum?: boolean };
  /** The CPU host-model guests get: model and the features libvirt adds (require) or removes (disable). */
  hostModel?: { model?: string; vendor?: string; require: string[]; disable: string[] };
  /** Custom models in domcapabilities order. */
  customModels: HostCustomModel[];
  /** Online CPU ids (/sys/devices/system/cpu/online). */
  onlineCpus?: number[];
  numaNodes: HostNumaNode[];
  /** CPUs in `isolcpus=` on the kernel command line; undefined when the option is absent. */
  isolcpus?: number[];
  /** What could not be read, in the tool's words (the rest of the profile still holds). */
  problems: string[];
}

const text = (el: XmlElement | undefined) => el?.text?.trim() || undefined;

/** A sysfs/kernel cpu list ("0-3,8-11"); undefined when it is not one. */
export function parseCpuList(s: string): number[] | undefined {
  const t = s.trim();
  if (t === '') return [];
  if (!/^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$/.test(t)) return undefined;
  const r = parseNovaCpuset(t);
  // A host has at most a few thousand CPUs (libvirt's masks hold 16384): a bigger list is not a host's.
  if (!r.ok || r.cpus.reduce((n, [a, b]) => n + b - a + 1, 0) > MAX_HOST_CPUS) return undefined;
  return cpuList(r.cpus);
}

export const MAX_HOST_CPUS = 16384;

/**
 * `isolcpus=[flag,...,]cpu-list` (kernel-parameters.txt; flags nohz, domain, managed_irq).
 * The last occurrence is what we report; a list we cannot read is a problem, not a guess.
 */
export function parseIsolcpus(cmdline: string): { cpus?: number[]; problem?: string } {
  const all = [...cmdline.matchAll(/(?:^|\s)isolcpus=(\S*)/g)];
  if (all.length === 0) return {};
  const value = all[all.length - 1][1];
  const parts = value.split(',');
  while (parts.length && /^(nohz|domain|managed_irq)$/.test(parts[0])) parts.shift();
  const cpus = parseCpuList(parts.join(','));
  return cpus ? { cpus } : { problem: `isolcpus=${value} on the kernel command line is not a CPU list we read (ranges with strides are not supported)` };
}

/** `virsh capabilities`: arch, host CPU, and the NUMA cells (used when sysfs is not readable). */
export function parseCapabilities(xml: string): Pick<HostProfile, 'arch' | 'hostCpu' | 'numaNodes'> | string {
  const root = parseXml(xml);
  if (typeof root === 'string') return `virsh capabilities: ${root}`;
  const host = root.name === 'capabilities' ? firstChild(root, 'host') : undefined;
  if (!host) return 'virsh capabilities: no <host> element';
  const cpu = firstChild(host, 'cpu');
  const features = cpu ? childrenNamed(cpu, 'feature').map((f) => f.attrs.name).filter(Boolean) : [];
  const cells = firstChild(firstChild(host, 'topology') ?? host, 'cells');
  const numaNodes = (cells ? childrenNamed(cells, 'cell') : []).map((c) => ({
    id: Number(c.attrs.id),
    cpus: childrenNamed(firstChild(c, 'cpus') ?? c, 'cpu').map((x) => Number(x.attrs.id)).filter(Number.isInteger),
  })).filter((n) => Number.isInteger(n.id));
  return { arch: text(firstChild(cpu ?? host, 'arch')), hostCpu: cpu && { model: text(firstChild(cpu, 'model')), vendor: text(firstChild(cpu, 'vendor')), features }, numaNodes };
}

/** `virsh domcapabilities`: modes, host-model, custom models (with blockers where libvirt lists them). */
export function parseDomCapabilities(xml: string): Pick<HostProfile, 'modes' | 'hostModel' | 'customModels' | 'virtType'> & { arch?: string } | string {
  const root = parseXml(xml);
  if (typeof root === 'string') return `virsh domcapabilities: ${root}`;
  if (root.name !== 'domainCapabilities') return 'virsh domcapabilities: no <domainCapabilities> element';
  const cpu = firstChild(root, 'cpu');
  const mode = (name: string) => cpu && childrenNamed(cpu, 'mode').find((m) => m.attrs.name === name);
  const supported = (name: string) => { const m = mode(name); return m ? m.attrs.supported === 'yes' : undefined; };
  const hm = mode('host-model');
  const policy = (p: string) => (hm ? childrenNamed(hm, 'feature').filter((f) => f.attrs.policy === p).map((f) => f.attrs.name) : []);
  const custom = mode('custom');
  const blockers = new Map<string, string[]>();
  for (const b of custom ? childrenNamed(custom, 'blockers') : []) blockers.set(b.attrs.model, childrenNamed(b, 'feature').map((f) => f.attrs.name));
  const customModels: HostCustomModel[] = (custom ? childrenNamed(custom, 'model') : []).flatMap((m) => {
    const name = text(m);
    if (!name) return [];
    const usable = m.attrs.usable === 'yes' || m.attrs.usable === 'no' ? m.attrs.usable : 'unknown';
    const model: HostCustomModel = { name, usable };
    if (m.attrs.vendor && m.attrs.vendor !== 'unknown') model.vendor = m.attrs.vendor;
    if (blockers.has(name)) model.blockers = blockers.get(name);
    if (m.attrs.deprecated === 'yes') model.deprecated = true;
    return [model];
  });
  return {
    arch: text(firstChild(root, 'arch')),
    virtType: text(firstChild(root, 'domain')),
    modes: { hostPassthrough: supported('host-passthrough'), hostModel: supported('host-model'), custom: supported('custom'), maximum: supported('maximum') },
    hostModel: hm && hm.attrs.supported === 'yes' ? { model: text(firstChild(hm, 'model')), vendor: text(firstChild(hm, 'vendor')), require: policy('require'), disable: policy('disable') } : undefined,
    customModels,
  };
}

/** `grep -H '' node0/cpulist node1/cpulist`: one "path:list" line per node. */
export function parseNodeCpulists(out: string): HostNumaNode[] {
  const nodes: HostNumaNode[] = [];
  for (const line of out.split('\n')) {
    const m = /\/node(\d+)\/cpulist:(.*)$/.exec(line);
    const cpus = m && parseCpuList(m[2]);
    if (m && cpus) nodes.push({ id: Number(m[1]), cpus });
  }
  return nodes;
}

export interface GatherOptions {
  uri?: string;
  /** domcapabilities --virttype (Nova's [libvirt] virt_type: kvm or qemu); libvirt picks when unset. */
  virtType?: string;
  /** Run virsh through sudo (qemu:///system as a user outside the libvirt group). */
  sudo?: boolean;
  /** Where sysfs and procfs are (tests point these at crafted trees). */
  sysRoot?: string;
  procRoot?: string;
}

const NODE_DIR = '/devices/system/node';

/** Gathers the profile; each source that fails adds a problem and leaves its part empty. */
export async function gatherHostProfile(runner: Runner, opts: GatherOptions = {}): Promise<HostProfile> {
  const uri = opts.uri ?? 'qemu:///system';
  const sys = opts.sysRoot ?? '/sys';
  const proc = opts.procRoot ?? '/proc';
  const profile: HostProfile = { host: runner.host, gatheredAt: new Date().toISOString(), uri, modes: {}, customModels: [], numaNodes: [], problems: [] };
  const read = async (argv: string[], sudo = false): Promise<string | undefined> => {
    const r = await runner.run(argv, { sudo, timeoutMs: 30_000 });
    if (r.code === 0) return r.stdout.toString('utf8');
    profile.problems.push(`${argv.join(' ')}: ${r.error ?? (r.stderr.toString('utf8').trim() || `exit status ${r.code}`)}`);
    return undefined;
  };
  const caps = await read(['virsh', '-c', uri, 'capabilities'], opts.sudo);
  let capsNodes: HostNumaNode[] = [];
  if (caps !== undefined) {
    const c = parseCapabilities(caps);
    if (typeof c === 'string') profile.problems.push(c);
    else { profile.arch = c.arch; profile.hostCpu = c.hostCpu; capsNodes = c.numaNodes; }
  }
  const domcaps = await read(['virsh', '-c', uri, 'domcapabilities', ...(opts.virtType ? ['--virttype', opts.virtType] : [])], opts.sudo);
  if (domcaps !== undefined) {
    const d = parseDomCapabilities(domcaps);
    if (typeof d === 'string') profile.problems.push(d);
    else { profile.modes = d.modes; profile.hostModel = d.hostModel; profile.customModels = d.customModels; profile.virtType = d.virtType; profile.arch ??= d.arch; }
  }
  const online = await read(['cat', `${sys}/devices/system/cpu/online`]);
  if (online !== undefined) profile.onlineCpus = parseCpuList(online);
  const nodesOnline = await read(['cat', `${sys}${NODE_DIR}/online`]);
  const nodeIds = nodesOnline === undefined ? undefined : parseCpuList(nodesOnline);
  if (nodeIds?.length) {
    const lists = await read(['grep', '-H', '', ...nodeIds.map((n) => `${sys}${NODE_DIR}/node${n}/cpulist`)]);
    if (lists !== undefined) profile.numaNodes = parseNodeCpulists(lists);
  }
  if (profile.numaNodes.length === 0) profile.numaNodes = capsNodes;
  const cmdline = await read(['cat', `${proc}/cmdline`]);
  if (cmdline !== undefined) {
    const iso = parseIsolcpus(cmdline);
    if (iso.problem) profile.problems.push(iso.problem);
    profile.isolcpus = iso.cpus;
  }
  return profile;
}

/** Sorted ids as inclusive intervals (the shape the cpuset helpers work in). */
export function cpuIntervals(ids: readonly number[]): Interval[] {
  return merge(ids.map((id): Interval => [id, id]));
}

/** The models this host can run for custom mode, in libvirt's order (newest first, as domcapabilities lists them). */
export function usableModels(p: HostProfile): string[] {
  return p.customModels.filter((m) => m.usable === 'yes').map((m) => m.name);
}

/** One model's entry, case-insensitively (Nova and libvirt match model names that way). */
export function hostModelEntry(p: HostProfile, name: string): HostCustomModel | undefined {
  const lower = name.toLowerCase();
  return p.customModels.find((m) => m.name.toLowerCase() === lower);
}

/** Loose check of JSON from the client: enough shape that rules cannot crash on it. */
export function asHostProfile(raw: unknown): HostProfile | undefined {
  const p = raw as HostProfile | undefined;
  if (!p || typeof p !== 'object' || !Array.isArray(p.customModels) || !Array.isArray(p.numaNodes)) return undefined;
  const ints = (a: unknown) => Array.isArray(a) && a.every((x) => Number.isInteger(x));
  if (p.onlineCpus !== undefined && !ints(p.onlineCpus)) return undefined;
  if (p.isolcpus !== undefined && !ints(p.isolcpus)) return undefined;
  if (!p.numaNodes.every((n) => Number.isInteger(n?.id) && ints(n.cpus))) return undefined;
  if (!p.customModels.every((m) => typeof m?.name === 'string' && (m.blockers === undefined || (Array.isArray(m.blockers) && m.blockers.every((b) => typeof b === 'string'))))) return undefined;
  return { ...p, modes: p.modes ?? {}, problems: Array.isArray(p.problems) ? p.problems : [] };
}
