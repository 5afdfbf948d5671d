/**
 * Per-rule control, applied to every analysis after the rules ran (analyze.ts), so rules stay pure:
 * - the severity setting (`novaLibvirtCpu.diagnostics.severity`, CLI `--severity CODE=LEVEL`) maps a
 *   code, or a prefix ending in `*` (`nova/advice-*`, `libvirt/*`), to a severity or `off`; the
 *   exact code wins over prefixes, a longer prefix over a shorter one;
 * - suppression comments in the document itself:
 *     nova.conf   `# nova-libvirt-cpu: disable=CODE[,CODE…]`               the whole file
 *                 `# nova-libvirt-cpu: disable-next-line=CODE[,CODE…]`     the line below
 *     domain XML  `<!-- nova-libvirt-cpu: disable=CODE -->`, `<!-- nova-libvirt-cpu: disable-next-line=CODE -->`
 *   The line form is "next line" in both kinds because nova.conf has no trailing comments: text
 *   after a value is part of the value (oslo.config). CODE takes the same patterns as the setting.
 */
import type { Finding, Fix, Severity } from './findings';
import type { LineIndex } from './lineIndex';
import type { DocumentKind } from './documentKind';
import { allCodes } from '../codes';

export type Level = Severity | 'off';
export const LEVELS: readonly Level[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Code patterns to levels, ready to look up. */
export interface SeverityOverrides {
  exact: ReadonlyMap<string, Level>;
  /** Longest prefix first. */
  prefixes: ReadonlyArray<{ prefix: string; level: Level }>;
}

export const NO_OVERRIDES: SeverityOverrides = { exact: new Map(), prefixes: [] };

const PATTERN = /^[a-z]+\/[a-z0-9-]*\*?$|^\*$/;

/** Whether `pattern` (a code, `area/prefix*` or `*`) names at least one registered code. */
function matchesSomeCode(pattern: string): boolean {
  if (!pattern.endsWith('*')) return allCodes().includes(pattern as never);
  const prefix = pattern.slice(0, -1);
  return allCodes().some((c) => c.startsWith(prefix));
}

/**
 * Reads `{ "nova/advice-*": "hint", "libvirt/nova-managed": "off" }` (the setting) into overrides;
 * entries that are not a known code or prefix, or not a level, are skipped and described in `problems`.
 */
export function parseSeverityOverrides(raw: unknown): { overrides: SeverityOverrides; problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { overrides: NO_OVERRIDES, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { overrides: NO_OVERRIDES, problems: ['the severity setting is not an object of code → level'] };
  const exact = new Map<string, Level>();
  const prefixes: Array<{ prefix: string; level: Level }> = [];
  for (const [pattern, level] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof level !== 'string' || !LEVELS.includes(level as Level)) {
      problems.push(`${pattern}: '${String(level)}' is not one of ${LEVELS.join(', ')}`);
      continue;
    }
    if (!PATTERN.test(pattern) || !matchesSomeCode(pattern)) {
      problems.push(`${pattern}: no code is named so (see \`nova-libvirt-cpu codes\`; a prefix ends with *)`);
      continue;
    }
    if (pattern.endsWith('*')) prefixes.push({ prefix: pattern.slice(0, -1), level: level as Level });
    else exact.set(pattern, level as Level);
  }
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  return { overrides: { exact, prefixes }, problems };
}

/** `CODE=LEVEL` (the CLI's --severity) into the setting's shape. */
export function severityArg(arg: string): { pattern: string; level: string } | undefined {
  const at = arg.lastIndexOf('=');
  return at > 0 ? { pattern: arg.slice(0, at).trim(), level: arg.slice(at + 1).trim() } : undefined;
}

export function levelFor(code: string, o: SeverityOverrides): Level | undefined {
  const exact = o.exact.get(code);
  if (exact) return exact;
  return o.prefixes.find((p) => code.startsWith(p.prefix))?.level;
}

/** What the document's own comments disable: patterns for the whole file, and per line. */
interface Suppressions {
  file: string[];
  lines: Map<number, string[]>;
}

const DIRECTIVE = 'nova-libvirt-cpu:';
/** The directive inside one comment: `disable` or `disable-next-line`, then the patterns. */
const BODY = /^nova-libvirt-cpu:\s*(disable|disable-next-line)\s*=\s*([^\s,>]+(?:\s*,\s*[^\s,>]+)*)/;

/** Comments that carry a directive. Bounded by the text: one indexOf pass over it. */
function readSuppressions(lines: LineIndex, kind: DocumentKind): Suppressions {
  const s: Suppressions = { file: [], lines: new Map() };
  const text = lines.text;
  for (let at = text.indexOf(DIRECTIVE); at >= 0; at = text.indexOf(DIRECTIVE, at + DIRECTIVE.length)) {
    const { line, character } = lines.positionAt(at);
    const before = lines.lineText(line).slice(0, character).trimEnd();
    // Only in a comment of the document's kind: a whole-line `#`/`;` comment, or an XML comment.
    const inComment = kind === 'nova-conf' ? /^\s*[#;]$/.test(before) : before.endsWith('<!--');
    if (!inComment) continue;
    const m = BODY.exec(text.slice(at, Math.min(text.length, lines.lineEnd(line))));
    if (!m) continue;
    // `disable=CODE-->` (no blank before the comment's end) leaves `--` on the last pattern.
    const patterns = m[2].split(',').map((p) => p.trim().replace(/--$/, '')).filter(Boolean);
    if (m[1] === 'disable') s.file.push(...patterns);
    else s.lines.set(line + 1, [...(s.lines.get(line + 1) ?? []), ...patterns]);
  }
  return s;
}

const matches = (code: string, patterns: readonly string[]) =>
  patterns.some((p) => p === code || p === '*' || (p.endsWith('*') && code.startsWith(p.slice(0, -1))));

/**
 * The findings as the user configured them: suppressed ones and those set to `off` dropped, the
 * others with their overridden severity. Cheap when nothing is configured (no directive in the text).
 */
export function applyRuleControl(findings: Finding[], lines: LineIndex, kind: DocumentKind, overrides: SeverityOverrides): Finding[] {
  const hasOverrides = overrides.exact.size > 0 || overrides.prefixes.length > 0;
  const sup = lines.text.includes(DIRECTIVE) ? readSuppressions(lines, kind) : undefined;
  if (!hasOverrides && !sup) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    if (sup && (matches(f.code, sup.file) || matches(f.code, sup.lines.get(f.range.start.line) ?? []))) continue;
    const level = hasOverrides ? levelFor(f.code, overrides) : undefined;
    if (level === 'off') continue;
    out.push(level && level !== f.severity ? { ...f, severity: level } : f);
  }
  return out;
}

/** The comment that disables `code`, in the document's kind. */
export function suppressionComment(kind: DocumentKind, code: string, scope: 'disable' | 'disable-next-line'): string {
  return kind === 'nova-conf' ? `# ${DIRECTIVE} ${scope}=${code}` : `<!-- ${DIRECTIVE} ${scope}=${code} -->`;
}

/**
 * Quick fixes that silence `f`: for its line (a comment above it, indented like it) and for the
 * file (a comment on the first line; in XML after the `<?xml …?>` declaration, which must come first).
 */
export function suppressionFixes(f: Finding, lines: LineIndex, kind: DocumentKind): Fix[] {
  const fixes: Fix[] = [];
  const line = f.range.start.line;
  const lineText = line < lines.lineCount ? lines.lineText(line) : '';
  const isDeclaration = (l: number) => kind === 'domain-xml' && l < lines.lineCount && /^\s*<\?xml/.test(lines.lineText(l));
  const eol = lines.text.includes('\r\n') ? '\r\n' : '\n';
  if (line < lines.lineCount && !isDeclaration(line)) {
    const indent = /^[ \t]*/.exec(lineText)![0];
    // A nova.conf line that starts indented continues a value: a comment there would end it.
    if (kind === 'domain-xml' || indent === '') {
      fixes.push({
        title: `Disable ${f.code} for this line`,
        edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${suppressionComment(kind, f.code, 'disable-next-line')}${eol}` }],
      });
    }
  }
  // The file form goes first in the file, or right after an XML declaration (nothing may precede it).
  const top = isDeclaration(0) ? 1 : 0;
  const at = top < lines.lineCount ? { line: top, character: 0 } : { line: 0, character: lines.lineText(0).length };
  const comment = suppressionComment(kind, f.code, 'disable');
  fixes.push({ title: `Disable ${f.code} in this file`, edits: [{ range: { start: at, end: at }, newText: at.character ? `${eol}${comment}` : `${comment}${eol}` }] });
  return fixes;
}
