/**
 * Where a host command runs: this host (the extension host runs on the compute node: Remote-SSH,
 * code-server on the node) or a named host from the `novaLibvirtCpu.hosts` setting, over OpenSSH.
 */
import * as vscode from 'vscode';
import type { Runner } from '../../server/src/hosts/runner';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { SshRunner } from '../../server/src/hosts/sshRunner';
import { runnerHooks } from './commandLog';
import { prompts } from './prompts';
import { setting } from './settings';

export const LOCAL = 'localhost';

export function hostsSetting(): string[] {
  const v = setting<unknown>('hosts');
  return Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string' && h.trim() !== '') : [];
}

export function runnerFor(host: string): Runner {
  return host === LOCAL ? new LocalRunner(runnerHooks) : new SshRunner({ destination: host }, runnerHooks);
}

/** Asks for the target host (skipped when there is only this one); undefined when cancelled. */
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
