import type { Knowledge } from '../../knowledge/knowledge';
import type { MapArch } from '../../knowledge/cpumap/types';
import type { DomainModel } from '../model';
import type { Reporter } from '../report';
import { valueSpan } from '../report';
import type { LibvirtVersion } from '../version';
import type { XmlAttr } from '../scan';
import { parseLibvirtCpuset } from '../../cpuset/libvirtCpuset';
import { lv } from '../messages';

/** What every rule gets: the model, the knowledge, the libvirt version, and where to report. */
export interface RuleContext {
  m: DomainModel;
  k: Knowledge;
  v: LibvirtVersion;
  r: Reporter;
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
export function checkSet(ctx: RuleContext, a: XmlAttr, code: string, what: string, emptyMessage: string | undefined): number[] | undefined {
  const p = parseLibvirtCpuset(a.value);
  if (!p.ok && p.error === 'syntax') {
    ctx.r.add({
      code: 'libvirt/cpuset-syntax', at: valueSpan(a), stage: 'define', upstream: lv.badBitmap(a.value),
      explanation: `'${a.value}' is not a valid ${what} list. Use ids and ranges separated by commas, e.g. 0-3,6; '^N' removes N (only if listed before it); ids go up to 16383.`,
    });
    return undefined;
  }
  if (!p.ok) {
    if (emptyMessage === undefined) return [];
    ctx.r.add({
      code, at: valueSpan(a), stage: 'define', upstream: emptyMessage,
      explanation: `'${a.value}' leaves no ${what} at all (libvirt applies '^N' left to right and only to ids listed before it). List at least one id.`,
    });
    return undefined;
  }
  if (!p.schemaValid) schemaWarning(ctx, a);
  return p.ids;
}

/** For lists libvirt ignores without parsing: only the schema can object. */
export function checkSetSchema(ctx: RuleContext, a: XmlAttr): void {
  if (!parseLibvirtCpuset(a.value).schemaValid) schemaWarning(ctx, a);
}

function schemaWarning(ctx: RuleContext, a: XmlAttr): void {
  ctx.r.add({
    code: 'libvirt/cpuset-schema', at: valueSpan(a), stage: 'schema',
    explanation: `'${a.value}' does not match the schema's list syntax (ids and ranges separated by commas, no blanks, no trailing comma, no '^N-M'): 'virsh define --validate' and virt-xml-validate reject it.`,
  });
}
