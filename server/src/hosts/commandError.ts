/**
 * A host command that failed, as an error whose message names the host, the command and what it
 * said; and `runOk`, which runs a command and throws that error unless it exited 0.
 */
import type { RunOptions, RunResult, Runner } from './runner';
import { shellJoin } from './shellQuote';

/** How much of a command's stderr a message quotes. */
const QUOTED_STDERR = 600;

/** The command as a reader would type it (quoted for display only; runners never use this to run). */
export function displayArgv(argv: readonly string[]): string {
  try {
    return shellJoin(argv);
  } catch {
    return JSON.stringify(argv);
  }
}

/** "exit 1: stat: cannot stat '/x': No such file or directory" */
export function failureText(r: RunResult): string {
  const stderr = r.stderr.toString('utf8').trim();
  const said = stderr.length > QUOTED_STDERR ? `${stderr.slice(0, QUOTED_STDERR)}…` : stderr;
  const status = r.error ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
  return said && !status.includes(said) ? `${status}: ${said}` : status;
}

export function succeeded(r: RunResult): boolean {
  return r.code === 0 && !r.error;
}

export class HostCommandError extends Error {
  constructor(
    readonly host: string,
    readonly result: RunResult,
    what?: string,
  ) {
    super(`${what ? `${what}: ` : ''}\`${displayArgv(result.argv)}\` on ${host} failed (${failureText(result)})`);
    this.name = 'HostCommandError';
  }
}

/** Runs argv and returns its result when it exited 0; else throws HostCommandError. */
export async function runOk(runner: Runner, argv: string[], opts?: RunOptions, what?: string): Promise<RunResult> {
  const r = await runner.run(argv, opts);
  if (!succeeded(r)) throw new HostCommandError(runner.host, r, what);
  return r;
}
