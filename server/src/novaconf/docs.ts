/**
 * The words completion and hover share: option docs, model and flag descriptions. Written by us;
 * option summaries come from the generated catalog (also ours).
 */
import type { CpuCatalog, CpuModel } from '../knowledge/cpumap/types';
import type { NovaCatalog, NovaOption } from '../knowledge/nova/catalog';
import { releaseByMajor, releaseLabel } from '../knowledge/nova/releases';
import { formatNovaCpuset, parseNovaCpuset } from '../cpuset/novaCpuset';
import { describeType } from '../knowledge/nova/osloTypes';
import { formatDefault } from './values';

const TYPE_NAMES: Record<NovaOption['type'], string> = {
  str: 'string', int: 'integer', float: 'number', bool: 'boolean', list: 'comma-separated list', multi: 'repeatable (one line per value)', host: 'host or domain name',
};

export const GROUP_NOTES: Record<string, string> = {
  libvirt: 'Settings of the libvirt compute driver: guest CPU (cpu_mode, cpu_models, cpu_model_extra_flags), virt_type, images, live migration.',
  DEFAULT: 'The default group: host-wide settings such as reserved resources, allocation ratios and the legacy vcpu_pin_set.',
  compute: 'Compute-node settings, including the host CPUs for pinned (cpu_dedicated_set) and unpinned (cpu_shared_set) guests.',
  workarounds: 'Switches that turn off checks or behaviours for known problems; leave them at their defaults unless you know the bug.',
};

export function optionType(o: NovaOption): string {
  if (o.cpuset) return 'cpuset (Nova syntax: 0-3,8,^2)';
  return o.zedOnly && o.oslo ? describeType(o.oslo) : TYPE_NAMES[o.type];
}

export function optionDetail(o: NovaOption): string {
  return o.zedOnly ? `${optionType(o)} (Nova 26)` : `${optionType(o)} · default ${formatDefault(o)}`;
}

/** Markdown docs for an option as the catalog's release sees it. */
export function optionDocs(o: NovaOption, catalog: NovaCatalog): string {
  if (o.zedOnly) return zedDocs(o);
  const lines = [`**[${o.group}] ${o.name}** — ${optionType(o)}`, '', o.summary, ''];
  lines.push(`Default: \`${formatDefault(o)}\``);
  if (o.min !== undefined || o.max !== undefined) lines.push(`Range: ${o.min ?? '…'} to ${o.max ?? '…'}`);
  if (o.choices) {
    lines.push('', `Choices (${o.choicesIgnoreCase ? 'any case' : 'case-sensitive'}):`);
    for (const c of o.choices) lines.push(`- \`${c.value}\`${c.meaning ? ` — ${c.meaning}` : ''}`);
  }
  if (o.note) lines.push('', o.note);
  const history: string[] = [];
  if (o.since > 0) history.push(`added in ${releaseLabel(releaseByMajor(o.since))}`);
  if (o.deprecatedForRemoval) history.push(`deprecated${o.deprecatedSince ? ` since ${releaseLabel(releaseByMajor(o.deprecatedSince))}` : ''}: ${o.deprecatedForRemoval}`);
  if (o.deprecatedName) history.push(`old name \`${o.deprecatedName}\` still read`);
  lines.push('', `Nova ${releaseLabel(catalog.release)}${history.length ? `: ${history.join('; ')}` : ''}.`);
  return lines.join('\n');
}

/** An option known from Nova 26's data only: its exact type and deprecations, no history. */
function zedDocs(o: NovaOption): string {
  const t = o.oslo;
  const lines = [`**[${o.group}] ${o.name}** — ${optionType(o)}`, ''];
  const choices = t?.k === 'str' ? t.c : t?.k === 'list' && t.it.k === 'str' ? t.it.c : undefined;
  if (choices) lines.push(`Choices (${t?.k === 'str' && t.ic ? 'any case' : 'case-sensitive'}): ${choices.map((c) => `\`${c ?? 'None'}\``).join(', ')}`);
  if (t && 'min' in t && t.min !== undefined) lines.push(`At least ${t.min}.`);
  if (t && 'max' in t && t.max !== undefined) lines.push(`At most ${t.max}.`);
  if (t?.k === 'uri' && t.sc) lines.push(`Schemes: ${t.sc.join(', ')}.`);
  if (o.aliases?.length) lines.push(`Old names still read: ${o.aliases.map((a) => `[${a.group}] ${a.name}`).join(', ')}.`);
  if (o.deprecatedForRemoval) lines.push(`Deprecated for removal: ${o.deprecatedForRemoval}.`);
  lines.push('', 'As Nova 26 (Zed) defines it.');
  return lines.join('\n');
}

/** The model a model builds on: its ancestor in the map, else the previous model of its vendor. */
export function predecessor(cpu: CpuCatalog, model: CpuModel): CpuModel | undefined {
  if (model.ancestor) return cpu.model(model.ancestor, model.arch);
  const models = cpu.models(model.arch).filter((m) => !m.canonicalOf && m.vendor === model.vendor);
  const i = models.findIndex((m) => m.name === model.name);
  return i > 0 ? models[i - 1] : undefined;
}

export function modelDocs(cpu: CpuCatalog, model: CpuModel): string {
  const lines = [`**${model.name}** — ${model.vendor ?? 'no vendor'} CPU model, ${model.features.length} features`];
  if (model.canonicalOf) lines.push('', `Another name for ${model.canonicalOf}.`);
  const prev = predecessor(cpu, model);
  if (prev) {
    const d = cpu.diff(prev.name, model.name, model.arch);
    if (d) {
      const shown = d.onlyInB.slice(0, 40);
      lines.push('', `Adds over ${prev.name}: ${shown.length ? shown.map((f) => `\`${f}\``).join(', ') : 'nothing'}${d.onlyInB.length > shown.length ? ` and ${d.onlyInB.length - shown.length} more` : ''}.`);
      if (d.onlyInA.length) lines.push(`Lacks from ${prev.name}: ${d.onlyInA.map((f) => `\`${f}\``).join(', ')}.`);
    }
  }
  const nested = model.features.includes('vmx') || model.features.includes('svm');
  lines.push('', nested ? 'Includes hardware virtualization (nested guests possible).' : 'No vmx/svm: add it to cpu_model_extra_flags for nested guests.');
  if (model.origin !== 'bundled') lines.push('', `Defined in ${model.origin}.`);
  return lines.join('\n');
}

/** What the flags operators meet most often are for (cpu_map has names, not descriptions). */
const FLAG_NOTES: Record<string, string> = {
  vmx: 'Intel VT-x: lets the guest run its own virtual machines (nested virtualization).',
  svm: 'AMD-V: lets the guest run its own virtual machines (nested virtualization).',
  pcid: 'Process-context identifiers: makes the Meltdown fix (KPTI) much cheaper. Missing from Nehalem to IvyBridge models.',
  ssbd: 'Speculative Store Bypass Disable (Spectre v4 mitigation, Intel).',
  'virt-ssbd': 'Speculative Store Bypass Disable through the virtual SPEC_CTRL (AMD).',
  'amd-ssbd': 'Speculative Store Bypass Disable (AMD).',
  'amd-no-ssb': 'The AMD CPU is not affected by Speculative Store Bypass.',
  'md-clear': 'Clears CPU buffers on VERW (MDS mitigation); add it to custom models on affected hosts.',
  'spec-ctrl': 'Indirect branch control (IBRS/IBPB, Spectre v2 mitigation, Intel).',
  'ibpb': 'Indirect Branch Prediction Barrier (Spectre v2 mitigation, AMD).',
  invtsc: 'Invariant TSC: a constant-rate time stamp counter. Blocks live migration (not migratable).',
  aes: 'AES-NI instructions for fast encryption.',
  avx: 'Advanced Vector Extensions (256-bit SIMD).',
  avx2: 'AVX2 integer SIMD instructions.',
  avx512f: 'AVX-512 foundation instructions.',
  x2apic: 'x2APIC interrupt controller mode; needed for many vCPUs.',
  hypervisor: 'Tells the guest it runs on a hypervisor.',
  pdpe1gb: '1 GiB pages in the guest.',
  'tsc-deadline': 'TSC-deadline timer mode.',
  'sse4.2': 'SSE4.2 instructions (string and CRC32).',
  rdrand: 'Hardware random numbers (RDRAND).',
  rdseed: 'Hardware random seeds (RDSEED).',
  'arch-capabilities': 'Reports which CPU vulnerabilities the CPU is immune to.',
};

export function featureDocs(cpu: CpuCatalog, name: string): string | undefined {
  const f = cpu.feature(name) ?? cpu.featureForAlias(name);
  if (!f) return undefined;
  const lines = [`**${f.name}** — CPU feature (${f.arch})`];
  if (FLAG_NOTES[f.name]) lines.push('', FLAG_NOTES[f.name]);
  if (f.name !== name.toLowerCase()) lines.push('', `'${name}' is another spelling; libvirt calls it \`${f.name}\`.`);
  if (!f.migratable) lines.push('', 'Not migratable: a guest with this feature cannot be live-migrated.');
  if (f.aliases.length) lines.push('', `Other spellings: ${f.aliases.join(', ')}.`);
  lines.push('', 'In cpu_model_extra_flags: `name` or `+name` requires it, `-name` disables it.');
  return lines.join('\n');
}

/** What Nova makes of a cpuset value: the CPUs, as format_cpu_spec would write them. */
export function cpusetDocs(value: string): string {
  const r = parseNovaCpuset(value.trim().replace(/^(["'])(.*)\1$/, '$2'));
  if (!r.ok) return `Nova cannot parse this cpuset: ${r.error}`;
  const count = r.cpus.reduce((n, [a, b]) => n + b - a + 1, 0);
  return count ? `Nova reads **${formatNovaCpuset(r.cpus)}** (${count} CPU${count > 1 ? 's' : ''}; exclusions apply in any order).` : 'Nothing is left after the exclusions: nova-compute refuses to start.';
}
