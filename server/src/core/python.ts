/**
 * The few Python built-ins whose exact behaviour decides what Nova accepts: str.strip(),
 * int(), float() and repr() of a string (Nova quotes values with %r in its messages).
 */
import { MAX_UPSTREAM_QUOTED } from './findingCap';

/**
 * Python's str.isspace() for one UTF-16 code unit (wider than JavaScript's trim: the ASCII
 * separators 0x1c-0x1f and 0x85 are blanks; 0xfeff is not).
 */
export function isPySpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPySpace(s.charCodeAt(a))) a++;
  while (b > a && isPySpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** str.rstrip(). */
export function pyRstrip(s: string): string {
  let b = s.length;
  while (b > 0 && isPySpace(s.charCodeAt(b - 1))) b--;
  return s.slice(0, b);
}

const ND = /\p{Nd}/u;

/** The value of one Unicode decimal digit: its offset in its run of ten (runs start at a zero). */
function digitValue(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp >= 48 && cp <= 57) return cp - 48;
  let start = cp;
  while (ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * int(s) with base 10: surrounding whitespace, one sign, any Unicode decimal digits, and single
 * underscores between digits (`1_0` is 10). undefined where Python raises ValueError.
 */
export function pyInt(s: string): number | undefined {
  const plain = plainDigits(s);
  if (plain !== undefined) return plain;
  const m = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u.exec(pyStrip(s));
  if (!m) return undefined;
  let n = 0;
  for (const ch of m[2]) if (ch !== '_') n = n * 10 + digitValue(ch);
  return m[1] === '-' ? -n : n;
}

/** True when int() accepts the text only through one of its quirks (`+3`, `010`, `1_0`, non-ASCII digits). */
export function isOddInt(s: string): boolean {
  if (plainDigits(s) !== undefined) return s.length > 1 && s.charCodeAt(0) === 48;
  return !/^(0|[1-9][0-9]*)$/.test(pyStrip(s));
}

/**
 * The value of a text of 1 to 15 ASCII digits and nothing else (what nearly every number in a
 * config is), else undefined: the fast path of pyInt, which a cpuset of millions of numbers asks
 * once per number (the Unicode regex costs ten times more).
 */
function plainDigits(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 15) return undefined;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return v;
}

const FLOAT_DIGITS = '\\p{Nd}(?:_?\\p{Nd})*';
const FLOAT = new RegExp(`^[+-]?(?:${FLOAT_DIGITS}(?:\\.(?:${FLOAT_DIGITS})?)?|\\.${FLOAT_DIGITS})(?:[eE][+-]?${FLOAT_DIGITS})?$`, 'u');

/** float(s): decimal and exponent forms in any Unicode digits, underscores between digits, inf/nan in any case. */
export function pyFloat(s: string): number | undefined {
  const t = pyStrip(s);
  if (FLOAT.test(t)) return Number([...t.replace(/_/g, '')].map((ch) => (ND.test(ch) ? String(digitValue(ch)) : ch)).join(''));
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/** int()'s ValueError: CPython quotes at most 200 characters of the repr (%.200R). */
export function pyIntError(raw: string): string {
  // Python's %.200R: 400 code units are at least 200 code points, so only a bounded head is repr'd.
  return `invalid literal for int() with base 10: ${[...reprOfHead(raw.slice(0, 400), raw)].slice(0, 200).join('')}`;
}

/** Python's %g (6 significant digits; exponent form below 1e-4 and from 1e6), as in "Should be greater than or equal to %g". */
export function pyG(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, e] = n.toExponential(5).split('e');
  const exp = Number(e);
  const trim = (t: string) => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
  if (exp < -4 || exp >= 6) return `${trim(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trim(n.toFixed(5 - exp));
}

const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

/** repr() of a str: single quotes unless the text has ' and no ", escapes for the unprintable. */
export function pyRepr(s: string): string {
  return reprOfHead(s, s);
}

/** The quote repr() puts around `whole`: single unless it has ' and no ". */
const quoteOf = (whole: string) => (whole.includes("'") && !whole.includes('"') ? '"' : "'");

/** How repr() writes one character (a code point) inside quotes `q`. */
function reprChar(ch: string, q: string): string {
  if (ch === q || ch === '\\') return '\\' + ch;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  if (ch === ' ' || !NOT_PRINTABLE.test(ch)) return ch;
  const cp = ch.codePointAt(0)!;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** repr() of `s`, the head of `whole`, up to where whole's repr would go on: the quote is chosen on the whole string. */
function reprOfHead(s: string, whole: string): string {
  const q = quoteOf(whole);
  let out = q;
  for (const ch of s) out += reprChar(ch, q);
  return out + q;
}

/** Printable ASCII without quotes or backslash: repr() only adds the quotes. */
const PLAIN = /^[ !#-&(-[\]-~]*$/;

/** pyRepr(s).length, without building it. */
function reprLength(s: string): number {
  if (PLAIN.test(s)) return s.length + 2;
  const q = quoteOf(s);
  let n = 2;
  for (const ch of s) n += reprChar(ch, q).length;
  return n;
}

/**
 * repr() of a user's value as a message quotes it: whole when short, else the repr of its head, an
 * ellipsis and its length (as quoteValue cuts plain quotes), so a 32 MB value is not copied into a message.
 */
export function reprValue(s: string, max = MAX_UPSTREAM_QUOTED): string {
  return s.length <= max ? pyRepr(s) : `${reprOfHead(s.slice(0, max), s)}… (${s.length} characters)`;
}

/** repr() of a list of str, as Nova prints cpu_model_extra_flags: ['avx', 'avx2']. */
export function pyListRepr(items: string[]): string {
  return `[${items.map(pyRepr).join(', ')}]`;
}

/**
 * quoteValue(pyListRepr(items), max): the repr of the items up to `max` characters, then only
 * the length of the rest is counted, so a list of 100,000 flags is not written out to be cut.
 */
export function quotedListRepr(items: readonly string[], max = MAX_UPSTREAM_QUOTED): string {
  let head = '[';
  let length = 1;
  for (let i = 0; i < items.length; i++) {
    const sep = i === 0 ? '' : ', ';
    if (length > max) { length += sep.length + reprLength(items[i]); continue; }
    const r = pyRepr(items[i]);
    head += sep + r;
    length += sep.length + r.length;
  }
  head += ']';
  length += 1;
  return length <= max ? head : `${head.slice(0, max)}… (${length} characters)`;
}
