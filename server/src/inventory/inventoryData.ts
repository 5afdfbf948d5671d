/**
 * Ansible's in-memory inventory (its InventoryData), for our own readers of INI and YAML
 * inventories when Ansible is not installed: groups with hosts, child groups and vars, the
 * implicit `all` and `ungrouped`, and the same reconciliation and variable precedence, so the
 * result is what `ansible-inventory --list` would print for the same file (see toInventory).
 */
import { hostOf, InventoryError, type Inventory, type InventoryHost } from './model';

type Vars = Record<string, unknown>;

interface Group {
  name: string;
  hosts: string[];
  children: string[];
  parents: string[];
  vars: Vars;
  /** Longest path from `all` (Ansible's Group.depth): vars of deeper groups win. */
  depth: number;
}


export class InventoryData {
  private readonly groups = new Map<string, Group>();
  private readonly hostVars = new Map<string, Vars>();
  /** The groups each host was added to, in order (its own, not inherited). */
  private readonly hostGroups = new Map<string, string[]>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): void {
    if (!name) throw new InventoryError('Invalid empty/false group name provided');
    if (!this.groups.has(name)) this.groups.set(name, { name, hosts: [], children: [], parents: [], vars: {}, depth: 0 });
  }

  addHost(name: string, group: string, vars: Vars = {}): void {
    this.addGroup(group);
    const g = this.groups.get(group)!;
    if (!this.hostVars.has(name)) { this.hostVars.set(name, {}); this.hostGroups.set(name, []); }
    Object.assign(this.hostVars.get(name)!, vars);
    if (!g.hosts.includes(name)) { g.hosts.push(name); this.hostGroups.get(name)!.push(group); }
  }

  setGroupVars(group: string, vars: Vars): void {
    this.addGroup(group);
    Object.assign(this.groups.get(group)!.vars, vars);
  }

  addChild(parent: string, child: string): void {
    if (parent === child) throw new InventoryError(`Adding group '${child}' as child to '${parent}' creates a recursive dependency loop.`);
    this.addGroup(parent);
    this.addGroup(child);
    const p = this.groups.get(parent)!;
    const c = this.groups.get(child)!;
    if (this.ancestors(parent).has(child)) throw new InventoryError(`Adding group '${child}' as child to '${parent}' creates a recursive dependency loop.`);
    if (!p.children.includes(child)) { p.children.push(child); c.parents.push(parent); }
  }

  private ancestors(name: string): Set<string> {
    const out = new Set<string>();
    const walk = (n: string) => { for (const p of this.groups.get(n)?.parents ?? []) if (!out.has(p)) { out.add(p); walk(p); } };
    walk(name);
    return out;
  }

  /**
   * Ansible's reconcile_inventory: a group with no parent becomes a child of `all`, a host in no
   * group but `all` goes to `ungrouped`; then depths (longest path from `all`).
   */
  private reconcile(): void {
    for (const g of this.groups.values()) if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    for (const [h, gs] of this.hostGroups) if (gs.every((g) => g === 'all')) this.addHost(h, 'ungrouped');
    const depth = (name: string, seen: Set<string>): number => {
      const g = this.groups.get(name)!;
      if (!g.parents.length || seen.has(name)) return 0;
      seen.add(name);
      const d = 1 + Math.max(...g.parents.map((p) => depth(p, seen)));
      seen.delete(name);
      return d;
    };
    for (const g of this.groups.values()) g.depth = depth(g.name, new Set());
  }

  /** A host's merged vars: its groups and their ancestors, shallow first (then by name), then its own. */
  private mergedVars(host: string): Vars {
    const all = new Set<string>(['all']);
    for (const g of this.hostGroups.get(host) ?? []) { all.add(g); for (const a of this.ancestors(g)) all.add(a); }
    const ordered = [...all].map((n) => this.groups.get(n)!).sort((a, b) => a.depth - b.depth || priority(a) - priority(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return Object.assign({}, ...ordered.map((g) => g.vars), this.hostVars.get(host));
  }

  /**
   * What `ansible-inventory --list` prints, as parseInventoryJson reads it: a group appears only
   * with hosts or children (it still shows as its parent's child), `all` lists no hosts.
   */
  toInventory(): Inventory {
    this.reconcile();
    const groups: Inventory['groups'] = new Map();
    for (const name of [...this.groups.keys()].sort()) {
      const g = this.groups.get(name)!;
      const hosts = name === 'all' ? [] : [...g.hosts];
      if (hosts.length || g.children.length) groups.set(name, { hosts, children: [...g.children] });
    }
    const hosts = new Map<string, InventoryHost>();
    for (const g of groups.values()) for (const h of g.hosts) if (!hosts.has(h)) hosts.set(h, hostOf(h, this.mergedVars(h)));
    return { hosts, groups };
  }
}

function priority(g: Group): number {
  const p = Number(g.vars.ansible_group_priority);
  return Number.isFinite(p) ? p : 1;
}

/** At most this many hosts from one range pattern: a typo like [1:99999999] must not eat the memory. */
export const MAX_RANGE_HOSTS = 100_000;

/**
 * Ansible's expand_hostname_range: `web[01:03].x` -> web01.x, web02.x, web03.x; `[a:c]`
 * letters; an optional `:step`; several ranges multiply. Ansible's own error texts.
 */
export function expandHostPattern(pattern: string): string[] {
  const open = pattern.indexOf('[');
  if (open < 0 || !pattern.includes(']', open)) return [pattern];
  const close = pattern.indexOf(']', open);
  const head = pattern.slice(0, open);
  const body = pattern.slice(open + 1, close);
  const tail = pattern.slice(close + 1);
  if (!body.includes(':')) return [pattern];
  const parts = body.split(':');
  if (parts.length > 3) throw new InventoryError(`host range must be begin:end or begin:end:step`);
  const [beg0, end, stepText] = parts;
  const beg = beg0 === '' ? '0' : beg0;
  if (!end) throw new InventoryError('host range must specify end value');
  const step = stepText === undefined || stepText === '' ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new InventoryError(`host range step must be a positive whole number, not '${stepText}'`);
  let items: string[];
  if (/^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end)) {
    if (beg > end) throw new InventoryError('host range must have begin <= end');
    items = [];
    for (let c = beg.charCodeAt(0); c <= end.charCodeAt(0); c += step) items.push(String.fromCharCode(c));
  } else if (/^\d+$/.test(beg) && /^\d+$/.test(end)) {
    const width = beg.startsWith('0') && beg.length > 1 ? beg.length : 0;
    if (width && width !== end.length) throw new InventoryError('host range must specify equal-length begin and end formats');
    const b = Number(beg);
    const e = Number(end);
    if (b > e) throw new InventoryError('host range must have begin <= end');
    if ((e - b) / step + 1 > MAX_RANGE_HOSTS) throw new InventoryError(`host range [${body}] names more than ${MAX_RANGE_HOSTS} hosts`);
    items = [];
    for (let i = b; i <= e; i += step) items.push(width ? String(i).padStart(width, '0') : String(i));
  } else throw new InventoryError('host range format is incorrectly specified');
  const rest = expandHostPattern(tail);
  if (items.length * rest.length > MAX_RANGE_HOSTS) throw new InventoryError(`host pattern ${pattern} names more than ${MAX_RANGE_HOSTS} hosts`);
  return items.flatMap((i) => rest.map((r) => head + i + r));
}

/**
 * A host pattern as Ansible's parse_address reads it in an inventory: `name`, `name:port`,
 * `[v6addr]:port`, or a bare IPv6 address; ranges expanded (not for `-i a,b,`: Ansible's host_list
 * plugin takes names as written). The port becomes ansible_port.
 */
export function hostsOfPattern(pattern: string, ranges = true): { names: string[]; port?: number } {
  let name = pattern;
  let port: number | undefined;
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(pattern);
  const withPort = /^([^:]+):(\d+)$/.exec(pattern);
  if (v6) { name = v6[1]; if (v6[2]) port = Number(v6[2]); }
  else if (withPort) { name = withPort[1]; port = Number(withPort[2]); }
  if (port !== undefined && !(port > 0 && port < 65536)) throw new InventoryError(`Not a valid network hostname: ${pattern}`);
  return { names: v6 || !ranges ? [name] : expandHostPattern(name), ...(port ? { port } : {}) };
}
