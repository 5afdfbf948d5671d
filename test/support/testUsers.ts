/**
 * Non-root users for the ssh/sudo tests, created on first use (idempotent, safe when two test
 * runs race): one with NOPASSWD sudo, one whose sudo asks for a password (set with chpasswd).
 * Needs root; the sudoers drop-in is checked with visudo before it is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NOPASSWD_USER = 'nlcpu-nopw';
export const PASSWORD_USER = 'nlcpu-pw';
/** A test account's password on a test machine: not a secret of anyone's. */
export const PASSWORD = 'Right-pa55 wörd';
const SUDOERS = '/etc/sudoers.d/nova-libvirt-cpu-tests';
const SUDOERS_TEXT = [
  '# nova-libvirt-cpu tests (test/support/testUsers.ts): recreated by the tests, safe to remove',
  `Defaults:${NOPASSWD_USER},${PASSWORD_USER} !lecture`,
  `${NOPASSWD_USER} ALL=(root) NOPASSWD: ALL`,
  `${PASSWORD_USER} ALL=(root) ALL`,
  '',
].join('\n');

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0;
}

function ensureUser(name: string): void {
  if (userExists(name)) return;
  const r = spawnSync('useradd', ['--create-home', '--shell', '/bin/sh', name], { encoding: 'utf8' });
  // another test run may have created it meanwhile
  if (r.status !== 0 && !userExists(name)) throw new Error(`useradd ${name} failed: ${r.stderr}`);
}

/** Missing tools, if any (the harness needs them; setup-test-env.sh installs them). */
export function testUsersMissing(): string[] {
  const missing = ['/usr/sbin/useradd', '/usr/sbin/chpasswd', '/usr/sbin/usermod', '/usr/sbin/visudo', '/usr/bin/sudo'].filter((p) => !existsSync(p));
  if (process.getuid?.() !== 0) missing.push('root (to create test users)');
  return missing;
}

export function ensureTestUsers(): void {
  ensureUser(NOPASSWD_USER);
  ensureUser(PASSWORD_USER);
  // sshd (UsePAM no) refuses accounts whose password field is locked ('!'): give the key-only user '*'
  execFileSync('usermod', ['-p', '*', NOPASSWD_USER]);
  execFileSync('chpasswd', [], { input: `${PASSWORD_USER}:${PASSWORD}\n` });
  if (existsSync(SUDOERS) && readFileSync(SUDOERS, 'utf8') === SUDOERS_TEXT) return;
  const dir = mkdtempSync(join(tmpdir(), 'nlc-sudoers-'));
  try {
    const tmp = join(dir, 'sudoers');
    writeFileSync(tmp, SUDOERS_TEXT, { mode: 0o440 });
    execFileSync('visudo', ['-c', '-q', '-f', tmp]);
    // same filesystem as /etc/sudoers.d is not guaranteed for /tmp: copy beside, then rename
    const beside = `${SUDOERS}.tmp-${process.pid}`;
    writeFileSync(beside, SUDOERS_TEXT, { mode: 0o440 });
    renameSync(beside, SUDOERS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
