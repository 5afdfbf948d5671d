/**
 * The migration advisor: the richest guest CPU every host of a migration domain can run, as Nova
 * config. The common model is libvirt's own cpu-baseline (knowledge/cpumap/baseline.ts, bit-exact);
 * what this module adds is Nova's side: cpu_models/cpu_model_extra_flags that nova-compute accepts
 * on every host (`_check_cpu_compatibility` compares each model plus every flag with the host),
 * what each host gives up against host-passthrough, and a split into aggregates by CPU generation
 * when one common model costs too much.
 *
 * Pure: hosts in, Advice out. Identical host CPUs are computed once (a fleet repeats a few CPUs).
 */
import type { BaselineResult, CpuCatalog, HostCpu } from '../knowledge/cpumap/types';
import { BaselineError } from '../knowledge/cpumap/baseline';
import type { Advice, AdviseHost, Aggregate, CustomModelRoute, Domain, HostRow, Usability } from './types';
import { generationOf, generationOrder, type GenerationOrder } from './generations';

export interface AdviseOptions {
  /** Add vmx (Intel) / svm (AMD) when every host of a domain has it: nested guests (default true). */
  nested?: boolean;
  /** A host is poorly served when the common model is this many generations older than its own (default 2). */
  maxGenerationGap?: number;
}

const DEFAULT_MAX_GAP = 2;

/**
 * Instruction-set extensions guest software selects at run time (compilers' -march levels, crypto
 * and math libraries): the losses worth naming. Other features (acpi, ds, monitor...) are host
 * plumbing a guest rarely sees.
 */
const NOTABLE = /^(avx|amx|sse|ssse3|fma|aes|vaes|vpclmulqdq|pclmuldq|gfni|sha-ni|adx|bmi|rdseed|rdrand|movbe|f16c|popcnt|abm|pku|la57|clwb|clflushopt|erms|fsrm|hle|rtm|pcid|invpcid|xsave|serialize|movdir|waitpkg|tsx)/;

/** One distinct host CPU, shared by every host that has it. */
interface Cpu {
  /** Small and unique per distinct CPU: the memo key (the long feature key hashes slowly). */
  id: number;
  key: string;
  cpu: HostCpu;
  features: Set<string>;
  generation: string;
}

class Context {
  readonly cpus = new Map<string, Cpu>();
  private readonly orders = new Map<string, GenerationOrder>();
  /** Per distinct CPU and model / domain: a fleet repeats a few CPUs, so rows reuse these. */
  /** A host's models row, per distinct CPU (hosts without their own domcapabilities share it). */
  readonly rows = new Map<number, Record<string, Usability>>();
  /** Baselines by the set of distinct CPU ids: the split tries runs that the final aggregates reuse. */
  readonly baselines = new Map<string, BaselineResult | BaselineError>();
  private readonly byObject = new WeakMap<HostCpu, Cpu>();
  readonly losses = new Map<Domain, Map<number, string[]>>();
  readonly guests = new Map<Domain, Set<string>>();
  constructor(readonly catalog: CpuCatalog, readonly options: Required<AdviseOptions>) {}

  cpuOf(host: AdviseHost): Cpu {
    const c = host.cpu;
    const same = this.byObject.get(c);
    if (same) return same;
    const key = `${c.arch ?? ''}|${c.vendor ?? ''}|${c.model}|${[...c.features].sort().join(',')}`;
    let cpu = this.cpus.get(key);
    if (!cpu) {
      const model = this.catalog.model(c.model, 'x86');
      cpu = { id: this.cpus.size, key, cpu: c, features: new Set([...(model?.features ?? []), ...c.features]), generation: generationOf(this.catalog, c.model) };
      this.cpus.set(key, cpu);
    }
    this.byObject.set(c, cpu);
    return cpu;
  }

  order(vendor: string | undefined): GenerationOrder {
    const k = vendor ?? '';
    let o = this.orders.get(k);
    if (!o) this.orders.set(k, (o = generationOrder(this.catalog, vendor)));
    return o;
  }
}

export function advise(hosts: readonly AdviseHost[], catalog: CpuCatalog, options: AdviseOptions = {}): Advice {
  if (hosts.length === 0) throw new BaselineError('invalid argument', 'no host CPUs given');
  const ctx = new Context(catalog, { nested: options.nested ?? true, maxGenerationGap: options.maxGenerationGap ?? DEFAULT_MAX_GAP });
  const cpus = hosts.map((h) => ctx.cpuOf(h));
  const fleet = domain(ctx, hosts, cpus);
  const split = fleet.poor.length ? splitFleet(ctx, hosts, cpus) : undefined;
  const domainOfHost = new Map<string, Domain>();
  for (const a of split?.aggregates ?? []) for (const h of a.hosts) domainOfHost.set(h, a);

  const candidates = candidateModels(ctx, cpus, [fleet, ...(split?.aggregates ?? [])]);
  const rows: HostRow[] = hosts.map((h, i) => {
    const d = domainOfHost.get(h.name) ?? fleet;
    const loses = lossesOf(ctx, cpus[i], d);
    const row: HostRow = {
      name: h.name, source: h.source, model: h.cpu.model, generation: cpus[i].generation,
      models: modelsRow(ctx, h, cpus[i], candidates),
      loses, losesNotable: loses.filter((f) => NOTABLE.test(f)),
      change: { mode: 'custom', models: d.cpu_models, extraFlags: d.cpu_model_extra_flags },
    };
    if (h.cpu.vendor) row.vendor = h.cpu.vendor;
    if (domainOfHost.has(h.name)) row.aggregate = (d as Aggregate).name;
    return row;
  });

  const notes: string[] = [];
  if ('error' in fleet.baseline) notes.push(`No CPU model runs on every host: libvirt's cpu-baseline says "${fleet.baseline.error}".`);
  if (fleet.cpu_model_extra_flags.some((f) => f.startsWith('-'))) {
    notes.push('A "-flag" disables a feature of the model that some host lacks (Nova\'s cpu_model_extra_flags help: "a - sign will disable it"); a Nova release without the +/- notation cannot say it: take the custom-model route or an older model there.');
  }
  notes.push('Nova gives a guest without CPU traits in its flavor the first of cpu_models: list more models only oldest first, and only ones every host runs (nova-compute checks each at start).');
  const advice: Advice = {
    cpu_mode: 'custom', cpu_models: fleet.cpu_models, cpu_model_extra_flags: fleet.cpu_model_extra_flags,
    candidates, hosts: rows, fleet, notes,
  };
  if (split) advice.split = split;
  const custom = customModelRoute(ctx, fleet);
  if (custom) advice.customModel = custom;
  return advice;
}

/** libvirt's baseline of the distinct CPUs (the same result as of all hosts: intersection and name set ignore repeats). */
function distinct(cpus: readonly Cpu[]): Cpu[] {
  const seen = new Set<number>();
  return cpus.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

/** libvirt's baseline of distinct CPUs (the same as of all hosts: intersection and the name set ignore repeats), memoized. */
function baselineOf(ctx: Context, uniq: readonly Cpu[]): BaselineResult {
  const key = uniq.map((c) => c.id).join(',');
  let r = ctx.baselines.get(key);
  if (!r) {
    try {
      r = ctx.catalog.baseline(uniq.map((c) => c.cpu), 'x86');
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      r = e;
    }
    ctx.baselines.set(key, r);
  }
  if (r instanceof BaselineError) throw r;
  return r;
}

function domain(ctx: Context, hosts: readonly AdviseHost[], cpus: readonly Cpu[]): Domain {
  const names = hosts.map((h) => h.name);
  const uniq = distinct(cpus);
  let b;
  try {
    b = baselineOf(ctx, uniq);
  } catch (e) {
    if (!(e instanceof BaselineError)) throw e;
    // A vendor mix is a reason to split; any other refusal (a model or feature the map does not know) is the input's.
    const vendors = [...new Set(uniq.map((c) => c.cpu.vendor ?? 'unknown'))];
    if (vendors.length < 2) throw e;
    const poor = [`the hosts have CPUs of ${vendors.length} vendors (${vendors.join(', ')}): no model runs on all of them (libvirt: ${e.virshMessage})`];
    return { hosts: names, baseline: { error: e.virshMessage }, cpu_mode: 'custom', cpu_models: [], cpu_model_extra_flags: [], poor };
  }
  const baseline = { model: b.model, require: b.require, disable: b.disable, fallback: b.fallback, ...(b.vendor ? { vendor: b.vendor } : {}) };
  const flags = extraFlags(ctx, hosts, uniq, b.model, b.require, b.disable);
  const d: Domain = { hosts: names, baseline, cpu_mode: 'custom', cpu_models: [b.model], cpu_model_extra_flags: flags, poor: [] };
  d.poor = poorFor(ctx, cpus, hosts, d);
  return d;
}

/**
 * What Nova must add to the model: "-f" for each model feature some host lacks (the baseline's
 * disables; removed='yes' features are disabled by libvirt anyway), the nested-virtualization flag
 * and pcid (Nova's own cpu_model_extra_flags help names it) when every host has them, and, where
 * every host's domcapabilities host-model offers it, any other migratable feature all hosts share.
 */
function extraFlags(ctx: Context, hosts: readonly AdviseHost[], cpus: readonly Cpu[], modelName: string, require: string[], disable: string[]): string[] {
  const model = ctx.catalog.model(modelName, 'x86');
  const removed = new Set(model?.removed ?? []);
  const everyHas = (f: string) => cpus.every((c) => c.features.has(f));
  const plus = new Set<string>();
  if (ctx.options.nested) for (const f of ['vmx', 'svm']) if (require.includes(f) && everyHas(f)) plus.add(f);
  if (require.includes('pcid') && everyHas('pcid')) plus.add('pcid');
  if (hosts.every((h) => h.hostModel)) {
    const offered = hosts.map((h) => hostModelFeatures(ctx, h.hostModel!));
    for (const f of require) {
      if (ctx.catalog.feature(f, 'x86')?.migratable === false) continue;
      if (offered.every((s) => s.has(f))) plus.add(f);
    }
  }
  const minus = disable.filter((f) => !removed.has(f));
  return [...[...plus].sort(), ...minus.sort().map((f) => `-${f}`)];
}

function hostModelFeatures(ctx: Context, hm: NonNullable<AdviseHost['hostModel']>): Set<string> {
  const set = new Set([...(hm.model ? ctx.catalog.model(hm.model, 'x86')?.features ?? [] : []), ...hm.require]);
  for (const f of hm.disable) set.delete(f);
  return set;
}

/** The guest CPU a domain's config gives: the first model, updated by the flags. */
function guestFeatures(ctx: Context, d: Domain): Set<string> {
  const known = ctx.guests.get(d);
  if (known) return known;
  const set = new Set(d.cpu_models.length ? ctx.catalog.model(d.cpu_models[0], 'x86')?.features ?? [] : []);
  for (const f of d.cpu_model_extra_flags) {
    if (f.startsWith('-')) set.delete(f.slice(1));
    else set.add(f.replace(/^\+/, ''));
  }
  ctx.guests.set(d, set);
  return set;
}

function lossesOf(ctx: Context, cpu: Cpu, d: Domain): string[] {
  let byCpu = ctx.losses.get(d);
  if (!byCpu) ctx.losses.set(d, (byCpu = new Map()));
  let loses = byCpu.get(cpu.id);
  if (!loses) {
    const guest = guestFeatures(ctx, d);
    byCpu.set(cpu.id, (loses = [...cpu.features].filter((f) => !guest.has(f)).sort()));
  }
  return loses;
}

/** Why a domain's common CPU serves some host poorly: AVX-512 lost, or whole generations. */
function poorFor(ctx: Context, cpus: readonly Cpu[], hosts: readonly AdviseHost[], d: Domain): string[] {
  if (!d.cpu_models.length) return [];
  const guest = guestFeatures(ctx, d);
  const common = d.cpu_models[0];
  const commonGen = generationOf(ctx.catalog, common);
  const poor: string[] = [];
  const avx512 = hosts.filter((_, i) => cpus[i].features.has('avx512f') && !guest.has('avx512f')).map((h) => h.name);
  if (avx512.length) poor.push(`${list(avx512)} ${avx512.length === 1 ? 'loses' : 'lose'} AVX-512 (the common model ${common} has no avx512f)`);
  const seen = new Set<string>();
  for (const c of distinct(cpus)) {
    if (seen.has(c.generation)) continue;
    seen.add(c.generation);
    const order = ctx.order(c.cpu.vendor);
    const have = order.rank(c.generation);
    const get = order.rank(commonGen);
    if (have === undefined || get === undefined || have - get < ctx.options.maxGenerationGap) continue;
    const which = hosts.filter((_, j) => cpus[j].generation === c.generation).map((h) => h.name);
    poor.push(`${list(which)} (${c.generation}) ${which.length === 1 ? 'gets' : 'get'} ${common}, ${have - get} generations older`);
  }
  return poor;
}

function list(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * One aggregate per run of generations (per vendor, oldest first): a generation joins the run
 * before it while the run's common CPU stays good for all its hosts.
 */
function splitFleet(ctx: Context, hosts: readonly AdviseHost[], cpus: readonly Cpu[]): Advice['split'] {
  const byGen = new Map<string, number[]>();
  for (let i = 0; i < hosts.length; i++) {
    const k = `${cpus[i].cpu.vendor ?? ''}\0${cpus[i].generation}`;
    let g = byGen.get(k);
    if (!g) byGen.set(k, (g = []));
    g.push(i);
  }
  const vendors = [...new Set(cpus.map((c) => c.cpu.vendor ?? ''))];
  const runs: number[][][] = [];
  for (const v of vendors) {
    const order = ctx.order(v || undefined);
    const gens = [...byGen.entries()].filter(([k]) => k.startsWith(`${v}\0`)).map(([k, idx]) => ({ gen: k.slice(v.length + 1), idx }));
    gens.sort((a, b) => (order.rank(a.gen) ?? Infinity) - (order.rank(b.gen) ?? Infinity));
    let run: number[][] = [];
    for (const g of gens) {
      const merged = [...run, g.idx];
      const d = run.length ? domainOfIdx(ctx, hosts, cpus, merged.flat()) : undefined;
      if (d && d.poor.length === 0 && !('error' in d.baseline)) { run = merged; continue; }
      if (run.length) runs.push(run);
      run = [g.idx];
    }
    if (run.length) runs.push(run);
  }
  if (runs.length < 2) return undefined;
  const aggregates: Aggregate[] = runs.map((run) => {
    const d = domainOfIdx(ctx, hosts, cpus, run.flat());
    const gens = run.map((idx) => cpus[idx[0]].generation);
    const label = (gens.length === 1 ? gens[0] : `${gens[0]}-to-${gens[gens.length - 1]}`).toLowerCase();
    return { ...d, name: `cpu-${label}`, property: { key: 'cpu_generation', value: label } };
  });
  return { aggregates, commands: aggregateCommands(aggregates), notes: [
    'Enable AggregateInstanceExtraSpecsFilter in [filter_scheduler] enabled_filters on the scheduler, or the flavor property does not place anything.',
    'Each aggregate is its own migration domain: live migration stays inside it. Set each host\'s nova.conf to its aggregate\'s models (the per-host change) and restart nova-compute.',
  ] };
}

function domainOfIdx(ctx: Context, hosts: readonly AdviseHost[], cpus: readonly Cpu[], idx: number[]): Domain {
  const sorted = [...idx].sort((a, b) => a - b);
  return domain(ctx, sorted.map((i) => hosts[i]), sorted.map((i) => cpus[i]));
}

/** `openstack` commands for the split, as argv-safe text (names are ours; host names are quoted when needed). */
function aggregateCommands(aggregates: readonly Aggregate[]): string[] {
  const q = (s: string) => (/^[A-Za-z0-9._:=@%+\/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const out: string[] = [];
  for (const a of aggregates) {
    const prop = `${a.property.key}=${a.property.value}`;
    out.push(`openstack aggregate create --property ${prop} ${a.name}`);
    for (const h of a.hosts) out.push(`openstack aggregate add host ${a.name} ${q(h)}`);
    out.push(`openstack flavor set --property aggregate_instance_extra_specs:${prop} FLAVOR   # each flavor meant for ${a.name}`);
  }
  return out;
}

/** The models to show per host: every domain's common model and each host's own generation, oldest first. */
function candidateModels(ctx: Context, cpus: readonly Cpu[], domains: readonly Domain[]): string[] {
  const names = new Set<string>();
  for (const d of domains) for (const m of d.cpu_models) names.add(m);
  for (const c of distinct(cpus)) {
    const own = representative(ctx, c);
    if (own) names.add(own);
  }
  const index = new Map(ctx.catalog.models('x86').map((m, i) => [m.name, i]));
  return [...names].sort((a, b) => (index.get(a) ?? Infinity) - (index.get(b) ?? Infinity));
}

/**
 * The guest model that stands for a host's own generation: its host model when a guest can use
 * that name (or the name it aliases), else the newest model of its generation the host runs.
 */
function representative(ctx: Context, c: Cpu): string | undefined {
  const m = ctx.catalog.model(c.cpu.model, 'x86');
  if (m?.canonicalOf) return m.canonicalOf;
  if (m?.decodeGuest) return m.name;
  const same = ctx.catalog.models('x86').filter((x) => x.decodeGuest && !x.canonicalOf && (!x.vendor || x.vendor === c.cpu.vendor) && generationOf(ctx.catalog, x.name) === c.generation);
  return same.reverse().find((x) => x.features.every((f) => c.features.has(f)))?.name;
}

function modelsRow(ctx: Context, host: AdviseHost, cpu: Cpu, candidates: readonly string[]): Record<string, Usability> {
  if (host.domcaps) return Object.fromEntries(candidates.map((m) => [m, usabilityOf(ctx, host, cpu, m)]));
  let row = ctx.rows.get(cpu.id);
  if (!row) ctx.rows.set(cpu.id, (row = Object.fromEntries(candidates.map((m) => [m, mapUsability(ctx, cpu, m)]))));
  return row;
}

function usabilityOf(ctx: Context, host: AdviseHost, cpu: Cpu, modelName: string): Usability {
  const libvirt = host.domcaps?.find((m) => m.name === modelName);
  if (libvirt && libvirt.usable !== 'unknown') return { usable: libvirt.usable === 'yes', blockers: libvirt.blockers ?? [], from: 'domcapabilities' };
  return mapUsability(ctx, cpu, modelName);
}

/** What the map says: the model's features the host lacks (its removed='yes' ones are not the model's). */
function mapUsability(ctx: Context, cpu: Cpu, modelName: string): Usability {
  const model = ctx.catalog.model(modelName, 'x86');
  if (!model) return { usable: false, blockers: [], from: 'cpu_map' };
  if (model.vendor && cpu.cpu.vendor && model.vendor !== cpu.cpu.vendor) return { usable: false, blockers: [`vendor ${model.vendor}`], from: 'cpu_map' };
  const blockers = model.features.filter((f) => !cpu.features.has(f));
  return { usable: blockers.length === 0, blockers, from: 'cpu_map' };
}

/**
 * The `SandyBridge-vmx` route: a named model in the hosts' cpu_map carrying the extra flags, for
 * when flags must travel with one model (Nova applies cpu_model_extra_flags to every model in
 * cpu_models) or the Nova release has no cpu_model_extra_flags (before Queens). libvirt translates
 * a model QEMU does not know into a known one plus features (virCPUTranslate).
 */
function customModelRoute(ctx: Context, d: Domain): CustomModelRoute | undefined {
  if ('error' in d.baseline || !d.cpu_models.length) return undefined;
  const plus = d.cpu_model_extra_flags.filter((f) => !f.startsWith('-'));
  if (!plus.length) return undefined;
  const base = d.cpu_models[0];
  // SandyBridge-vmx style while the flags are few; a long list gets a short name, its features in the file.
  const name = plus.length <= 3 ? `${base}-${plus.join('-')}` : `${base}-plus${plus.length}`;
  const vendor = ctx.catalog.model(base, 'x86')?.vendor;
  const xml = [
    '<cpus>',
    `  <model name='${name}'>`,
    `    <model name='${base}'/>`,
    ...(vendor ? [`    <vendor name='${vendor}'/>`] : []),
    ...plus.map((f) => `    <feature name='${f}'/>`),
    '  </model>',
    '</cpus>',
    '',
  ].join('\n');
  return {
    name, file: `x86_${name}.xml`, xml, indexInclude: `<include filename='x86_${name}.xml'/>`,
    cpu_models: [name], cpu_model_extra_flags: d.cpu_model_extra_flags.filter((f) => f.startsWith('-')),
    why: `${name} is ${base} plus ${plus.join(', ')} under one name. Put the file in /usr/share/libvirt/cpu_map/ on every host and the include line in index.xml (inside the x86 <arch>), then restart libvirtd; a libvirt package upgrade replaces index.xml, so keep it in your configuration management.`,
  };
}
