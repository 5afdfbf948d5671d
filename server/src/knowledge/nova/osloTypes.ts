/**
 * oslo.config's value types (oslo_config/types.py, as Nova 26 ships it), with their exact
 * ValueError texts: what `CONF.group.option` reports for a value in nova.conf. The type of each
 * Nova 26 option is generated data (server/data/nova-zed.json, scripts/gen-nova-zed.py).
 */
import { MAX_UPSTREAM_QUOTED, quoteValue } from '../../core/findingCap';
import { pyFloat, pyG, pyInt, pyIntError, pyRepr, pyStrip, reprValue } from '../../core/python';
import { checkUri } from './rfc3986';

export type OsloType =
  | { k: 'str'; c?: Array<string | null>; re?: string; ic?: 1; q?: 1; ml?: number }
  | { k: 'multistr' }
  | { k: 'bool' }
  | { k: 'int' | 'float' | 'port'; min?: number; max?: number; c?: number[] }
  | { k: 'list'; it: OsloType; b?: 1 }
  | { k: 'dict'; vt: OsloType; b?: 1 }
  | { k: 'ip' | 'hostaddress' | 'hostdomain'; v?: 4 | 6 }
  | { k: 'hostname' }
  | { k: 'uri'; sc?: string[]; ml?: number }
  /** A library's own converter (oslo.privsep's CapNameOrInt): not judged. */
  | { k: 'other' };

export type OsloValue = string | number | boolean | null | OsloValue[] | { [key: string]: OsloValue };
export type OsloResult = { ok: true; value: OsloValue } | { ok: false; message: string };

const ok = (value: OsloValue): OsloResult => ({ ok: true, value });
const bad = (message: string): OsloResult => ({ ok: false, message });

/** Python's repr of an OrderedDict of int choices (3.11, as Nova 26 runs; 3.12 prints it as a dict). */
export function orderedDictRepr(values: Array<string | number | null>, py312: boolean): string {
  return py312
    ? `OrderedDict({${values.map((v) => `${v}: None`).join(', ')}})`
    : `OrderedDict([${values.map((v) => `(${v}, None)`).join(', ')}])`;
}

/**
 * A Python regex of the simple kind Nova's options use, as JavaScript: \w, \d and \s are Unicode
 * in Python 3, `.` is anything but \n, and `$` also matches before a final \n.
 */
function jsRegex(pattern: string, ignoreCase: boolean): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i];
      const w = inClass ? '\\p{L}\\p{N}_' : '[\\p{L}\\p{N}_]';
      out += n === 'w' ? w : n === 'd' ? '\\p{Nd}' : n === 'W' ? '[^\\p{L}\\p{N}_]' : n === 'D' ? '\\P{Nd}' : `\\${n}`;
      continue;
    }
    if (inClass) { if (ch === ']') inClass = false; out += ch; continue; }
    if (ch === '[') { inClass = true; out += ch; if (pattern[i + 1] === '^') out += pattern[++i]; if (pattern[i + 1] === ']') out += '\\' + pattern[++i]; continue; }
    out += ch === '.' ? '[^\\n]' : ch === '$' ? '(?=\\n?$)' : ch;
  }
  return new RegExp(out, ignoreCase ? 'iu' : 'u');
}

function string(t: Extract<OsloType, { k: 'str' }>, raw: string): OsloResult {
  let value = raw;
  if (t.q && value && (value[0] === '"' || value[0] === "'")) {
    if (value.length === 1 || value.at(-1) !== value[0]) return bad(`Non-closed quote: ${quoteValue(value, MAX_UPSTREAM_QUOTED)}`);
    value = value.slice(1, -1);
  }
  if (t.ml && codePoints(value) > t.ml) return bad(`Value '${quoteValue(value, MAX_UPSTREAM_QUOTED)}' exceeds maximum length ${t.ml}`);
  if (t.re !== undefined && !jsRegex(t.re, !!t.ic).test(value)) return bad(`Value ${reprValue(value)} doesn't match regex ${pyRepr(t.re)}`);
  if (!t.c) return ok(value);
  const hit = t.ic ? t.c.some((c) => c !== null && c.toLowerCase() === value.toLowerCase()) : t.c.includes(value);
  return hit ? ok(value) : bad(`Valid values are [${t.c.map((c) => c ?? 'None').join(', ')}], but found ${reprValue(value)}`);
}

function number(t: Extract<OsloType, { k: 'int' | 'float' | 'port' }>, raw: string, py312: boolean): OsloResult {
  if (pyStrip(raw) === '') return ok(null);
  const isInt = t.k !== 'float';
  const value = isInt ? pyInt(raw) : pyFloat(raw);
  if (value === undefined) {
    return bad(isInt ? pyIntError(raw) : `could not convert string to float: ${reprValue(raw)}`);
  }
  const min = t.k === 'port' ? t.min ?? 0 : t.min;
  const max = t.k === 'port' ? t.max ?? 65535 : t.max;
  if (t.c) return t.c.includes(value) ? ok(value) : bad(`Valid values are ${orderedDictRepr(t.c, py312)}, but found ${pyG(value)}`);
  if (min !== undefined && value < min) return bad(`Should be greater than or equal to ${pyG(min)}`);
  if (max !== undefined && value > max) return bad(`Should be less than or equal to ${pyG(max)}`);
  return ok(value);
}

const TRUE = ['true', '1', 'on', 'yes'];
const FALSE = ['false', '0', 'off', 'no'];

function boolean(raw: string): OsloResult {
  const s = raw.toLowerCase();
  return TRUE.includes(s) ? ok(true) : FALSE.includes(s) ? ok(false) : bad(`Unexpected boolean value ${reprValue(raw)}`);
}

/**
 * types.List and types.Dict do not know whether an item may hold a comma: when an item fails,
 * they join the next piece to it and try again, and report the error of the last attempt.
 * The first attempt is pieces[at..from] (Dict's first piece with a ':': every shorter one fails
 * alike); `mayJoin` false says no text with a comma is a value, so every longer attempt fails too
 * and only the last one (the whole rest) needs trying. Either way a failing value of 100,000
 * pieces costs two attempts, not 100,000 ever longer ones (quadratic).
 */
function joinUntilValid<T>(pieces: string[], at: number, from: number, attempt: (text: string) => { ok: true; value: T } | { ok: false; message: string }, mayJoin = true):
  { ok: true; value: T; next: number } | { ok: false; message: string } {
  let text = from === at ? pieces[at] : pieces.slice(at, from + 1).join(',');
  for (let i = from + 1; ; i++) {
    const r = attempt(text);
    if (r.ok) return { ok: true, value: r.value, next: i };
    if (i >= pieces.length) return r;
    if (!mayJoin) {
      const last = attempt(pieces.slice(at).join(','));
      return last.ok ? { ok: true, value: last.value, next: pieces.length } : last;
    }
    text += ',' + pieces[i];
  }
}

/** Whether a text holding a comma can be a value of this type (a quoted string, a URI...). */
function mayHoldComma(t: OsloType): boolean {
  switch (t.k) {
    case 'bool': case 'int': case 'float': case 'port': case 'ip': case 'hostname': case 'hostaddress': case 'hostdomain':
      return false;
    case 'str':
      return !!t.q || t.re !== undefined || !t.c || t.c.some((c) => c?.includes(','));
    default:
      return true;
  }
}

/** Python's len(): code points, counted without spreading the string into an array. */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function list(t: Extract<OsloType, { k: 'list' }>, raw: string, py312: boolean): OsloResult {
  // rstrip(','), as a loop: /,+$/ rescans from every comma of a long run of them (quadratic).
  let s = pyStrip(raw);
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 44) end--;
  s = s.slice(0, end);
  if (t.b) {
    if (!s.startsWith('[')) return bad('Value should start with "["');
    if (!s.endsWith(']')) return bad('Value should end with "]"');
    s = s.slice(1, -1);
  }
  if (!s) return ok([]);
  const pieces = s.split(',');
  const out: OsloValue[] = [];
  for (let at = 0; at < pieces.length;) {
    const r = joinUntilValid(pieces, at, at, (text) => check(t.it, pyStrip(text), py312), mayHoldComma(t.it));
    if (!r.ok) return r;
    out.push(r.value);
    at = r.next;
  }
  return ok(out);
}

function dict(t: Extract<OsloType, { k: 'dict' }>, raw: string, py312: boolean): OsloResult {
  let s = pyStrip(raw);
  if (t.b) {
    if (!s.startsWith('{')) return bad('Value should start with "{"');
    if (!s.endsWith('}')) return bad('Value should end with "}"');
    s = s.slice(1, -1);
  }
  const out: { [key: string]: OsloValue } = {};
  if (s === '') return ok(out);
  const pieces = s.split(',');
  const mayJoin = mayHoldComma(t.vt);
  for (let at = 0; at < pieces.length;) {
    // Attempts fail until the text has a ':' (the last piece when none has: that attempt's error is the one).
    let from = at;
    while (from < pieces.length - 1 && !pieces[from].includes(':')) from++;
    // Once it has one, the key is fixed and only the value grows: a value of a type that never
    // holds a comma fails from then on.
    const r = joinUntilValid(pieces, at, from, (pair): OsloResult & { key?: string } => {
      const colon = pair.indexOf(':');
      if (colon < 0) return bad('Value should be NAME:VALUE pairs separated by ","');
      const v = check(t.vt, pyStrip(pair.slice(colon + 1)), py312);
      return v.ok ? { ok: true, value: [pyStrip(pair.slice(0, colon)), v.value] } : v;
    }, mayJoin);
    if (!r.ok) return r;
    const [key, value] = r.value as [string, OsloValue];
    if (key === '') return bad('Key name should not be empty');
    if (Object.prototype.hasOwnProperty.call(out, key)) return bad(`Duplicate key ${key}`);
    out[key] = value;
    at = r.next;
  }
  return ok(out);
}

/** glibc's inet_pton(AF_INET): four decimal parts 0..255, no leading zeros. */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** glibc's inet_pton(AF_INET6): up to eight hex groups, one `::`, an optional IPv4 tail. */
export function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  const double = s.indexOf('::');
  if (double >= 0 && s.indexOf('::', double + 1) >= 0) return false;
  const groupsOf = (part: string): number | undefined => {
    if (part === '') return 0;
    const gs = part.split(':');
    let n = 0;
    for (const [i, g] of gs.entries()) {
      if (i === gs.length - 1 && g.includes('.')) { if (!isIPv4(g)) return undefined; n += 2; continue; }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      n++;
    }
    return n;
  };
  if (double < 0) return groupsOf(s) === 8;
  const head = s.slice(0, double);
  const tail = s.slice(double + 2);
  if (head.includes('.')) return false;
  const a = groupsOf(head);
  const b = groupsOf(tail);
  return a !== undefined && b !== undefined && a + b <= 7;
}

function ipAddress(version: 4 | 6 | undefined, value: string): OsloResult {
  if (!value) return bad('IP address cannot be an empty string');
  if (version === 4) return isIPv4(value) ? ok(value) : bad(`${quoteValue(value, MAX_UPSTREAM_QUOTED)} is not an IPv4 address`);
  if (version === 6) return isIPv6(value) ? ok(value) : bad(`${quoteValue(value, MAX_UPSTREAM_QUOTED)} is not an IPv6 address`);
  return isIPv4(value) || isIPv6(value) ? ok(value) : bad(`${quoteValue(value, MAX_UPSTREAM_QUOTED)} is not IPv4 or IPv6 address`);
}

const HOSTNAME_SEGMENT = /^(?!-)[A-Z0-9-]{1,63}(?<!-)$/i;
const DOMAIN_SEGMENT = /^(?!-)[A-Z0-9-_]{1,63}(?<!-)$/i;

function hostname(raw: string, segment = HOSTNAME_SEGMENT): OsloResult {
  if (raw.length === 0) return bad('Cannot have an empty hostname');
  if (raw.length > 253) return bad(`hostname is greater than 253 characters: ${quoteValue(raw, MAX_UPSTREAM_QUOTED)}`);
  const value = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  const labels = value.split('.');
  if (!/[a-zA-Z-]/.test(labels[labels.length - 1])) {
    return bad(`${value} contains no non-numeric characters in the top-level domain part of the host name and is invalid`);
  }
  // Python's `$` also matches before a final newline; a label never ends in one here (values are stripped).
  if (labels.some((l) => !segment.test(l))) return bad(`${value} is an invalid hostname`);
  return ok(value);
}

function hostAddress(version: 4 | 6 | undefined, value: string, domain: boolean): OsloResult {
  if (ipAddress(version, value).ok) return ok(value);
  const h = hostname(value);
  if (h.ok) return h;
  if (domain) {
    const d = hostname(value, DOMAIN_SEGMENT);
    if (d.ok) return d;
  }
  return bad(`${quoteValue(value, MAX_UPSTREAM_QUOTED)} is not a valid host address`);
}

/**
 * oslo.config's conversion of one value (a MultiStrOpt's each occurrence). `py312`: Python 3.12's
 * repr of the OrderedDict in integer-choice errors (Nova 2024.1 and later run there).
 */
export function check(t: OsloType, raw: string, py312 = false): OsloResult {
  switch (t.k) {
    case 'str': return string(t, raw);
    case 'multistr': case 'other': return ok(raw);
    case 'bool': return boolean(raw);
    case 'int': case 'float': case 'port': return number(t, raw, py312);
    case 'list': return list(t, raw, py312);
    case 'dict': return dict(t, raw, py312);
    case 'ip': return ipAddress(t.v, raw);
    case 'hostname': return hostname(raw);
    case 'hostaddress': return hostAddress(t.v, raw, false);
    case 'hostdomain': return hostAddress(t.v, raw, true);
    case 'uri': {
      const m = checkUri(raw, t.sc);
      if (m) return bad(m);
      if (t.ml !== undefined && codePoints(raw) > t.ml) return bad(`Value '${quoteValue(raw, MAX_UPSTREAM_QUOTED)}' exceeds maximum length ${t.ml}`);
      return ok(raw);
    }
  }
}

/** How users would name the type in a sentence. */
export function describeType(t: OsloType): string {
  switch (t.k) {
    case 'str': return t.c ? 'one of its choices' : t.re ? 'text matching its pattern' : 'text';
    case 'multistr': return 'text (may be set several times)';
    case 'bool': return 'a boolean';
    case 'int': return 'a whole number';
    case 'port': return 'a port number (0-65535)';
    case 'float': return 'a number';
    case 'list': return `a comma-separated list of ${describeType(t.it)}`;
    case 'dict': return 'key:value pairs separated by commas';
    case 'ip': return t.v ? `an IPv${t.v} address` : 'an IP address';
    case 'hostname': return 'a host name';
    case 'hostaddress': case 'hostdomain': return 'an IP address or host name';
    case 'uri': return t.sc ? `a URL (${t.sc.join(', ')})` : 'a URL with a scheme and a host';
    case 'other': return 'a value';
  }
}
