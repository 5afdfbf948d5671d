/** `<cputune>`: CFS scalars, pinning, scheduling, cachetune/memorytune (docs/rules/libvirt.md). */
import { attr, childrenNamed, type XmlElement } from '../scan';
import { attrRemovalSpan, attrSpan, nameSpan, removalSpan, textSpan, valueSpan } from '../report';
import { lv, parseInt64, parseUInt } from '../messages';
import { atLeast } from '../version';
import { formatLibvirtCpuset, parseLibvirtCpuset } from '../../cpuset/libvirtCpuset';
import { hasId, intersect, subtract, type Interval } from '../../cpuset/intervals';
import { quoteValue } from '../../core/findingCap';
import { IdOwners } from './owners';
import { checkSet, checkSetSchema, scaledSize, type RuleContext } from './context';

const PERIODS = ['period', 'global_period', 'emulator_period', 'iothread_period'];
const QUOTAS = ['quota', 'global_quota', 'emulator_quota', 'iothread_quota'];
const QUOTA_MAX = 17592186044415;

export function cputuneRules(ctx: RuleContext): void {
  const ct = ctx.model.cputune;
  if (!ct) return;
  scalars(ctx, ct);
  vcpupins(ctx, ct);
  emulatorpin(ctx, ct);
  iothreadpins(ctx, ct);
  scheds(ctx, ct, 'vcpusched', 'vcpus');
  scheds(ctx, ct, 'iothreadsched', 'iothreads');
  emulatorsched(ctx, ct);
  resctrl(ctx, ct);
}

function scalars(ctx: RuleContext, ct: XmlElement): void {
  const { report, version } = ctx;
  const first = (name: string) => childrenNamed(ct, name)[0];
  const shares = first('shares');
  if (shares) {
    const n = parseUInt(shares.text, Number.MAX_SAFE_INTEGER);
    if (n === undefined) {
      report.add({ code: 'libvirt/cputune-parse', at: textSpan(shares), stage: 'define', upstream: "XML error: can't parse cputune shares value", explanation: 'shares is a plain number (relative weight).' });
    } else if (n !== 0 && (n < 2 || n > 262144)) {
      if (!atLeast(version, 9, 1)) {
        report.add({ code: 'libvirt/cputune-range', at: textSpan(shares), stage: 'define', upstream: "unsupported configuration: Value of cputune 'shares' must be in range [2, 262144]", explanation: 'shares is 2-262144 (cgroup v1 limits).' });
      } else {
        report.add({ code: 'libvirt/cputune-shares-cgroup', at: textSpan(shares), stage: 'vm start', severity: 'warning',
          explanation: `shares ${n} is outside what cgroups accept (v1: 2-262144, v2: 1-10000): libvirt ${version.label} accepts the definition, but the guest may fail to start ("shares '${n}' must be in range").` });
      }
    }
  }
  for (const name of PERIODS) {
    const el = first(name);
    if (!el) continue;
    const n = parseUInt(el.text, Number.MAX_SAFE_INTEGER);
    if (n === undefined) {
      report.add({ code: 'libvirt/cputune-parse', at: textSpan(el), stage: 'define', upstream: `XML error: can't parse cputune ${name.replace('_', ' ')} value`, explanation: `${name} is a number of µs (1000-1000000).` });
    } else if (n !== 0 && (n < 1000 || n > 1000000)) {
      report.add({ code: 'libvirt/cputune-range', at: textSpan(el), stage: 'define', upstream: `unsupported configuration: Value of cputune '${name}' must be in range [1000, 1000000]`, explanation: `${name} is 1000-1000000 µs (0 = unset).` });
    } else if (n === 0) {
      report.add({ code: 'libvirt/cputune-period-zero', at: textSpan(el), stage: 'schema', tags: ['unnecessary'],
        explanation: `The parser takes ${name} 0 as "not set", but the schema only allows 1000-1000000: remove the element instead.`,
        fixes: [{ title: `Remove <${name}>`, edits: [report.edit(removalSpan(ctx.model.lines, el), '')] }] });
    }
  }
  for (const name of QUOTAS) {
    const el = first(name);
    if (!el) continue;
    const n = parseInt64(el.text);
    if (n === undefined) {
      report.add({ code: 'libvirt/cputune-parse', at: textSpan(el), stage: 'define', upstream: `XML error: can't parse cputune ${name.replace('_', ' ')} value`, explanation: `${name} is a number of µs (-1 = unlimited).` });
    } else if (n > 0 && (n < 1000 || n > QUOTA_MAX)) {
      report.add({ code: 'libvirt/cputune-range', at: textSpan(el), stage: 'define', upstream: `unsupported configuration: Value of cputune '${name}' must be in range [1000, ${QUOTA_MAX}]`, explanation: `${name} is 1000-${QUOTA_MAX} µs, or negative for unlimited (0 = unset).` });
    } else if (n < -1) {
      report.add({ code: 'libvirt/cputune-quota-negative', at: textSpan(el), stage: 'schema', explanation: `Any negative quota means unlimited, but the schema only allows -1: write -1.`,
        fixes: [{ title: 'Use -1 (unlimited)', edits: [report.edit(textSpan(el), '-1')] }] });
    }
  }
}

function vcpupins(ctx: RuleContext, ct: XmlElement): void {
  const { report, model } = ctx;
  const max = model.maxVcpus;
  const pinned = new Set<number>();
  for (const pin of childrenNamed(ct, 'vcpupin')) {
    const vA = attr(pin, 'vcpu');
    if (!vA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(pin), stage: 'define', upstream: lv.missingAttr('vcpu', 'vcpupin'), explanation: 'vcpupin needs the guest vCPU id.' }); continue; }
    const id = parseUInt(vA.value);
    if (id === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(vA), stage: 'define', upstream: lv.notUInt('vcpu', 'vcpupin', vA.value), explanation: 'vcpu is a guest vCPU id.' }); continue; }
    if (max !== undefined && id >= max) {
      // virDomainVcpuPinDefParseXML: only a VIR_WARN, the pin is dropped (not even its cpuset is read;
      // only the schema still looks at it).
      const ignored = attr(pin, 'cpuset');
      if (ignored) checkSetSchema(ctx, ignored);
      report.add({ code: 'libvirt/vcpupin-out-of-range', at: valueSpan(vA), stage: 'define', severity: 'warning', tags: ['unnecessary'],
        explanation: `There is no vCPU ${id} (<vcpu> is ${max}, ids 0..${max - 1}): libvirt silently drops this vcpupin. Remove it or raise <vcpu>.`,
        fixes: [{ title: 'Remove this vcpupin', edits: [report.edit(removalSpan(ctx.model.lines, pin), '')] }] });
      continue;
    }
    const cs = attr(pin, 'cpuset');
    if (!cs) { report.add({ code: 'libvirt/pin-cpuset-missing', at: nameSpan(pin), stage: 'define', upstream: 'internal error: missing cpuset for vcpupin', explanation: "vcpupin needs cpuset='host CPUs'." }); continue; }
    if (pinned.has(id)) { report.add({ code: 'libvirt/vcpupin-duplicate', at: valueSpan(vA), stage: 'define', upstream: `internal error: duplicate vcpupin for vcpu '${id}'`, explanation: `vCPU ${id} is pinned twice: keep one vcpupin per vCPU.`,
      fixes: [{ title: 'Remove this duplicate vcpupin', edits: [report.edit(removalSpan(ctx.model.lines, pin), '')] }] }); continue; }
    pinned.add(id);
    checkSet(ctx, cs, 'libvirt/cpuset-empty', 'host CPU', lv.emptySet('cpuset', cs.value));
  }
}

function emulatorpin(ctx: RuleContext, ct: XmlElement): void {
  const { report } = ctx;
  const pins = childrenNamed(ct, 'emulatorpin');
  if (pins.length > 1) { report.add({ code: 'libvirt/cputune-duplicate', at: nameSpan(pins[1]), stage: 'define', upstream: 'XML error: only one emulatorpin is supported', explanation: 'Keep one <emulatorpin>.' }); return; }
  const pin = pins[0];
  if (!pin) return;
  const cs = attr(pin, 'cpuset');
  if (!cs) { report.add({ code: 'libvirt/pin-cpuset-missing', at: nameSpan(pin), stage: 'define', upstream: 'internal error: missing cpuset for emulatorpin', explanation: "emulatorpin needs cpuset='host CPUs'." }); return; }
  checkSet(ctx, cs, 'libvirt/cpuset-empty', 'host CPU', lv.emptySet('cpuset', cs.value));
}

function iothreadpins(ctx: RuleContext, ct: XmlElement): void {
  const { report, model } = ctx;
  const pinned = new Set<number>();
  for (const pin of childrenNamed(ct, 'iothreadpin')) {
    const a = attr(pin, 'iothread');
    if (!a) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(pin), stage: 'define', upstream: lv.missingAttr('iothread', 'iothreadpin'), explanation: 'iothreadpin needs the iothread id.' }); return; }
    const id = parseUInt(a.value);
    if (id === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.notUInt('iothread', 'iothreadpin', a.value), explanation: 'iothread is an id (1..<iothreads>).' }); return; }
    if (id === 0) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.zero('iothread', 'iothreadpin'), explanation: 'Iothread ids start at 1.' }); return; }
    if (!hasId(model.iothreads, id)) {
      report.add({ code: 'libvirt/iothread-missing', at: valueSpan(a), stage: 'define', upstream: `unsupported configuration: Cannot find 'iothread' : ${id}`,
        explanation: `There is no iothread ${id}: declare it with <iothreads>${id}</iothreads> (ids 1..N) or <iothreadids>.` });
      return;
    }
    const cs = attr(pin, 'cpuset');
    if (!cs) { report.add({ code: 'libvirt/pin-cpuset-missing', at: nameSpan(pin), stage: 'define', upstream: 'internal error: missing cpuset for iothreadpin', explanation: "iothreadpin needs cpuset='host CPUs'." }); return; }
    if (checkSet(ctx, cs, 'libvirt/cpuset-empty', 'host CPU', lv.emptySet('cpuset', cs.value)) === undefined) return;
    if (pinned.has(id)) { report.add({ code: 'libvirt/iothreadpin-duplicate', at: valueSpan(a), stage: 'define', upstream: `internal error: duplicate iothreadpin for same iothread '${id}'`, explanation: `Iothread ${id} is pinned twice.` }); return; }
    pinned.add(id);
  }
}

/** vcpusched/iothreadsched (virDomainThreadSchedParseHelper); returns at the first error, as libvirt does. */
function scheds(ctx: RuleContext, ct: XmlElement, elName: 'vcpusched' | 'iothreadsched', setName: 'vcpus' | 'iothreads'): void {
  const { report, model } = ctx;
  const vcpus = setName === 'vcpus';
  const exist: Interval[] = vcpus ? (model.maxVcpus ? [[0, model.maxVcpus - 1]] : []) : model.iothreads;
  /** Which earlier <*sched> (by position) has each id. */
  const taken = new IdOwners();
  let position = 0;
  for (const el of childrenNamed(ct, elName)) {
    const setA = attr(el, setName);
    if (!setA) { report.add({ code: 'libvirt/sched-set-missing', at: nameSpan(el), stage: 'define', upstream: `XML error: Missing attribute '${setName}' in element '${elName}'`, explanation: `libvirt's parser needs ${setName} (the schema and docs say optional, the parser does not).` }); return; }
    const ids = checkSet(ctx, setA, 'libvirt/sched-set-empty', vcpus ? 'vCPU' : 'iothread', `unsupported configuration: '${setName}' scheduler bitmap '${quoteValue(setA.value)}' is empty`);
    if (ids === undefined) return;
    if (!schedPolicy(ctx, el)) return;
    // libvirt walks the ids in order and stops at the first that is missing or already scheduled.
    const missing = subtract(ids, exist)[0]?.[0] ?? Infinity;
    const twice = taken.firstClash(ids)?.id ?? Infinity;
    if (missing <= twice && missing < Infinity) {
      report.add({ code: vcpus ? 'libvirt/vcpusched-missing' : 'libvirt/iothread-missing', at: valueSpan(setA), stage: 'define',
        upstream: vcpus ? `unsupported configuration: vCPU '${missing}' is not present in domain definition` : `unsupported configuration: Cannot find 'iothread' : ${missing}`,
        explanation: vcpus ? `vCPU ids go from 0 to ${(model.maxVcpus ?? 1) - 1}.` : `There is no iothread ${missing}.` });
      return;
    }
    if (twice < Infinity) {
      report.add({ code: 'libvirt/sched-overlap', at: valueSpan(setA), stage: 'define', upstream: `'${elName}' attributes '${setName}' must not overlap`, explanation: `${vcpus ? 'vCPU' : 'Iothread'} ${twice} already has a scheduler in an earlier <${elName}>.` });
      return;
    }
    taken.claim(ids, position++);
  }
}

/** scheduler + priority (virDomainSchedulerParse); false when libvirt would reject. */
function schedPolicy(ctx: RuleContext, el: XmlElement): boolean {
  const { report } = ctx;
  const s = attr(el, 'scheduler');
  if (!s) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(el), stage: 'define', upstream: lv.missingAttr('scheduler', el.name), explanation: 'scheduler is batch, idle, fifo or rr.' }); return false; }
  if (!['batch', 'idle', 'fifo', 'rr'].includes(s.value)) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(s), stage: 'define', upstream: lv.invalidEnum('scheduler', el.name, s.value), explanation: 'scheduler is batch, idle, fifo or rr.' }); return false; }
  const p = attr(el, 'priority');
  if (s.value === 'fifo' || s.value === 'rr') {
    if (!p) {
      report.add({ code: 'libvirt/sched-priority-missing', at: nameSpan(el), stage: 'define', upstream: lv.missingAttr('priority', el.name), explanation: `Real-time scheduler ${quoteValue(s.value)} needs a priority (1-99).`,
        fixes: [{ title: "Add priority='1'", edits: [report.edit({ start: el.nameEnd, end: el.nameEnd }, " priority='1'")] }] });
      return false;
    }
    const n = parseInt64(p.value, -2147483648, 2147483647);
    if (n === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(p), stage: 'define', upstream: lv.notInt('priority', el.name, p.value), explanation: 'priority is a number (1-99).' }); return false; }
    if (n < 1 || n > 99) {
      report.add({ code: 'libvirt/sched-priority-range', at: valueSpan(p), stage: 'vm start', severity: 'warning',
        explanation: `Linux real-time priorities are 1-99: libvirt accepts ${n} at define but the guest fails to start ("Scheduler priority ${n} out of range").` });
    }
  } else if (p) {
    report.add({ code: 'libvirt/sched-priority-ignored', at: attrSpan(p), stage: 'schema', tags: ['unnecessary'], explanation: `${quoteValue(s.value)} takes no priority: libvirt drops it (the schema rejects it).` });
  }
  return true;
}

function emulatorsched(ctx: RuleContext, ct: XmlElement): void {
  const all = childrenNamed(ct, 'emulatorsched');
  if (all.length > 1) { ctx.report.add({ code: 'libvirt/cputune-duplicate', at: nameSpan(all[1]), stage: 'define', upstream: 'XML error: only one emulatorsched is supported', explanation: 'Keep one <emulatorsched>.' }); return; }
  if (all[0]) schedPolicy(ctx, all[0]);
}

/**
 * A resctrl group as libvirt keeps it (virDomainResctrlDef): one per vCPU set, shared by the <memorytune>s (and
 * the <cachetune>) of exactly those vCPUs; its monitors are checked against each other across both kinds.
 */
interface Group {
  el: XmlElement;
  set: Interval[];
  key: string;
  /** Some <cache> or <node> was parsed into it (virResctrlAllocIsEmpty is false). */
  allocates: boolean;
  bandwidthNodes: Set<number>;
  /** The kinds of monitor seen per vCPU list. */
  monitorKinds: Map<string, Set<string>>;
  /**
   * Which monitor smaller than its group watches each vCPU (by a number per vCPU list). Such monitors
   * with different lists are disjoint (an overlap is an error) and lie within their disjoint groups,
   * so groups with vCPUs share one table and one numbering.
   */
  partial: IdOwners;
  partialIndex: Map<string, number>;
}

/** cachetune/memorytune: resctrl groups (virDomainCachetuneDefParse, virDomainMemorytuneDefParse). */
function resctrl(ctx: RuleContext, ct: XmlElement): void {
  const { report, model, version } = ctx;
  const max = model.maxVcpus ?? 0;
  const exist: Interval[] = max ? [[0, max - 1]] : [];
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  /** Which kept group (by index) has each vCPU: groups are identical or disjoint. */
  const owners = new IdOwners();
  // Monitors of groups with vCPUs lie within their disjoint groups: they share one table. The group of
  // the whole emulator (no vcpus, 12.x) is one group at most, with a table of its own.
  const sharedPartial = new IdOwners();
  const sharedIndex = new Map<string, number>();
  const vcpusOptional = atLeast(version, 12, 4);
  // libvirt parses every <cachetune> first, then every <memorytune>.
  const tunes = [...childrenNamed(ct, 'cachetune'), ...childrenNamed(ct, 'memorytune')];
  for (const el of tunes) {
    const kind = el.name as 'cachetune' | 'memorytune';
    const idA = attr(el, 'id');
    if (idA) {
      report.add({ code: 'libvirt/resctrl-id-ignored', at: attrSpan(idA), stage: 'define', severity: 'warning', tags: ['unnecessary'],
        explanation: `${kind} id is output only (libvirt names the resctrl group itself): it is ignored on define.`,
        fixes: [{ title: 'Remove id', edits: [report.edit(attrRemovalSpan(idA), '')] }] });
    }
    const a = attr(el, 'vcpus');
    let ids: Interval[];
    if (!a) {
      if (!vcpusOptional) { report.add({ code: 'libvirt/resctrl-vcpus-missing', at: nameSpan(el), stage: 'define', upstream: `XML error: Missing ${kind} attribute 'vcpus'`, explanation: `libvirt ${version.label} needs vcpus on <${kind}> (optional only since 12.x).` }); return; }
      ids = []; // the whole emulator process (12.x)
    } else {
      const p = parseLibvirtCpuset(a.value);
      if (!p.ok && p.error === 'syntax') { report.add({ code: 'libvirt/resctrl-vcpus-invalid', at: valueSpan(a), stage: 'define', upstream: `XML error: Invalid ${kind} attribute 'vcpus' value '${quoteValue(a.value)}'`, explanation: 'vcpus is a guest vCPU list, e.g. 0-3.' }); return; }
      ids = intersect(p.set, exist);
      if (ids.length === 0) {
        report.add({ code: 'libvirt/resctrl-dropped', at: valueSpan(a), stage: 'define', severity: 'warning', tags: ['unnecessary'],
          explanation: `None of these vCPUs exist (<vcpu> is ${max}): libvirt silently drops this <${kind}>.` });
        continue;
      }
      const gone = subtract(p.set, exist);
      if (gone.length) {
        report.add({ code: 'libvirt/resctrl-trimmed', at: valueSpan(a), stage: 'define', severity: 'warning',
          explanation: `vCPUs ${quoteValue(formatLibvirtCpuset(gone))} do not exist (<vcpu> is ${max}): libvirt trims them from this <${kind}>.` });
      }
    }
    const key = formatLibvirtCpuset(ids);
    const at = a ? valueSpan(a) : nameSpan(el);
    // virDomainResctrlVcpuMatch: a kept group with these very vCPUs is shared; one that overlaps them is an error.
    const match = byKey.get(key);
    if (!match && owners.firstClash(ids)) { report.add({ code: 'libvirt/resctrl-overlap', at, stage: 'define', upstream: 'XML error: Overlapping vcpus in resctrls', explanation: 'Resctrl groups (cachetune/memorytune) must have identical or disjoint vCPU sets.' }); return; }
    if (match && kind === 'cachetune') { report.add({ code: 'libvirt/resctrl-overlap', at, stage: 'define', upstream: 'XML error: Identical vcpus in cachetunes found', explanation: 'Two cachetunes for the same vCPUs: put both allocations in one <cachetune>.' }); return; }
    const group: Group = match ?? { el, set: ids, key, allocates: false, bandwidthNodes: new Set(), monitorKinds: new Map(), partial: ids.length ? sharedPartial : new IdOwners(), partialIndex: ids.length ? sharedIndex : new Map() };
  const allocs = childrenNamed(el, kind === 'cachetune' ? 'cache' : 'node').length;
    if (kind === 'cachetune' ? !cacheAllocs(ctx, el) : !memAllocs(ctx, el, group.bandwidthNodes)) return;
    group.allocates ||= allocs > 0;
    const before = group.monitorKinds.size;
    if (!monitors(ctx, el, group)) return;
    // A new group with neither allocation nor monitor is not kept, so later ones cannot collide with it.
    if (!match && (allocs > 0 || group.monitorKinds.size > before)) {
      owners.claim(ids, groups.length);
      byKey.set(key, group);
      groups.push(group);
    }
  }
  if (groups.length && model.virtType === 'qemu') {
    report.add({ code: 'libvirt/resctrl-kvm-only', at: nameSpan(groups[0].el), stage: 'define (qemu)', upstream: 'unsupported configuration: cachetune is only supported for KVM domains',
      explanation: "Cache and memory bandwidth allocation (resctrl) needs a KVM guest: <domain type='kvm'>." });
  }
}

function cacheAllocs(ctx: RuleContext, el: XmlElement): boolean {
  const { report } = ctx;
  const taken = new Map<string, Set<string>>();
  for (const c of childrenNamed(el, 'cache')) {
    const vals: Record<string, number> = {};
    for (const name of ['id', 'level']) {
      const a = attr(c, name);
      if (!a) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(c), stage: 'define', upstream: lv.missingAttr(name, 'cache'), explanation: 'A cache allocation needs id, level, type and size.' }); return false; }
      const n = parseUInt(a.value);
      if (n === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.notUInt(name, 'cache', a.value), explanation: `${name} is a number.` }); return false; }
      vals[name] = n;
    }
    const t = attr(c, 'type');
    if (!t) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(c), stage: 'define', upstream: lv.missingAttr('type', 'cache'), explanation: 'type is both, code or data.' }); return false; }
    if (!['both', 'code', 'data'].includes(t.value)) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(t), stage: 'define', upstream: lv.invalidEnum('type', 'cache', t.value), explanation: 'type is both, code or data.' }); return false; }
    if (!scaledSize(ctx, c, 'size')) return false;
    const slot = `${vals.level}/${vals.id}`;
    const types = taken.get(slot) ?? new Set<string>();
    // 'both' excludes code/data on the same cache and vice versa (virresctrl.c).
    if (types.has(t.value) || (t.value === 'both' && types.size) || types.has('both')) {
      report.add({ code: 'libvirt/cachetune-collide', at: nameSpan(c), stage: 'define', upstream: `XML error: Colliding cache allocations for cache level '${vals.level}' id '${vals.id}', type '${quoteValue(t.value)}'`,
        explanation: 'This cache (level, id) is already allocated in this group; both excludes code/data.' });
      return false;
    }
    types.add(t.value);
    taken.set(slot, types);
    if (!attr(c, 'unit')) {
      report.add({ code: 'libvirt/cachetune-size-unit', at: valueSpan(attr(c, 'size')!), stage: 'define', severity: 'information',
        explanation: "Without unit libvirt reads size as KiB (the documentation says bytes): add unit='KiB' to make it explicit." });
    }
  }
  return true;
}

function memAllocs(ctx: RuleContext, el: XmlElement, nodes: Set<number>): boolean {
  const { report, version } = ctx;
  for (const node of childrenNamed(el, 'node')) {
    const idA = attr(node, 'id');
    const bwA = attr(node, 'bandwidth');
    if (!idA || !bwA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(node), stage: 'define', upstream: lv.missingAttr(idA ? 'bandwidth' : 'id', 'node'), explanation: 'node needs id and bandwidth.' }); return false; }
    const id = parseUInt(idA.value);
    const bw = parseUInt(bwA.value);
    if (id === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(idA), stage: 'define', upstream: lv.notUInt('id', 'node', idA.value), explanation: 'id is a host NUMA node.' }); return false; }
    if (bw === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(bwA), stage: 'define', upstream: lv.notUInt('bandwidth', 'node', bwA.value), explanation: 'bandwidth is a number.' }); return false; }
    if (!atLeast(version, 9, 1) && bw > 100) { report.add({ code: 'libvirt/memorytune-bandwidth', at: valueSpan(bwA), stage: 'define', upstream: 'XML error: Memory Bandwidth value exceeding 100 is invalid.', explanation: `libvirt ${version.label} takes bandwidth as a percentage (0-100).` }); return false; }
    if (nodes.has(id)) { report.add({ code: 'libvirt/memorytune-node-duplicate', at: valueSpan(idA), stage: 'define', upstream: `XML error: Memory Bandwidth already defined for node ${id}`, explanation: `Node ${id} is listed twice in this memorytune.` }); return false; }
    nodes.add(id);
  }
  return true;
}

/** A group's <monitor>s, each checked against the group's earlier ones of either kind (virDomainResctrlValidateMonitor). */
function monitors(ctx: RuleContext, el: XmlElement, group: Group): boolean {
  const { report, model } = ctx;
  const max = model.maxVcpus ?? 0;
  for (const mon of childrenNamed(el, 'monitor')) {
    if (el.name === 'cachetune') {
      const lvl = attr(mon, 'level');
      if (!lvl) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(mon), stage: 'define', upstream: lv.missingAttr('level', 'monitor'), explanation: "A cache monitor needs level='3'." }); return false; }
      if (parseUInt(lvl.value) !== 3) { report.add({ code: 'libvirt/resctrl-monitor-level', at: valueSpan(lvl), stage: 'define', upstream: `XML error: Invalid monitor cache level '${quoteValue(lvl.value)}'`, explanation: 'Cache monitors exist for level 3 only.' }); return false; }
    }
    const mv = attr(mon, 'vcpus');
    if (!mv) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(mon), stage: 'define', upstream: "XML error: Missing monitor attribute 'vcpus'", explanation: 'A monitor needs the vCPUs it watches.' }); return false; }
    const bad = (upstream: string, explanation: string) => { report.add({ code: 'libvirt/resctrl-monitor-vcpus', at: valueSpan(mv), stage: 'define', upstream, explanation }); return false; };
    const p = parseLibvirtCpuset(mv.value);
    if (!p.ok && p.error === 'syntax') return bad(`XML error: Invalid monitor attribute 'vcpus' value '${quoteValue(mv.value)}'`, 'vcpus is a guest vCPU list, e.g. 0-1.');
    const ids = p.ok ? intersect(p.set, max ? [[0, max - 1]] : []) : [];
    if (ids.length === 0) return bad('invalid argument: vcpus is empty', 'None of these vCPUs exist: the monitor watches nothing.');
    if (group.set.length && subtract(ids, group.set).length) return bad('invalid argument: Monitor vcpus conflicts with allocation', "A monitor's vCPUs must be a subset of its group's.");
    const key = formatLibvirtCpuset(ids);
    const kinds = group.monitorKinds.get(key);
    // Two monitors of one kind with the same vCPUs; with the other kind the same list is fine.
    if (kinds?.has(el.name)) return bad('invalid argument: Identical vcpus found in same type monitors', 'Two monitors of this kind watch the same vCPUs: keep one.');
    // A monitor of the whole group is the allocation's own: it may overlap the smaller ones, unless nothing is allocated.
    const wholeGroup = key === group.key;
    const own = group.partialIndex.get(key);
    const overlapPartial = !!group.partial.firstClash(ids, own ?? -1);
    const overlapWhole = !wholeGroup && group.monitorKinds.has(group.key);
    if ((!wholeGroup && overlapPartial) || (!group.allocates && (overlapPartial || overlapWhole))) {
      return bad('invalid argument: vcpus overlaps in resctrl groups', 'Monitors of one group must watch disjoint vCPU sets (or the whole group, when it allocates).');
    }
    if (kinds) kinds.add(el.name); else group.monitorKinds.set(key, new Set([el.name]));
    if (!wholeGroup && own === undefined) {
      const index = group.partialIndex.size;
      group.partialIndex.set(key, index);
      group.partial.claim(ids, index);
    }
  }
  return true;
}
