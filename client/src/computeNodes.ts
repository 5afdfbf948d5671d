/**
 * The *Compute nodes* view: the inventory sources (server/src/inventory/: the hosts setting, the
 * Ansible inventory setting, ~/.ssh/config's aliases) as groups -> hosts. The tree is the core's
 * (inventoryTree); this file only maps its nodes to TreeItems and keeps the hosts it lists
 * reachable by name for the host commands (targets.ts). Nothing is read in an untrusted
 * workspace: an inventory can be a script Ansible runs.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { loadSources, type InventorySource } from '../../server/src/inventory/sources';
import { inventoryTree, type TreeNode } from '../../server/src/inventory/tree';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { runnerHooks } from './commandLog';
import { hostsSetting, setNodes, setting } from './targets';

export const VIEW_ID = 'novaLibvirtCpu.computeNodes';

/** The inventory setting, a relative path taken from the first workspace folder. */
function inventoryPath(): string | undefined {
  const v = setting<string>('inventory').trim();
  if (!v) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return isAbsolute(v) || !folder || v.includes(',') ? v : join(folder, v);
}

export class ComputeNodes implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loading: Promise<TreeNode[]> | undefined;
  sources: InventorySource[] = [];

  /** Reads the sources again (the refresh action, a settings change, trust granted). */
  refresh(): void {
    this.loading = undefined;
    setNodes([]);
    this.changed.fire(undefined);
  }

  /** The tree's top level, read once per refresh. */
  roots(): Promise<TreeNode[]> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<TreeNode[]> {
    if (!vscode.workspace.isTrusted) return [];
    // ansible-inventory's run goes to the command log like every command a host operation runs.
    const runner = new LocalRunner(runnerHooks);
    try {
      this.sources = await loadSources({ hosts: hostsSetting(), inventory: inventoryPath(), sshConfig: join(homedir(), '.ssh', 'config'), runner });
    } finally {
      runner.endOperation();
      await runner.close();
    }
    const tree = inventoryTree(this.sources);
    const hosts: Array<{ node: TreeNode; source: InventorySource }> = [];
    const walk = (ns: TreeNode[]) => ns.forEach((n) => { if (n.host) hosts.push({ node: n, source: this.sources[n.source] }); walk(n.children); });
    walk(tree);
    setNodes(hosts.map((h) => ({ name: h.node.host!.name, host: h.node.host!, source: h.source })));
    return tree;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return node ? node.children : this.roots();
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children.length ? (n.kind === 'source' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.description = n.description;
    // contextValue drives the view/item/context menus of package.json.
    item.contextValue = n.kind;
    item.iconPath = new vscode.ThemeIcon({ source: 'library', group: 'folder', host: 'server', problem: 'warning' }[n.kind]);
    if (n.kind === 'problem') item.tooltip = n.label;
    return item;
  }
}

/** Every host the view lists, each once by name (for a picker when a node command runs from the palette). */
export function listedHosts(tree: readonly TreeNode[]): TreeNode[] {
  const out = new Map<string, TreeNode>();
  const walk = (ns: readonly TreeNode[]) => ns.forEach((n) => { if (n.kind === 'host' && !out.has(n.label)) out.set(n.label, n); walk(n.children); });
  walk(tree);
  return [...out.values()];
}

export function listedGroups(tree: readonly TreeNode[]): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (ns: readonly TreeNode[]) => ns.forEach((n) => { if (n.kind === 'group') out.push(n); walk(n.children); });
  walk(tree);
  return out;
}
