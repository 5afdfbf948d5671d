/**
 * Runs commands through a LocalRunner with sudo, as whatever user this process is (the local sudo
 * tests start it as a test user with setpriv). Reads one JSON request on stdin:
 *   { answers: (string|null)[], operations: { argv: string[], stdin?: string }[][] }
 * (a null answer cancels), runs each operation's commands then endOperation(), and prints
 *   { prompts: string[], log: CommandLogEntry[], results: { code, stdout, error }[][] }.
 * The answers come on stdin, never argv or env, as the product requires of the password itself.
 */
import { LocalRunner } from '../../server/src/hosts/localRunner';
import type { CommandLogEntry } from '../../server/src/hosts/runner';

interface Request {
  answers: Array<string | null>;
  operations: Array<Array<{ argv: string[]; stdin?: string }>>;
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const req = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request;
  const prompts: string[] = [];
  const log: CommandLogEntry[] = [];
  const runner = new LocalRunner({
    log: (e) => log.push(e),
    askPassword: async (p) => (prompts.push(p), req.answers.shift() ?? undefined),
  });
  const results = [];
  for (const op of req.operations) {
    const out = [];
    for (const c of op) {
      const r = await runner.run(c.argv, { sudo: true, stdin: c.stdin });
      out.push({ code: r.code, stdout: r.stdout.toString('utf8'), error: r.error });
    }
    runner.endOperation();
    results.push(out);
  }
  process.stdout.write(JSON.stringify({ prompts, log, results }));
}

void main();
