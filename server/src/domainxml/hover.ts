/**
 * Hover: the schema table's docs for elements, attributes and values; for <cpu> the
 * effective guest feature set, for <model> the model's vendor and features, for a feature
 * what cpu_map knows about it.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { Position } from '../core/findings';
import type { Knowledge } from '../knowledge/knowledge';
import type { CpuCatalog, MapArch } from '../knowledge/cpumap/types';
import type { DomainModel } from './model';
import { SCHEMA, inBlocks } from './schema';
import { containerAt, tagAt } from './cursor';
import { mapArchOf } from './rules/context';
import { attr, child, childrenNamed } from './scan';
import { formatLibvirtCpuset, parseLibvirtCpuset } from '../cpuset/libvirtCpuset';
import { countIds, merge } from '../cpuset/intervals';
import { quoteValue } from '../core/findingCap';
import { mdElement, mdText } from '../core/markdown';
import { describeFeature, describeModel, type UseHint } from '../knowledge/cpumap/describe';

export function hoverDomain(m: DomainModel, pos: Position, k: Knowledge): Hover | null {
  const offset = m.lines.offsetAt(pos);
  const arch = mapArchOf(m.arch) ?? 'x86';
  const md = (value: string, start: number, end: number): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: m.lines.range(start, end) });
  const tag = tagAt(m, offset);
  if (tag && tag.el.parent && inBlocks(tag.el)) {
    const spec = SCHEMA[`${tag.el.parent.name}/${tag.el.name}`];
    if (!spec) return null;
    const a = tag.attr;
    if (!a) {
      let body = `**${mdElement(tag.el.name)}** — ${mdText(spec.doc)}`;
      if (tag.el.name === 'cpu' && tag.el === m.cpu) body += `\n\n${effectiveFeatures(m, k.catalog, arch)}`;
      if (tag.el.name === 'numa' && tag.el === m.numa) body += `\n\n${numaSummary(m)}`;
      return md(body, tag.el.start + 1, tag.el.nameEnd);
    }
    const as = spec.attrs[a.name];
    if (!as) return null;
    if (tag.onValue && as.kind === 'feature') {
      const info = featureInfo(k.catalog, a.value, arch);
      return md(info, a.valueStart, a.valueEnd);
    }
    if (tag.onValue && as.kind && SET_KINDS.has(as.kind)) return md(setInfo(a.value, as.kind), a.valueStart, a.valueEnd);
    const values = as.values ? `\n\nValues: ${as.values.map((v) => `\`${v}\``).join(', ')}` : '';
    return md(`**\`${a.name}\`** (on ${mdElement(tag.el.name)}) — ${mdText(as.doc)}${values}`, a.nameStart, tag.onValue ? a.valueEnd : a.nameEnd);
  }
  const el = containerAt(m.scan.root, offset);
  if (el && el.name === 'model' && el.parent === m.cpu && el.textEnd > el.textStart && offset >= el.textStart && offset <= el.textEnd) {
    return md(modelInfo(m, k.catalog, el.text.trim(), arch), el.textStart, el.textEnd);
  }
  return null;
}

const SET_KINDS = new Set(['hostCpuset', 'vcpuSet', 'hostNodeset', 'iothreadSet']);
const SET_NOUN: Record<string, string> = { hostCpuset: 'host CPUs', vcpuSet: 'guest vCPUs', hostNodeset: 'host NUMA nodes', iothreadSet: 'iothreads' };

/** What a list means once libvirt has read it (its `^N` only removes ids listed before it). */
function setInfo(value: string, kind: string): string {
  const p = parseLibvirtCpuset(value);
  const quoted = quoteValue(value);
  if (!p.ok) return p.error === 'empty' ? `\`${quoted}\` leaves no ${SET_NOUN[kind]} at all.` : `\`${quoted}\` is not a valid list.`;
  const count = countIds(p.set);
  const shown = count > 64 ? quoteValue(formatLibvirtCpuset(p.set)) : p.set.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)).join(', ');
  return `**${count} ${SET_NOUN[kind]}**: ${shown}${value.includes('^') ? '\n\nlibvirt applies `^N` left to right, and only to ids listed before it.' : ''}`;
}

/** How domain XML adds a feature: a required <feature>. */
const XML_USE: UseHint = { addFeature: (name) => `add \`<feature policy='require' name='${name}'/>\`` };

/** The features this <cpu> puts on top of its model (require/force; a missing policy is require). */
function requiredFeatures(m: DomainModel): Set<string> {
  return new Set(childrenNamed(m.cpu, 'feature').filter((f) => ['require', 'force'].includes(attr(f, 'policy')?.value ?? 'require')).map((f) => attr(f, 'name')?.value ?? ''));
}

function modelInfo(m: DomainModel, catalog: CpuCatalog, name: string, arch: MapArch): string {
  const model = catalog.model(name, arch);
  if (!model) return `\`${quoteValue(name)}\` is not a CPU model in libvirt's cpu_map.`;
  return `${describeModel(catalog, model, requiredFeatures(m), XML_USE)}\n\nAll ${model.features.length} features: ${model.features.join(', ')}`;
}

function featureInfo(catalog: CpuCatalog, name: string, arch: MapArch): string {
  const f = catalog.feature(name, arch);
  if (!f) {
    const alias = catalog.featureForAlias(name, arch);
    return alias ? `\`${quoteValue(name)}\` is QEMU's spelling: libvirt calls it \`${alias.name}\` (other spellings are not valid in domain XML).` : `\`${quoteValue(name)}\` is not a feature in libvirt's cpu_map.`;
  }
  return `${describeFeature(catalog, f, name)}\n\nIn domain XML: \`policy='require'\` adds it, \`'disable'\` removes it, \`'optional'\` adds it where the host has it.`;
}

/** What the cells add up to, against <vcpu> and <memory>. */
function numaSummary(m: DomainModel): string {
  const cpus = merge(m.cells.flatMap((c) => c.cpus));
  const kib = m.cells.reduce((s, c) => s + (c.memoryKiB ?? 0), 0);
  const rows = m.cells.map((c) => `| ${c.id ?? '?'} | ${c.cpus.length ? quoteValue(formatLibvirtCpuset(c.cpus)) : '—'} | ${c.memoryKiB ?? '?'} KiB |`);
  return [`**${m.cells.length} cells**: vCPUs ${cpus.length ? quoteValue(formatLibvirtCpuset(cpus)) : 'none'} of ${m.maxVcpus ?? '?'}; ${kib} KiB of ${mdElement('memory')} ${m.memoryKiB ?? '?'} KiB`,
    '', '| cell | vCPUs | memory |', '|---|---|---|', ...rows.slice(0, 64)].join('\n');
}

/** Model features + force/require/optional − disable/forbid, as the guest will see them. */
export function effectiveFeatures(m: DomainModel, catalog: CpuCatalog, arch: MapArch): string {
  const cpu = m.cpu!;
  const mode = attr(cpu, 'mode')?.value ?? 'custom';
  const modelName = child(cpu, 'model')?.text.trim() ?? '';
  const feats = childrenNamed(cpu, 'feature').map((f) => ({ name: attr(f, 'name')?.value ?? '', policy: attr(f, 'policy')?.value ?? 'require' }));
  const added = feats.filter((f) => ['force', 'require'].includes(f.policy)).map((f) => f.name);
  const optional = feats.filter((f) => f.policy === 'optional').map((f) => f.name);
  const removed = feats.filter((f) => ['disable', 'forbid'].includes(f.policy)).map((f) => f.name);
  const delta = [added.length ? `plus ${added.join(', ')}` : '', optional.length ? `plus if the host has them: ${optional.join(', ')}` : '', removed.length ? `minus ${removed.join(', ')}` : ''].filter(Boolean).join('; ');
  if (mode !== 'custom') return `**Effective CPU:** the ${mode === 'host-model' ? 'host-model CPU (closest cpu_map model to this host, plus its extra features)' : 'host CPU as is'}${delta ? `; ${delta}` : ''}.`;
  if (!modelName) return '**Effective CPU:** the hypervisor default (qemu64 on x86).';
  const model = catalog.model(modelName, arch);
  if (!model) return `**Effective CPU:** unknown model \`${quoteValue(modelName)}\`.`;
  const set = new Set(model.features);
  for (const f of added) set.add(f);
  for (const f of removed) set.delete(f);
  return `**Effective CPU features** (${model.name}${delta ? `; ${delta}` : ''}): ${set.size}\n\n${[...set].sort().join(', ')}`;
}

