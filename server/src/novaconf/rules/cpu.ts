/**
 * [libvirt] cpu_mode / cpu_models / cpu_model_extra_flags / virt_type, as nova-compute checks
 * them: at start-up (_check_cpu_compatibility, Train and later) or when a guest is built
 * (_get_guest_cpu_model_config, before Train). Model and flag names are checked against the
 * cpu_map (case-insensitively, as Nova maps them through libvirt). See docs/rules/nova.md.
 */
import type { Finding, Fix, Stage } from '../../core/findings';
import { MAX_UPSTREAM_QUOTED, quoteValue } from '../../core/findingCap';
import type { CpuModel } from '../../knowledge/cpumap/types';
import { majorOf } from '../../knowledge/nova/releases';
import { addAfter, addToGroup, deleteEntry, replaceValue } from '../edits';
import { novaMessages, TRAIN, WALLABY } from '../messages';
import type { Entry } from '../scan';
import { listItemsOf, type Item, type Rule, type RuleContext } from './context';

/** Sets cpu_mode: edits the existing line or adds one to [libvirt]. */
function setMode(ctx: RuleContext, mode: string, entry: Entry | undefined): Fix {
  return {
    title: `Set cpu_mode = ${mode}`,
    edits: [entry ? replaceValue(ctx.model, entry, mode) : addToGroup(ctx.model, 'libvirt', `cpu_mode = ${mode}`)],
  };
}

export interface CpuSettings {
  virtType: string;
  /** null when unset. */
  mode: string | null;
  modeEntry?: Entry;
  modelsEntry?: Entry;
  models: Item[];
  flagsEntry?: Entry;
  flags: Item[];
  /** Models compared together with the flags, and the skip switch (2023.1 on, backported to Zed 26.2). */
  combinedCompare: boolean;
  skipCompare: boolean;
}

function hasCombinedCompare(ctx: RuleContext): boolean {
  return ctx.catalog.option('workarounds', 'skip_cpu_compare_at_startup') !== undefined;
}

const settingsOf = new WeakMap<RuleContext, CpuSettings | null>();

/** The CPU settings, read once per analysis (three rules ask; a flag list can have 100,000 items). */
export function read(ctx: RuleContext): CpuSettings | undefined {
  let s = settingsOf.get(ctx);
  if (s === undefined) settingsOf.set(ctx, (s = readSettings(ctx) ?? null));
  return s ?? undefined;
}

function readSettings(ctx: RuleContext): CpuSettings | undefined {
  const virt = ctx.get('libvirt', 'virt_type');
  const mode = ctx.get('libvirt', 'cpu_mode');
  const modelsName = ctx.major >= TRAIN ? 'cpu_models' : 'cpu_model';
  const models = ctx.get('libvirt', modelsName);
  const flags = ctx.get('libvirt', 'cpu_model_extra_flags');
  // An unreadable value stops nova-compute before these checks; the values rule reports it.
  if (!virt.valid || !mode.valid || !models.valid || !flags.valid) return undefined;
  const modelItems = !models.entry ? [] : ctx.major >= TRAIN ? listItemsOf(models.entry)
    : models.entry.value === '' ? [] : [{ text: models.entry.value, start: models.entry.valueStart, end: models.entry.valueEnd }];
  return {
    virtType: String(virt.value ?? 'kvm'), mode: mode.value === null ? null : String(mode.value), modeEntry: mode.entry,
    modelsEntry: models.entry, models: modelItems, flagsEntry: flags.entry, flags: flags.entry ? listItemsOf(flags.entry) : [],
    combinedCompare: hasCombinedCompare(ctx),
    skipCompare: hasCombinedCompare(ctx) && ctx.get('workarounds', 'skip_cpu_compare_at_startup').value === true,
  };
}

const KVM_QEMU = new Set(['kvm', 'qemu']);

/** The start-up (Train+) or guest-build (older) checks, nova-compute's cpu_mode/cpu_models/extra-flags refusals. */
function modeChecks(ctx: RuleContext, s: CpuSettings): void {
  const stage: Stage = ctx.major >= TRAIN ? 'nova-compute start' : 'nova runtime';
  const when = ctx.major >= TRAIN ? 'nova-compute refuses to start' : 'every instance build fails';
  const modelsName = ctx.major >= TRAIN ? 'cpu_models' : 'cpu_model';
  const kvmQemu = KVM_QEMU.has(s.virtType);
  // Before Train, cpu_mode=none (or an unset mode off kvm/qemu) returned before any check.
  const effectiveNone = s.mode === 'none' || (s.mode === null && !kvmQemu);

  if (!kvmQemu && !effectiveNone) {
    const range = s.modeEntry ? ctx.valueRange(s.modeEntry) : ctx.valueRange(ctx.get('libvirt', 'virt_type').entry!);
    ctx.report({
      code: 'nova/cpu-mode-needs-kvm-qemu', severity: 'error', range, stage, upstream: novaMessages.explicitModelUnsupported(s.virtType),
      explanation: `With virt_type = ${s.virtType}${ctx.from(ctx.get('libvirt', 'virt_type').entry)}, Nova cannot choose a guest CPU model, so ${when}. Remove cpu_mode (or set it to none), or use virt_type = kvm or qemu.`,
      fixes: s.modeEntry ? [{ ...setMode(ctx, 'none', s.modeEntry), preferred: true }, { title: 'Remove cpu_mode', edits: [deleteEntry(ctx.model, s.modeEntry)] }] : [],
    });
  }
  if (s.mode !== 'custom' && s.models.length > 0 && s.modelsEntry && (ctx.major >= TRAIN || !effectiveNone)) {
    const fixes: Fix[] = [setMode(ctx, 'custom', s.modeEntry), { title: `Remove ${s.modelsEntry.key}`, edits: [deleteEntry(ctx.model, s.modelsEntry)] }];
    fixes[s.mode === null ? 0 : 1].preferred = true;
    ctx.report({
      code: 'nova/cpu-models-without-custom', severity: 'error', range: ctx.entryRange(s.modelsEntry), stage, upstream: novaMessages.modelsWithoutCustom(ctx.major),
      explanation: `${modelsName} is set but cpu_mode is ${s.mode === null ? 'unset (host-model on kvm/qemu)' : s.mode}${ctx.from(s.modeEntry)}, so ${when}: the models are only used with cpu_mode = custom. Set cpu_mode = custom, or remove ${s.modelsEntry.key}.`,
      fixes,
    });
  }
  if (s.mode === 'custom' && s.models.length === 0 && (ctx.major >= TRAIN || kvmQemu)) {
    const first = ctx.cpu?.models('x86').find((m) => !m.canonicalOf && m.vendor);
    const example = ctx.cpu?.model('Haswell-noTSX-IBRS', 'x86')?.name ?? first?.name;
    ctx.report({
      code: 'nova/custom-without-models', severity: 'error', range: s.modeEntry ? ctx.valueRange(s.modeEntry) : ctx.range(0, 0), stage,
      upstream: novaMessages.customWithoutModels(ctx.major),
      explanation: `cpu_mode = custom without ${modelsName}, so ${when}: custom needs at least one named model. Add ${modelsName} (oldest model first), or use host-model.`,
      fixes: [
        ...(example && s.modeEntry && !s.modelsEntry ? [{ title: `Add ${modelsName} = ${example}`, edits: [addAfter(ctx.model, s.modeEntry, `${modelsName} = ${example}`)] }] : []),
        ...(s.modeEntry ? [setMode(ctx, 'host-model', s.modeEntry)] : []),
      ],
    });
  }
}

interface KnownModel { item: Item; index: number; model: CpuModel }

/** Model names libvirt does not know , and lists whose order hides a model. */
function modelChecks(ctx: RuleContext, s: CpuSettings): void {
  const cpu = ctx.cpu;
  const entry = s.modelsEntry;
  // Every finding here is anchored in the list, so none when another file of the set holds it.
  if (!cpu || !entry || entry.origin || s.mode !== 'custom' || !KVM_QEMU.has(s.virtType)) return;
  const startup = ctx.major >= TRAIN && !s.skipCompare;
  const code = 'nova/unknown-cpu-model';
  const known: KnownModel[] = [];
  s.models.forEach((item, index) => {
    if (ctx.outOfTime('cpu')) return;
    // Any arch's map: a POWER host checks against its ppc64 models (Nova checks x86 and POWER hosts).
    const model = cpu.model(item.text);
    if (model) { known.push({ item, index, model }); return; }
    ctx.reportHere(code, () => unknownModel(ctx, s, entry, item, startup));
  });
  orderChecks(ctx, s, entry, known);
}

/** The finding for a model name no cpu_map has, with its did-you-mean. */
function unknownModel(ctx: RuleContext, s: CpuSettings, entry: Entry, item: Item, startup: boolean): Finding {
  const near = item.text ? ctx.cpu!.nearestModels(item.text, 'x86', 3) : [];
  // QEMU's own 'max' is not in any cpu_map: fatal on x86 and POWER hosts, fine (and usual) on
  // AArch64, where Nova does not check names. We cannot see the host, so we warn.
  const qemuMax = item.text.toLowerCase() === 'max';
  const name = quoteValue(item.text);
  return {
    code: 'nova/unknown-cpu-model', severity: startup && !qemuMax ? 'error' : 'warning', range: item.text ? ctx.span(entry, item.start, item.end) : ctx.valueRange(entry),
    stage: startup ? 'nova-compute start' : 'nova runtime',
    upstream: ctx.major >= TRAIN ? novaMessages.unknownModel(quoteValue(item.text, MAX_UPSTREAM_QUOTED), ctx.major) : undefined,
    explanation: (item.text ? `libvirt's cpu_map has no CPU model '${name}' (names are matched without regard to case).` : 'The list has an empty model name (two commas in a row).') +
      (qemuMax ? " 'max' is QEMU's own model: on AArch64 hosts Nova does not check model names and max is the usual choice; on x86 and POWER hosts this stops nova-compute." : '') +
      (startup ? ' nova-compute refuses to start on x86 and POWER hosts.' : s.skipCompare ? ' [workarounds] skip_cpu_compare_at_startup hides it until a guest is built, which then fails.' : ' Guests fail to build.') +
      (near.length ? ` Did you mean ${near.join(', ')}?` : ''),
    fixes: near.map((n, i) => ({ title: `Change to ${n}`, preferred: i === 0, edits: [ctx.edit(entry, item.start, item.end, n)] })),
  };
}

/**
 * Nova uses the first listed model that has the flavor's required flags: a later model whose
 * features all come with an earlier one can never be picked. Compared per distinct model (at most
 * the cpu_map's), so a list of 50,000 names costs what its few distinct models cost.
 */
function orderChecks(ctx: RuleContext, s: CpuSettings, entry: Entry, known: KnownModel[]): void {
  const firstOf = new Map<CpuModel, KnownModel>();
  for (const k of known) if (!firstOf.has(k.model)) firstOf.set(k.model, k);
  const firsts = [...firstOf.values()];
  const features = new Map(firsts.map((k) => [k.model, new Set(k.model.features)]));
  // The earliest listed model with every feature of m (m's own first listing at worst).
  const hiderOf = new Map<CpuModel, KnownModel>();
  for (const k of firsts) hiderOf.set(k.model, firsts.find((h) => k.model.features.every((f) => features.get(h.model)!.has(f)))!);
  const code = 'nova/cpu-models-order';
  for (const later of known) {
    if (ctx.outOfTime('cpu')) break;
    const hider = hiderOf.get(later.model)!;
    if (hider.index >= later.index) continue;
    ctx.reportHere(code, () => hiddenModel(ctx, s, entry, later, hider));
  }
}

/** The finding for a listed model that an earlier one hides. */
function hiddenModel(ctx: RuleContext, s: CpuSettings, entry: Entry, later: KnownModel, hider: KnownModel): Finding {
  const laterCount = later.model.features.length;
  const same = hider.model.name === later.model.name || hider.model.features.length === laterCount;
  // Moving the item: its text goes before the first item, and it leaves with the separator before it.
  const move: Fix | undefined = same ? undefined : {
    title: `Move ${later.item.text} to the front`, preferred: true,
    edits: [ctx.edit(entry, s.models[0].start, s.models[0].start, `${later.item.text},`), ctx.edit(entry, s.models[later.index - 1].end, later.item.end, '')],
  };
  return {
    code: 'nova/cpu-models-order', severity: 'warning', range: ctx.span(entry, later.item.start, later.item.end), stage: 'nova runtime',
    explanation: same
      ? `${later.item.text} adds nothing over ${hider.item.text} listed before it, so Nova never picks it.`
      : `Nova tries cpu_models in order and uses the first one with the flavor's required CPU flags. ${hider.item.text} (${hider.model.features.length} features) has every feature of ${later.item.text} (${laterCount}), so ${later.item.text} is never chosen. List the oldest, least capable model first.`,
    fixes: move ? [move] : [],
  };
}

/** Extra flags: ignored (cpu_mode none), unsupported prefixes, and names libvirt does not know. */
function flagChecks(ctx: RuleContext, s: CpuSettings): void {
  const entry = s.flagsEntry;
  // Every finding here is anchored in the list, so none when another file of the set holds it.
  if (!entry || entry.origin || s.flags.length === 0) return;
  const kvmQemu = KVM_QEMU.has(s.virtType);
  const effectiveNone = s.mode === 'none' || (s.mode === null && !kvmQemu);
  if (effectiveNone) {
    ctx.report({
      code: 'nova/extra-flags-ignored', severity: 'warning', range: ctx.entryRange(entry), stage: 'nova runtime', tags: ['unnecessary'],
      explanation: `With cpu_mode ${s.mode === null ? `unset under virt_type = ${s.virtType}` : '= none'}, Nova asks for no CPU model and silently drops cpu_model_extra_flags. Set cpu_mode to custom, host-model or host-passthrough, or remove the flags.`,
      fixes: [{ title: 'Remove cpu_model_extra_flags', preferred: true, edits: [deleteEntry(ctx.model, entry)] }],
    });
    return;
  }
  if (ctx.major === majorOf('queens') && s.mode !== 'custom') {
    ctx.report({
      code: 'nova/extra-flags-ignored', severity: 'warning', range: ctx.entryRange(entry), stage: 'nova runtime', tags: ['unnecessary'],
      upstream: novaMessages.queensFlagsIgnored,
      explanation: 'In Queens, extra flags apply only with cpu_mode = custom; Nova drops them here.',
    });
    return;
  }
  const cpu = ctx.cpu;
  if (!cpu) return;
  // The start-up comparison with the host (kvm, custom mode) fails on a flag libvirt does not know;
  // otherwise the flag reaches the domain XML and the guest fails to start.
  const atStartup = ctx.major >= TRAIN && s.mode === 'custom' && s.virtType === 'kvm' && !s.skipCompare;
  const seen = new Map<string, Item>();
  // Nova raises one message for the whole list: built once, when a finding first quotes it.
  let whole: string | undefined;
  const upstream = () => !atStartup || !s.combinedCompare ? undefined
    : (whole ??= novaMessages.modelAndFlagsIncompatible(quoteValue(s.models[0]?.text ?? '', MAX_UPSTREAM_QUOTED), s.flags.map((f) => f.text), ctx.major));
  const unknown = 'nova/unknown-cpu-flag';
  for (const item of s.flags) {
    if (ctx.outOfTime('cpu')) break;
    if (!item.text) {
      ctx.reportHere(unknown, () => ({ code: unknown, severity: 'warning', range: ctx.valueRange(entry), stage: 'nova runtime', explanation: 'The list has an empty flag (two commas in a row); libvirt has no feature with an empty name.' }));
      continue;
    }
    const bare = item.text.replace(/^[+-]+/, '');
    const prefixed = bare.length < item.text.length;
    if (prefixed && ctx.major < WALLABY) {
      ctx.reportHere('nova/cpu-flag-prefix-unsupported', () => ({
        code: 'nova/cpu-flag-prefix-unsupported', severity: 'error', range: ctx.span(entry, item.start, item.end), stage: atStartup ? 'nova-compute start' : 'vm start',
        explanation: `'${quoteValue(item.text)}' is passed to libvirt as a feature name, which does not exist, so ${atStartup ? 'nova-compute refuses to start' : 'guests fail to start'}: '+flag'/'-flag' is understood from Wallaby (23) on. Write the bare name to require it.`,
        fixes: [{ title: `Change to ${quoteValue(bare)}`, preferred: true, edits: [ctx.edit(entry, item.start, item.end, bare)] }],
      }));
      continue;
    }
    const disable = item.text.startsWith('-');
    const name = bare.toLowerCase();
    const prior = seen.get(name);
    if (prior && prior.text.startsWith('-') !== disable) {
      ctx.reportHere('nova/conflicting-cpu-flags', () => ({
        code: 'nova/conflicting-cpu-flags', severity: 'warning', range: ctx.span(entry, item.start, item.end), stage: 'vm start',
        explanation: `${quoteValue(name)} is both required and disabled ('${quoteValue(prior.text)}' and '${quoteValue(item.text)}'): libvirt refuses a CPU with the same feature twice. Keep one.`,
      }));
    }
    seen.set(name, item);
    if (cpu.feature(name)) continue;
    const alias = cpu.featureForAlias(name);
    ctx.reportHere(unknown, () => {
      const nameStart = item.start + item.text.length - bare.length;
      const near = alias ? [alias.name] : cpu.nearestFeatures(name, 'x86', 3);
      return {
        code: unknown, severity: atStartup ? 'error' : 'warning', range: ctx.span(entry, nameStart, item.end), stage: atStartup ? 'nova-compute start' : 'vm start',
        upstream: atStartup && !s.combinedCompare ? novaMessages.flagIncorrect(quoteValue(item.text.toLowerCase(), MAX_UPSTREAM_QUOTED)) : upstream(),
        explanation: (alias ? `'${name}' is how QEMU or Linux spell it; libvirt's name is '${alias.name}'.` : `libvirt's cpu_map has no CPU feature '${quoteValue(name)}'.`) +
          (atStartup ? ' The start-up comparison with the host fails, so nova-compute refuses to start.' : ' libvirt rejects the guest CPU when an instance starts.') +
          (!alias && near.length ? ` Did you mean ${near.join(', ')}?` : ''),
        fixes: near.map((n, i) => ({ title: `Change to ${n}`, preferred: i === 0, edits: [ctx.edit(entry, nameStart, item.end, n)] })),
      };
    });
  }
}

/** The trade-offs operators trip over: migration with host-passthrough, nested virtualization. */
function hints(ctx: RuleContext, s: CpuSettings): void {
  if (s.mode === 'host-passthrough' && s.modeEntry) {
    ctx.report({
      code: 'nova/host-passthrough-migration', severity: 'information', range: ctx.valueRange(s.modeEntry), stage: 'advice',
      explanation: 'host-passthrough gives guests the exact host CPU: they can live-migrate only to hosts with the same CPU model, microcode and kernel. For a mixed fleet use host-model, or custom with a model every host supports.',
    });
  }
  if (s.mode === 'custom' && ctx.cpu && s.models.length > 0 && KVM_QEMU.has(s.virtType)) {
    const model = ctx.cpu.model(s.models[0].text);
    const required = (flag: string) => s.flags.some((f) => {
      const bare = f.text.startsWith('-') ? '' : f.text.replace(/^\+/, '');
      return bare.length === flag.length && bare.toLowerCase() === flag;
    });
    if (model && model.arch === 'x86' && !model.features.includes('vmx') && !model.features.includes('svm') && !required('vmx') && !required('svm')) {
      const flag = /amd|hygon/i.test(model.vendor ?? '') ? 'svm' : 'vmx';
      // Appended after the last named flag (the list itself can be long: it is not rewritten).
      let lastFlag: Item | undefined;
      for (const f of s.flags) if (f.text) lastFlag = f;
      const edit = !s.flagsEntry ? addAfter(ctx.model, s.modelsEntry!, `cpu_model_extra_flags = ${flag}`)
        : lastFlag ? ctx.edit(s.flagsEntry, lastFlag.end, lastFlag.end, `,${flag}`) : replaceValue(ctx.model, s.flagsEntry, flag);
      ctx.report({
        code: 'nova/nested-virt-needs-vmx', severity: 'hint', range: ctx.span(s.modelsEntry!, s.models[0].start, s.models[0].end), stage: 'advice',
        explanation: `${model.name} does not include ${flag}, so guests cannot run their own KVM guests (nested virtualization). If they need to, add ${flag} to cpu_model_extra_flags (the host must have nested enabled), or use host-passthrough.`,
        fixes: [{ title: `Add ${flag} to cpu_model_extra_flags`, edits: [edit] }],
      });
    }
  }
}

const cpu: Rule = (ctx) => {
  const s = read(ctx);
  if (!s) return;
  modeChecks(ctx, s);
  modelChecks(ctx, s);
  flagChecks(ctx, s);
  hints(ctx, s);
};

export const cpuRules: Rule[] = [cpu];
