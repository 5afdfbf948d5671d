/**
 * Completion: section names, the keys of the section (type, default, summary), and values:
 * choices, booleans, CPU models (by vendor, oldest first, with feature counts) and feature flags.
 */
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { Position } from '../core/findings';
import type { CpuCatalog } from '../knowledge/cpumap/types';
import type { NovaOption } from '../knowledge/nova/catalog';
import { cursorAt } from './cursor';
import { GROUP_NOTES, optionDetail, optionDocs } from './docs';
import type { NovaConfModel } from './model';

const md = (value: string) => ({ kind: MarkupKind.Markdown, value });

function sections(model: NovaConfModel, range: ReturnType<NovaConfModel['lines']['range']>): CompletionItem[] {
  const ours = model.catalog.groups();
  const others = model.catalog.novaGroups().filter((g) => !ours.includes(g));
  return [...ours, ...others].map((g, i) => ({
    label: g, kind: CompletionItemKind.Module, sortText: String(i).padStart(3, '0'),
    detail: ours.includes(g) ? 'Nova group (CPU settings checked)' : 'Nova group',
    documentation: GROUP_NOTES[g] ? md(GROUP_NOTES[g]) : undefined,
    textEdit: { range, newText: g },
  }));
}

function keys(model: NovaConfModel, group: string, range: ReturnType<NovaConfModel['lines']['range']>, hasSeparator: boolean): CompletionItem[] {
  const ours = model.catalog.options(group);
  if (!ours.length) {
    // Another Nova group: its options as Nova 26 defines them (type, choices, deprecations).
    return model.catalog.candidateNames(group).map((name) => {
      const o = model.catalog.zedOption(group, name);
      return {
        label: name, kind: CompletionItemKind.Property, detail: o ? optionDetail(o) : 'Nova option',
        documentation: o ? md(optionDocs(o, model.catalog)) : undefined,
        tags: o?.deprecatedForRemoval ? [CompletionItemTag.Deprecated] : undefined,
        sortText: `${o?.deprecatedForRemoval ? 'z' : 'a'}${name}`,
        textEdit: { range, newText: hasSeparator ? name : `${name} = ` },
      };
    });
  }
  return ours.map((o) => ({
    label: o.name, kind: CompletionItemKind.Property, detail: optionDetail(o),
    documentation: md(optionDocs(o, model.catalog)),
    tags: o.deprecatedForRemoval ? [CompletionItemTag.Deprecated] : undefined,
    // Deprecated options sort last.
    sortText: `${o.deprecatedForRemoval ? 'z' : 'a'}${o.name}`,
    textEdit: { range, newText: hasSeparator ? o.name : `${o.name} = ` },
    command: hasSeparator ? undefined : { title: 'Suggest values', command: 'editor.action.triggerSuggest' },
  }));
}

/** CPU model items, cached per catalog: grouped by vendor in map order (oldest first). */
const modelItemCache = new WeakMap<CpuCatalog, CompletionItem[]>();
function modelItems(cpu: CpuCatalog): CompletionItem[] {
  let items = modelItemCache.get(cpu);
  if (items) return items;
  const vendors: string[] = [];
  items = cpu.models('x86').map((m, i) => {
    const vendor = m.vendor ?? 'other';
    if (!vendors.includes(vendor)) vendors.push(vendor);
    const v = m.canonicalOf ? 9 : vendors.indexOf(vendor);
    return {
      label: m.name, kind: CompletionItemKind.Class,
      detail: m.canonicalOf ? `same as ${m.canonicalOf}` : `${vendor} · ${m.features.length} features`,
      sortText: `${v}${String(i).padStart(4, '0')}`,
    };
  });
  modelItemCache.set(cpu, items);
  return items;
}

const featureItemCache = new WeakMap<CpuCatalog, CompletionItem[]>();
function featureItems(cpu: CpuCatalog): CompletionItem[] {
  let items = featureItemCache.get(cpu);
  if (!items) {
    items = cpu.features('x86').map((f) => ({
      label: f.name, kind: CompletionItemKind.EnumMember,
      detail: f.migratable ? 'CPU feature' : 'CPU feature · blocks live migration',
    }));
    featureItemCache.set(cpu, items);
  }
  return items;
}

function valueItems(option: NovaOption, item: string, cpu: CpuCatalog | undefined): CompletionItem[] {
  if (option.choices) {
    return option.choices.map((c, i) => ({
      label: String(c.value), kind: CompletionItemKind.EnumMember, sortText: String(i).padStart(2, '0'),
      documentation: c.meaning ? md(c.meaning) : undefined, detail: `${option.name} choice`,
    }));
  }
  if (option.type === 'bool') return ['true', 'false'].map((label) => ({ label, kind: CompletionItemKind.Keyword }));
  if (!cpu) return [];
  if (option.name === 'cpu_models' || option.name === 'cpu_model') return modelItems(cpu);
  if (option.name === 'cpu_model_extra_flags') {
    const prefix = /^[+-]/.exec(item)?.[0] ?? '';
    const base = featureItems(cpu);
    return prefix ? base.map((b) => ({ ...b, label: prefix + b.label, filterText: prefix + b.label })) : base;
  }
  return [];
}

export function complete(model: NovaConfModel, position: Position, cpu: CpuCatalog | undefined): CompletionItem[] {
  const c = cursorAt(model, position);
  const { lines } = model;
  switch (c.kind) {
    case 'section':
      return sections(model, lines.range(c.start, c.end));
    case 'key':
      return c.group ? keys(model, c.group, lines.range(c.start, c.end), c.hasSeparator) : [];
    case 'value': {
      if (!c.group) return [];
      const option = model.catalog.option(c.group, c.key) ?? model.catalog.aliasTarget(c.group, c.key);
      if (!option || option.cpuset) return [];
      const list = option.type === 'list';
      const range = list ? lines.range(c.itemStart, c.itemEnd) : lines.range(c.start, c.end);
      return valueItems(option, list ? c.item : c.text, cpu).map((i) => ({ ...i, textEdit: { range, newText: i.label }, insertTextFormat: InsertTextFormat.PlainText }));
    }
    default:
      return [];
  }
}
