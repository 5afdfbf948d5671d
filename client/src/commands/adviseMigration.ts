/**
 * *Advise a migration-safe CPU model*: the advisor (server/src/advise/) over host CPU files or an
 * Ansible inventory's hosts, shown as a Markdown preview (the hosts × models table, the nova.conf
 * recommendation, the losses, the aggregate split, the custom-model route, the set-cpu-mode lines).
 * `args` lets the e2e tests and other commands name the input instead of the pickers.
 */
import * as vscode from 'vscode';
import { advise } from '../../../server/src/advise/advisor';
import { renderAdvice } from '../../../server/src/advise/render';
import { hostsFromText } from '../../../server/src/advise/hostFiles';
import { collectHosts, inventoryRunner } from '../../../server/src/advise/collect';
import type { Advice, AdviseHost } from '../../../server/src/advise/types';
import { selectHosts } from '../../../server/src/inventory/ansibleInventory';
import { loadAnsibleInventory } from '../../../server/src/inventory/ansibleSource';
import { LocalRunner } from '../../../server/src/hosts/localRunner';
import { decodeText, readRegularFile } from '../../../server/src/core/readFile';
import { MAX_CHECKED_BYTES } from '../../../server/src/core/inputChecks';
import type { InventoryHost } from '../../../server/src/inventory/model';
import type { CpuModeChange } from '../../../server/src/ops/types';
import { knowledge } from '../knowledgeOf';
import type { RolloutArgs } from './rolloutCpuMode';
import { prompts } from '../prompts';
import { runnerFor, setting } from '../targets';

export interface AdviseArgs {
  hostCpuFiles?: string[];
  inventory?: string;
  limit?: string;
  /** Hosts by name as the *Compute nodes* view lists them (a group's hosts), reached through targets.ts. */
  nodes?: string[];
  /** Shown in the title (the group). */
  title?: string;
  /** Straight to the roll-out of the recommendation (what the notification's *Apply…* does). */
  apply?: boolean;
}

/** The advisor's recommendation as a roll-out to the hosts it was computed for. */
export function applyArgs(advice: Advice, a: AdviseArgs, inventoryHosts: InventoryHost[]): RolloutArgs {
  const change: CpuModeChange = { mode: 'custom', models: advice.cpu_models, extraFlags: advice.cpu_model_extra_flags };
  const title = a.title ?? (a.inventory ? `${a.inventory}${a.limit ? ` (${a.limit})` : ''}` : 'the advised hosts');
  const collected = new Set(advice.hosts.map((h) => h.name));
  return inventoryHosts.length
    ? { nodes: [], hosts: inventoryHosts.filter((h) => collected.has(h.name)), title, change, ...(a.inventory ? { inventory: a.inventory } : {}) }
    : { nodes: (a.nodes ?? []).filter((n) => collected.has(n)), title, change, ...(a.inventory ? { inventory: a.inventory } : {}) };
}

function readHosts(paths: readonly string[]): AdviseHost[] {
  return paths.flatMap((p) => {
    const r = readRegularFile(p, MAX_CHECKED_BYTES);
    if (!r.ok) throw new Error(`cannot read ${p}: ${r.tooLarge !== undefined ? 'too large' : r.reason}`);
    return hostsFromText(p, decodeText(r.bytes));
  });
}

async function askArgs(): Promise<AdviseArgs | undefined> {
  const source = await prompts().pick([
    { label: 'Host CPU files', description: "each a <cpu> as 'virsh capabilities' prints it", id: 'files' },
    { label: 'Ansible inventory', description: 'each host\'s virsh over ssh (ansible-inventory --list)', id: 'inventory' },
  ], { id: 'advise-source', title: 'Advise a migration-safe CPU model: where are the hosts?' });
  if (!source) return undefined;
  if (source.id === 'files') {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: true, filters: { 'Host CPU XML': ['xml'] }, title: 'Host CPU files' });
    return uris?.length ? { hostCpuFiles: uris.map((u) => u.fsPath) } : undefined;
  }
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, canSelectFolders: true, title: 'Ansible inventory (file or directory)' });
  if (!uris?.length) return undefined;
  const limit = await prompts().input({ id: 'advise-limit', prompt: 'Groups or hosts (comma-separated); empty for all', value: '' });
  if (limit === undefined) return undefined;
  return { inventory: uris[0].fsPath, ...(limit.trim() ? { limit: limit.trim() } : {}) };
}

export async function adviseMigration(args?: AdviseArgs): Promise<Advice | undefined> {
  const a = args ?? (await askArgs());
  if (!a) return undefined;
  let hosts: AdviseHost[];
  let failed: Array<{ name: string; reason: string }> = [];
  let inventoryHosts: InventoryHost[] = [];
  if (a.hostCpuFiles?.length) hosts = readHosts(a.hostCpuFiles);
  else if (a.inventory || a.nodes?.length) {
    const { inventory, nodes } = a;
    const got = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Collecting host CPUs…' }, async () => {
      if (nodes?.length) return collectHosts(nodes.map((name) => ({ name })), (h) => runnerFor(h.name), { uri: setting<string>('libvirtUri') });
      inventoryHosts = selectHosts((await loadAnsibleInventory(new LocalRunner(), inventory!)).inventory, a.limit);
      return collectHosts(inventoryHosts, (h) => inventoryRunner(h), { uri: setting<string>('libvirtUri') });
    });
    hosts = got.hosts;
    failed = got.failed;
  } else throw new Error('no host CPU files or inventory given');
  if (!hosts.length) throw new Error(`no host CPU could be read${failed.length ? `: ${failed.map((f) => `${f.name}: ${f.reason}`).join('; ')}` : ''}`);
  const advice = advise(hosts, knowledge().catalog);
  if (failed.length) advice.notCollected = failed;
  const md = [`# Migration advice${a.title ? ` for ${a.title}` : ''} (${hosts.length} host${hosts.length === 1 ? '' : 's'})`, '', renderAdvice(advice, 'markdown')];
  if (failed.length) md.push('### Not collected', '', ...failed.map((f) => `- ${f.name}: \`${f.reason.replace(/`/g, "'")}\``), '');
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md.join('\n') });
  await vscode.window.showTextDocument(doc, { preview: true });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => undefined);
  // Hosts we can reach (not CPU files) and a model they all run: offer the roll-out of the recommendation.
  if ((a.nodes?.length || a.inventory) && advice.cpu_models.length) {
    const args = applyArgs(advice, a, inventoryHosts);
    const what = `cpu_mode = custom, cpu_models = ${advice.cpu_models.join(', ')}${advice.cpu_model_extra_flags.length ? `, cpu_model_extra_flags = ${advice.cpu_model_extra_flags.join(', ')}` : ''}`;
    if (a.apply) await vscode.commands.executeCommand('novaLibvirtCpu.rolloutCpuMode', args);
    else void vscode.window.showInformationMessage(`Apply ${what} to ${args.title}?`, 'Apply…').then((x) => { if (x) void vscode.commands.executeCommand('novaLibvirtCpu.rolloutCpuMode', args); });
  }
  return advice;
}
