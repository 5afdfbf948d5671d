/**
 * Ansible's machine-readable output (the `ansible.posix.jsonl` stdout callback: one JSON object
 * per line, `_event` naming the callback method, `hosts` the per-host results, `task` the task
 * with its start/end times) read into RolloutEvents. Pure: fed line by line, never text-scraped;
 * the only text inside a result we read is our own helper's JSON verdict on stdout.
 */
import type { Verdict } from '../hosts/verifyNova';
import { unifiedDiff } from '../ops/diff';
import { APPLY_PLAY, ROLLBACK_PLAY, TASK } from './playbook';
import type { RolloutEvent, RolloutStep } from './types';

interface TaskInfo { name?: string; duration?: { start?: string; end?: string } }
interface HostResult {
  changed?: boolean; failed?: boolean; skipped?: boolean; unreachable?: boolean; msg?: string; stdout?: string; stderr?: string; rc?: number;
  results?: HostResult[]; diff?: Array<{ before?: string; after?: string; before_header?: string; after_header?: string }>;
  item?: { path?: string };
}
interface JsonlEvent { _event?: string; _timestamp?: string; play?: { name?: string; duration?: { start?: string } }; task?: TaskInfo; hosts?: Record<string, HostResult> }

const STEP: Record<string, RolloutStep> = {
  [TASK.check]: 'check', [TASK.checkAssert]: 'check', [TASK.backup]: 'write', [TASK.backupCheck]: 'write', [TASK.backupAssert]: 'write',
  [TASK.write]: 'write', [TASK.written]: 'write', [TASK.writtenAssert]: 'write', [TASK.mark]: 'restart', [TASK.restart]: 'restart', [TASK.verify]: 'verify',
};

/** The helper's verdict on stdout, or undefined when it printed none (it failed before judging). */
export function verdictOf(stdout: string | undefined): Verdict | undefined {
  try {
    const v = JSON.parse(stdout ?? '') as Verdict;
    return v && typeof v === 'object' && typeof v.ok === 'boolean' && typeof v.summary === 'string' ? v : undefined;
  } catch { return undefined; }
}

/** What a failed result says: the first failed item's message for loops, else msg and stderr. */
export function failureMessage(r: HostResult): string {
  const one = (x: HostResult) => [x.msg, x.stderr].filter((s) => s && s.trim()).join(': ');
  const item = r.results?.find((x) => x.failed);
  return (item ? one(item) : one(r)) || 'failed';
}

/** Ansible's --diff (before/after texts per file) as our unified diff. */
function diffText(r: HostResult): string {
  const parts = (r.results ?? [r]).flatMap((x) => x.diff ?? []);
  return parts.map((d) => unifiedDiff({ path: d.before_header ?? x(r), before: d.before ?? '', after: d.after ?? '' })).join('');
}

const x = (r: HostResult) => r.item?.path ?? 'file';

/** Seconds from Ansible's timestamps ("2026-12-01T19:58:03.346125Z"). */
const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/**
 * Reads one run's lines. `backups` gives, per host, the files and backups the playbook writes
 * (what the `written` event names).
 */
export class AnsibleEventReader {
  private play = '';
  private readonly started = new Set<string>();
  private readonly rolled = new Set<string>();

  private batch = 0;

  /** `batches`: the serial batches' hosts, in order (with serial, Ansible starts the play once per batch). */
  constructor(private readonly backups: ReadonlyMap<string, Array<{ path: string; backup: string }>>, private readonly checkMode = false, private readonly batches: readonly string[][] = []) {}

  /** Events for one line of output (none for lines that are not ours). */
  feed(line: string): RolloutEvent[] {
    let e: JsonlEvent;
    try { e = JSON.parse(line) as JsonlEvent; } catch { return []; }
    if (!e || typeof e !== 'object') return [];
    if (e._event === 'v2_playbook_on_play_start') {
      this.play = e.play?.name ?? '';
      if (this.play !== APPLY_PLAY) return [];
      const index = this.batch++;
      return [{ kind: 'batch', at: ms(e.play?.duration?.start) || ms(e._timestamp) || Date.now(), index, hosts: [...(this.batches[index] ?? [])], canary: index === 0 }];
    }
    if (!e._event?.startsWith('v2_runner_on_') || !e.hosts || !e.task?.name) return [];
    const out: RolloutEvent[] = [];
    const task = e.task.name;
    const at = ms(e.task.duration?.end) || ms(e._timestamp) || Date.now();
    for (const [host, r] of Object.entries(e.hosts)) {
      if (this.play === APPLY_PLAY) this.applyEvent(out, e._event, task, host, r, at, ms(e.task.duration?.start) || at);
      else if (this.play === ROLLBACK_PLAY) this.rollbackEvent(out, e._event, task, host, r, at);
    }
    return out;
  }

  private applyEvent(out: RolloutEvent[], kind: string, task: string, host: string, r: HostResult, at: number, start: number) {
    if (!this.started.has(host)) { this.started.add(host); out.push({ kind: 'started', at: start, host }); }
    const step = STEP[task] ?? 'check';
    if (kind === 'v2_runner_on_unreachable') { out.push({ kind: 'failed', at, host, step: 'connect', message: r.msg ?? 'unreachable' }); return; }
    if (kind === 'v2_runner_on_skipped') return;
    const failed = kind === 'v2_runner_on_failed';
    if (task === TASK.verify) {
      const v = verdictOf(r.stdout);
      if (v) out.push({ kind: 'verified', at, host, ok: v.ok, outcome: v.outcome, summary: v.summary, line: v.startedLine ?? v.failure?.lines[0] });
      if (failed) out.push({ kind: 'failed', at, host, step: 'verify', message: v?.summary ?? failureMessage(r), ...(v?.failure ? { novaLines: v.failure.lines } : {}) });
      return;
    }
    if (failed) { out.push({ kind: 'failed', at, host, step, message: failureMessage(r) }); return; }
    if (task === TASK.write && this.checkMode) out.push({ kind: 'checked', at, host, changed: Boolean(r.changed), diff: diffText(r) });
    if (task === TASK.writtenAssert) out.push({ kind: 'written', at, host, files: this.backups.get(host) ?? [] });
    if (task === TASK.restart) out.push({ kind: 'restarted', at, host, ms: at - start });
  }

  private rollbackEvent(out: RolloutEvent[], kind: string, task: string, host: string, r: HostResult, at: number) {
    if (this.rolled.has(host) || kind === 'v2_runner_on_skipped') return;
    if (task === TASK.rbVerify) {
      const v = verdictOf(r.stdout);
      this.rolled.add(host);
      out.push({ kind: 'rolled-back', at, host, ok: kind === 'v2_runner_on_ok' && Boolean(v?.ok), summary: v?.summary ?? failureMessage(r) });
    } else if (kind === 'v2_runner_on_failed' || kind === 'v2_runner_on_unreachable') {
      this.rolled.add(host);
      out.push({ kind: 'rolled-back', at, host, ok: false, summary: `${task}: ${failureMessage(r)}` });
    }
  }
}
