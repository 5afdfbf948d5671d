/**
 * Well-formedness: fast-xml-parser's XMLValidator decides (iterative, no entity expansion,
 * ~0.5 ms for a 200-line domain, ~0.5 s for 10 MB); we translate its verdict into the words
 * libxml2 uses, because that is what `virsh define` prints:
 *   error: (domain_definition):5: Opening and ending tag mismatch: cpu line 4 and vcpu
 * Like libxml2 we report only the first error: after it nothing is reliable.
 */
import { XMLValidator } from 'fast-xml-parser';
import type { Finding } from '../core/findings';
import type { LineIndex } from '../core/lineIndex';
import type { ScanResult, XmlElement } from './scan';

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

export function checkWellFormed(text: string, lines: LineIndex, scan: ScanResult): Finding | undefined {
  const r = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (r === true) return libxml2Extras(text, lines, scan);
  const { msg } = r.err;
  let { line, col } = r.err;
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

/** Two things libxml2 refuses that XMLValidator lets through: '<' inside a quoted value, undeclared entities. */
function libxml2Extras(text: string, lines: LineIndex, scan: ScanResult): Finding | undefined {
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
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (PREDEFINED.has(m[1]) || declared.has(m[1]) || insideComment(text, m.index)) continue;
    const pos = lines.positionAt(m.index);
    return finding(lines, pos.line + 1, pos.character + 1, `Entity '${m[1]}' not defined`, `&${m[1]}; is not one of the five XML entities`);
  }
  return undefined;
}

function insideComment(text: string, at: number): boolean {
  const open = text.lastIndexOf('<!--', at);
  return open >= 0 && text.indexOf('-->', open) > at;
}
