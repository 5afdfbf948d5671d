import type { Finding, Fix, Severity, Stage } from '../core/findings';
import type { LineIndex } from '../core/lineIndex';
import { FindingCap, quoteValue } from '../core/findingCap';
import { codeInfo, type Code } from '../codes';

/** Longest message text kept: rules quote values with quoteValue, and this is the net under them. */
const MAX_MESSAGE = 2000;
import type { XmlAttr, XmlElement } from './scan';

/** A span of the document in offsets; the reporter turns it into an LSP range. */
export interface Span { start: number; end: number }

export const nameSpan = (el: XmlElement): Span => ({ start: el.start + 1, end: el.nameEnd });
export const attrSpan = (a: XmlAttr): Span => ({ start: a.nameStart, end: a.quoted ? a.valueEnd + 1 : a.valueEnd });
/** The value without quotes; for an empty value, the quotes themselves so the squiggle shows. */
export const valueSpan = (a: XmlAttr): Span => (a.valueEnd > a.valueStart ? { start: a.valueStart, end: a.valueEnd } : attrSpan(a));
export const textSpan = (el: XmlElement): Span => (el.textEnd > el.textStart ? { start: el.textStart, end: el.textEnd } : nameSpan(el));
export const startTagSpan = (el: XmlElement): Span => ({ start: el.start, end: el.openEnd });
export const elementSpan = (el: XmlElement): Span => ({ start: el.start, end: el.end });

export interface Report {
  code: Code;
  at: Span;
  upstream?: string;
  explanation: string;
  stage: Stage;
  severity?: Severity;
  fixes?: Fix[];
  tags?: Finding['tags'];
}

/** Collects findings for one document; rules call it, never build ranges themselves. */
export class Reporter {
  readonly findings: Finding[] = [];
  private readonly cap = new FindingCap();
  /** Start offsets of the spans reported so far (for rules that defer to a finding already there). */
  private readonly starts = new Set<number>();
  constructor(readonly lines: LineIndex) {}

  range(s: Span) { return this.lines.range(s.start, s.end); }

  /** Whether a finding of this code would still be kept: compute suggestions only then. */
  keeps(code: string): boolean { return this.cap.keeps(code); }

  /** Whether some finding (kept or not) was reported at a span starting at this offset. */
  reportedAt(offset: number): boolean { return this.starts.has(offset); }

  add(r: Report): void {
    this.starts.add(r.at.start);
    if (!this.cap.keeps(r.code)) { this.cap.admit(r.code); return; }
    // The registry's default unless the rule knows better (server/src/codes/).
    const severity: Severity = r.severity ?? codeInfo(r.code)!.severity;
    const f: Finding = { code: r.code, severity, range: this.range(r.at), explanation: quoteValue(r.explanation, MAX_MESSAGE), stage: r.stage };
    if (r.upstream) f.upstream = quoteValue(r.upstream, MAX_MESSAGE);
    if (r.fixes?.length) f.fixes = r.fixes;
    if (r.tags) f.tags = r.tags;
    this.cap.add(this.findings, f);
  }

  /** Appends one note per code that hit the cap, at its first occurrence. */
  finish(): Finding[] {
    this.findings.push(...this.cap.notes());
    return this.findings;
  }

  /** An edit replacing a span. */
  edit(s: Span, newText: string) { return { range: this.range(s), newText }; }
}

/** An element's whole lines when it stands alone on them (so removing it leaves no blank line), else its span. */
export function removalSpan(lines: LineIndex, el: XmlElement): Span {
  const a = lines.positionAt(el.start);
  const b = lines.positionAt(el.end);
  if (lines.lineText(a.line).slice(0, a.character).trim() === '' && lines.lineText(b.line).slice(b.character).trim() === '') {
    return { start: lines.lineStarts[a.line], end: b.line + 1 < lines.lineCount ? lines.lineStarts[b.line + 1] : lines.lineEnd(b.line) };
  }
  return elementSpan(el);
}

/** An attribute with the blank before it, for removals. */
export function attrRemovalSpan(a: XmlAttr): Span {
  return { start: a.nameStart - 1, end: attrSpan(a).end };
}
