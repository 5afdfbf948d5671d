/** `<cpu><numa>`: cells, vCPU coverage, memory, distances, HMAT caches, interconnects (docs/rules/libvirt.md). */
import { attr, child, childrenNamed } from '../scan';
import { attrSpan, nameSpan, textSpan, valueSpan } from '../report';
import { lv, parseUInt } from '../messages';
import { formatLibvirtCpuset } from '../../cpuset/libvirtCpuset';
import { firstIdFrom, merge, subtract } from '../../cpuset/intervals';
import { quoteValue } from '../../core/findingCap';
import { IdOwners } from './owners';
import { toKiB } from '../units';
import { checkSet, scaledSize, type RuleContext } from './context';
import type { Span } from '../report';
import type { XmlElement } from '../scan';
import { atLeast } from '../version';
import type { NumaCell } from '../model';

export function numaRules(ctx: RuleContext): void {
  const { model, report } = ctx;
  const numa = model.numa;
  if (!numa) return;
  const cells = model.cells;
  if (cells.length === 0) {
    report.add({ code: 'libvirt/numa-no-cells', at: nameSpan(numa), stage: 'define', upstream: 'XML error: NUMA topology defined without NUMA cells',
      explanation: "<numa> needs at least one <cell>, e.g. <cell id='0' cpus='0-3' memory='4' unit='GiB'/>." });
    return;
  }
  if (!cellRules(ctx, cells)) return;
  // A cell whose id repeats one with memory 0 silently replaces it: count what libvirt keeps.
  const kept = [...new Map(cells.map((c) => [c.id, c])).values()];
  vcpuCountRules(ctx, kept);
  memorySum(ctx, kept);
  const links = interconnectParse(ctx);
  if (!links) return;
  if (!cacheLevels(ctx, kept)) return;
  interconnectValidate(ctx, kept, links);
}

/**
 * Per-cell parsing in libvirt's order (virDomainNumaDefParseXML): id, duplicate, cpus, overlap
 * with the cells parsed so far, memory, memAccess, discard, distances, caches. Like libvirt we
 * stop at the first error: later cells were never read, so their totals mean nothing.
 */
function cellRules(ctx: RuleContext, cells: NumaCell[]): boolean {
  const { report } = ctx;
  const n = cells.length;
  const filed = new Map<number, NumaCell>();
  /** Which filed cell (by id) holds each vCPU. */
  const owners = new IdOwners();
  for (const c of cells) {
    const idA = attr(c.el, 'id');
    if (idA && c.id === undefined) {
      report.add({ code: 'libvirt/invalid-value', at: valueSpan(idA), stage: 'define', upstream: lv.notUInt('id', 'cell', idA.value), explanation: 'The cell id is a number: 0 to the number of cells - 1.' });
      return false;
    }
    const id = c.id!;
    const idAt = idA ? valueSpan(idA) : nameSpan(c.el);
    if (id >= n) {
      const free = unusedIds(cells, n).next().value;
      report.add({ code: 'libvirt/numa-cell-id', at: idAt, stage: 'define',
        upstream: "XML error: Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed",
        explanation: `There are ${n} cells, so their ids must be exactly 0..${n - 1}; ${id} is outside.`,
        fixes: idA && free !== undefined ? [{ title: `Set id='${free}'`, edits: [report.edit(valueSpan(idA), String(free))] }] : undefined });
      return false;
    }
    const earlier = filed.get(id);
    // Quirk: libvirt only notices a duplicate when the earlier cell had memory > 0.
    if (earlier && (earlier.memoryKiB ?? 0) > 0) {
      report.add({ code: 'libvirt/numa-cell-duplicate', at: idAt, stage: 'define', upstream: `XML error: Duplicate NUMA cell info for cell id '${id}'`,
        explanation: `Cell id ${id} is used twice; ids must be 0..${n - 1}, each once.` });
      return false;
    }
    if (earlier) {
      report.add({ code: 'libvirt/numa-cell-overwritten', at: idAt, stage: 'define', severity: 'warning',
        explanation: `Cell id ${id} is used twice; because the first has memory 0 libvirt silently overwrites it and another id ends up as an empty cell.` });
    }
    const cpusA = attr(c.el, 'cpus');
    if (cpusA && checkSet(ctx, cpusA, 'libvirt/cpuset-empty', 'vCPU', undefined) === undefined) return false;
    // libvirt compares with the filed cells in id order: name the lowest one that shares a vCPU.
    const clash = owners.lowestClash(c.cpus, id);
    if (clash) {
      report.add({ code: 'libvirt/numa-cells-overlap', at: valueSpan(cpusA!), stage: 'define',
        upstream: `unsupported configuration: NUMA cells ${id} and ${clash.owner} have overlapping vCPU ids`,
        explanation: `vCPU ${clash.id} is in cells ${clash.owner} and ${id}; a vCPU belongs to exactly one cell.` });
      return false;
    }
    if (earlier) owners.release(earlier.cpus, id);
    owners.claim(c.cpus, id);
    filed.set(id, c);
    if (!scaledSize(ctx, c.el, 'memory')) return false;
    for (const [name, values] of [['memAccess', ['shared', 'private']], ['discard', ['yes', 'no']]] as Array<[string, string[]]>) {
      const a = attr(c.el, name);
      if (a && !values.includes(a.value)) {
        report.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.invalidEnum(name, 'cell', a.value), explanation: `${name} is ${values.join(' or ')}.` });
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

function vcpuCountRules(ctx: RuleContext, cells: NumaCell[]): void {
  const { model, report } = ctx;
  const max = model.maxVcpus;
  if (max === undefined || max === 0) return; // reported by the vcpu rules
  const total = cells.reduce((s, c) => s + c.cpuCount, 0);
  const at = nameSpan(model.numa!);
  if (total > max) {
    report.add({ code: 'libvirt/numa-cpus-exceed', at, stage: 'define', upstream: 'internal error: Number of CPUs in <numa> exceeds the <vcpu> count',
      explanation: `The cells list ${total} vCPUs but <vcpu> is ${max}.` });
    return;
  }
  const last = (c: NumaCell) => c.cpus[c.cpus.length - 1][1];
  const beyond = cells.find((c) => c.cpus.length && last(c) >= max);
  if (beyond) {
    report.add({ code: 'libvirt/numa-cpu-id-exceeds', at: valueSpan(attr(beyond.el, 'cpus')!), stage: 'define', upstream: 'internal error: CPU IDs in <numa> exceed the <vcpu> count',
      explanation: `vCPU ids go from 0 to ${max - 1}; cell ${beyond.id} lists ${last(beyond)}.` });
    return;
  }
  if (total === max) return;
  // The vCPUs no cell lists, as intervals: <vcpu>2147483648</vcpu> is one range, not two billion ids.
  const missing = subtract([[0, max - 1]], merge(cells.flatMap((c) => c.cpus)));
  const cell0 = cells.find((c) => c.id === 0) ?? cells[0];
  const cpusA = attr(cell0.el, 'cpus');
  const merged = formatLibvirtCpuset(merge([...cell0.cpus, ...missing]));
  const list = quoteValue(formatLibvirtCpuset(missing));
  report.add({ code: 'libvirt/numa-cpus-uncovered', at, stage: 'define (qemu)', severity: 'warning',
    explanation: `vCPUs ${list} are in no NUMA cell: the qemu driver silently adds them to cell 0 (cpus='${quoteValue(merged)}'), which is rarely what a NUMA layout intends. Assign them to cells explicitly.`,
    fixes: [{ title: `Add vCPUs ${list} to cell ${cell0.id}`, edits: [cpusA ? report.edit(valueSpan(cpusA), merged) : report.edit({ start: cell0.el.nameEnd, end: cell0.el.nameEnd }, ` cpus='${merged}'`)] }] });
}

function memorySum(ctx: RuleContext, cells: NumaCell[]): void {
  const { model, report } = ctx;
  if (!model.memory || model.memoryKiB === undefined) return;
  const sum = cells.reduce((s, c) => s + (c.memoryKiB ?? 0), 0);
  if (sum === model.memoryKiB) return;
  const hasDimms = childrenNamed(child(model.domain, 'devices'), 'memory').length > 0;
  if (hasDimms) return; // <memory> then also counts memory devices
  report.add({ code: 'libvirt/numa-memory-sum', at: textSpan(model.memory), stage: 'define (qemu)', severity: 'warning',
    explanation: `The NUMA cells add up to ${sum} KiB but <memory> says ${model.memoryKiB} KiB: the qemu driver silently replaces <memory> with the cells' sum. Make them agree.`,
    fixes: [{ title: `Set <memory> to the cells' sum (${sum} KiB)`, edits: [report.edit({ start: model.memory.start, end: model.memory.end }, `<memory unit='KiB'>${sum}</memory>`)] }] });
}

function distanceRules(ctx: RuleContext, c: NumaCell, n: number): boolean {
  const { report } = ctx;
  const dist = child(c.el, 'distances');
  if (!dist) return true;
  const siblings = childrenNamed(dist, 'sibling');
  if (!siblings.length) {
    report.add({ code: 'libvirt/numa-distances-empty', at: nameSpan(dist), stage: 'define', upstream: 'XML error: NUMA distances defined without siblings', explanation: "Add <sibling id='N' value='D'/> entries or remove <distances>." });
    return false;
  }
  for (const s of siblings) {
    const idA = attr(s, 'id');
    const valA = attr(s, 'value');
    if (!idA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(s), stage: 'define', upstream: lv.missingAttr('id', 'sibling'), explanation: 'sibling needs id and value.' }); return false; }
    const id = parseUInt(idA.value);
    if (id === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(idA), stage: 'define', upstream: lv.notUInt('id', 'sibling', idA.value), explanation: 'id is a cell id.' }); return false; }
    if (id >= n) {
      report.add({ code: 'libvirt/numa-distance-sibling', at: valueSpan(idA), stage: 'define', upstream: `XML error: 'sibling_id ${id}' does not refer to a valid cell within NUMA 'cell id ${c.id}'`,
        explanation: `Cell ids go from 0 to ${n - 1}.` });
      return false;
    }
    if (!valA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(s), stage: 'define', upstream: lv.missingAttr('value', 'sibling'), explanation: 'sibling needs id and value.' }); return false; }
    const value = parseUInt(valA.value);
    if (value === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(valA), stage: 'define', upstream: lv.notUInt('value', 'sibling', valA.value), explanation: 'value is 10-255.' }); return false; }
    const self = id === c.id;
    if (value < 10 || value > 255 || (self && value !== 10) || (!self && value === 10)) {
      report.add({ code: 'libvirt/numa-distance-value', at: valueSpan(valA), stage: 'define', upstream: `XML error: 'value ${value}' is invalid for 'sibling id ${id}' under NUMA 'cell id ${c.id}'`,
        explanation: self ? 'The distance of a cell to itself is 10.' : 'The distance to another cell is 11-255 (10 means local).' });
      return false;
    }
  }
  return true;
}

/**
 * HMAT caches of one cell, parse part. libvirt 9.0 has its own wording here; later releases use
 * the generic attribute messages (virXMLProp*), and read size/line with virDomainParseMemory.
 */
function cacheParse(ctx: RuleContext, c: NumaCell): boolean {
  const { report, version } = ctx;
  const old = !atLeast(version, 10, 0);
  const fail = (at: Span, upstream: string, explanation: string) => { report.add({ code: 'libvirt/numa-cache-attr', at, stage: 'define', upstream, explanation }); return false; };
  for (const cache of childrenNamed(c.el, 'cache')) {
    const levelA = attr(cache, 'level');
    const level = levelA ? parseUInt(levelA.value) : undefined;
    if (!levelA) return fail(nameSpan(cache), old ? `XML error: Missing 'level' attribute in cache element for NUMA node ${c.id}` : lv.missingAttr('level', 'cache'), 'A NUMA cache needs level (1-3), associativity and policy.');
    if (level === undefined || level === 0) {
      return fail(valueSpan(levelA), old ? `XML error: Invalid 'level' attribute in cache element for NUMA node ${c.id}` : level === 0 ? lv.zero('level', 'cache') : lv.notUInt('level', 'cache', levelA.value), 'level is 1-3.');
    }
    const enums: Array<[string, string[]]> = [['associativity', ['none', 'direct', 'full']], ['policy', ['none', 'writeback', 'writethrough']]];
    for (const [name, values] of enums) {
      const a = attr(cache, name);
      if (a && values.includes(a.value)) continue;
      const explanation = `${name} is one of ${values.join(', ')}.`;
      if (!old) return fail(a ? valueSpan(a) : nameSpan(cache), a ? lv.invalidEnum(name, 'cache', a.value) : lv.missingAttr(name, 'cache'), explanation);
      // 9.0: a missing associativity has its own message; a missing policy prints as '(null)'.
      if (!a && name === 'associativity') return fail(nameSpan(cache), `XML error: Missing 'associativity' attribute in cache element for NUMA node ${c.id}`, explanation);
      return fail(a ? valueSpan(a) : nameSpan(cache), `XML error: Invalid cache ${name} '${a ? quoteValue(a.value) : '(null)'}'`, explanation);
    }
    for (const part of ['size', 'line']) {
      const el = child(cache, part);
      const valueA = attr(el, 'value');
      if (!valueA) return fail(el ? nameSpan(el) : nameSpan(cache), `XML error: missing element or attribute './${part}/@value'`, `The cache needs <${part} value='...'/>.`);
      if (parseUInt(valueA.value, Number.MAX_SAFE_INTEGER) === undefined) return fail(valueSpan(valueA), `XML error: Invalid value '${quoteValue(valueA.value)}' for element or attribute './${part}/@value'`, `${part} is a whole number.`);
      const u = attr(el, 'unit');
      if (u) {
        report.add({ code: 'libvirt/numa-cache-unit-ignored', at: attrSpan(u), stage: 'define', severity: 'warning', tags: ['unnecessary'],
          explanation: `libvirt's parser ignores this unit: ${part} is always read as ${part === 'size' ? 'KiB' : 'bytes'}. Give the value in ${part === 'size' ? 'KiB' : 'bytes'}.` });
      }
    }
  }
  return true;
}

/** HMAT caches, validate part (virDomainNumaDefValidate): level <= 3, one cache per level and cell. */
function cacheLevels(ctx: RuleContext, cells: NumaCell[]): boolean {
  const { report } = ctx;
  for (const c of cells) {
    const seen = new Set<number>();
    for (const cache of childrenNamed(c.el, 'cache')) {
      const levelA = attr(cache, 'level')!;
      const level = parseUInt(levelA.value)!;
      if (level > 3) { report.add({ code: 'libvirt/numa-cache-level', at: valueSpan(levelA), stage: 'define', upstream: "XML error: Ain't nobody heard of that much cache level", explanation: 'A memory-side cache level is 1, 2 or 3.' }); return false; }
      if (seen.has(level)) { report.add({ code: 'libvirt/numa-cache-duplicate', at: valueSpan(levelA), stage: 'define', upstream: `XML error: Cache level '${level}' already defined`, explanation: `Cell ${c.id} already has a level ${level} cache.` }); return false; }
      seen.add(level);
    }
  }
  return true;
}

interface Link { el: XmlElement; kind: string; initiator: number; target: number; cache: number; type: string }

/** `<interconnects>` attributes, parse phase (libvirt's order: value, initiator, target, cache, type). */
function interconnectParse(ctx: RuleContext): Link[] | undefined {
  const { model, report } = ctx;
  const links: Link[] = [];
  const ic = child(model.numa, 'interconnects');
  for (const el of ic?.children ?? []) {
    if (el.name !== 'latency' && el.name !== 'bandwidth') continue;
    const fail = (at: Span, upstream: string, explanation: string) => { report.add({ code: 'libvirt/numa-interconnect', at, stage: 'define', upstream, explanation }); return undefined; };
    // The value comes first (latency: an integer; bandwidth: a scaled size).
    if (el.name === 'latency') {
      const a = attr(el, 'value');
      if (!a) return fail(nameSpan(el), lv.missingAttr('value', 'latency'), 'value is the latency in ns.');
      if (parseUInt(a.value, Number.MAX_SAFE_INTEGER) === undefined) return fail(valueSpan(a), lv.notUInt('value', 'latency', a.value), 'value is the latency in ns.');
    } else if (!scaledSize(ctx, el, 'value')) {
      return undefined;
    }
    const vals: Record<string, number> = {};
    for (const name of ['initiator', 'target', 'cache']) {
      const a = attr(el, name);
      if (!a) { if (name === 'cache') { vals.cache = 0; continue; } return fail(nameSpan(el), lv.missingAttr(name, el.name), `${el.name} needs initiator, target, type and value.`); }
      const n = parseUInt(a.value);
      if (n === undefined) return fail(valueSpan(a), lv.notUInt(name, el.name, a.value), `${name} is a cell id.`);
      vals[name] = n;
    }
    const typeA = attr(el, 'type');
    if (!typeA) return fail(nameSpan(el), lv.missingAttr('type', el.name), 'type is access, read or write.');
    if (!['access', 'read', 'write'].includes(typeA.value)) return fail(valueSpan(typeA), lv.invalidEnum('type', el.name, typeA.value), 'type is access, read or write.');
    links.push({ el, kind: el.name, initiator: vals.initiator, target: vals.target, cache: vals.cache, type: typeA.value });
  }
  return links;
}

/** `<interconnects>` against the cells, validate phase (virDomainNumaDefValidate). */
function interconnectValidate(ctx: RuleContext, cells: NumaCell[], links: Link[]): void {
  const byId = new Map(cells.map((c) => [c.id, c]));
  // The qemu driver first puts vCPUs that no cell lists into cell 0, which may give it CPUs.
  const max = ctx.model.maxVcpus ?? 0;
  const listed = cells.reduce((n, c) => n + c.cpuCount, 0);
  const cell0GetsCpus = /^(qemu|kvm)$/.test(ctx.model.virtType) && listed < max;
  const hasCpus = (c: NumaCell) => c.cpuCount > 0 || (cell0GetsCpus && c.id === 0);
  const cacheLevelsOf = new Map<NumaCell, Set<number | undefined>>();
  const levels = (c: NumaCell) => {
    let set = cacheLevelsOf.get(c);
    if (!set) cacheLevelsOf.set(c, set = new Set(childrenNamed(c.el, 'cache').map((x) => parseUInt(attr(x, 'level')?.value ?? ''))));
    return set;
  };
  // libvirt compares each link with every earlier one; the first earlier duplicate or reverse link, by index.
  const firstSame = new Map<string, number>();
  const firstPair = new Map<string, number>();
  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    const bad = (msg: string, explanation: string) => ctx.report.add({ code: 'libvirt/numa-interconnect', at: nameSpan(l.el), stage: 'define', upstream: `XML error: ${msg}`, explanation });
    const init = byId.get(l.initiator);
    const tgt = byId.get(l.target);
    if (!init) return bad("'initiator' refers to a non-existent NUMA node", `There is no cell ${l.initiator}.`);
    if (!tgt) return bad("'target' refers to a non-existent NUMA node", `There is no cell ${l.target}.`);
    if (!hasCpus(init)) return bad("NUMA nodes without CPUs can't be initiator", `Cell ${l.initiator} has no vCPUs, so it cannot initiate accesses.`);
    if (l.cache > 0 && !levels(tgt).has(l.cache)) return bad("'cache' refers to a non-existent NUMA node cache", `Cell ${l.target} has no level ${l.cache} cache.`);
    const same = `${l.kind}/${l.initiator}/${l.target}/${l.cache}/${l.type}`;
    const dup = firstSame.get(same) ?? Infinity;
    const reverse = l.initiator !== l.target ? firstPair.get(`${l.target}/${l.initiator}`) ?? Infinity : Infinity;
    if (dup < reverse) return bad('Duplicate info for NUMA latencies', 'This entry repeats an earlier one.');
    if (reverse < Infinity) return bad('Link already defined', `The link between cells ${l.initiator} and ${l.target} is already described the other way round.`);
    if (!firstSame.has(same)) firstSame.set(same, i);
    const pair = `${l.initiator}/${l.target}`;
    if (!firstPair.has(pair)) firstPair.set(pair, i);
  }
}

/**
 * `<memoryBacking><hugepages><page size nodeset>`: nodesets name guest NUMA nodes (node 0 exists without
 * <numa>, and a page on node 0 of a NUMA-less guest counts as the default one); at most one default
 * ("master") page size; nodesets must not intersect. libvirt names the later page first.
 */
export function hugepageRules(ctx: RuleContext): void {
  const { model, report } = ctx;
  const pages = childrenNamed(child(child(model.domain, 'memoryBacking'), 'hugepages'), 'page');
  const nodes = Math.max(model.cells.length, 1);
  let master: number | undefined;
  /** Which earlier page (by index in `sizes`) holds each guest node. */
  const owners = new IdOwners();
  const sizes: number[] = [];
  for (const page of pages) {
    const sizeA = attr(page, 'size');
    const size = sizeA ? toKiB(parseUInt(sizeA.value, Number.MAX_SAFE_INTEGER) ?? NaN, attr(page, 'unit')?.value) : undefined;
    const ns = attr(page, 'nodeset');
    const ids = ns ? checkSet(ctx, ns, 'libvirt/cpuset-empty', 'guest NUMA node', undefined) : [];
    if (size === undefined || Number.isNaN(size) || ids === undefined) return;
    const fail = (upstream: string, explanation: string) => report.add({ code: 'libvirt/hugepages', at: nameSpan(page), stage: 'define', upstream, explanation });
    // Each page's nodes are checked as it is read: without <numa> only node 0 exists (and names the default).
    const noNuma = model.cells.length === 0;
    const onlyNode0 = ids.length === 1 && ids[0][0] === 0 && ids[0][1] === 0;
    const beyond = noNuma ? (onlyNode0 ? undefined : ids[0]?.[0]) : firstIdFrom(ids, nodes);
    if (ns && beyond !== undefined) {
      report.add({ code: 'libvirt/hugepages-node', at: valueSpan(ns), stage: 'define', upstream: `hugepages: node ${beyond} not found`,
        explanation: noNuma ? 'Without guest NUMA cells the only node is 0 (and a page on it applies to all memory).' : `hugepages nodeset names guest NUMA nodes; this guest has ${nodes} (0..${nodes - 1}).` });
      return;
    }
    if (!ns || noNuma) {
      if (master !== undefined) return void fail(`two master hugepages detected: ${size} and ${master}`, 'Only one page size may apply to all guest memory (a <page> without nodeset, or on node 0 of a guest without NUMA cells).');
      master = size;
      continue;
    }
    const clash = owners.lowestClash(ids);
    if (clash) return void fail(`nodeset attribute of hugepages of sizes ${size} and ${sizes[clash.owner]} intersect`, 'Each guest NUMA node gets one page size: make the nodesets disjoint.');
    owners.claim(ids, sizes.length);
    sizes.push(size);
  }
}

/** Sizes libvirt adds up for the guest's memory, in KiB. */
interface MemoryTotals {
  /** <memory>, or the cells' sum plus the devices where cells give memory (the qemu driver's define is an ABI update). */
  total: number;
  /** Memory devices (<devices><memory><target><size>). */
  devices: number;
  /** <maxMemory> and its slots (0 when absent). */
  max: number;
  slots: number;
}

function memoryTotals(m: RuleContext['model']): MemoryTotals {
  const devices = childrenNamed(child(m.domain, 'devices'), 'memory').reduce((s, dev) => s + (sizeKiB(child(child(dev, 'target'), 'size')) ?? 0), 0);
  const numa = m.cells.reduce((s, c) => s + (c.memoryKiB ?? 0), 0);
  const maxMemory = child(m.domain, 'maxMemory');
  return {
    total: numa > 0 ? numa + devices : m.memoryKiB ?? 0,
    devices,
    max: sizeKiB(maxMemory) ?? 0,
    slots: parseUInt(attr(maxMemory, 'slots')?.value ?? '') ?? 0,
  };
}

function sizeKiB(el: XmlElement | undefined): number | undefined {
  const n = el ? parseUInt(el.text, Number.MAX_SAFE_INTEGER) : undefined;
  return n === undefined ? undefined : toKiB(n, attr(el, 'unit')?.value);
}

/**
 * <memory>, <maxMemory>, NUMA cells and memory devices as virDomainDefPostParseMemory adds them up: the initial
 * memory (<memory> less the devices) must be some, and <maxMemory> must hold it all.
 */
export function memorySizeRule(ctx: RuleContext): void {
  const { model, report, version } = ctx;
  if (!model.domain || (model.memory && model.memoryKiB === undefined)) return; // an unreadable <memory> is its own error
  const t = memoryTotals(model);
  const at = model.memory ? textSpan(model.memory) : nameSpan(model.domain);
  if (t.devices > t.total) {
    report.add({ code: 'libvirt/memory-devices-exceed', at, stage: 'define', upstream: 'XML error: Total size of memory devices exceeds the total memory size',
      explanation: `<memory> (${t.total} KiB) counts the memory devices too, and they alone take ${t.devices} KiB: raise <memory> to the initial memory plus the devices.` });
    return;
  }
  if (t.total - t.devices === 0) {
    report.add({ code: 'libvirt/memory-missing', at, stage: 'define',
      upstream: 'XML error: Memory size must be specified via <memory> or in the <numa> configuration',
      explanation: t.devices
        ? `<memory> counts the memory devices too: with ${t.devices} KiB of devices nothing is left for the guest's initial memory. Raise <memory>.`
        : "The guest has no memory: add <memory unit='GiB'>4</memory> (or give the NUMA cells their memory)." });
    return;
  }
  const maxMemory = child(model.domain, 'maxMemory');
  if (!maxMemory) return;
  // Since 9.5 <maxMemory> needs slots only for DIMM-like devices (virtio-mem takes none).
  if (atLeast(version, 9, 5) ? t.max === 0 && t.slots > 0 : (t.max > 0) !== (t.slots > 0)) {
    report.add({ code: 'libvirt/max-memory-incomplete', at: nameSpan(maxMemory), stage: 'define',
      upstream: atLeast(version, 9, 5) ? 'XML error: maximum memory size must be specified when specifying number of memory slots' : 'XML error: both maximum memory size and memory slot count must be specified',
      explanation: "<maxMemory slots='N' unit='GiB'>SIZE</maxMemory> needs both the size and (for DIMMs) the slot count." });
    return;
  }
  if (t.max && t.max < t.total) {
    report.add({ code: 'libvirt/max-memory-small', at: nameSpan(maxMemory), stage: 'define',
      upstream: 'XML error: maximum memory size must be equal or greater than the actual memory size',
      explanation: `<maxMemory> (${t.max} KiB) is below the guest's memory (${t.total} KiB${t.devices ? ', devices included' : ''}).` });
  }
}

/**
 * Memory devices and hotplug against the guest NUMA cells (domain_validate.c; the hotplug rule
 * is the qemu driver's, gone by 12.x where libvirt adds a NUMA node itself).
 */
export function memoryDeviceRules(ctx: RuleContext): void {
  const { model, report } = ctx;
  const cells = model.cells.length;
  const devices = childrenNamed(child(model.domain, 'devices'), 'memory');
  if (/^(qemu|kvm)$/.test(model.virtType)) memoryHotplug(ctx, devices);
  // PCI expander buses are placed on a guest NUMA node (qemu_validate.c).
  for (const ctl of childrenNamed(child(model.domain, 'devices'), 'controller')) {
    const ctlModel = attr(ctl, 'model')?.value ?? '';
    const node = child(child(ctl, 'target'), 'node');
    const id = node ? parseUInt(node.text) : undefined;
    if (!/^pcie?-expander-bus$/.test(ctlModel) || id === undefined || id < cells || !/^(qemu|kvm)$/.test(model.virtType)) continue;
    report.add({ code: 'libvirt/expander-bus-node', at: textSpan(node!), stage: 'define (qemu)',
      upstream: `XML error: ${ctlModel} with index ${attr(ctl, 'index')?.value ?? '?'} is configured for a NUMA node (${id}) not present in the domain's <cpu><numa> array (${cells})`,
      explanation: cells ? `Guest NUMA nodes are 0..${cells - 1}.` : 'The guest has no NUMA cells: define them in <cpu><numa> or drop <node>.' });
    return;
  }
  for (const dev of devices) {
    const node = child(child(dev, 'target'), 'node');
    if (!node) continue;
    const id = parseUInt(node.text);
    if (id === undefined) continue;
    if (cells === 0) {
      report.add({ code: 'libvirt/memory-device-node', at: textSpan(node), stage: 'define', upstream: "can't add memory backend as guest has no NUMA nodes configured",
        explanation: 'A memory device with a <node> needs guest NUMA cells in <cpu><numa>.' });
      return;
    }
    if (id >= cells) {
      report.add({ code: 'libvirt/memory-device-node', at: textSpan(node), stage: 'define', upstream: `can't add memory backend for guest node '${id}' as the guest has only '${cells}' NUMA nodes configured`,
        explanation: `Guest NUMA nodes are 0..${cells - 1}.` });
      return;
    }
  }
}

/**
 * The qemu driver's memory hotplug checks at define (qemuDomainAssignMemorySlots, qemuDomainDefValidateMemoryHotplug):
 * memory devices need <maxMemory>, hotplug needs guest NUMA cells (until 12.0; not on ppc64), each DIMM-like device
 * takes a slot (before 9.5 every memory device counted against the slots).
 */
function memoryHotplug(ctx: RuleContext, devices: XmlElement[]): void {
  const { model, report, version } = ctx;
  const maxMemory = child(model.domain, 'maxMemory');
  const t = memoryTotals(model);
  if (!maxMemory || (!t.max && !t.slots)) {
    if (devices.length) {
      report.add({ code: 'libvirt/memory-device-no-max', at: nameSpan(devices[0]), stage: 'define (qemu)',
        upstream: "unsupported configuration: cannot use/hotplug a memory device when domain 'maxMemory' is not defined",
        explanation: "Memory devices are hot-pluggable memory: declare room for them, e.g. <maxMemory slots='16' unit='GiB'>64</maxMemory>." });
    }
    return;
  }
  // Devices with their own <address type='dimm' slot=...> are placed as written.
  const dimmLike = devices.filter((d) => /^(dimm|nvdimm)$/.test(attr(d, 'model')?.value ?? '') && !child(d, 'address'));
  if (dimmLike.length > t.slots) {
    report.add({ code: 'libvirt/memory-slots', at: nameSpan(dimmLike[t.slots]), stage: 'define (qemu)', upstream: 'internal error: failed to find an empty memory slot',
      explanation: `${dimmLike.length} DIMM/NVDIMM devices but <maxMemory slots='${t.slots}'>: each needs a slot. Raise slots.` });
    return;
  }
  // (ppc64 pseries hot-plugs memory without guest NUMA cells.)
  if (model.cells.length === 0 && !/^ppc64/.test(model.arch) && !atLeast(version, 12, 0)) {
    report.add({ code: 'libvirt/memory-hotplug-no-numa', at: nameSpan(maxMemory), stage: 'define (qemu)',
      upstream: 'unsupported configuration: At least one numa node has to be configured when enabling memory hotplug',
      explanation: "Memory hotplug (<maxMemory>) needs a guest NUMA topology: add <cpu><numa><cell id='0' cpus='...' memory='...'/></numa></cpu>." });
    return;
  }
  if (!atLeast(version, 9, 5) && devices.length > t.slots) {
    report.add({ code: 'libvirt/memory-slots', at: nameSpan(devices[t.slots]), stage: 'define (qemu)', upstream: `unsupported configuration: memory device count '${devices.length}' exceeds slots count '${t.slots}'`,
      explanation: `libvirt ${version.label} counts every memory device against <maxMemory slots='${t.slots}'> (virtio-mem too, until 9.5). Raise slots.` });
  }
}
