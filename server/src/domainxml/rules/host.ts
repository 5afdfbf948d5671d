/**
 * Host-aware domain checks: run only when the server knows the host's profile
 * (hosts/hostProfile.ts). A custom model the host cannot run, pins naming CPUs it does not have,
 * and pins of a memory-bound guest that reach CPUs of other host NUMA nodes.
 */
import { attr, child, childrenNamed, type XmlAttr } from '../scan';
import { textSpan, valueSpan } from '../report';
import { parseLibvirtCpuset } from '../../cpuset/libvirtCpuset';
import { countIds, hasId, intersect, subtract, type Interval } from '../../cpuset/intervals';
import { quoteValue } from '../../core/findingCap';
import { formatNovaCpuset } from '../../cpuset/novaCpuset';
import { cpuIntervals, hostModelEntry, type HostProfile } from '../../hosts/hostProfile';
import type { RuleContext } from './context';

const hostLabel = (p: HostProfile) => (p.host === 'localhost' ? 'this host' : p.host);

function unusableModel(ctx: RuleContext, host: HostProfile): void {
  const { model, report } = ctx;
  const cpu = model.cpu;
  const mode = attr(cpu, 'mode')?.value ?? 'custom';
  const modelEl = child(cpu, 'model');
  if (!cpu || mode !== 'custom' || !modelEl?.text.trim() || (host.virtType && host.virtType !== model.virtType)) return;
  const entry = hostModelEntry(host, modelEl.text.trim());
  if (!entry || entry.usable !== 'no') return;
  const fallback = attr(modelEl, 'fallback')?.value ?? 'allow';
  const lacks = entry.blockers?.length ? ` It lacks: ${entry.blockers.map((b) => quoteValue(b)).join(', ')}.` : '';
  report.add({
    code: 'libvirt/host-model-unusable', at: textSpan(modelEl), stage: 'vm start', severity: fallback === 'forbid' ? 'error' : 'warning',
    explanation: `<model>${entry.name}</model>: the guest fails to start on ${hostLabel(host)} unless libvirt may fall back (fallback='allow' with check other than 'full'): \`virsh domcapabilities\` marks it usable='no' for ${model.virtType || 'these'} guests.${lacks} Pick a usable model or mode='host-model'.`,
  });
}

/** Every cpuset attribute that pins guest threads to host CPUs. */
function pinSets(ctx: RuleContext): Array<{ a: XmlAttr; what: string; set: Interval[] }> {
  const ct = ctx.model.cputune;
  const attrs: Array<[XmlAttr | undefined, string]> = [[attr(ctx.model.vcpu, 'cpuset'), '<vcpu cpuset>']];
  for (const pin of childrenNamed(ct, 'vcpupin')) attrs.push([attr(pin, 'cpuset'), `vcpupin of vCPU ${attr(pin, 'vcpu')?.value ?? '?'}`]);
  for (const pin of childrenNamed(ct, 'emulatorpin')) attrs.push([attr(pin, 'cpuset'), 'emulatorpin']);
  for (const pin of childrenNamed(ct, 'iothreadpin')) attrs.push([attr(pin, 'cpuset'), `iothreadpin of iothread ${attr(pin, 'iothread')?.value ?? '?'}`]);
  return attrs.flatMap(([a, what]) => {
    if (!a) return [];
    const p = parseLibvirtCpuset(a.value);
    return p.ok ? [{ a, what, set: p.set }] : []; // syntax is the cputune rules' to report
  });
}

function offlinePins(ctx: RuleContext, host: HostProfile): void {
  if (!host.onlineCpus) return;
  const online = cpuIntervals(host.onlineCpus);
  for (const { a, what, set } of pinSets(ctx)) {
    const missing = subtract(set, online);
    if (!missing.length) continue;
    const several = countIds(missing) > 1;
    ctx.report.add({
      code: 'libvirt/host-cpuset-offline', at: valueSpan(a), stage: 'vm start', severity: 'warning',
      explanation: `${what} names CPU${several ? 's' : ''} ${quoteValue(formatNovaCpuset(missing))} that ${hostLabel(host)} does not have online (online: ${quoteValue(compact(host.onlineCpus))}): on this host the guest's threads never run there, and the start fails where cgroups refuse the set (libvirt accepts the XML). Use online CPUs.`,
    });
  }
}

/** Pins of a guest whose memory is bound (<numatune><memory mode='strict' nodeset>) reaching other host nodes. */
function pinsSpanNodes(ctx: RuleContext, host: HostProfile): void {
  const memory = child(ctx.model.numatune, 'memory');
  const nodesetA = attr(memory, 'nodeset');
  if (!memory || !nodesetA || attr(memory, 'placement')?.value === 'auto' || host.numaNodes.length < 2) return;
  const nodeset = parseLibvirtCpuset(nodesetA.value);
  if (!nodeset.ok) return;
  // Host nodes and their CPUs are the host's (bounded by its size); the guest's sets stay intervals.
  const bound = new Set(host.numaNodes.map((n) => n.id).filter((id) => hasId(nodeset.set, id)));
  const boundCount = countIds(nodeset.set);
  const hostNodes = host.numaNodes.map((n) => ({ id: n.id, cpus: cpuIntervals(n.cpus) })).sort((x, y) => x.id - y.id);
  for (const { a, what, set } of pinSets(ctx)) {
    const nodes = hostNodes.filter((n) => intersect(set, n.cpus).length > 0).map((n) => n.id);
    const outside = nodes.filter((n) => !bound.has(n));
    if (nodes.length < 2 && !outside.length) continue;
    ctx.report.add({
      code: 'libvirt/host-pin-spans-numa', at: valueSpan(a), stage: 'advice', severity: 'information',
      explanation: `${what} ${nodes.length > 1 ? `spans host NUMA nodes ${nodes.join(', ')}` : `runs on host NUMA node ${nodes[0]}`} of ${hostLabel(host)}, while the guest's memory is bound to node${boundCount > 1 ? 's' : ''} ${nodesetA.value} (<numatune> mode='${attr(memory, 'mode')?.value ?? 'strict'}')` +
        `${outside.length ? `: threads on node ${outside.join(', ')} reach every byte of memory across the interconnect` : ': threads move between nodes'}. Pin to CPUs of the bound node${boundCount > 1 ? 's' : ''} (${host.numaNodes.filter((n) => bound.has(n.id)).map((n) => `node ${n.id}: ${compact(n.cpus)}`).join('; ') || 'none on this host'}).`,
    });
  }
}

/** 0,1,2,3,8 -> 0-3,8 (for messages). */
const compact = (ids: readonly number[]) => formatNovaCpuset(cpuIntervals(ids));

export function hostRules(ctx: RuleContext): void {
  const host = ctx.knowledge.host;
  if (!host || !ctx.model.domain) return;
  unusableModel(ctx, host);
  offlinePins(ctx, host);
  pinsSpanNodes(ctx, host);
}
