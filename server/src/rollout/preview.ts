/**
 * The rollout's preview: every host's own plan, read-only. Hosts differ (their own fragments,
 * their own files), so each host's set is read over its runner and planned on its own by the
 * host commands' planner; the result is judged by our diagnostics (the planner's refusal policy)
 * and any host whose result has an error blocks the whole rollout before anything is written.
 */
import type { Knowledge } from '../knowledge/knowledge';
import { HostFiles, HostFileError } from '../hosts/hostFiles';
import { HostCommandError } from '../hosts/commandError';
import { detectService } from '../hosts/services';
import { DEFAULT_CONFIG_DIR, listConfigSet, readConfigSet } from '../ops/transaction';
import { planNovaCpuMode, readNovaCpuConfig, unifiedDiff } from '../ops/index';
import type { CpuModeChange, FileSnapshot, NovaCpuConfig } from '../ops/types';
import type { HostPreview, ModeText, PreviewOptions, RolloutPreview, RolloutTarget } from './types';

/** "custom (qemu64; +vmx)", "host-passthrough", "unset (host-model)". */
export function modeText(c: NovaCpuConfig): ModeText {
  const extra = [...(c.models.value.length ? [c.models.value.join(',')] : []), ...(c.extraFlags.value.length ? [`+${c.extraFlags.value.join(',+')}`] : [])];
  const mode = c.mode.value ?? `unset (${c.effectiveMode})`;
  return extra.length ? `${mode} (${extra.join('; ')})` : mode;
}

/** The whole set after the plan's edits. */
export function resultOf(set: readonly FileSnapshot[], edits: ReadonlyArray<{ path: string; after: string }>): FileSnapshot[] {
  return set.map((s) => ({ ...s, text: edits.find((e) => e.path === s.path)?.after ?? s.text }));
}

function errorPreview(host: string, problem: string): HostPreview {
  return { host, verdict: 'error', problem, unreadable: true, files: [], findings: [], questions: [], summary: [], from: '?', to: '?' };
}

/** One host: read, plan, judge, detect its service. Never throws: a host that cannot be read is an error verdict. */
export async function previewHost(t: RolloutTarget, change: CpuModeChange, opts: PreviewOptions): Promise<HostPreview> {
  const dir = opts.configDir ?? DEFAULT_CONFIG_DIR;
  const sudo = opts.sudo ?? true;
  try {
    const paths = await listConfigSet(t.runner, dir, sudo);
    if (paths.length === 0) return errorPreview(t.name, `no nova.conf set in ${dir} on ${t.name}`);
    const set = await readConfigSet(new HostFiles(t.runner, { sudo }), paths);
    const plan = planNovaCpuMode(set, change, opts.knowledge, t.name);
    const from = modeText(readNovaCpuConfig(set, opts.knowledge));
    const to = plan.refused ? from : modeText(readNovaCpuConfig(resultOf(set, plan.edits), opts.knowledge));
    const base = {
      host: t.name, findings: plan.findings, questions: plan.questions, summary: plan.summary, from, to,
      files: plan.edits.map((e) => ({ path: e.path, before: e.before, after: e.after, sha256: e.sha256, diff: unifiedDiff(e) })),
      set: set.map((s) => ({ path: s.path, sha256: s.sha256 })),
    };
    if (plan.refused) return { ...base, verdict: 'error', problem: `${t.name}: ${plan.refused}` };
    const manager = opts.service ?? (await detectService(t.runner, { sudo })).manager;
    if (!manager) return { ...base, verdict: 'error', problem: `${t.name}: no way to restart nova-compute was found (no systemd unit, kolla container or init script); name one with the service setting` };
    return { ...base, manager, verdict: plan.edits.length ? 'change' : 'unchanged' };
  } catch (e) {
    const why = e instanceof HostFileError || e instanceof HostCommandError ? e.message : `internal error: ${(e as Error).stack ?? e}`;
    return errorPreview(t.name, `${t.name}: cannot be read: ${why}`);
  } finally {
    t.runner.endOperation();
  }
}

/** Runs `work` over `items`, at most `limit` at once, results in input order. */
export async function boundedMap<T, R>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => { for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i], i); };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

export function releaseLabel(k: Knowledge): string {
  const r = k.nova.release.release;
  return `${r.name} (${r.major})`;
}

/** By inventory name, code point order: Ansible's `order: sorted` (Python's sorted()), so both executors cut the same batches. */
export const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Every host's preview, in name order (the first is the canary). */
export async function previewRollout(targets: readonly RolloutTarget[], change: CpuModeChange, opts: PreviewOptions): Promise<RolloutPreview> {
  targets = [...targets].sort(byName);
  const hosts = await boundedMap(targets, opts.parallel ?? 4, async (t) => {
    const h = await previewHost(t, change, opts);
    opts.onHost?.(h);
    return h;
  });
  const bad = hosts.filter((h) => h.verdict === 'error');
  return {
    change, configDir: opts.configDir ?? DEFAULT_CONFIG_DIR, sudo: opts.sudo ?? true, hosts, targets: [...targets], release: releaseLabel(opts.knowledge),
    ...(bad.length ? { blocked: `Not started: ${bad.length} of ${hosts.length} host(s) would get a config nova-compute refuses or could not be planned; nothing was written.\n${bad.map((h) => h.problem).join('\n')}` } : {}),
  };
}
