/**
 * Mediated devices (vGPUs): the libvirt driver reads [devices] enabled_mdev_types and each type's
 * [mdev_<type>] device_addresses while it is built, before init_host, and refuses a PCI address
 * given to two types, one that is not a PCI address, or a bad mdev_class (LibvirtDriver._get_supported_vgpu_types).
 * Which types it gets that far with depends on the release; see the comments below.
 */
import type { Finding } from '../../core/findings';
import { MAX_UPSTREAM_QUOTED, quoteValue } from '../../core/findingCap';
import { replaceSpan } from '../edits';
import { novaMessages } from '../messages';
import { lastOccurrence } from '../model';
import type { Entry } from '../scan';
import { reprValue } from '../../core/python';
import { listItems } from '../values';
import { listItemsOf, type Item, type Rule, type RuleContext } from './context';
import { majorOf } from '../../knowledge/nova/releases';

/**
 * Ussuri (21) added per-type device_addresses and these checks, but the [vgpu_*] groups were
 * registered only later, in init_host, so the driver saw none: they first run at start in Wallaby (23).
 */
const WALLABY = majorOf('wallaby');
/** Xena (24) renamed vgpu to mdev: enabled_vgpu_types and [vgpu_<type>] are the old names. */
const XENA = majorOf('xena');
/** 2024.1 (29): every type is read (before, only with two or more types, up to the first without addresses). */
const CARACAL = majorOf('caracal');
/** After 2026.1 (33) a non-PCI address may name a virtual parent in /sys/devices/virtual: the host decides. */
const VIRTUAL_PARENTS = 34;

/** nova.pci.utils._PCI_ADDRESS_REGEX as Python reads it: \\d is any Unicode digit, the unescaped '.' any character but a newline. */
const PCI_ADDRESS = /^[\p{Nd}a-fA-F]{4}:[\p{Nd}a-fA-F]{2}:[\p{Nd}a-fA-F]{2}[^\n][0-7]$/u;

/** Across the config set: the file read last that sets it. */
function last(ctx: RuleContext, group: string, name: string): Entry | undefined {
  return lastOccurrence(ctx.model, group, name);
}

/** The type's device_addresses entry: [mdev_<type>] first, then the old [vgpu_<type>] group. */
function addressesEntry(ctx: RuleContext, type: string): Entry | undefined {
  const t = type.toLowerCase();
  return ctx.major >= XENA ? last(ctx, `mdev_${t}`, 'device_addresses') ?? last(ctx, `vgpu_${t}`, 'device_addresses') : last(ctx, `vgpu_${t}`, 'device_addresses');
}

/** What Nova says of one address, given the type that already has it (if any). */
function problem(ctx: RuleContext, entry: Entry, a: Item, takenBy: string | undefined): Finding | undefined {
  const at = { code: 'nova/mdev-device-address', range: ctx.span(entry, a.start, a.end), stage: 'nova-compute start' } as const;
  const address = quoteValue(a.text);
  if (takenBy !== undefined) {
    return {
      ...at, severity: 'error', upstream: novaMessages.mdevConfig(`duplicate types for PCI ID ${quoteValue(a.text, MAX_UPSTREAM_QUOTED)}`, ctx.major),
      explanation: `${address} is already given to mdev type ${quoteValue(takenBy)}; a physical device serves one mdev type, so nova-compute refuses to start.`,
    };
  }
  if (PCI_ADDRESS.test(a.text)) return undefined;
  if (ctx.major >= VIRTUAL_PARENTS) {
    return {
      ...at, severity: 'warning', upstream: novaMessages.mdevConfig(`incorrect device address: ${quoteValue(a.text, MAX_UPSTREAM_QUOTED)}`, ctx.major),
      explanation: `'${address}' is not a PCI address (dddd:bb:ss.f); Nova accepts it only as a virtual mdev parent that exists under /sys/devices/virtual on the host, and otherwise refuses to start.`,
    };
  }
  return {
    ...at, severity: 'error', upstream: novaMessages.mdevConfig(`incorrect PCI address: ${quoteValue(a.text, MAX_UPSTREAM_QUOTED)}`, ctx.major),
    explanation: `'${address}' is not a PCI address of the form dddd:bb:ss.f (hex domain, bus and slot, function 0-7), so nova-compute refuses to start.`,
  };
}

/** device_addresses read from the pre-Xena [vgpu_<type>] group: oslo.config logs the deprecation. */
function oldGroup(ctx: RuleContext, e: Entry, type: string): Finding {
  const t = quoteValue(type);
  return {
    code: 'nova/deprecated-option', severity: 'warning', range: ctx.span(e, e.section!.nameStart, e.section!.nameEnd), stage: 'oslo.config', tags: ['deprecated'],
    upstream: novaMessages.deprecatedName('device_addresses', `vgpu_${t}`, 'device_addresses', `mdev_${t}`),
    explanation: `[vgpu_${t}] is the old name of [mdev_${t}]: Nova still reads it, with a deprecation warning (Xena renamed vGPU types to mdev types). Rename the section.`,
    fixes: [{ title: `Rename the section to [mdev_${t}]`, preferred: true, edits: [replaceSpan(ctx.model, e.section!.nameStart, e.section!.nameEnd, `mdev_${type}`)] }],
  };
}

/** Whether s has more than `max` code points (Python's len()), counting no further than that. */
function longerThan(s: string, max: number): boolean {
  if (s.length <= max) return false;
  let n = 0;
  for (const _ of s) if (++n > max) return true;
  return false;
}

/** [mdev_<type>] mdev_class (Xena on): oslo.config's String(regex, max_length) as the driver reads it. */
function mdevClassError(ctx: RuleContext, type: string): Finding | undefined {
  if (ctx.major < XENA) return undefined;
  const e = last(ctx, `mdev_${type.toLowerCase()}`, 'mdev_class');
  if (!e) return undefined;
  const message = longerThan(e.value, 255) ? `Value '${quoteValue(e.value, MAX_UPSTREAM_QUOTED)}' exceeds maximum length 255`
    : /^(VGPU|CUSTOM_[A-Z0-9_]+)$/.test(e.value) ? undefined
    : `Value ${reprValue(e.value)} doesn't match regex '^(VGPU|CUSTOM_[A-Z0-9_]+)$'`;
  return message === undefined ? undefined : {
    code: 'nova/invalid-value', severity: 'error', range: ctx.valueRange(e), stage: 'oslo.config', upstream: message,
    explanation: `Nova fails reading mdev_class while building the libvirt driver. It is VGPU or a custom resource class: CUSTOM_ followed by upper-case letters, digits and underscores.`,
  };
}

const mdevTypes: Rule = (ctx) => {
  if (ctx.major < WALLABY) return;
  const typesEntry = (ctx.major >= XENA ? last(ctx, 'devices', 'enabled_mdev_types') : undefined) ?? last(ctx, 'devices', 'enabled_vgpu_types');
  const types = typesEntry ? listItems(typesEntry.value).map((i) => i.text) : [];
  // Before 2024.1 the [mdev_*] groups were registered only for two or more types: one type is never checked.
  if (ctx.major < CARACAL && types.length < 2) return;
  const owner = new Map<string, string>();
  let defaultType: string | undefined;
  const unused = (upstream: string, explanation: string): Finding => ({
    code: 'nova/mdev-type-unused', severity: 'warning', range: ctx.valueRange(typesEntry!), stage: 'nova-compute start', upstream, explanation,
  });
  for (const type of types) {
    const entry = addressesEntry(ctx, type);
    const addresses = entry ? listItemsOf(entry) : [];
    // 2024.1 on, mdev_class is read first; before, only for a type that has addresses.
    const classError = ctx.major >= CARACAL || addresses.length ? mdevClassError(ctx, type) : undefined;
    if (classError) { ctx.report(classError); return; }
    if (entry && ctx.major >= XENA && entry.section!.group.startsWith('vgpu_')) ctx.report(oldGroup(ctx, entry, type));
    if (addresses.length === 0) {
      // Before 2024.1 a type without addresses ends the reading: only the first type is used.
      if (ctx.major < CARACAL) {
        const t = quoteValue(type);
        ctx.report(unused(novaMessages.mdevTypeUnused(t, quoteValue(types[0]), ctx.major),
          `Give every listed type its own [mdev_${t}] device_addresses, or list one type only.`));
        return;
      }
      // From 2024.1 the first such type serves every other device; a later one is dropped.
      if (defaultType === undefined) defaultType = type;
      else {
        const [d, t] = [quoteValue(defaultType), quoteValue(type)];
        ctx.report(unused(novaMessages.mdevDefaultTaken(d, t), `${t} is not used: ${d} already takes the devices no type names. Give ${t} its own device_addresses, or remove it.`));
      }
      continue;
    }
    for (const a of addresses) {
      // Nova raises on the first bad address: nothing after it is read.
      const bad = problem(ctx, entry!, a, owner.get(a.text));
      if (bad) { ctx.report(bad); return; }
      owner.set(a.text, type);
    }
  }
};

export const deviceRules: Rule[] = [mdevTypes];
