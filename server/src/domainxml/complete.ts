/**
 * Completion inside our blocks: element and attribute names from the schema table,
 * enumerated values, cpu_map models (by vendor, newest generation first) and features (the
 * vendor's, common flags first), the snippets that fit where the cursor is,
 * and values computed from the document (unpinned vCPUs, uncovered vCPUs, cell ids).
 */
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver-types';
import type { Position, TextEdit } from '../core/findings';
import type { Knowledge } from '../knowledge/knowledge';
import type { DomainModel } from './model';
import { SCHEMA, TOP_BLOCKS, type ElemSpec } from './schema';
import { cursorContext } from './cursor';
import { mapArchOf } from './rules/context';
import { attr, child, childrenNamed, type XmlElement } from './scan';
import { atLeast, libvirtVersion, type LibvirtVersion } from './version';
import { LIBVIRT_90_X86_FEATURES, LIBVIRT_90_X86_MODELS } from '../knowledge/cpumap/libvirt90CpuMap';
import { formatLibvirtCpuset } from '../cpuset/libvirtCpuset';
import { merge, subtract, type Interval } from '../cpuset/intervals';
import { modelDetail, orderModels } from '../knowledge/cpumap/generations';
import { COMMON_FLAGS } from '../knowledge/cpumap/describe';
import { foreignExtension } from '../knowledge/cpumap/vendors';
import { DOMAIN_SNIPPETS, snippetItem, type Snippet } from '../core/snippets';

export function completeDomain(m: DomainModel, pos: Position, k: Knowledge): CompletionItem[] {
  const offset = m.lines.offsetAt(pos);
  const c = cursorContext(m, offset);
  const v = libvirtVersion(k.settings);
  const available = (since?: [number, number]) => !since || atLeast(v, since[0], since[1]);
  const range = (start: number, end: number) => m.lines.range(start, end);
  switch (c.kind) {
    case 'element-name': {
      const parentName = c.parent?.name;
      if (!parentName) return [];
      const names = parentName === 'domain' ? TOP_BLOCKS : (specFor(c.parent)?.children ?? []);
      // Snippets replace the `<` too; the typed text to match them against starts with it.
      const snippets = snippetsUnder(parentName).map((sn) => snippetItem(sn, range(c.start - 1, offset), 'xml', `<${firstElement(sn)} ${sn.prefix}`));
      return [...snippets, ...names.flatMap((name, i) => {
        const spec = SCHEMA[`${parentName}/${name}`];
        if (!spec || !available(spec.since)) return [];
        return [{
          label: name, kind: CompletionItemKind.Property, sortText: String(i).padStart(3, '0'),
          documentation: spec.doc, insertTextFormat: InsertTextFormat.Snippet,
          textEdit: { range: range(c.start, offset), newText: elementSnippet(name, spec) },
        }];
      })];
    }
    case 'attr-name': {
      const spec = SCHEMA[`${c.parent?.name}/${c.element}`];
      if (!spec) return [];
      return Object.entries(spec.attrs).filter(([name, a]) => !c.present.includes(name) && available(a.since)).map(([name, a], i) => ({
        label: name, kind: CompletionItemKind.Field, documentation: a.doc, sortText: `${a.required ? 0 : 1}${String(i).padStart(3, '0')}`,
        insertTextFormat: InsertTextFormat.Snippet, textEdit: { range: range(c.start, offset), newText: `${name}='$1'` },
      }));
    }
    case 'attr-value': {
      const spec = SCHEMA[`${c.parent?.name}/${c.element}`]?.attrs[c.attr];
      if (!spec) return [];
      const edit = (value: string) => ({ range: range(c.start, c.end), newText: value });
      if (spec.values) return spec.values.map((value, i) => ({ label: value, kind: CompletionItemKind.EnumMember, sortText: String(i).padStart(3, '0'), textEdit: edit(value), documentation: spec.doc }));
      if (spec.kind === 'feature') return featureItems(m, k, edit, v);
      return computedValues(m, c.element, c.attr).map((value, i) => ({ label: value.label, detail: value.detail, kind: CompletionItemKind.Value, sortText: String(i).padStart(3, '0'), textEdit: edit(value.label) }));
    }
    case 'text': {
      const spec = specFor(c.element);
      const edit = (value: string) => ({ range: range(c.start, c.end), newText: value });
      if (spec?.text === 'model') return modelItems(m, k, edit, v);
      if (spec?.text === 'vendor') return k.catalog.vendors(mapArchOf(m.arch) ?? 'x86').map((name) => ({ label: name, kind: CompletionItemKind.EnumMember, textEdit: edit(name) }));
      // Between the child elements of <domain> or <cpu>: the snippets for that place.
      if (!spec?.text) return snippetsUnder(c.element.name).map((sn) => snippetItem(sn, range(c.start, c.end), 'xml'));
      return [];
    }
    default:
      return [];
  }
}

function specFor(el: XmlElement | undefined): ElemSpec | undefined {
  return el?.parent ? SCHEMA[`${el.parent.name}/${el.name}`] : undefined;
}

/** `name attr='$1' .../>` with the required attributes, or an open/close pair when it has content. */
function elementSnippet(name: string, spec: ElemSpec): string {
  let tab = 1;
  const attrs = Object.entries(spec.attrs).filter(([, a]) => a.required).map(([n, a]) => `${n}='${a.values ? `\${${tab++}|${a.values.join(',')}|}` : `$${tab++}`}'`);
  const head = [name, ...attrs].join(' ');
  if (spec.children.length === 0 && !spec.text) return `${head}/>`;
  return `${head}>$0</${name}>`;
}

/** Under libvirt 9.0 only the names its own cpu_map has (newer ones fail at start). */
const knownTo = (v: LibvirtVersion, arch: string, names: ReadonlySet<string>) => (name: string) => !(arch === 'x86' && v.major === 9 && v.minor === 0) || names.has(name);

function modelItems(m: DomainModel, k: Knowledge, edit: (v: string) => TextEdit, v: LibvirtVersion): CompletionItem[] {
  const arch = mapArchOf(m.arch) ?? 'x86';
  const ok = knownTo(v, arch, LIBVIRT_90_X86_MODELS);
  const models = k.catalog.models(arch).filter((model) => ok(model.name));
  return orderModels(models, k.catalog.vendors(arch)).map((o) => ({
    label: o.model.name, kind: CompletionItemKind.Class, detail: modelDetail(o), sortText: o.sortText, textEdit: edit(o.model.name),
  }));
}

/**
 * Features for <feature name=''>: not the ones listed already, not the other vendor's
 * virtualization features (by <vendor>, else the model's vendor); common flags first, then the
 * ones the model lacks (policy='require' adds them), then the ones it has.
 */
function featureItems(m: DomainModel, k: Knowledge, edit: (v: string) => TextEdit, v: LibvirtVersion): CompletionItem[] {
  const arch = mapArchOf(m.arch) ?? 'x86';
  const ok = knownTo(v, arch, LIBVIRT_90_X86_FEATURES);
  const modelName = child(m.cpu, 'model')?.text.trim() ?? '';
  const model = modelName ? k.catalog.model(modelName, arch) : undefined;
  const named = child(m.cpu, 'vendor')?.text.trim();
  const vendor = named && k.catalog.vendors(arch).includes(named) ? named : model?.vendor;
  const inModel = new Set(model?.features ?? []);
  const listed = new Set(childrenNamed(m.cpu, 'feature').map((f) => attr(f, 'name')?.value));
  return k.catalog.features(arch).filter((f) => !listed.has(f.name) && ok(f.name) && !foreignExtension(f, vendor)).map((f) => ({
    label: f.name, kind: CompletionItemKind.EnumMember,
    detail: [inModel.has(f.name) ? `in ${model!.name}: policy='disable' removes it` : model ? `not in ${model.name}: policy='require' adds it` : '', f.migratable ? '' : 'blocks migration'].filter(Boolean).join('; ') || undefined,
    sortText: `${COMMON_FLAGS.has(f.name) ? 0 : 1}${inModel.has(f.name) ? 1 : 0}${f.name}`,
    filterText: [f.name, ...f.aliases].join(' '),
    textEdit: edit(f.name),
  }));
}

/** Snippets whose first element belongs directly under `parent` (<cpu> under <domain>, <numa> under <cpu>). */
function snippetsUnder(parent: string): Snippet[] {
  return DOMAIN_SNIPPETS.filter((sn) => {
    const first = firstElement(sn);
    return parent === 'domain' ? TOP_BLOCKS.includes(first) : SCHEMA[`${parent}/${first}`] !== undefined;
  });
}

const firstElement = (sn: Snippet) => /^<([\w:-]+)/.exec(sn.body)?.[1] ?? '';

/** Values that depend on the document: free vCPU ids, uncovered vCPUs, existing cells/iothreads. */
function computedValues(m: DomainModel, element: string, attrName: string): Array<{ label: string; detail?: string }> {
  const all: Interval[] = m.maxVcpus ? [[0, m.maxVcpus - 1]] : [[0, 0]];
  // Offer at most this many single ids: a list, not an enumeration of what <vcpu> says.
  const ids = (set: Interval[]) => idsUpTo(set, 4096);
  if (element === 'vcpupin' && attrName === 'vcpu') {
    const pinned = new Set(childrenNamed(m.cputune, 'vcpupin').map((p) => attr(p, 'vcpu')?.value));
    return ids(all).filter((i) => !pinned.has(String(i))).map((i) => ({ label: String(i), detail: 'vCPU not pinned yet' }));
  }
  if (element === 'cell' && attrName === 'cpus') {
    const free = subtract(all, merge(m.cells.flatMap((c) => c.cpus)));
    return free.length ? [{ label: formatLibvirtCpuset(free), detail: 'vCPUs in no cell yet' }] : [];
  }
  if (element === 'memnode' && attrName === 'cellid') return m.cells.map((c) => ({ label: String(c.id ?? c.index), detail: 'guest NUMA cell' }));
  if (element === 'iothreadpin' && attrName === 'iothread') return ids(m.iothreads).map((i) => ({ label: String(i), detail: 'iothread' }));
  if ((element === 'vcpusched' || element === 'cachetune' || element === 'memorytune') && attrName === 'vcpus') return [{ label: formatLibvirtCpuset(all), detail: 'all vCPUs' }];
  return [];
}

/** The first `limit` ids of a set. */
function idsUpTo(set: Interval[], limit: number): number[] {
  const out: number[] = [];
  for (const [a, b] of set) for (let i = a; i <= b && out.length < limit; i++) out.push(i);
  return out;
}
