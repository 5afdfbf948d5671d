/**
 * `nova-libvirt-cpu hosts`: the compute nodes the fleet commands see (inventory/sources.ts):
 * an Ansible inventory's groups and hosts, the ssh config's aliases; with --limit, the hosts a
 * `advise --inventory INV --limit GROUP` would reach, and how.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InventoryError, selectHosts } from '../inventory/ansibleInventory';
import { hostDescription, loadSources, type InventorySource } from '../inventory/sources';
import { inventoryTree, treeText } from '../inventory/tree';
import type { Io } from './hostCommands';
import { parseStrict, textOrJson, UsageError } from './args';

export const HOSTS_USAGE = `Usage: nova-libvirt-cpu hosts [--inventory INV [--limit NAMES]] [--ssh-config FILE] [--format text|json]

The compute nodes as the fleet commands (advise, rollout) see them: an Ansible inventory's groups
and hosts (read by 'ansible-inventory -i INV --list'; without Ansible, INI and YAML inventories
are read by nova-libvirt-cpu the way Ansible reads them), and the Host aliases of an ssh config.

  --inventory INV        an Ansible inventory (file, directory with Ansible, or 'a,b,' list)
  --limit NAMES          inventory groups or hosts, comma-separated: list the hosts they select
  --ssh-config FILE      list FILE's Host aliases (without --inventory: ~/.ssh/config's)
  --no-ansible           read INV with nova-libvirt-cpu's INI/YAML reader even when Ansible is here
  --format text|json     (default text)
  -h, --help

Exit status: 0 listed, 2 usage error or an inventory that cannot be read.`;


const OPTIONS = {
  inventory: { type: 'string' }, limit: { type: 'string' }, 'ssh-config': { type: 'string' }, 'no-ansible': { type: 'boolean' },
  format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

function sourceJson(s: InventorySource) {
  return {
    kind: s.kind, source: s.label, ...(s.reader ? { reader: s.reader } : {}), ...(s.error ? { error: s.error } : {}), warnings: s.warnings,
    groups: Object.fromEntries([...(s.inventory?.groups ?? new Map())].map(([g, b]) => [g, b])),
    hosts: [...(s.inventory?.hosts.values() ?? [])],
  };
}

async function run(argv: string[], io: Io): Promise<number> {
  const v = parseStrict({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  if (v.help) { io.out(`${HOSTS_USAGE}\n`); return 0; }
  const format = textOrJson(v.format);
  if (v.limit !== undefined && !v.inventory) throw new UsageError('--limit needs --inventory');
  if (v['no-ansible'] && !v.inventory) throw new UsageError('--no-ansible needs --inventory');
  const sshConfig = v['ssh-config'] ?? (v.inventory ? undefined : join(homedir(), '.ssh', 'config'));
  const sources = await loadSources({ inventory: v.inventory, sshConfig, reader: v['no-ansible'] ? 'ours' : 'auto' });
  const broken = sources.find((s) => s.error);
  if (broken) { io.err(`nova-libvirt-cpu: ${broken.error}\n`); return 2; }
  for (const s of sources) for (const w of s.warnings) io.err(`nova-libvirt-cpu: warning: ${s.label}: ${w}\n`);
  if (v.limit !== undefined) {
    const inv = sources.find((s) => s.kind === 'ansible')!;
    const hosts = selectHosts(inv.inventory!, v.limit);
    if (format === 'json') io.out(`${JSON.stringify({ source: inv.label, reader: inv.reader, limit: v.limit, hosts }, null, 2)}\n`);
    else io.out(hosts.map((h) => `${h.name}${hostDescription(h) ? `  ${hostDescription(h)}` : ''}\n`).join(''));
    return 0;
  }
  if (format === 'json') io.out(`${JSON.stringify({ sources: sources.map(sourceJson) }, null, 2)}\n`);
  else io.out(treeText(inventoryTree(sources)));
  return 0;
}

export async function runHosts(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) { io.err(`nova-libvirt-cpu: ${e.message}\n\n${HOSTS_USAGE}\n`); return 2; }
    if (e instanceof InventoryError) { io.err(`nova-libvirt-cpu: ${e.message}\n`); return 2; }
    throw e;
  }
}
