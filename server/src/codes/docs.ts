/**
 * The rules reference (docs/rules/<page>.md) and the README's tables of codes, rendered from the
 * registry. scripts/gen-rules-docs.ts writes them; a test checks the files are current; the server
 * uses the same rendering to know the line of each code's entry (its diagnostics link there).
 */
import { CODE_KINDS } from './index';
import type { CodeInfo, CodeKind } from './types';

export const GENERATED_NOTE = '<!-- Generated from server/src/codes/ by `npm run gen:rules`; do not edit by hand. -->';
/** The README's tables sit between these markers. */
export const TABLE_START = '<!-- codes:start -->';
export const TABLE_END = '<!-- codes:end -->';

/** The anchor of a code's entry: `libvirt/cpu-mode-invalid` -> `libvirt-cpu-mode-invalid`. */
export const anchorOf = (code: string) => code.replace(/\//g, '-');

/** Characters an example may hold that a code block would not show. */
const visible = (text: string) => text.replace(/\0/g, '\\0').replace(/\uFEFF/g, '<U+FEFF>').replace(/\uFFFD/g, '<U+FFFD>');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function entry(kind: CodeKind, code: string, info: CodeInfo): string[] {
  const out = [`## ${code}`, '', `<a id="${anchorOf(code)}"></a>**${info.severity}** · ${info.stage}`, '', info.summary, '', info.explanation, ''];
  if (info.severityNote) out.push(`Severity: ${info.severityNote}`, '');
  const upstream = info.upstream === undefined ? [] : typeof info.upstream === 'string' ? [info.upstream] : info.upstream;
  if (upstream.length) out.push(upstream.length > 1 ? 'Upstream says one of:' : 'Upstream says:', '', ...upstream.map((u) => `    ${u}`), '');
  if (info.example) {
    const lang = kind.language === 'xml' ? 'xml' : 'ini';
    const show = (t: string) => visible(t).trimEnd();
    const settings = info.example.settings ? Object.entries(info.example.settings).map(([k, v]) => `\`${k}\` = \`${v}\``).join(', ') : '';
    out.push(`Before${settings ? ` (with ${settings})` : ''}:`, '', `\`\`\`${lang}`, show(info.example.before), '```', '', 'After:', '', `\`\`\`${lang}`, show(info.example.after), '```', '');
  }
  out.push(`Test: ${info.example ? 'this example, in test/unit/codes.registry.test.ts' : info.testedIn}`, '');
  return out;
}

/** One page of the reference, and the 1-based line of each code's heading (for links). */
export function renderRulesPage(kind: CodeKind): { text: string; lines: Map<string, number> } {
  const codes = Object.entries(kind.codes) as Array<[string, CodeInfo]>;
  const out = [`# ${kind.title}`, '', GENERATED_NOTE, '', kind.intro, '', '| Code | Severity | Stage | Summary |', '|---|---|---|---|'];
  for (const [code, info] of codes) out.push(`| [${code}](#${anchorOf(code)}) | ${info.severity} | ${info.stage} | ${cell(info.summary)} |`);
  out.push('');
  const lines = new Map<string, number>();
  for (const [code, info] of codes) {
    lines.set(code, out.length + 1);
    // Entries hold multi-line examples: count the lines they make, not the strings.
    out.push(...entry(kind, code, info).join('\n').split('\n'));
  }
  return { text: `${out.join('\n').trimEnd()}\n`, lines };
}

/** The README's section between the markers: one table per kind, each code linking to its entry. */
export function renderCodesTables(): string {
  const out = [TABLE_START, GENERATED_NOTE, ''];
  for (const kind of CODE_KINDS) {
    const codes = Object.entries(kind.codes) as Array<[string, CodeInfo]>;
    out.push(`### ${kind.title}: ${codes.length}`, '', '| Code | Severity | Summary |', '|---|---|---|');
    for (const [code, info] of codes) out.push(`| [\`${code}\`](docs/rules/${kind.page}.md#${anchorOf(code)}) | ${info.severity} | ${cell(info.summary)} |`);
    out.push('');
  }
  out.push(TABLE_END);
  return out.join('\n');
}

/** `readme` with its codes section replaced (the markers must be there once). */
export function withCodesTables(readme: string): string {
  const a = readme.indexOf(TABLE_START);
  const b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} section`);
  return readme.slice(0, a) + renderCodesTables() + readme.slice(b + TABLE_END.length);
}
