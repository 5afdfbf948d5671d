/** Every nova.conf rule, in the order nova-compute meets the problems (parse, read, start). */
import type { Finding } from '../../core/findings';
import type { Deadline } from '../../core/deadline';
import type { CpuCatalog } from '../../knowledge/cpumap/types';
import type { NovaConfModel } from '../model';
import { RuleContext, type Rule } from './context';
import type { HostProfile } from '../../hosts/hostProfile';
import { cpuRules } from './cpu';
import { cpusetRules } from './cpusets';
import { deviceRules } from './devices';
import { hostRules } from './host';
import { limitRules } from './limits';
import { optionRules } from './options';
import { startupRules } from './startup';
import { syntaxRules } from './syntax';
import { valueRules } from './values';

const RULES: Rule[] = [...limitRules, ...syntaxRules, ...optionRules, ...valueRules, ...deviceRules, ...cpusetRules, ...cpuRules, ...startupRules, ...hostRules];

export function runRules(model: NovaConfModel, cpu: CpuCatalog | undefined, deadline?: Deadline, host?: HostProfile): Finding[] {
  const ctx = new RuleContext(model, cpu, host);
  for (const rule of RULES) {
    if (deadline?.expired(`the rule ${rule.name || '(unnamed)'} and the ones after it`)) break;
    // A rule written the old way (returning its findings) would lose them silently: fail loudly instead.
    if ((rule(ctx) as unknown) !== undefined) throw new Error(`nova.conf rule ${rule.name} returned a value: rules report through ctx.report`);
  }
  return ctx.finish();
}
