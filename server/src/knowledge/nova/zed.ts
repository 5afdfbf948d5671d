/**
 * Every option Nova 26 (Zed) reads from nova.conf, in every group, typed as oslo.config defines
 * it: server/data/nova-zed.json, generated from python3-nova by scripts/gen-nova-zed.py (Nova's
 * own namespaces, oslo.* and keystoneauth plugin options). Our release-aware catalog
 * (catalog.ts) covers [libvirt] and the CPU options across releases; this covers the rest, at Zed.
 * Built once, on first use.
 */
import data from '../../../data/nova-zed.json';
import type { OsloType } from './osloTypes';
import { OptionMap } from './optionMap';

export interface ZedOption {
  group: string;
  name: string;
  type: OsloType;
  /** MultiStrOpt and friends: every occurrence counts. */
  multi: boolean;
  /** Old (group, name) pairs oslo.config still reads for it, in the order it tries them. */
  deprecated: Array<{ group: string; name: string }>;
  /** Set when deprecated for removal: the reason ('' when none is given). */
  deprecatedForRemoval?: string;
  deprecatedSince?: string;
}

interface RawZed { t: OsloType; multi?: 1; dep?: Array<[string | null, string | null]>; dfr?: string; ds?: string }
const raw = (data as unknown as { groups: Record<string, Record<string, RawZed>> }).groups;

const normalize = (group: string) => (group === 'DEFAULT' ? group : group.toLowerCase());

export class ZedOptions {
  private readonly byKey = new OptionMap<ZedOption>();
  private readonly byGroup = new Map<string, ZedOption[]>();
  private readonly oldNames = new OptionMap<ZedOption>();
  private readonly readers = new OptionMap<ZedOption[]>();

  constructor(groups: Record<string, Record<string, RawZed>>) {
    for (const [group, options] of Object.entries(groups)) {
      const list: ZedOption[] = [];
      for (const [name, r] of Object.entries(options)) {
        const o: ZedOption = {
          group, name, type: r.t, multi: !!r.multi,
          // A DeprecatedOpt without a group is in the option's group; without a name it is the same name.
          deprecated: (r.dep ?? []).map(([g, n]) => ({ group: g ? normalize(g) : group, name: n ?? name })),
          deprecatedForRemoval: r.dfr, deprecatedSince: r.ds,
        };
        list.push(o);
        this.byKey.set(group, name, o);
      }
      this.byGroup.set(group, list);
    }
    for (const o of this.byKey.values()) {
      for (const d of o.deprecated) {
        const readers = this.readers.get(d.group, d.name);
        if (readers) readers.push(o); else this.readers.set(d.group, d.name, [o]);
        if (!this.byKey.has(d.group, d.name) && !this.oldNames.has(d.group, d.name)) this.oldNames.set(d.group, d.name, o);
      }
    }
  }

  option(group: string, name: string): ZedOption | undefined { return this.byKey.get(group, name); }
  options(group: string): ZedOption[] { return this.byGroup.get(group) ?? []; }
  groups(): string[] { return [...this.byGroup.keys()]; }
  hasGroup(group: string): boolean { return this.byGroup.has(group); }
  /** The option an old name is still read for (`[DEFAULT] vnc_enabled` -> `[vnc] enabled`). */
  renamedTo(group: string, name: string): ZedOption | undefined { return this.oldNames.get(group, name); }
  /**
   * Every option that reads (group, name) as an old name: [DEFAULT] sql_max_overflow is read by
   * [database] and [api_database] max_overflow; [key_manager] auth_url, itself an option, by [barbican].
   */
  readersOf(group: string, name: string): ZedOption[] { return this.readers.get(group, name) ?? []; }
}

let built: ZedOptions | undefined;
export function zedOptions(): ZedOptions {
  return (built ??= new ZedOptions(raw));
}
