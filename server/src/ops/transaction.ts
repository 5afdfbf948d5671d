/**
 * Changing a compute node's nova.conf set as one transaction, on the same engine for the editor,
 * the CLI and tests (no vscode import):
 *
 *   read the set (remember each file's sha256) → plan → preview → on confirm: refuse if any file
 *   changed since the preview → timestamped backup + atomic write (owner and mode kept) → record a
 *   rollback manifest → restart nova-compute → verify from its own log → on failure offer the
 *   rollback, and on request: restore byte for byte, restart, verify again.
 *
 * Every command goes through the Runner, whose hooks.log gets each one with exit status and time.
 */
import { posix } from 'node:path';
import type { Knowledge } from '../knowledge/knowledge';
import { configSetOf } from '../novaconf/configSet';
import { CONFIG_DIRS, NO_ARGUMENTS, type Launch } from '../novaconf/launchOrder';
import { runProbes } from '../hosts/launch';
import type { Runner, RunResult } from '../hosts/runner';
import { HostFiles, HostFileError } from '../hosts/hostFiles';
import { HostCommandError, succeeded, failureText, displayArgv } from '../hosts/commandError';
import type { ServiceManager } from '../hosts/services';
import { markLog, verifyNova, type LogMark, type Verdict, type VerifyOptions } from '../hosts/verifyNova';
import { findingsOfSet } from './validate';
import { unifiedDiff } from './diff';
import type { FileSnapshot, Plan } from './types';

export const DEFAULT_CONFIG_DIR = '/etc/nova';
const RESTART_TIMEOUT_MS = 180_000;

/** What the front shows and asks; the transaction decides nothing through it but yes/no. */
export interface TransactionUi {
  /** Show the diff and the effect; resolve true to apply. */
  preview(p: Preview): Promise<boolean>;
  progress(step: string): void;
  /** Verification failed: roll back? */
  offerRollback(v: Verdict): Promise<boolean>;
}

export interface Preview {
  host: string;
  manager: ServiceManager;
  plan: Plan;
  /** One unified diff per edited file. */
  diffs: string[];
}

export type Outcome = 'applied' | 'unchanged' | 'refused' | 'cancelled' | 'failed' | 'rolled-back' | 'rollback-failed' | 'error';

export interface TransactionResult {
  outcome: Outcome;
  /** One paragraph for the user (Nova's words included where it refused). */
  message: string;
  plan?: Plan;
  verdict?: Verdict;
  /** After a rollback: the verdict on the restored config. */
  rollbackVerdict?: Verdict;
  manifest?: Manifest;
  /** Milliseconds: the whole apply, the restart command(s), and the verification wait(s). */
  timings: { totalMs: number; restartMs: number; verifyMs: number };
}

/** Which files one change wrote and where their previous bytes are: what `rollback` restores. */
export interface Manifest {
  id: string;
  kind: 'change' | 'rollback';
  host: string;
  at: string;
  service: string;
  summary: string[];
  files: Array<{ path: string; backup: string; sha256Before: string; sha256After: string }>;
  /** For kind 'rollback': the change it undid. */
  undoes?: string;
  /** Where the manifest itself is stored on the host. */
  path?: string;
}

export interface TransactionContext {
  runner: Runner;
  manager: ServiceManager;
  knowledge: Knowledge;
  ui: TransactionUi;
  /** Run file and service commands as root (sudo -n, then a password once per operation). */
  sudo?: boolean;
  /** Directory of the config set (nova.conf, nova-compute.conf, nova.conf.d/). */
  configDir?: string;
  verify?: Pick<VerifyOptions, 'timeoutMs' | 'pollMs'>;
  /** Kill the restart command after this long (default 180 s); verification still decides. */
  restartTimeoutMs?: number;
  now?: () => Date;
}

/**
 * How nova-compute is launched on the host (hosts/launch.ts: its running process, else its
 * service), without sudo (every probe reads what any user may); oslo.config's no-argument
 * order when nothing is found.
 */
export async function hostLaunch(runner: Runner): Promise<Launch> {
  const d = await runProbes(async (argv) => {
    const r = await runner.run(argv, { timeoutMs: 15_000 });
    return { code: r.error ? null : r.code, stdout: r.stdout.toString('utf8') };
  });
  return d.launch ?? NO_ARGUMENTS;
}

/**
 * The members of the config set on the host, in nova-compute's read order for `launch` (by
 * default the one found on the host: hostLaunch).
 */
export async function listConfigSet(runner: Runner, dir: string, sudo?: boolean, launch?: Launch): Promise<string[]> {
  const names = async (d: string): Promise<string[]> => {
    const r = await runner.run(['find', d, '-mindepth', '1', '-maxdepth', '1', '-type', 'f', '-printf', '%f\\0'], { sudo, timeoutMs: 30_000 });
    return succeeded(r) ? r.stdout.toString('utf8').split('\0').filter(Boolean) : [];
  };
  const listing = new Map<string, string[]>();
  for (const d of [dir, ...CONFIG_DIRS.map((n) => posix.join(dir, n))]) listing.set(d, await names(d));
  const set = configSetOf(posix.join(dir, 'nova.conf'), (d) => listing.get(d) ?? [], launch ?? (await hostLaunch(runner)));
  if (!listing.get(dir)!.includes('nova.conf')) return set!.members.filter((p) => p !== posix.join(dir, 'nova.conf'));
  return set!.members;
}

export async function readConfigSet(files: HostFiles, paths: readonly string[]): Promise<FileSnapshot[]> {
  const out: FileSnapshot[] = [];
  for (const path of paths) {
    const f = await files.read(path);
    out.push({ path, text: f.bytes.toString('utf8'), sha256: f.sha256 });
  }
  return out;
}

const MANIFEST_PREFIX = '.nova-libvirt-cpu-change-';

function manifestName(at: Date, kind: Manifest['kind']): string {
  return `${MANIFEST_PREFIX}${at.toISOString().replace(/[-:.]/g, '')}-${kind}.json`;
}

/** Writes a manifest as a new file in the config dir (dd conv=excl: never over another one). */
async function saveManifest(runner: Runner, dir: string, m: Manifest, sudo?: boolean): Promise<Manifest> {
  const path = posix.join(dir, manifestName(new Date(m.at), m.kind));
  const r = await runner.run(['dd', `of=${path}`, 'conv=excl,fsync', 'status=none'], { stdin: JSON.stringify({ ...m, path: undefined }, null, 2) + '\n', sudo, timeoutMs: 30_000 });
  if (!succeeded(r)) throw new HostCommandError(runner.host, r, 'recording the rollback manifest');
  return { ...m, path };
}

/** The manifests in the config dir, newest first. */
export async function listManifests(runner: Runner, dir = DEFAULT_CONFIG_DIR, sudo?: boolean): Promise<Manifest[]> {
  const r = await runner.run(['find', dir, '-mindepth', '1', '-maxdepth', '1', '-type', 'f', '-name', `${MANIFEST_PREFIX}*.json`, '-printf', '%p\\0'], { sudo, timeoutMs: 30_000 });
  if (!succeeded(r)) throw new HostCommandError(runner.host, r, 'listing rollback manifests');
  const out: Manifest[] = [];
  for (const path of r.stdout.toString('utf8').split('\0').filter(Boolean).sort().reverse()) {
    const c = await runner.run(['cat', '--', path], { sudo, timeoutMs: 30_000, maxOutputBytes: 1 << 20 });
    try { if (succeeded(c)) out.push({ ...(JSON.parse(c.stdout.toString('utf8')) as Manifest), path }); } catch { /* not ours or damaged: skip */ }
  }
  return out;
}

/** The newest change that no later rollback undid. */
export function lastChange(manifests: readonly Manifest[]): Manifest | undefined {
  const undone = new Set(manifests.filter((m) => m.kind === 'rollback').map((m) => m.undoes));
  return manifests.find((m) => m.kind === 'change' && !undone.has(m.id));
}

function describe(v: Verdict): string {
  if (v.outcome !== 'failed' || !v.failure) return v.summary;
  const why = v.match?.finding ? `\n${v.match.finding.explanation}${v.match.finding.fixes?.length ? `\nQuick fix: ${v.match.finding.fixes.map((f) => f.title).join(' / ')}` : ''}` : '';
  return `${v.summary}\nNova's log:\n${v.failure.lines.map((l) => `  ${l}`).join('\n')}${why}`;
}

class Clock {
  readonly t0 = Date.now();
  restartMs = 0;
  verifyMs = 0;
  get timings() { return { totalMs: Date.now() - this.t0, restartMs: this.restartMs, verifyMs: this.verifyMs }; }
}

/**
 * Nova's verdict on the config set `docs` since `mark`: verifyNova with our diagnostics of that set
 * (to name the code that covers Nova's message). Also what a rollout's Ansible play runs after each restart.
 */
export function verifyRestart(runner: Runner, manager: ServiceManager, mark: LogMark, docs: FileSnapshot[], knowledge: Knowledge, opts: Omit<VerifyOptions, 'findings' | 'major'> = {}): Promise<Verdict> {
  const findings = findingsOfSet(docs, knowledge, 'nova-conf');
  const major = knowledge.nova.release.release.major;
  return verifyNova(runner, manager, mark, { ...opts, findings, major });
}

/** Restart, then verify from the log mark taken before it. */
async function restartAndVerify(ctx: TransactionContext, clock: Clock, docs: FileSnapshot[]): Promise<{ verdict: Verdict; restart: RunResult }> {
  const mark = await markLog(ctx.runner, ctx.manager.log, ctx.sudo);
  ctx.ui.progress(`restarting nova-compute (${displayArgv(ctx.manager.restart)})`);
  const restart = await ctx.runner.run(ctx.manager.restart, { sudo: ctx.sudo, timeoutMs: ctx.restartTimeoutMs ?? RESTART_TIMEOUT_MS });
  clock.restartMs += restart.ms;
  ctx.ui.progress(`verifying from nova-compute's log (up to ${Math.round((ctx.verify?.timeoutMs ?? 60_000) / 1000)} s)`);
  const verdict = await verifyRestart(ctx.runner, ctx.manager, mark, docs, ctx.knowledge, { ...ctx.verify, sudo: ctx.sudo });
  clock.verifyMs += verdict.ms;
  if (!succeeded(restart) && verdict.ok) {
    // The service runs the new config although the restart command failed (e.g. killed mid-way after the start): say so.
    return { verdict: { ...verdict, summary: `${verdict.summary}; note: the restart command itself ended with ${failureText(restart)}` }, restart };
  }
  return { verdict, restart };
}

/**
 * Restores the files of a change byte for byte (each only if it still holds what the change
 * wrote), restarts and verifies. Records a 'rollback' manifest so the change is not undone twice.
 */
export async function rollback(ctx: TransactionContext, change: Manifest, clock = new Clock()): Promise<TransactionResult> {
  const files = new HostFiles(ctx.runner, { sudo: ctx.sudo, now: ctx.now });
  const dir = ctx.configDir ?? DEFAULT_CONFIG_DIR;
  try {
    ctx.ui.progress(`restoring ${change.files.map((f) => f.path).join(', ')}`);
    const restored: Manifest['files'] = [];
    for (const f of change.files) {
      const out = await files.restore(f.path, f.backup, { expectedSha256: f.sha256After });
      restored.push({ path: f.path, backup: out.backupPath ?? '', sha256Before: f.sha256After, sha256After: out.sha256 });
    }
    const at = (ctx.now ?? (() => new Date()))();
    await saveManifest(ctx.runner, dir, {
      id: `rollback-${at.toISOString()}`, kind: 'rollback', host: ctx.runner.host, at: at.toISOString(), service: ctx.manager.label,
      summary: [`rolled back ${change.id}`], files: restored, undoes: change.id,
    }, ctx.sudo);
    const paths = await listConfigSet(ctx.runner, dir, ctx.sudo);
    const docs = await readConfigSet(files, paths);
    const { verdict } = await restartAndVerify(ctx, clock, docs);
    return {
      outcome: verdict.ok ? 'rolled-back' : 'rollback-failed', manifest: change, rollbackVerdict: verdict, timings: clock.timings,
      message: verdict.ok ? `Rolled back: the previous config is restored and nova-compute runs (${verdict.summary}).`
        : `Rolled back the files, but nova-compute does not run with the restored config either: ${describe(verdict)}`,
    };
  } catch (e) {
    return { outcome: 'rollback-failed', manifest: change, timings: clock.timings, message: `Rollback failed: ${(e as Error).message}` };
  } finally {
    ctx.runner.endOperation();
  }
}

/** The whole apply. `planner` gets the set as read (the real one is ops/novaConfPlan's planNovaCpuMode). */
export async function applyChange(ctx: TransactionContext, planner: (files: FileSnapshot[]) => Plan): Promise<TransactionResult> {
  const clock = new Clock();
  const files = new HostFiles(ctx.runner, { sudo: ctx.sudo, now: ctx.now });
  const dir = ctx.configDir ?? DEFAULT_CONFIG_DIR;
  let plan: Plan | undefined;
  let manifest: Manifest | undefined;
  const result = (outcome: Outcome, message: string, extra: Partial<TransactionResult> = {}): TransactionResult =>
    ({ outcome, message, plan, manifest, timings: clock.timings, ...extra });
  try {
    ctx.ui.progress(`reading the config set in ${dir} on ${ctx.runner.host}`);
    const paths = await listConfigSet(ctx.runner, dir, ctx.sudo);
    if (paths.length === 0) return result('error', `No nova.conf set in ${dir} on ${ctx.runner.host}.`);
    const snapshots = await readConfigSet(files, paths);
    plan = planner(snapshots);
    if (plan.refused) return result('refused', `Not applied: ${plan.refused}`);
    if (plan.edits.length === 0) return result('unchanged', `Nothing to change: ${plan.summary.join('; ')}`);

    if (!(await ctx.ui.preview({ host: ctx.runner.host, manager: ctx.manager, plan, diffs: plan.edits.map(unifiedDiff) }))) {
      return result('cancelled', 'Not applied: cancelled at the preview.');
    }
    // Nothing is written unless every file is still what the preview showed.
    for (const e of plan.edits) {
      const now = await files.hash(e.path);
      if (now !== e.sha256) return result('refused', `Not applied: ${e.path} on ${ctx.runner.host} changed since the preview (nothing was written). Review the change again.`);
    }
    ctx.ui.progress(`backing up and writing ${plan.edits.map((e) => e.path).join(', ')}`);
    const written: Manifest['files'] = [];
    try {
      for (const e of plan.edits) {
        const out = await files.write(e.path, e.after, e.sha256);
        written.push({ path: e.path, backup: out.backupPath!, sha256Before: e.sha256, sha256After: out.sha256 });
      }
    } catch (e) {
      // A later file failed: put back the ones already written, so the set is never half-changed.
      for (const w of written.reverse()) await files.restore(w.path, w.backup, { expectedSha256: w.sha256After, backup: false }).catch(() => undefined);
      throw e;
    }
    const at = (ctx.now ?? (() => new Date()))();
    manifest = await saveManifest(ctx.runner, dir, {
      id: `change-${at.toISOString()}`, kind: 'change', host: ctx.runner.host, at: at.toISOString(), service: ctx.manager.label, summary: plan.summary, files: written,
    }, ctx.sudo);

    const after = snapshots.map((s) => ({ ...s, text: plan!.edits.find((e) => e.path === s.path)?.after ?? s.text }));
    const { verdict } = await restartAndVerify(ctx, clock, after);
    if (verdict.ok) return result('applied', `Applied and verified: ${plan.summary.join('; ')}. ${verdict.summary}.`, { verdict });

    if (!(await ctx.ui.offerRollback(verdict))) {
      return result('failed', `Applied, but ${describe(verdict)}\nNot rolled back; \`nova-libvirt-cpu rollback\` restores the previous files (${written.map((w) => w.backup).join(', ')}).`, { verdict });
    }
    const rb = await rollback(ctx, manifest, clock);
    return { ...rb, plan, verdict, message: `${describe(verdict)}\n${rb.message}` };
  } catch (e) {
    const why = e instanceof HostFileError || e instanceof HostCommandError ? e.message : `internal error: ${(e as Error).stack ?? e}`;
    return result('error', manifest ? `${why}\nThe change was written; \`nova-libvirt-cpu rollback\` restores it.` : `Not applied: ${why}`);
  } finally {
    ctx.runner.endOperation();
  }
}
