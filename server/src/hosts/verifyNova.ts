/**
 * Did nova-compute accept the config? Read what it wrote since the restart (a byte offset taken
 * before it, or the restart's epoch second for journald) until the log shows a start-up failure
 * or start-up past init_host, and ask the service manager whether it still runs. Bounded wait.
 */
import type { Finding } from '../core/findings';
import type { Runner } from './runner';
import { journalArgv, readStatus, type LogSource, type ServiceManager, type ServiceState } from './services';
import { judgeStartupLog, matchCode, type CodeMatch, type LogVerdict, type NovaFailure } from './novaLog';

export const DEFAULT_VERIFY_TIMEOUT_MS = 60_000;
/** The label of the verification's polls in the command log (hosts/logFolding.ts folds them). */
export const VERIFY_POLL = "waiting for nova-compute's verdict (its log and status)";
/** How long a failed start-up may take to exit before the verdict is given anyway. */
const EXIT_WAIT_MS = 20_000;
const STATUS_EVERY = 2;

/** Where "since the restart" starts in each log source. */
export interface LogMark { sources: Array<{ source: LogSource; offset: number }>; sinceEpochS: number }

export interface Verdict {
  ok: boolean;
  /** running: past init_host and running; failed: Nova logged a start-up failure; stopped: not running, log silent; timeout: no verdict in time. */
  outcome: 'running' | 'failed' | 'stopped' | 'timeout';
  /** One line for the user. */
  summary: string;
  failure?: NovaFailure;
  match?: CodeMatch;
  /** The log line that showed start-up past init_host. */
  startedLine?: string;
  status: ServiceState;
  ms: number;
}

export interface VerifyOptions {
  timeoutMs?: number;
  pollMs?: number;
  sudo?: boolean;
  /** Our diagnostics of the config set Nova read, to name the code that covers Nova's message. */
  findings?: readonly Finding[];
  /** Nova release major (message texts differ by release). */
  major?: number;
}

const text = (b: Buffer) => b.toString('utf8');

/** Taken before the restart: each log file's size (0 when absent), and the host's clock. */
export async function markLog(runner: Runner, sources: readonly LogSource[], sudo?: boolean): Promise<LogMark> {
  const clock = await runner.run(['date', '+%s'], { timeoutMs: 15_000 });
  const sinceEpochS = clock.code === 0 ? Number(text(clock.stdout).trim()) : Math.floor(Date.now() / 1000);
  const marks: LogMark['sources'] = [];
  for (const source of sources) {
    if (source.kind !== 'file') { marks.push({ source, offset: 0 }); continue; }
    const st = await runner.run(['stat', '-c', '%s', source.path], { timeoutMs: 15_000, sudo });
    marks.push({ source, offset: st.code === 0 ? Number(text(st.stdout).trim()) || 0 : 0 });
  }
  return { sources: marks, sinceEpochS };
}

async function readOne(runner: Runner, source: LogSource, offset: number, sinceEpochS: number, sudo?: boolean): Promise<string> {
  if (source.kind === 'journal') {
    const r = await runner.run(journalArgv(source.unit, sinceEpochS), { timeoutMs: 30_000, sudo, poll: VERIFY_POLL });
    return r.code === 0 ? text(r.stdout) : '';
  }
  const st = await runner.run(['stat', '-c', '%s', source.path], { timeoutMs: 15_000, sudo, poll: VERIFY_POLL });
  if (st.code !== 0) return '';
  // A file smaller than the mark was rotated: read it whole.
  const from = Number(text(st.stdout).trim()) < offset ? 0 : offset;
  const r = await runner.run(['tail', '-c', `+${from + 1}`, source.path], { timeoutMs: 30_000, sudo, poll: VERIFY_POLL });
  return r.code === 0 ? text(r.stdout) : '';
}

/** What the service wrote since the mark, per source (judged one by one: their lines do not interleave). */
export async function readSince(runner: Runner, mark: LogMark, sudo?: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const m of mark.sources) out.push(await readOne(runner, m.source, m.offset, mark.sinceEpochS, sudo));
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A failure in any source decides; else a start in any; else pending. */
function judgeSources(texts: readonly string[]): LogVerdict {
  const verdicts = texts.map(judgeStartupLog);
  return verdicts.find((v) => v.state === 'failed') ?? verdicts.find((v) => v.state === 'started')
    ?? { state: 'pending', starting: verdicts.some((v) => v.state === 'pending' && v.starting) };
}

/**
 * Polls log and status until a verdict or the deadline. A failure in the log is final (nova-compute
 * exits after it, the status may lag); "started" needs the status to say running too. Two stopped
 * statuses in a row with a silent log are a verdict too (it died without saying why, or never ran).
 */
export async function verifyNova(runner: Runner, manager: ServiceManager, mark: LogMark, opts: VerifyOptions = {}): Promise<Verdict> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const pollMs = opts.pollMs ?? 500;
  const t0 = Date.now();
  const status = async () => readStatus(manager, await runner.run(manager.status, { timeoutMs: 15_000, sudo: opts.sudo, poll: VERIFY_POLL }));
  let stoppedInARow = 0;
  let polls = 0;
  let last: ServiceState = 'unknown';
  let starting = false;
  const done = (v: Omit<Verdict, 'ms'>): Verdict => ({ ...v, ms: Date.now() - t0 });
  for (;;) {
    const verdict = judgeSources(await readSince(runner, mark, opts.sudo));
    if (verdict.state === 'failed') {
      const match = matchCode(verdict.failure, opts.findings ?? [], opts.major ?? 26);
      // nova-compute exits a few seconds after logging it; wait (bounded) so the verdict can say it is gone.
      const exitBy = Math.min(t0 + timeoutMs, Date.now() + EXIT_WAIT_MS);
      while ((last = await status()) !== 'stopped' && Date.now() + pollMs < exitBy) await sleep(pollMs);
      return done({
        ok: false, outcome: 'failed', failure: verdict.failure, match, status: last,
        summary: `nova-compute refused the config${last === 'stopped' ? ' and exited' : ` (status: ${last})`}: ${verdict.failure.exception ? `${verdict.failure.exception}: ` : ''}${verdict.failure.message}${match ? ` [${match.code}]` : ''}`,
      });
    }
    starting ||= verdict.state === 'pending' && verdict.starting;
    // The log is read every poll (the verdict comes sooner); the status when it decides, else every STATUS_EVERY polls.
    const polled = verdict.state === 'started' || polls++ % STATUS_EVERY === 0;
    if (polled) last = await status();
    if (verdict.state === 'started' && last === 'running') {
      return done({ ok: true, outcome: 'running', startedLine: verdict.line, status: last, summary: `nova-compute started past init_host and is running (${manager.label})` });
    }
    if (polled) stoppedInARow = last === 'stopped' ? stoppedInARow + 1 : 0;
    if (stoppedInARow >= 2) {
      return done({
        ok: false, outcome: 'stopped', status: last,
        summary: `nova-compute is not running (${manager.label} status) and its log has no start-up failure since the restart${verdict.state === 'started' ? ' (it had got past init_host)' : starting ? ' (it had begun starting)' : ''}`,
      });
    }
    if (Date.now() - t0 + pollMs > timeoutMs) {
      return done({
        ok: false, outcome: 'timeout', status: last,
        summary: `no verdict within ${Math.round(timeoutMs / 1000)} s: the log since the restart shows neither a start-up failure nor start-up past init_host; status: ${last}`,
      });
    }
    await sleep(pollMs);
  }
}
