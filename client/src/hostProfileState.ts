/**
 * The host profile the extension has learnt, per host: cached for the session, shown in the status
 * bar, and sent to the language server (`novaLibvirtCpu/hostProfile`) so host-aware diagnostics run.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { gatherHostProfile, usableModels, type HostProfile } from '../../server/src/hosts/hostProfile';
import { runnerFor, setting } from './targets';
import { nodeCpuConfig } from './nodeConfig';
import { HOST_PROFILE_NOTIFICATION } from '../../server/src/protocol';

const profiles = new Map<string, HostProfile>();
let active: HostProfile | undefined;
let status: vscode.StatusBarItem | undefined;
let client: LanguageClient | undefined;

export function initHostProfileState(context: vscode.ExtensionContext, lc: LanguageClient): void {
  client = lc;
  status = vscode.window.createStatusBarItem('novaLibvirtCpu.hostProfile', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Nova libvirt CPU: host profile';
  status.command = 'novaLibvirtCpu.showHostProfile';
  context.subscriptions.push(status);
  render();
}

function render(): void {
  if (!status) return;
  if (!active) {
    status.text = '$(server) CPU host: not learnt';
    status.tooltip = 'Nova libvirt CPU: no host profile yet. Click to learn this host\'s (virsh capabilities/domcapabilities, NUMA, isolcpus).';
  } else {
    status.text = `$(server) ${active.host}: ${active.hostModel?.model ?? active.hostCpu?.model ?? active.arch ?? '?'} · ${usableModels(active).length} models`;
    status.tooltip = `Host profile of ${active.host} (${active.gatheredAt}); host-aware diagnostics use it. Click to show.`;
  }
  status.show();
}

export function cachedProfile(host: string): HostProfile | undefined {
  return profiles.get(host);
}

export function activeProfile(): HostProfile | undefined {
  return active;
}

/**
 * Gathers (always fresh) through the host's runner, caches it, makes it the one the server judges with.
 * `virtType`: the domain type to ask for, since which models are usable depends on it (kvm vs qemu/TCG);
 * by default the node's Nova [libvirt] virt_type, when its config set can be read.
 */
export async function learnProfile(host: string, virtType?: string): Promise<HostProfile> {
  const runner = runnerFor(host);
  const sudo = setting<boolean>('useSudo');
  try {
    const type = virtType ?? (await nodeCpuConfig(runner, sudo).catch(() => undefined))?.virtType.value;
    const p = await gatherHostProfile(runner, { uri: setting<string>('libvirtUri'), sudo, virtType: type });
    profiles.set(host, p);
    active = p;
    render();
    await client?.sendNotification(HOST_PROFILE_NOTIFICATION, p);
    return p;
  } finally {
    runner.endOperation();
    await runner.close();
  }
}

/** The cached profile (for that virt type, when given), else a fresh one. */
export async function profileOf(host: string, virtType?: string): Promise<HostProfile> {
  const p = profiles.get(host);
  return p && (!virtType || p.virtType === virtType) ? p : learnProfile(host, virtType);
}
