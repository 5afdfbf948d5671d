/**
 * oslo.config's type checks on the values Nova reads, for every option of every group: choices
 * (case-sensitive), numbers and bounds, booleans, lists and dicts with their item types, IP
 * addresses, host names, URIs, regexes and lengths, with oslo.config's exact ValueError text
 * (Finding.upstream). The log line reads
 * `Value for option <name> from LocationInfo(...) is not valid: <that text>`.
 *
 * Our catalog's options are judged as the configured release defines them. Every other option is
 * known from Nova 26 (Zed) only: at Zed its errors are certain; for another release they are
 * warnings that say so, since that release may define the option differently, or not at all.
 */
import type { Finding, Fix } from '../../core/findings';
import type { Code } from '../../codes';
import { quoteValue } from '../../core/findingCap';
import type { NovaOption } from '../../knowledge/nova/catalog';
import { describeType } from '../../knowledge/nova/osloTypes';
import { majorOf, releaseByMajor, releaseLabel } from '../../knowledge/nova/releases';
import { addBeforeLine, eol, replaceValue } from '../edits';
import { nearestNames } from '../nearest';
import type { Entry } from '../scan';
import { isSetInSet, occurrencesInSet } from '../model';
import { convert, INLINE_COMMENT } from '../values';
import type { Rule, RuleContext } from './context';

const ZED = majorOf('zed');

function codeFor(option: NovaOption, message: string): Code {
  if (message.startsWith('Valid values')) return 'nova/invalid-choice';
  if (message.startsWith('Should be')) return 'nova/out-of-range';
  if (message.startsWith('Unexpected boolean')) return 'nova/invalid-boolean';
  return option.type === 'int' || option.type === 'float' ? 'nova/invalid-number' : 'nova/invalid-value';
}

/** The choices to offer: the option's, or its list items'. */
function choicesOf(option: NovaOption): string[] | undefined {
  const t = option.oslo;
  if (t?.k === 'str' && t.c) return t.c.filter((c): c is string => c !== null);
  if (t?.k === 'list' && t.it.k === 'str' && t.it.c) return t.it.c.filter((c): c is string => c !== null);
  return option.choices?.map((c) => String(c.value));
}

function advice(ctx: RuleContext, option: NovaOption, e: Entry): { why: string; fixes: Fix[] } {
  const value = e.value;
  const fixes: Fix[] = [];
  const bare = value.replace(INLINE_COMMENT, '');
  const notes: string[] = [];
  if (bare !== value) notes.push(`The text after '${value.slice(bare.length).trim()[0]}' is part of the value: oslo.config has no inline comments.`);
  // A fix that drops an inline comment keeps it, on its own line above the entry.
  // Continuation lines after it are part of the comment then: each stays a comment line.
  const comment = bare === value ? '' : value.slice(bare.length).trim().split('\n').map((l) => (/^[#;]/.test(l.trim()) ? l.trim() : `# ${l.trim()}`)).join(eol(ctx.model));
  const change = (title: string, newValue: string, preferred: boolean): Fix => ({
    title: comment ? `${title} (the comment moves to its own line)` : title, preferred,
    edits: comment ? [addBeforeLine(ctx.model, e.line, comment), replaceValue(ctx.model, e, newValue)] : [replaceValue(ctx.model, e, newValue)],
  });
  if (value.includes('\n')) notes.push('The value continues on the indented line(s) below it.');
  const values = choicesOf(option);
  if (values && option.type !== 'list') {
    const exact = values.find((v) => v.toLowerCase() === bare.trim().toLowerCase());
    const near = exact ? [exact] : nearestNames(bare.trim(), values, 2);
    if (exact && exact !== bare.trim()) notes.push(`The choices of ${option.name} are case-sensitive.`);
    for (const [i, v] of near.entries()) fixes.push(change(`Change to '${v}'`, v, i === 0));
    if (option.name === 'cpu_mode' && /^maximum$/i.test(bare.trim())) {
      notes.push("'maximum' is a libvirt domain-XML mode, not a Nova one: use host-passthrough, or custom with cpu_models = max.");
    }
    notes.push(`Use one of: ${values.join(', ')}.`);
  } else if (values) {
    notes.push(`Each item must be one of: ${values.join(', ')}.`);
  } else if (option.type === 'bool') {
    const t = /^(t|y|en|ja)/i.test(bare.trim()) ? 'true' : 'false';
    fixes.push(change(`Change to ${t}`, t, true));
    notes.push('Booleans are true/false, yes/no, on/off or 1/0.');
  } else if (option.type === 'int' || option.type === 'float') {
    const t = option.oslo;
    const min = t && 'min' in t ? t.min : option.min;
    const max = t && 'max' in t ? t.max : option.max;
    const bound = min !== undefined && Number(bare) < min ? min : max !== undefined && Number(bare) > max ? max : undefined;
    if (bound !== undefined) fixes.push(change(`Change to ${bound}`, String(bound), true));
    else if (bare !== value && bare.trim()) fixes.push(change(`Change to ${quoteValue(bare.trim())}`, bare.trim(), true));
    const range = [min !== undefined ? `at least ${min}` : '', max !== undefined ? `at most ${max}` : ''].filter(Boolean).join(' and ');
    notes.push(`${option.name} takes ${option.type === 'int' ? 'a whole number' : 'a number'}${range ? `, ${range}` : ''}; leave it empty for the default.`);
  } else if (option.oslo) {
    notes.push(`${option.name} takes ${describeType(option.oslo)}.`);
    if (/\$|<|>/.test(bare)) notes.push('It looks like a placeholder that was never filled in.');
  }
  return { why: notes.join(' '), fixes };
}

/** string.Template's placeholders as oslo.config configures them (idpattern [_a-z][._a-z0-9]*, any case). */
const PLACEHOLDER = /\$(?:(\$)|([_a-z][._a-z0-9]*)|\{([_a-z][._a-z0-9]*)\})/gi;

/**
 * The value after oslo.config's `$option` substitution, with referenced options' values as this
 * config set gives them; undefined when one is unset (its default may be the host's, like my_ip),
 * so the value cannot be judged. Depth-bounded: a reference cycle is not judged either.
 */
function substituted(ctx: RuleContext, group: string, value: string, depth = 0, budget = { left: ctx.model.text.length }): string | undefined {
  const text = value.replace(/\\\$/g, '$$$$');
  if (!text.includes('$')) return text;
  if (depth > 8) return undefined;
  let unknown = false;
  const out = text.replace(PLACEHOLDER, (_m, dollar: string | undefined, a: string | undefined, b: string | undefined) => {
    if (dollar) return '$';
    // References that fan out (a = $b$b$b..., b = $c$c$c...) expand exponentially: each
    // reference and each character it brings costs from one budget the size of the document.
    if (unknown || --budget.left < 0) { unknown = true; return ''; }
    const ref = (a ?? b)!;
    const dot = ref.indexOf('.');
    const [g, n] = dot > 0 ? [ref.slice(0, dot) === 'DEFAULT' ? 'DEFAULT' : ref.slice(0, dot).toLowerCase(), ref.slice(dot + 1)] : [group, ref];
    const e = ctx.entryOf(g, n) ?? (dot < 0 ? ctx.entryOf('DEFAULT', ref) : undefined);
    const v = e && substituted(ctx, e.section?.group ?? g, e.value, depth + 1, budget);
    if (v === undefined) unknown = true;
    else budget.left -= v.length;
    return v ?? '';
  });
  return unknown ? undefined : out;
}

function check(ctx: RuleContext, option: NovaOption, e: Entry): Finding | undefined {
  const value = substituted(ctx, e.section?.group ?? option.group, e.value);
  if (value === undefined) return undefined;
  const c = convert(option, value, ctx.major);
  if (c.ok) return undefined;
  const { why, fixes } = advice(ctx, option, e);
  const name = `[${option.group}] ${option.name}`;
  const unsure = option.zedOnly && ctx.major !== ZED;
  return {
    code: codeFor(option, c.message), severity: unsure ? 'warning' : 'error', range: ctx.valueRange(e), stage: 'oslo.config', upstream: c.message,
    explanation: (unsure
      ? `Nova 26 (Zed) would not start: ${name} has a value its oslo.config rejects. We know this option only as Zed defines it; check it for ${releaseLabel(releaseByMajor(ctx.major))}.`
      : `Nova will not start: ${name} has a value oslo.config rejects (ConfigFileValueError when the service reads it).`) + (why ? ` ${why}` : ''),
    fixes,
  };
}

/** Checks the value Nova reads for each option (the last occurrence; earlier ones are duplicates). */
const values: Rule = (ctx) => {
  for (const group of ctx.catalog.groups()) {
    for (const option of ctx.catalog.options(group)) {
      if (option.cpuset) continue; // Nova's grammar, in rules/cpusets.ts
      // Most of the catalog is unset in any one file: skip those before any per-option work.
      if (!isSetInSet(ctx.model, option)) continue;
      if (option.type === 'multi') { const f = checkEach(ctx, option); if (f) ctx.report(f); continue; }
      const e = ctx.entryOf(group, option.name);
      const f = e && check(ctx, option, e);
      if (f) ctx.report(f);
    }
  }
  // Every other Nova option, read under its name or an old one (several may read one old name), in any group.
  const judged = new Set<NovaOption>();
  for (const list of ctx.model.occurrences.values()) {
    if (ctx.outOfTime('values')) break;
    const e = list[list.length - 1];
    const group = e.section!.group;
    if (ctx.catalog.option(group, e.key)) continue;
    const own = ctx.catalog.zedOption(group, e.key);
    const readers = ctx.catalog.readersOf(group, e.key);
    if (!own && !readers.length) continue;
    for (const option of [...(own ? [own] : []), ...readers]) {
      if (ctx.catalog.option(option.group, option.name) || judged.has(option)) continue;
      judged.add(option);
      const f = option.type === 'multi' ? checkEach(ctx, option) : ctx.entryOf(option.group, option.name) === e ? check(ctx, option, e) : undefined;
      if (f) ctx.report(f);
    }
  }
};

/** A multi-valued option of a checked type ([DEFAULT] reserved_huge_pages, Dicts): oslo.config stops at the first bad value. */
function checkEach(ctx: RuleContext, option: NovaOption): Finding | undefined {
  if (!option.oslo || option.oslo.k === 'multistr') return undefined;
  const names = [{ group: option.group, name: option.name }, ...(option.aliases ?? [])];
  const perName = names.map((n) => occurrencesInSet(ctx.model, n.group, n.name));
  for (let file = 0; file < ctx.model.members.count; file++) {
    const entries = perName.flatMap((lists) => lists[file]).sort((a, b) => a.start - b.start);
    for (const e of entries) {
      const f = check(ctx, option, e);
      if (f) return f;
    }
  }
  return undefined;
}

export const valueRules: Rule[] = [values];
