/**
 * Well-formedness: fast-xml-parser's XMLValidator decides (iterative, no entity expansion,
 * ~0.5 ms for a 200-line domain, ~0.5 s for 10 MB); we translate its verdict into the words
 * libxml2 uses, because that is what `virsh define` prints:
 *   error: (domain_definition):5: Opening and ending tag mismatch: cpu line 4 and vcpu
 * Like libxml2 we report only the first error: after it nothing is reliable.
 * Plain documents (nearly all) are proven well-formed in one cheap pass first (plainxml.ts).
 */
import { XMLValidator } from 'fast-xml-parser';
import type { Finding } from '../core/findings';
import type { LineIndex } from '../core/lineIndex';
import { LONG_NAME, type ScanResult, type XmlElement } from './scan';
import { LineIndex as Lines } from '../core/lineIndex';
import { quoteValue } from '../core/findingCap';
import { isPlainWellFormed } from './plainxml';
import { pacer, type Deadline } from '../core/deadline';

/**
 * XMLValidator's cost per character, rounded up from what it takes here on non-plain text
 * (~0.5 s for 10 MB): it cannot stop midway, so it starts only when it fits in the budget left.
 */
const VALIDATOR_MS_PER_CHAR = 1e-4;

/** Values and names longer than this reach the validator shortened (see validatorCopy). */
const LONG = LONG_NAME;
const KEEP = 64;

function hasAmpersand(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 38) return true;
  return false;
}

/** A stretch [from, to) of the text replaced by `by` in the validator's copy, which has it at [at, at + by.length). */
interface Cut { from: number; to: number; by: string; at: number }

/**
 * The text as XMLValidator gets it: the middle of every long quoted attribute value (without '&')
 * and of every long element or attribute name (as the scanner found them) replaced, a name's by a
 * digest of it, line breaks kept. The
 * validator builds tag and attribute strings one character at a time (a 30 MB attribute took
 * 1 GB); what it checks (quotes, names, nesting, duplicates) never lies in such a middle, and a
 * digest keeps two long names that differ different. Positions it reports are mapped back.
 */
function validatorCopy(text: string, scan: ScanResult) {
  const cuts: Cut[] = [];
  /** Names are compared (start and end tags): their middle becomes a digest. A value's middle is never looked at. */
  const add = (from: number, to: number, digest: boolean) => {
    const middle = text.slice(from, to);
    let h = 0x811c9dc5;
    if (digest) for (let i = 0; i < middle.length; i++) h = Math.imul(h ^ middle.charCodeAt(i), 16777619);
    const breaks = middle.indexOf('\n') >= 0 || middle.indexOf('\r') >= 0 ? middle.replace(/[^\r\n]+/g, '') : '';
    cuts.push({ from, to, by: `h${digest ? (h >>> 0).toString(16) : ''}${breaks}`, at: 0 });
  };
  // Long values and long names, in text order (a name never lies inside a value).
  const spans: Array<[number, number, boolean]> = scan.longNames.map(([a, b]) => [a, b, true]);
  for (const el of scan.elements) {
    for (const a of el.attrs) {
      if (a.quoted && a.valueEnd - a.valueStart > LONG && !hasAmpersand(text, a.valueStart, a.valueEnd)) spans.push([a.valueStart, a.valueEnd, false]);
    }
  }
  spans.sort((x, y) => x[0] - y[0]);
  for (const [from, to, isName] of spans) add(from + KEEP, to - KEEP, isName);
  if (!cuts.length) return { text, cuts, original: (line: number, col: number) => ({ line, col }) };
  const parts: string[] = [];
  let last = 0;
  let at = 0;
  for (const c of cuts) {
    parts.push(text.slice(last, c.from));
    at += c.from - last;
    c.at = at;
    parts.push(c.by);
    at += c.by.length;
    last = c.to;
  }
  parts.push(text.slice(last));
  const copy = parts.join('');
  /** The validator's 1-based line and column in the copy, as a line and column of the text. */
  const original = (line: number, col: number, lines: LineIndex) => {
    const copyLines = new Lines(copy);
    const o = copyLines.offsetAt({ line: Math.max(0, line - 1), character: Math.max(0, col - 1) });
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cuts[mid].at <= o) lo = mid + 1; else hi = mid; }
    const c = cuts[lo - 1];
    const offset = !c ? o : o < c.at + c.by.length ? c.from : o - (c.at + c.by.length) + c.to;
    const pos = lines.positionAt(offset);
    return { line: pos.line + 1, col: pos.character + 1 };
  };
  return { text: copy, cuts, original };
}

const TRANSLATIONS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Expected closing tag '([^']*)' \(opened in line (\d+), col \d+\) instead of closing tag '([^']*)'\.$/, (m) => `Opening and ending tag mismatch: ${m[1]} line ${m[2]} and ${m[3]}`],
  [/^Attributes for '[^']*' have open quote\.$/, () => `AttValue: " or ' expected`],
  [/^Attribute '([^']*)' is without value\.$/, (m) => `Specification mandates value for attribute ${m[1]}`],
  [/^boolean attribute '([^']*)' is not allowed\.$/, (m) => `Specification mandates value for attribute ${m[1]}`],
  [/^Attribute '([^']*)' is repeated\.$/, (m) => `Attribute ${m[1]} redefined`],
  [/^Attribute '([^']*)' has no space in starting\.$/, () => 'attributes construct error'],
  [/^Multiple possible root nodes found\.$/, () => 'Extra content at the end of the document'],
  [/^Extra text at the end$/, () => 'Extra content at the end of the document'],
  [/^Closing tag '([^']*)' has not been opened\.$/, () => 'Extra content at the end of the document'],
  [/^char '&' is not expected\.$/, () => 'xmlParseEntityRef: no name'],
  [/^Start tag expected\.$/, () => "Start tag expected, '<' not found"],
];

/**
 * libxml2's first error, or undefined when there is none, or when `deadline` (the analysis's time
 * budget) ran out before the check could finish (the deadline then says so).
 */
export function checkWellFormed(text: string, lines: LineIndex, scan: ScanResult, deadline?: Deadline): Finding | undefined {
  const spent = pacer(deadline, (at) => `checking well-formedness from line ${(lines.positionAt(Math.min(at, text.length)).line + 1).toLocaleString('en')} on, and every rule`);
  const plain = isPlainWellFormed(text, spent);
  if (plain === undefined) return undefined;
  if (plain) return libxml2Extras(text, lines, scan, spent);
  if (deadline?.wontFit(text.length * VALIDATOR_MS_PER_CHAR, 'checking well-formedness (the validator would not finish within the budget), and every rule')) return undefined;
  const copy = validatorCopy(text, scan);
  const r = XMLValidator.validate(copy.text, { allowBooleanAttributes: false });
  if (r === true) return libxml2Extras(text, lines, scan, spent);
  const { msg } = r.err;
  let { line, col } = copy.cuts.length ? copy.original(r.err.line, r.err.col, lines) : r.err;
  let words = msg.length > 200 ? `${msg.slice(0, 200)}…` : msg;
  // Unclosed elements: libxml2 names the innermost one and where it opened, at the end of the text.
  if (/^Unclosed tag|^Invalid '\[/.test(msg)) {
    const open = innermostUnclosed(scan, text.length);
    if (open) {
      words = `Premature end of data in tag ${open.name} line ${lines.positionAt(open.start).line + 1}`;
      line = lines.lineCount; col = 1;
      return finding(lines, line, col, words, 'an element is never closed');
    }
  }
  for (const [re, fmt] of TRANSLATIONS) {
    const m = re.exec(msg);
    if (m) { words = fmt(m); break; }
  }
  words = quoteValue(words, 400);
  return finding(lines, line, col, words, msg.length > 200 ? `${msg.slice(0, 200)}…` : msg);
}

function finding(lines: LineIndex, line: number, col: number, words: string, detail: string): Finding {
  const l = Math.max(0, Math.min(line - 1, lines.lineCount - 1));
  const startOffset = lines.offsetAt({ line: l, character: Math.max(0, col - 1) });
  const endOffset = Math.max(lines.lineEnd(l), startOffset);
  return {
    code: 'libvirt/xml-not-well-formed', severity: 'error', stage: 'define',
    range: lines.range(startOffset, endOffset === startOffset ? startOffset + 1 : endOffset),
    upstream: `(domain_definition):${line}: ${words}`,
    explanation: `This is not well-formed XML (${detail}), so libvirt refuses the whole file before reading any setting. Fix the markup first; the checks below work on a best-effort reading.`,
  };
}

/** The deepest element still open at the end of the text (the scanner closed it there). */
function innermostUnclosed(scan: ScanResult, end: number): XmlElement | undefined {
  for (let i = scan.elements.length - 1; i >= 0; i--) {
    const el = scan.elements[i];
    if (!el.selfClosing && el.end === end && el.closeStart === end) return el;
  }
  return undefined;
}

const PREDEFINED = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);

/**
 * Two things libxml2 refuses that XMLValidator lets through: '<' inside a quoted value, undeclared
 * entities. Undefined too when `spent` stops the search for references.
 */
function libxml2Extras(text: string, lines: LineIndex, scan: ScanResult, spent: (at: number) => boolean): Finding | undefined {
  for (const el of scan.elements) {
    for (const a of el.attrs) {
      const q = text[a.valueStart - 1];
      if (!a.quoted && (q === '"' || q === "'") && text[a.valueEnd] === '<') {
        const pos = lines.positionAt(a.valueEnd);
        return finding(lines, pos.line + 1, pos.character + 1, "Unescaped '<' not allowed in attributes values", `a '<' inside the value of ${a.name}`);
      }
    }
  }
  const declared = scan.doctype ? new Set([...text.slice(scan.doctype.start, scan.doctype.end).matchAll(/<!ENTITY\s+([^\s%]+)/g)].map((m) => m[1])) : new Set<string>();
  const from = scan.doctype?.end ?? 0;
  const re = /&([A-Za-z_][\w.-]*);/g;
  re.lastIndex = from;
  // Comments met so far, in order: a reference inside one skips past its end (asking "am I in a
  // comment?" afresh for each reference searched back through the text: quadratic).
  let commentFrom = text.indexOf('<!--', from);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (spent(m.index)) return undefined;
    while (commentFrom >= 0 && commentFrom < m.index) {
      const end = text.indexOf('-->', commentFrom + 4);
      const stop = end < 0 ? text.length : end + 3;
      if (stop > m.index) { re.lastIndex = stop; break; }
      commentFrom = text.indexOf('<!--', stop);
    }
    if (re.lastIndex > m.index + m[0].length) { commentFrom = text.indexOf('<!--', re.lastIndex); continue; }
    if (PREDEFINED.has(m[1]) || declared.has(m[1])) continue;
    const pos = lines.positionAt(m.index);
    return finding(lines, pos.line + 1, pos.character + 1, `Entity '${m[1]}' not defined`, `&${m[1]}; is not one of the five XML entities`);
  }
  return undefined;
}
