/**
 * The rollout's preview and summary as Markdown (the VS Code views), and one event as a progress
 * line. Pure, no vscode import: the rows are the engine's (server/src/rollout/types.ts).
 */
import type { RolloutEvent, RolloutPreview, RolloutSummary } from '../../server/src/rollout/types';

/** A table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

export function previewMarkdown(p: RolloutPreview, title: string): string {
  const lines = [
    `# Roll-out preview: ${title} (${p.hosts.length} host${p.hosts.length === 1 ? '' : 's'})`, '',
    p.blocked ? `**Blocked — nothing will be written:** ${cell(p.blocked)}` : `Judged for Nova ${p.release}; the first changing host is the canary.`, '',
    '| # | host | verdict | old → new | files | findings |', '|---|---|---|---|---|---|',
    ...p.hosts.map((h, i) => `| ${i + 1} | ${cell(h.host)} | ${h.verdict === 'error' ? '**error**' : h.verdict} | ${cell(`${h.from} → ${h.to}`)} | ${cell(h.files.map((f) => f.path).join(', ') || '—')} | ${h.findings.filter((f) => !f.preexisting).length} new, ${h.findings.filter((f) => f.preexisting).length} already there |`),
  ];
  for (const h of p.hosts) {
    const news = h.findings.filter((f) => !f.preexisting);
    if (!h.problem && !news.length && !h.summary.length) continue;
    lines.push('', `## ${h.host}`, '');
    if (h.problem) lines.push(`**${cell(h.problem)}**`, '');
    lines.push(...h.summary.map((s) => `- ${s}`));
    lines.push(...news.map((f) => `- ${f.severity}: \`${f.path}:${f.range.start.line + 1}\` ${cell(f.upstream ?? f.explanation)} [${f.code}]`));
  }
  return `${lines.join('\n')}\n`;
}

export function summaryMarkdown(s: RolloutSummary, title: string): string {
  return [
    `# Roll-out ${s.dryRun ? 'dry run' : 'summary'}: ${title}`, '',
    `${s.ok ? '✅' : '❌'} ${cell(s.message)}`, '',
    `Executor: ${s.executor}; ${(s.ms / 1000).toFixed(1)} s in all${s.engineMs ? `, ${(s.engineMs / 1000).toFixed(1)} s in ansible-playbook` : ''}.`, '',
    "| host | old → new | restart | Nova's verdict | time | rolled back |", '|---|---|---|---|---|---|',
    ...s.rows.map((r) => `| ${cell(r.host)} | ${cell(`${r.from} → ${r.to}`)} | ${r.restart} | ${cell(`${r.state}: ${r.nova}`)} | ${r.ms ? `${(r.ms / 1000).toFixed(1)} s` : '—'} | ${r.rolledBack ? 'yes' : r.state === 'rollback-failed' ? '**FAILED**' : 'no'} |`),
    '',
  ].join('\n');
}

export function eventText(e: RolloutEvent): string {
  switch (e.kind) {
    case 'batch': return `batch ${e.index + 1}${e.canary ? ' (canary)' : ''}: ${e.hosts.join(', ')}`;
    case 'started': return `${e.host}: started`;
    case 'written': return `${e.host}: wrote ${e.files.map((f) => f.path).join(', ')}`;
    case 'restarted': return `${e.host}: nova-compute restarted (${(e.ms / 1000).toFixed(1)} s)`;
    case 'verified': return `${e.host}: ${e.ok ? 'verified' : 'REFUSED'}: ${e.summary}`;
    case 'failed': return `${e.host}: failed at ${e.step}: ${e.message}`;
    case 'rolled-back': return `${e.host}: ${e.ok ? 'rolled back' : 'rollback FAILED'}: ${e.summary}`;
    case 'checked': return `${e.host}: ${e.changed ? 'would change' : 'unchanged'}`;
  }
}
