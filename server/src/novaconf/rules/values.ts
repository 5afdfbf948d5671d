/**
 * oslo.config's type checks on the values Nova reads: choices (case-sensitive), numbers,
 * bounds and booleans, with oslo.config's exact ValueError text. The log line reads
 * `Value for option <name> from LocationInfo(...) is not valid: <that text>`.
 */
import type { Finding, Fix } from '../../core/findings';
import { quoteValue } from '../../core/findingCap';
import type { NovaOption } from '../../knowledge/nova/catalog';
import { replaceValue } from '../edits';
import { nearestNames } from '../nearest';
import type { Entry } from '../scan';
import { convert, INLINE_COMMENT } from '../values';
import type { Rule, RuleContext } from './context';

function codeFor(option: NovaOption, message: string): string {
  if (message.startsWith('Valid values')) return 'nova/invalid-choice';
  if (message.startsWith('Should be')) return 'nova/out-of-range';
  if (message.startsWith('Unexpected boolean')) return 'nova/invalid-boolean';
  return option.type === 'int' || option.type === 'float' ? 'nova/invalid-number' : 'nova/invalid-value';
}

function advice(ctx: RuleContext, option: NovaOption, e: Entry): { why: string; fixes: Fix[] } {
  const value = e.value;
  const fixes: Fix[] = [];
  const bare = value.replace(INLINE_COMMENT, '');
  const notes: string[] = [];
  if (bare !== value) notes.push(`The text after '${value.slice(bare.length).trim()[0]}' is part of the value: oslo.config has no inline comments.`);
  if (value.includes('\n')) notes.push('The value continues on the indented line(s) below it.');
  if (option.choices) {
    const values = option.choices.map((c) => String(c.value));
    const exact = values.find((v) => v.toLowerCase() === bare.trim().toLowerCase());
    const near = exact ? [exact] : nearestNames(bare.trim(), values, 2);
    if (exact && exact !== bare.trim()) notes.push(`The choices of ${option.name} are case-sensitive.`);
    for (const [i, v] of near.entries()) fixes.push({ title: `Change to '${v}'`, preferred: i === 0, edits: [replaceValue(ctx.model, e, v)] });
    if (option.name === 'cpu_mode' && /^maximum$/i.test(bare.trim())) {
      notes.push("'maximum' is a libvirt domain-XML mode, not a Nova one: use host-passthrough, or custom with cpu_models = max.");
    }
    notes.push(`Use one of: ${values.join(', ')}.`);
  } else if (option.type === 'bool') {
    const t = /^(t|y|en|ja)/i.test(bare.trim()) ? 'true' : 'false';
    fixes.push({ title: `Change to ${t}`, preferred: true, edits: [replaceValue(ctx.model, e, t)] });
    notes.push('Booleans are true/false, yes/no, on/off or 1/0.');
  } else if (option.type === 'int' || option.type === 'float') {
    const bound = option.min !== undefined && Number(bare) < option.min ? option.min : option.max !== undefined && Number(bare) > option.max ? option.max : undefined;
    if (bound !== undefined) fixes.push({ title: `Change to ${bound}`, preferred: true, edits: [replaceValue(ctx.model, e, String(bound))] });
    else if (bare !== value && bare.trim()) fixes.push({ title: `Change to ${quoteValue(bare.trim())}`, preferred: true, edits: [replaceValue(ctx.model, e, bare.trim())] });
    const range = [option.min !== undefined ? `at least ${option.min}` : '', option.max !== undefined ? `at most ${option.max}` : ''].filter(Boolean).join(' and ');
    notes.push(`${option.name} takes ${option.type === 'int' ? 'a whole number' : 'a number'}${range ? `, ${range}` : ''}; leave it empty for the default.`);
  }
  return { why: notes.join(' '), fixes };
}

function check(ctx: RuleContext, option: NovaOption, e: Entry): Finding | undefined {
  const c = convert(option, e.value, ctx.major);
  if (c.ok) return undefined;
  const { why, fixes } = advice(ctx, option, e);
  return {
    code: codeFor(option, c.message), severity: 'error', range: ctx.valueRange(e), stage: 'oslo.config', upstream: c.message,
    explanation: `Nova fails reading ${option.name} (ConfigFileValueError: Value for option ${option.name} ... is not valid). ${why}`.trim(),
    fixes,
  };
}

/** Checks the value Nova reads for each option (the last occurrence; earlier ones are duplicates). */
const values: Rule = (ctx) => {
  for (const group of ctx.catalog.groups()) {
    for (const option of ctx.catalog.options(group)) {
      if (option.cpuset || option.type === 'multi') continue; // cpusets: Nova's grammar, in rules/cpusets.ts
      const e = ctx.get(group, option.name).entry;
      const f = e && check(ctx, option, e);
      if (f) ctx.report(f);
    }
  }
  // Every other Nova option oslo.config can reject (numbers, booleans, choices), in any group.
  for (const list of ctx.model.occurrences.values()) {
    const e = list[list.length - 1];
    const group = e.section!.group;
    if (ctx.catalog.option(group, e.key) || ctx.catalog.aliasTarget(group, e.key)) continue;
    // A later file of the config set overrides it: Nova never reads this value.
    if (ctx.get(group, e.key).entry !== e) continue;
    const option = ctx.catalog.checkedElsewhere(group, e.key);
    const f = option && check(ctx, option, e);
    if (f) ctx.report(f);
  }
};

export const valueRules: Rule[] = [values];
