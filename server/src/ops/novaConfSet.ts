/**
 * A nova.conf config set as the planner reads it: the files in Nova's read order (nova.conf,
 * nova-compute.conf, nova.conf.d/*.conf, see novaconf/configSet.ts) parsed once into the model
 * every rule uses, and Nova's reading of the [libvirt] CPU options (which file and line wins).
 */
import { LineIndex } from '../core/lineIndex';
import type { Knowledge } from '../knowledge/knowledge';
import type { NovaOption } from '../knowledge/nova/catalog';
import { releaseLabel } from '../knowledge/nova/releases';
import { buildModel, memberScan, occurrencesInSet, type NovaConfModel } from '../novaconf/model';
import { RuleContext, listItemsOf, type Setting } from '../novaconf/rules/context';
import type { Entry, Scan } from '../novaconf/scan';
import type { EffectiveSetting, FileSnapshot, NovaCpuConfig, SettingSource } from './types';

export interface NovaConfSet {
  files: readonly FileSnapshot[];
  /** The set's model: every file a member (labelled by its path), read in order. */
  model: NovaConfModel;
  ctx: RuleContext;
  major: number;
  /** The index of the file an entry of the model is in. */
  fileOf(e: Entry): number;
  /** Scan per file (for sections without entries): the one the model was built from. */
  scan(index: number): Scan;
}

/**
 * Every file is a member of an empty document's set, labelled by its path: the members are parsed
 * once per text (novaconf/configSetMembers.ts), so judging the result with analyze() reuses the
 * parse of each file the plan leaves unchanged. Paths must be unique.
 */
export function readSet(files: readonly FileSnapshot[], knowledge: Knowledge): NovaConfSet {
  if (files.length === 0) throw new Error('a config set has at least one file');
  const index = new Map(files.map((f, i) => [f.path, i]));
  if (index.size !== files.length) throw new Error('a config set names each file once');
  const related = { before: files.map((f) => ({ label: f.path, text: f.text })), after: [] };
  const model = buildModel('', new LineIndex(''), knowledge.nova, related);
  return {
    files, model, ctx: new RuleContext(model, knowledge.catalog), major: model.release.release.major,
    fileOf: (e) => index.get(e.origin!.label)!,
    scan: (i) => memberScan(files[i].path, files[i].text).scan,
  };
}

export interface Occurrence { file: number; entry: Entry }

/** Every occurrence of an option in [libvirt] under any of `names`, in read order. */
export function occurrences(set: NovaConfSet, group: string, names: readonly string[]): Occurrence[] {
  const perName = names.map((n) => occurrencesInSet(set.model, group, n));
  const out: Occurrence[] = [];
  for (let file = 0; file < set.files.length; file++) {
    for (const list of perName) for (const entry of list[file]) out.push({ file, entry });
  }
  return out.sort((a, b) => a.file - b.file || a.entry.start - b.entry.start);
}

/** The names oslo.config reads an option under in this release (current first). */
export function namesOf(option: NovaOption | undefined): string[] {
  return option ? [option.name, ...(option.deprecatedName ? [option.deprecatedName] : [])] : [];
}

/** The models option of this release: cpu_models (old name cpu_model) from Train, cpu_model before. */
export function modelsOption(set: NovaConfSet): NovaOption {
  return (set.ctx.catalog.option('libvirt', 'cpu_models') ?? set.ctx.catalog.option('libvirt', 'cpu_model'))!;
}

export function sourceOf(set: NovaConfSet, e: Entry): SettingSource {
  return { path: set.files[set.fileOf(e)].path, line: e.line, lastLine: e.lastLine, key: e.key };
}

function effective<T>(set: NovaConfSet, s: Setting, value: T): EffectiveSetting<T> {
  return { value, raw: s.entry?.value, source: s.entry ? sourceOf(set, s.entry) : undefined, valid: s.valid };
}

const listOf = (s: Setting): string[] => (s.entry && s.valid ? listItemsOf(s.entry).map((i) => i.text).filter((t) => t !== '') : []);

/** The [libvirt] CPU settings nova-compute would use, and where each comes from. */
export function cpuConfigOf(set: NovaConfSet): NovaCpuConfig {
  const virt = set.ctx.get('libvirt', 'virt_type');
  const mode = set.ctx.get('libvirt', 'cpu_mode');
  const models = set.ctx.get('libvirt', modelsOption(set).name);
  const flags = set.ctx.get('libvirt', 'cpu_model_extra_flags');
  const virtType = String(virt.value ?? 'kvm');
  const modeValue = mode.value === null || mode.value === undefined ? null : String(mode.value);
  const kvmQemu = virtType === 'kvm' || virtType === 'qemu';
  // Before Train cpu_model is one string; from Train a list.
  const modelList = modelsOption(set).type === 'list' ? listOf(models) : models.entry && models.valid && models.entry.value ? [models.entry.value] : [];
  return {
    release: releaseLabel(set.model.release.release),
    virtType: effective(set, virt, virtType),
    mode: effective(set, mode, modeValue),
    effectiveMode: modeValue ?? (kvmQemu ? 'host-model' : 'none'),
    models: effective(set, models, modelList),
    extraFlags: effective(set, flags, flags.option ? listOf(flags) : []),
  };
}

/** The effective CPU configuration of a config set (files in Nova's read order). */
export function readNovaCpuConfig(files: readonly FileSnapshot[], knowledge: Knowledge): NovaCpuConfig {
  return cpuConfigOf(readSet(files, knowledge));
}
