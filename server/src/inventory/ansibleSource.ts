/**
 * An Ansible inventory from whoever can read it: `ansible-inventory --list` when Ansible is
 * installed (it alone knows directories, group_vars/host_vars, dynamic plugins), else our INI and
 * YAML readers (iniInventory.ts, yamlInventory.ts), tried in the order Ansible tries its plugins.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Runner } from '../hosts/runner';
import { decodeText, readRegularFile } from '../core/readFile';
import { MAX_CHECKED_BYTES } from '../core/inputChecks';
import { InventoryError, type Inventory } from './model';
import { readInventory } from './ansibleInventory';
import { readIniInventory } from './iniInventory';
import { readYamlInventory } from './yamlInventory';
import { InventoryData, hostsOfPattern } from './inventoryData';

export type InventoryReader = 'ansible-inventory' | 'ini' | 'yaml' | 'host-list';

export interface LoadedInventory {
  inventory: Inventory;
  reader: InventoryReader;
  /** What the reader skipped (Ansible's warning texts). */
  warnings: string[];
}

/** Ansible's yaml plugin takes these extensions, or none. */
const YAML_EXTENSIONS = new Set(['', '.yaml', '.yml', '.json']);

/** Whether `ansible-inventory` runs here (env exits 127 when it is not on PATH). */
export async function hasAnsible(runner: Runner): Promise<boolean> {
  const r = await runner.run(['env', 'LC_ALL=C.UTF-8', 'ansible-inventory', '--version'], { timeoutMs: 60_000 });
  return !r.error && r.code === 0;
}

/**
 * `reader`: 'auto' (ansible-inventory when present, else ours), 'ansible' (only Ansible), 'ours'
 * (only ours: the tests compare both on the same files).
 */
export async function loadAnsibleInventory(runner: Runner, source: string, reader: 'auto' | 'ansible' | 'ours' = 'auto'): Promise<LoadedInventory> {
  if (reader === 'ansible' || (reader === 'auto' && (await hasAnsible(runner)))) return { inventory: await readInventory(runner, source), reader: 'ansible-inventory', warnings: [] };
  return readWithoutAnsible(source);
}

/** Our readers, in Ansible's plugin order: host_list (`a,b,`), yaml (by extension), ini. */
export function readWithoutAnsible(source: string): LoadedInventory {
  let isFile = false;
  try {
    const st = statSync(source);
    if (st.isDirectory()) throw new InventoryError(`${source} is a directory: an inventory directory (several sources, group_vars, host_vars) is read by ansible-inventory only, and Ansible is not installed here`);
    isFile = st.isFile();
  } catch (e) {
    if (e instanceof InventoryError) throw e;
  }
  if (!isFile && source.includes(',')) return { inventory: hostList(source), reader: 'host-list', warnings: [] };
  const read = readRegularFile(source, MAX_CHECKED_BYTES);
  if (!read.ok) throw new InventoryError(`cannot read the inventory ${source}: ${read.tooLarge !== undefined ? `larger than ${MAX_CHECKED_BYTES} bytes` : read.reason}`);
  const text = decodeText(read.bytes);
  const failures: string[] = [];
  if (YAML_EXTENSIONS.has(extname(source).toLowerCase())) {
    const warnings: string[] = [];
    try {
      return { inventory: nonEmpty(readYamlInventory(text, source, warnings), source), reader: 'yaml', warnings };
    } catch (e) {
      failures.push(`with yaml plugin: ${(e as Error).message}`);
    }
  }
  try {
    return { inventory: nonEmpty(readIniInventory(text, source), source), reader: 'ini', warnings: [] };
  } catch (e) {
    failures.push(`with ini plugin: ${(e as Error).message}`);
  }
  throw new InventoryError(`Unable to parse ${source} as an inventory source (Ansible is not installed here, so nova-libvirt-cpu read it): ${failures.join('; ')}`);
}

function nonEmpty(inv: Inventory, source: string): Inventory {
  if (inv.hosts.size === 0) throw new InventoryError(`${source}: no hosts`);
  return inv;
}

/** Ansible's host_list plugin: `-i 'node1,node2:2222,'`. */
function hostList(source: string): Inventory {
  const data = new InventoryData();
  for (const item of source.split(',').map((s) => s.trim()).filter(Boolean)) {
    const { names, port } = hostsOfPattern(item, false);
    for (const n of names) data.addHost(n, 'ungrouped', port ? { ansible_port: port } : {});
  }
  return data.toInventory();
}
