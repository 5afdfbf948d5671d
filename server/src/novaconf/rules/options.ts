/**
 * Which keys Nova reads at all, for the chosen release. oslo.config silently ignores unknown,
 * misplaced and removed keys, so these are the mistakes nobody else reports: typos, options in
 * the wrong section, options from another release, old names, and keys set twice.
 */
import type { Fix } from '../../core/findings';
import { quoteValue } from '../../core/findingCap';
import type { NovaCatalog, NovaOption } from '../../knowledge/nova/catalog';
import { majorOf, releaseByMajor, releaseLabel } from '../../knowledge/nova/releases';
import { addToGroup, deleteEntry, renameKey, replaceSpan } from '../edits';
import { novaMessages } from '../messages';
import { NameIndex, nearestNames } from '../nearest';
import type { Entry } from '../scan';
import type { Rule, RuleContext } from './context';

const label = (major: number) => releaseLabel(releaseByMajor(major));
const ZED = majorOf('zed');

/**
 * Old [DEFAULT] names of options that moved to their own group before our catalog starts and are
 * no longer read (Icehouse put the libvirt_* options in [libvirt] with these as deprecated names;
 * they were dropped later). Two did not keep their name; the rest are `<group>_<name>`.
 */
const RENAMED_ON_MOVE: Record<string, [string, string]> = {
  libvirt_type: ['libvirt', 'virt_type'],
  libvirt_uri: ['libvirt', 'connection_uri'],
};

/** Where an ignored [DEFAULT] key such as libvirt_type (or libvirt_cpu_mode) lives now. */
function formerHome(ctx: RuleContext, group: string, key: string): { group: string; name: string } | undefined {
  if (group !== 'DEFAULT') return undefined;
  const renamed = RENAMED_ON_MOVE[key];
  if (renamed) return { group: renamed[0], name: renamed[1] };
  const m = /^([a-z]+)_(\w+)$/.exec(key);
  if (!m || m[1] === 'DEFAULT' || !ctx.catalog.zedHasGroup(m[1])) return undefined;
  return ctx.catalog.option(m[1], m[2]) || ctx.catalog.zedOption(m[1], m[2]) ? { group: m[1], name: m[2] } : undefined;
}
/** Section names come from the file: quoted, so a 100k-character header makes a short message. */
const sectionLabel = (group: string) => `[${quoteValue(group)}]`;

function moveFix(ctx: RuleContext, e: Entry, group: string, name = e.key): Fix {
  const text = ctx.model.text.slice(e.start, e.end).replace(e.key, name);
  return { title: `Move to [${group}]${name !== e.key ? ` as ${name}` : ''}`, edits: [deleteEntry(ctx.model, e), addToGroup(ctx.model, group, text)] };
}

/** Reports what Nova makes of key `e` when it is not an option it reads there (each message built only while its code is not full). */
function checkKey(ctx: RuleContext, e: Entry, typoSections: Set<string>): void {
  const { catalog, model, major } = ctx;
  const group = e.section!.group;
  const here = sectionLabel(group === 'DEFAULT' ? 'DEFAULT' : e.section!.name);
  // Keys in a misspelt section, or in [default], are covered by the section's own finding.
  if (typoSections.has(group) || group === 'default') return;
  if (catalog.option(group, e.key)) return;

  const target = catalog.aliasTarget(group, e.key);
  if (target) {
    return ctx.reportHere('nova/deprecated-option', () => {
      // oslo.config reads the new name first (and the last file first): then this line is ignored, and nothing is logged.
      const read = ctx.entryOf(target.group, target.name);
      const overridden = !!read && read !== e && (read.key !== e.key || read.section?.group !== group);
      const sameGroup = target.group === group;
      // oslo.config warns once per old name, when an option reads its value through it.
      const reader = read === e ? target : catalog.readersOf(group, e.key).find((o) => ctx.entryOf(o.group, o.name) === e);
      return {
        code: 'nova/deprecated-option', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
        upstream: reader ? novaMessages.deprecatedName(e.key, group, reader.name, reader.group) : undefined,
        explanation: `${here} ${quoteValue(e.key)} is a deprecated name of ${sectionLabel(target.group)} ${target.name}.` +
          (overridden ? ` ${sectionLabel(read.section?.group ?? target.group)} ${read.key} is also set${ctx.from(read)}, so Nova ignores this line.`
            : ` Nova still reads it (this value is in effect), but rename it to ${sameGroup ? target.name : `${sectionLabel(target.group)} ${target.name}`}.`),
        tags: overridden ? ['deprecated', 'unnecessary'] : ['deprecated'],
        fixes: overridden ? [{ title: `Remove the old ${e.key}`, preferred: true, edits: [deleteEntry(model, e)] }]
          : sameGroup ? [{ title: `Rename to ${target.name}`, preferred: true, edits: [renameKey(model, e, target.name)] }]
            : [{ ...moveFix(ctx, e, target.group, target.name), preferred: true }],
      };
    });
  }

  const removed = catalog.removed(group, e.key);
  if (removed) {
    return ctx.reportHere('nova/removed-option', () => ({
      code: 'nova/removed-option', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['unnecessary'],
      explanation: `${here} ${quoteValue(e.key)} was removed in ${label(removed.gone)} (last in ${label(removed.last)}); ${label(major)} silently ignores it.`,
      fixes: [{ title: `Remove ${e.key}`, preferred: true, edits: [deleteEntry(model, e)] }],
    }));
  }

  const future = catalog.future(group, e.key);
  if (future) {
    return ctx.reportHere('nova/option-not-in-release', () => {
      // cpu_models before Train: the option then was cpu_model.
      const older = future.deprecatedName && catalog.option(group, future.deprecatedName);
      return {
        code: 'nova/option-not-in-release', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
        explanation: `${here} ${quoteValue(e.key)} first appears in ${label(future.since)}; the configured release, ${label(major)}, does not know it and ignores it.` +
          (older ? ` In ${label(major)} the option is ${older.name}.` : '') + ' Check the novaLibvirtCpu.novaRelease setting (or --nova-release) if you run a newer Nova.',
        fixes: older ? [{ title: `Rename to ${older.name}`, preferred: true, edits: [renameKey(model, e, older.name)] }] : [],
      };
    });
  }
  if (catalog.isNovaOption(group, e.key)) return;

  const caseTwin = catalog.caseTwin(group, e.key);
  if (caseTwin) {
    return ctx.reportHere('nova/unknown-option', () => ({
      code: 'nova/unknown-option', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
      explanation: `Option names are case-sensitive: Nova ignores '${quoteValue(e.key)}'. Did you mean ${caseTwin}?`,
      fixes: [{ title: `Rename to ${caseTwin}`, preferred: true, edits: [renameKey(model, e, caseTwin)] }],
    }));
  }

  const former = formerHome(ctx, group, e.key);
  if (former) {
    return ctx.reportHere('nova/unknown-option', () => {
      const s = ctx.get(former.group, former.name);
      const now = s.entry ? `${former.name} = ${quoteValue(s.entry.value)} (line ${s.entry.line + 1}${ctx.from(s.entry)})` : `${former.name} at its default${s.option?.default !== undefined ? `, ${String(s.option.default)}` : ''}`;
      return {
        code: 'nova/unknown-option', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
        explanation: `${here} ${quoteValue(e.key)} is silently ignored by ${label(major)}: it is the old name of ${sectionLabel(former.group)} ${former.name}, which Nova no longer reads under this name, so the node runs with ${now}. Move it to ${sectionLabel(former.group)} ${former.name}.`,
        fixes: [{ ...moveFix(ctx, e, former.group, former.name), preferred: true }],
      };
    });
  }

  const ours = catalog.named(e.key);
  const zeds = major === ZED ? catalog.zedGroupsOf(e.key) : [];
  const elsewhere = ours.length || zeds.length ? [...ours.map((o) => o.group), ...zeds].filter((g) => g !== group) : [];
  if (elsewhere.length && new Set(elsewhere).size === 1) {
    const home = elsewhere[0];
    return ctx.reportHere('nova/option-in-wrong-section', () => ({
      code: 'nova/option-in-wrong-section', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
      explanation: `${quoteValue(e.key)} belongs in ${sectionLabel(home)}; Nova does not look for it in ${here}, so this line is ignored.`,
      fixes: [{ ...moveFix(ctx, e, home), preferred: true }],
    }));
  }

  // Only where we know every option (and, in [DEFAULT], for near-misses of the CPU options we know:
  // [DEFAULT] also holds oslo.log, oslo.messaging... options from outside Nova).
  const code = 'nova/unknown-option';
  const whole = catalog.knowsWholeGroup(group);
  // Where the finding does not depend on a near match, the did-you-mean is for kept findings only.
  const near = whole && !ctx.keeps(code) ? [] : nearestNames(e.key, whole ? catalog.candidateNames(group) : catalog.options(group).map((o) => o.name));
  if (!whole && !near.length) return;
  ctx.reportHere(code, () => ({
    code, severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
    explanation: `${here} ${quoteValue(e.key)} is silently ignored: ${label(major)} has no such option in ${here} (oslo.config skips unknown keys without a word).${near.length ? ` Did you mean ${near.join(', ')}?` : ''}`,
    fixes: near.map((n, i) => ({ title: `Rename to ${n}`, preferred: i === 0, edits: [renameKey(model, e, n)] })),
  }));
}

const groupIndexes = new WeakMap<NovaCatalog, NameIndex>();

/** Nova's groups, indexed for did-you-mean once per catalog. */
function groupIndex(catalog: NovaCatalog): NameIndex {
  let index = groupIndexes.get(catalog);
  if (!index) groupIndexes.set(catalog, (index = new NameIndex(catalog.novaGroups())));
  return index;
}

/** Sections Nova does not have: a near-miss of a Nova group, or one holding options we know. */
function sections(ctx: RuleContext, typoSections: Set<string>): void {
  const { catalog, model } = ctx;
  const code = 'nova/unknown-section';
  const groups = new Set(catalog.novaGroups());
  const index = groupIndex(catalog);
  // A file that repeats a misspelt header asks once.
  const nearOf = new Map<string, string[]>();
  for (const s of model.scan.sections) {
    if (ctx.outOfTime('keys')) break;
    if (groups.has(s.group) || s.group === 'default' || !s.name) continue;
    // Whether a group is near decides whether the section (and the keys in it) get a finding: asked for every header.
    let near = nearOf.get(s.name);
    if (!near) nearOf.set(s.name, (near = index.nearest(s.name)));
    let ours = false;
    for (let i = s.firstEntry; i < s.firstEntry + s.entryCount && !ours; i++) ours = catalog.named(model.scan.entries[i].key).length > 0;
    if (!near.length && !ours) continue;
    if (near.length) typoSections.add(s.group);
    ctx.reportHere(code, () => ({
      code, severity: 'warning', range: ctx.range(s.nameStart, s.nameEnd), stage: 'oslo.config',
      explanation: `Nova has no [${quoteValue(s.name)}] section, so it ignores every option in it.${near.length ? ` Did you mean [${near.join('], [')}]?` : ''}`,
      fixes: near.map((n, i) => ({ title: `Rename to [${n}]`, preferred: i === 0, edits: [replaceSpan(model, s.nameStart, s.nameEnd, n)] })),
    }));
  }
}

/** The option a key sets, under its name or an old one, from our catalog or Nova 26's data. */
function optionOf(ctx: RuleContext, group: string, key: string): NovaOption | undefined {
  return ctx.catalog.option(group, key) ?? ctx.catalog.aliasTarget(group, key) ?? ctx.catalog.zedOption(group, key);
}

/** MultiStrOpts ([pci] alias, device_spec...) keep every occurrence: none overrides another. */
function isMulti(ctx: RuleContext, group: string, key: string): boolean {
  return optionOf(ctx, group, key)?.type === 'multi';
}

function duplicates(ctx: RuleContext): void {
  const code = 'nova/duplicate-option';
  for (const list of ctx.model.occurrences.values()) {
    if (ctx.outOfTime('duplicates')) break;
    if (list.length < 2) continue;
    if (isMulti(ctx, list[0].section!.group, list[0].key)) continue;
    const last = list[list.length - 1];
    for (let i = 0; i < list.length - 1; i++) {
      if (ctx.outOfTime('duplicates')) break;
      const e = list[i];
      ctx.reportHere(code, () => ({
        code, severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['unnecessary'],
        explanation: `${quoteValue(e.key)} is set again on line ${last.line + 1} (value '${quoteValue(last.value)}'); oslo.config uses the last one, so this line has no effect.`,
        fixes: [{ title: 'Remove this earlier value', preferred: true, edits: [deleteEntry(ctx.model, e)] }],
      }));
    }
  }
}

/**
 * A key this file sets for the last time, set again by a file read after it (config set): Nova
 * reads that one, so this line has no effect, and the rules judge the other value in its file.
 */
function overriddenByLaterFile(ctx: RuleContext): void {
  // Only a file read after this one can win (the common case, a file alone, has none): no work per key then.
  const { count, self } = ctx.model.members;
  if (self === count - 1) return;
  for (const list of ctx.model.occurrences.values()) {
    if (ctx.outOfTime('overriddenByLaterFile')) break;
    const e = list[list.length - 1];
    const group = e.section!.group;
    const target = ctx.catalog.option(group, e.key) ? { group, name: e.key } : ctx.catalog.aliasTarget(group, e.key) ?? { group, name: e.key };
    if (isMulti(ctx, group, e.key)) continue;
    const winner = ctx.entryOf(target.group, target.name);
    if (!winner?.origin?.later) continue;
    ctx.report({
      code: 'nova/overridden-by-later-file', severity: 'hint', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['unnecessary'],
      explanation: `${winner.origin.label} is read after this file and sets ${quoteValue(winner.key)} = ${quoteValue(winner.value)}; Nova uses that value, so this line has no effect.`,
    });
  }
}

/**
 * oslo.config's deprecated-for-removal warning, logged when the option has a value in the files
 * (under any of its names; even an empty one). For vcpu_pin_set, nova-compute adds its own
 * start-up warning (rules/cpusets.ts): index.ts makes the two one finding.
 */
function deprecatedForRemoval(ctx: RuleContext): void {
  const seen = new Set<NovaOption>();
  for (const list of ctx.model.occurrences.values()) {
    if (ctx.outOfTime('deprecatedForRemoval')) break;
    const o = optionOf(ctx, list[0].section!.group, list[0].key);
    if (!o?.deprecatedForRemoval || seen.has(o)) continue;
    seen.add(o);
    const e = ctx.entryOf(o.group, o.name);
    if (!e || e.origin) continue;
    ctx.report({
      code: 'nova/deprecated-for-removal', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['deprecated'],
      upstream: novaMessages.deprecatedForRemoval(o.name, o.group, o.deprecatedReason),
      explanation: `[${o.group}] ${o.name} is deprecated for removal${o.deprecatedSince ? ` since ${label(o.deprecatedSince)}` : ''} (${o.deprecatedForRemoval}): Nova logs a deprecation warning at start, and a future release may ignore it.`,
    });
  }
}

/**
 * A key that is an option of its own group and also an old name another option still reads
 * ([key_manager] auth_url for [barbican] auth_endpoint): when that one is not set, it reads this
 * value, and oslo.config logs the deprecation.
 */
function alsoReadAsOldName(ctx: RuleContext): void {
  for (const list of ctx.model.occurrences.values()) {
    if (ctx.outOfTime('alsoReadAsOldName')) break;
    const e = list[list.length - 1];
    const group = e.section!.group;
    const own = !!ctx.catalog.option(group, e.key) || !!ctx.catalog.zedOption(group, e.key);
    const readers = ctx.catalog.readersOf(group, e.key).filter((o) => ctx.entryOf(o.group, o.name) === e);
    // Not itself an option: the key's own finding (checkKey) names the first reader; the others follow.
    const target = own ? undefined : ctx.catalog.aliasTarget(group, e.key);
    const primary = target && readers.includes(target) ? target : own ? undefined : readers[0];
    for (const reader of readers) {
      if (reader === primary) continue;
      ctx.report({
      code: 'nova/deprecated-option', severity: 'information', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['deprecated'],
      upstream: novaMessages.deprecatedName(e.key, group, reader.name, reader.group),
      explanation: `${sectionLabel(group)} ${quoteValue(e.key)} is also a deprecated name of [${reader.group}] ${reader.name}, which is not set, so Nova reads this value for it too. Set [${reader.group}] ${reader.name} to keep the two apart.`,
      });
    }
  }
}

const keys: Rule = (ctx) => {
  const typoSections = new Set<string>();
  sections(ctx, typoSections);
  for (const e of ctx.model.scan.entries) {
    if (ctx.outOfTime('keys')) break;
    if (!e.section) continue;
    checkKey(ctx, e, typoSections);
  }
};

export const optionRules: Rule[] = [keys, duplicates, overriddenByLaterFile, deprecatedForRemoval, alsoReadAsOldName];
