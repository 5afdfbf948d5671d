/**
 * What both runners share: argv checks, sudo (hosts/sudo.ts), "already root" detection and the
 * command log. A subclass only says how one argv is started (`start`).
 */
import type { CommandLogEntry, RunOptions, RunResult, Runner, RunnerHooks } from './runner';
import { nulArgument, type ExecOutcome } from './exec';
import { SudoSession } from './sudo';
import { failureText } from './commandError';

/** Lines of stderr kept in a log entry of a failed command. */
const LOG_STDERR_LINES = 5;

export interface Identity {
  uid: number;
  user?: string;
}

export abstract class BaseRunner implements Runner {
  private readonly sudo: SudoSession;
  private identity: Promise<Identity | { failed: string }> | undefined;

  constructor(
    readonly host: string,
    protected readonly hooks: RunnerHooks = {},
  ) {
    this.sudo = new SudoSession(host, hooks.askPassword?.bind(hooks), async () => (await this.whoami())?.user);
  }

  /** Starts one argv on the host and collects its outcome. */
  protected abstract start(argv: string[], stdin: Buffer | undefined, opts: RunOptions): Promise<ExecOutcome>;

  async run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const stdin = typeof opts.stdin === 'string' ? Buffer.from(opts.stdin, 'utf8') : opts.stdin;
    if (argv.length === 0) return notRun(argv, 'empty command');
    const bad = nulArgument(argv);
    if (bad >= 0) return notRun(argv, `argument ${bad} of ${argv[0]} contains a NUL byte`);
    const exec = (a: string[], s: Buffer | undefined) => this.exec(a, s, opts);
    if (!opts.sudo) return exec(argv, stdin);
    const me = await this.identify();
    if ('failed' in me) return notRun(argv, `cannot tell who we are on ${this.host}: \`id\` failed (${me.failed})`);
    if (me.uid === 0) return exec(argv, stdin);
    return this.sudo.run(argv, stdin, exec);
  }

  endOperation(): void {
    this.sudo.end();
  }

  abstract close(): Promise<void>;

  /** Who commands run as on the host (`id`, asked once): uid 0 needs no sudo. */
  async whoami(): Promise<Identity | undefined> {
    const me = await this.identify();
    return 'failed' in me ? undefined : me;
  }

  private identify(): Promise<Identity | { failed: string }> {
    this.identity ??= this.exec(['id'], undefined, { timeoutMs: 30_000 }).then((r) => {
      const m = r.code === 0 ? /^uid=(\d+)(?:\(([^)]*)\))?/.exec(r.stdout.toString('utf8')) : null;
      if (!m) {
        this.identity = undefined; // a failed connection is not an answer: ask again next time
        return { failed: failureText(r) };
      }
      return { uid: Number(m[1]), user: m[2] };
    });
    return this.identity;
  }

  private async exec(argv: string[], stdin: Buffer | undefined, opts: RunOptions): Promise<RunResult> {
    const outcome = await this.start(argv, stdin, opts);
    const result: RunResult = { argv, ...outcome };
    const entry: CommandLogEntry = { host: this.host, argv, code: result.code, signal: result.signal, ms: result.ms, ...(opts.poll !== undefined ? { poll: opts.poll } : {}) };
    if (result.code !== 0 || result.error) {
      const lines = result.stderr.toString('utf8').split(/\r?\n/).filter((l) => l.trim()).slice(0, LOG_STDERR_LINES);
      if (result.error) lines.push(result.error);
      if (lines.length) entry.stderr = lines.join('\n');
    }
    this.hooks.log?.(entry);
    return result;
  }
}

function notRun(argv: string[], error: string): RunResult {
  return { argv, code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), ms: 0, error };
}
