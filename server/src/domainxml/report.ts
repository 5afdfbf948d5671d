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

/** What libvirt does at each stage, as a first line starts, for one that does not say it already. */
const CONSEQUENCE: Partial<Record<Stage, string>> = {
  define: 'virsh define fails',
  'define (qemu)': 'The qemu driver refuses the definition',
  schema: 'virsh define --validate and virt-xml-validate reject it',
  'vm start': 'The guest fails to start',
};
/** Words by which a rule's explanation already says what happens. */
const SAYS_CONSEQUENCE = /virsh define|on define|at define|start|reject|refus|fail|drop|ignor|lost|silently|no effect|never|disappear|overwrit|trims|replac|adds/i;

/**
 * The message's first line leads with the point: the element (the rule names it) and what libvirt
 * does. Rules that state only the constraint ("period is 1000-1000000 µs") get the stage's consequence.
 */
function withConsequence(explanation: string, stage: Stage, severity: Severity): string {
  const consequence = CONSEQUENCE[stage];
  if (!consequence || (severity !== 'error' && severity !== 'warning')) return explanation;
  const first = explanation.split(/(?<=[.!?])\s/)[0];
  return SAYS_CONSEQUENCE.test(first) ? explanation : `${consequence}: ${explanation}`;
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

  /**
   * Counts a finding the cap drops (`keeps(code)` is false) without building it: rules that can
   * report once per element (60,000 unknown features) skip composing its messages.
   */
  skip(code: Code, at: Span): void {
    this.starts.add(at.start);
    this.cap.admit(code);
  }

  add(r: Report): void {
    if (!this.cap.keeps(r.code)) { this.skip(r.code, r.at); return; }
    this.starts.add(r.at.start);
    // The registry's default unless the rule knows better (server/src/codes/).
    const severity: Severity = r.severity ?? codeInfo(r.code)!.severity;
    const f: Finding = { code: r.code, severity, range: this.range(r.at), explanation: quoteValue(withConsequence(r.explanation, r.stage, severity), MAX_MESSAGE), stage: r.stage };
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
