/**
 * Values keyed by (group, name), in two levels of Map. Rules look up each key of a file several
 * times (100,000 keys in a generated one): a lookup then hashes the group and the name, strings
 * that keep their hash, instead of building and hashing a new `group\0name` string each time; a
 * group nobody has fails at the first level. values() keeps insertion order, as a Map's does.
 */
export class OptionMap<V> {
  private readonly groups = new Map<string, Map<string, number>>();
  private readonly list: V[] = [];

  get(group: string, name: string): V | undefined {
    const i = this.groups.get(group)?.get(name);
    return i === undefined ? undefined : this.list[i];
  }

  has(group: string, name: string): boolean {
    return this.groups.get(group)?.has(name) ?? false;
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  set(group: string, name: string, value: V): void {
    let names = this.groups.get(group);
    if (!names) this.groups.set(group, (names = new Map()));
    const i = names.get(name);
    if (i === undefined) { names.set(name, this.list.length); this.list.push(value); } else this.list[i] = value;
  }

  values(): readonly V[] {
    return this.list;
  }
}
