/**
 * What the rules read from a value: oslo.config's conversion (../knowledge/nova/osloTypes.ts, with
 * its exact error texts: ConfigFileValueError wraps them) of the option's type, by release.
 */
import { osloTypeOf, type NovaOption } from '../knowledge/nova/catalog';
import { check, type OsloValue } from '../knowledge/nova/osloTypes';
import { pyStrip } from './python';

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
 */
export const INLINE_COMMENT = /\s+[#;].*$/s;

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

/** oslo.config's reading of the value (Python 3.12's reprs from Nova 2024.1 (29) on, the first tested there). */
export function convert(option: NovaOption, raw: string, major: number): Converted {
  const r = check(osloTypeOf(option), raw, major >= 29);
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
