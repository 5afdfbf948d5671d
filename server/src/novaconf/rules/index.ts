/** Every nova.conf rule, in the order nova-compute meets the problems (parse, read, start). */
import type { Finding } from '../../core/findings';
import type { Deadline } from '../../core/deadline';
import type { CpuCatalog } from '../../knowledge/cpumap/types';
import type { NovaConfModel } from '../model';
import { RuleContext, type Rule, type RuleRun } from './context';
import { readsChanged, setDelta } from '../setChange';
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

/** What a config-set member's rules were given and did, per model whose rules all ran. */
interface Recorded { cpu: CpuCatalog | undefined; host: HostProfile | undefined; runs: RuleRun[] }
const recorded = new WeakMap<NovaConfModel, Recorded>();

/** The runs of `previous` when its rules saw what `model`'s see, but for the other members' texts. */
function reusable(previous: NovaConfModel | undefined, model: NovaConfModel, cpu: CpuCatalog | undefined, host: HostProfile | undefined): RuleRun[] | undefined {
  const r = previous && recorded.get(previous);
  const same = r && r.cpu === cpu && r.host === host && previous!.text === model.text && previous!.catalog === model.catalog && previous!.release === model.release;
  return same ? r.runs : undefined;
}

/**
 * `previous`: the model of this member's last analysis. When it was of the same text and
 * knowledge, a rule none of whose reads across the set changed since (setChange.ts) would
 * report the same again: its findings are put in again and the rule does not run. So after a
 * keystroke in one member, each of the others runs only the rules that read the edited keys.
 */
export function runRules(model: NovaConfModel, cpu: CpuCatalog | undefined, deadline?: Deadline, host?: HostProfile, previous?: NovaConfModel): Finding[] {
  const ctx = new RuleContext(model, cpu, host, deadline);
  // A file alone has no other member to change: nothing to record.
  const record = model.members.count > 1;
  const before = reusable(previous, model, cpu, host);
  const change = before && setDelta(previous!, model);
  const runs: RuleRun[] = [];
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i];
    const old = change && before![i];
    // A replay takes microseconds: the clock is read before the rules that run (once spent, nothing more is added).
    if (deadline?.cutAt !== undefined) break;
    if (old && !readsChanged(old.reads, change) && ctx.replay(old)) { runs.push(old); continue; }
    if (deadline?.expired(() => `the rule ${rule.name || '(unnamed)'} and the ones after it`)) break;
    if (record) runs.push(ctx.runRecorded(rule)); else ctx.run(rule);
  }
  // A run cut short by the time budget is a part: never replayed as the whole.
  if (record && deadline?.cutAt === undefined) recorded.set(model, { cpu, host, runs });
  return mergeVcpuPinSet(ctx.finish());
}
