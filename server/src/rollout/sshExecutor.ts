/**
 * The rollout without Ansible: each host gets the host commands' own transaction (ops/transaction.ts:
 * hash check, backup, atomic write, manifest, restart, verification from nova-compute's log) over
 * its runner (OpenSSH), at most `parallel` hosts at once, batch by batch (orchestrate.ts). The
 * transaction never rolls back by itself here: the orchestration rolls back every touched host.
 */
import type { Knowledge } from '../knowledge/knowledge';
import { HostFiles } from '../hosts/hostFiles';
import { applyChange, rollback, type Manifest, type TransactionContext, type TransactionResult } from '../ops/transaction';
import { planNovaCpuMode } from '../ops/index';
import { runBatches } from './orchestrate';
import { boundedMap } from './preview';
import type { HostPreview, RolloutEvent, RolloutExecutor, RolloutOptions, RolloutPreview, RolloutTarget } from './types';

export const DEFAULT_PARALLEL = 4;
export const DEFAULT_ROLLOUT_VERIFY_MS = 120_000;

/** True when the plan made now is the one the preview showed (same files, same bytes before and after). */
function samePlan(h: HostPreview, edits: ReadonlyArray<{ path: string; after: string; sha256: string }>): boolean {
  return edits.length === h.files.length && edits.every((e, i) => e.path === h.files[i].path && e.after === h.files[i].after && e.sha256 === h.files[i].sha256);
}

export class SshExecutor implements RolloutExecutor {
  readonly name = 'ssh' as const;
  private readonly manifests = new Map<string, Manifest>();

  constructor(private readonly knowledge: Knowledge) {}

  private ctx(preview: RolloutPreview, h: HostPreview, opts: RolloutOptions, onStale: () => void): TransactionContext {
    const t = target(preview, h.host);
    return {
      runner: t.runner, manager: h.manager!, knowledge: this.knowledge, sudo: preview.sudo, configDir: preview.configDir,
      verify: { timeoutMs: opts.verifyTimeoutMs ?? DEFAULT_ROLLOUT_VERIFY_MS },
      ui: {
        // What is applied must be what was previewed: a host whose files or plan moved since is refused.
        preview: async (p) => { const same = samePlan(h, p.plan.edits); if (!same) onStale(); return same; },
        progress: () => undefined,
        offerRollback: async () => false,
      },
    };
  }

  private async applyOne(preview: RolloutPreview, h: HostPreview, emit: (e: RolloutEvent) => void, opts: RolloutOptions): Promise<boolean> {
    emit({ kind: 'started', at: Date.now(), host: h.host });
    if (opts.dryRun) return this.check(preview, h, emit);
    let stale = false;
    const r: TransactionResult = await applyChange(this.ctx(preview, h, opts, () => { stale = true; }), (files) => planNovaCpuMode(files, preview.change, this.knowledge, h.host));
    if (r.manifest) {
      this.manifests.set(h.host, r.manifest);
      emit({ kind: 'written', at: Date.now(), host: h.host, files: r.manifest.files.map((f) => ({ path: f.path, backup: f.backup })) });
    }
    if (r.verdict) {
      emit({ kind: 'restarted', at: Date.now(), host: h.host, ms: r.timings.restartMs });
      const v = r.verdict;
      emit({ kind: 'verified', at: Date.now(), host: h.host, ok: v.ok, outcome: v.outcome, summary: v.summary, line: v.startedLine ?? v.failure?.lines[0] });
    }
    if (r.outcome === 'applied') return true;
    const step = r.verdict ? 'verify' : r.manifest ? 'restart' : stale || r.outcome === 'refused' || r.outcome === 'cancelled' ? 'check' : 'write';
    const message = stale ? `${h.host}: the config set changed since the preview (nothing was written); preview again` : r.message;
    emit({ kind: 'failed', at: Date.now(), host: h.host, step, message, ...(r.verdict?.failure ? { novaLines: r.verdict.failure.lines } : {}) });
    return false;
  }

  /** Dry run: the files must still be what the preview read; the preview's diff is what would be written. */
  private async check(preview: RolloutPreview, h: HostPreview, emit: (e: RolloutEvent) => void): Promise<boolean> {
    const t = target(preview, h.host);
    try {
      const files = new HostFiles(t.runner, { sudo: preview.sudo });
      for (const f of h.files) {
        if ((await files.hash(f.path)) !== f.sha256) {
          emit({ kind: 'failed', at: Date.now(), host: h.host, step: 'check', message: `${h.host}: ${f.path} changed since the preview` });
          return false;
        }
      }
      emit({ kind: 'checked', at: Date.now(), host: h.host, changed: h.files.length > 0, diff: h.files.map((f) => f.diff).join('') });
      return true;
    } catch (e) {
      emit({ kind: 'failed', at: Date.now(), host: h.host, step: 'connect', message: (e as Error).message });
      return false;
    } finally {
      t.runner.endOperation();
    }
  }

  apply(preview: RolloutPreview, batches: HostPreview[][], emit: (e: RolloutEvent) => void, opts: RolloutOptions): Promise<void> {
    return runBatches(batches, opts.parallel ?? DEFAULT_PARALLEL, (h) => this.applyOne(preview, h, emit, opts), emit);
  }

  async rollback(preview: RolloutPreview, hosts: HostPreview[], emit: (e: RolloutEvent) => void, opts: RolloutOptions): Promise<void> {
    await boundedMap(hosts, opts.parallel ?? DEFAULT_PARALLEL, async (h) => {
      const m = this.manifests.get(h.host);
      // No manifest: the transaction put back what it had written before failing (applyChange), nothing is left to undo.
      if (!m) { emit({ kind: 'rolled-back', at: Date.now(), host: h.host, ok: true, summary: 'nothing written remained (the transaction restored its own partial write)' }); return; }
      const r = await rollback(this.ctx(preview, h, opts, () => undefined), m);
      emit({ kind: 'rolled-back', at: Date.now(), host: h.host, ok: r.outcome === 'rolled-back', summary: r.rollbackVerdict?.summary ?? r.message });
    });
  }

  async close(): Promise<void> {}
}

export function target(preview: RolloutPreview, host: string): RolloutTarget {
  const t = preview.targets.find((x) => x.name === host);
  if (!t) throw new Error(`internal error: ${host} is not a target of this preview`);
  return t;
}
