/**
 * What the rules read from a value: oslo.config's conversion (../knowledge/nova/osloTypes.ts, with
 * its exact error texts: ConfigFileValueError wraps them) of the option's type, by release.
 */
import { osloTypeOf, type NovaOption } from '../knowledge/nova/catalog';
import { check, type OsloValue } from '../knowledge/nova/osloTypes';
import { isPySpace } from '../core/python';
import { majorOf } from '../knowledge/nova/releases';

export type Typed = string | number | boolean | string[] | null;
export type Converted = { ok: true; value: Typed } | { ok: false; message: string };

/** oslo.config's Boolean: undefined where it raises. */
export function parseBool(raw: string): boolean | undefined {
  const r = check({ k: 'bool' }, raw);
  return r.ok ? (r.value as boolean) : undefined;
}

/**
 * What users mean as an inline comment: whitespace, then # or ;, to the end. oslo.config has no
 * inline comments, so this text is part of the value; rules point at it and judge the value without it.
 * The lookbehind makes a match start only where a run of blanks starts: without it, each position
 * inside a long run would rescan the rest of the run (quadratic on a line of a million blanks).
 */
export const INLINE_COMMENT = /(?<!\s)\s+[#;].*$/s;

/**
 * Items of one list judged at most: each costs objects while the rules run (about 300 bytes), so
 * a 16 MiB line of them would take gigabytes. The limits rule says when a list is longer.
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

/** oslo.config's reading of the value (Python 3.12's reprs from Nova 2024.1 (29) on, the first tested there). */
export function convert(option: NovaOption, raw: string, major: number): Converted {
  const type = osloTypeOf(option);
  const r = check(type, type.k === 'list' && !type.b ? judgedItems(raw) : raw, major >= majorOf('caracal'));
  return r.ok ? { ok: true, value: typed(r.value, raw) } : r;
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
