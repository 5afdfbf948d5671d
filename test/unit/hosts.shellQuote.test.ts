/**
 * The one shell quoting function (hosts/shellQuote.ts): exact output for each kind of hostile
 * argument, and a round trip through real shells (dash, bash): the shell must hand back exactly
 * the argv we quoted, and a canary an injected command would create never appears.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellJoin, shellQuote } from '../../server/src/hosts/shellQuote';
import { hostileStrings } from '../support/hostile';
import { rng } from '../support/rng';

test('shellQuote: plain words stay as they are, everything else is single-quoted', () => {
  const cases: Array<[string, string]> = [
    ['stat', 'stat'],
    ['/etc/nova/nova.conf', '/etc/nova/nova.conf'],
    ['-c', '-c'],
    ['--', '--'],
    ['of=/x', "'of=/x'"], // '=' can start zsh's =cmd expansion: quoted
    ['', "''"],
    [' ', "' '"],
    ["it's", "'it'\\''s'"],
    ["'", "''\\'''"],
    ["''", "''\\'''\\'''"],
    ['a;b', "'a;b'"],
    ['$(touch CANARY)', "'$(touch CANARY)'"],
    ['`touch CANARY`', "'`touch CANARY`'"],
    ['a\nb', "'a\nb'"],
    ['~root', "'~root'"],
    ['*', "'*'"],
    ['a b', "'a b'"],
    ['\\', "'\\'"],
    ['"', `'"'`],
    ['!', "'!'"],
    ['#x', "'#x'"],
    ['ü', "'ü'"],
    ['%1', "'%1'"],
    ['{a,b}', "'{a,b}'"],
  ];
  for (const [arg, quoted] of cases) assert.equal(shellQuote(arg), quoted, JSON.stringify(arg));
});

test('shellQuote: NUL is rejected (no shell can carry it), an empty argv too', () => {
  assert.throws(() => shellQuote('a\0b'), /NUL/);
  assert.throws(() => shellJoin([]), /empty command/);
  assert.equal(shellJoin(['printf', '%s', "a'b"]), "printf '%s' 'a'\\''b'");
});

/** Arguments as a shell gives them to printf, NUL-separated. */
function throughShell(shell: string, args: string[], cwd: string): string[] {
  const r = spawnSync(shell, ['-c', `printf '%s\\0' ${args.map(shellQuote).join(' ')}`], { cwd, encoding: 'buffer' });
  assert.equal(r.status, 0, `${shell}: ${r.stderr}`);
  const out = r.stdout.toString('utf8').split('\0');
  out.pop();
  return out;
}

for (const shell of ['/bin/dash', '/bin/bash']) {
  test(`shellQuote: ${shell} gives back exactly the quoted argv (hostile and random strings); the canary never appears`, { skip: !existsSync(shell) && `${shell} not installed` }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlc-quote-'));
    try {
      const r = rng(11);
      const random = Array.from({ length: 300 }, () => {
        const chars = ["'", '"', '\\', '$', '`', ';', '&', '|', '\n', '\t', ' ', '*', '?', '~', '#', '!', '(', ')', '{', '}', '<', '>', '=', '-', 'a', 'Z', '0', 'é', '€', '😀', '%'];
        return Array.from({ length: Math.floor(r.next() * 12) }, () => r.pick(chars)).join('');
      });
      const args = [...hostileStrings(join(dir, 'CANARY')), ...random];
      assert.deepEqual(throughShell(shell, args, dir), args);
      assert.equal(existsSync(join(dir, 'CANARY')), false, 'an argument was executed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
