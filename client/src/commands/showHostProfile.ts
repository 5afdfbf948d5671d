/** *Show host profile*: the learnt profile as a markdown preview (learnt first when not yet). */
import * as vscode from 'vscode';
import type { HostProfile } from '../../../server/src/hosts/hostProfile';
import { activeProfile, learnProfile, profileOf } from '../hostProfileState';
import { pickHost } from '../targets';

export function profileMarkdown(p: HostProfile): string {
  const list = (xs: readonly (string | number)[] | undefined) => (xs && xs.length ? xs.join(', ') : '—');
  const yes = (b: boolean | undefined) => (b === undefined ? 'unknown' : b ? 'yes' : 'no');
  const lines = [
    `# Host profile: ${p.host}`, '', `Gathered ${p.gatheredAt} from \`${p.uri}\`${p.virtType ? ` (domain type ${p.virtType})` : ''}.`, '',
    '| | |', '|---|---|',
    `| Arch | ${p.arch ?? '—'} |`,
    `| Host CPU | ${p.hostCpu?.model ?? '—'} ${p.hostCpu?.vendor ?? ''} |`,
    `| host-passthrough / host-model / custom / maximum | ${yes(p.modes.hostPassthrough)} / ${yes(p.modes.hostModel)} / ${yes(p.modes.custom)} / ${yes(p.modes.maximum)} |`,
    `| host-model CPU | ${p.hostModel ? `${p.hostModel.model ?? '?'} + ${list(p.hostModel.require)}${p.hostModel.disable.length ? `, without ${list(p.hostModel.disable)}` : ''}` : '—'} |`,
    `| Online CPUs | ${list(p.onlineCpus)} |`,
    `| isolcpus | ${p.isolcpus ? list(p.isolcpus) : 'not set'} |`,
    ...p.numaNodes.map((n) => `| NUMA node ${n.id} | CPUs ${list(n.cpus)} |`),
    '', '## Custom models', '', '| Model | Usable | Blockers |', '|---|---|---|',
    ...p.customModels.map((m) => `| ${m.name}${m.deprecated ? ' (deprecated)' : ''} | ${m.usable} | ${m.blockers ? list(m.blockers) : m.usable === 'no' ? 'libvirt does not say' : ''} |`),
  ];
  if (p.problems.length) lines.push('', '## Could not read', '', ...p.problems.map((x) => `- \`${x.replace(/`/g, "'")}\``));
  return lines.join('\n') + '\n';
}

export async function showProfileDocument(p: HostProfile): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: profileMarkdown(p) });
  await vscode.window.showTextDocument(doc, { preview: true });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => undefined);
  return doc;
}

/** `presetHost`: a host of the *Compute nodes* view (else the active profile's host, else asked). */
export async function showHostProfile(presetHost?: string): Promise<HostProfile | undefined> {
  const host = (typeof presetHost === 'string' ? presetHost : undefined) ?? activeProfile()?.host ?? (await pickHost('Show host profile'));
  if (!host) return undefined;
  const p = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Learning ${host}'s CPU profile…` }, () => profileOf(host));
  await showProfileDocument(p);
  return p;
}

export async function refreshHostProfile(): Promise<HostProfile | undefined> {
  const host = await pickHost('Refresh host profile');
  if (!host) return undefined;
  const p = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Learning ${host}'s CPU profile…` }, () => learnProfile(host));
  void vscode.window.showInformationMessage(`Host profile of ${p.host}: ${p.customModels.filter((m) => m.usable === 'yes').length} usable custom models${p.problems.length ? `; ${p.problems.length} source(s) could not be read` : ''}.`);
  return p;
}
