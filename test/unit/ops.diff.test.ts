/**
 * unifiedDiff against the real tools on generated cases. With repeated lines (many shortest
 * diffs exist, and GNU diff and git each slide change groups by their own heuristics): GNU patch
 * must turn `before` into `after` with our diff, and ours must be as short as
 * `diff -u --minimal`'s. With distinct lines (the shortest diff is unique, as for the planner's
 * edits): the text must be exactly `diff -u`'s and `git diff --no-index`'s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unifiedDiff } from '../../server/src/ops/diff';
import { rng } from '../support/prng';

const WORDS = ['[libvirt]', 'cpu_mode = custom', '', '# comment', 'virt_type = kvm', 'x', 'cpu_models = Haswell'];

function generate(seed: number, distinct = false): { before: string; after: string } {
  const r = rng(seed);
  let serial = 0;
  const pick = () => (distinct ? `line ${serial++}` : WORDS[Math.floor(r() * WORDS.length)]);
  const n = Math.floor(r() * 40);
  const a = Array.from({ length: n }, pick);
  const b = [...a];
  const edits = Math.floor(r() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (b.length + 1));
    const kind = r();
    if (kind < 0.4) b.splice(at, 0, ...Array.from({ length: 1 + Math.floor(r() * 3) }, pick));
    else if (kind < 0.8) b.splice(at, 1 + Math.floor(r() * 3));
    else b.splice(at, 1, `changed ${i}`);
  }
  const eol = r() < 0.2 ? '\r\n' : '\n';
  const join = (lines: string[], final: boolean) => lines.join(eol) + (final && lines.length ? eol : '');
  return { before: join(a, r() < 0.8), after: join(b, r() < 0.8) };
}

const tmp = mkdtempSync(join(tmpdir(), 'ops-diff-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd = tmp) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8' });
}

const changedCount = (d: string) => d.split('\n').filter((l) => /^[+-]/.test(l) && !/^(---|\+\+\+) /.test(l)).length;

test('unifiedDiff: equal texts give no diff', () => {
  assert.equal(unifiedDiff({ path: 'f', before: 'a\n', after: 'a\n' }), '');
});

test('unifiedDiff: a missing final line break is marked on the side that lacks it', () => {
  assert.equal(unifiedDiff({ path: '/etc/nova/nova.conf', before: 'a\nb', after: 'a\nb\n' }),
    '--- a/etc/nova/nova.conf\n+++ b/etc/nova/nova.conf\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
});

test('unifiedDiff: a path with a newline or quote is C-quoted as git does, so the header stays two lines', () => {
  const d = unifiedDiff({ path: '/etc/nova/x\n+++ b/evil"\x01', before: 'a\n', after: 'b\n' });
  assert.equal(d.split('\n')[0], '--- "a/etc/nova/x\\n+++ b/evil\\"\\001"');
  assert.equal(d.split('\n')[1], '+++ "b/etc/nova/x\\n+++ b/evil\\"\\001"');
  writeFileSync(join(tmp, 'q\nx'), 'a\n');
  writeFileSync(join(tmp, 'r'), 'b\n');
  const git = run('git', ['diff', '--no-index', '--no-color', 'q\nx', 'r']);
  assert.match(git.stdout, /^--- "a\/q\\nx"$/m);
});

test('unifiedDiff: an empty side is -0,0 / +0,0', () => {
  assert.equal(unifiedDiff({ path: 'f', before: '', after: 'x\n' }), '--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n');
  assert.equal(unifiedDiff({ path: 'f', before: 'x\n', after: '' }), '--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-x\n');
});

test('unifiedDiff: far-apart changes make separate hunks, near ones merge (3 lines of context)', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `l${i}`);
  const before = lines.join('\n') + '\n';
  const far = [...lines]; far[2] = 'X'; far[20] = 'Y';
  assert.equal((unifiedDiff({ path: 'f', before, after: far.join('\n') + '\n' }).match(/^@@/gm) ?? []).length, 2);
  const near = [...lines]; near[2] = 'X'; near[9] = 'Y';
  assert.equal((unifiedDiff({ path: 'f', before, after: near.join('\n') + '\n' }).match(/^@@/gm) ?? []).length, 1);
});

test('unifiedDiff: 150 generated cases with repeated lines against GNU patch and diff -u --minimal', () => {
  for (let seed = 1; seed <= 150; seed++) {
    const { before, after } = generate(seed);
    writeFileSync(join(tmp, 'a'), before);
    writeFileSync(join(tmp, 'b'), after);
    const ours = unifiedDiff({ path: 'f', before, after });
    if (before === after) { assert.equal(ours, ''); continue; }
    // 1. GNU patch applies it and gives `after`, byte for byte.
    writeFileSync(join(tmp, 'p'), ours);
    const p = run('patch', ['-s', '--binary', '-o', 'out', 'a', 'p']);
    assert.equal(p.status, 0, `seed ${seed}: patch failed: ${p.stdout}${p.stderr}\n${ours}`);
    assert.equal(readFileSync(join(tmp, 'out'), 'utf8'), after, `seed ${seed}`);
    // 2. As short as GNU diff's minimal diff.
    const gnu = run('diff', ['-u', '--minimal', '--label', 'a/f', '--label', 'b/f', 'a', 'b']);
    assert.equal(gnu.status, 1);
    assert.equal(changedCount(ours), changedCount(gnu.stdout), `seed ${seed}\n${ours}\n${gnu.stdout}`);
  }
});

test('unifiedDiff: 150 generated cases with distinct lines are exactly diff -u and git diff --no-index', () => {
  let compared = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const { before, after } = generate(seed, true);
    if (before === after) continue;
    writeFileSync(join(tmp, 'a'), before);
    writeFileSync(join(tmp, 'b'), after);
    const ours = unifiedDiff({ path: 'f', before, after });
    const gnu = run('diff', ['-u', '--label', 'a/f', '--label', 'b/f', 'a', 'b']);
    assert.equal(ours, gnu.stdout, `seed ${seed}`);
    // git adds `diff --git`/`index` lines and a function-name hint after each @@ header.
    const git = run('git', ['diff', '--no-index', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', 'a', 'b']);
    const gitHunks = git.stdout.slice(git.stdout.indexOf('@@')).replace(/^(@@ [^@]+ @@).*$/gm, '$1');
    assert.equal(ours.slice(ours.indexOf('@@')), gitHunks, `seed ${seed}`);
    compared++;
  }
  assert.ok(compared > 100);
});

test('unifiedDiff: very different large texts stay bounded (one replaced block past the bound)', () => {
  const a = Array.from({ length: 5000 }, (_, i) => `a${i}`).join('\n') + '\n';
  const b = Array.from({ length: 5000 }, (_, i) => `b${i}`).join('\n') + '\n';
  const d = unifiedDiff({ path: 'f', before: a, after: b });
  assert.equal(changedCount(d), 10000);
  assert.ok(d.startsWith('--- a/f\n+++ b/f\n@@ -1,5000 +1,5000 @@\n-a0\n'));
});
