/**
 * oslo.config's value types, with their exact error texts: what `CONF.group.option` raises
 * (ConfigFileValueError wraps the ValueError message returned here) and what it returns.
 */
import type { NovaOption } from '../knowledge/nova/catalog';
import { check, type OsloValue } from '../knowledge/nova/osloTypes';
import { pyFloat, pyG, pyInt, pyIntError, pyRepr, pyStrip } from './python';

export type Typed = string | number | boolean | string[] | null;
export type Converted = { ok: true; value: Typed } | { ok: false; message: string };

const TRUE = ['true', '1', 'on', 'yes'];
const FALSE = ['false', '0', 'off', 'no'];

/** oslo.config's Boolean: undefined where it raises. */
export function parseBool(raw: string): boolean | undefined {
  const s = raw.toLowerCase();
  return TRUE.includes(s) ? true : FALSE.includes(s) ? false : undefined;
}

/**
 * What users mean as an inline comment: whitespace, then # or ;, to the end. oslo.config has no
 * inline comments, so this text is part of the value; rules point at it and judge the value without it.
 */
export const INLINE_COMMENT = /\s+[#;].*$/s;

/** Python's repr of an int-choices OrderedDict changed in 3.12; Nova 2024.1 (29) is the first tested there. */
function orderedDictRepr(values: Array<string | number | null>, major: number): string {
  return major >= 29
    ? `OrderedDict({${values.map((v) => `${v}: None`).join(', ')}})`
    : `OrderedDict([${values.map((v) => `(${v}, None)`).join(', ')}])`;
}

function number(option: NovaOption, raw: string, major: number): Converted {
  if (pyStrip(raw) === '') return { ok: true, value: null };
  const isInt = option.type === 'int';
  const value = isInt ? pyInt(raw) : pyFloat(raw);
  if (value === undefined) {
    return { ok: false, message: isInt ? pyIntError(raw) : `could not convert string to float: ${pyRepr(raw)}` };
  }
  if (option.choices) {
    if (!option.choices.some((c) => c.value === value)) {
      return { ok: false, message: `Valid values are ${orderedDictRepr(option.choices.map((c) => c.value), major)}, but found ${pyG(value)}` };
    }
  } else {
    if (option.min !== undefined && value < option.min) return { ok: false, message: `Should be greater than or equal to ${pyG(option.min)}` };
    if (option.max !== undefined && value > option.max) return { ok: false, message: `Should be less than or equal to ${pyG(option.max)}` };
  }
  return { ok: true, value };
}

function string(choices: NovaOption['choices'], ignoreCase: boolean | undefined, raw: string): Converted {
  if (!choices) return { ok: true, value: raw };
  const hit = ignoreCase ? choices.some((c) => String(c.value).toLowerCase() === raw.toLowerCase()) : choices.some((c) => c.value === raw);
  if (hit) return { ok: true, value: raw };
  return { ok: false, message: `Valid values are [${choices.map((c) => c.value ?? 'None').join(', ')}], but found ${pyRepr(raw)}` };
}

/** oslo.config types.List: strip, drop trailing commas, split on ',', strip each item. */
export function listItems(raw: string): Array<{ text: string; start: number }> {
  let at = 0;
  while (at < raw.length && pyStrip(raw[at]) === '') at++;
  const s = pyStrip(raw).replace(/,+$/, '');
  if (!s) return [];
  const out: Array<{ text: string; start: number }> = [];
  for (const piece of s.split(',')) {
    const text = pyStrip(piece);
    out.push({ text, start: at + (text ? piece.indexOf(text) : 0) });
    at += piece.length + 1;
  }
  return out;
}

/** Rules read lists as text items; other shapes (dicts) as the text itself. */
function typed(value: OsloValue, raw: string): Typed {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : String(v)));
  return value !== null && typeof value === 'object' ? raw : value;
}

export function convert(option: NovaOption, raw: string, major: number): Converted {
  if (option.oslo) {
    const r = check(option.oslo, raw, major >= 29);
    return r.ok ? { ok: true, value: typed(r.value, raw) } : r;
  }
  switch (option.type) {
    case 'int':
    case 'float':
      return number(option, raw, major);
    case 'bool': {
      const value = parseBool(raw);
      return value === undefined ? { ok: false, message: `Unexpected boolean value ${pyRepr(raw)}` } : { ok: true, value };
    }
    case 'list': {
      const items = listItems(raw).map((i) => i.text);
      for (const item of items) {
        const r = string(option.choices, option.choicesIgnoreCase, item);
        if (!r.ok) return r;
      }
      return { ok: true, value: items };
    }
    case 'str':
      return string(option.choices, option.choicesIgnoreCase, raw);
    default:
      // MultiOpt (Dict items) and HostDomainOpt: we do not model their grammar; accept.
      return { ok: true, value: raw };
  }
}

/** The option's default as a typed value (lists default to []). */
export function defaultOf(option: NovaOption): Typed {
  if (option.default === undefined) return option.type === 'list' ? [] : null;
  return option.default as Typed;
}

/** A default as users would write it in nova.conf. */
export function formatDefault(option: NovaOption): string {
  const d = option.default;
  if ((d === undefined || d === null) && option.type === 'list') return '(empty list)';
  if (d === undefined || d === null) return '<None>';
  if (Array.isArray(d)) return d.join(',');
  return String(d);
}
