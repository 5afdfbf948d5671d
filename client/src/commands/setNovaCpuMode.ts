/**
 * *Set Nova CPU mode…*: mode (trade-offs spelt out) → models/flags for custom → target host →
 * the core transaction (read, plan, preview via vscode.diff, modal confirm, backup, atomic write,
 * restart, Nova's verdict from its log) → result notification, with "Roll back" on failure.
 */
import * as vscode from 'vscode';
import type { CpuModeChange, NovaCpuMode, Plan } from '../../../server/src/ops/types';
import { planNovaCpuMode } from '../../../server/src/ops';
import { applyChange, type Preview, type TransactionResult } from '../../../server/src/ops/transaction';
import { detectService, managerFromSetting, type ServiceManager } from '../../../server/src/hosts/services';
import { usableModels } from '../../../server/src/hosts/hostProfile';
import { mapArchOf } from '../../../server/src/domainxml/rules/context';
import { note } from '../commandLog';
import { showDiff } from '../diffView';
import { cachedProfile, profileOf } from '../hostProfileState';
import { knowledge } from '../knowledgeOf';
import { nodeCpuConfig } from '../nodeConfig';
import { prompts } from '../prompts';
import { pickHost, runnerFor, setting } from '../targets';

export const MODE_ITEMS: Array<vscode.QuickPickItem & { mode: NovaCpuMode }> = [
  { mode: 'host-passthrough', label: 'host-passthrough', description: 'fastest · least portable',
    detail: 'Guests see the host CPU exactly (every feature, nested vmx/svm). Live migration only to hosts with an identical CPU and microcode.' },
  { mode: 'host-model', label: 'host-model', description: 'near-native · portable to same-or-newer CPUs',
    detail: "libvirt's closest named model plus the host's extra features. Live migration to hosts whose CPU is at least as capable. Nova's default on kvm/qemu." },
  { mode: 'custom', label: 'custom', description: 'slowest of the three · most portable',
    detail: 'A named model (oldest first in cpu_models) that every host of the fleet can run: live migration anywhere it runs; features beyond the model are hidden.' },
];

/** The models to offer: the host's usable ones (domcapabilities), in the map's order (oldest first); the bundled map when the host did not say. */
function modelItems(host: string): Array<vscode.QuickPickItem & { model: string }> {
  const k = knowledge();
  const profile = cachedProfile(host);
  const usable = profile ? new Set(usableModels(profile).map((m) => m.toLowerCase())) : undefined;
  const models = k.catalog.models(mapArchOf(profile?.arch ?? 'x86_64') ?? 'x86').filter((m) => !m.canonicalOf && (!usable || usable.has(m.name.toLowerCase())));
  return models.map((m) => ({ label: m.name, description: [m.vendor, usable ? `runs on ${host}` : 'bundled cpu_map (host not asked)'].filter(Boolean).join(' · '), model: m.name }));
}

/** Asks for the change; `preset` (from the nested check) skips the questions it answers. `virtType`: the node's Nova virt_type. */
export async function askChange(host: string, virtType: string | undefined, preset?: CpuModeChange): Promise<CpuModeChange | undefined> {
  if (preset) return preset;
  const mode = await prompts().pick(MODE_ITEMS, { id: 'mode', title: `Nova CPU mode on ${host}`, placeHolder: 'Performance: host-passthrough > host-model > custom. Live-migration portability: the reverse.' });
  if (!mode) return undefined;
  if (mode.mode !== 'custom') return { mode: mode.mode, models: [] };
  await profileOf(host, virtType).catch(() => undefined); // fall back to the bundled map when the host cannot say
  const models = await prompts().pickMany(modelItems(host), { id: 'models', title: 'cpu_models (oldest first: Nova uses the first one the flavor fits)', placeHolder: 'Pick one or more models' });
  if (!models?.length) return undefined;
  const vendor = cachedProfile(host)?.hostCpu?.vendor;
  const flagItems = [
    { label: 'vmx', description: 'Intel VT-x for nested guests', flag: 'vmx', picked: false },
    { label: 'svm', description: 'AMD-V for nested guests', flag: 'svm', picked: false },
  ].filter((f) => !vendor || (vendor === 'AMD' ? f.flag === 'svm' : f.flag === 'vmx'));
  const flags = await prompts().pickMany(flagItems, { id: 'extra-flags', title: 'cpu_model_extra_flags (optional)', placeHolder: 'Extra CPU flags for the guests; none is fine' });
  if (flags === undefined) return undefined;
  return { mode: 'custom', models: models.map((m) => m.model), extraFlags: flags.map((f) => f.flag) };
}

async function serviceOf(host: string, runner: ReturnType<typeof runnerFor>, sudo: boolean): Promise<ServiceManager | string> {
  const override = setting<unknown>('service');
  if (override) {
    const m = managerFromSetting(override);
    return 'error' in m ? `novaLibvirtCpu.service: ${m.error}` : m;
  }
  const d = await detectService(runner, { sudo });
  return d.manager ?? `No nova-compute service found on ${host}: ${d.probes.map((p) => `${p.manager}: ${p.why}`).join('; ')}. Set novaLibvirtCpu.service.`;
}

/** What the modal names: host, file(s), service, and what happens to running guests. */
function confirmText(p: Preview): string {
  return [
    `Host: ${p.host}`,
    `File${p.plan.edits.length > 1 ? 's' : ''}: ${p.plan.edits.map((e) => e.path).join(', ')}`,
    `Service: ${p.manager.label} is restarted, then its log is read for Nova's verdict (a timestamped backup is kept beside each file).`,
    'Running guests keep their CPU until a hard reboot or a migration; new and rebuilt guests get the new one.',
    ...p.plan.summary.map((s) => `• ${s}`),
  ].join('\n');
}

export async function previewAndConfirm(p: Preview): Promise<boolean> {
  for (const e of p.plan.edits) await showDiff(p.host, e.path, e.before, e.after);
  const warnings = p.plan.findings.filter((f) => !f.preexisting && f.severity === 'warning').map((f) => `⚠ ${f.path}: ${f.upstream ?? f.explanation}`);
  const answer = await prompts().confirm('apply', `Apply this CPU-mode change to ${p.host}?`, [confirmText(p), ...warnings].join('\n'), ['Apply']);
  return answer === 'Apply';
}

export function reportResult(r: TransactionResult, host: string, rollbackArgs: () => unknown[]): void {
  note(`${host}: ${r.outcome} — ${r.message.replace(/\n/g, '\n    ')}`);
  if (r.outcome === 'applied' || r.outcome === 'rolled-back' || r.outcome === 'unchanged') {
    void vscode.window.showInformationMessage(r.message);
  } else if (r.outcome === 'cancelled') {
    void vscode.window.showInformationMessage('CPU-mode change cancelled; nothing was written.');
  } else if (r.outcome === 'failed' && r.manifest) {
    void vscode.window.showErrorMessage(r.message, 'Roll back', 'Show log').then((a) => {
      if (a === 'Roll back') void vscode.commands.executeCommand('novaLibvirtCpu.rollbackCpuMode', ...rollbackArgs());
      if (a === 'Show log') void vscode.commands.executeCommand('novaLibvirtCpu.showLog');
    });
  } else {
    void vscode.window.showErrorMessage(r.message, 'Show log').then((a) => { if (a) void vscode.commands.executeCommand('novaLibvirtCpu.showLog'); });
  }
}

/** `args`: an optional preset change (from *Check nested virtualization*) and host. */
export async function setNovaCpuMode(preset?: CpuModeChange, presetHost?: string): Promise<TransactionResult | undefined> {
  const host = presetHost ?? (await pickHost('Set Nova CPU mode'));
  if (!host) return undefined;
  const runner = runnerFor(host);
  const sudo = setting<boolean>('useSudo');
  try {
    const virtType = preset ? undefined : (await nodeCpuConfig(runner, sudo).catch(() => undefined))?.virtType.value;
    const change = await askChange(host, virtType, preset);
    if (!change) return undefined;
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Nova CPU mode on ${host}`, cancellable: false }, async (progress) => {
      progress.report({ message: 'finding nova-compute…' });
      const manager = await serviceOf(host, runner, sudo);
      if (typeof manager === 'string') { void vscode.window.showErrorMessage(manager); return undefined; }
      const k = knowledge();
      const result = await applyChange({
        runner, manager, knowledge: k, sudo, configDir: setting<string>('configDir'),
        verify: { timeoutMs: setting<number>('verifyTimeoutSeconds') * 1000 },
        ui: { preview: previewAndConfirm, progress: (step) => progress.report({ message: step }), offerRollback: async () => false },
      }, (files): Plan => planNovaCpuMode(files, change, k, host));
      reportResult(result, host, () => [host]);
      return result;
    });
  } finally {
    runner.endOperation();
    await runner.close();
  }
}
