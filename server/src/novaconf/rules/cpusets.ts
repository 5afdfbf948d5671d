/**
 * The cpuset options in Nova's grammar, and how they combine:
 * LibvirtDriver._check_cpu_set_configuration(), the first start-up check of nova-compute.
 */
import type { Fix } from '../../core/findings';
import { quoteValue } from '../../core/findingCap';
import type { NovaOption } from '../../knowledge/nova/catalog';
import { cpuCount, CpusetIndex, formatNovaCpuset, intersect, novaCpusetPieces, parseNovaCpuset, quoteCpuset, subtract, type Interval } from '../../cpuset/novaCpuset';
import { addToGroup, deleteEntry, replaceValue } from '../edits';
import { novaMessages, TRAIN } from '../messages';
import { valueOffset, type Entry } from '../scan';
import type { Rule, RuleContext } from './context';

/** Its pieces are read again when a finding is about them (novaCpusetPieces): keeping 16 million would take gigabytes. */
interface ParsedSet { option: NovaOption; entry: Entry; cpus: Interval[] }

/** How Nova names each option in its messages. */
const NOVA_NAME: Record<string, string> = {
  vcpu_pin_set: "'vcpu_pin_set'",
  cpu_shared_set: "'[compute] cpu_shared_set'",
  cpu_dedicated_set: "'[compute] cpu_dedicated_set'",
};

/**
 * A fix that rewrites a whole cpuset is offered up to this length: every overlap finding carries
 * it, and no one applies a rewrite of a value longer than this without reading it anyway.
 */
const MAX_REWRITE = 1000;

/** Intervals of a set a message shows before it cuts (quoteCpuset stops at MAX_QUOTED characters anyway). */
const QUOTED_INTERVALS = 32;

function parseAll(ctx: RuleContext): Map<string, ParsedSet> | undefined {
  const sets = new Map<string, ParsedSet>();
  let broken = false;
  for (const [group, name] of [['DEFAULT', 'vcpu_pin_set'], ['compute', 'cpu_shared_set'], ['compute', 'cpu_dedicated_set']]) {
    const { option, entry } = ctx.get(group, name);
    // Unset or empty means "not configured" (the getters return None).
    if (!option || !entry || entry.value === '') continue;
    const r = parseNovaCpuset(entry.value, () => ctx.outOfTime('cpusets'));
    // Out of time inside the parse: nothing said of a set read in part (the cut-short finding says why).
    if (!r) return undefined;
    const at = (i: number) => valueOffset(entry, i);
    if (!r.ok) {
      broken = true;
      ctx.report({
        code: 'nova/cpuset-syntax', severity: 'error', range: ctx.span(entry, at(r.start), at(r.end)), stage: 'nova-compute start', upstream: r.error,
        explanation: `${name} uses Nova's cpuset syntax: CPU numbers, ranges like 4-7 and exclusions like ^5, separated by commas. nova-compute refuses to start.`,
      });
      continue;
    }
    const odd = 'nova/cpuset-odd-number';
    for (const p of novaCpusetPieces(entry.value)) {
      if (ctx.outOfTime('cpusets')) break;
      if (!p.oddNumber) continue;
      const plain = `${p.exclude ? '^' : ''}${formatNovaCpuset([p.cpus])}`;
      ctx.report({
        code: odd, severity: 'information', range: ctx.span(entry, at(p.start), at(p.end)), stage: 'advice',
        explanation: `Nova reads '${quoteValue(p.rule)}' as ${formatNovaCpuset([p.cpus])} (Python's int() accepts signs, leading zeros, underscores and non-ASCII digits); libvirt and other tools may not. Write plain numbers.`,
        fixes: ctx.keeps(odd) ? [{ title: `Write ${formatNovaCpuset([p.cpus])}`, preferred: true, edits: [ctx.edit(entry, at(p.start), at(p.end), plain)] }] : [],
      });
    }
    if (r.cpus.length === 0) {
      broken = true;
      ctx.report({
        code: 'nova/cpuset-empty', severity: 'error', range: ctx.valueRange(entry), stage: 'nova-compute start',
        upstream: novaMessages.cpusetEmpty(NOVA_NAME[name], entry.value),
        explanation: `After the exclusions (^N) nothing is left in ${name}, and nova-compute refuses to start. Leave the option out (or empty) to mean "not configured".`,
      });
      continue;
    }
    sets.set(name, { option, entry, cpus: r.cpus });
  }
  return broken ? undefined : sets;
}

/** Removing the common CPUs from either set: offered while the new value stays short. */
function overlapFixes(ctx: RuleContext, shared: ParsedSet, dedicated: ParsedSet, common: Interval[]): Fix[] {
  const fixes: Fix[] = [];
  const what = quoteCpuset(common.slice(0, QUOTED_INTERVALS), cpuCount(common));
  const sharedLeft = formatNovaCpuset(subtract(shared.cpus, common));
  const dedicatedLeft = formatNovaCpuset(subtract(dedicated.cpus, common));
  if (sharedLeft && sharedLeft.length <= MAX_REWRITE) fixes.push({ title: `Remove ${what} from cpu_shared_set`, preferred: true, edits: [replaceValue(ctx.model, shared.entry, sharedLeft)] });
  if (dedicatedLeft && dedicatedLeft.length <= MAX_REWRITE) fixes.push({ title: `Remove ${what} from cpu_dedicated_set`, edits: [replaceValue(ctx.model, dedicated.entry, dedicatedLeft)] });
  return fixes;
}

/** Overlap of shared and dedicated, reported on every piece that contributes a shared CPU. */
function overlap(ctx: RuleContext, shared: ParsedSet, dedicated: ParsedSet): void {
  const common = intersect(shared.cpus, dedicated.cpus);
  if (!common.length) return;
  const code = 'nova/cpuset-overlap';
  const index = new CpusetIndex(common);
  let fixes: Fix[] | undefined;
  for (const [set, other] of [[dedicated, `cpu_shared_set${ctx.from(shared.entry)}`], [shared, `cpu_dedicated_set${ctx.from(dedicated.entry)}`]] as const) {
    for (const p of novaCpusetPieces(set.entry.value)) {
      if (ctx.outOfTime('cpusets')) break;
      if (p.exclude) continue;
      const mine = index.within(p.cpus, QUOTED_INTERVALS);
      if (!mine.count) continue;
      if (ctx.keeps(code)) fixes ??= overlapFixes(ctx, shared, dedicated, common);
      const many = mine.count > 1;
      ctx.report({
        code, severity: 'error', range: ctx.span(set.entry, valueOffset(set.entry, p.start), valueOffset(set.entry, p.end)), stage: 'nova-compute start',
        upstream: novaMessages.cpusetsNotDisjoint,
        explanation: `CPU${many ? 's' : ''} ${quoteCpuset(mine.head, mine.count)} ${many ? 'are' : 'is'} also in ${other}; a host CPU is either shared or dedicated, and nova-compute refuses to start.`,
        fixes: ctx.keeps(code) ? fixes : [],
      });
    }
  }
}

function moveToShared(ctx: RuleContext, pin: ParsedSet): Fix {
  return {
    title: 'Move the value to [compute] cpu_shared_set',
    edits: [deleteEntry(ctx.model, pin.entry), addToGroup(ctx.model, 'compute', `cpu_shared_set = ${pin.entry.value}`)],
  };
}

/** The options whose entries every finding of this rule is on. */
const ANCHORS = [['DEFAULT', 'vcpu_pin_set'], ['compute', 'cpu_shared_set'], ['compute', 'cpu_dedicated_set'], ['DEFAULT', 'reserved_host_cpus']] as const;

const cpusets: Rule = (ctx) => {
  // A member of a config set that holds none of them reports nothing here (the one that holds them does):
  // after a keystroke in the member read last, the other 99 of a set of 100 stop at this.
  if (!ANCHORS.some(([group, name]) => { const e = ctx.entryOf(group, name); return e && !e.origin; })) return;
  const sets = parseAll(ctx);
  if (!sets || ctx.major < TRAIN) return;
  const pin = sets.get('vcpu_pin_set');
  const shared = sets.get('cpu_shared_set');
  const dedicated = sets.get('cpu_dedicated_set');
  const reserved = ctx.get('DEFAULT', 'reserved_host_cpus');
  const removePin: Fix | undefined = pin && { title: 'Remove vcpu_pin_set', preferred: true, edits: [deleteEntry(ctx.model, pin.entry)] };

  if (dedicated && dedicated.cpus[0][0] === 0 && ctx.get('libvirt', 'cpu_power_management').value === true
    && ctx.get('libvirt', 'cpu_power_management_strategy').value === 'cpu_state') {
    ctx.report({
      code: 'nova/cpu0-not-power-managed', severity: 'warning', range: ctx.valueRange(dedicated.entry), stage: 'nova-compute start',
      upstream: novaMessages.cpu0PowerManaged,
      explanation: 'Linux cannot take CPU 0 offline, so the cpu_state power strategy skips it. Leave CPU 0 to the host (out of cpu_dedicated_set), or use the governor strategy.',
    });
  }
  if (!pin) {
    if (shared && dedicated) overlap(ctx, shared, dedicated);
    if ((shared || dedicated) && reserved.valid && reserved.entry && reserved.value !== null && reserved.value !== 0) {
      ctx.report({
        code: 'nova/reserved-host-cpus-with-cpusets', severity: 'error', range: ctx.entryRange(reserved.entry), stage: 'nova-compute start',
        upstream: novaMessages.reservedHostCpus,
        explanation: 'With cpu_shared_set or cpu_dedicated_set, host CPUs are kept back by leaving them out of both sets; reserved_host_cpus must be unset (or 0), or nova-compute refuses to start.',
        fixes: [{ title: 'Remove reserved_host_cpus', preferred: true, edits: [deleteEntry(ctx.model, reserved.entry)] }],
      });
    }
    return;
  }
  if (dedicated) {
    ctx.report({
      code: 'nova/vcpu-pin-set-with-dedicated', severity: 'error', range: ctx.entryRange(pin.entry), stage: 'nova-compute start',
      upstream: novaMessages.pinSetWithDedicated,
      explanation: 'vcpu_pin_set and [compute] cpu_dedicated_set cannot both be set; nova-compute refuses to start. Put the CPUs for unpinned guests in [compute] cpu_shared_set and remove vcpu_pin_set.',
      fixes: [removePin!, ...(shared ? [] : [moveToShared(ctx, pin)])], tags: ['deprecated'],
    });
  } else if (shared) {
    ctx.report({
      code: 'nova/vcpu-pin-set-with-shared', severity: 'warning', range: ctx.entryRange(pin.entry), stage: 'nova-compute start',
      upstream: novaMessages.pinSetWithShared,
      explanation: 'While vcpu_pin_set is set, it still decides which CPUs unpinned guests use, and cpu_shared_set only places emulator threads. Move to cpu_shared_set (unpinned) and cpu_dedicated_set (pinned), then remove vcpu_pin_set.',
      fixes: [removePin!], tags: ['deprecated'],
    });
  } else {
    ctx.report({
      code: 'nova/vcpu-pin-set-deprecated', severity: 'warning', range: ctx.entryRange(pin.entry), stage: 'nova-compute start',
      upstream: novaMessages.pinSetOnly,
      explanation: 'vcpu_pin_set is deprecated for removal (since Train) and a future release ignores it: use [compute] cpu_shared_set for the CPUs of unpinned guests and [compute] cpu_dedicated_set for pinned ones.',
      fixes: [{ ...moveToShared(ctx, pin), preferred: true }], tags: ['deprecated'],
    });
  }
};

export const cpusetRules: Rule[] = [cpusets];
