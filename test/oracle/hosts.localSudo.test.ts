/**
 * sudo through the LocalRunner (the extension host on the compute node, running as a non-root
 * user): the same rule as over ssh, against the real sudo. The runner runs in a child process
 * started as the test users with setpriv (test/support/localSudoChild.ts).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureTestUsers, NOPASSWD_USER, PASSWORD, PASSWORD_USER, testUsersMissing } from '../support/testUsers';
import { requireOracle, skipUnless } from '../support/oracles';
import type { CommandLogEntry } from '../../server/src/hosts/runner';

const missing = [...testUsersMissing(), ...(existsSync('/usr/bin/setpriv') ? [] : ['/usr/bin/setpriv'])];
const skip = skipUnless(missing.length === 0, `missing: ${missing.join(', ')}`);
const need = () => requireOracle(missing.length === 0, `the local sudo tests need ${missing.join(', ')}`);
const ROOT = resolve(__dirname, '../..');

before(() => {
  if (missing.length === 0) ensureTestUsers();
});

interface ChildOut {
  prompts: string[];
  log: CommandLogEntry[];
  results: Array<Array<{ code: number | null; stdout: string; error?: string }>>;
}

function asUser(user: string, answers: Array<string | null>, operations: Array<Array<{ argv: string[]; stdin?: string }>>): ChildOut {
  const r = spawnSync('setpriv', [`--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', process.execPath, '--import', 'tsx', 'test/support/localSudoChild.ts'], {
    cwd: ROOT,
    input: JSON.stringify({ answers, operations }),
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: `/home/${user}` },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ChildOut;
}

test('local sudo, NOPASSWD user: sudo -n, no prompt', { skip }, () => {
  need();
  const out = asUser(NOPASSWD_USER, [], [[{ argv: ['id', '-u'] }]]);
  assert.equal(out.results[0][0].stdout.trim(), '0');
  assert.deepEqual(out.prompts, []);
  assert.deepEqual(out.log.map((e) => e.argv), [['id'], ['sudo', '-n', '--', 'id', '-u']]);
});

test('local sudo with a password: once per operation, stdin intact after it, the password in no log', { skip }, () => {
  need();
  const data = 'line one\n~.\n$(touch /tmp/nlc-never)\n';
  const out = asUser(PASSWORD_USER, [PASSWORD, PASSWORD], [
    [{ argv: ['cat'], stdin: data }, { argv: ['id', '-u'] }],
    [{ argv: ['id', '-u'] }],
  ]);
  assert.equal(out.results[0][0].stdout, data);
  assert.equal(out.results[0][1].stdout.trim(), '0');
  assert.equal(out.results[1][0].stdout.trim(), '0');
  assert.deepEqual(out.prompts, [`[sudo] password for ${PASSWORD_USER} on localhost`, `[sudo] password for ${PASSWORD_USER} on localhost`]);
  assert.ok(!JSON.stringify(out.log).includes(PASSWORD));
});

test('local sudo, a wrong password: asked once more with sudo\'s words, then works; cancel: a clear error', { skip }, () => {
  need();
  // (two wrong answers in a row are tested over ssh: the same SudoSession, and each wrong answer costs sudo's delay)
  const out = asUser(PASSWORD_USER, ['nope', PASSWORD], [[{ argv: ['id', '-u'] }, { argv: ['id', '-u'] }]]);
  assert.deepEqual(out.results[0].map((r) => r.stdout.trim()), ['0', '0']);
  assert.equal(out.prompts.length, 2);
  assert.match(out.prompts[1], /^Sorry, try again\. \[sudo\] password for nlcpu-pw on localhost$/);
  const cancelled = asUser(PASSWORD_USER, [null], [[{ argv: ['id', '-u'] }]]);
  assert.match(cancelled.results[0][0].error ?? '', /^sudo on localhost needs a password and none was given \(cancelled\)/);
});
