/**
 * Every place compute nodes are named, as inventories: the `novaLibvirtCpu.hosts` setting, an
 * Ansible inventory (ansibleSource.ts) and the user's ssh config aliases (sshConfig.ts). A source
 * that cannot be read is kept with its error, so the others still show. Shared by the CLI's
 * `hosts` and the VS Code tree; `tree` turns them into groups -> hosts.
 */
import type { Runner, RunnerHooks } from '../hosts/runner';
import { LocalRunner } from '../hosts/localRunner';
import { SshRunner } from '../hosts/sshRunner';
import type { Inventory, InventoryHost } from './model';
import { loadAnsibleInventory, type InventoryReader } from './ansibleSource';
import { aliasInventory, sshConfigAliases } from './sshConfig';

export type SourceKind = 'setting' | 'ansible' | 'ssh-config';

export interface InventorySource {
  kind: SourceKind;
  /** The setting's name, the inventory's path, the ssh config's path. */
  label: string;
  reader?: InventoryReader;
  inventory?: Inventory;
  error?: string;
  warnings: string[];
  /** For ssh-config: the file (ssh -F) the aliases are defined in. */
  sshConfig?: string;
}

export interface SourceOptions {
  /** The hosts setting: ssh destinations. */
  hosts?: readonly string[];
  /** An Ansible inventory (file, directory, or `a,b,` list). */
  inventory?: string;
  /** An ssh config whose aliases are hosts; undefined: none. */
  sshConfig?: string;
  reader?: 'auto' | 'ansible' | 'ours';
  /** Runs ansible-inventory (default: here). */
  runner?: Runner;
}

export const HOSTS_SETTING = 'novaLibvirtCpu.hosts';
/** The group the hosts setting's entries are in. */
export const SETTING_GROUP = 'hosts_setting';

export async function loadSources(o: SourceOptions): Promise<InventorySource[]> {
  const out: InventorySource[] = [];
  if (o.hosts?.length) {
    const names = [...new Set(o.hosts.map((h) => h.trim()).filter(Boolean))];
    out.push({ kind: 'setting', label: HOSTS_SETTING, warnings: [], inventory: { hosts: new Map(names.map((n) => [n, { name: n }])), groups: new Map([[SETTING_GROUP, { hosts: names, children: [] }]]) } });
  }
  if (o.inventory) {
    const runner = o.runner ?? new LocalRunner();
    try {
      const got = await loadAnsibleInventory(runner, o.inventory, o.reader);
      out.push({ kind: 'ansible', label: o.inventory, reader: got.reader, inventory: got.inventory, warnings: got.warnings });
    } catch (e) {
      out.push({ kind: 'ansible', label: o.inventory, error: (e as Error).message, warnings: [] });
    } finally {
      if (!o.runner) await runner.close();
    }
  }
  if (o.sshConfig) {
    const got = sshConfigAliases(o.sshConfig);
    out.push({ kind: 'ssh-config', label: o.sshConfig, sshConfig: o.sshConfig, inventory: aliasInventory(got.aliases), warnings: got.problems });
  }
  return out;
}

/** The OpenSSH destination of an inventory host (user@address, port), or 'localhost' for ansible_connection=local. */
export function inventoryDestination(h: InventoryHost): { destination: string; port?: number } {
  if (h.connection === 'local') return { destination: 'localhost' };
  const host = h.address ?? h.name;
  return { destination: h.user ? `${h.user}@${host}` : host, ...(h.port ? { port: h.port } : {}) };
}

/**
 * How a host of a source is reached: here for ansible_connection=local, else OpenSSH to
 * user@address:port (Ansible's vars), or to the alias / destination itself (ssh applies the config).
 */
export function runnerOf(source: Pick<InventorySource, 'sshConfig'>, h: InventoryHost, hooks: RunnerHooks = {}): Runner {
  if (h.connection === 'local') return new LocalRunner(hooks);
  return new SshRunner({ ...inventoryDestination(h), ...(source.sshConfig ? { configFile: source.sshConfig } : {}) }, hooks);
}

/** `user@address:port`, `local`, or nothing when the name is all there is. */
export function hostDescription(h: InventoryHost): string {
  if (h.connection === 'local') return 'local';
  if (!h.address && !h.user && !h.port) return '';
  return `${h.user ? `${h.user}@` : ''}${h.address ?? h.name}${h.port ? `:${h.port}` : ''}`;
}
