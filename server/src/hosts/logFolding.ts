/**
 * The command log, readable: a waiting loop (nova-compute's verdict: `stat`, `tail`, `status` every
 * 500 ms for up to a minute; a guest's state while it shuts down) would otherwise bury the few
 * commands that matter under hundreds of identical lines. Commands run with `RunOptions.poll`
 * carry that label in their log entry; a run of consecutive entries with the same label and host
 * becomes one line when the loop opens (at its second poll: a single poll is shown as it is) and
 * one summary when it ends (how many of each command, their exit statuses, how long). Each poll still goes to the detailed level (trace), so the
 * full log stays available. No vscode import: the output channel and the tests share it.
 */
import { displayArgv } from './commandError';
import type { CommandLogEntry } from './runner';

/**
 * Each line goes to exactly one level; the full log is both, in the order they came (as a log
 * output channel shows them at the trace level).
 */
export interface FoldedSink {
  /** What the user reads: ordinary commands, notes, and the lines of each waiting loop. */
  info(line: string): void;
  /** The polls the loop lines stand for. */
  trace(line: string): void;
}

interface Tally { argv: string[]; count: number; codes: Map<string, number>; ms: number }

interface Loop { host: string; label: string; started: number; tallies: Map<string, Tally>; polls: number; first: { e: CommandLogEntry; line: string } }

const statusOf = (e: CommandLogEntry) => (e.code !== null ? `exit ${e.code}` : e.signal ? `signal ${e.signal}` : 'not run');

/** `×3 exit 0` or `×7 (exit 3 ×2, exit 0 ×5)`, in the order the statuses first came. */
function tallyText(t: Tally): string {
  const codes = [...t.codes];
  const each = codes.length === 1 ? ` ${codes[0][0]}` : ` (${codes.map(([c, n]) => `${c} ×${n}`).join(', ')})`;
  return `${displayArgv(t.argv)} ×${t.count}${each}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class CommandLogFolder {
  private loop: Loop | undefined;

  /**
   * `format`: how one entry reads at the detailed level (and at the user's level when it is no poll).
   * `now`: the clock (ms), for the loop's duration.
   */
  constructor(
    private readonly sink: FoldedSink,
    private readonly format: (e: CommandLogEntry) => string,
    private readonly now: () => number = Date.now,
  ) {}

  entry(e: CommandLogEntry): void {
    const line = this.format(e);
    if (e.poll === undefined) {
      this.flush();
      this.sink.info(line);
      return;
    }
    if (this.loop && (this.loop.label !== e.poll || this.loop.host !== e.host)) this.flush();
    if (!this.loop) {
      // Held back until a second poll comes: a "loop" of one command is shown as that command.
      // The entry arrives when its command has ended: the loop began when it started.
      this.loop = { host: e.host, label: e.poll, started: this.now() - e.ms, tallies: new Map(), polls: 0, first: { e, line } };
      this.count(e);
      return;
    }
    if (this.loop.polls === 1) {
      this.sink.info(`${e.host}: ${e.poll}: polling (each command at the trace level)…`);
      this.detail(this.loop.first.e, this.loop.first.line, true);
    }
    this.detail(e, line, this.count(e));
  }

  /** Counts a poll; true when it is the first with its command and status. */
  private count(e: CommandLogEntry): boolean {
    const l = this.loop!;
    const key = JSON.stringify(e.argv);
    let t = l.tallies.get(key);
    if (!t) l.tallies.set(key, (t = { argv: e.argv, count: 0, codes: new Map(), ms: 0 }));
    t.count++;
    t.ms += e.ms;
    const s = statusOf(e);
    const seen = t.codes.get(s) ?? 0;
    t.codes.set(s, seen + 1);
    l.polls++;
    return seen === 0;
  }

  /** A poll's own line: at trace, unless it failed in a way not shown yet (a loop that only fails is news). */
  private detail(e: CommandLogEntry, line: string, firstOfItsKind: boolean): void {
    if (e.stderr && firstOfItsKind) this.sink.info(line); else this.sink.trace(line);
  }

  /** A line of our own (a plan, a verdict): it ends the current loop first. */
  note(line: string): void {
    this.flush();
    this.sink.info(line);
  }

  /** Ends the current loop with its summary line (call when an operation ends). */
  flush(): void {
    const l = this.loop;
    if (!l) return;
    this.loop = undefined;
    if (l.polls === 1) { this.sink.info(l.first.line); return; }
    const summary = `${l.host}: ${l.label}: ${l.polls} commands over ${seconds(this.now() - l.started)}: ${[...l.tallies.values()].map(tallyText).join(', ')}`;
    this.sink.info(summary);
  }
}
