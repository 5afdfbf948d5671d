/**
 * The words completion and hover share: option docs, model and flag descriptions. Written by us;
 * option summaries come from the generated catalog (also ours).
 */
import type { CpuCatalog, CpuModel } from '../knowledge/cpumap/types';
import { describeFeature, describeModel, type UseHint } from '../knowledge/cpumap/describe';
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
  const range = o.min !== undefined && o.max !== undefined ? `Between ${o.min} and ${o.max}.` : o.min !== undefined ? `At least ${o.min}.` : o.max !== undefined ? `At most ${o.max}.` : '';
  if (range) lines.push('', range);
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

/** How nova.conf adds a feature: the extra flags. */
const NOVA_USE: UseHint = { addFeature: (name) => `add \`${name}\` to \`cpu_model_extra_flags\`` };

/** A cpu_models entry: the shared model facts, judged with this file's extra flags. */
export function modelDocs(cpu: CpuCatalog, model: CpuModel, flags: ReadonlySet<string>): string {
  return describeModel(cpu, model, flags, NOVA_USE);
}

/** A cpu_model_extra_flags entry (without its +/- prefix). */
export function featureDocs(cpu: CpuCatalog, name: string): string | undefined {
  const f = cpu.feature(name, 'x86') ?? cpu.featureForAlias(name, 'x86');
  if (!f) return undefined;
  return `${describeFeature(cpu, f, name)}\n\nIn \`cpu_model_extra_flags\`: \`${f.name}\` or \`+${f.name}\` requires it, \`-${f.name}\` disables it.`;
}

/** What Nova makes of a cpuset value: the CPUs, as format_cpu_spec would write them. */
export function cpusetDocs(value: string): string {
  const r = parseNovaCpuset(value.trim().replace(/^(["'])(.*)\1$/, '$2'));
  if (!r.ok) return `Nova cannot parse this cpuset: ${r.error}`;
  const count = r.cpus.reduce((n, [a, b]) => n + b - a + 1, 0);
  return count ? `Nova reads **${formatNovaCpuset(r.cpus)}** (${count} CPU${count > 1 ? 's' : ''}; exclusions apply in any order).` : 'Nothing is left after the exclusions: nova-compute refuses to start.';
}
