/**
 * The CLI on hostile file system entries (run `npm run build` first): real FIFOs (mkfifo),
 * /dev/zero and links to it, dangling links, a directory its user cannot read (the CLI runs as
 * `nobody` through setpriv, since root reads everything), and unreadable config-set members.
 * Each is refused with a reason and exit 2, and the other files are still checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../dist/cli.js');
const GOOD = '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n';
const BAD = '[libvirt]\ncpu_mode = custom\n';

function check(args: string[], as?: 'nobody') {
  const argv = [process.execPath, CLI, 'check', '--no-host-cpu-map', '--format', 'json', ...args];
  // setpriv changes user without a shell; the reports come back the same way.
  const [cmd, ...rest] = as ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...argv] : argv;
  // A timeout only so that a regression fails instead of hanging the run.
  const r = spawnSync(cmd, rest, { encoding: 'utf8', timeout: 60_000 });
  const reports = r.stdout ? JSON.parse(r.stdout) as Array<{ file: string; diagnostics: Array<{ code: string }> }> : [];
  return { status: r.status, signal: r.signal, stderr: r.stderr, files: reports.map((x) => x.file), codes: reports.flatMap((x) => x.diagnostics.map((d) => d.code)) };
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-cli-robust-'));
  chmodSync(dir, 0o755);
  return dir;
}

test('a FIFO named explicitly is refused at once (it would block a plain read); the other files are still checked', () => {
  const dir = scratch();
  try {
    execFileSync('mkfifo', [join(dir, 'fifo.conf')]);
    writeFileSync(join(dir, 'nova.conf'), BAD);
    const r = check([join(dir, 'fifo.conf'), join(dir, 'nova.conf')]);
    assert.equal(r.signal, null, 'finished, not killed by the timeout');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read .*fifo\.conf: not a regular file \(a FIFO\)/);
    assert.deepEqual(r.files, [join(dir, 'nova.conf')]);
    assert.ok(r.codes.includes('nova/custom-without-models'));
    // Found by a directory walk, the same.
    const walked = check([dir]);
    assert.equal(walked.status, 2);
    assert.match(walked.stderr, /fifo\.conf: not a regular file \(a FIFO\)/);
    assert.deepEqual(walked.files, [join(dir, 'nova.conf')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('/dev/zero and a link to it are refused before any byte is read', () => {
  const dir = scratch();
  try {
    symlinkSync('/dev/zero', join(dir, 'zero.xml'));
    writeFileSync(join(dir, 'ok.conf'), GOOD);
    for (const target of ['/dev/zero', join(dir, 'zero.xml')]) {
      const r = check([target, join(dir, 'ok.conf')]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /cannot read .*: not a regular file \(a character device\)/);
      assert.deepEqual(r.files, [join(dir, 'ok.conf')]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a dangling link in a directory is named and skipped; the rest of the directory is checked', () => {
  const dir = scratch();
  try {
    symlinkSync(join(dir, 'nowhere.xml'), join(dir, 'a-dangling.xml'));
    writeFileSync(join(dir, 'z.conf'), BAD);
    const r = check([dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read .*a-dangling\.xml: no such file or directory/);
    assert.deepEqual(r.files, [join(dir, 'z.conf')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a subdirectory its user cannot read is named; the other files of the directory are still checked', () => {
  const dir = scratch();
  try {
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'locked', 'x.conf'), GOOD);
    chmodSync(join(dir, 'locked'), 0o700);
    writeFileSync(join(dir, 'nova.conf'), BAD);
    chmodSync(join(dir, 'nova.conf'), 0o644);
    // Root reads every directory: run the CLI as nobody, for whom 0700 root:root is closed.
    const r = check([dir], 'nobody');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot read .*locked: permission denied/);
    assert.deepEqual(r.files, [join(dir, 'nova.conf')]);
    assert.ok(r.codes.includes('nova/custom-without-models'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable nova-compute.conf beside nova.conf is reported with the verdict, not skipped silently', () => {
  const dir = scratch();
  try {
    writeFileSync(join(dir, 'nova.conf'), GOOD);
    chmodSync(join(dir, 'nova.conf'), 0o644);
    writeFileSync(join(dir, 'nova-compute.conf'), '[libvirt]\ncpu_mode = host-model\n');
    chmodSync(join(dir, 'nova-compute.conf'), 0o600);
    // As nobody: nova-compute.conf is root's alone.
    const r = check([join(dir, 'nova.conf')], 'nobody');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.codes.includes('input/unreadable-member'), JSON.stringify(r));
    // As root the member is read, and its cpu_mode decides the verdict.
    const root = check([join(dir, 'nova.conf')]);
    assert.ok(!root.codes.includes('input/unreadable-member'));
    assert.ok(root.codes.includes('nova/cpu-models-without-custom'), JSON.stringify(root));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
