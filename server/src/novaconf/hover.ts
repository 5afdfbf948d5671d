/** Hover: option docs on keys, meanings on choices, models and flags on list items, groups on headers. */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { Position } from '../core/findings';
import type { CpuCatalog } from '../knowledge/cpumap/types';
import { cursorAt } from './cursor';
import { cpusetDocs, featureDocs, GROUP_NOTES, modelDocs, optionDocs } from './docs';
import type { NovaConfModel } from './model';
import { listItems } from './values';

/** The flags this file's cpu_model_extra_flags adds (not the `-` ones), lower-cased as Nova reads them. */
function extraFlags(model: NovaConfModel, group: string): Set<string> {
  const entries = model.occurrences.get(`${group}\0cpu_model_extra_flags`) ?? [];
  const last = entries[entries.length - 1];
  return new Set((last ? listItems(last.value) : []).map((i) => i.text.toLowerCase()).filter((t) => !t.startsWith('-')).map((t) => t.replace(/^\++/, '')));
}

export function hover(model: NovaConfModel, position: Position, cpu: CpuCatalog | undefined): Hover | null {
  const c = cursorAt(model, position);
  const { lines, catalog } = model;
  const answer = (value: string, start: number, end: number): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: lines.range(start, end) });
  if (c.kind === 'section') {
    const group = c.text === 'DEFAULT' ? c.text : c.text.toLowerCase();
    const note = GROUP_NOTES[group];
    return note ? answer(`**[${group}]**\n\n${note}`, c.start, c.end) : null;
  }
  if (c.kind === 'key' && c.group) {
    const o = catalog.option(c.group, c.text) ?? catalog.aliasTarget(c.group, c.text) ?? catalog.zedOption(c.group, c.text);
    if (!o) return null;
    const alias = o.name !== c.text || o.group !== c.group ? `\`${c.text}\` is the old name of this option.\n\n` : '';
    return answer(alias + optionDocs(o, catalog), c.start, c.end);
  }
  if (c.kind === 'value' && c.group) {
    const o = catalog.option(c.group, c.key) ?? catalog.aliasTarget(c.group, c.key);
    if (!o) return null;
    const item = c.item;
    const choice = o.choices?.find((ch) => String(ch.value) === (o.type === 'list' ? item : c.text.trim()));
    if (choice) return answer(`**${choice.value}** — ${choice.meaning ?? `a choice of ${o.name}`}`, o.type === 'list' ? c.itemStart : c.start, o.type === 'list' ? c.itemEnd : c.end);
    if (o.cpuset) return answer(cpusetDocs(c.text), c.start, c.end);
    if (!cpu || !item) return null;
    if (o.name === 'cpu_models' || o.name === 'cpu_model') {
      const m = cpu.model(item, 'x86');
      return m ? answer(modelDocs(cpu, m, extraFlags(model, c.group)), c.itemStart, c.itemEnd) : null;
    }
    if (o.name === 'cpu_model_extra_flags') {
      const docs = featureDocs(cpu, item.replace(/^[+-]+/, ''));
      const prefix = item.startsWith('-') ? 'Disabled here (`-`).\n\n' : '';
      return docs ? answer(prefix + docs, c.itemStart, c.itemEnd) : null;
    }
  }
  return null;
}
