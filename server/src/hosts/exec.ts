/**
 * Runs one program with an argument array (no shell), bounded in time and output. Both runners
 * use it: the local runner for the command itself, the OpenSSH runner for `ssh`.
 */
import { spawn } from 'node:child_process';

/** Default bounds: a command that hangs or floods must not hang or exhaust the editor. */
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const MAX_STDERR_BYTES = 1024 * 1024;
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

export interface ExecOutcome {
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
  timedOut?: boolean;
  error?: string;
}

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

    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > limit) {
        error ??= `output exceeded ${limit} bytes; killed`;
        killGroup();
      } else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
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
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      resolve({
        code: spawnError ? null : code,
        signal: signal ?? null,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        ms: Math.round(performance.now() - t0),
        ...(timedOut ? { timedOut } : {}),
        ...(spawnError || error ? { error: spawnError ?? error } : {}),
      });
    });
  });
}
