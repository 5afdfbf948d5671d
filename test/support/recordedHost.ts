/**
 * A host as a table of recorded outputs (test/fixtures/services/outputs.json): the exact argv a
 * probe runs is the key, so tests assert the commands, and what they got is a real tool's output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunOptions, RunResult, Runner } from '../../server/src/hosts/runner';

export interface Out { argv: string[]; code: number; stdout: string; stderr?: string }

export const recordedOutputs = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'services', 'outputs.json'), 'utf8')) as Record<string, Out>;

export const result = (argv: string[], o: Partial<Out> & { error?: string }): RunResult => ({
  argv, code: o.error ? null : o.code ?? 0, signal: null, stdout: Buffer.from(o.stdout ?? ''), stderr: Buffer.from(o.stderr ?? ''), ms: 1, error: o.error,
});

/**
 * argv (joined) -> recorded output; anything else is "command not found", as execFile reports
 * it. Records every argv asked.
 */
export function recordedHost(table: Record<string, Partial<Out> & { error?: string }>): Runner & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    host: 'compute1', asked,
    async run(argv: string[], _o?: RunOptions) {
      asked.push(argv);
      const o = table[argv.join(' ')];
      return result(argv, o ?? { error: `spawn ${argv[0]} ENOENT` });
    },
    endOperation() {}, async close() {},
  };
}

/** A recorded output, with its argv's placeholder (UNIT, RUNTIME) filled in. */
export const rec = (key: string, argv?: string[]) => ({ ...recordedOutputs[key], argv: argv ?? recordedOutputs[key].argv });
