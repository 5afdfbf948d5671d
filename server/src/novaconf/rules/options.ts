/**
 * Which keys Nova reads at all, for the chosen release. oslo.config silently ignores unknown,
 * misplaced and removed keys, so these are the mistakes nobody else reports: typos, options in
 * the wrong section, options from another release, old names, and keys set twice.
 */
import type { Finding, Fix } from '../../core/findings';
import { quoteValue } from '../../core/findingCap';
import { releaseByMajor, releaseLabel } from '../../knowledge/nova/releases';
import { addToGroup, deleteEntry, renameKey, replaceSpan } from '../edits';
import { novaMessages } from '../messages';
import { nearestNames } from '../nearest';
import type { Entry } from '../scan';
import type { Rule, RuleContext } from './context';

const label = (major: number) => releaseLabel(releaseByMajor(major));
const sectionLabel = (group: string) => `[${group}]`;

function moveFix(ctx: RuleContext, e: Entry, group: string, name = e.key): Fix {
  const text = ctx.model.text.slice(e.start, e.end).replace(e.key, name);
  return { title: `Move to [${group}]${name !== e.key ? ` as ${name}` : ''}`, edits: [deleteEntry(ctx.model, e), addToGroup(ctx.model, group, text)] };
}

function checkKey(ctx: RuleContext, e: Entry, typoSections: Set<string>): Finding | undefined {
  const { catalog, model, major } = ctx;
  const group = e.section!.group;
  const here = sectionLabel(group === 'DEFAULT' ? 'DEFAULT' : e.section!.name);
  // Keys in a misspelt section, or in [default], are covered by the section's own finding.
  if (typoSections.has(group) || group === 'default') return undefined;
  if (catalog.option(group, e.key)) return undefined;

  const target = catalog.aliasTarget(group, e.key);
  if (target) {
    const newer = model.occurrences.get(`${target.group}\0${target.name}`);
    const overridden = !!newer?.length;
    const sameGroup = target.group === group;
    return {
      code: 'nova/deprecated-option', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
      upstream: novaMessages.deprecatedName(e.key, group, target.name, target.group),
      explanation: `${e.key} is the old name of ${sectionLabel(target.group)} ${target.name}.` +
        (overridden ? ` ${target.name} is also set, so Nova ignores this line.` : ` Nova still reads it, but rename it to ${target.name}.`),
      tags: overridden ? ['deprecated', 'unnecessary'] : ['deprecated'],
      fixes: overridden ? [{ title: `Remove the old ${e.key}`, preferred: true, edits: [deleteEntry(model, e)] }]
        : sameGroup ? [{ title: `Rename to ${target.name}`, preferred: true, edits: [renameKey(model, e, target.name)] }]
          : [{ ...moveFix(ctx, e, target.group, target.name), preferred: true }],
    };
  }

  const removed = catalog.removed(group, e.key);
  if (removed) {
    return {
      code: 'nova/removed-option', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['unnecessary'],
      explanation: `${here} ${e.key} was removed in ${label(removed.gone)} (last in ${label(removed.last)}); ${label(major)} silently ignores it.`,
      fixes: [{ title: `Remove ${e.key}`, preferred: true, edits: [deleteEntry(model, e)] }],
    };
  }

  const future = catalog.future(group, e.key);
  if (future) {
    // cpu_models before Train: the option then was cpu_model.
    const older = future.deprecatedName && catalog.option(group, future.deprecatedName);
    return {
      code: 'nova/option-not-in-release', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
      explanation: `${here} ${e.key} first appears in ${label(future.since)}; the configured release, ${label(major)}, does not know it and ignores it.` +
        (older ? ` In ${label(major)} the option is ${older.name}.` : '') + ' Check the novaLibvirtCpu.novaRelease setting (or --nova-release) if you run a newer Nova.',
      fixes: older ? [{ title: `Rename to ${older.name}`, preferred: true, edits: [renameKey(model, e, older.name)] }] : [],
    };
  }
  if (catalog.isNovaOption(group, e.key)) return undefined;

  const caseTwin = catalog.caseTwin(group, e.key);
  if (caseTwin) {
    return {
      code: 'nova/unknown-option', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
      explanation: `Option names are case-sensitive: Nova ignores '${e.key}'. Did you mean ${caseTwin}?`,
      fixes: [{ title: `Rename to ${caseTwin}`, preferred: true, edits: [renameKey(model, e, caseTwin)] }],
    };
  }

  const elsewhere = catalog.named(e.key).filter((o) => o.group !== group);
  if (elsewhere.length) {
    const home = elsewhere[0].group;
    return {
      code: 'nova/option-in-wrong-section', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
      explanation: `${e.key} belongs in ${sectionLabel(home)}; Nova does not look for it in ${here}, so this line is ignored.`,
      fixes: [{ ...moveFix(ctx, e, home), preferred: true }],
    };
  }

  // Only where we know every option (and, in [DEFAULT], for near-misses of the CPU options we know:
  // [DEFAULT] also holds oslo.log, oslo.messaging... options from outside Nova).
  const candidates = catalog.knowsWholeGroup(group) ? catalog.candidateNames(group) : catalog.options(group).map((o) => o.name);
  // Where the finding does not depend on a near match, the did-you-mean is for kept findings only.
  const near = catalog.knowsWholeGroup(group) && !ctx.keeps('nova/unknown-option') ? [] : nearestNames(e.key, candidates);
  if (!catalog.knowsWholeGroup(group) && !near.length) return undefined;
  return {
    code: 'nova/unknown-option', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config',
    explanation: `${here} has no option '${quoteValue(e.key)}' in ${label(major)}; oslo.config ignores unknown keys silently.${near.length ? ` Did you mean ${near.join(', ')}?` : ''}`,
    fixes: near.map((n, i) => ({ title: `Rename to ${n}`, preferred: i === 0, edits: [renameKey(model, e, n)] })),
  };
}

/** Sections Nova does not have: a near-miss of a Nova group, or one holding options we know. */
function sections(ctx: RuleContext, typoSections: Set<string>): void {
  const { catalog, model } = ctx;
  const groups = new Set(catalog.novaGroups());
  // A file that repeats a misspelt header asks once.
  const nearOf = new Map<string, string[]>();
  for (const s of model.scan.sections) {
    if (groups.has(s.group) || s.group === 'default' || !s.name) continue;
    let near = nearOf.get(s.name);
    if (!near) nearOf.set(s.name, (near = nearestNames(s.name, groups)));
    const ours = s.entries.some((e) => catalog.named(e.key).length > 0);
    if (!near.length && !ours) continue;
    if (near.length) typoSections.add(s.group);
    ctx.report({
      code: 'nova/unknown-section', severity: 'warning', range: ctx.range(s.nameStart, s.nameEnd), stage: 'oslo.config',
      explanation: `Nova has no [${quoteValue(s.name)}] section, so it ignores every option in it.${near.length ? ` Did you mean [${near.join('], [')}]?` : ''}`,
      fixes: near.map((n, i) => ({ title: `Rename to [${n}]`, preferred: i === 0, edits: [replaceSpan(model, s.nameStart, s.nameEnd, n)] })),
    });
  }
}

function duplicates(ctx: RuleContext): void {
  const code = 'nova/duplicate-option';
  for (const list of ctx.model.occurrences.values()) {
    if (list.length < 2) continue;
    const option = ctx.catalog.option(list[0].section!.group, list[0].key);
    if (option?.type === 'multi') continue;
    const last = list[list.length - 1];
    for (let i = 0; i < list.length - 1; i++) {
      const e = list[i];
      ctx.report({
        code, severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['unnecessary'],
        explanation: `${quoteValue(e.key)} is set again on line ${last.line + 1} (value '${quoteValue(last.value)}'); oslo.config uses the last one, so this line has no effect.`,
        fixes: ctx.keeps(code) ? [{ title: 'Remove this earlier value', preferred: true, edits: [deleteEntry(ctx.model, e)] }] : [],
      });
    }
  }
}

/**
 * A key this file sets for the last time, set again by a file read after it (config set): Nova
 * reads that one, so this line has no effect, and the rules judge the other value in its file.
 */
function overriddenByLaterFile(ctx: RuleContext): void {
  for (const list of ctx.model.occurrences.values()) {
    const e = list[list.length - 1];
    const group = e.section!.group;
    const target = ctx.catalog.option(group, e.key) ? { group, name: e.key } : ctx.catalog.aliasTarget(group, e.key) ?? { group, name: e.key };
    if (ctx.catalog.option(target.group, target.name)?.type === 'multi') continue;
    const winner = ctx.get(target.group, target.name).entry;
    if (!winner?.origin?.later) continue;
    ctx.report({
      code: 'nova/overridden-by-later-file', severity: 'hint', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['unnecessary'],
      explanation: `${winner.origin.label} is read after this file and sets ${quoteValue(winner.key)} = ${quoteValue(winner.value)}; Nova uses that value, so this line has no effect.`,
    });
  }
}

/**
 * oslo.config's deprecated-for-removal warning, logged whenever the option is set (even empty).
 * For vcpu_pin_set, nova-compute adds its own start-up warning (rules/cpusets.ts).
 */
function deprecatedForRemoval(ctx: RuleContext): void {
  for (const group of ctx.catalog.groups()) {
    for (const o of ctx.catalog.options(group)) {
      if (!o.deprecatedForRemoval) continue;
      const e = ctx.get(group, o.name).entry;
      if (!e) continue;
      ctx.report({
        code: 'nova/deprecated-for-removal', severity: 'warning', range: ctx.keyRange(e), stage: 'oslo.config', tags: ['deprecated'],
        upstream: novaMessages.deprecatedForRemoval(o.name, group),
        explanation: `${o.name} is deprecated${o.deprecatedSince ? ` since ${label(o.deprecatedSince)}` : ''} (${o.deprecatedForRemoval}) and may be ignored in a future release.`,
      });
    }
  }
}

const keys: Rule = (ctx) => {
  const typoSections = new Set<string>();
  sections(ctx, typoSections);
  for (const e of ctx.model.scan.entries) {
    if (!e.section) continue;
    const f = checkKey(ctx, e, typoSections);
    if (f) ctx.report(f);
  }
};

export const optionRules: Rule[] = [keys, duplicates, overriddenByLaterFile, deprecatedForRemoval];
