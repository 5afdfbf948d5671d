import type { Finding } from './core/findings';
import { LineIndex } from './core/lineIndex';
import { detectKind, type DocumentKind } from './core/documentKind';
import { checkInput, cutShort, unreadableMembers } from './core/inputChecks';
import type { Deadline } from './core/deadline';
import type { LanguageService, RelatedFiles } from './core/languageService';
import type { Knowledge } from './knowledge/knowledge';
import { novaConfService } from './novaconf/service';
import { domainXmlService } from './domainxml/service';

const services: Record<DocumentKind, LanguageService<unknown>> = {
  'nova-conf': novaConfService as LanguageService<unknown>,
  'domain-xml': domainXmlService as LanguageService<unknown>,
};

/** Everything known about one version of one document; features read it, none re-parse. */
export interface Analysis {
  kind: DocumentKind;
  lines: LineIndex;
  /** undefined when the input checks stopped parsing (binary, enormous). */
  model: unknown;
  service: LanguageService<unknown>;
  findings: Finding[];
  /** Whether the time budget ran out before every rule ran (the findings are then partial). */
  cutShort: boolean;
}

/**
 * The single pipeline both fronts use: text -> input checks -> parse -> rules -> findings.
 * Returns undefined for documents that are not ours (e.g. XML whose root is not <domain>).
 * `related`: the other files read with this one (the fronts find them: see novaconf/configSet.ts).
 * `deadline`: the time budget (the server's); once spent, the rules still to run are skipped and
 * the findings so far come with one `input/analysis-cut-short` finding.
 */
export function analyze(path: string, text: string, knowledge: Knowledge, languageId?: string, kindHint?: DocumentKind, related?: RelatedFiles, deadline?: Deadline): Analysis | undefined {
  const kind = kindHint ?? detectKind(path, text, languageId);
  if (!kind) return undefined;
  const service = services[kind];
  const lines = new LineIndex(text);
  const input = checkInput(text, lines);
  if (input.stop) return { kind, lines, model: undefined, service, findings: input.findings, cutShort: false };
  const model = service.parse(text, lines, knowledge, related);
  const findings = input.findings;
  if (related?.unreadable?.length) findings.push(unreadableMembers(related.unreadable));
  if (!deadline?.expired('every rule (parsing alone used up the budget)')) {
    for (const f of service.diagnose(model, knowledge, deadline)) findings.push(f);
  }
  const cut = deadline !== undefined && deadline.cutAt !== undefined;
  if (cut) findings.push(cutShort(deadline.budgetMs, deadline.cutAt!));
  return { kind, lines, model, service, findings, cutShort: cut };
}
