/**
 * HostFiles through the LocalRunner on real files: read with hash and attributes, the atomic write
 * with its backup, refusal when the file changed, listing and restoring backups, hostile names, and
 * the faults that must leave the original and the backup intact: a read-only and a full filesystem
 * (real tmpfs mounts; root only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { HostFileError, HostFiles, sha256Hex } from '../../server/src/hosts/hostFiles';
import type { CommandLogEntry } from '../../server/src/hosts/runner';
import { hostileStrings } from '../support/hostile';
import { requireOracle, skipUnless } from '../support/oracles';

const isRoot = process.getuid?.() === 0;
const clock = (iso: string) => () => new Date(iso);

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Our temporary files left in dir (there must be none after any operation). */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => /nova-libvirt-cpu-(tmp|bak-tmp)\./.test(n));
}

test('read: bytes, sha256 and owner/group/mode as stat gives them', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'nova.conf');
  writeFileSync(path, '[libvirt]\ncpu_mode = custom\n');
  chmodSync(path, 0o640);
  const f = await new HostFiles(new LocalRunner()).read(path);
  assert.equal(f.bytes.toString(), '[libvirt]\ncpu_mode = custom\n');
  assert.equal(f.sha256, sha256Hex('[libvirt]\ncpu_mode = custom\n'));
  assert.equal(f.attrs.mode, '640');
  assert.equal(f.attrs.uid, process.getuid!());
  assert.equal(f.attrs.size, 28);
});

test('write: timestamped backup beside the file, atomic replace, owner and mode kept, verified, no temp left', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'nova.conf');
  writeFileSync(path, 'old\n');
  chmodSync(path, 0o2640);
  if (isRoot) chownSync(path, 1234, 5678);
  const log: CommandLogEntry[] = [];
  const files = new HostFiles(new LocalRunner({ log: (e) => log.push(e) }), { now: clock('2026-12-01T14:05:01.250Z') });
  const before = await files.read(path);
  const out = await files.write(path, 'new\n', before.sha256);
  assert.equal(readFileSync(path, 'utf8'), 'new\n');
  assert.equal(out.sha256, sha256Hex('new\n'));
  assert.equal(out.backupPath, join(dir, 'nova.conf.nova-libvirt-cpu.20261201T140501Z.bak'));
  assert.equal(readFileSync(out.backupPath!, 'utf8'), 'old\n');
  for (const p of [path, out.backupPath!]) {
    const st = statSync(p);
    assert.equal((st.mode & 0o7777).toString(8), '2640', p);
    if (isRoot) assert.deepEqual([st.uid, st.gid], [1234, 5678], p);
  }
  assert.deepEqual(out.warnings, []);
  assert.deepEqual(leftovers(dir), []);
  // the log names every step, in order: the rename comes after the temp file's hash was checked
  const tools = log.map((e) => e.argv[0]);
  assert.ok(tools.indexOf('mv') > tools.lastIndexOf('dd'));
  assert.ok(log.every((e) => e.code === 0 || e.argv[0] === 'stat' || e.argv[0] === 'test'), JSON.stringify(log.filter((e) => e.code !== 0)));
});

test('write: a second backup in the same second gets its own name; no backup is ever overwritten', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'nova.conf');
  writeFileSync(path, 'v1\n');
  const files = new HostFiles(new LocalRunner(), { now: clock('2026-12-01T14:05:01Z') });
  const a = await files.write(path, 'v2\n', sha256Hex('v1\n'));
  const b = await files.write(path, 'v3\n', sha256Hex('v2\n'));
  assert.equal(b.backupPath, join(dir, 'nova.conf.nova-libvirt-cpu.20261201T140501Z-2.bak'));
  assert.equal(readFileSync(a.backupPath!, 'utf8'), 'v1\n');
  assert.equal(readFileSync(b.backupPath!, 'utf8'), 'v2\n');
  const listed = await files.backups(path);
  assert.deepEqual(listed.map((x) => x.path), [b.backupPath, a.backupPath]);
});

test('write: the file changed between read and write: nothing written, no backup, a clear error', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'nova.conf');
  writeFileSync(path, 'as previewed\n');
  const files = new HostFiles(new LocalRunner());
  const seen = await files.read(path);
  writeFileSync(path, 'edited by someone else\n');
  await assert.rejects(files.write(path, 'ours\n', seen.sha256), (e: unknown) => {
    assert.ok(e instanceof HostFileError);
    assert.equal(e.kind, 'changed');
    assert.match(e.message, /nova\.conf on localhost changed since it was read .*nothing was written/);
    return true;
  });
  assert.equal(readFileSync(path, 'utf8'), 'edited by someone else\n');
  assert.deepEqual(readdirSync(dir), ['nova.conf']);
});

test('restore: a backup comes back byte for byte with its mode, and the replaced state is itself backed up', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'nova.conf');
  const original = Buffer.from([0, 1, 2, 255, 10, 13, 10, 0xe2, 0x82, 0xac]);
  writeFileSync(path, original);
  chmodSync(path, 0o640);
  let now = '2026-12-01T14:05:01Z';
  const files = new HostFiles(new LocalRunner(), { now: () => new Date(now) });
  const w = await files.write(path, 'broken\n', sha256Hex(original));
  chmodSync(path, 0o644);
  now = '2026-12-01T14:06:00Z';
  const r = await files.restore(path, w.backupPath!, { expectedSha256: sha256Hex('broken\n') });
  assert.ok(readFileSync(path).equals(original));
  assert.equal((statSync(path).mode & 0o777).toString(8), '640');
  assert.equal(readFileSync(r.backupPath!, 'utf8'), 'broken\n');
  assert.deepEqual((await files.backups(path)).map((b) => b.path), [r.backupPath, w.backupPath]);
  await assert.rejects(files.restore(path, join(dir, 'other.bak')), /is not a nova-libvirt-cpu backup of/);
  await assert.rejects(files.restore(path, w.backupPath!, { expectedSha256: sha256Hex('broken\n') }), /changed since it was read/);
  assert.deepEqual(leftovers(dir), []);
});

test('hostile names and contents: written, backed up and listed as they are; the canary never appears', async (t) => {
  const root = scratch(t);
  const canary = join(root, 'CANARY');
  const pieces = hostileStrings(canary).map((s) => s.replaceAll('/', '_'));
  // a few directories whose names (and the file's) pack the hostile pieces together, within NAME_MAX
  const groups = [pieces.slice(0, 8), pieces.slice(8, 16), pieces.slice(16)].map((g) => g.join('').slice(0, 120));
  for (const [i, name] of groups.entries()) {
    const dir = join(root, `-${i}${name}`);
    mkdirSync(dir);
    const path = join(dir, `-${name}[1]*?.conf`); // glob characters and a leading dash in the file's own name too
    const files = new HostFiles(new LocalRunner(), { now: clock('2026-12-01T14:05:01Z') });
    writeFileSync(path, `${name}\n`);
    const content = `[libvirt]\ncpu_models = ${pieces.join('\n')}\n`;
    const out = await files.write(path, content, sha256Hex(`${name}\n`));
    assert.equal(readFileSync(path, 'utf8'), content, JSON.stringify(name));
    assert.equal(readFileSync(out.backupPath!, 'utf8'), `${name}\n`);
    assert.deepEqual((await files.backups(path)).map((b) => b.path), [out.backupPath]);
  }
  assert.equal(existsSync(canary), false);
});

test('refusals: relative path, missing file, a symlink, a file over the size bound', async (t) => {
  const dir = scratch(t);
  const files = new HostFiles(new LocalRunner(), { maxBytes: 100 });
  await assert.rejects(files.read('etc/nova/nova.conf'), (e: unknown) => e instanceof HostFileError && e.kind === 'bad-path');
  await assert.rejects(files.read(join(dir, 'absent.conf')), (e: unknown) => e instanceof HostFileError && e.kind === 'missing');
  writeFileSync(join(dir, 'real.conf'), 'x'.repeat(101));
  symlinkSync(join(dir, 'real.conf'), join(dir, 'link.conf'));
  await assert.rejects(files.write(join(dir, 'link.conf'), 'y', sha256Hex('x')), /is a symbolic link, not a regular file: name the file it points to/);
  await assert.rejects(files.read(join(dir, 'real.conf')), /is 101 bytes, over the 100-byte limit/);
});

/** A tmpfs of `size` mounted on a fresh directory, unmounted after the test. */
function tmpfs(t: { after(fn: () => void): void }, size: string): string {
  const mnt = mkdtempSync(join(tmpdir(), 'nlc-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', mnt]);
  t.after(() => {
    execFileSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });
  return mnt;
}

const mountSkip = skipUnless(isRoot, 'mounting a tmpfs needs root');

test('fault: read-only filesystem: a clear error, the original untouched, nothing left behind', { skip: mountSkip }, async (t) => {
  requireOracle(isRoot, 'the read-only filesystem test needs root (mount)');
  const mnt = tmpfs(t, '1m');
  const path = join(mnt, 'nova.conf');
  writeFileSync(path, 'original\n');
  execFileSync('mount', ['-o', 'remount,ro', mnt]);
  const files = new HostFiles(new LocalRunner());
  await assert.rejects(files.write(path, 'new\n', sha256Hex('original\n')), /Read-only file system/);
  assert.equal(readFileSync(path, 'utf8'), 'original\n');
  assert.deepEqual(readdirSync(mnt), ['nova.conf']);
});

test('fault: full filesystem: a clear error, the original and its backup intact, no partial file', { skip: mountSkip }, async (t) => {
  requireOracle(isRoot, 'the full filesystem test needs root (mount)');
  const mnt = tmpfs(t, '64k');
  const path = join(mnt, 'nova.conf');
  const original = 'o'.repeat(8 * 1024);
  writeFileSync(path, original);
  // leave room for the backup (8 KiB) but not for the new content (40 KiB)
  writeFileSync(join(mnt, 'filler'), Buffer.alloc(40 * 1024));
  const files = new HostFiles(new LocalRunner(), { now: clock('2026-12-01T14:05:01Z') });
  await assert.rejects(files.write(path, 'n'.repeat(40 * 1024), sha256Hex(original)), /No space left on device/);
  assert.equal(readFileSync(path, 'utf8'), original);
  const backup = join(mnt, 'nova.conf.nova-libvirt-cpu.20261201T140501Z.bak');
  assert.equal(readFileSync(backup, 'utf8'), original);
  assert.deepEqual(leftovers(mnt), []);
});
