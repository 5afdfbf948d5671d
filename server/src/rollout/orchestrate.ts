/**
 * The rollout's one orchestration, whatever the executor: a blocked preview starts nothing; the
 * hosts to change go in batches (the canary alone first, then `batchSize` at a time); the executor
 * stops after the first batch with a failure; then every host it touched is rolled back (restore,
 * restart, verify); the summary is built from the executor's events only.
 */
import { boundedMap } from './preview';
import type { HostPreview, HostState, RolloutEvent, RolloutExecutor, RolloutOptions, RolloutPreview, RolloutSummary, SummaryRow } from './types';

export const DEFAULT_CANARY = 1;
export const DEFAULT_BATCH = 5;

/** [canary hosts] then slices of batchSize. */
export function batchesOf<T>(hosts: readonly T[], canary = DEFAULT_CANARY, batchSize = DEFAULT_BATCH): T[][] {
  if (!(Number.isInteger(canary) && canary >= 1)) throw new Error(`canary must be a whole number of hosts, at least 1, not ${canary}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batch size must be a whole number of hosts, at least 1, not ${batchSize}`);
  const out: T[][] = [];
  if (hosts.length) out.push(hosts.slice(0, canary));
  for (let i = canary; i < hosts.length; i += batchSize) out.push(hosts.slice(i, i + batchSize));
  return out;
}

/**
 * The batch loop for executors that drive hosts themselves (the ssh executor): one batch at a
 * time, at most `parallel` hosts of it at once, and no later batch once a host of this one failed
 * (Ansible's `max_fail_percentage: 0` with `serial`: the batch under way finishes its host).
 */
export async function runBatches(batches: HostPreview[][], parallel: number, applyOne: (h: HostPreview) => Promise<boolean>, emit: (e: RolloutEvent) => void): Promise<void> {
  for (const [index, batch] of batches.entries()) {
    emit({ kind: 'batch', at: Date.now(), index, hosts: batch.map((h) => h.host), canary: index === 0 });
    const ok = await boundedMap(batch, parallel, applyOne);
    if (ok.includes(false)) return;
  }
}

/** Hosts the executor may have changed: written, or failed at or after the write. */
export function touchedHosts(events: readonly RolloutEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    if (e.kind === 'written') out.add(e.host);
    if (e.kind === 'failed' && (e.step === 'write' || e.step === 'restart' || e.step === 'verify')) out.add(e.host);
  }
  return out;
}

/** A nova-compute log line without its date, time and pid ("2026-12-01 20:10:59.794 536 "): Nova's words. */
export const logText = (line: string) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \d+ /, '');

function rowOf(h: HostPreview, events: readonly RolloutEvent[]): SummaryRow {
  const mine = events.filter((e) => 'host' in e && e.host === h.host);
  const find = <K extends RolloutEvent['kind']>(k: K) => mine.filter((e): e is Extract<RolloutEvent, { kind: K }> => e.kind === k);
  const started = find('started')[0];
  const verified = find('verified')[0];
  const failed = find('failed')[0];
  const rolled = find('rolled-back')[0];
  const checked = find('checked')[0];
  const restart: SummaryRow['restart'] = find('restarted').length ? 'ok' : failed?.step === 'restart' ? 'failed' : 'not run';
  const state: HostState = h.verdict === 'unchanged' ? 'unchanged'
    : rolled ? (rolled.ok ? 'rolled-back' : 'rollback-failed')
    : failed ? 'failed' : verified?.ok ? 'applied' : checked ? 'checked' : 'untouched';
  const nova = verified ? verified.summary
    : failed ? failed.message : checked ? (checked.changed ? 'dry run: would change' : 'dry run: no change')
    : h.verdict === 'unchanged' ? 'nothing to change' : h.verdict === 'error' ? `blocked the rollout: ${(h.problem ?? '').split('\n')[0]}` : 'not run';
  const end = [verified, failed].filter(Boolean).map((e) => e!.at);
  const ms = started && end.length ? Math.max(...end) - started.at : 0;
  return {
    host: h.host, from: h.from, to: h.to, restart, nova, ms, rolledBack: Boolean(rolled?.ok), state,
    ...(verified?.line ? { novaLine: verified.line } : {}), ...(rolled ? { rollback: rolled.summary } : {}), ...(failed ? { failedStep: failed.step } : {}),
  };
}

function messageOf(rows: SummaryRow[], stoppedAt: string | undefined, dryRun: boolean): string {
  const n = (s: HostState) => rows.filter((r) => r.state === s).length;
  if (dryRun) return `Dry run: ${n('checked')} host(s) would change, ${n('unchanged')} unchanged; nothing was written.`;
  if (!stoppedAt) return `Applied and verified on ${n('applied')} host(s)${n('unchanged') ? `, ${n('unchanged')} unchanged` : ''}.`;
  const stop = rows.find((r) => r.host === stoppedAt);
  return `Stopped at ${stoppedAt}: ${stop?.nova ?? 'failed'}${stop?.novaLine ? `\nNova's log: ${stop.novaLine}` : ''}\n`
    + `${n('rolled-back')} host(s) rolled back${n('rollback-failed') ? `, ${n('rollback-failed')} whose rollback FAILED (nova-compute may be down there)` : ''}, `
    + `${n('untouched')} untouched${n('failed') ? `, ${n('failed')} failed and not rolled back` : ''}.`;
}

export async function runRollout(preview: RolloutPreview, executor: RolloutExecutor, onEvent: (e: RolloutEvent) => void = () => undefined, opts: RolloutOptions = {}): Promise<RolloutSummary> {
  const t0 = Date.now();
  const dryRun = Boolean(opts.dryRun);
  const events: RolloutEvent[] = [];
  const emit = (e: RolloutEvent) => { events.push(e); onEvent(e); };
  const summary = (stoppedAt: string | undefined, message?: string): RolloutSummary => {
    const rows = preview.hosts.map((h) => rowOf(h, events));
    return {
      ok: !message && !stoppedAt, executor: executor.name, dryRun, rows, ...(stoppedAt ? { stoppedAt } : {}),
      message: message ?? messageOf(rows, stoppedAt, dryRun), ms: Date.now() - t0, ...(executor.engineMs ? { engineMs: executor.engineMs() } : {}),
    };
  };
  if (preview.blocked) return summary(undefined, preview.blocked);
  const todo = preview.hosts.filter((h) => h.verdict === 'change');
  try {
    if (todo.length) await executor.apply(preview, batchesOf(todo, opts.canary, opts.batchSize), emit, opts);
    const stopped = events.find((e): e is Extract<RolloutEvent, { kind: 'failed' }> => e.kind === 'failed');
    if (stopped && !dryRun && opts.rollback !== false) {
      const touched = touchedHosts(events);
      const back = todo.filter((h) => touched.has(h.host));
      if (back.length) await executor.rollback(preview, back, emit, opts);
    }
    // A host that neither verified nor failed while the rollout went on (e.g. the executor died) counts as a stop too.
    const unverified = !stopped && !dryRun ? todo.find((h) => !events.some((e) => e.kind === 'verified' && e.host === h.host && e.ok)) : undefined;
    if (unverified && !stopped) emit({ kind: 'failed', at: Date.now(), host: unverified.host, step: 'verify', message: `${executor.name}: no verdict was reported for ${unverified.host}` });
    return summary(stopped?.host ?? unverified?.host);
  } finally {
    await executor.close?.();
  }
}

/** The summary as a text table (the CLI; the VS Code summary view renders the same rows). */
export function summaryTable(s: RolloutSummary): string {
  const head = ['host', 'old → new', 'restart', 'state', "Nova's verdict (its log line)", 'time', 'rolled back'];
  const short = (t: string) => (t.length > 100 ? `${t.slice(0, 99)}…` : t);
  const cells = s.rows.map((r) => [
    // Nova's words without the request context ("[None req-… - - - - - -]"), so the message fits.
    r.host, `${r.from} → ${r.to}`, r.restart, r.state, short(r.novaLine ? logText(r.novaLine).replace(/^(\S+ \S+) \[[^\]]*\] /, '$1 ') : r.nova.split('\n')[0]),
    r.ms ? `${(r.ms / 1000).toFixed(1)} s` : '—', r.rolledBack ? 'yes' : r.state === 'rollback-failed' ? 'FAILED' : 'no',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(width[i]))).join('  ');
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}
