/** *Roll back last CPU-mode change*: pick a recorded change (newest first), restore its backups byte for byte, restart, verify. */
import * as vscode from 'vscode';
import { lastChange, listManifests, rollback, type TransactionResult } from '../../../server/src/ops/transaction';
import { detectService, managerFromSetting } from '../../../server/src/hosts/services';
import { knowledge } from '../knowledgeOf';
import { prompts } from '../prompts';
import { pickHost, runnerFor, setting } from '../targets';
import { reportResult } from './setNovaCpuMode';

export async function rollbackCpuMode(presetHost?: string): Promise<TransactionResult | undefined> {
  const host = presetHost ?? (await pickHost('Roll back a CPU-mode change'));
  if (!host) return undefined;
  const runner = runnerFor(host);
  const sudo = setting<boolean>('useSudo');
  const dir = setting<string>('configDir');
  try {
    const manifests = await listManifests(runner, dir, sudo);
    const changes = manifests.filter((m) => m.kind === 'change');
    if (!changes.length) { void vscode.window.showInformationMessage(`No recorded CPU-mode change in ${dir} on ${host}.`); return undefined; }
    const last = lastChange(manifests);
    const undone = new Set(manifests.filter((m) => m.kind === 'rollback').map((m) => m.undoes));
    const items = changes.map((m) => ({
      label: `${m.at}${m === last ? ' (last change)' : ''}${undone.has(m.id) ? ' (already rolled back)' : ''}`,
      description: m.summary.join('; '),
      detail: m.files.map((f) => `${f.path} ← ${f.backup}`).join('\n'),
      manifest: m,
    }));
    const chosen = await prompts().pick(items, { id: 'backup', title: `Roll back on ${host}`, placeHolder: 'Which change to undo? Its backups are restored byte for byte.' });
    if (!chosen) return undefined;
    const m = chosen.manifest;
    const answer = await prompts().confirm('rollback', `Restore the files of ${m.at} on ${host}?`,
      [`Files: ${m.files.map((f) => f.path).join(', ')}`, `Service: ${m.service} is restarted and verified again.`, 'Running guests keep their CPU until a hard reboot or a migration.'].join('\n'), ['Roll back']);
    if (answer !== 'Roll back') return undefined;
    const override = setting<unknown>('service');
    const manager = override ? managerFromSetting(override) : (await detectService(runner, { sudo })).manager;
    if (!manager || 'error' in manager) { void vscode.window.showErrorMessage(manager ? manager.error : `No nova-compute service found on ${host}.`); return undefined; }
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rolling back on ${host}` }, async (progress) => {
      const r = await rollback({
        runner, manager, knowledge: knowledge(), sudo, configDir: dir, verify: { timeoutMs: setting<number>('verifyTimeoutSeconds') * 1000 },
        ui: { preview: async () => true, progress: (s) => progress.report({ message: s }), offerRollback: async () => false },
      }, m);
      reportResult(r, host, () => [host]);
      return r;
    });
  } finally {
    runner.endOperation();
    await runner.close();
  }
}
