/**
 * A plain execFile Runner for tests of code that only needs to read (no sudo, no ssh): the real
 * programs run, with the same RunResult shape the product's runners return.
 */
import { execFile } from 'node:child_process';
import type { Runner, RunOptions, RunResult, CommandLogEntry } from '../../server/src/hosts/runner';

export function execRunner(log: CommandLogEntry[] = []): Runner {
  return {
    host: 'localhost',
    run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
      const t0 = Date.now();
      return new Promise((resolve) => {
        const child = execFile(argv[0], argv.slice(1), { encoding: 'buffer', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: string; killed?: boolean }) | null;
          const code = e ? (typeof e.code === 'number' ? e.code : null) : 0;
          const r: RunResult = { argv, code, signal: e?.signal ?? null, stdout, stderr, ms: Date.now() - t0 };
          if (e && typeof e.code === 'string') r.error = e.message;
          if (e?.killed) r.timedOut = true;
          log.push({ host: 'localhost', argv, code, signal: r.signal, ms: r.ms });
          resolve(r);
        });
        if (opts.stdin !== undefined) child.stdin?.end(opts.stdin); else child.stdin?.end();
      });
    },
    endOperation() {},
    async close() {},
  };
}
