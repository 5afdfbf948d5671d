/**
 * Runs one program with an argument array (no shell), bounded in time and output. Both runners
 * use it: the local runner for the command itself, the OpenSSH runner for `ssh`.
 */
import { spawn } from 'node:child_process';
import type { RunResult } from './runner';

/** Default bounds: a command that hangs or floods must not hang or exhaust the editor. */
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const MAX_STDERR_BYTES = 1024 * 1024;
/** After the child exits, this long for its pipes to close (see `finish`). */
const DRAIN_MS = 250;
const MAX_DRAIN_MS = 5_000;
/** After SIGTERM, this long before SIGKILL. */
const KILL_GRACE_MS = 2_000;

export interface ExecRequest {
  file: string;
  args: string[];
  stdin?: Buffer;
  timeoutMs?: number;
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
}

/** A RunResult but for the argv, which the runner adds (it knows which argv the user meant). */
export type ExecOutcome = Omit<RunResult, 'argv'>;

/** First NUL-containing argument, if any: the kernel cannot pass it, node would throw. */
export function nulArgument(argv: readonly string[]): number {
  return argv.findIndex((a) => a.includes('\0'));
}

export function execBounded(req: ExecRequest): Promise<ExecOutcome> {
  const t0 = performance.now();
  const limit = req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    const bad = nulArgument([req.file, ...req.args]);
    if (bad >= 0) {
      resolve({ code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), ms: 0, error: `argument ${bad} contains a NUL byte` });
      return;
    }
    // detached: the child leads its own process group, so a timeout kills everything it started.
    const child = spawn(req.file, req.args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: req.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let error: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = () => {
      if (child.pid === undefined || killTimer) return;
      const signal = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig);
        } catch {
          /* already gone */
        }
      };
      signal('SIGTERM');
      killTimer = setTimeout(() => signal('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      error ??= `timed out after ${timeoutMs} ms; killed`;
      killGroup();
    }, timeoutMs);

    let lastData = performance.now();
    child.stdout.on('data', (b: Buffer) => {
      lastData = performance.now();
      outBytes += b.length;
      if (outBytes > limit) {
        error ??= `output exceeded ${limit} bytes; killed`;
        killGroup();
      } else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      lastData = performance.now();
      if (errBytes < MAX_STDERR_BYTES) err.push(b.subarray(0, MAX_STDERR_BYTES - errBytes));
      errBytes += b.length;
    });
    // The child may exit without reading its input (EPIPE): its exit status tells what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(req.stdin ?? Buffer.alloc(0));

    let spawnError: string | undefined;
    child.on('error', (e) => {
      spawnError = `cannot run ${req.file}: ${e.message}`;
    });
    // The result is due when the child exits and its pipes are drained; a process it left behind
    // holding them (a daemon an init script started, ssh's backgrounded control master) must not
    // keep us waiting: after the exit, DRAIN_MS without a byte, or MAX_DRAIN_MS at most.
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        code: spawnError ? null : code,
        signal: signal ?? null,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        ms: Math.round(performance.now() - t0),
        ...(timedOut ? { timedOut } : {}),
        ...(spawnError || error ? { error: spawnError ?? error } : {}),
      });
    };
    child.on('close', finish);
    child.on('exit', (code, signal) => {
      // The timeout no longer applies: its group kill could now hit a daemon the command started.
      clearTimeout(timer);
      const exitedAt = performance.now();
      // finish once no byte arrived for DRAIN_MS (bytes still flowing: a slow drain), within MAX_DRAIN_MS
      const check = () => {
        const now = performance.now();
        if (now - lastData >= DRAIN_MS || now - exitedAt >= MAX_DRAIN_MS) finish(code, signal);
        else setTimeout(check, DRAIN_MS);
      };
      setTimeout(check, DRAIN_MS);
    });
  });
}
