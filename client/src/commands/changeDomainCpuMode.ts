/**
 * *Change domain CPU mode…*: pick a domain (`virsh list --all`), a mode (and model), then the core
 * sequence (ops/domainChange.ts) with VS Code as its UI: diff preview, modal confirms for shutdown,
 * destroy and rollback, progress. A Nova-managed domain gets the warning first and the nova.conf route.
 */
import * as vscode from 'vscode';
import { changeDomainCpu, listDomains, type DomainChangeResult, type DomainChangeUI } from '../../../server/src/ops/domainChange';
import type { DomainCpuMode } from '../../../server/src/ops/types';
import { usableModels } from '../../../server/src/hosts/hostProfile';
import { mapArchOf } from '../../../server/src/domainxml/rules/context';
import { note } from '../commandLog';
import { showDiff } from '../diffView';
import { profileOf } from '../hostProfileState';
import { knowledge } from '../knowledgeOf';
import { prompts } from '../prompts';
import { pickHost, runnerFor, setting } from '../targets';

const DOMAIN_MODES: Array<vscode.QuickPickItem & { mode: DomainCpuMode }> = [
  { mode: 'host-passthrough', label: 'host-passthrough', description: 'fastest · migrates only to identical hosts' },
  { mode: 'host-model', label: 'host-model', description: 'near-native · migrates to same-or-newer CPUs' },
  { mode: 'custom', label: 'custom', description: 'a named model · most portable' },
  { mode: 'maximum', label: 'maximum', description: 'every feature QEMU can give (TCG: emulated) · not migratable' },
];

function ui(host: string, progress: vscode.Progress<{ message?: string }>): DomainChangeUI {
  const ask = async (id: string, message: string, detail: string, action: string) => (await prompts().confirm(id, message, detail, [action])) === action;
  return {
    novaManaged: async (name, warning) => {
      const a = await prompts().confirm('nova-managed', `${name} is managed by OpenStack Nova`, warning, ['Change nova.conf instead', 'Apply to this domain anyway']);
      return a === 'Change nova.conf instead' ? 'nova-conf' : a === 'Apply to this domain anyway' ? 'apply' : 'cancel';
    },
    preview: async (plan, diff) => {
      const e = plan.edits[0];
      await showDiff(host, `${e.path}.xml`, e.before, e.after);
      note(`planned change of ${e.path} on ${host}:\n${diff}`);
      return ask('define', `Define ${plan.name ?? 'the domain'} on ${host} with this <cpu>?`, [...plan.summary, 'It is validated first (virsh define --validate on a copy).'].join('\n'), 'Define');
    },
    confirmShutdown: (name, ms) => ask('shutdown', `${name} is running. Shut it down now so the new CPU applies?`, `A graceful (ACPI) shutdown, waiting up to ${Math.round(ms / 1000)} s; then it is started again. Without it, the guest keeps its CPU until it is shut down and started (a reboot inside the guest is not enough).`, 'Shut down and restart'),
    confirmDestroy: (name, ms) => ask('destroy', `${name} did not shut down within ${Math.round(ms / 1000)} s. Force it off (virsh destroy)?`, 'Like pulling the power cord: unsaved data in the guest is lost.', 'Force off'),
    confirmRollback: (name, why) => ask('rollback', `${name} does not run with the new CPU. Restore its previous definition and start it?`, why, 'Restore'),
    progress: (message) => progress.report({ message }),
  };
}

export async function changeDomainCpuMode(): Promise<DomainChangeResult | undefined> {
  const host = await pickHost('Change domain CPU mode');
  if (!host) return undefined;
  const runner = runnerFor(host);
  const uri = setting<string>('libvirtUri');
  const sudo = setting<boolean>('useSudo');
  try {
    const domains = await listDomains(runner, uri, sudo);
    if (typeof domains === 'string') { void vscode.window.showErrorMessage(domains); return undefined; }
    if (!domains.length) { void vscode.window.showInformationMessage(`No domains on ${host} (${uri}).`); return undefined; }
    const d = await prompts().pick(domains.map((x) => ({ label: x.name, description: x.running ? 'running' : 'shut off', name: x.name })), { id: 'domain', title: `Domains on ${host}` });
    if (!d) return undefined;
    const mode = await prompts().pick(DOMAIN_MODES, { id: 'domain-mode', title: `<cpu mode> of ${d.name}` });
    if (!mode) return undefined;
    let model: string | undefined;
    if (mode.mode === 'custom') {
      const profile = await profileOf(host).catch(() => undefined);
      const usable = profile && usableModels(profile);
      const names = usable?.length ? usable : knowledge().catalog.models(mapArchOf(profile?.arch ?? 'x86_64') ?? 'x86').filter((m) => !m.canonicalOf).map((m) => m.name);
      model = (await prompts().pick(names.map((n) => ({ label: n, description: usable?.length ? `runs on ${host}` : 'bundled cpu_map' })), { id: 'domain-model', title: 'CPU model' }))?.label;
      if (!model) return undefined;
    }
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${d.name} on ${host}` }, (progress) =>
      changeDomainCpu(runner, ui(host, progress), { uri, name: d.name, change: { mode: mode.mode, model }, knowledge: knowledge(), sudo, shutdownTimeoutMs: setting<number>('shutdownTimeoutSeconds') * 1000 }));
    note(`${d.name} on ${host}: ${result.outcome} — ${result.message}`);
    if (result.outcome === 'nova-conf') void vscode.commands.executeCommand('novaLibvirtCpu.setNovaCpuMode', undefined, host);
    else if (result.outcome === 'applied' || result.outcome === 'defined' || result.outcome === 'rolled-back') void vscode.window.showInformationMessage(result.message);
    else if (result.outcome !== 'cancelled') void vscode.window.showErrorMessage(result.message);
    return result;
  } finally {
    runner.endOperation();
    await runner.close();
  }
}
