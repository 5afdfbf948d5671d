/** `<cpu><numa>`: cells, vCPU coverage, memory, distances, HMAT caches, interconnects (rules.md §4). */
import { attr, child, childrenNamed, type XmlElement } from '../scan';
import { attrSpan, nameSpan, textSpan, valueSpan } from '../report';
import { lv, parseUInt } from '../messages';
import { unitBytes } from '../units';
import { formatLibvirtCpuset } from '../../cpuset/libvirtCpuset';
import { checkSet, type RuleContext } from './context';
import { atLeast } from '../version';
import type { NumaCell } from '../model';

export function numaRules(ctx: RuleContext): void {
  const { m, r } = ctx;
  const numa = m.numa;
  if (!numa) return;
  const cells = m.cells;
  if (cells.length === 0) {
    r.add({ code: 'libvirt/numa-no-cells', at: nameSpan(numa), stage: 'define', upstream: 'XML error: NUMA topology defined without NUMA cells',
      explanation: "<numa> needs at least one <cell>, e.g. <cell id='0' cpus='0-3' memory='4' unit='GiB'/>." });
    return;
  }
  if (!cellRules(ctx, cells)) return;
  vcpuCountRules(ctx, cells);
  memorySum(ctx, cells);
  if (!cacheLevels(ctx, cells)) return;
  interconnects(ctx, cells);
}

/**
 * Per-cell parsing in libvirt's order (virDomainNumaDefParseXML): id, duplicate, cpus, overlap
 * with the cells parsed so far, memory, memAccess, discard, distances, caches. Like libvirt we
 * stop at the first error: later cells were never read, so their totals mean nothing.
 */
function cellRules(ctx: RuleContext, cells: NumaCell[]): boolean {
  const { r } = ctx;
  const n = cells.length;
  const filed = new Map<number, NumaCell>();
  for (const c of cells) {
    const idA = attr(c.el, 'id');
    if (idA && c.id === undefined) {
      r.add({ code: 'libvirt/invalid-value', at: valueSpan(idA), stage: 'define', upstream: lv.notUInt('id', 'cell', idA.value), explanation: 'The cell id is a number: 0 to the number of cells - 1.' });
      return false;
    }
    const id = c.id!;
    const idAt = idA ? valueSpan(idA) : nameSpan(c.el);
    if (id >= n) {
      const free = [...unusedIds(cells, n)][0];
      r.add({ code: 'libvirt/numa-cell-id', at: idAt, stage: 'define',
        upstream: "XML error: Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed",
        explanation: `There are ${n} cells, so their ids must be exactly 0..${n - 1}; ${id} is outside.`,
        fixes: idA && free !== undefined ? [{ title: `Set id='${free}'`, edits: [r.edit(valueSpan(idA), String(free))] }] : undefined });
      return false;
    }
    const earlier = filed.get(id);
    // Quirk: libvirt only notices a duplicate when the earlier cell had memory > 0.
    if (earlier && (earlier.memoryKiB ?? 0) > 0) {
      r.add({ code: 'libvirt/numa-cell-duplicate', at: idAt, stage: 'define', upstream: `XML error: Duplicate NUMA cell info for cell id '${id}'`,
        explanation: `Cell id ${id} is used twice; ids must be 0..${n - 1}, each once.` });
      return false;
    }
    if (earlier) {
      r.add({ code: 'libvirt/numa-cell-overwritten', at: idAt, stage: 'define', severity: 'warning',
        explanation: `Cell id ${id} is used twice; because the first has memory 0 libvirt silently overwrites it and another id ends up as an empty cell.` });
    }
    const cpusA = attr(c.el, 'cpus');
    if (cpusA && checkSet(ctx, cpusA, 'libvirt/cpuset-empty', 'vCPU', undefined) === undefined) return false;
    const ids = [...filed.keys()].sort((a, b) => a - b);
    for (const j of ids) {
      const other = filed.get(j)!;
      if (j === id || !other.cpus.length) continue;
      const theirs = new Set(other.cpus);
      const shared = c.cpus.find((x) => theirs.has(x));
      if (shared !== undefined) {
        r.add({ code: 'libvirt/numa-cells-overlap', at: valueSpan(cpusA!), stage: 'define',
          upstream: `unsupported configuration: NUMA cells ${id} and ${j} have overlapping vCPU ids`,
          explanation: `vCPU ${shared} is in cells ${j} and ${id}; a vCPU belongs to exactly one cell.` });
        return false;
      }
    }
    filed.set(id, c);
    if (!memoryAttr(ctx, c)) return false;
    for (const [name, values] of [['memAccess', ['shared', 'private']], ['discard', ['yes', 'no']]] as Array<[string, string[]]>) {
      const a = attr(c.el, name);
      if (a && !values.includes(a.value)) {
        r.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.invalidEnum(name, 'cell', a.value), explanation: `${name} is ${values.join(' or ')}.` });
        return false;
      }
    }
    if (!distanceRules(ctx, c, n)) return false;
    if (!cacheParse(ctx, c)) return false;
  }
  return true;
}

function* unusedIds(cells: NumaCell[], n: number) {
  const used = new Set(cells.map((c) => c.id));
  for (let i = 0; i < n; i++) if (!used.has(i)) yield i;
}

function memoryAttr(ctx: RuleContext, c: NumaCell): boolean {
  const { r } = ctx;
  const mem = attr(c.el, 'memory');
  if (!mem) {
    r.add({ code: 'libvirt/numa-cell-memory-missing', at: nameSpan(c.el), stage: 'define', upstream: "XML error: missing element or attribute './@memory'",
      explanation: "Each cell needs its memory size, e.g. memory='2' unit='GiB' (KiB without unit)." });
    return false;
  }
  if (parseUInt(mem.value, Number.MAX_SAFE_INTEGER) === undefined) {
    r.add({ code: 'libvirt/invalid-value', at: valueSpan(mem), stage: 'define', upstream: `XML error: Invalid value '${mem.value}' for element or attribute './@memory'`, explanation: 'memory is a whole number (in unit, KiB by default).' });
    return false;
  }
  const unit = attr(c.el, 'unit');
  if (unit && unitBytes(unit.value) === undefined) {
    r.add({ code: 'libvirt/unit-unknown', at: valueSpan(unit), stage: 'define', upstream: `invalid argument: unknown suffix '${unit.value}'`,
      explanation: 'Units are b, KiB (k, K), MiB (M), GiB (G), TiB... (powers of 1024) or KB, MB, GB, TB (powers of 1000).' });
    return false;
  }
  return true;
}

function vcpuCountRules(ctx: RuleContext, cells: NumaCell[]): void {
  const { m, r } = ctx;
  const max = m.maxVcpus;
  if (max === undefined || max === 0) return; // reported by the vcpu rules
  const total = cells.reduce((s, c) => s + c.cpus.length, 0);
  const at = nameSpan(m.numa!);
  if (total > max) {
    r.add({ code: 'libvirt/numa-cpus-exceed', at, stage: 'define', upstream: 'internal error: Number of CPUs in <numa> exceeds the <vcpu> count',
      explanation: `The cells list ${total} vCPUs but <vcpu> is ${max}.` });
    return;
  }
  const beyond = cells.find((c) => c.cpus.length && c.cpus[c.cpus.length - 1] >= max);
  if (beyond) {
    r.add({ code: 'libvirt/numa-cpu-id-exceeds', at: valueSpan(attr(beyond.el, 'cpus')!), stage: 'define', upstream: 'internal error: CPU IDs in <numa> exceed the <vcpu> count',
      explanation: `vCPU ids go from 0 to ${max - 1}; cell ${beyond.id} lists ${beyond.cpus[beyond.cpus.length - 1]}.` });
    return;
  }
  if (total === max) return;
  const covered = new Set(cells.flatMap((c) => c.cpus));
  const missing: number[] = [];
  for (let i = 0; i < max; i++) if (!covered.has(i)) missing.push(i);
  const cell0 = cells.find((c) => c.id === 0) ?? cells[0];
  const cpusA = attr(cell0.el, 'cpus');
  const merged = formatLibvirtCpuset([...cell0.cpus, ...missing].sort((a, b) => a - b));
  r.add({ code: 'libvirt/numa-cpus-uncovered', at, stage: 'define (qemu)', severity: 'warning',
    explanation: `vCPUs ${formatLibvirtCpuset(missing)} are in no NUMA cell: the qemu driver silently adds them to cell 0 (cpus='${merged}'), which is rarely what a NUMA layout intends. Assign them to cells explicitly.`,
    fixes: [{ title: `Add vCPUs ${formatLibvirtCpuset(missing)} to cell ${cell0.id}`, edits: [cpusA ? r.edit(valueSpan(cpusA), merged) : r.edit({ start: cell0.el.nameEnd, end: cell0.el.nameEnd }, ` cpus='${merged}'`)] }] });
}

function memorySum(ctx: RuleContext, cells: NumaCell[]): void {
  const { m, r } = ctx;
  if (!m.memory || m.memoryKiB === undefined) return;
  const sum = cells.reduce((s, c) => s + (c.memoryKiB ?? 0), 0);
  if (sum === m.memoryKiB) return;
  const hasDimms = childrenNamed(child(m.domain, 'devices'), 'memory').length > 0;
  if (hasDimms) return; // <memory> then also counts memory devices
  r.add({ code: 'libvirt/numa-memory-sum', at: textSpan(m.memory), stage: 'define (qemu)', severity: 'warning',
    explanation: `The NUMA cells add up to ${sum} KiB but <memory> says ${m.memoryKiB} KiB: the qemu driver silently replaces <memory> with the cells' sum. Make them agree.`,
    fixes: [{ title: `Set <memory> to the cells' sum (${sum} KiB)`, edits: [r.edit({ start: m.memory.start, end: m.memory.end }, `<memory unit='KiB'>${sum}</memory>`)] }] });
}

function distanceRules(ctx: RuleContext, c: NumaCell, n: number): boolean {
  const { r } = ctx;
  const dist = child(c.el, 'distances');
  if (!dist) return true;
  const siblings = childrenNamed(dist, 'sibling');
  if (!siblings.length) {
    r.add({ code: 'libvirt/numa-distances-empty', at: nameSpan(dist), stage: 'define', upstream: 'XML error: NUMA distances defined without siblings', explanation: "Add <sibling id='N' value='D'/> entries or remove <distances>." });
    return false;
  }
  for (const s of siblings) {
    const idA = attr(s, 'id');
    const valA = attr(s, 'value');
    if (!idA) { r.add({ code: 'libvirt/missing-attribute', at: nameSpan(s), stage: 'define', upstream: lv.missingAttr('id', 'sibling'), explanation: 'sibling needs id and value.' }); return false; }
    const id = parseUInt(idA.value);
    if (id === undefined) { r.add({ code: 'libvirt/invalid-value', at: valueSpan(idA), stage: 'define', upstream: lv.notUInt('id', 'sibling', idA.value), explanation: 'id is a cell id.' }); return false; }
    if (id >= n) {
      r.add({ code: 'libvirt/numa-distance-sibling', at: valueSpan(idA), stage: 'define', upstream: `XML error: 'sibling_id ${id}' does not refer to a valid cell within NUMA 'cell id ${c.id}'`,
        explanation: `Cell ids go from 0 to ${n - 1}.` });
      return false;
    }
    if (!valA) { r.add({ code: 'libvirt/missing-attribute', at: nameSpan(s), stage: 'define', upstream: lv.missingAttr('value', 'sibling'), explanation: 'sibling needs id and value.' }); return false; }
    const value = parseUInt(valA.value);
    if (value === undefined) { r.add({ code: 'libvirt/invalid-value', at: valueSpan(valA), stage: 'define', upstream: lv.notUInt('value', 'sibling', valA.value), explanation: 'value is 10-255.' }); return false; }
    const self = id === c.id;
    if (value < 10 || value > 255 || (self && value !== 10) || (!self && value === 10)) {
      r.add({ code: 'libvirt/numa-distance-value', at: valueSpan(valA), stage: 'define', upstream: `XML error: 'value ${value}' is invalid for 'sibling id ${id}' under NUMA 'cell id ${c.id}'`,
        explanation: self ? 'The distance of a cell to itself is 10.' : 'The distance to another cell is 11-255 (10 means local).' });
      return false;
    }
  }
  return true;
}

/** HMAT caches of one cell, parse part (virDomainNumaDefNodeCacheParseXML). */
function cacheParse(ctx: RuleContext, c: NumaCell): boolean {
  const { r } = ctx;
  for (const cache of childrenNamed(c.el, 'cache')) {
    const levelA = attr(cache, 'level');
    if (!levelA) { r.add({ code: 'libvirt/missing-attribute', at: nameSpan(cache), stage: 'define', upstream: lv.missingAttr('level', 'cache'), explanation: 'A NUMA cache needs level, associativity and policy.' }); return false; }
    const level = parseUInt(levelA.value);
    if (level === undefined) { r.add({ code: 'libvirt/invalid-value', at: valueSpan(levelA), stage: 'define', upstream: lv.notUInt('level', 'cache', levelA.value), explanation: 'level is 1-3.' }); return false; }
    if (level === 0) { r.add({ code: 'libvirt/invalid-value', at: valueSpan(levelA), stage: 'define', upstream: lv.zero('level', 'cache'), explanation: 'level is 1-3.' }); return false; }
    const enums: Array<[string, string[]]> = [['associativity', ['none', 'direct', 'full']], ['policy', ['none', 'writeback', 'writethrough']]];
    for (const [name, values] of enums) {
      const a = attr(cache, name);
      if (!a) { r.add({ code: 'libvirt/missing-attribute', at: nameSpan(cache), stage: 'define', upstream: lv.missingAttr(name, 'cache'), explanation: `${name} is one of ${values.join(', ')}.` }); return false; }
      if (!values.includes(a.value)) { r.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.invalidEnum(name, 'cache', a.value), explanation: `${name} is one of ${values.join(', ')}.` }); return false; }
    }
    for (const part of ['size', 'line']) {
      const u = attr(child(cache, part), 'unit');
      if (u) {
        r.add({ code: 'libvirt/numa-cache-unit-ignored', at: attrSpan(u), stage: 'define', severity: 'warning', tags: ['unnecessary'],
          explanation: `libvirt's parser ignores this unit: ${part} is always read as ${part === 'size' ? 'KiB' : 'bytes'}. Give the value in ${part === 'size' ? 'KiB' : 'bytes'}.` });
      }
    }
  }
  return true;
}

/** HMAT caches, validate part (virDomainNumaDefValidate): level <= 3, one cache per level and cell. */
function cacheLevels(ctx: RuleContext, cells: NumaCell[]): boolean {
  const { r } = ctx;
  for (const c of cells) {
    const seen = new Set<number>();
    for (const cache of childrenNamed(c.el, 'cache')) {
      const levelA = attr(cache, 'level')!;
      const level = parseUInt(levelA.value)!;
      if (level > 3) { r.add({ code: 'libvirt/numa-cache-level', at: valueSpan(levelA), stage: 'define', upstream: "XML error: Ain't nobody heard of that much cache level", explanation: 'A memory-side cache level is 1, 2 or 3.' }); return false; }
      if (seen.has(level)) { r.add({ code: 'libvirt/numa-cache-duplicate', at: valueSpan(levelA), stage: 'define', upstream: `XML error: Cache level '${level}' already defined`, explanation: `Cell ${c.id} already has a level ${level} cache.` }); return false; }
      seen.add(level);
    }
  }
  return true;
}

function interconnects(ctx: RuleContext, cells: NumaCell[]): void {
  const { m, r } = ctx;
  const ic = child(m.numa, 'interconnects');
  if (!ic) return;
  const byId = new Map(cells.map((c) => [c.id, c]));
  const seen: Array<{ kind: string; initiator: number; target: number; cache: number; type: string }> = [];
  for (const el of ic.children) {
    if (el.name !== 'latency' && el.name !== 'bandwidth') continue;
    const num = (name: string, required: boolean): number | null | undefined => {
      const a = attr(el, name);
      if (!a) {
        if (required) r.add({ code: 'libvirt/missing-attribute', at: nameSpan(el), stage: 'define', upstream: lv.missingAttr(name, el.name), explanation: `${el.name} needs initiator, target, type and value.` });
        return required ? undefined : null;
      }
      const v = parseUInt(a.value);
      if (v === undefined) r.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.notUInt(name, el.name, a.value), explanation: `${name} is a number.` });
      return v;
    };
    const initiator = num('initiator', true);
    const target = num('target', true);
    const cache = num('cache', false);
    const typeA = attr(el, 'type');
    if (initiator === undefined || target === undefined || cache === undefined || initiator === null || target === null) continue;
    if (!typeA) { r.add({ code: 'libvirt/missing-attribute', at: nameSpan(el), stage: 'define', upstream: lv.missingAttr('type', el.name), explanation: 'type is access, read or write.' }); continue; }
    if (!['access', 'read', 'write'].includes(typeA.value)) { r.add({ code: 'libvirt/invalid-value', at: valueSpan(typeA), stage: 'define', upstream: lv.invalidEnum('type', el.name, typeA.value), explanation: 'type is access, read or write.' }); continue; }
    if (num('value', true) === undefined) continue;
    const at = nameSpan(el);
    const bad = (msg: string, explanation: string) => r.add({ code: 'libvirt/numa-interconnect', at, stage: 'define', upstream: `XML error: ${msg}`, explanation });
    const init = byId.get(initiator);
    const tgt = byId.get(target);
    if (!init) { bad("'initiator' refers to a non-existent NUMA node", `There is no cell ${initiator}.`); continue; }
    if (!tgt) { bad("'target' refers to a non-existent NUMA node", `There is no cell ${target}.`); continue; }
    if (!attr(init.el, 'cpus') || init.cpus.length === 0) { bad("NUMA nodes without CPUs can't be initiator", `Cell ${initiator} has no vCPUs, so it cannot initiate accesses.`); continue; }
    const c = cache ?? 0;
    if (c > 0 && !childrenNamed(tgt.el, 'cache').some((x) => parseUInt(attr(x, 'level')?.value ?? '') === c)) { bad("'cache' refers to a non-existent NUMA node cache", `Cell ${target} has no level ${c} cache.`); continue; }
    const me = { kind: el.name, initiator, target, cache: c, type: typeA.value };
    for (const o of seen) {
      if (o.kind === me.kind && o.initiator === initiator && o.target === target && o.cache === c && o.type === me.type) { bad('Duplicate info for NUMA latencies', 'This entry repeats an earlier one.'); break; }
      if (initiator !== target && o.initiator === target && o.target === initiator) { bad('Link already defined', `The link between cells ${initiator} and ${target} is already described the other way round.`); break; }
    }
    seen.push(me);
  }
}

/** `<memoryBacking><hugepages><page nodeset>` names guest NUMA nodes (node 0 exists without <numa>). */
export function hugepageRules(ctx: RuleContext): void {
  const { m, r } = ctx;
  const pages = childrenNamed(child(child(m.domain, 'memoryBacking'), 'hugepages'), 'page');
  const nodes = Math.max(m.cells.length, 1);
  for (const page of pages) {
    const ns = attr(page, 'nodeset');
    if (!ns) continue;
    const ids = checkSet(ctx, ns, 'libvirt/cpuset-empty', 'guest NUMA node', undefined);
    const missing = ids?.find((id) => id >= nodes);
    if (missing === undefined) continue;
    r.add({ code: 'libvirt/hugepages-node', at: valueSpan(ns), stage: 'define', upstream: `hugepages: node ${missing} not found`,
      explanation: `hugepages nodeset names guest NUMA nodes; this guest has ${nodes} (0..${nodes - 1}).` });
    return;
  }
}

/**
 * Memory devices and hotplug against the guest NUMA cells (domain_validate.c; the hotplug rule
 * is the qemu driver's, gone by 12.x where libvirt adds a NUMA node itself).
 */
export function memoryDeviceRules(ctx: RuleContext): void {
  const { m, r, v } = ctx;
  const cells = m.cells.length;
  const maxMemory = child(m.domain, 'maxMemory');
  if (maxMemory && cells === 0 && /^(qemu|kvm)$/.test(m.virtType) && !atLeast(v, 12, 0) && (parseUInt(attr(maxMemory, 'slots')?.value ?? '') ?? 0) > 0) {
    r.add({ code: 'libvirt/memory-hotplug-no-numa', at: nameSpan(maxMemory), stage: 'define (qemu)',
      upstream: 'unsupported configuration: At least one numa node has to be configured when enabling memory hotplug',
      explanation: "Memory hotplug (<maxMemory slots=...>) needs a guest NUMA topology: add <cpu><numa><cell id='0' cpus='...' memory='...'/></numa></cpu>." });
  }
  for (const dev of childrenNamed(child(m.domain, 'devices'), 'memory')) {
    const node = child(child(dev, 'target'), 'node');
    if (!node) continue;
    const id = parseUInt(node.text);
    if (id === undefined) continue;
    if (cells === 0) {
      r.add({ code: 'libvirt/memory-device-node', at: textSpan(node), stage: 'define', upstream: "can't add memory backend as guest has no NUMA nodes configured",
        explanation: 'A memory device with a <node> needs guest NUMA cells in <cpu><numa>.' });
      return;
    }
    if (id >= cells) {
      r.add({ code: 'libvirt/memory-device-node', at: textSpan(node), stage: 'define', upstream: `can't add memory backend for guest node '${id}' as the guest has only '${cells}' NUMA nodes configured`,
        explanation: `Guest NUMA nodes are 0..${cells - 1}.` });
      return;
    }
  }
}
