/**
 * Where a host command runs: this host (the extension host runs on the compute node: Remote-SSH,
 * code-server on the node), a named host from the `novaLibvirtCpu.hosts` setting over OpenSSH,
 * or a host the *Compute nodes* view lists (reached as its source says: Ansible's address, port
 * and user, an ssh alias).
 */
import * as vscode from 'vscode';
import type { Runner } from '../../server/src/hosts/runner';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { SshRunner } from '../../server/src/hosts/sshRunner';
import type { InventoryHost } from '../../server/src/inventory/model';
import { runnerOf, type InventorySource } from '../../server/src/inventory/sources';
import { runnerHooks } from './commandLog';
import { prompts } from './prompts';
import { setting } from './settings';

export const LOCAL = 'localhost';

export function hostsSetting(): string[] {
  const v = setting<unknown>('hosts');
  return Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string' && h.trim() !== '') : [];
}

/** The hosts the *Compute nodes* view lists, by name (the first source naming a host wins, as the view shows it first). */
let nodes = new Map<string, { host: InventoryHost; source: InventorySource }>();

export function setNodes(list: ReadonlyArray<{ name: string; host: InventoryHost; source: InventorySource }>): void {
  nodes = new Map();
  for (const n of list) if (!nodes.has(n.name)) nodes.set(n.name, { host: n.host, source: n.source });
}

export function nodeOf(name: string): { host: InventoryHost; source: InventorySource } | undefined {
  return nodes.get(name);
}

/** `inventory`: the host's connection vars when the caller has them (the advisor's inventory route). */
export function runnerFor(host: string, inventory?: InventoryHost): Runner {
  if (inventory) return runnerOf({}, inventory, runnerHooks);
  if (host === LOCAL) return new LocalRunner(runnerHooks);
  const node = nodes.get(host);
  return node ? runnerOf(node.source, node.host, runnerHooks) : new SshRunner({ destination: host }, runnerHooks);
}

/** Asks for the target host (skipped when there is only this one; the view's hosts are targeted from the view); undefined when cancelled. */
export async function pickHost(title: string): Promise<string | undefined> {
  const hosts = hostsSetting();
  if (hosts.length === 0) return LOCAL;
  const items = [
    { label: 'This host', description: `${LOCAL}: where the extension runs (a Remote-SSH window or code-server on the node)`, host: LOCAL },
    ...hosts.map((h) => ({ label: h, description: 'over ssh (your ssh config, agent and known_hosts)', host: h })),
  ];
  return (await prompts().pick(items, { id: 'host', title, placeHolder: 'Which compute node?' }))?.host;
}

export { setting } from './settings';
