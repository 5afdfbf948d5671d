/**
 * Reads nova.conf the way oslo.config's iniparser does, keeping every position.
 * oslo.config's rules, which decide what Nova actually sees:
 * - a line is right-stripped; a blank line ends a multi-line value;
 * - a line starting with space or tab continues the previous value (joined with '\n'), even when
 *   it looks like `key = value` or `# comment`; with no value open it is a parse error;
 * - `[name]` starts a section; only lines *starting* with # or ; are comments (no inline comments);
 * - otherwise the first `=` or `:` splits key from value; the value is stripped and loses one
 *   pair of matching quotes.
 * oslo.config stops at the first parse error; we keep going so later lines still get checked.
 */
import { isPySpace, pyStrip } from '../core/python';

/**
 * One physical line's share of a value: where it sits in the text, what it contributes, and
 * where that starts in the joined value (so offsets map back by binary search).
 */
export interface ValuePart { offset: number; text: string; at: number }

export interface Entry {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** The section it belongs to; undefined for a key before any section (a parse error). */
  section?: Section;
  /** The value oslo.config hands to the option's type: stripped, unquoted, continuations joined by '\n'. */
  value: string;
  /** The value's lines, only when it continues on indented lines (see valueParts: most entries have one line). */
  parts?: ValuePart[];
  quoted: boolean;
  /** Offsets covering the whole entry (key to end of last continuation line) and its value. */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
  line: number;
  lastLine: number;
  /**
   * Set on entries of the other files of a config set (undefined: this document): their offsets
   * are in that file's text, so they never make a range here.
   */
  origin?: { label: string; later: boolean };
}

export interface Section {
  /** As written, e.g. 'Libvirt'. */
  name: string;
  /** As oslo.config matches it: 'DEFAULT' stays, any other name is lower-cased. */
  group: string;
  start: number;
  /** End of the section's last non-blank line. */
  end: number;
  nameStart: number;
  nameEnd: number;
  line: number;
  entries: Entry[];
}

export type ProblemKind =
  | 'no-section-end' | 'empty-section-name' | 'no-assignment' | 'empty-key'
  | 'unexpected-continuation' | 'no-section' | 'bom';

export interface ParseProblem {
  kind: ProblemKind;
  /** oslo.config's own words (ParseError.msg), where it has them. */
  message: string;
  start: number;
  end: number;
  line: number;
}

export interface Scan {
  sections: Section[];
  entries: Entry[];
  problems: ParseProblem[];
  /** Continuation lines whose text looks like a new key or a comment: users rarely mean them as values. */
  suspiciousContinuations: Array<{ entry: Entry; part: ValuePart }>;
  /** Set when the text has more than MAX_SCANNED_LINES lines: the first line not read, and how many were not. */
  unread?: { line: number; lines: number };
}

/**
 * Lines read at most. Every line read costs objects that live as long as the document (about
 * 400 bytes for an entry), so a 32 MiB file of short lines would take gigabytes; no real nova.conf
 * comes near (Nova's full sample has 5,000 lines). The rest is reported unread, not guessed at.
 */
export const MAX_SCANNED_LINES = 400_000;

const MESSAGES: Record<ProblemKind, string> = {
  'no-section-end': 'Invalid section (must end with ])',
  'empty-section-name': 'Empty section name',
  'no-assignment': "No ':' or '=' found in assignment",
  'empty-key': 'Key cannot be empty',
  'unexpected-continuation': 'Unexpected continuation line',
  'no-section': 'Section must be started before assignment',
  bom: "No ':' or '=' found in assignment",
};

function rstripLength(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isPySpace(text.charCodeAt(e - 1))) e--;
  return e;
}

export function scan(text: string, lineStarts: ArrayLike<number>): Scan {
  const sections: Section[] = [];
  const entries: Entry[] = [];
  const problems: ParseProblem[] = [];
  const suspiciousContinuations: Scan['suspiciousContinuations'] = [];
  let section: Section | undefined;
  let open: Entry | undefined;
  let reportedNoSection = false;
  const problem = (kind: ProblemKind, start: number, end: number, line: number) =>
    problems.push({ kind, message: MESSAGES[kind], start, end, line });
  // A value's lines are joined once, when it ends: appending line by line copies the value each time it is read.
  const close = () => {
    if (open?.parts) open.value = open.parts.map((p) => p.text).join('\n');
    open = undefined;
  };

  const n = Math.min(lineStarts.length, MAX_SCANNED_LINES);
  for (let line = 0; line < n; line++) {
    let start = lineStarts[line];
    const next = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
    // Line content without its break, right-stripped as Python's line.rstrip() does.
    let end = rstripLength(text, start, next);
    if (line === 0 && text.charCodeAt(0) === 0xfeff) {
      // Python reads the BOM as a character, so oslo.config fails on line 1; we report it and read on.
      problem('bom', 0, 1, 0);
      start = 1;
    }
    if (end <= start) { close(); continue; }
    const c = text.charCodeAt(start);
    if (c === 32 || c === 9) {
      if (!open) { problem('unexpected-continuation', start, end, line); continue; }
      let s = start;
      while (s < end && isPySpace(text.charCodeAt(s))) s++;
      open.parts ??= [{ offset: open.valueStart, text: open.value, at: 0 }];
      const last = open.parts[open.parts.length - 1];
      const part = { offset: s, text: text.slice(s, end), at: last.at + last.text.length + 1 };
      open.parts.push(part);
      open.end = open.valueEnd = end;
      open.lastLine = line;
      if (section) section.end = end;
      // `key = value`, `key: value` or `# comment` (but not `http://...` in a multi-line value).
      if (/^[#;]|^[A-Za-z_][\w.-]*\s*(?:=|:(?:\s|$))/.test(part.text)) suspiciousContinuations.push({ entry: open, part });
      continue;
    }
    close();
    if (c === 91 /* [ */) {
      const close = text.charCodeAt(end - 1) === 93;
      if (!close) problem('no-section-end', start, end, line);
      else if (end - start <= 2) { problem('empty-section-name', start, end, line); continue; }
      // Tolerant reading of a broken header: the name runs to the first ']' or the line's end.
      const bracket = text.indexOf(']', start);
      const nameEnd = close ? end - 1 : bracket >= 0 && bracket < end ? bracket : end;
      const name = text.slice(start + 1, nameEnd);
      section = { name, group: name === 'DEFAULT' ? name : name.toLowerCase(), start, end, nameStart: start + 1, nameEnd, line, entries: [] };
      sections.push(section);
      continue;
    }
    if (c === 35 /* # */ || c === 59 /* ; */) continue;
    const lineText = text.slice(start, end);
    const colon = lineText.indexOf(':');
    const equal = lineText.indexOf('=');
    if (colon < 0 && equal < 0) { problem('no-assignment', start, end, line); continue; }
    const sep = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
    const rawKey = lineText.slice(0, sep);
    const key = pyStrip(rawKey);
    if (!key) { problem('empty-key', start, end, line); continue; }
    const keyStart = start + rawKey.indexOf(key);
    let vs = start + sep + 1;
    let ve = end;
    while (vs < ve && isPySpace(text.charCodeAt(vs))) vs++;
    let quoted = false;
    const first = text[vs];
    if (ve - vs >= 1 && (first === '"' || first === "'") && text[ve - 1] === first) {
      // oslo.config's test is value[0] == value[-1]: a lone quote is "quoted" too, and becomes ''.
      quoted = true;
      vs++;
      ve = Math.max(vs, ve - 1);
    }
    const value = text.slice(vs, ve);
    const entry: Entry = {
      key, keyStart, keyEnd: keyStart + key.length, section,
      value, quoted,
      start, end, valueStart: vs, valueEnd: ve, line, lastLine: line,
    };
    if (!section && !reportedNoSection) { problem('no-section', keyStart, entry.keyEnd, line); reportedNoSection = true; }
    entries.push(entry);
    section?.entries.push(entry);
    if (section) section.end = end;
    open = entry;
  }
  close();
  // The text's lines, not counting the empty one after a final line break.
  const total = lineStarts.length > 1 && lineStarts[lineStarts.length - 1] === text.length ? lineStarts.length - 1 : lineStarts.length;
  const unread = total > n ? { line: n, lines: total - n } : undefined;
  return { sections, entries, problems, suspiciousContinuations, ...(unread ? { unread } : {}) };
}

/** The text offset of character `i` of an entry's (joined) value: the '\n' joining two lines maps to the end of the first. */
export function valueOffset(entry: Entry, i: number): number {
  const { parts } = entry;
  if (!parts) return entry.valueStart + Math.max(0, Math.min(i, entry.value.length));
  // The last part starting at or before i.
  let lo = 0;
  let hi = parts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (parts[mid].at <= i) lo = mid; else hi = mid - 1;
  }
  const p = parts[lo];
  return p.offset + Math.max(0, Math.min(i - p.at, p.text.length));
}

/** The value's lines: one part per physical line (built on the fly for a one-line value). */
export function valueParts(entry: Entry): ValuePart[] {
  return entry.parts ?? [{ offset: entry.valueStart, text: entry.value, at: 0 }];
}
