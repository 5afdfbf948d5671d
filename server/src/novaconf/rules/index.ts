/** Every nova.conf rule, in the order nova-compute meets the problems (parse, read, start). */
import type { Finding } from '../../core/findings';
import type { Deadline } from '../../core/deadline';
import type { CpuCatalog } from '../../knowledge/cpumap/types';
import { releaseLabel } from '../../knowledge/nova/releases';
import { isElsewhere, type NovaConfModel } from '../model';
import { RuleContext, type Rule } from './context';
import type { HostProfile } from '../../hosts/hostProfile';
import { cpuRules } from './cpu';
import { cpusetRules } from './cpusets';
import { deviceRules } from './devices';
import { hostRules } from './host';
import { optionRules } from './options';
import { startupRules } from './startup';
import { syntaxRules } from './syntax';
import { valueRules } from './values';

const RULES: Rule[] = [...syntaxRules, ...optionRules, ...valueRules, ...deviceRules, ...cpusetRules, ...cpuRules, ...startupRules, ...hostRules];

/** A note at the top when the release setting was not understood (we then judge by the newest). */
function releaseNotes(model: NovaConfModel): Finding[] {
  const { release, unknownSetting, clampedFrom } = model.release;
  const top = model.lines.range(0, 0);
  if (unknownSetting !== undefined) {
    return [{
      code: 'nova/unknown-release', severity: 'information', range: top, stage: 'advice',
      explanation: `Unknown Nova release '${unknownSetting}' in the novaRelease setting: checking against the newest we know, ${releaseLabel(release)}. Use a name or number such as zed, 26, 2024.1 or caracal.`,
    }];
  }
  if (clampedFrom !== undefined) {
    return [{
      code: 'nova/unknown-release', severity: 'information', range: top, stage: 'advice',
      explanation: `Nova release '${clampedFrom}' is older than our catalog: checking against the oldest we know, ${releaseLabel(release)}.`,
    }];
  }
  return [];
}

/**
 * Only what this file holds: a finding anchored in another file of the config set is that file's
 * to report, and a fix cannot edit another file (keeps single-file findings untouched).
 */
function inThisFile(findings: Finding[]): Finding[] {
  const local = (f: { range: Finding['range'] }) => !isElsewhere(f.range);
  return findings.filter(local).map((f) => {
    if (!f.fixes?.some((fix) => !fix.edits.every(local))) return f;
    return { ...f, fixes: f.fixes.filter((fix) => fix.edits.every(local)) };
  });
}

export function runRules(model: NovaConfModel, cpu: CpuCatalog | undefined, deadline?: Deadline, host?: HostProfile): Finding[] {
  const ctx = new RuleContext(model, cpu, host);
  const out = releaseNotes(model);
  for (const rule of RULES) {
    if (deadline?.expired(`the rule ${rule.name || '(unnamed)'} and the ones after it`)) break;
    for (const f of rule(ctx)) out.push(f);
  }
  return inThisFile(out);
}
