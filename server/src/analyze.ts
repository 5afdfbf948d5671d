import type { Finding } from './core/findings';
import { LineIndex } from './core/lineIndex';
import { detectKind, type DocumentKind } from './core/documentKind';
import { checkInput, cutShort, unreadableMembers } from './core/inputChecks';
import type { Deadline } from './core/deadline';
import type { LanguageService, RelatedFiles } from './core/languageService';
import type { Knowledge } from './knowledge/knowledge';
import { novaConfService } from './novaconf/service';
import { domainXmlService } from './domainxml/service';
import type { DeployTool } from './deploytools/detect';
import { detectLocal, generatedFileFinding } from './deploytools/finding';
import { applyRuleControl, parseSeverityOverrides, type SeverityOverrides } from './core/ruleControl';
import type { Settings } from './core/settings';

const services: Record<DocumentKind, LanguageService<unknown>> = {
  'nova-conf': novaConfService as LanguageService<unknown>,
  'domain-xml': domainXmlService as LanguageService<unknown>,
};

const overrides = new WeakMap<Settings, SeverityOverrides>();
/** The severity setting, parsed once per settings object (the fronts name its bad entries, from parseSeverityOverrides). */
function overridesOf(settings: Settings): SeverityOverrides {
  let o = overrides.get(settings);
  if (!o) overrides.set(settings, (o = parseSeverityOverrides(settings.severity).overrides));
  return o;
}

/** Everything known about one version of one document; features read it, none re-parse. */
export interface Analysis {
  kind: DocumentKind;
  lines: LineIndex;
  /** undefined when the input checks stopped parsing (binary, enormous). */
  model: unknown;
  service: LanguageService<unknown>;
  findings: Finding[];
  /** Set by the fronts for a local nova.conf a deployment tool writes (deploytools/). */
  deployTool?: DeployTool;
  /** Whether the time budget ran out before every rule ran (the findings are then partial). */
  cutShort: boolean;
}

/**
 * The single pipeline both fronts use: text -> input checks -> parse -> rules -> findings.
 * Returns undefined for documents that are not ours (e.g. XML whose root is not <domain>).
 * `related`: the other files read with this one (the fronts find them: see novaconf/configSet.ts).
 * `deadline`: the time budget (the server's), asked in every phase (reading, the model, each
 * rule); once spent, what is still to do is skipped and the findings so far come with one
 * `input/analysis-cut-short` finding that names the phase it stopped in.
 * `previous`: this document's last analysis (the server's, after an edit of another config-set
 * member): when it was of the same text and knowledge, the rules whose reads of the other files
 * the edit cannot reach are not run again (novaconf/rules/index.ts).
 */
export function analyze(
  path: string, text: string, knowledge: Knowledge, languageId?: string, kindHint?: DocumentKind, related?: RelatedFiles, deadline?: Deadline, previous?: Analysis,
): Analysis | undefined {
  const kind = kindHint ?? detectKind(path, text, languageId);
  if (!kind) return undefined;
  const service = services[kind];
  // The last analysis, when whole and of this kind: what depends on the text alone is taken from it when the text is the same.
  const earlier = previous && previous.kind === kind && !previous.cutShort ? previous : undefined;
  const lines = earlier?.lines.text === text ? earlier.lines : new LineIndex(text);
  const input = checkInput(text, lines);
  if (input.stop) return { kind, lines, model: undefined, service, findings: applyRuleControl(input.findings, lines, kind, overridesOf(knowledge.settings)), cutShort: false };
  const model = service.parse(text, lines, knowledge, related, deadline, earlier?.model);
  const findings = input.findings;
  if (related?.unreadable?.length) findings.push(unreadableMembers(related.unreadable));
  // Also when the budget ran out while parsing: diagnose then reports what was judged whole
  // (a domain's well-formedness), and its rule runner, asking the spent deadline first, runs no rule.
  for (const f of service.diagnose(model, knowledge, deadline, earlier?.model)) findings.push(f);
  const cut = deadline !== undefined && deadline.cutAt !== undefined;
  if (cut) findings.push(cutShort(deadline.budgetMs, deadline.cutAt!));
  return { kind, lines, model, service, findings: applyRuleControl(findings, lines, kind, overridesOf(knowledge.settings)), cutShort: cut };
}

/**
 * For the fronts, whose files are on this machine: the analysis plus the deployment-tool note
 * (nova/generated-file) when a tool writes this nova.conf (the probe reads local marker files).
 */
export function noteDeployTool(path: string, text: string, analysis: Analysis | undefined, settings: Settings): Analysis | undefined {
  if (analysis?.kind !== 'nova-conf' || analysis.model === undefined) return analysis;
  const tool = detectLocal(path, text);
  if (tool) {
    analysis.deployTool = tool;
    // Like every other finding: the severity setting and the file's suppression comments apply.
    analysis.findings.unshift(...applyRuleControl([generatedFileFinding(tool, analysis.lines)], analysis.lines, 'nova-conf', overridesOf(settings)));
  }
  return analysis;
}
