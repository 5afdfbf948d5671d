/**
 * A small, position-keeping, tolerant XML scanner.
 *
 * Why not fast-xml-parser for this: its `captureMetaData` records only an element's start
 * offset (no attribute, value or end offsets), its tree builder refuses deep nesting
 * ("Maximum nested tags exceeded") and gives up on half-typed text. Measured on a
 * 200-line domain it costs ~1 ms against ~0.1 ms for this scanner, which also keeps every
 * attribute's name/value range. fast-xml-parser's XMLValidator is still the judge of
 * well-formedness (see wellformed.ts).
 *
 * Tolerance: unclosed elements close at end of text, a stray end tag pops to the nearest
 * matching open element (or is ignored), an unterminated start tag or attribute value ends
 * at the next `<`. No recursion anywhere: nesting depth costs heap, never stack.
 * Entities are never expanded (only the five predefined ones and character references).
 */
import { pacer, type Deadline } from '../core/deadline';

export interface XmlAttr {
  name: string;
  value: string;
  nameStart: number;
  nameEnd: number;
  /** Offsets of the value without its quotes. */
  valueStart: number;
  valueEnd: number;
  /** false for `a=b` or `a` without a value. */
  quoted: boolean;
}

export interface XmlElement {
  name: string;
  /** Offset of `<`. */
  start: number;
  /** Offset after the name in the start tag. */
  nameEnd: number;
  /** Offset after the start tag's `>` (or where the unterminated tag stopped). */
  openEnd: number;
  /** Offset of the end tag's `<` (== openEnd for `<x/>`; end of text when never closed). */
  closeStart: number;
  /** Offset after the whole element. */
  end: number;
  selfClosing: boolean;
  /** false when the start tag had no `>` or the element was never closed. */
  complete: boolean;
  attrs: XmlAttr[];
  children: XmlElement[];
  parent?: XmlElement;
  /** Direct character data (entities decoded), concatenated. */
  text: string;
  /** Range of the direct text, trimmed of blanks (== openEnd when there is none). */
  textStart: number;
  textEnd: number;
}

export interface ScanResult {
  root?: XmlElement;
  /** Every element in document order (handy for flat lookups, never recursed). */
  elements: XmlElement[];
  doctype?: { start: number; end: number; declaresEntities: boolean };
  /** Where the scan stopped because the text has more elements or attributes than MAX_ITEMS. */
  cutAt?: number;
  /** Where the scan stopped because the time budget ran out (scanXml's deadline): the tree is a prefix, no rule may judge it. */
  outOfTime?: number;
  /** Element (start and end tag) and attribute names longer than LONG_NAME, as [from, to) offsets in text order. */
  longNames: Array<[number, number]>;
}

/** A name longer than this is recorded in `longNames` (the well-formedness check shortens them). */
export const LONG_NAME = 256;

/**
 * Elements plus attributes kept at most. The biggest real domains (4,096 vCPUs, each pinned and
 * listed in <vcpus>) have about 30,000; past this a file is generated or hostile, and keeping
 * every element would cost memory without bound (a million nested elements took 1.5 GB).
 */
export const MAX_ITEMS = 200_000;

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || (c >= 0xc0 && c <= 0xffef);
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 0xb7;
const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The shared empty list of attributes and children: most elements have no attributes or no
 * children, and a million nested elements must not cost two million empty arrays. Frozen, so
 * that only the scanner (which replaces it before the first push) can add to a list.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

const PREDEFINED = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"]]);

/** Parts joined into one string this many at a time, so six million references never mean six million live pieces. */
const JOIN_EVERY = 2048;

/**
 * Decodes the predefined entities and character references; anything else stays literal.
 * One forward scan (a replace() with a callback over 6M `&amp;` took 6 s and 1 GB).
 * `spent(offset)` (the scan's pacer; `base` is s's offset in the text) stops the decoding, the
 * rest left literal, once the time budget is spent: the scan stops right after.
 */
export function decodeEntities(s: string, spent?: (at: number) => boolean, base = 0): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  const chunks: string[] = [];
  let parts: string[] = [];
  let last = 0;
  while (amp >= 0) {
    const semi = referenceEnd(s, amp);
    const decoded = semi < 0 ? undefined : decodeReference(s.slice(amp + 1, semi));
    if (decoded === undefined) { amp = s.indexOf('&', amp + 1); continue; }
    parts.push(s.slice(last, amp), decoded);
    last = semi + 1;
    if (parts.length >= JOIN_EVERY) {
      chunks.push(parts.join(''));
      parts = [];
      if (spent?.(base + last)) break;
    }
    amp = s.indexOf('&', last);
  }
  parts.push(s.slice(last));
  chunks.push(parts.join(''));
  return chunks.join('');
}

const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDecDigit = (c: number) => c >= 48 && c <= 57;
const isHexDigit = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** The offset of the ';' ending a reference `&#xH;`, `&#N;` or `&name;` (ASCII letters) at `amp`, or -1. */
function referenceEnd(s: string, amp: number): number {
  let j = amp + 1;
  let ok: (c: number) => boolean = isAsciiLetter;
  if (s.charCodeAt(j) === 35 /* # */) {
    j++;
    if (s.charCodeAt(j) === 120 /* x */) { j++; ok = isHexDigit; } else ok = isDecDigit;
  }
  const from = j;
  while (ok(s.charCodeAt(j))) j++;
  return j > from && s.charCodeAt(j) === 59 /* ; */ ? j : -1;
}

/** The text of a reference's body (`#x41`, `#65`, `amp`), or undefined when it is kept literally. */
function decodeReference(body: string): string | undefined {
  if (body[0] !== '#') return PREDEFINED.get(body);
  const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

/**
 * `deadline`: the analysis's time budget, asked every CHECK_EVERY characters; once spent the scan
 * stops there (ScanResult.outOfTime).
 */
export function scanXml(text: string, deadline?: Deadline): ScanResult {
  const elements: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let doctype: ScanResult['doctype'];
  let items = 0;
  let cutAt: number | undefined;
  let outOfTime: number | undefined;
  const spent = pacer(deadline, (at) => `reading the XML from offset ${at.toLocaleString('en')} on, and so the well-formedness check and every rule (they would judge a part of the file)`);
  const longNames: Array<[number, number]> = [];
  const n = text.length;
  let i = 0;

  const readName = (at: number): number => {
    let j = at;
    if (j < n && isNameStart(text.charCodeAt(j))) { j++; while (j < n && isNameChar(text.charCodeAt(j))) j++; }
    if (j - at > LONG_NAME) longNames.push([at, j]);
    return j;
  };
  // The next '<' (or quote) at or after an offset, remembered per character: a tag with many
  // attributes asks once per value, and searching afresh each time was quadratic in the text.
  const nextOf = (ch: string) => {
    let at = -1;
    return (from: number): number => {
      if (at !== -2 && at < from) { at = text.indexOf(ch, from); if (at < 0) at = -2; }
      return at === -2 ? -1 : at;
    };
  };
  const nextLt = nextOf('<');
  const nextQuote: Record<string, (from: number) => number> = { '"': nextOf('"'), "'": nextOf("'") };

  const addText = (from: number, to: number) => {
    const el = stack[stack.length - 1];
    if (!el || to <= from) return;
    const raw = text.slice(from, to);
    let a = 0; let b = raw.length;
    while (a < b && isBlank(raw.charCodeAt(a))) a++;
    while (b > a && isBlank(raw.charCodeAt(b - 1))) b--;
    if (a === b && el.text === '') return;
    if (el.text === '' && a < b) el.textStart = from + a;
    if (a < b) el.textEnd = from + b;
    el.text += decodeEntities(raw, spent, from);
  };

  while (i < n) {
    if (spent(i)) { outOfTime = i; break; }
    const lt = text.indexOf('<', i);
    if (lt < 0) { addText(i, n); break; }
    addText(i, lt);
    i = lt;
    if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i + 4);
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const e = text.indexOf(']]>', i + 9);
      const stop = e < 0 ? n : e;
      const el = stack[stack.length - 1];
      if (el) { if (el.text === '') el.textStart = i + 9; el.text += text.slice(i + 9, stop); el.textEnd = stop; }
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (text.startsWith('<!', i)) {
      // DOCTYPE (possibly with an internal subset) or another declaration: skip, remember.
      let j = i + 2; let depth = 0;
      for (; j < n; j++) {
        if (spent(j)) break;
        const c = text[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      const end = j < n ? j + 1 : n;
      if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) doctype = { start: i, end, declaresEntities: /<!ENTITY/i.test(text.slice(i, end)) };
      i = end;
      continue;
    }
    if (text[i + 1] === '/') {
      const nameEnd = readName(i + 2);
      const name = text.slice(i + 2, nameEnd);
      // The end tag's '>' must come before the next '<' (else it is unterminated): look no further.
      let gt = nameEnd;
      while (gt < n && text.charCodeAt(gt) !== 62 && text.charCodeAt(gt) !== 60) gt++;
      if (gt >= n || text.charCodeAt(gt) !== 62) gt = -1;
      const after = gt < 0 ? nameEnd : gt + 1;
      let k = stack.length - 1;
      while (k >= 0 && stack[k].name !== name) k--;
      if (k >= 0) {
        // Elements between the match and the top were never closed: they end here too.
        while (stack.length - 1 > k) { const open = stack.pop()!; open.closeStart = i; open.end = i; open.complete = false; }
        const el = stack.pop()!;
        el.closeStart = i; el.end = after; el.complete = el.complete && gt >= 0;
      }
      i = after;
      continue;
    }
    const nameEnd = readName(i + 1);
    if (nameEnd === i + 1) { addText(i, i + 1); i++; continue; } // a lone '<' (half-typed)
    if (items >= MAX_ITEMS) { cutAt = i; break; }
    const el: XmlElement = {
      name: text.slice(i + 1, nameEnd), start: i, nameEnd, openEnd: nameEnd, closeStart: n, end: n,
      selfClosing: false, complete: true, attrs: NONE, children: NONE, text: '', textStart: nameEnd, textEnd: nameEnd,
    };
    let j = nameEnd;
    let terminated = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isBlank(c)) { j++; continue; }
      if (c === 62 /* > */) { j++; terminated = true; break; }
      if (c === 47 /* / */ && text.charCodeAt(j + 1) === 62) { j += 2; terminated = true; el.selfClosing = true; break; }
      if (c === 60 /* < */ || spent(j)) break;
      const an = readName(j);
      if (an === j) { j++; continue; } // junk in a tag: skip it
      const attr: XmlAttr = { name: text.slice(j, an), value: '', nameStart: j, nameEnd: an, valueStart: an, valueEnd: an, quoted: false };
      j = an;
      while (j < n && isBlank(text.charCodeAt(j))) j++;
      if (text[j] === '=') {
        j++;
        while (j < n && isBlank(text.charCodeAt(j))) j++;
        const q = text[j];
        if (q === '"' || q === "'") {
          let close = nextQuote[q](j + 1);
          const lt2 = nextLt(j + 1);
          if (close < 0 || (lt2 >= 0 && lt2 < close)) close = lt2 >= 0 ? lt2 : n; // unterminated value
          attr.valueStart = j + 1; attr.valueEnd = close; attr.quoted = text[close] === q;
          j = attr.quoted ? close + 1 : close;
        } else {
          let e = j;
          while (e < n && !isBlank(text.charCodeAt(e)) && text[e] !== '>' && text[e] !== '<' && !(text[e] === '/' && text[e + 1] === '>')) e++;
          attr.valueStart = j; attr.valueEnd = e; j = e;
        }
        attr.value = decodeEntities(text.slice(attr.valueStart, attr.valueEnd), spent, attr.valueStart);
      } else {
        attr.valueStart = attr.valueEnd = an;
      }
      if (el.attrs === NONE) el.attrs = [];
      el.attrs.push(attr);
      if (++items >= MAX_ITEMS) { cutAt = j; break; }
    }
    el.openEnd = j;
    el.textStart = el.textEnd = j;
    el.complete = terminated;
    const parent = stack[stack.length - 1];
    if (parent) { el.parent = parent; if (parent.children === NONE) parent.children = []; parent.children.push(el); } else if (!root) root = el;
    elements.push(el);
    items++;
    if (el.selfClosing) { el.closeStart = j; el.end = j; } else if (parent || el === root) stack.push(el);
    i = j;
    if (cutAt !== undefined) break;
  }
  for (const open of stack) { open.complete = false; open.closeStart = n; open.end = n; }
  // A decoding or a tag the budget stopped midway ends the scan too.
  if (outOfTime === undefined && deadline?.cutAt !== undefined) outOfTime = Math.min(i, n);
  const r: ScanResult = cutAt === undefined ? { root, elements, doctype, longNames } : { root, elements, doctype, cutAt, longNames };
  return outOfTime === undefined ? r : { ...r, outOfTime };
}

/** Helpers the model and rules use to read a scanned tree. */
export function attr(el: XmlElement | undefined, name: string): XmlAttr | undefined {
  if (!el) return undefined;
  for (const a of el.attrs) if (a.name === name) return a;
  return undefined;
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

/** Children by name of elements with many children, built on first ask: rules ask one <cputune> of 60,000 pins for a dozen names. */
const byName = new WeakMap<XmlElement, Map<string, XmlElement[]>>();
const INDEX_FROM = 32;

/** The children with this name, in document order (a new array each call). */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  if (!el) return [];
  if (el.children.length < INDEX_FROM) {
    const out: XmlElement[] = [];
    for (const c of el.children) if (c.name === name) out.push(c);
    return out;
  }
  let index = byName.get(el);
  if (!index) {
    index = new Map();
    for (const c of el.children) {
      const list = index.get(c.name);
      if (list) list.push(c); else index.set(c.name, [c]);
    }
    byName.set(el, index);
  }
  return index.get(name)?.slice() ?? [];
}

/** The innermost element whose span holds `offset` (its start tag or its content). Iterative. */
export function elementAt(root: XmlElement | undefined, offset: number): XmlElement | undefined {
  let hit: XmlElement | undefined;
  let cur = root;
  while (cur && offset >= cur.start && (offset <= cur.end)) {
    hit = cur;
    let next: XmlElement | undefined;
    // Children are in document order: binary search would do, linear is plenty for domain XML.
    for (const c of cur.children) { if (offset >= c.start && offset <= c.end) { next = c; break; } if (c.start > offset) break; }
    cur = next;
  }
  return hit;
}
