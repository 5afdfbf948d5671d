/**
 * The *Compute nodes* view's actions: refresh, and the host commands on the host or group the
 * action was invoked on (from the palette: a picker of the view's hosts or groups). They call
 * the existing commands with the host preset; targets.ts reaches it as its source says.
 */
import { selectHosts } from '../../../server/src/inventory/ansibleInventory';
import type { TreeNode } from '../../../server/src/inventory/tree';
import { listedGroups, listedHosts, type ComputeNodes } from '../computeNodes';
import { prompts } from '../prompts';
import { setNovaCpuMode } from './setNovaCpuMode';
import { showHostProfile } from './showHostProfile';
import { checkNestedVirtualization } from './checkNested';
import { adviseMigration } from './adviseMigration';
import { rolloutCpuMode, type RolloutArgs } from './rolloutCpuMode';

const isNode = (n: unknown): n is TreeNode => !!n && typeof n === 'object' && 'kind' in n && 'id' in n;

export async function hostArg(view: ComputeNodes, n: unknown, title: string): Promise<string | undefined> {
  if (isNode(n) && n.kind === 'host') return n.label;
  const hosts = listedHosts(await view.roots());
  if (!hosts.length) throw new Error('the Compute nodes view lists no host: set novaLibvirtCpu.inventory or novaLibvirtCpu.hosts, or add Host entries to ~/.ssh/config');
  return (await prompts().pick(hosts.map((h) => ({ label: h.label, description: h.description, host: h.label })), { id: 'node', title, placeHolder: 'Which compute node?' }))?.host;
}

/** A group node's hosts (through its children), by name; `label` for titles. */
export async function groupArg(view: ComputeNodes, n: unknown, title: string): Promise<{ label: string; hosts: string[]; inventory?: string } | undefined> {
  let node = isNode(n) && (n.kind === 'group' || n.kind === 'source') ? n : undefined;
  if (!node) {
    const groups = listedGroups(await view.roots());
    if (!groups.length) throw new Error('the Compute nodes view lists no group: set novaLibvirtCpu.inventory or novaLibvirtCpu.hosts');
    node = (await prompts().pick(groups.map((g) => ({ label: g.label, description: `${g.description} · ${view.sources[g.source].label}`, node: g })), { id: 'group', title, placeHolder: 'Which group?' }))?.node;
    if (!node) return undefined;
  }
  const source = view.sources[node.source];
  const hosts = node.kind === 'group' && source.inventory ? selectHosts(source.inventory, node.group).map((h) => h.name) : listedHosts([node]).map((h) => h.label);
  return { label: node.kind === 'group' ? `group ${node.label}` : node.label, hosts, ...(source.kind === 'ansible' ? { inventory: source.label } : {}) };
}

const isRolloutArgs = (a: unknown): a is RolloutArgs => !!a && typeof a === 'object' && Array.isArray((a as RolloutArgs).nodes);

/** `cliPath`: this extension's dist/cli.js (the rollout's Ansible helper). */
export const nodeCommands = (view: ComputeNodes, cliPath: string) => ({
  'novaLibvirtCpu.refreshComputeNodes': async () => { view.refresh(); return view.roots(); },
  'novaLibvirtCpu.setNovaCpuModeOnNode': async (n?: unknown) => { const h = await hostArg(view, n, 'Set Nova CPU mode on'); return h && setNovaCpuMode(undefined, h); },
  'novaLibvirtCpu.showNodeProfile': async (n?: unknown) => { const h = await hostArg(view, n, 'Show host profile of'); return h && showHostProfile(h); },
  'novaLibvirtCpu.checkNestedOnNode': async (n?: unknown) => { const h = await hostArg(view, n, 'Check nested virtualization on'); return h && checkNestedVirtualization(h); },
  'novaLibvirtCpu.adviseGroup': async (n?: unknown) => { const g = await groupArg(view, n, 'Advise a migration-safe CPU model for'); return g && adviseMigration({ nodes: g.hosts, title: g.label, ...(g.inventory ? { inventory: g.inventory } : {}) }); },
  // From the view (a group node), the palette (a picker), or with its arguments (the advisor's Apply).
  'novaLibvirtCpu.rolloutCpuMode': async (n?: unknown) => {
    if (isRolloutArgs(n)) return rolloutCpuMode(n, cliPath);
    const g = await groupArg(view, n, 'Roll out a CPU mode to');
    return g && rolloutCpuMode({ nodes: g.hosts, title: g.label, ...(g.inventory ? { inventory: g.inventory } : {}) }, cliPath);
  },
});
