/** *Check nested virtualization*: the three conditions, what to change, and the nova.conf part offered as a CPU-mode change. */
import * as vscode from 'vscode';
import { checkNested, guestCpuOf, type NestedReport } from '../../../server/src/hosts/nested';
import { nodeCpuConfig } from '../nodeConfig';
import { note } from '../commandLog';
import { cachedProfile } from '../hostProfileState';
import { knowledge } from '../knowledgeOf';
import { pickHost, runnerFor, setting } from '../targets';

function reportMarkdown(host: string, r: NestedReport): string {
  const verdict = { ready: 'ready: guests can run their own KVM guests', 'needs-change': 'not yet: change what is listed below', impossible: 'impossible on this host', unknown: 'cannot tell' }[r.verdict];
  return [`# Nested virtualization on ${host}: ${verdict}`, '', '## Found', '', ...r.facts.map((f) => `- ${f}`), '', '## To change', '',
    ...(r.steps.length ? r.steps.map((s) => `- **${s.kind}**: ${s.text}${s.file ? `\n\n  \`${s.file}\`:\n\n  \`\`\`\n  ${s.line}\n  \`\`\`` : ''}`) : ['- nothing']), ''].join('\n');
}

/** `presetHost`: a host of the *Compute nodes* view; else asked. */
export async function checkNestedVirtualization(presetHost?: string): Promise<NestedReport | undefined> {
  const host = (typeof presetHost === 'string' ? presetHost : undefined) ?? (await pickHost('Check nested virtualization'));
  if (!host) return undefined;
  const runner = runnerFor(host);
  const sudo = setting<boolean>('useSudo');
  try {
    const k = knowledge();
    const report = await checkNested(runner, guestCpuOf(await nodeCpuConfig(runner, sudo)), k.catalog, cachedProfile(host));
    note(`nested check on ${host}: ${report.verdict}; ${report.facts.join('; ')}`);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: reportMarkdown(host, report) });
    await vscode.window.showTextDocument(doc, { preview: true });
    const nova = report.steps.find((s) => s.kind === 'nova-conf' && s.change);
    if (nova?.change) {
      void vscode.window.showWarningMessage(`Nested virtualization on ${host}: ${nova.text}`, 'Change nova.conf…').then((a) => {
        if (a) void vscode.commands.executeCommand('novaLibvirtCpu.setNovaCpuMode', nova.change, host);
      });
    }
    return report;
  } finally {
    runner.endOperation();
    await runner.close();
  }
}
