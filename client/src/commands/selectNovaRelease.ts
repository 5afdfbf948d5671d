/** *Select Nova release…*: picks the novaRelease setting from the releases the catalog knows, newest first. */
import * as vscode from 'vscode';
import { RELEASES, releaseLabel } from '../../../server/src/knowledge/nova/releases';
import { prompts } from '../prompts';
import { setting } from '../settings';

export async function selectNovaRelease(): Promise<string | undefined> {
  const cfg = vscode.workspace.getConfiguration('novaLibvirtCpu');
  const current = setting<string>('novaRelease');
  const items = [
    { label: 'Newest', description: `${releaseLabel(RELEASES[RELEASES.length - 1])}, the default`, value: '' },
    ...[...RELEASES].reverse().map((r) => ({ label: releaseLabel(r), description: r.name === current ? 'current' : undefined, value: r.name })),
  ];
  const picked = await prompts().pick(items, { id: 'nova-release', title: 'Nova release the configs are written for', placeHolder: `now: ${current || 'newest'}` });
  if (!picked) return undefined;
  // Where the release is set now (a config repo's workspace settings), else the user's settings.
  const where = cfg.inspect('novaRelease');
  const target = where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update('novaRelease', picked.value, target);
  return picked.value;
}
