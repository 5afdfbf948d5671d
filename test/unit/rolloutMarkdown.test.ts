// The VS Code roll-out views' Markdown: one row per host with its verdict or outcome, a cell never
// breaks the table (pipes, newlines in Nova's messages), blocked previews say so first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventText, previewMarkdown, summaryMarkdown } from '../../client/src/rolloutMarkdown';
import type { HostPreview, RolloutPreview, RolloutSummary } from '../../server/src/rollout/types';

const host = (name: string, verdict: HostPreview['verdict'], problem?: string): HostPreview => ({
  host: name, verdict, files: verdict === 'change' ? [{ path: '/etc/nova/nova.conf', before: 'a', after: 'b', sha256: 'x', diff: '' }] : [], findings: [], questions: [],
  summary: verdict === 'change' ? ['nova.conf:3 cpu_mode host-model -> custom'] : [], from: 'host-model', to: 'custom (Haswell)', ...(problem ? { problem } : {}),
});

test('preview: a row per host in rollout order, the blocked line first, the problem of the host that blocks', () => {
  const p = { change: { mode: 'custom', models: ['Haswell'] }, configDir: '/etc/nova', sudo: true, release: 'Zed (26)', targets: [],
    hosts: [host('n1', 'change'), host('n2', 'unchanged'), host('n3', 'error', 'n3: cpu_models | Haswell\nis not usable')], blocked: 'n3 has an error' } as RolloutPreview;
  const md = previewMarkdown(p, 'group compute');
  const lines = md.split('\n');
  assert.equal(lines[0], '# Roll-out preview: group compute (3 hosts)');
  assert.equal(lines[2], '**Blocked — nothing will be written:** n3 has an error');
  assert.deepEqual(lines.filter((l) => /^\| \d /.test(l)), [
    '| 1 | n1 | change | host-model → custom (Haswell) | /etc/nova/nova.conf | 0 new, 0 already there |',
    '| 2 | n2 | unchanged | host-model → custom (Haswell) | — | 0 new, 0 already there |',
    '| 3 | n3 | **error** | host-model → custom (Haswell) | — | 0 new, 0 already there |',
  ]);
  assert.match(md, /## n3\n\n\*\*n3: cpu_models \\\| Haswell is not usable\*\*/);
});

test('summary: host, old → new, restart, Nova\'s verdict, time, rolled back', () => {
  const s: RolloutSummary = { ok: false, executor: 'ansible', dryRun: false, stoppedAt: 'n2', message: 'Stopped at n2', ms: 12_345, engineMs: 10_000, rows: [
    { host: 'n1', from: 'host-model', to: 'custom (Haswell)', restart: 'ok', nova: 'running', ms: 4_200, rolledBack: true, state: 'rolled-back' },
    { host: 'n2', from: 'host-model', to: 'custom (Haswell)', restart: 'ok', nova: 'Configured CPU model: Haswell is not correct\nsecond line', ms: 5_000, rolledBack: true, state: 'rolled-back' },
    { host: 'n3', from: 'host-model', to: 'custom (Haswell)', restart: 'not run', nova: 'not reached', ms: 0, rolledBack: false, state: 'untouched' },
  ] };
  const md = summaryMarkdown(s, 'group compute');
  assert.match(md, /^# Roll-out summary: group compute\n\n❌ Stopped at n2\n\nExecutor: ansible; 12\.3 s in all, 10\.0 s in ansible-playbook\./);
  assert.deepEqual(md.split('\n').filter((l) => /^\| n\d/.test(l)), [
    '| n1 | host-model → custom (Haswell) | ok | rolled-back: running | 4.2 s | yes |',
    '| n2 | host-model → custom (Haswell) | ok | rolled-back: Configured CPU model: Haswell is not correct second line | 5.0 s | yes |',
    '| n3 | host-model → custom (Haswell) | not run | untouched: not reached | — | no |',
  ]);
  assert.equal(eventText({ kind: 'batch', at: 0, index: 0, hosts: ['n1'], canary: true }), 'batch 1 (canary): n1');
  assert.equal(eventText({ kind: 'verified', at: 0, host: 'n2', ok: false, outcome: 'failed', summary: 'Nova refused' }), 'n2: REFUSED: Nova refused');
});
