/**
 * Commands on a named host through the system OpenSSH client: the user's ssh config, agent and
 * known_hosts, one shared connection per host (ControlMaster), no prompts. The argv is built by
 * hosts/sshArgs.ts; the remote command line by the one quoting function.
 *
 * The control sockets live in a directory of ours that only we can enter (0700, owned by us, not
 * a symlink): anyone who can reach a control socket can run commands over the connection.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunOptions, RunnerHooks } from './runner';
import { BaseRunner } from './baseRunner';
import { execBounded, type ExecOutcome } from './exec';
import { checkTarget, isHostKeyFailure, parseSshG, sshCommandArgs, sshExitArgs, sshFailure, sshResolveArgs, type ResolvedHost, type SshTarget } from './sshArgs';

export interface SshRunnerOptions extends Partial<SshTarget> {
  destination: string;
  /** The ssh program (default `ssh` on PATH). */
  sshPath?: string;
}

/** Our control socket directory: $XDG_RUNTIME_DIR/nova-libvirt-cpu-ssh, else $TMPDIR/nova-libvirt-cpu-ssh-UID. */
export function defaultControlDir(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime ? join(runtime, 'nova-libvirt-cpu-ssh') : join(tmpdir(), `nova-libvirt-cpu-ssh-${process.getuid?.() ?? 'user'}`);
}

/** Creates dir 0700 if missing; refuses one that others could enter or that is not ours. */
export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || st.isSymbolicLink()) throw new Error(`ssh control directory ${dir} is not a directory: remove it`);
  if (uid !== undefined && st.uid !== uid) throw new Error(`ssh control directory ${dir} belongs to uid ${st.uid}, not to us (${uid}): remove it`);
  if ((st.mode & 0o077) !== 0) throw new Error(`ssh control directory ${dir} has mode ${(st.mode & 0o777).toString(8)}: others could use our ssh connections; chmod 700 it or remove it`);
}

export class SshRunner extends BaseRunner {
  private readonly target: SshTarget;
  private readonly ssh: string;

  constructor(opts: SshRunnerOptions, hooks: RunnerHooks = {}) {
    super(opts.destination, hooks);
    this.target = { ...opts, controlDir: opts.controlDir ?? defaultControlDir() };
    this.ssh = opts.sshPath ?? 'ssh';
    checkTarget(this.target);
  }

  protected async start(argv: string[], stdin: Buffer | undefined, opts: RunOptions): Promise<ExecOutcome> {
    ensurePrivateDir(this.target.controlDir);
    const outcome = await execBounded({
      file: this.ssh,
      args: sshCommandArgs(this.target, argv),
      stdin,
      timeoutMs: opts.timeoutMs,
      maxOutputBytes: opts.maxOutputBytes,
      env: { ...process.env, LC_ALL: 'C' },
    });
    const stderr = outcome.stderr.toString('utf8');
    const resolved = outcome.code === 255 && isHostKeyFailure(stderr) ? await this.resolve() : undefined;
    const failure = sshFailure(this.host, outcome.code, stderr, resolved);
    // ssh's failure is not the command's exit status: no code, and the reason in `error`
    return failure ? { ...outcome, code: null, error: outcome.error ?? failure } : outcome;
  }

  /** Where ssh connects for our destination (hostname and port after the ssh config). */
  private async resolve(): Promise<ResolvedHost | undefined> {
    const r = await execBounded({ file: this.ssh, args: sshResolveArgs(this.target), timeoutMs: 10_000, env: { ...process.env, LC_ALL: 'C' } });
    return r.code === 0 ? parseSshG(r.stdout.toString('utf8')) : undefined;
  }

  /** Ends the shared connection (`ssh -O exit`); harmless when there is none. */
  async close(): Promise<void> {
    await execBounded({ file: this.ssh, args: sshExitArgs(this.target), timeoutMs: 10_000, env: { ...process.env, LC_ALL: 'C' } });
  }
}
