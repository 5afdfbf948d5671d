/**
 * The inventory sources as a tree (what the VS Code "Compute nodes" view and `hosts` print show):
 * source -> groups (Ansible's nesting under `all`) -> hosts. Pure; a group reached twice is
 * shown each time (a host may be in several groups), a cycle in the JSON once.
 */
import type { InventoryHost } from './model';
import { hostDescription, type InventorySource } from './sources';

export interface TreeNode {
  /** Unique within the tree: the path from the source. */
  id: string;
  kind: 'source' | 'group' | 'host' | 'problem';
  label: string;
  description: string;
  children: TreeNode[];
  /** Index into the sources. */
  source: number;
  /** A group node's group name (for --limit). */
  group?: string;
  host?: InventoryHost;
}

const SOURCE_TITLES = { setting: 'Setting', ansible: 'Ansible inventory', 'ssh-config': 'ssh config' } as const;

export function inventoryTree(sources: readonly InventorySource[]): TreeNode[] {
  return sources.map((s, i) => {
    const id = `${i}:${s.kind}`;
    const node: TreeNode = { id, kind: 'source', label: `${SOURCE_TITLES[s.kind]}: ${s.label}`, description: s.reader ? `read by ${s.reader === 'ansible-inventory' ? 'ansible-inventory' : `nova-libvirt-cpu (${s.reader}; Ansible not installed)`}` : '', children: [], source: i };
    if (s.error) {
      node.children.push({ id: `${id}/error`, kind: 'problem', label: s.error, description: '', children: [], source: i });
      return node;
    }
    const inv = s.inventory!;
    const hostNode = (h: string, path: string): TreeNode => {
      const host = inv.hosts.get(h) ?? { name: h };
      return { id: `${path}/h:${h}`, kind: 'host', label: h, description: hostDescription(host), children: [], source: i, host };
    };
    const groupNode = (g: string, path: string, seen: Set<string>): TreeNode => {
      const body = inv.groups.get(g) ?? { hosts: [], children: [] };
      const gid = `${path}/g:${g}`;
      const inner = new Set(seen).add(g);
      const children = [
        ...body.children.filter((c) => !inner.has(c) && inv.groups.has(c)).map((c) => groupNode(c, gid, inner)),
        ...body.hosts.map((h) => hostNode(h, gid)),
      ];
      return { id: gid, kind: 'group', label: g, description: `${countHosts(inv, g)} host(s)`, children, source: i, group: g };
    };
    const tops = inv.groups.has('all') ? inv.groups.get('all')!.children.filter((g) => inv.groups.has(g)) : [...inv.groups.keys()];
    node.children = tops.map((g) => groupNode(g, id, new Set(['all'])));
    for (const w of s.warnings) node.children.push({ id: `${id}/w:${w}`, kind: 'problem', label: w, description: '', children: [], source: i });
    return node;
  });
}

/** Hosts of a group with its children's, each once. */
function countHosts(inv: NonNullable<InventorySource['inventory']>, g: string): number {
  const hosts = new Set<string>();
  const seen = new Set<string>();
  const walk = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    const b = inv.groups.get(n);
    if (!b) return;
    b.hosts.forEach((h) => hosts.add(h));
    b.children.forEach(walk);
  };
  walk(g);
  return hosts.size;
}

/** The tree as indented text (the CLI's `hosts`). */
export function treeText(nodes: readonly TreeNode[], indent = ''): string {
  return nodes.map((n) => {
    const label = n.kind === 'group' ? `@${n.label}` : n.kind === 'problem' ? `! ${n.label}` : n.label;
    return `${indent}${label}${n.description ? `  (${n.description})` : ''}\n${treeText(n.children, `${indent}  `)}`;
  }).join('');
}
