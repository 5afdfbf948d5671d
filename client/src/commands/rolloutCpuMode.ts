/**
 * *Roll out a CPU mode to a group…*: group (the view's node, or a picker) → mode/models/flags
 * (the same questions as *Set Nova CPU mode…*) → the rollout's preview (server/src/rollout/:
 * each host's own plan, our diagnostics, its service) as a table and per-host diffs → blocked
 * when any host has an error, else a modal → the rollout (canary first, stop on the first
 * failure, roll back every touched host) with per-host progress from its events → the summary
 * table. The advisor's "Apply" comes here with its recommendation preset.
 */
import * as vscode from 'vscode';
import type { CpuModeChange } from '../../../server/src/ops/types';
import type { InventoryHost } from '../../../server/src/inventory/model';
import { previewRollout } from '../../../server/src/rollout/preview';
import { runRollout } from '../../../server/src/rollout/orchestrate';
import { SshExecutor } from '../../../server/src/rollout/sshExecutor';
import { AnsibleExecutor } from '../../../server/src/rollout/ansible';
import type { RolloutEvent, RolloutExecutor, RolloutPreview, RolloutSummary, RolloutTarget } from '../../../server/src/rollout/types';
import { managerFromSetting } from '../../../server/src/hosts/services';
import { eventText, previewMarkdown, summaryMarkdown } from '../rolloutMarkdown';
import { note } from '../commandLog';
import { showDiff } from '../diffView';
import { knowledge } from '../knowledgeOf';
import { prompts } from '../prompts';
import { nodeOf, runnerFor, setting } from '../targets';
import { askChange } from './setNovaCpuMode';

export interface RolloutArgs {
  /** Host names as the Compute nodes view lists them (reached through targets.ts). */
  nodes: string[];
  /** Hosts given with their connection vars instead (the advisor's inventory route). */
  hosts?: InventoryHost[];
  /** The group's title ("group compute"). */
  title: string;
  /** The Ansible inventory the hosts are from: the rollout then goes through ansible-playbook when it is installed. */
  inventory?: string;
  /** A preset change (the advisor's recommendation): no questions about the mode. */
  change?: CpuModeChange;
  /** Change nothing: Ansible's --check --diff, the ssh executor's re-read. */
  dryRun?: boolean;
}

/** Ansible's executor needs our CLI run by a node (not Electron's binary) and ansible-playbook here. */
async function executorFor(a: RolloutArgs, cliPath: string): Promise<RolloutExecutor> {
  const k = knowledge();
  if (!a.inventory || process.versions.electron) return new SshExecutor(k);
  const ok = await new Promise<boolean>((resolve) => {
    require('node:child_process').execFile('ansible-playbook', ['--version'], { timeout: 30_000, env: { ...process.env, LC_ALL: 'C.UTF-8' } }, (e: unknown) => resolve(!e));
  });
  return ok ? new AnsibleExecutor({ inventory: a.inventory, helper: [process.execPath, cliPath], novaRelease: setting<string>('novaRelease') || undefined }) : new SshExecutor(k);
}

async function showMarkdown(content: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => undefined);
  return doc;
}

/** `cliPath`: dist/cli.js of this extension (the Ansible playbook's helper). */
export async function rolloutCpuMode(a: RolloutArgs, cliPath: string): Promise<RolloutSummary | undefined> {
  if (!a.nodes.length && !a.hosts?.length) throw new Error(`${a.title} has no hosts`);
  const targets: RolloutTarget[] = a.hosts?.length
    ? a.hosts.map((h) => ({ name: h.name, runner: runnerFor(h.name, h), inventory: h }))
    : a.nodes.map((n) => ({ name: n, runner: runnerFor(n), ...(nodeOf(n) ? { inventory: nodeOf(n)!.host } : {}) }));
  try {
    const change = a.change ?? (await askChange(targets[0].name, undefined));
    if (!change) return undefined;
    const service = setting<unknown>('service');
    const manager = service ? managerFromSetting(service) : undefined;
    if (manager && 'error' in manager) throw new Error(`novaLibvirtCpu.service: ${manager.error}`);
    const preview = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Previewing ${a.title} (${targets.length} hosts)` }, (progress) =>
      previewRollout(targets, change, {
        knowledge: knowledge(), configDir: setting<string>('configDir'), sudo: setting<boolean>('useSudo'), ...(manager ? { service: manager } : {}),
        onHost: (h) => progress.report({ message: `${h.host}: ${h.verdict}`, increment: 100 / targets.length }),
      }));
    await showPreview(preview, a.title);
    if (preview.blocked) {
      note(`rollout to ${a.title} blocked: ${preview.blocked}`);
      void vscode.window.showErrorMessage(`Roll-out to ${a.title} blocked before anything was written: ${preview.blocked}`);
      return undefined;
    }
    const changing = preview.hosts.filter((h) => h.verdict === 'change');
    if (!changing.length) { void vscode.window.showInformationMessage(`Nothing to change on ${a.title}: every host already has ${preview.hosts[0]?.to ?? 'it'}.`); return undefined; }
    const executor = await executorFor(a, cliPath);
    const canary = changing[0].host;
    const answer = a.dryRun ? 'Dry run' : await prompts().confirm('rollout', `Roll out to ${changing.length} host(s) of ${a.title}?`, [
      `Through: ${executor.name === 'ansible' ? 'ansible-playbook (generated playbook, serial batches, max_fail_percentage 0)' : 'OpenSSH (the host commands\' transaction per host)'}`,
      `Canary: ${canary} first; the rollout stops at the first host whose nova-compute refuses the change, and every host written is rolled back.`,
      `Each host: backup beside each file, atomic write, nova-compute restarted, Nova's verdict read from its log.`,
      ...changing.map((h) => `• ${h.host}: ${h.from} → ${h.to}`),
    ].join('\n'), ['Roll out', 'Dry run']);
    if (!answer) return undefined;
    const dryRun = answer === 'Dry run';
    const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${dryRun ? 'Dry run' : 'Roll-out'} to ${a.title}`, cancellable: false }, (progress) =>
      runRollout(preview, executor, (e: RolloutEvent) => {
        const text = eventText(e);
        note(`rollout ${a.title}: ${text}`);
        progress.report({ message: text });
      }, { dryRun, verifyTimeoutMs: setting<number>('verifyTimeoutSeconds') * 1000 }));
    note(`rollout ${a.title}: ${summary.message}`);
    await showMarkdown(summaryMarkdown(summary, a.title));
    if (summary.ok) void vscode.window.showInformationMessage(summary.message);
    else void vscode.window.showErrorMessage(summary.message, 'Show log').then((x) => { if (x) void vscode.commands.executeCommand('novaLibvirtCpu.showLog'); });
    return summary;
  } finally {
    for (const t of targets) { t.runner.endOperation(); await t.runner.close(); }
  }
}

/** The table of verdicts, then each changing host's diffs (the host commands' diff view). */
async function showPreview(p: RolloutPreview, title: string): Promise<void> {
  await showMarkdown(previewMarkdown(p, title));
  for (const h of p.hosts) for (const f of h.files) await showDiff(h.host, f.path, f.before, f.after);
}
