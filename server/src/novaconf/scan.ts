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
import { isPySpace } from '../core/python';
import { pacer, type Deadline } from '../core/deadline';

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
  /**
   * Its entries are scan.entries[firstEntry .. firstEntry + entryCount) (they are in file order):
   * no array per section, which a file of 200,000 headers would pay for (see sectionEntries).
   */
  firstEntry: number;
  entryCount: number;
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
  /**
   * Set when the time budget ran out while reading (scan's deadline): the first line not read.
   * Such a scan is a prefix: no rule may judge it (a key set further down would be "missing").
   */
  outOfTime?: { line: number };
}

/**
 * Lines read at most. Every line read costs objects that live as long as the document (about
 * 150 bytes for an entry), so a file at the size limit of short lines would take hundreds of MB;
 * no real nova.conf comes near: Nova's full sample has 10,639 lines, this is 11 times that. The
 * rest is reported unread, not guessed at.
 */
export const MAX_SCANNED_LINES = 120_000;

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

/** What the scanner carries from one line to the next, and what it has found so far. */
interface ScanState {
  sections: Section[];
  entries: Entry[];
  problems: ParseProblem[];
  suspiciousContinuations: Scan['suspiciousContinuations'];
  section: Section | undefined;
  reportedNoSection: boolean;
}

/** Reads lines one at a time (scan() reads them all; spliceScan() only the ones an edit touched). */
class Scanner {
  private open: Entry | undefined;
  // One string per distinct text: a generated file repeats a header or `key = value` 100,000
  // times, and each copy would live as long as the document (the map itself goes with the scan).
  private readonly seen = new Map<string, string>();

  private intern(t: string): string {
    const had = this.seen.get(t);
    if (had !== undefined) return had;
    this.seen.set(t, t);
    return t;
  }

  constructor(private readonly text: string, readonly st: ScanState) {}

  private problem(kind: ProblemKind, start: number, end: number, line: number) {
    this.st.problems.push({ kind, message: MESSAGES[kind], start, end, line });
  }

  /** A value's lines are joined once, when it ends: appending line by line copies the value each time it is read. */
  close(): void {
    const open = this.open;
    if (open?.parts) open.value = open.parts.map((p) => p.text).join('\n');
    this.open = undefined;
  }

  /** One physical line: `start` its first offset, `next` the next line's. */
  line(line: number, start: number, next: number): void {
    const { text, st } = this;
    // Line content without its break, right-stripped as Python's line.rstrip() does.
    const end = rstripLength(text, start, next);
    if (line === 0 && text.charCodeAt(0) === 0xfeff) {
      // Python reads the BOM as a character, so oslo.config fails on line 1; we report it and read on.
      this.problem('bom', 0, 1, 0);
      start = 1;
    }
    if (end <= start) { this.close(); return; }
    const c = text.charCodeAt(start);
    const section = st.section;
    if (c === 32 || c === 9) {
      const open = this.open;
      if (!open) { this.problem('unexpected-continuation', start, end, line); return; }
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
      if (/^[#;]|^[A-Za-z_][\w.-]*\s*(?:=|:(?:\s|$))/.test(part.text)) st.suspiciousContinuations.push({ entry: open, part });
      return;
    }
    this.close();
    if (c === 91 /* [ */) {
      const closed = text.charCodeAt(end - 1) === 93;
      if (!closed) this.problem('no-section-end', start, end, line);
      else if (end - start <= 2) { this.problem('empty-section-name', start, end, line); return; }
      // Tolerant reading of a broken header: the name runs to the first ']' or the line's end.
      const bracket = text.indexOf(']', start);
      const nameEnd = closed ? end - 1 : bracket >= 0 && bracket < end ? bracket : end;
      const name = this.intern(text.slice(start + 1, nameEnd));
      st.section = { name, group: name === 'DEFAULT' ? name : this.intern(name.toLowerCase()), start, end, nameStart: start + 1, nameEnd, line, firstEntry: st.entries.length, entryCount: 0 };
      st.sections.push(st.section);
      return;
    }
    if (c === 35 /* # */ || c === 59 /* ; */) return;
    // The first '=' or ':' splits; the key is what precedes it, stripped (offsets only: one slice per key).
    let sep = start;
    while (sep < end && text.charCodeAt(sep) !== 61 /* = */ && text.charCodeAt(sep) !== 58 /* : */) sep++;
    if (sep === end) { this.problem('no-assignment', start, end, line); return; }
    let keyStart = start;
    let keyEnd = sep;
    while (keyStart < keyEnd && isPySpace(text.charCodeAt(keyStart))) keyStart++;
    while (keyEnd > keyStart && isPySpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
    if (keyStart === keyEnd) { this.problem('empty-key', start, end, line); return; }
    const key = this.intern(text.slice(keyStart, keyEnd));
    let vs = sep + 1;
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
    const value = this.intern(text.slice(vs, ve));
    const entry: Entry = {
      key, keyStart, keyEnd, section,
      value, quoted,
      start, end, valueStart: vs, valueEnd: ve, line, lastLine: line,
    };
    if (!section && !st.reportedNoSection) { this.problem('no-section', keyStart, entry.keyEnd, line); st.reportedNoSection = true; }
    st.entries.push(entry);
    if (section) { section.entryCount++; section.end = end; }
    this.open = entry;
  }
}

const newState = (): ScanState => ({ sections: [], entries: [], problems: [], suspiciousContinuations: [], section: undefined, reportedNoSection: false });

/** The text's lines, not counting the empty one after a final line break. */
function lineTotal(text: string, lineStarts: ArrayLike<number>): number {
  return lineStarts.length > 1 && lineStarts[lineStarts.length - 1] === text.length ? lineStarts.length - 1 : lineStarts.length;
}

function result(st: ScanState, total: number, n: number): Scan {
  const unread = total > n ? { line: n, lines: total - n } : undefined;
  return { sections: st.sections, entries: st.entries, problems: st.problems, suspiciousContinuations: st.suspiciousContinuations, ...(unread ? { unread } : {}) };
}

/** `deadline`: the analysis's time budget, asked every CHECK_EVERY characters; when it runs out the scan stops there (Scan.outOfTime). */
export function scan(text: string, lineStarts: ArrayLike<number>, deadline?: Deadline): Scan {
  const scanner = new Scanner(text, newState());
  const n = Math.min(lineStarts.length, MAX_SCANNED_LINES);
  let line = 0;
  const spent = pacer(deadline, () => `reading the file from line ${(line + 1).toLocaleString('en')} on, and so every rule (they would judge a part of the file)`);
  for (; line < n; line++) {
    if (spent(lineStarts[line])) break;
    scanner.line(line, lineStarts[line], line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length);
  }
  scanner.close();
  const s = result(scanner.st, lineTotal(text, lineStarts), n);
  return line < n ? { ...s, outOfTime: { line } } : s;
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

/** A section's entries, in file order. */
export function sectionEntries(s: Scan, section: Section): Entry[] {
  return s.entries.slice(section.firstEntry, section.firstEntry + section.entryCount);
}

/** The value's lines: one part per physical line (built on the fly for a one-line value). */
export function valueParts(entry: Entry): ValuePart[] {
  return entry.parts ?? [{ offset: entry.valueStart, text: entry.value, at: 0 }];
}

/** A text with its line starts and its scan. */
export interface Scanned { text: string; lineStarts: ArrayLike<number>; scan: Scan }

/** A replacement of before.text's offsets start..end (non-overlapping; see ops/splices.ts). */
interface TextSplice { start: number; end: number; text: string }

/** The last index i with at(i) <= x (0 when none), over n sorted values. */
function lastAtOrBefore(n: number, at: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at(mid) <= x) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** The first index i with at(i) >= x (n when none). */
function firstAtOrAfter(n: number, at: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * scan() of `after` (= before.text with `splices` applied), reading again only the lines an edit
 * can change: from a line before the first splice that starts an entry (or is blank or a header)
 * to the first such line after the last splice; what lies beyond is before.scan moved by the
 * edit's length and line count. The planner uses it to judge its result without parsing the
 * 10k-line file a second time. The result equals scan(after, its line starts) exactly
 * (test/unit/novaconf.scanSplice.test.ts); undefined where that shortcut is not worth its rules
 * (a CR or BOM, an unread tail, no section around the seam): then scan `after` whole.
 */
export function spliceScan(before: Scanned, splices: readonly TextSplice[], after: string): Scanned | undefined {
  const { text: old, lineStarts: ls, scan: s } = before;
  if (splices.length === 0) return after === old ? before : undefined;
  if (s.unread || old.charCodeAt(0) === 0xfeff || old.includes('\r') || splices.some((x) => x.text.includes('\r') || x.text.charCodeAt(0) === 0xfeff)) return undefined;
  let a = Infinity;
  let b = -1;
  for (const x of splices) { a = Math.min(a, x.start); b = Math.max(b, x.end); }
  const delta = after.length - old.length;
  const nOld = ls.length;
  const lineOf = (o: number) => lastAtOrBefore(nOld, (i) => ls[i], o);
  // A line that continues the value above it: the scan state cannot be picked up there.
  const continues = (line: number) => {
    const start = ls[line];
    const end = rstripLength(old, start, line + 1 < nOld ? ls[line + 1] : old.length);
    const c = old.charCodeAt(start);
    return end > start && (c === 32 || c === 9);
  };
  // From the line above the first edited one (the edit may turn its line into a continuation of it).
  const first = lineOf(a);
  let from = Math.max(0, first - 1);
  while (from > 0 && continues(from)) from--;
  // Old lines starting after the last splice are unchanged; the first of them that no value continues into is where the old scan is taken up again.
  const tailFrom = lineOf(b) + 1;
  let sync = tailFrom;
  while (sync < nOld && continues(sync)) sync++;

  // Line starts: unchanged up to the first edited line, found again in the edited span, moved after it.
  const mid: number[] = [];
  for (let p = after.indexOf('\n', ls[first]); p >= 0 && p < b + delta; p = after.indexOf('\n', p + 1)) mid.push(p + 1);
  const nNew = first + 1 + mid.length + (nOld - tailFrom);
  if (nNew > MAX_SCANNED_LINES) return undefined;
  const starts = new Uint32Array(nNew);
  for (let i = 0; i <= first; i++) starts[i] = ls[i];
  for (let i = 0; i < mid.length; i++) starts[first + 1 + i] = mid[i];
  const lineDelta = first + 1 + mid.length - tailFrom;
  for (let i = tailFrom; i < nOld; i++) starts[i + lineDelta] = ls[i] + delta;

  // The state at the first line read again: the section open there (copied: lines will be added to it).
  const cut = ls[from];
  const nSec = firstAtOrAfter(s.sections.length, (i) => s.sections[i].start, cut);
  const open = nSec > 0 ? s.sections[nSec - 1] : undefined;
  const nEnt = firstAtOrAfter(s.entries.length, (i) => s.entries[i].start, cut);
  const st: ScanState = {
    sections: s.sections.slice(0, nSec), entries: s.entries.slice(0, nEnt),
    problems: s.problems.slice(0, firstAtOrAfter(s.problems.length, (i) => s.problems[i].start, cut)),
    suspiciousContinuations: s.suspiciousContinuations.filter((x) => x.entry.start < cut),
    section: undefined,
    // Entries without a section can only come before the first header; the problem is reported at the first.
    reportedNoSection: s.entries.length > 0 && !s.entries[0].section && s.entries[0].start < cut,
  };
  if (open) {
    // Its entries before the cut are st.entries[open.firstEntry .. nEnt): entries are in file order.
    const copy: Section = { ...open, entryCount: nEnt - open.firstEntry };
    const moved = new Map<Entry, Entry>();
    for (let i = open.firstEntry; i < nEnt; i++) { const c = { ...st.entries[i], section: copy }; moved.set(st.entries[i], c); st.entries[i] = c; }
    copy.end = nEnt > open.firstEntry ? st.entries[nEnt - 1].end : rstripLength(old, ls[open.line], open.line + 1 < nOld ? ls[open.line + 1] : old.length);
    st.sections[nSec - 1] = copy;
    st.section = copy;
    st.suspiciousContinuations = st.suspiciousContinuations.map((x) => (moved.has(x.entry) ? { entry: moved.get(x.entry)!, part: x.part } : x));
  }

  const scanner = new Scanner(after, st);
  const until = sync < nOld ? sync + lineDelta : nNew;
  for (let line = from; line < until; line++) scanner.line(line, starts[line], line + 1 < nNew ? starts[line + 1] : after.length);
  scanner.close();

  if (sync < nOld) {
    // The old scan from the sync line on, moved; its entries under the section open there now belong to the one open here.
    const syncAt = ls[sync];
    const sec0 = firstAtOrAfter(s.sections.length, (i) => s.sections[i].start, syncAt);
    const ent0 = firstAtOrAfter(s.entries.length, (i) => s.entries[i].start, syncAt);
    const wasOpen = sec0 > 0 ? s.sections[sec0 - 1] : undefined;
    const nowOpen = st.section;
    if (ent0 < s.entries.length && !s.entries[ent0].section) return undefined;
    if (!wasOpen !== !nowOpen) return undefined;
    const sections = new Map<Section, Section>();
    if (wasOpen && nowOpen) sections.set(wasOpen, nowOpen);
    const entryBase = st.entries.length;
    for (let i = sec0; i < s.sections.length; i++) {
      const o = s.sections[i];
      // Its entries keep their order; they move from index ent0 on to the end of st.entries.
      const c: Section = { ...o, start: o.start + delta, end: o.end + delta, nameStart: o.nameStart + delta, nameEnd: o.nameEnd + delta, line: o.line + lineDelta, firstEntry: o.firstEntry - ent0 + entryBase };
      sections.set(o, c);
      st.sections.push(c);
    }
    const entries = new Map<Entry, Entry>();
    for (let i = ent0; i < s.entries.length; i++) {
      const o = s.entries[i];
      const section = o.section && sections.get(o.section);
      const c: Entry = {
        ...o, section, keyStart: o.keyStart + delta, keyEnd: o.keyEnd + delta, start: o.start + delta, end: o.end + delta,
        valueStart: o.valueStart + delta, valueEnd: o.valueEnd + delta, line: o.line + lineDelta, lastLine: o.lastLine + lineDelta,
        ...(o.parts ? { parts: o.parts.map((p) => ({ ...p, offset: p.offset + delta })) } : {}),
      };
      entries.set(o, c);
      st.entries.push(c);
      if (section === nowOpen && section) { section.entryCount++; section.end = c.end; }
    }
    for (let i = firstAtOrAfter(s.problems.length, (j) => s.problems[j].start, syncAt); i < s.problems.length; i++) {
      const p = s.problems[i];
      st.problems.push({ ...p, start: p.start + delta, end: p.end + delta, line: p.line + lineDelta });
    }
    for (const x of s.suspiciousContinuations) {
      const e = entries.get(x.entry);
      if (e) st.suspiciousContinuations.push({ entry: e, part: e.parts![x.entry.parts!.indexOf(x.part)] });
    }
  }
  return { text: after, lineStarts: starts, scan: result(st, lineTotal(after, starts), nNew) };
}
