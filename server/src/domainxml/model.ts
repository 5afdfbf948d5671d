/**
 * The domain model every feature reads: the scanned tree plus the few facts many rules
 * share (vCPU count, NUMA cells, iothread ids...), computed once per document version.
 * Values are derived the way libvirt's parser derives them, so rules agree with each other.
 */
import type { LineIndex } from '../core/lineIndex';
import type { Finding } from '../core/findings';
import { attr, child, childrenNamed, scanXml, type ScanResult, type XmlAttr, type XmlElement } from './scan';
import { checkWellFormed } from './wellformed';
import { parseLibvirtCpuset } from '../cpuset/libvirtCpuset';
import { countIds, merge, type Interval } from '../cpuset/intervals';
import { parseUInt } from './messages';
import { toKiB } from './units';
import { pacer, type Deadline } from '../core/deadline';

export const NOVA_NS = 'http://openstack.org/xmlns/libvirt/nova/1.1';

export interface NumaCell {
  el: XmlElement;
  /** Position among the cells. */
  index: number;
  /** The id libvirt files the cell under (given, else the position); undefined if not a number. */
  id: number | undefined;
  /** Parsed vCPU ids (empty when absent or invalid). */
  cpus: Interval[];
  /** How many vCPU ids `cpus` holds. */
  cpuCount: number;
  cpusValid: boolean;
  memoryKiB: number | undefined;
}

export interface DomainModel {
  text: string;
  lines: LineIndex;
  scan: ScanResult;
  /** The root when it is <domain>. */
  domain?: XmlElement;
  wellFormed?: Finding;
  /** `os/type/@arch`; x86_64 when absent (what a KVM host on x86 fills in). */
  arch: string;
  machine: string;
  /** `domain/@type` (kvm, qemu, ...). */
  virtType: string;
  vcpu?: XmlElement;
  vcpus?: XmlElement;
  /** Max vCPUs as libvirt reads `<vcpu>` (1 when absent); undefined when it is not a number. */
  maxVcpus: number | undefined;
  vcpuPlacementAuto: boolean;
  cpu?: XmlElement;
  numa?: XmlElement;
  cells: NumaCell[];
  cputune?: XmlElement;
  numatune?: XmlElement;
  /** `<memory>` in KiB, when given and readable. */
  memoryKiB: number | undefined;
  memory?: XmlElement;
  /** Iothread ids that exist (`<iothreadids>` or 1..`<iothreads>`). */
  iothreads: Interval[];
  /** The Nova metadata element when the domain is Nova-managed. */
  novaMetadata?: XmlElement;
}

/**
 * `deadline`: the analysis's time budget, asked while scanning, checking well-formedness and
 * reading the NUMA cells; once spent, the model holds what was read (no rule runs: analyze.ts).
 */
export function buildModel(text: string, lines: LineIndex, deadline?: Deadline): DomainModel {
  const scan = scanXml(text, deadline);
  const domain = scan.root?.name === 'domain' ? scan.root : undefined;
  const os = child(domain, 'os');
  const osType = child(os, 'type');
  const vcpu = child(domain, 'vcpu');
  const cpu = child(domain, 'cpu');
  const numa = child(cpu, 'numa');
  const memory = child(domain, 'memory');
  const model: DomainModel = {
    text, lines, scan, domain,
    // Past MAX_ITEMS nothing more is checked (diagnose says so), well-formedness included; nor
    // is a part of the text (the budget ran out): its end would look unclosed.
    wellFormed: scan.cutAt === undefined && scan.outOfTime === undefined ? checkWellFormed(text, lines, scan, deadline) : undefined,
    arch: attr(osType, 'arch')?.value || 'x86_64',
    machine: attr(osType, 'machine')?.value ?? '',
    virtType: attr(domain, 'type')?.value ?? '',
    vcpu, vcpus: individualVcpus(domain),
    maxVcpus: vcpu ? parseUInt(vcpu.text) : 1,
    vcpuPlacementAuto: attr(vcpu, 'placement')?.value === 'auto',
    cpu, numa,
    cells: numaCells(numa, deadline),
    cputune: child(domain, 'cputune'),
    numatune: child(domain, 'numatune'),
    memory,
    memoryKiB: sizeKiB(memory),
    iothreads: iothreads(domain),
    novaMetadata: novaMetadata(domain),
  };
  return model;
}

/** `<vcpus>` counts only with at least one `<vcpu>` in it; an empty one leaves `current` in charge. */
function individualVcpus(domain: XmlElement | undefined): XmlElement | undefined {
  const el = child(domain, 'vcpus');
  return el && childrenNamed(el, 'vcpu').length ? el : undefined;
}

function sizeKiB(el: XmlElement | undefined): number | undefined {
  if (!el) return undefined;
  const v = parseUInt(el.text, Number.MAX_SAFE_INTEGER);
  return v === undefined ? undefined : toKiB(v, attr(el, 'unit')?.value);
}

/** The cells, each with its parsed ids; once `deadline` is spent (asked every CHECK_EVERY characters of cpus lists), the ones read so far. */
function numaCells(numa: XmlElement | undefined, deadline?: Deadline): NumaCell[] {
  const spent = pacer(deadline, () => 'reading the NUMA cells, and so every rule');
  let read = 0;
  const cells: NumaCell[] = [];
  for (const el of childrenNamed(numa, 'cell')) {
    if (spent(read)) break;
    const cpusAttr = attr(el, 'cpus');
    read += 1 + (cpusAttr?.value.length ?? 0);
    cells.push(numaCell(el, cells.length, cpusAttr));
  }
  return cells;
}

function numaCell(el: XmlElement, index: number, cpusAttr: XmlAttr | undefined): NumaCell {
  const idAttr = attr(el, 'id');
  const parsed = cpusAttr ? parseLibvirtCpuset(cpusAttr.value) : undefined;
  const mem = attr(el, 'memory');
  const memVal = mem ? parseUInt(mem.value, Number.MAX_SAFE_INTEGER) : undefined;
  const cpus = parsed && parsed.ok ? parsed.set : [];
  return {
    el, index,
    id: idAttr ? parseUInt(idAttr.value) : index,
    cpus, cpuCount: countIds(cpus),
    // An empty list is fine for a cell (a CPU-less node).
    cpusValid: !parsed || parsed.ok || parsed.error === 'empty',
    memoryKiB: memVal === undefined ? undefined : toKiB(memVal, attr(el, 'unit')?.value),
  };
}

function iothreads(domain: XmlElement | undefined): Interval[] {
  const idsEl = child(domain, 'iothreadids');
  if (idsEl) {
    const ids: Interval[] = [];
    for (const t of childrenNamed(idsEl, 'iothread')) {
      const id = parseUInt(attr(t, 'id')?.value ?? '');
      if (id !== undefined) ids.push([id, id]);
    }
    return merge(ids);
  }
  const count = parseUInt(child(domain, 'iothreads')?.text ?? '') ?? 0;
  return count > 0 ? [[1, count]] : [];
}

function novaMetadata(domain: XmlElement | undefined): XmlElement | undefined {
  const md = child(domain, 'metadata');
  if (!md) return undefined;
  for (const c of md.children) {
    if (c.attrs.some((a) => a.name.startsWith('xmlns') && a.value === NOVA_NS)) return c;
  }
  return undefined;
}
