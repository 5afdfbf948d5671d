/**
 * Nova's option catalog as one release sees it: which options exist, their types, choices,
 * bounds and defaults, and which are deprecated or gone. Built from the generated
 * server/data/nova-options.json (scripts/gen-nova-options.mjs) and cached per release.
 * Groups are keyed as oslo.config normalizes them: 'DEFAULT', every other group lower case.
 */
import data from '../../../data/nova-options.json';
import { OptionMap } from './optionMap';
import type { OsloType } from './osloTypes';
import { majorOf, type NovaRelease, releaseByMajor } from './releases';
import { zedOptions, type ZedOption } from './zed';

export type OptionType = 'str' | 'int' | 'float' | 'bool' | 'list' | 'multi' | 'host';

/** A choice; null is Python's None (some Nova options list it: never matched by a file's text). */
export interface OptionChoice { value: string | number | null; meaning?: string }

export interface NovaOption {
  group: string;
  name: string;
  type: OptionType;
  default?: unknown;
  choices?: OptionChoice[];
  /** Only Queens' cpu_model_extra_flags compares its choices case-insensitively. */
  choicesIgnoreCase?: boolean;
  min?: number;
  max?: number;
  summary: string;
  note?: string;
  related?: string[];
  /** First release (major) with the option; 0 when it predates the catalog. */
  since: number;
  /** Old name in the same group that oslo.config still reads (cpu_model for cpu_models). */
  deprecatedName?: string;
  /** Why it is deprecated for removal, when it is (in this release). */
  deprecatedForRemoval?: string;
  deprecatedSince?: number;
  /** Its value is a Nova cpuset (vcpu_pin_set, cpu_shared_set, cpu_dedicated_set). */
  cpuset: boolean;
  /** oslo.config's exact type, where we know it (Nova 26's options, and HostDomainOpt everywhere). */
  oslo?: OsloType;
  /** Old (group, name) pairs oslo.config reads for it besides deprecatedName, in the order it tries them. */
  aliases?: Array<{ group: string; name: string }>;
  /** Known from Nova 26's option data only (no history): judged as Zed defines it. */
  zedOnly?: boolean;
  /** oslo.config's deprecated_reason, exactly, where Nova 26's data has it ('' when it gives none). */
  deprecatedReason?: string;
}

export interface RemovedOption {
  group: string;
  name: string;
  /** Last release (major) that had it, and the first without it. */
  last: number;
  gone: number;
  /** Where the value is read now, when the old name still works as an alias. */
  alias?: { group: string; name: string };
}

interface RawOption {
  g: string; n: string; t: OptionType; s: string; d?: unknown; c?: Array<[string | number, string?]>;
  min?: number; max?: number; dn?: string; dr?: string | true; ds?: number; since?: number;
  note?: string; rel?: string[]; cpuset?: boolean;
}
interface RawRemoved { g: string; n: string; last: number; gone: number; alias?: string; t?: OptionType; min?: number; max?: number }
interface RawData { options: RawOption[]; removed: RawRemoved[] }
const raw = data as unknown as RawData;

/** oslo.config: group names are case-insensitive, except DEFAULT, which must be upper case. */
export function normalizeGroup(name: string): string {
  return name === 'DEFAULT' ? name : name.toLowerCase();
}

const ZED = majorOf('zed');

/** What changed by release beyond "added in / removed in" (from the option catalog's release notes). */
function adjustForRelease(o: NovaOption, major: number): NovaOption {
  if (o.group === 'libvirt' && o.name === 'virt_type' && major < majorOf('wallaby')) {
    return { ...o, choices: [...(o.choices ?? []), { value: 'uml', meaning: 'User-Mode Linux (removed in Wallaby)' }, { value: 'xen', meaning: 'Xen (removed in Wallaby)' }] };
  }
  if (o.group === 'libvirt' && o.name === 'cpu_model_extra_flags' && major === majorOf('queens')) {
    return { ...o, choicesIgnoreCase: true, choices: ['pcid', 'ssbd', 'virt-ssbd', 'amd-ssbd', 'amd-no-ssb'].map((value) => ({ value })) };
  }
  if (o.group === 'DEFAULT' && major < majorOf('antelope') && o.name === 'initial_cpu_allocation_ratio') return { ...o, default: 16.0 };
  if (o.group === 'DEFAULT' && major < majorOf('antelope') && o.name === 'initial_ram_allocation_ratio') return { ...o, default: 1.5 };
  if (o.group === 'compute' && major < ZED && o.name === 'packing_host_numa_cells_allocation_strategy') return { ...o, default: true };
  return o;
}

const OPTION_TYPE: Record<OsloType['k'], OptionType> = {
  str: 'str', multistr: 'multi', bool: 'bool', int: 'int', port: 'int', float: 'float', list: 'list', dict: 'str',
  ip: 'host', hostaddress: 'host', hostdomain: 'host', hostname: 'host', uri: 'str', other: 'str',
};

/**
 * The oslo.config type of an option: exact where Nova 26's data gives it, else built from our
 * catalog's type, choices and bounds (as the release defines them).
 */
export function osloTypeOf(o: NovaOption): OsloType {
  if (o.oslo) return o.oslo;
  const choices = o.choices?.map((c) => c.value);
  const str: OsloType = { k: 'str', c: choices?.map((c) => (c === null ? null : String(c))), ic: o.choicesIgnoreCase ? 1 : undefined };
  switch (o.type) {
    case 'int': return { k: 'int', min: o.min, max: o.max, c: choices?.filter((c): c is number => typeof c === 'number') };
    case 'float': return { k: 'float', min: o.min, max: o.max };
    case 'bool': return { k: 'bool' };
    case 'list': return { k: 'list', it: str };
    case 'multi': return { k: 'multistr' };
    case 'host': return { k: 'hostdomain' };
    case 'str': return str;
  }
}

/** A Nova 26 option outside our catalog, as Zed defines it. */
export function fromZed(z: ZedOption): NovaOption {
  return {
    group: z.group, name: z.name, type: z.multi ? 'multi' : OPTION_TYPE[z.type.k], oslo: z.type, since: 0, cpuset: false, zedOnly: true,
    summary: `A Nova 26 (Zed) option of [${z.group}].`,
    aliases: z.deprecated.length ? z.deprecated : undefined,
    deprecatedForRemoval: z.deprecatedForRemoval === undefined ? undefined : firstLine(z.deprecatedForRemoval) || 'no reason given',
    deprecatedReason: z.deprecatedForRemoval, deprecatedSince: z.deprecatedSince ? Number(/^\d+/.exec(z.deprecatedSince)?.[0]) || undefined : undefined,
  };
}

function fromRaw(r: RawOption): NovaOption {
  return {
    group: r.g, name: r.n, type: r.t, default: r.d, summary: r.s, note: r.note, related: r.rel,
    choices: r.c?.map(([value, meaning]) => ({ value, meaning })),
    min: r.min, max: r.max,
    // The Queens backport of cpu_model_extra_flags predates the 18.0.0 the history scan saw.
    since: r.g === 'libvirt' && r.n === 'cpu_model_extra_flags' ? 17 : r.since ?? 0,
    deprecatedName: r.dn, deprecatedForRemoval: r.dr === true ? 'no reason given' : r.dr,
    deprecatedSince: r.ds, cpuset: !!r.cpuset,
    // HostDomainOpt: the most permissive of oslo.config's host types, so right in every release.
    oslo: r.t === 'host' ? { k: 'hostdomain' } : undefined,
  };
}

/**
 * At Zed, our catalog's option with the exact oslo.config type and deprecated names Nova 26
 * registers (its generator data is the truth for 26).
 */
function atZed(o: NovaOption): NovaOption {
  const z = zedOptions().option(o.group, o.name);
  if (!z) return o;
  const aliases = z.deprecated.filter((d) => !(d.group === o.group && d.name === o.deprecatedName));
  return { ...o, oslo: z.type, aliases: aliases.length ? aliases : undefined, deprecatedReason: o.deprecatedForRemoval ? z.deprecatedForRemoval : undefined };
}

/** A reason's first sentence, for our explanation (the whole text goes in the upstream message). */
function firstLine(reason: string): string {
  const t = reason.trim().replace(/\s+/g, ' ');
  const end = t.search(/\.(\s|$)/);
  return end > 0 ? t.slice(0, end) : t;
}

/** A removed option as it looked while it still existed (we know its name, not its type). */
function stillPresent(r: RawRemoved): NovaOption {
  if (r.g === 'libvirt' && r.n === 'cpu_model') {
    return {
      group: 'libvirt', name: 'cpu_model', type: 'str', since: 0, cpuset: false,
      summary: 'The one named CPU model guests get when cpu_mode=custom; only valid, and then required, in that mode.',
      note: 'Replaced in Train (20) by the list option cpu_models, which still reads this name.',
    };
  }
  // Zed's generator output gives the type of options Zed still had; older ones read as strings.
  return {
    group: r.g, name: r.n, type: r.t ?? 'str', min: r.min, max: r.max, since: 0, cpuset: false,
    summary: `Removed after ${releaseByMajor(r.last).name} (${r.last}).`,
  };
}

const NONE: readonly NovaOption[] = [];

export class NovaCatalog {
  private readonly byKey = new OptionMap<NovaOption>();
  private readonly byGroup = new Map<string, NovaOption[]>();
  private readonly aliases = new OptionMap<NovaOption>();
  private readonly gone = new OptionMap<RemovedOption>();
  private readonly later = new OptionMap<NovaOption>();
  private readonly byName = new Map<string, NovaOption[]>();
  private readonly zed = zedOptions();
  private readonly zedCache = new OptionMap<NovaOption>();
  private readonly candidates = new Map<string, string[]>();
  private zedGroupsByName: Map<string, string[]> | undefined;
  private readonly candidatesByLower = new Map<string, Map<string, string>>();

  constructor(readonly release: NovaRelease) {
    const major = release.major;
    const add = (o: NovaOption) => {
      this.byKey.set(o.group, o.name, o);
      let list = this.byGroup.get(o.group);
      if (!list) this.byGroup.set(o.group, (list = []));
      list.push(o);
      const same = this.byName.get(o.name) ?? [];
      same.push(o);
      this.byName.set(o.name, same);
    };
    // Zed's own generator output (26.2.2) is the truth for 26: it has a few stable backports.
    const zedHas = (o: NovaOption) => major === ZED && !!this.zed.option(o.group, o.name);
    for (const r of raw.options) {
      let o = adjustForRelease(fromRaw(r), major);
      if (major === ZED) o = atZed(o);
      if (o.since > major && !zedHas(o)) { this.later.set(o.group, o.name, o); continue; }
      if (o.deprecatedSince !== undefined && o.deprecatedSince > major) o = { ...o, deprecatedForRemoval: undefined, deprecatedSince: undefined };
      // cpu_models only reads the old name from Train on, when the old option went away.
      if (o.deprecatedName && o.since > 0 && o.since > major) o = { ...o, deprecatedName: undefined };
      add(o);
    }
    for (const r of raw.removed) {
      if (r.gone > major) { add(stillPresent(r)); continue; }
      const [g, n] = r.alias ? r.alias.split('.') : [];
      const removed: RemovedOption = { group: r.g, name: r.n, last: r.last, gone: r.gone, alias: r.alias ? { group: g, name: n } : undefined };
      this.gone.set(r.g, r.n, removed);
      const target = removed.alias && this.byKey.get(g, n);
      if (target) this.aliases.set(r.g, r.n, target);
    }
    // Old names oslo.config still reads (deprecated_name), unless the old option itself still exists here.
    for (const o of this.byKey.values()) {
      if (o.deprecatedName && !this.byKey.has(o.group, o.deprecatedName)) this.aliases.set(o.group, o.deprecatedName, o);
    }
  }

  /** The option under its current name in this release. */
  option(group: string, name: string): NovaOption | undefined { return this.byKey.get(group, name); }
  options(group: string): NovaOption[] { return this.byGroup.get(group) ?? []; }
  /** Groups the catalog describes in full ([libvirt]) or for CPU and pinning ([DEFAULT], [compute], [workarounds]). */
  groups(): string[] { return [...this.byGroup.keys()]; }
  /** Every group Nova registers (from Nova 26's option data). */
  novaGroups(): string[] { return this.zed.groups(); }
  /**
   * An old name oslo.config still reads for a current option (cpu_model -> cpu_models,
   * [DEFAULT] remove_unused_base_images -> [image_cache]). Outside our catalog we know the old
   * names Nova 26 reads: used from Zed on (before, the old name may still be the option itself).
   */
  aliasTarget(group: string, name: string): NovaOption | undefined {
    const ours = this.aliases.get(group, name);
    if (ours || this.byKey.has(group, name)) return ours;
    // Before Zed, only old names our history says are still read ([DEFAULT] remove_unused_base_images from Ussuri).
    if (this.release.major < ZED && !this.gone.get(group, name)?.alias) return undefined;
    const z = this.zed.renamedTo(group, name);
    return z && (this.byKey.get(z.group, z.name) ?? this.zedOption(z.group, z.name));
  }
  /** The removal record, when the option is gone by this release. */
  removed(group: string, name: string): RemovedOption | undefined { return this.gone.get(group, name); }
  /** The option, when it exists only in later releases. */
  future(group: string, name: string): NovaOption | undefined { return this.later.get(group, name); }
  /**
   * A Nova 26 option outside our catalog (any group, any type), as Zed defines it: so
   * `[DEFAULT] enabled_apis = ec2,osapi_compute` is judged too. Other releases get Zed's
   * definition as well; rules say how sure that is (zedOnly).
   */
  zedOption(group: string, name: string): NovaOption | undefined {
    let o = this.zedCache.get(group, name);
    if (!o) {
      const z = this.zed.option(group, name);
      if (!z) return undefined;
      this.zedCache.set(group, name, (o = fromZed(z)));
    }
    return o;
  }
  /** Every option (ours at this release, or Nova 26's) that reads group.name as an old name. */
  readersOf(group: string, name: string): readonly NovaOption[] {
    if (this.release.major < ZED && !this.gone.get(group, name)?.alias) return NONE;
    // Rules ask for every key of the file; almost none is an old name.
    const readers = this.zed.readersOf(group, name);
    return readers.length ? readers.map((z) => this.byKey.get(z.group, z.name) ?? this.zedOption(z.group, z.name)!) : NONE;
  }
  /** Whether Nova 26 has the group at all. */
  zedHasGroup(group: string): boolean { return this.zed.hasGroup(group); }

  /** Options of this name in any of our groups. */
  named(name: string): NovaOption[] { return this.byName.get(name) ?? []; }
  /** True when the name is some Nova option of the group, ours or not (so not a typo). */
  isNovaOption(group: string, name: string): boolean {
    return this.byKey.has(group, name) || this.aliases.has(group, name) || !!this.zed.option(group, name) || !!this.zed.renamedTo(group, name);
  }
  /**
   * Whether we know every option of the group in this release, so an unknown key is surely
   * ignored: [libvirt] always (the catalog has its whole history); [compute] and [workarounds]
   * up to Zed; at Zed every group Nova 26 reads (its data has the oslo.* libraries' options and
   * every keystoneauth plugin's, so [DEFAULT] and [neutron] are complete too).
   */
  knowsWholeGroup(group: string): boolean {
    if (group === 'libvirt') return true;
    if ((group === 'compute' || group === 'workarounds') && this.release.major <= ZED) return true;
    return this.release.major === ZED && this.zed.hasGroup(group);
  }
  /** All option names a typo in the group could have meant (built once per group: rules ask per key). */
  candidateNames(group: string): string[] {
    // A group Nova does not have has none (and caching one per misspelt header would keep them all).
    if (!this.byGroup.has(group) && !this.zed.hasGroup(group)) return [];
    let names = this.candidates.get(group);
    if (!names) {
      const set = new Set(this.options(group).map((o) => o.name));
      for (const o of this.zed.options(group)) set.add(o.name);
      this.candidates.set(group, (names = [...set]));
    }
    return names;
  }
  /** The candidate name that differs from `name` only in case, if any. */
  caseTwin(group: string, name: string): string | undefined {
    if (!this.byGroup.has(group) && !this.zed.hasGroup(group)) return undefined;
    let byLower = this.candidatesByLower.get(group);
    if (!byLower) {
      byLower = new Map();
      for (const n of this.candidateNames(group)) if (!byLower.has(n.toLowerCase())) byLower.set(n.toLowerCase(), n);
      this.candidatesByLower.set(group, byLower);
    }
    return byLower.get(name.toLowerCase());
  }
  /** Groups of Nova 26 that have an option of this name (for keys in the wrong section). */
  zedGroupsOf(name: string): string[] {
    // Indexed once by name: rules ask for every unknown key (100,000 keys x 90 groups otherwise).
    if (!this.zedGroupsByName) {
      this.zedGroupsByName = new Map();
      for (const g of this.zed.groups()) {
        for (const o of this.zed.options(g)) {
          const list = this.zedGroupsByName.get(o.name);
          if (!list) this.zedGroupsByName.set(o.name, [g]); else if (!list.includes(g)) list.push(g);
        }
      }
    }
    return this.zedGroupsByName.get(name) ?? [];
  }
}

const cache = new Map<number, NovaCatalog>();
export function novaCatalog(release: NovaRelease): NovaCatalog {
  let c = cache.get(release.major);
  if (!c) cache.set(release.major, (c = new NovaCatalog(release)));
  return c;
}
