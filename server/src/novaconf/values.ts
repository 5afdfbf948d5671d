/**
 * oslo.config's value types, with their exact error texts: what `CONF.group.option` raises
 * (ConfigFileValueError wraps the ValueError message returned here) and what it returns.
 */
import type { NovaOption } from '../knowledge/nova/catalog';
import { check, type OsloValue } from '../knowledge/nova/osloTypes';
import { isPySpace, pyFloat, pyG, pyInt, pyIntError, pyStrip, reprValue } from './python';

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
 * The lookbehind makes a match start only where a run of blanks starts: without it, each position
 * inside a long run would rescan the rest of the run (quadratic on a line of a million blanks).
 */
export const INLINE_COMMENT = /(?<!\s)\s+[#;].*$/s;

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
    return { ok: false, message: isInt ? pyIntError(raw) : `could not convert string to float: ${reprValue(raw)}` };
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
  return { ok: false, message: `Valid values are [${choices.map((c) => c.value ?? 'None').join(', ')}], but found ${reprValue(raw)}` };
}

/**
 * Items of one list judged at most: each costs objects while the rules run (about 300 bytes), so
 * a 32 MiB line of them would take gigabytes. The limits rule says when a list is longer.
 */
export const MAX_LIST_ITEMS = 200_000;

/** The part of a list's text oslo.config splits: stripped, then rstrip(','). */
function listBounds(raw: string): [number, number] {
  let a = 0;
  let b = raw.length;
  while (a < b && isPySpace(raw.charCodeAt(a))) a++;
  while (b > a && isPySpace(raw.charCodeAt(b - 1))) b--;
  while (b > a && raw.charCodeAt(b - 1) === 44 /* , */) b--;
  return [a, b];
}

/** How many items oslo.config's List makes of the text, without making them. */
export function listLength(raw: string): number {
  const [a, b] = listBounds(raw);
  if (a === b) return 0;
  let n = 1;
  for (let i = raw.indexOf(',', a); i >= 0 && i < b; i = raw.indexOf(',', i + 1)) n++;
  return n;
}

/**
 * oslo.config types.List: strip, drop trailing commas (rstrip(',')), split on ',', strip each
 * item. One pass over the text, with offsets; the first MAX_LIST_ITEMS items only.
 */
export function listItems(raw: string): Array<{ text: string; start: number }> {
  const [a, b] = listBounds(raw);
  const out: Array<{ text: string; start: number }> = [];
  for (let p = a; a < b && out.length < MAX_LIST_ITEMS; p++) {
    let q = raw.indexOf(',', p);
    if (q < 0 || q > b) q = b;
    let s = p;
    let e = q;
    while (s < e && isPySpace(raw.charCodeAt(s))) s++;
    while (e > s && isPySpace(raw.charCodeAt(e - 1))) e--;
    out.push({ text: raw.slice(s, e), start: s < e ? s : p });
    if (q === b) break;
    p = q;
  }
  return out;
}

/** The text of a list's first MAX_LIST_ITEMS items (all of it when it has no more). */
function judgedItems(raw: string): string {
  let comma = -1;
  for (let n = 0; n < MAX_LIST_ITEMS; n++) {
    comma = raw.indexOf(',', comma + 1);
    if (comma < 0) return raw;
  }
  return raw.slice(0, comma);
}

/** Rules read lists as text items; other shapes (dicts) as the text itself. */
function typed(value: OsloValue, raw: string): Typed {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : String(v)));
  return value !== null && typeof value === 'object' ? raw : value;
}

export function convert(option: NovaOption, raw: string, major: number): Converted {
  if (option.oslo) {
    const r = check(option.oslo, option.oslo.k === 'list' && !option.oslo.b ? judgedItems(raw) : raw, major >= 29);
    return r.ok ? { ok: true, value: typed(r.value, raw) } : r;
  }
  switch (option.type) {
    case 'int':
    case 'float':
      return number(option, raw, major);
    case 'bool': {
      const value = parseBool(raw);
      return value === undefined ? { ok: false, message: `Unexpected boolean value ${reprValue(raw)}` } : { ok: true, value };
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
