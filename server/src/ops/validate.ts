/**
 * Our own diagnostics as the judge of a planned result: the findings of every file of the
 * result, marked with whether the input had them already, and the refusal when any is an error.
 * Policy: a plan is refused whenever its result has an error, also one the input already had
 * (nova-compute would refuse to start, or libvirt to define, with it just the same); the
 * refusal says which errors the change causes and which it merely does not fix.
 */
import { analyze } from '../analyze';
import { findingOneLine, type Finding } from '../core/findings';
import type { RelatedFiles } from '../core/languageService';
import type { DocumentKind } from '../core/documentKind';
import type { Knowledge } from '../knowledge/knowledge';
import type { PlanFinding } from './types';

export interface Doc { path: string; text: string }

/**
 * Each member of a config set judged with the others read around it (a later file wins). The set
 * is shared by its members (RelatedFiles.set): each member text is parsed once, whoever reads it.
 */
export function findingsOfSet(docs: readonly Doc[], knowledge: Knowledge, kind: DocumentKind): Array<Finding & { path: string }> {
  const out: Array<Finding & { path: string }> = [];
  const files = docs.map((o) => ({ label: o.path, text: o.text }));
  docs.forEach((d, i) => {
    const related: RelatedFiles = { before: files.slice(0, i), after: files.slice(i + 1), set: { files, self: i } };
    const a = analyze(d.path, d.text, knowledge, undefined, kind, related);
    for (const f of a?.findings ?? []) out.push({ ...f, path: d.path });
  });
  return out;
}

const identity = (f: Finding & { path: string }) => `${f.path}\0${f.code}\0${f.upstream ?? ''}\0${f.explanation}`;

/**
 * The result's findings, marked preexisting when the input had the same one (same file, code
 * and message; positions move with the edit). `before` is judged only when there is something
 * to mark, since judging a 10k-line set costs milliseconds.
 */
export function judge(after: readonly Doc[], before: () => readonly Doc[], knowledge: Knowledge, kind: DocumentKind): { findings: PlanFinding[]; refused?: string } {
  const found = findingsOfSet(after, knowledge, kind);
  const errors = found.filter((f) => f.severity === 'error');
  const had = errors.length ? new Set(findingsOfSet(before(), knowledge, kind).map(identity)) : new Set<string>();
  const findings = found.map((f) => ({ ...f, preexisting: had.has(identity(f)) }));
  if (!errors.length) return { findings };
  const line = (f: PlanFinding) => `  ${f.path}:${f.range.start.line + 1}: ${findingOneLine(f)}`;
  const caused = findings.filter((f) => f.severity === 'error' && !f.preexisting);
  const kept = findings.filter((f) => f.severity === 'error' && f.preexisting);
  const who = kind === 'nova-conf' ? 'nova-compute would refuse the result' : 'libvirt would refuse the result';
  const parts = [`Not applied: ${who} (${errors.length} error${errors.length > 1 ? 's' : ''} under our diagnostics).`];
  if (caused.length) parts.push('Errors the change would cause:', ...caused.map(line));
  if (kept.length) parts.push('Errors already in the input that the change does not fix (fix them first):', ...kept.map(line));
  return { findings, refused: parts.join('\n') };
}
