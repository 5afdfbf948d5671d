/**
 * Host-aware nova.conf checks: run only when the server knows the compute node's profile
 * (hosts/hostProfile.ts, sent by the client). They judge the config against *this* host:
 * models it cannot run, cpusets naming CPUs it does not have, dedicated CPUs the kernel does
 * not isolate.
 */
import type { Finding } from '../../core/findings';
import { quoteValue } from '../../core/findingCap';
import { formatNovaCpuset, parseNovaCpuset, subtract, cpuList, type Interval } from '../../cpuset/novaCpuset';
import { cpuIntervals, hostModelEntry, type HostProfile } from '../../hosts/hostProfile';
import { novaMessages } from '../messages';
import type { Rule, RuleContext } from './context';
import { countIds } from '../../cpuset/intervals';
import { read as readCpuSettings } from './cpu';

/** Longest CPU list we spell out the way Nova does (sorted Python set); Nova's log would be as long. */
const MAX_LISTED = 1024;

const count = countIds;
const pyList = (set: Interval[]) => (count(set) <= MAX_LISTED ? `[${cpuList(set).join(', ')}]` : undefined);
const hostLabel = (p: HostProfile) => (p.host === 'localhost' ? 'this host' : p.host);

/** cpu_models entries libvirt marks usable='no' for this host, with its blockers. */
function unusableModels(ctx: RuleContext, host: HostProfile): Finding[] {
  const s = readCpuSettings(ctx);
  // Usability is per domain type: a profile gathered for kvm says nothing about qemu (TCG) guests.
  if (!s || s.mode !== 'custom' || !s.modelsEntry || host.customModels.length === 0 || (host.virtType && host.virtType !== s.virtType)) return [];
  const out: Finding[] = [];
  const kvm = s.virtType === 'kvm';
  const startup = kvm && !s.skipCompare;
  const flags = s.flags.map((f) => f.text);
  for (const item of s.models) {
    const m = hostModelEntry(host, item.text);
    if (!m && item.text) {
      out.push({
        code: 'nova/host-model-unknown', severity: 'warning', range: ctx.span(s.modelsEntry, item.start, item.end), stage: 'nova runtime',
        explanation: `${hostLabel(host)}'s libvirt does not list CPU model ${quoteValue(item.text)} for ${host.virtType ?? 'its'} guests (\`virsh domcapabilities\`): its cpu_map or its QEMU lacks it. If libvirt's map lacks it, nova-compute refuses to start ("Configured CPU model: ${quoteValue(item.text)} is not correct, or your host CPU arch does not support this model."); if only QEMU does, guests with it fail to start. Pick a model the host lists.`,
      });
      continue;
    }
    if (!m || m.usable !== 'no') continue;
    const lacks = m.blockers?.length ? ` It lacks: ${m.blockers.map((b) => quoteValue(b)).join(', ')}.` : ' (libvirt before 9.7 does not say which features are missing.)';
    out.push({
      code: 'nova/host-model-unusable', severity: startup ? 'error' : 'warning', range: ctx.span(s.modelsEntry, item.start, item.end),
      stage: startup ? 'nova-compute start' : 'vm start',
      upstream: startup && s.combinedCompare ? novaMessages.modelAndFlagsIncompatible(item.text, flags, ctx.major) : undefined,
      explanation: `${hostLabel(host)} cannot run CPU model ${m.name}: \`virsh domcapabilities\` marks it usable='no'.${lacks} ` +
        (startup ? 'nova-compute compares the configured models with the host CPU at start-up and refuses to start.'
          : kvm ? '[workarounds] skip_cpu_compare_at_startup hides it until a guest is built, which then fails to start.'
            : `With virt_type = ${s.virtType} Nova does not compare models at start-up; guests with this model fail to start where QEMU cannot provide the features.`) +
        ' Pick a model the host lists as usable (the profile lists them), or host-model.',
    });
  }
  return out; // ctx.report caps per code
}

interface NamedSet { group: string; name: string; novaName: string }
const SETS: NamedSet[] = [
  { group: 'compute', name: 'cpu_dedicated_set', novaName: '[compute] cpu_dedicated_set' },
  { group: 'compute', name: 'cpu_shared_set', novaName: '[compute] cpu_shared_set' },
  { group: 'DEFAULT', name: 'vcpu_pin_set', novaName: 'vcpu_pin_set' },
];

/** The cpusets Nova checks against the online CPUs (driver._get_pcpu_available / _get_vcpu_available). */
function checkedSets(ctx: RuleContext): Array<NamedSet & { entry: NonNullable<ReturnType<RuleContext['get']>['entry']>; cpus: Interval[] }> {
  const parsed = SETS.flatMap((s) => {
    const { entry } = ctx.get(s.group, s.name);
    if (!entry || entry.value === '') return [];
    const r = parseNovaCpuset(entry.value);
    return r.ok && r.cpus.length ? [{ ...s, entry, cpus: r.cpus }] : [];
  });
  // vcpu_pin_set, when set, is what Nova checks for VCPU; cpu_shared_set is then not checked.
  const pin = parsed.some((p) => p.name === 'vcpu_pin_set');
  return parsed.filter((p) => !(pin && p.name === 'cpu_shared_set'));
}

function offlineCpus(ctx: RuleContext, host: HostProfile): Finding[] {
  if (!host.onlineCpus) return [];
  const online = cpuIntervals(host.onlineCpus);
  const out: Finding[] = [];
  for (const set of checkedSets(ctx)) {
    const missing = subtract(set.cpus, online);
    if (!missing.length) continue;
    const req = pyList(set.cpus);
    out.push({
      code: 'nova/host-cpuset-offline', severity: 'error', range: ctx.valueRange(set.entry), stage: 'nova-compute start',
      upstream: req && `Invalid '${set.novaName}' config: one or more of the configured CPUs is not online. Online cpuset(s): ${pyList(online)}, configured cpuset(s): ${req}`,
      explanation: `${set.name} names CPU${count(missing) > 1 ? 's' : ''} ${quoteValue(formatNovaCpuset(missing))} that ${hostLabel(host)} does not have online (online: ${formatNovaCpuset(online)}); nova-compute refuses to start. Use CPUs from the online list.`,
    });
  }
  return out;
}

/** cpu_dedicated_set CPUs the kernel still schedules other tasks on (isolcpus is set, but not to them). */
function notIsolated(ctx: RuleContext, host: HostProfile): Finding[] {
  if (!host.isolcpus) return [];
  const dedicated = checkedSets(ctx).find((s) => s.name === 'cpu_dedicated_set');
  if (!dedicated) return [];
  const outside = subtract(dedicated.cpus, cpuIntervals(host.isolcpus));
  if (!outside.length) return [];
  return [{
    code: 'nova/host-dedicated-not-isolated', severity: 'information', range: ctx.valueRange(dedicated.entry), stage: 'advice',
    explanation: `cpu_dedicated_set has CPU${count(outside) > 1 ? 's' : ''} ${quoteValue(formatNovaCpuset(outside))} outside the kernel's isolcpus (${formatNovaCpuset(cpuIntervals(host.isolcpus)) || 'empty'}) on ${hostLabel(host)}: host tasks still run there, so pinned guests get noisy neighbours. Add them to isolcpus= on the kernel command line, or keep cpu_dedicated_set within it.`,
  }];
}

// Named functions: the analysis time budget names the rule it stopped at.
const reportAll = (ctx: RuleContext, findings: Finding[]) => { for (const f of findings) ctx.report(f); };
const hostModels: Rule = function hostModels(ctx) { if (ctx.host) reportAll(ctx, unusableModels(ctx, ctx.host)); };
const hostCpusets: Rule = function hostCpusets(ctx) { if (ctx.host) reportAll(ctx, offlineCpus(ctx, ctx.host)); };
const hostIsolation: Rule = function hostIsolation(ctx) { if (ctx.host) reportAll(ctx, notIsolated(ctx, ctx.host)); };

export const hostRules: Rule[] = [hostModels, hostCpusets, hostIsolation];
