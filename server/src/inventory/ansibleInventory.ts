/**
 * An Ansible inventory read by Ansible itself: `ansible-inventory -i INV --list` prints the
 * resolved JSON (groups, children, every host's merged vars), so INI, YAML, directories and
 * dynamic inventory plugins all mean what they mean to ansible-playbook. We only walk that JSON.
 * Shared by the advisor and (later) the rollout; runs through a Runner, argv only.
 */
import type { Runner } from '../hosts/runner';
import { hostOf, InventoryError, type Inventory, type InventoryHost } from './model';

export type { Inventory, InventoryHost } from './model';
export { InventoryError } from './model';

/** Runs `ansible-inventory -i INV --list` (ansible-core 2.14 has no --limit there: see selectHosts). */
export async function readInventory(runner: Runner, inventory: string): Promise<Inventory> {
  // Ansible refuses to start without a UTF-8 locale ("Ansible requires the locale encoding to be UTF-8").
  const r = await runner.run(['env', 'LC_ALL=C.UTF-8', 'ansible-inventory', '-i', inventory, '--list'], { timeoutMs: 120_000 });
  if (r.error) throw new InventoryError(`ansible-inventory: ${r.error}`);
  if (r.code !== 0) throw new InventoryError(`ansible-inventory -i ${inventory} --list failed (exit ${r.code ?? r.signal}): ${r.stderr.toString('utf8').trim()}`);
  // ansible-inventory warns on stderr ("Unable to parse ... as an inventory source") and still exits 0 with an empty inventory.
  const warnings = r.stderr.toString('utf8').split('\n').filter((l) => /\[WARNING\]/.test(l));
  const inv = parseInventoryJson(r.stdout.toString('utf8'));
  if (inv.hosts.size === 0) throw new InventoryError(`ansible-inventory found no hosts in ${inventory}${warnings.length ? `: ${warnings.join(' ').trim()}` : ''}`);
  return inv;
}

export function parseInventoryJson(text: string): Inventory {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InventoryError(`ansible-inventory printed no JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object') throw new InventoryError('ansible-inventory printed no JSON object');
  const obj = raw as Record<string, unknown>;
  const meta = (obj._meta as { hostvars?: Record<string, Record<string, unknown>> } | undefined)?.hostvars ?? {};
  const groups = new Map<string, { hosts: string[]; children: string[] }>();
  const hosts = new Map<string, InventoryHost>();
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  for (const [name, g] of Object.entries(obj)) {
    if (name === '_meta' || !g || typeof g !== 'object') continue;
    const group = { hosts: strings((g as Record<string, unknown>).hosts), children: strings((g as Record<string, unknown>).children) };
    groups.set(name, group);
    for (const h of group.hosts) if (!hosts.has(h)) hosts.set(h, hostOf(h, meta[h] ?? {}));
  }
  return { hosts, groups };
}

/**
 * `--limit`: comma- or colon-separated group and host names (Ansible's union). The pattern
 * language (wildcards, `!`, `&`, `~regex`) is refused rather than half-implemented.
 */
export function selectHosts(inv: Inventory, limit: string | undefined): InventoryHost[] {
  if (limit === undefined) return [...inv.hosts.values()];
  const names = limit.split(/[,:]/).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InventoryError('--limit names no group or host');
  const out = new Map<string, InventoryHost>();
  for (const n of names) {
    if (/[*?!&~\[\]]/.test(n)) throw new InventoryError(`--limit '${n}': only group and host names are supported here, not Ansible patterns`);
    if (inv.groups.has(n)) collect(inv, n, out, new Set());
    else if (inv.hosts.has(n)) out.set(n, inv.hosts.get(n)!);
    else throw new InventoryError(`--limit '${n}' is neither a group nor a host of the inventory (groups: ${[...inv.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped').join(', ') || 'none'})`);
  }
  return [...out.values()];
}

function collect(inv: Inventory, group: string, out: Map<string, InventoryHost>, seen: Set<string>): void {
  if (seen.has(group)) return;
  seen.add(group);
  const g = inv.groups.get(group);
  if (!g) return;
  for (const h of g.hosts) out.set(h, inv.hosts.get(h)!);
  for (const c of g.children) collect(inv, c, out, seen);
}
