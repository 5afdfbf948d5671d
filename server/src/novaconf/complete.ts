/**
 * Completion: section names, the keys of the section (type, default, summary), and values:
 * choices, booleans, CPU models (by vendor, newest first, with year and feature counts), feature
 * flags (common ones first, not the other vendor's), options not yet set, and the snippets.
 */
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { Position } from '../core/findings';
import type { CpuCatalog, CpuFeature } from '../knowledge/cpumap/types';
import type { NovaOption } from '../knowledge/nova/catalog';
import { cursorAt } from './cursor';
import { listItems } from './values';
import { modelDetail, orderModels } from '../knowledge/cpumap/generations';
import { COMMON_FLAGS } from '../knowledge/cpumap/describe';
import { foreignExtension, vendorExtension } from '../knowledge/cpumap/vendors';
import { NOVA_SNIPPETS, snippetItem } from '../core/snippets';
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

/** Keys the file already sets in this group (on other lines than the cursor's): not offered again. */
function keysSet(model: NovaConfModel, group: string, line: number): Set<string> {
  const set = new Set<string>();
  for (const e of model.scan.entries) if (e.section?.group === group && e.line !== line) set.add(e.key);
  return set;
}

function keys(model: NovaConfModel, group: string, range: ReturnType<NovaConfModel['lines']['range']>, hasSeparator: boolean, line: number): CompletionItem[] {
  const set = keysSet(model, group, line);
  // A repeatable (MultiStrOpt) option may be set again.
  const open = (name: string, type?: string) => !set.has(name) || type === 'multi' || type === 'multistr';
  const ours = model.catalog.options(group).filter((o) => open(o.name, o.type));
  if (!ours.length) {
    // Another Nova group: its options as Nova 26 defines them (type, choices, deprecations).
    return model.catalog.candidateNames(group).flatMap((name) => {
      const o = model.catalog.zedOption(group, name);
      if (!open(name, o?.oslo?.k)) return [];
      return [{
        label: name, kind: CompletionItemKind.Property, detail: o ? optionDetail(o) : 'Nova option',
        documentation: o ? md(optionDocs(o, model.catalog)) : undefined,
        tags: o?.deprecatedForRemoval ? [CompletionItemTag.Deprecated] : undefined,
        sortText: `${o?.deprecatedForRemoval ? 'z' : 'a'}${name}`,
        textEdit: { range, newText: hasSeparator ? name : `${name} = ` },
      }];
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

/** CPU model items, cached per catalog: by vendor, newest generation first (generations.ts). */
const modelItemCache = new WeakMap<CpuCatalog, CompletionItem[]>();
function modelItems(cpu: CpuCatalog): CompletionItem[] {
  let items = modelItemCache.get(cpu);
  if (!items) {
    items = orderModels(cpu.models('x86'), cpu.vendors('x86')).map((o) => ({
      label: o.model.name, kind: CompletionItemKind.Class, detail: modelDetail(o), sortText: o.sortText,
    }));
    modelItemCache.set(cpu, items);
  }
  return items;
}

interface FlagItem { item: CompletionItem; feature: CpuFeature }
const featureItemCache = new WeakMap<CpuCatalog, FlagItem[]>();
function featureItems(cpu: CpuCatalog): FlagItem[] {
  let items = featureItemCache.get(cpu);
  if (!items) {
    items = cpu.features('x86').map((f) => ({
      feature: f,
      item: {
        label: f.name, kind: CompletionItemKind.EnumMember, sortText: `${COMMON_FLAGS.has(f.name) ? 0 : 1}${f.name}`,
        detail: f.migratable ? 'CPU feature' : 'CPU feature · blocks live migration',
      },
    }));
    featureItemCache.set(cpu, items);
  }
  return items;
}

/** The vendor of every model cpu_models lists, when they share one virtualization extension. */
function modelsVendor(model: NovaConfModel, group: string, cpu: CpuCatalog): string | undefined {
  const entries = model.occurrences.get(`${group}\0cpu_models`) ?? model.occurrences.get(`${group}\0cpu_model`) ?? [];
  const last = entries[entries.length - 1];
  const vendors = new Set((last ? listItems(last.value) : []).map((i) => cpu.model(i.text, 'x86')?.vendor).filter((v) => v !== undefined));
  const exts = new Set([...vendors].map(vendorExtension));
  return exts.size === 1 && !exts.has(undefined) ? [...vendors][0] : undefined;
}

function valueItems(model: NovaConfModel, group: string, option: NovaOption, item: string, cpu: CpuCatalog | undefined): CompletionItem[] {
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
    // The other vendor's virtualization flags are never right for these models (rules/vendor.ts).
    const vendor = modelsVendor(model, group, cpu);
    const base = featureItems(cpu).filter((f) => !foreignExtension(f.feature, vendor)).map((f) => f.item);
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
    case 'key': {
      // Snippets only where a line starts, never in a value (after `key =`).
      const snippets = c.hasSeparator ? [] : NOVA_SNIPPETS.map((sn) => snippetItem(sn, lines.range(c.start, c.end), 'ini'));
      return [...(c.group ? keys(model, c.group, lines.range(c.start, c.end), c.hasSeparator, position.line) : []), ...snippets];
    }
    case 'value': {
      if (!c.group) return [];
      const option = model.catalog.option(c.group, c.key) ?? model.catalog.aliasTarget(c.group, c.key);
      if (!option || option.cpuset) return [];
      const list = option.type === 'list';
      const range = list ? lines.range(c.itemStart, c.itemEnd) : lines.range(c.start, c.end);
      return valueItems(model, c.group, option, list ? c.item : c.text, cpu).map((i) => ({ ...i, textEdit: { range, newText: i.label }, insertTextFormat: InsertTextFormat.PlainText }));
    }
    default:
      return [];
  }
}
