/**
 * The cpuset options in Nova's grammar, and how they combine (rules.md §3-4):
 * LibvirtDriver._check_cpu_set_configuration(), the first start-up check of nova-compute.
 */
import type { Finding, Fix } from '../../core/findings';
import type { NovaOption } from '../../knowledge/nova/catalog';
import { formatNovaCpuset, intersect, parseNovaCpuset, subtract, within, type CpusetPiece, type Interval } from '../../cpuset/novaCpuset';
import { capped, MAX_PER_OPTION } from './context';
import { addToGroup, deleteEntry, replaceValue } from '../edits';
import { novaMessages, TRAIN } from '../messages';
import { valueOffset, type Entry } from '../scan';
import type { Rule, RuleContext } from './context';

interface ParsedSet { option: NovaOption; entry: Entry; cpus: Interval[]; pieces: CpusetPiece[] }

/** How Nova names each option in its messages. */
const NOVA_NAME: Record<string, string> = {
  vcpu_pin_set: "'vcpu_pin_set'",
  cpu_shared_set: "'[compute] cpu_shared_set'",
  cpu_dedicated_set: "'[compute] cpu_dedicated_set'",
};

function parseAll(ctx: RuleContext, out: Finding[]): Map<string, ParsedSet> | undefined {
  const sets = new Map<string, ParsedSet>();
  let broken = false;
  for (const [group, name] of [['DEFAULT', 'vcpu_pin_set'], ['compute', 'cpu_shared_set'], ['compute', 'cpu_dedicated_set']]) {
    const { option, entry } = ctx.get(group, name);
    // Unset or empty means "not configured" (the getters return None).
    if (!option || !entry || entry.value === '') continue;
    const r = parseNovaCpuset(entry.value);
    const at = (i: number) => valueOffset(entry, i);
    if (!r.ok) {
      broken = true;
      out.push({
        code: 'nova/cpuset-syntax', severity: 'error', range: ctx.span(entry, at(r.start), at(r.end)), stage: 'nova-compute start', upstream: r.error,
        explanation: `${name} uses Nova's cpuset syntax: CPU numbers, ranges like 4-7 and exclusions like ^5, separated by commas. nova-compute refuses to start.`,
      });
      continue;
    }
    for (const p of r.pieces.filter((p) => p.oddNumber).slice(0, MAX_PER_OPTION)) {
      out.push({
        code: 'nova/cpuset-odd-number', severity: 'warning', range: ctx.span(entry, at(p.start), at(p.end)), stage: 'advice',
        explanation: `Nova reads '${p.rule}' as ${p.cpus[0] === p.cpus[1] ? p.cpus[0] : `${p.cpus[0]}-${p.cpus[1]}`} (Python's int() accepts signs, leading zeros, underscores and non-ASCII digits); libvirt and other tools may not. Write plain numbers.`,
        fixes: [{ title: `Write ${formatNovaCpuset([p.cpus])}`, preferred: true, edits: [ctxEdit(ctx, entry, at(p.start), at(p.end), `${p.exclude ? '^' : ''}${formatNovaCpuset([p.cpus])}`)] }],
      });
    }
    if (r.cpus.length === 0) {
      broken = true;
      out.push({
        code: 'nova/cpuset-empty', severity: 'error', range: ctx.valueRange(entry), stage: 'nova-compute start',
        upstream: novaMessages.cpusetEmpty(NOVA_NAME[name], entry.value),
        explanation: `After the exclusions (^N) nothing is left in ${name}, and nova-compute refuses to start. Leave the option out (or empty) to mean "not configured".`,
      });
      continue;
    }
    sets.set(name, { option, entry, cpus: r.cpus, pieces: r.pieces });
  }
  return broken ? undefined : sets;
}

function ctxEdit(ctx: RuleContext, entry: Entry, start: number, end: number, text: string) {
  return { range: ctx.span(entry, start, end), newText: text };
}

/** Overlap of shared and dedicated, reported on every piece that contributes a shared CPU. */
function overlap(ctx: RuleContext, shared: ParsedSet, dedicated: ParsedSet): Finding[] {
  const common = intersect(shared.cpus, dedicated.cpus);
  if (!common.length) return [];
  const out: Finding[] = [];
  const fixes: Fix[] = [];
  const sharedLeft = subtract(shared.cpus, common);
  const dedicatedLeft = subtract(dedicated.cpus, common);
  if (sharedLeft.length) fixes.push({ title: `Remove ${formatNovaCpuset(common)} from cpu_shared_set`, preferred: true, edits: [replaceValue(ctx.model, shared.entry, formatNovaCpuset(sharedLeft))] });
  if (dedicatedLeft.length) fixes.push({ title: `Remove ${formatNovaCpuset(common)} from cpu_dedicated_set`, edits: [replaceValue(ctx.model, dedicated.entry, formatNovaCpuset(dedicatedLeft))] });
  for (const [set, other] of [[dedicated, `cpu_shared_set${ctx.from(shared.entry)}`], [shared, `cpu_dedicated_set${ctx.from(dedicated.entry)}`]] as const) {
    for (const p of set.pieces) {
      if (p.exclude) continue;
      const mine = within(common, p.cpus);
      if (!mine.length) continue;
      out.push({
        code: 'nova/cpuset-overlap', severity: 'error', range: ctx.span(set.entry, valueOffset(set.entry, p.start), valueOffset(set.entry, p.end)), stage: 'nova-compute start',
        upstream: novaMessages.cpusetsNotDisjoint,
        explanation: `CPU${cpuCount(mine) > 1 ? 's' : ''} ${formatNovaCpuset(mine)} ${cpuCount(mine) > 1 ? 'are' : 'is'} also in ${other}; a host CPU is either shared or dedicated, and nova-compute refuses to start.`,
        fixes,
      });
    }
  }
  return capped(out);
}

function cpuCount(set: Interval[]): number {
  return set.reduce((n, [a, b]) => n + b - a + 1, 0);
}

function moveToShared(ctx: RuleContext, pin: ParsedSet): Fix {
  return {
    title: 'Move the value to [compute] cpu_shared_set',
    edits: [deleteEntry(ctx.model, pin.entry), addToGroup(ctx.model, 'compute', `cpu_shared_set = ${pin.entry.value}`)],
  };
}

const cpusets: Rule = (ctx) => {
  const out: Finding[] = [];
  const sets = parseAll(ctx, out);
  if (!sets || ctx.major < TRAIN) return out;
  const pin = sets.get('vcpu_pin_set');
  const shared = sets.get('cpu_shared_set');
  const dedicated = sets.get('cpu_dedicated_set');
  const reserved = ctx.get('DEFAULT', 'reserved_host_cpus');
  const removePin: Fix | undefined = pin && { title: 'Remove vcpu_pin_set', preferred: true, edits: [deleteEntry(ctx.model, pin.entry)] };

  if (dedicated && dedicated.cpus[0][0] === 0 && ctx.get('libvirt', 'cpu_power_management').value === true
    && ctx.get('libvirt', 'cpu_power_management_strategy').value === 'cpu_state') {
    out.push({
      code: 'nova/cpu0-not-power-managed', severity: 'warning', range: ctx.valueRange(dedicated.entry), stage: 'nova-compute start',
      upstream: novaMessages.cpu0PowerManaged,
      explanation: 'Linux cannot take CPU 0 offline, so the cpu_state power strategy skips it. Leave CPU 0 to the host (out of cpu_dedicated_set), or use the governor strategy.',
    });
  }
  if (!pin) {
    if (shared && dedicated) out.push(...overlap(ctx, shared, dedicated));
    if ((shared || dedicated) && reserved.valid && reserved.entry && reserved.value !== null && reserved.value !== 0) {
      out.push({
        code: 'nova/reserved-host-cpus-with-cpusets', severity: 'error', range: ctx.entryRange(reserved.entry), stage: 'nova-compute start',
        upstream: novaMessages.reservedHostCpus,
        explanation: 'With cpu_shared_set or cpu_dedicated_set, host CPUs are kept back by leaving them out of both sets; reserved_host_cpus must be unset (or 0), or nova-compute refuses to start.',
        fixes: [{ title: 'Remove reserved_host_cpus', preferred: true, edits: [deleteEntry(ctx.model, reserved.entry)] }],
      });
    }
    return out;
  }
  if (dedicated) {
    out.push({
      code: 'nova/vcpu-pin-set-with-dedicated', severity: 'error', range: ctx.entryRange(pin.entry), stage: 'nova-compute start',
      upstream: novaMessages.pinSetWithDedicated,
      explanation: 'vcpu_pin_set and [compute] cpu_dedicated_set cannot both be set; nova-compute refuses to start. Put the CPUs for unpinned guests in [compute] cpu_shared_set and remove vcpu_pin_set.',
      fixes: [removePin!, ...(shared ? [] : [moveToShared(ctx, pin)])], tags: ['deprecated'],
    });
  } else if (shared) {
    out.push({
      code: 'nova/vcpu-pin-set-with-shared', severity: 'warning', range: ctx.entryRange(pin.entry), stage: 'nova-compute start',
      upstream: novaMessages.pinSetWithShared,
      explanation: 'While vcpu_pin_set is set, it still decides which CPUs unpinned guests use, and cpu_shared_set only places emulator threads. Move to cpu_shared_set (unpinned) and cpu_dedicated_set (pinned), then remove vcpu_pin_set.',
      fixes: [removePin!], tags: ['deprecated'],
    });
  } else {
    out.push({
      code: 'nova/vcpu-pin-set-deprecated', severity: 'warning', range: ctx.entryRange(pin.entry), stage: 'nova-compute start',
      upstream: novaMessages.pinSetOnly,
      explanation: 'vcpu_pin_set is deprecated since Train: use [compute] cpu_shared_set for the CPUs of unpinned guests and [compute] cpu_dedicated_set for pinned ones.',
      fixes: [{ ...moveToShared(ctx, pin), preferred: true }], tags: ['deprecated'],
    });
  }
  return out;
};

export const cpusetRules: Rule[] = [cpusets];
