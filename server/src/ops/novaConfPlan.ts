/**
 * The nova.conf CPU-mode change planner: from a config set as read (files in Nova's read order)
 * and the wanted mode, the minimal edit of each file. Pure: no I/O.
 *
 * - Every occurrence Nova could read is changed (a later file, or a later line, wins; an earlier
 *   one takes over if the winner is ever removed), under the old name too (cpu_model is renamed
 *   to cpu_models from Train on). A value with continuation lines is one logical entry and is
 *   replaced whole; a single-line value is replaced in place (quotes and spacing kept).
 * - A key set nowhere is added next to cpu_mode, else after the [libvirt] virt_type Nova reads,
 *   else at the end of the last [libvirt] section of the set; a [libvirt] section is created
 *   (in the first file) only when no file has one.
 * - What the new mode forbids is removed (every occurrence); what it makes useless is a question.
 * - The result is judged by our own diagnostics (validate.ts): any error refuses the plan.
 */
import type { Knowledge } from '../knowledge/knowledge';
import { novaMessages, TRAIN } from '../novaconf/messages';
import { memberScan, seedMemberScan } from '../novaconf/model';
import { spliceScan, type Entry } from '../novaconf/scan';
import { cpuConfigOf, modelsOption, namesOf, occurrences, readSet, type NovaConfSet, type Occurrence } from './novaConfSet';
import { flagsUse, ignoredWhy, modelsUse, type PolicyInput } from './novaModePolicy';
import { applySplices, deleteLinesAt, eolOf, type Splice } from './splices';
import type { CpuModeChange, FileEdit, FileSnapshot, NovaCpuMode, Plan, PlanQuestion } from './types';
import { judge } from './validate';
import { detectDeployTool } from '../deploytools/detect';
import { generatedWarning, toolChangeLines, translateChange } from '../deploytools/translate';

const MODES: readonly string[] = ['host-passthrough', 'host-model', 'custom', 'maximum', 'none'] satisfies NovaCpuMode[];
/** cpu_map model names (Haswell-noTSX-IBRS, Opteron_G5, 486, POWER9, cortex-a57) and QEMU's max. */
const MODEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** libvirt feature names, with Nova's optional +/- prefix. */
const FLAG_NAME = /^[+-]?[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Refuses input that cannot become a line of nova.conf as meant (newlines, commas, spaces...). */
function inputProblem(change: CpuModeChange): string | undefined {
  if (!MODES.includes(change.mode)) return `cpu_mode: '${String(change.mode)}' is not a mode (host-passthrough, host-model, custom, none).`;
  const bad = (change.models ?? []).find((m) => !MODEL_NAME.test(m));
  if (bad !== undefined) return `cpu_models: ${JSON.stringify(bad)} is not a CPU model name (letters, digits, '_', '.', '-').`;
  const badFlag = (change.extraFlags ?? []).find((f) => !FLAG_NAME.test(f));
  if (badFlag !== undefined) return `cpu_model_extra_flags: ${JSON.stringify(badFlag)} is not a CPU flag name (an optional + or -, then letters, digits, '_', '.', '-').`;
  return undefined;
}

function refusedPlan(refused: string): Plan {
  return { edits: [], questions: [], findings: [], refused, summary: [] };
}

/** Collects the edits of every file, and what they mean in words. */
class Editor {
  readonly splices = new Map<number, Splice[]>();
  readonly summary: string[] = [];
  constructor(readonly set: NovaConfSet) {}

  private add(file: number, s: Splice) {
    const list = this.splices.get(file);
    if (list) list.push(s); else this.splices.set(file, [s]);
  }

  private where(o: Occurrence): string {
    return `${this.set.files[o.file].path}:${o.entry.line + 1}`;
  }

  /** Sets every occurrence to `value`, under `key` (renaming an old name). */
  setAll(occs: readonly Occurrence[], value: string, key?: string): void {
    for (const o of occs) {
      const e = o.entry;
      const rename = key !== undefined && key !== e.key;
      if (e.value === value && !rename && e.lastLine === e.line) continue;
      for (const s of valueSplices(this.set.files[o.file].text, e, value, rename ? key : undefined)) this.add(o.file, s);
      this.summary.push(`${this.where(o)} ${rename ? `${e.key} -> ${key}` : e.key} ${oneLine(e.value)} -> ${value}` +
        (e.lastLine > e.line ? ` (value with ${e.lastLine - e.line} continuation line${e.lastLine - e.line > 1 ? 's' : ''} replaced)` : ''));
    }
  }

  removeAll(occs: readonly Occurrence[], why: string): void {
    for (const o of occs) {
      this.add(o.file, deleteLinesAt(this.set.files[o.file].text, o.entry.start, o.entry.end));
      this.summary.push(`${this.where(o)} removed ${o.entry.key} = ${oneLine(o.entry.value)} (${why})`);
    }
  }

  /** Adds `key = value` lines next to `anchor` (after it), or where [libvirt] settings live. */
  addLines(pairs: ReadonlyArray<[string, string]>, anchor: Occurrence | undefined): void {
    if (!pairs.length) return;
    const home = anchor ?? libvirtHome(this.set);
    if (home && 'entry' in home) {
      const text = this.set.files[home.file].text;
      const sep = separatorOf(text, home.entry);
      const nl = eolOf(text);
      this.add(home.file, { start: home.entry.end, end: home.entry.end, text: pairs.map(([k, v]) => `${nl}${k}${sep}${v}`).join('') });
      for (const [k, v] of pairs) this.summary.push(`${this.where(home)} added ${k}${sep}${v} after ${home.entry.key}`);
      return;
    }
    const file = home?.file ?? 0;
    const text = this.set.files[file].text;
    const nl = eolOf(text);
    const lines = pairs.map(([k, v]) => `${k} = ${v}`);
    if (home) {
      // After the last line of the section (its header when it has no entries).
      this.add(file, { start: home.sectionEnd, end: home.sectionEnd, text: lines.map((l) => nl + l).join('') });
      for (const l of lines) this.summary.push(`${this.set.files[file].path}:${home.sectionLine + 1} added ${l} in [libvirt]`);
      return;
    }
    const endsWithBreak = /[\r\n]$/.test(text);
    const block = `[libvirt]${nl}${lines.join(nl)}`;
    const added = text === '' ? block + nl : endsWithBreak ? nl + block + nl : nl + nl + block;
    this.add(file, { start: text.length, end: text.length, text: added });
    for (const l of lines) this.summary.push(`${this.set.files[file].path} added ${l} in a new [libvirt] section at the end`);
  }
}

const oneLine = (v: string) => v.replace(/\n/g, '\\n');

/** The splices that set an entry's value (and key); a multi-line entry is replaced whole. */
function valueSplices(text: string, e: Entry, value: string, key?: string): Splice[] {
  if (e.lastLine === e.line) {
    const out: Splice[] = [{ start: e.valueStart, end: e.valueEnd, text: value }];
    if (key) out.push({ start: e.keyStart, end: e.keyEnd, text: key });
    return out;
  }
  const q = e.quoted ? text[e.valueStart - 1] : '';
  const head = text.slice(e.start, e.keyStart) + (key ?? e.key) + text.slice(e.keyEnd, e.valueStart - q.length);
  return [{ start: e.start, end: e.end, text: head + q + value + q }];
}

/** The anchor's own `key=value` spacing, so added lines look like their neighbours. */
function separatorOf(text: string, e: Entry): string {
  const sep = text.slice(e.keyEnd, e.valueStart - (e.quoted ? 1 : 0));
  return /^[ \t]*=[ \t]*$/.test(sep) ? sep : ' = ';
}

type Home = Occurrence | { file: number; sectionEnd: number; sectionLine: number } | undefined;

/**
 * Where a new [libvirt] key goes: after the virt_type Nova reads (when it is in [libvirt]), else
 * at the end of the last [libvirt] section in read order; undefined when no file has one.
 */
function libvirtHome(set: NovaConfSet): Home {
  const virt = set.ctx.get('libvirt', 'virt_type').entry;
  if (virt) return { file: set.fileOf(virt), entry: virt };
  for (let file = set.files.length - 1; file >= 0; file--) {
    const section = set.scan(file).sections.filter((s) => s.group === 'libvirt').at(-1);
    if (section) return { file, sectionEnd: section.end, sectionLine: section.line };
  }
  return undefined;
}

function question(id: string, text: string, answers: CpuModeChange['answers'], defaultAnswer = false): { q: PlanQuestion; yes: boolean } {
  return { q: { id, text, defaultAnswer }, yes: answers?.[id] ?? defaultAnswer };
}

/**
 * Plans `change` on a config set (files in Nova's read order: nova.conf, nova-compute.conf,
 * nova.conf.d/*.conf). The release comes from knowledge.settings.novaRelease.
 */
export function planNovaCpuMode(files: readonly FileSnapshot[], change: CpuModeChange, knowledge: Knowledge, host?: string): Plan {
  const problem = inputProblem(change);
  if (problem) return refusedPlan(problem);
  if (new Set(files.map((f) => f.path)).size !== files.length) return refusedPlan('The config set names a file twice.');
  const set = readSet(files, knowledge);
  const now = cpuConfigOf(set);
  const modelsOpt = modelsOption(set);
  const hasFlags = set.ctx.catalog.option('libvirt', 'cpu_model_extra_flags') !== undefined;
  if (change.models && change.models.length > 1 && modelsOpt.type !== 'list') {
    return refusedPlan(`cpu_model: this Nova release (${now.release}) takes one CPU model; lists (cpu_models) came with Train (${TRAIN}).`);
  }
  if (change.extraFlags?.length && !hasFlags) return refusedPlan(`cpu_model_extra_flags: ${now.release} has no such option (it came with Queens 17); Nova would ignore it.`);

  const policy: PolicyInput = { major: set.major, mode: change.mode, virtType: now.virtType.value, hasFlags };
  const ed = new Editor(set);
  const questions: PlanQuestion[] = [];
  const adds: Array<[string, string]> = [];

  const modeOccs = occurrences(set, 'libvirt', ['cpu_mode']);
  if (modeOccs.length) ed.setAll(modeOccs, change.mode); else adds.push(['cpu_mode', change.mode]);

  const modelOccs = occurrences(set, 'libvirt', namesOf(modelsOpt));
  if (change.models !== undefined) {
    if (change.models.length === 0) ed.removeAll(modelOccs, 'asked to clear the models');
    else if (modelOccs.length) ed.setAll(modelOccs, change.models.join(','), modelsOpt.name);
    else adds.push([modelsOpt.name, change.models.join(',')]);
  } else if (now.models.value.length > 0) {
    const use = modelsUse(policy);
    if (use === 'forbidden') {
      ed.removeAll(modelOccs, `with cpu_mode = ${change.mode} Nova refuses it: "${novaMessages.modelsWithoutCustom(set.major)}"`);
    } else if (use === 'ignored') {
      const { q, yes } = question(`remove-${modelsOpt.name}`, `${modelsOpt.name} = ${now.models.value.join(',')} does nothing: ${ignoredWhy('models', policy)}. Remove it?`, change.answers);
      questions.push(q);
      if (yes) ed.removeAll(modelOccs, 'unused with this mode (answered)');
    }
  }

  const flagOccs = occurrences(set, 'libvirt', ['cpu_model_extra_flags']);
  if (change.extraFlags !== undefined) {
    if (change.extraFlags.length === 0) ed.removeAll(flagOccs, 'asked to clear the extra flags');
    else if (flagOccs.length) ed.setAll(flagOccs, change.extraFlags.join(','));
    else adds.push(['cpu_model_extra_flags', change.extraFlags.join(',')]);
  } else if (flagOccs.some((o) => o.entry.value.trim() !== '') && flagsUse(policy) === 'ignored') {
    const shown = now.extraFlags.value.join(',') || flagOccs.at(-1)!.entry.value;
    const { q, yes } = question('remove-cpu_model_extra_flags', `cpu_model_extra_flags = ${shown} does nothing: ${ignoredWhy('flags', policy)}. Remove it?`, change.answers);
    questions.push(q);
    if (yes) ed.removeAll(flagOccs, 'unused with this mode (answered)');
  }

  // New keys go right after the cpu_mode Nova reads, so the CPU settings stay together.
  ed.addLines(adds, modeOccs.at(-1));

  const edits: FileEdit[] = [];
  const after = files.map((f, i) => {
    const splices = ed.splices.get(i);
    const text = splices ? applySplices(f.text, splices) : f.text;
    if (text !== f.text) {
      edits.push({ path: f.path, before: f.text, after: text, sha256: f.sha256 });
      // The judge reads the result through the member cache: give it the input's scan, edited, instead of a second parse.
      const edited = spliceScan(memberScan(f.path, f.text), splices!, text);
      if (edited) seedMemberScan(f.path, edited);
    }
    return { path: f.path, text };
  });
  const verdict = judge(after, () => files, knowledge, 'nova-conf');
  const plan: Plan = { edits, questions, findings: verdict.findings, refused: verdict.refused, summary: ed.summary.length ? ed.summary : ['nothing to change'] };
  const owner = deployToolOf(files, change, host);
  if (owner) {
    plan.deployTool = owner;
    plan.summary.push(owner.warning, ...toolChangeLines(owner.change).map((l) => `  ${l}`));
  }
  return plan;
}

/** The first file of the set a deployment tool writes (from its header or path: the files may be remote). */
function deployToolOf(files: readonly FileSnapshot[], change: CpuModeChange, host: string | undefined): Plan['deployTool'] {
  for (const f of files) {
    const tool = detectDeployTool(f.path, f.text);
    if (tool) return { tool, path: f.path, warning: `${f.path}: ${generatedWarning(tool)}`, change: translateChange(tool, change, host) };
  }
  return undefined;
}

