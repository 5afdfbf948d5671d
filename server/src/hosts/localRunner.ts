/**
 * Commands on this machine: the extension host runs on the compute node (a Remote-SSH window,
 * code-server on the node) or the CLI runs there. execFile semantics: argv[0] is looked up on
 * PATH, no shell is involved.
 */
import type { RunOptions, RunnerHooks } from './runner';
import { BaseRunner } from './baseRunner';
import { execBounded, type ExecOutcome } from './exec';

export class LocalRunner extends BaseRunner {
  constructor(hooks: RunnerHooks = {}) {
    super('localhost', hooks);
  }

  protected start(argv: string[], stdin: Buffer | undefined, opts: RunOptions): Promise<ExecOutcome> {
    // LC_ALL=C: sudo's and coreutils' messages in the words we match and quote.
    const env = { ...process.env, LC_ALL: 'C' };
    return execBounded({ file: argv[0], args: argv.slice(1), stdin, timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes, env });
  }

  async close(): Promise<void> {}
}
