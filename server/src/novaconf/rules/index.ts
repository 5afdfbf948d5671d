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
import { vendorRules } from './vendor';

const RULES: Rule[] = [...limitRules, ...syntaxRules, ...optionRules, ...valueRules, ...deviceRules, ...cpusetRules, ...cpuRules, ...vendorRules, ...startupRules, ...hostRules];

/**
 * One finding per problem: a set vcpu_pin_set makes oslo.config log its deprecation and
 * nova-compute its own start-up warning; both texts go in nova-compute's finding (the one with the
 * fix), verbatim. Where nova-compute says nothing of it (before Train, or a value that does not
 * parse), the deprecation stays a finding of its own.
 */
function mergeVcpuPinSet(findings: Finding[]): Finding[] {
  const pin = findings.find((f) => f.code.startsWith('nova/vcpu-pin-set-'));
  if (!pin) return findings;
  const at = (f: Finding) => `${f.range.start.line}:${f.range.start.character}`;
  const deprecation = findings.find((f) => f.code === 'nova/deprecated-for-removal' && at(f) === at(pin));
  if (!deprecation?.upstream) return findings;
  return findings.filter((f) => f !== deprecation).map((f) => (f === pin ? { ...f, upstreamAlso: [...(f.upstreamAlso ?? []), deprecation.upstream!] } : f));
}

export function runRules(model: NovaConfModel, cpu: CpuCatalog | undefined, deadline?: Deadline, host?: HostProfile): Finding[] {
  const ctx = new RuleContext(model, cpu, host, deadline);
  for (const rule of RULES) {
    if (deadline?.expired(`the rule ${rule.name || '(unnamed)'} and the ones after it`)) break;
    // A rule written the old way (returning its findings) would lose them silently: fail loudly instead.
    if ((rule(ctx) as unknown) !== undefined) throw new Error(`nova.conf rule ${rule.name} returned a value: rules report through ctx.report`);
  }
  return mergeVcpuPinSet(ctx.finish());
}
