/** What rules share: their context, cpuset and size readers with libvirt's messages. */
import type { Knowledge } from '../../knowledge/knowledge';
import type { MapArch } from '../../knowledge/cpumap/types';
import type { DomainModel } from '../model';
import { nameSpan, valueSpan, type Reporter } from '../report';
import type { LibvirtVersion } from '../version';
import { attr, type XmlAttr, type XmlElement } from '../scan';
import { matchesSchemaCpuset, parseLibvirtCpuset } from '../../cpuset/libvirtCpuset';
import type { Interval } from '../../cpuset/intervals';
import { quoteValue } from '../../core/findingCap';
import type { LibvirtCode } from '../../codes';
import { lv, parseUInt } from '../messages';
import { unitBytes } from '../units';

/** What every rule gets: the domain model, the knowledge, the libvirt version judged against, and the reporter. */
export interface RuleContext {
  model: DomainModel;
  knowledge: Knowledge;
  version: LibvirtVersion;
  report: Reporter;
  /** cpu_map arch of the guest (undefined for arches without a map: s390, riscv...). */
  mapArch: MapArch | undefined;
}

export type Rule = (ctx: RuleContext) => void;

export function mapArchOf(arch: string): MapArch | undefined {
  if (/^(x86_64|i[3-6]86)$/.test(arch)) return 'x86';
  if (/^ppc64/.test(arch)) return 'ppc64';
  if (/^(aarch64|armv)/.test(arch)) return 'arm';
  return undefined;
}

/**
 * Parses a cpuset-like attribute as libvirt would and reports its syntax problems.
 * `emptyMessage` is libvirt's message when nothing is left set (undefined: empty is fine).
 * Returns the ids, or undefined when libvirt would reject the value.
 */
export function checkSet(ctx: RuleContext, a: XmlAttr, code: LibvirtCode, what: string, emptyMessage: string | undefined): Interval[] | undefined {
  const p = parseLibvirtCpuset(a.value);
  if (!p.ok && p.error === 'syntax') {
    ctx.report.add({
      code: 'libvirt/cpuset-syntax', at: valueSpan(a), stage: 'define', upstream: lv.badBitmap(a.value),
      explanation: `'${quoteValue(a.value)}' is not a valid ${what} list. Use ids and ranges separated by commas, e.g. 0-3,6; '^N' removes N (only if listed before it); ids go up to 16383.`,
    });
    return undefined;
  }
  if (!p.ok) {
    if (emptyMessage === undefined) return [];
    ctx.report.add({
      code, at: valueSpan(a), stage: 'define', upstream: emptyMessage,
      explanation: `'${quoteValue(a.value)}' leaves no ${what} at all (libvirt applies '^N' left to right and only to ids listed before it). List at least one id.`,
    });
    return undefined;
  }
  if (!p.schemaValid) schemaWarning(ctx, a);
  return p.set;
}

/** For lists libvirt ignores without parsing: only the schema can object. */
export function checkSetSchema(ctx: RuleContext, a: XmlAttr): void {
  if (!matchesSchemaCpuset(a.value)) schemaWarning(ctx, a);
}

function schemaWarning(ctx: RuleContext, a: XmlAttr): void {
  ctx.report.add({
    code: 'libvirt/cpuset-schema', at: valueSpan(a), stage: 'schema',
    explanation: `'${quoteValue(a.value)}' does not match the schema's list syntax (ids and ranges separated by commas, no blanks, no trailing comma, no '^N-M'): 'virsh define --validate' and virt-xml-validate reject it.`,
  });
}

/** A size attribute read with virDomainParseScaledValue: libvirt's XPath-flavoured messages. */
export function scaledSize(ctx: RuleContext, el: XmlElement, name: string): boolean {
  const { report } = ctx;
  const a = attr(el, name);
  if (!a) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(el), stage: 'define', upstream: `XML error: missing element or attribute './@${name}'`, explanation: `<${el.name}> needs ${name}.` }); return false; }
  if (parseUInt(a.value, Number.MAX_SAFE_INTEGER) === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: `XML error: Invalid value '${quoteValue(a.value)}' for element or attribute './@${name}'`, explanation: `${name} is a whole number.` }); return false; }
  const unit = attr(el, 'unit');
  if (unit && unitBytes(unit.value) === undefined) { report.add({ code: 'libvirt/unit-unknown', at: valueSpan(unit), stage: 'define', upstream: `invalid argument: unknown suffix '${quoteValue(unit.value)}'`, explanation: 'Units are b, KiB, MiB, GiB... or KB, MB, GB...' }); return false; }
  return true;
}
