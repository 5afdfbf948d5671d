/**
 * Can guests of this compute node run their own KVM guests? Three things must hold, and this
 * module says which one fails and exactly what to change:
 *   1. the host CPU has vmx (Intel) or svm (AMD) — /proc/cpuinfo;
 *   2. the kvm_intel / kvm_amd module runs with nested=1 — /sys/module/kvm_*\/parameters/nested;
 *   3. the guest CPU Nova builds exposes the flag — the effective [libvirt] cpu_mode, cpu_models and
 *      cpu_model_extra_flags of the node's config set.
 * The nova.conf part of the fix comes back as a CpuModeChange the planner/transaction can apply.
 * No vscode import.
 */
import type { Runner } from './runner';
import type { CpuCatalog } from '../knowledge/cpumap/types';
import type { CpuModeChange, NovaCpuConfig, NovaCpuMode } from '../ops/types';
import type { HostProfile } from './hostProfile';

export type Vendor = 'intel' | 'amd';
const FLAG: Record<Vendor, 'vmx' | 'svm'> = { intel: 'vmx', amd: 'svm' };
const MODULE: Record<Vendor, string> = { intel: 'kvm_intel', amd: 'kvm_amd' };

/** What the host says; `undefined` = could not be read. */
export interface NestedFacts {
  /** Flags line of /proc/cpuinfo found, and which virtualization flag it has. */
  cpuFlags?: string[];
  /** Contents of /sys/module/kvm_intel/parameters/nested (`Y`, `N`, `1`, `0`), undefined when the module is not loaded. */
  kvmIntelNested?: string;
  kvmAmdNested?: string;
}

/** The guest CPU Nova would build, read from the config set (effective values, after defaults). */
export interface GuestCpuConfig {
  /** Effective cpu_mode; undefined = unset (Nova then uses host-model for kvm/qemu). */
  mode?: NovaCpuMode;
  models: string[];
  extraFlags: string[];
}

/** The guest CPU of a config set as the planner reads it (readNovaCpuConfig): Nova's effective mode. */
export function guestCpuOf(cfg: NovaCpuConfig): GuestCpuConfig {
  return { mode: cfg.effectiveMode as NovaCpuMode, models: cfg.models.value, extraFlags: cfg.extraFlags.value };
}

export interface NestedStep {
  kind: 'host-cpu' | 'module' | 'nova-conf';
  /** One sentence: what to change and why. */
  text: string;
  /** For module: the file and the exact line to put in it. */
  file?: string;
  line?: string;
  /** For nova-conf: the change the CPU-mode command can apply. */
  change?: CpuModeChange;
}

export interface NestedReport {
  /** 'ready': all three hold; 'needs-change': steps say what; 'impossible': the host CPU lacks the flag; 'unknown': not enough facts. */
  verdict: 'ready' | 'needs-change' | 'impossible' | 'unknown';
  vendor?: Vendor;
  /** What each check found, one line each, for the report. */
  facts: string[];
  steps: NestedStep[];
}

/** Y/1 enabled, N/0 disabled (kernel prints Y/N for bool params, 1/0 for int ones on older kernels). */
function nestedOn(raw: string | undefined): boolean | undefined {
  const v = raw?.trim();
  if (v === undefined) return undefined;
  if (v === 'Y' || v === '1') return true;
  if (v === 'N' || v === '0') return false;
  return undefined;
}

/** Whether the effective guest CPU exposes `flag`: 'yes', 'no', or 'depends' (with why). */
export function guestExposes(guest: GuestCpuConfig, flag: 'vmx' | 'svm', catalog: CpuCatalog, profile?: HostProfile): { answer: 'yes' | 'no' | 'depends'; why: string } {
  const extra = guest.extraFlags.map((f) => f.toLowerCase());
  if (extra.includes(`-${flag}`)) return { answer: 'no', why: `cpu_model_extra_flags disables ${flag} (-${flag})` };
  const byExtra = extra.includes(flag) || extra.includes(`+${flag}`);
  const mode = guest.mode ?? 'host-model';
  const unsetNote = guest.mode === undefined ? ' (cpu_mode unset: Nova uses host-model for virt_type kvm/qemu)' : '';
  if (mode === 'host-passthrough' || mode === 'maximum') return { answer: 'yes', why: `${mode} passes the host's ${flag} to guests` };
  if (byExtra) return { answer: 'yes', why: `cpu_model_extra_flags adds ${flag}` };
  if (mode === 'host-model') {
    const hm = profile?.hostModel;
    if (!hm) return { answer: 'depends', why: `host-model${unsetNote} includes ${flag} only when libvirt's host-model for this host does; the host profile is not known` };
    const inModel = !!hm.model && !!catalog.model(hm.model)?.features.includes(flag);
    const has = !hm.disable.includes(flag) && (hm.require.includes(flag) || inModel);
    return has
      ? { answer: 'yes', why: `host-model${unsetNote} on this host is ${hm.model ?? '?'} with ${flag}` }
      : { answer: 'no', why: `host-model${unsetNote} on this host (${hm.model ?? '?'}) has no ${flag} (libvirt leaves it out while the kvm module's nested is off)` };
  }
  if (mode === 'none') {
    return catalog.model('qemu64')?.features.includes(flag)
      ? { answer: 'yes', why: `cpu_mode none gives libvirt's default CPU (qemu64), which has ${flag}` }
      : { answer: 'no', why: `cpu_mode none gives libvirt's default CPU (qemu64), without ${flag}` };
  }
  // custom: Nova uses the first model that fits the flavor; say which ones lack the flag.
  const lacking = guest.models.filter((m) => !catalog.model(m)?.features.includes(flag));
  if (guest.models.length && lacking.length === 0) return { answer: 'yes', why: `every model in cpu_models has ${flag}` };
  return { answer: 'no', why: `cpu_mode custom: ${lacking.join(', ') || 'no model'} ${lacking.length === 1 ? 'has' : 'have'} no ${flag}, and cpu_model_extra_flags does not add it` };
}

/** The verdict and the steps, from facts gathered elsewhere (pure). */
export function judgeNested(facts: NestedFacts, guest: GuestCpuConfig, catalog: CpuCatalog, profile?: HostProfile): NestedReport {
  const out: NestedReport = { verdict: 'ready', facts: [], steps: [] };
  const flags = facts.cpuFlags;
  const vendor: Vendor | undefined = flags?.includes('vmx') ? 'intel' : flags?.includes('svm') ? 'amd' : undefined;
  out.vendor = vendor;
  if (!flags) {
    out.facts.push('/proc/cpuinfo: no flags line could be read');
    return { ...out, verdict: 'unknown' };
  }
  if (!vendor) {
    out.facts.push('/proc/cpuinfo: the host CPU has neither vmx nor svm');
    out.steps.push({ kind: 'host-cpu', text: 'This host CPU offers no hardware virtualization: enable VT-x/AMD-V in the firmware, or, if this host is itself a guest, enable nested virtualization on its hypervisor. Nothing in nova.conf can help.' });
    return { ...out, verdict: 'impossible' };
  }
  const flag = FLAG[vendor];
  const mod = MODULE[vendor];
  out.facts.push(`/proc/cpuinfo: the host CPU has ${flag}`);
  const raw = vendor === 'intel' ? facts.kvmIntelNested : facts.kvmAmdNested;
  const on = nestedOn(raw);
  if (raw === undefined) {
    out.facts.push(`${mod} is not loaded (/sys/module/${mod}/parameters/nested is absent)`);
    out.steps.push({ kind: 'module', file: '/etc/modprobe.d/kvm.conf', line: `options ${mod} nested=1`, text: `Load ${mod} with nested=1: put the line in /etc/modprobe.d/kvm.conf, then \`modprobe ${mod}\`.` });
  } else if (on === undefined) {
    out.facts.push(`/sys/module/${mod}/parameters/nested reads '${raw.trim()}', which is neither Y/N nor 1/0`);
    out.verdict = 'unknown';
  } else {
    out.facts.push(`/sys/module/${mod}/parameters/nested is ${raw.trim()} (${on ? 'enabled' : 'disabled'})`);
    if (!on) out.steps.push({ kind: 'module', file: '/etc/modprobe.d/kvm.conf', line: `options ${mod} nested=1`, text: `Enable nested in ${mod}: put the line in /etc/modprobe.d/kvm.conf, then, with every guest stopped, \`modprobe -r ${mod} && modprobe ${mod}\` (or reboot).` });
  }
  const g = guestExposes(guest, flag, catalog, profile);
  out.facts.push(`guest CPU: ${g.why}`);
  if (g.answer === 'no') out.steps.push(novaStep(guest, flag));
  // Something that must change wins over something we could not tell.
  if (out.steps.length) out.verdict = 'needs-change';
  else if (g.answer === 'depends') out.verdict = 'unknown';
  return out;
}

/** The nova.conf change: keep the mode and add the flag where Nova applies extra flags, else host-passthrough. */
function novaStep(guest: GuestCpuConfig, flag: 'vmx' | 'svm'): NestedStep {
  const mode = guest.mode ?? 'host-model';
  if (mode === 'custom' || mode === 'host-model') {
    const kept = guest.extraFlags.filter((f) => f.toLowerCase().replace(/^[+-]/, '') !== flag);
    return {
      kind: 'nova-conf',
      text: `Add ${flag} to [libvirt] cpu_model_extra_flags (guests keep their ${mode} CPU, plus ${flag}); or switch to host-passthrough, which passes it but limits live migration to identical hosts.`,
      change: { mode, models: mode === 'custom' ? guest.models : undefined, extraFlags: [...kept, flag] },
    };
  }
  return { kind: 'nova-conf', text: `cpu_mode ${mode} cannot expose ${flag}: set [libvirt] cpu_mode = host-passthrough (or host-model with cpu_model_extra_flags = ${flag}).`, change: { mode: 'host-passthrough', models: [], extraFlags: [] } };
}

export interface NestedPaths {
  /** Default /proc/cpuinfo. */
  cpuinfo?: string;
  /** Default /sys/module. */
  sysModule?: string;
}

/** Reads the facts through the runner (plain reads: no root needed). */
export async function readNestedFacts(runner: Runner, paths: NestedPaths = {}): Promise<NestedFacts> {
  const sys = paths.sysModule ?? '/sys/module';
  const read = async (argv: string[]) => {
    const r = await runner.run(argv, { timeoutMs: 10_000 });
    return r.code === 0 ? r.stdout.toString('utf8') : undefined;
  };
  // One flags line is enough (every CPU of a host has the same), and keeps the output small.
  const flagsLine = await read(['grep', '-m', '1', '-E', '^(flags|Features)[[:space:]]*:', paths.cpuinfo ?? '/proc/cpuinfo']);
  return {
    cpuFlags: flagsLine === undefined ? undefined : flagsLine.slice(flagsLine.indexOf(':') + 1).trim().split(/\s+/),
    kvmIntelNested: await read(['cat', `${sys}/kvm_intel/parameters/nested`]),
    kvmAmdNested: await read(['cat', `${sys}/kvm_amd/parameters/nested`]),
  };
}

/** Facts + verdict in one call, for the command and the CLI. */
export async function checkNested(runner: Runner, guest: GuestCpuConfig, catalog: CpuCatalog, profile?: HostProfile, paths?: NestedPaths): Promise<NestedReport> {
  return judgeNested(await readNestedFacts(runner, paths), guest, catalog, profile);
}
