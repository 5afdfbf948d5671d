/**
 * Running a command as root through sudo, the same for both runners.
 *
 * The rule, per command:
 *   1. `sudo -n -- CMD`: works where sudo needs no password (NOPASSWD, or a policy that allows it).
 *   2. Only when sudo answers "a password is required": the password of this operation (asked once
 *      through `askPassword`, see below), handed to `sudo -k -S -p '' -- CMD` as the first line of
 *      stdin, followed by the command's own stdin. `-k` makes sudo ignore cached credentials, so it
 *      always reads that line (otherwise a cached ticket would pass the password on to CMD's input);
 *      step 1 before every command guarantees `-S` is used only where sudo will prompt (a NOPASSWD
 *      command never receives the password as input).
 *
 * Asking: the first time an operation needs the password, it is asked and checked with
 * `sudo -k -S -p '' -v` whose only input is the password. Checking first matters: on a wrong
 * password sudo reads the next line of stdin as the next attempt, which would feed a file's
 * content to PAM. A wrong password is asked once more (the prompt carries sudo's own words);
 * a second wrong one, a cancel, or any other sudo refusal ends the operation's sudo: later
 * commands fail at once with the same error, without asking again, until `end()`.
 * The password lives only in this object until `end()`; it is never put in argv, env, logs or files.
 */
import type { RunResult } from './runner';

export type Exec = (argv: string[], stdin: Buffer | undefined) => Promise<RunResult>;
export type AskPassword = (prompt: string) => Promise<string | undefined>;

/** How many times one operation may ask for the password (the second ask follows a wrong one). */
export const MAX_PASSWORD_ASKS = 2;

const NEEDS_PASSWORD = /^sudo: a password is required$/m;
const WRONG_PASSWORD = /incorrect password attempt|^Sorry, try again\.$/m;

export function sudoNeedsPassword(r: RunResult): boolean {
  return r.code === 1 && NEEDS_PASSWORD.test(r.stderr.toString('utf8'));
}

function sudoWords(r: RunResult): string {
  const text = r.stderr.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  return text.join('; ') || r.error || `exit ${r.code}`;
}

export class SudoSession {
  private password: string | undefined;
  private refusal: string | undefined;
  private asking: Promise<string | undefined> | undefined;

  constructor(
    private readonly host: string,
    private readonly askPassword: AskPassword | undefined,
    private readonly user: () => Promise<string | undefined>,
  ) {}

  async run(argv: string[], stdin: Buffer | undefined, exec: Exec): Promise<RunResult> {
    if (this.refusal !== undefined) return refused(['sudo', '--', ...argv], this.refusal);
    const first = await exec(['sudo', '-n', '--', ...argv], stdin);
    if (!sudoNeedsPassword(first)) return first;
    if (this.password === undefined) {
      // commands running side by side share one prompt
      this.asking ??= this.obtainPassword(exec).finally(() => (this.asking = undefined));
      const why = await this.asking;
      if (why !== undefined) return { ...first, error: why };
    }
    if (this.password === undefined) return { ...first, error: `sudo on ${this.host}: the operation ended while its password was asked` };
    const input = Buffer.concat([Buffer.from(`${this.password}\n`, 'utf8'), stdin ?? Buffer.alloc(0)]);
    return exec(['sudo', '-k', '-S', '-p', '', '--', ...argv], input);
  }

  /** Forget the password and any refusal: the next operation asks afresh. */
  end(): void {
    this.password = undefined;
    this.refusal = undefined;
  }

  /** Asks and checks; undefined when the password is now known, else why not (also kept as the refusal). */
  private async obtainPassword(exec: Exec): Promise<string | undefined> {
    const user = await this.user();
    const who = user ? `${user} on ${this.host}` : `the login user on ${this.host}`;
    let prompt = `[sudo] password for ${who}`;
    for (let asks = 0; asks < MAX_PASSWORD_ASKS; asks++) {
      let answer: string | undefined;
      try {
        answer = this.askPassword ? await this.askPassword(prompt) : undefined;
      } catch (e) {
        return (this.refusal = `sudo on ${this.host}: asking for the password failed (${(e as Error).message})`);
      }
      if (answer === undefined) {
        return (this.refusal = this.askPassword
          ? `sudo on ${this.host} needs a password and none was given (cancelled)`
          : `sudo on ${this.host} needs a password and this front cannot ask for one (sudo said: a password is required)`);
      }
      if (/[\r\n\0]/.test(answer)) return (this.refusal = `sudo on ${this.host}: a password cannot contain a line break or NUL`);
      const check = await exec(['sudo', '-k', '-S', '-p', '', '-v'], Buffer.from(`${answer}\n`, 'utf8'));
      if (check.code === 0) {
        this.password = answer;
        return undefined;
      }
      if (!WRONG_PASSWORD.test(check.stderr.toString('utf8'))) {
        return (this.refusal = `sudo on ${this.host} refused: ${sudoWords(check)}`);
      }
      prompt = `Sorry, try again. [sudo] password for ${who}`;
      if (asks + 1 === MAX_PASSWORD_ASKS) {
        return (this.refusal = `sudo on ${this.host}: wrong password, asked ${MAX_PASSWORD_ASKS} times (sudo said: ${sudoWords(check)})`);
      }
    }
    return (this.refusal = `sudo on ${this.host}: no password`);
  }
}

function refused(argv: string[], error: string): RunResult {
  return { argv, code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), ms: 0, error };
}
