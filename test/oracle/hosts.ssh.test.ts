/**
 * The OpenSSH runner and sudo against real parts: Debian's sshd on loopback (test/support/sshd.ts),
 * the system ssh client, real sudo with a NOPASSWD user and a password user (test/support/testUsers.ts).
 * Without sshd or root these skip, unless CI_REQUIRE_ORACLES=1, where they fail.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SshRunner } from '../../server/src/hosts/sshRunner';
import { sshOptions } from '../../server/src/hosts/sshArgs';
import { HostFiles, sha256Hex } from '../../server/src/hosts/hostFiles';
import type { CommandLogEntry, RunOptions, RunResult, Runner, RunnerHooks } from '../../server/src/hosts/runner';
import { startSshd, sshdMissing, type TestSshd } from '../support/sshd';
import { ensureTestUsers, NOPASSWD_USER, PASSWORD, PASSWORD_USER, testUsersMissing } from '../support/testUsers';
import { hostileStrings } from '../support/hostile';
import { requireOracle, skipUnless } from '../support/oracles';

const missing = [...sshdMissing(), ...testUsersMissing()];
const skip = skipUnless(missing.length === 0, `missing: ${missing.join(', ')} (bash scripts/setup-test-env.sh; run as root)`);
const need = () => requireOracle(missing.length === 0, `the ssh tests need ${missing.join(', ')}`);

let sshd: TestSshd;
let scratch: string;

before(async () => {
  if (missing.length) return;
  ensureTestUsers();
  sshd = await startSshd([NOPASSWD_USER, PASSWORD_USER, 'root']);
  scratch = mkdtempSync(join(tmpdir(), 'nlc-ssh-files-'));
  chmodSync(scratch, 0o777); // the test users write their canaries here
});
after(async () => {
  await sshd?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A runner for `user` on the test sshd, with its own control directory unless shared. */
function runner(user: string, hooks: RunnerHooks = {}, extra: { configFile?: string; controlDir?: string } = {}): SshRunner {
  const controlDir = extra.controlDir ?? mkdtempSync(join(sshd.dir, 'control-'));
  return new SshRunner({ destination: `${user}@127.0.0.1`, configFile: extra.configFile ?? sshd.clientConfig, controlDir }, hooks);
}

function accepted(user: string): number {
  return sshd.log().split('\n').filter((l) => l.startsWith(`Accepted publickey for ${user} `)).length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('ssh: hostile arguments and stdin reach the remote command as they are; the canary never appears', { skip }, async () => {
  need();
  const canary = join(scratch, 'CANARY-args');
  const r = runner(NOPASSWD_USER);
  try {
    const args = hostileStrings(canary);
    const out = await r.run(['printf', '%s\\0', ...args]);
    assert.equal(out.code, 0, out.error);
    const got = out.stdout.toString('utf8').split('\0');
    got.pop();
    assert.deepEqual(got, args);
    // file content with ssh's escape sequence, NUL bytes and every byte value
    const bytes = Buffer.concat([Buffer.from('a\n~.\n~C\n$(touch ' + canary + ')\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
    const cat = await r.run(['cat'], { stdin: bytes });
    assert.ok(cat.stdout.equals(bytes));
    assert.equal(existsSync(canary), false);
  } finally {
    await r.close();
  }
});

test('HostFiles over ssh: a hostile path and content, written, backed up and listed as they are; the canary never appears', { skip }, async () => {
  need();
  const canary = join(scratch, 'CANARY-path');
  const pieces = hostileStrings(canary).map((p) => p.replaceAll('/', '_'));
  const dir = join(scratch, `-d ${pieces.slice(0, 10).join('')}`.slice(0, 200));
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  const path = join(dir, `-${pieces.slice(10).join('')}[x]*.conf`.slice(0, 200));
  writeFileSync(path, 'before\n');
  const uid = Number(spawnSync('id', ['-u', NOPASSWD_USER], { encoding: 'utf8' }).stdout);
  chownSync(path, uid, uid); // the user's own file: no sudo on this path
  const r = runner(NOPASSWD_USER);
  const files = new HostFiles(r, { now: () => new Date('2026-12-01T14:05:01Z') });
  const content = `[libvirt]\ncpu_models = ${pieces.join(',')}\n`;
  const out = await files.write(path, content, sha256Hex('before\n'));
  assert.equal(readFileSync(path, 'utf8'), content);
  assert.equal(readFileSync(out.backupPath!, 'utf8'), 'before\n');
  assert.deepEqual((await files.backups(path)).map((b) => b.path), [out.backupPath]);
  assert.equal(existsSync(canary), false);
  await r.close();
});

test('ssh: hostile host names are refused before anything runs', { skip }, () => {
  need();
  const canary = join(scratch, 'CANARY-host');
  for (const host of hostileStrings(canary)) {
    assert.throws(() => new SshRunner({ destination: host, controlDir: sshd.controlDir }), /^Error: ssh host /, JSON.stringify(host));
  }
  assert.equal(existsSync(canary), false);
});

test('ssh: an unknown host key is refused with what to do, and is not added to known_hosts', { skip }, async () => {
  need();
  const r = runner(NOPASSWD_USER, {}, { configFile: sshd.clientConfigUnknownKey });
  const out = await r.run(['true']);
  assert.equal(out.code, null);
  assert.match(out.error ?? '', new RegExp(`^the host key of ${NOPASSWD_USER}@127\\.0\\.0\\.1 is not known .*never accepts a host key for you`));
  assert.match(out.error ?? '', new RegExp(`ssh-keyscan -p ${sshd.port} 127\\.0\\.0\\.1 >> ~/\\.ssh/known_hosts`));
  assert.match(out.error ?? '', /ssh said: .*Host key verification failed\./);
  // through sudo too: the reason survives the "who are we" step
  const viaSudo = await r.run(['true'], { sudo: true });
  assert.match(viaSudo.error ?? '', /^cannot tell who we are on .*: `id` failed \(the host key of .* is not known/);
  assert.equal(readFileSync(join(sshd.dir, 'known_hosts.empty'), 'utf8'), '');
  await r.close();
});

test('ssh: one connection serves every command (one login in sshd\'s log, the control socket exists); close() ends it', { skip }, async () => {
  need();
  const controlDir = mkdtempSync(join(sshd.dir, 'control-'));
  const r = runner(NOPASSWD_USER, {}, { controlDir });
  const logins = accepted(NOPASSWD_USER);
  const ms: number[] = [];
  for (let i = 0; i < 6; i++) {
    const out = await r.run(['true']);
    assert.equal(out.code, 0, out.error);
    ms.push(out.ms);
  }
  console.log(`ssh command times (ms), first then reused: ${ms.join(', ')}`);
  assert.equal(accepted(NOPASSWD_USER) - logins, 1, 'more than one login for six commands');
  const sockets = readdirSync(controlDir);
  assert.equal(sockets.length, 1);
  assert.ok(statSync(join(controlDir, sockets[0])).isSocket());
  assert.ok(median(ms.slice(1)) * 2 < ms[0], `reused commands (median ${median(ms.slice(1))} ms) not much cheaper than the first (${ms[0]} ms)`);
  await r.close();
  assert.deepEqual(readdirSync(controlDir), []);
});

test('ssh: the control directory must be private, ours, and a real directory (created 0700)', { skip }, async () => {
  need();
  const open = mkdtempSync(join(sshd.dir, 'control-open-'));
  chmodSync(open, 0o755);
  const r = runner(NOPASSWD_USER, {}, { controlDir: open });
  await assert.rejects(r.run(['true']), /has mode 755: others could use our ssh connections/);
  const link = join(sshd.dir, 'control-link');
  symlinkSync(mkdtempSync(join(sshd.dir, 'control-target-')), link);
  await assert.rejects(runner(NOPASSWD_USER, {}, { controlDir: link }).run(['true']), /control directory .*control-link is not a directory: remove it/);
  const foreign = mkdtempSync(join(sshd.dir, 'control-foreign-'));
  chownSync(foreign, 4242, 4242);
  await assert.rejects(runner(NOPASSWD_USER, {}, { controlDir: foreign }).run(['true']), /belongs to uid 4242, not to us \(0\): remove it/);
  // created 0700 when missing
  const fresh = join(sshd.dir, 'control-fresh');
  const ok = runner(NOPASSWD_USER, {}, { controlDir: fresh });
  assert.equal((await ok.run(['true'])).code, 0);
  assert.equal((statSync(fresh).mode & 0o777).toString(8), '700');
  await ok.close();
});

test('sudo over ssh, NOPASSWD: sudo -n, never asks', { skip }, async () => {
  need();
  const log: CommandLogEntry[] = [];
  const r = runner(NOPASSWD_USER, { log: (e) => log.push(e), askPassword: () => assert.fail('must not ask') });
  const out = await r.run(['id', '-u'], { sudo: true });
  assert.equal(out.stdout.toString().trim(), '0');
  assert.deepEqual(log.map((e) => e.argv), [['id'], ['sudo', '-n', '--', 'id', '-u']]);
  await r.close();
});

test('sudo over ssh as root: already root, no sudo at all', { skip }, async () => {
  need();
  const log: CommandLogEntry[] = [];
  const r = runner('root', { log: (e) => log.push(e) });
  const out = await r.run(['id', '-u'], { sudo: true });
  assert.equal(out.stdout.toString().trim(), '0');
  assert.deepEqual(log.map((e) => e.argv), [['id'], ['id', '-u']]);
  await r.close();
});

/** A password box that answers from a list and counts its prompts. */
function answers(...list: Array<string | undefined>) {
  const prompts: string[] = [];
  return { prompts, askPassword: async (p: string) => (prompts.push(p), list.shift()) };
}

test('sudo over ssh with a password: asked once per operation, handed on stdin before the command\'s own input, in no log', { skip }, async () => {
  need();
  const log: CommandLogEntry[] = [];
  const box = answers(PASSWORD, PASSWORD);
  const r = runner(PASSWORD_USER, { log: (e) => log.push(e), askPassword: box.askPassword });
  const data = Buffer.concat([Buffer.from('first line\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
  const cat = await r.run(['cat'], { sudo: true, stdin: data });
  assert.equal(cat.code, 0, cat.error);
  assert.ok(cat.stdout.equals(data), 'the command got something else than its own input');
  // commands side by side in one operation share the one prompt
  const both = await Promise.all([r.run(['id', '-u'], { sudo: true }), r.run(['id', '-u'], { sudo: true })]);
  assert.deepEqual(both.map((b) => b.stdout.toString().trim()), ['0', '0']);
  assert.deepEqual(box.prompts, [`[sudo] password for ${PASSWORD_USER} on ${PASSWORD_USER}@127.0.0.1`]);
  r.endOperation();
  const side = answers(PASSWORD);
  const r3 = runner(PASSWORD_USER, { askPassword: side.askPassword });
  const parallel = await Promise.all([r3.run(['id', '-u'], { sudo: true }), r3.run(['id', '-u'], { sudo: true })]);
  assert.deepEqual(parallel.map((b) => b.stdout.toString().trim()), ['0', '0']);
  assert.equal(side.prompts.length, 1, 'two prompts for commands started together');
  await r3.close();
  assert.equal((await r.run(['id', '-u'], { sudo: true })).stdout.toString().trim(), '0');
  assert.equal(box.prompts.length, 2, 'a new operation asks again');
  const logged = JSON.stringify(log);
  assert.ok(!logged.includes(PASSWORD) && !logged.includes('pa55'), 'the password reached the log');
  assert.deepEqual(log.slice(1, 4).map((e) => e.argv), [
    ['sudo', '-n', '--', 'cat'],
    ['sudo', '-k', '-S', '-p', '', '-v'],
    ['sudo', '-k', '-S', '-p', '', '--', 'cat'],
  ]);
  await r.close();
});

test('sudo over ssh, two wrong passwords: asked once more; the second wrong one fails in sudo\'s words and stops asking', { skip }, async () => {
  need();
  // (a wrong answer then the right one is tested through the LocalRunner: the same SudoSession)
  const twice = answers('wrong', 'also wrong', PASSWORD);
  const r2 = runner(PASSWORD_USER, { askPassword: twice.askPassword });
  const out = await r2.run(['cat'], { sudo: true, stdin: 'must never be tried as a password\n' });
  assert.notEqual(out.code, 0);
  assert.match(out.error ?? '', new RegExp(`^sudo on ${PASSWORD_USER}@127\\.0\\.0\\.1: wrong password, asked 2 times \\(sudo said: .*incorrect password attempt`));
  const again = await r2.run(['true'], { sudo: true });
  assert.equal(again.error, out.error);
  assert.equal(twice.prompts.length, 2, 'asked again within the same operation');
  r2.endOperation();
  assert.equal((await r2.run(['true'], { sudo: true })).code, 0);
  assert.match(twice.prompts[1], /^Sorry, try again\. \[sudo\] password for /);
  await r2.close();
});

test('sudo over ssh, password box cancelled or failing: a clear error, the command not run', { skip }, async () => {
  need();
  const r = runner(PASSWORD_USER, answers(undefined));
  const out = await r.run(['touch', join(scratch, 'CANARY-cancel')], { sudo: true });
  assert.match(out.error ?? '', /needs a password and none was given \(cancelled\)/);
  assert.equal(existsSync(join(scratch, 'CANARY-cancel')), false);
  await r.close();
  const broken = runner(PASSWORD_USER, { askPassword: () => Promise.reject(new Error('the window was closed')) });
  assert.match((await broken.run(['true'], { sudo: true })).error ?? '', /asking for the password failed \(the window was closed\)/);
  await broken.close();
});

test('HostFiles over ssh + sudo: a root-only 0640 file read and written with backup (password sudo), restored (NOPASSWD); owner and mode kept', { skip }, async () => {
  need();
  const dir = mkdtempSync(join(scratch, 'etc-nova-'));
  chmodSync(dir, 0o700); // root only: every step needs sudo
  const path = join(dir, 'nova.conf');
  const canary = join(scratch, 'CANARY-files');
  writeFileSync(path, '[libvirt]\ncpu_mode = custom\ncpu_models = SandyBridge\n');
  chownSync(path, 0, 4321);
  chmodSync(path, 0o640);
  const box = answers(PASSWORD);
  const r = runner(PASSWORD_USER, { askPassword: box.askPassword });
  const files = new HostFiles(r, { sudo: true, now: () => new Date('2026-12-01T14:05:01Z') });
  const seen = await files.read(path);
  const content = `[libvirt]\ncpu_mode = custom\ncpu_models = ${hostileStrings(canary).join(',')}\n`;
  const w = await files.write(path, content, seen.sha256);
  assert.equal(readFileSync(path, 'utf8'), content);
  assert.equal(readFileSync(w.backupPath!, 'utf8'), seen.bytes.toString());
  for (const p of [path, w.backupPath!]) {
    const st = statSync(p);
    assert.deepEqual([st.uid, st.gid, (st.mode & 0o777).toString(8)], [0, 4321, '640'], p);
  }
  assert.equal(box.prompts.length, 1, 'one operation, one password prompt');
  // the rollback, as the NOPASSWD user (same sudo path without the prompt, half the commands)
  const r2 = runner(NOPASSWD_USER);
  const restored = await new HostFiles(r2, { sudo: true }).restore(path, w.backupPath!, { expectedSha256: sha256Hex(content) });
  assert.ok(readFileSync(path).equals(seen.bytes));
  assert.equal(restored.sha256, seen.sha256);
  assert.deepEqual([statSync(path).uid, statSync(path).gid, (statSync(path).mode & 0o777).toString(8)], [0, 4321, '640']);
  assert.equal(existsSync(canary), false);
  await r.close();
  await r2.close();
});

/** The control master's pid, as `ssh -O check` reports it. */
function masterPid(r: SshRunner, controlDir: string): number {
  const out = spawnSync('ssh', [...sshOptions({ destination: r.host, configFile: sshd.clientConfig, controlDir }), '-O', 'check', '--', r.host], { encoding: 'utf8' });
  const pid = Number(/Master running \(pid=(\d+)\)/.exec(out.stderr)?.[1]);
  assert.ok(pid > 0, out.stderr);
  return pid;
}

test('ssh dropped during a long command (sshd\'s session killed, or our control master): a prompt, clean error', { skip }, async () => {
  need();
  for (const how of ['sshd session killed', 'control master killed'] as const) {
    const controlDir = mkdtempSync(join(sshd.dir, 'control-'));
    const r = runner(NOPASSWD_USER, {}, { controlDir });
    assert.equal((await r.run(['true'])).code, 0);
    const pending = r.run(['sleep', '30']);
    await new Promise((res) => setTimeout(res, 500));
    if (how === 'sshd session killed') sshd.dropConnections();
    else process.kill(masterPid(r, controlDir), 'SIGKILL');
    const out = await pending;
    assert.equal(out.code, null, how);
    assert.match(out.error ?? '', /^the ssh connection to nlcpu-nopw@127\.0\.0\.1 was lost/, `${how}: ${out.error} / ${out.stderr}`);
    assert.ok(out.ms < 20_000, `${how}: took ${out.ms} ms`);
    await r.close();
  }
});

/**
 * Passes commands through; once the one whose argv contains `tool` has started and `started()`
 * says its work is under way, runs `fault`. Waiting on evidence, not a fixed delay: on a loaded
 * machine 30 ms was sometimes before ssh had even reached sshd.
 */
class FaultAt implements Runner {
  constructor(
    private readonly inner: Runner,
    private readonly tool: string,
    private readonly started: () => boolean,
    private readonly fault: () => Promise<void>,
  ) {}
  get host() {
    return this.inner.host;
  }
  async run(argv: string[], opts?: RunOptions): Promise<RunResult> {
    if (argv.includes(this.tool)) {
      let settled = false;
      const pending = this.inner.run(argv, opts).finally(() => { settled = true; });
      for (const until = Date.now() + 30_000; !this.started() && !settled && Date.now() < until;) await new Promise((res) => setTimeout(res, 2));
      assert.ok(!settled, `${argv.join(' ')} ended before the fault could be injected`);
      await this.fault();
      return pending;
    }
    return this.inner.run(argv, opts);
  }
  endOperation() {
    this.inner.endOperation();
  }
  close() {
    return this.inner.close();
  }
}

test('ssh dropped in the middle of an atomic write (the host goes away while the new bytes are sent): the file is intact, the error says so', { skip }, async () => {
  need();
  const own = await startSshd([NOPASSWD_USER]);
  try {
    const dir = mkdtempSync(join(scratch, 'drop-'));
    chmodSync(dir, 0o755);
    const path = join(dir, 'nova.conf');
    const original = 'original\n'.repeat(1000);
    writeFileSync(path, original);
    const inner = new SshRunner({ destination: `${NOPASSWD_USER}@127.0.0.1`, configFile: own.clientConfig, controlDir: mkdtempSync(join(own.dir, 'control-')) });
    // The fault comes once dd has written the first bytes of the temp file, so the host goes away mid-transfer.
    const transferring = () => readdirSync(dir).some((f) => f.includes('-tmp.') && statSync(join(dir, f)).size > 0);
    const files = new HostFiles(new FaultAt(inner, 'dd', transferring, () => own.halt()), { sudo: true, now: () => new Date('2026-12-01T14:05:01Z') });
    const big = Buffer.alloc(16 * 1024 * 1024, 'n');
    let message = '';
    await assert.rejects(files.write(path, big, sha256Hex(original)), (e: Error) => ((message = e.message), true));
    assert.match(message, /^writing .*nova\.conf: `sudo -n -- dd .*` on nlcpu-nopw@127\.0\.0\.1 failed \(the ssh connection to nlcpu-nopw@127\.0\.0\.1 was lost/);
    assert.equal(readFileSync(path, 'utf8'), original);
    assert.equal(readFileSync(join(dir, 'nova.conf.nova-libvirt-cpu.20261201T140501Z.bak'), 'utf8'), original);
    // the host is gone, so our temp file could not be removed: the error names it
    const temps = readdirSync(dir).filter((n) => n.startsWith('.nova.conf.nova-libvirt-cpu-tmp.'));
    assert.equal(temps.length, 1);
    assert.ok(message.includes(`the temporary file ${join(dir, temps[0])} is left on nlcpu-nopw@127.0.0.1`), message);
    await inner.close();
  } finally {
    await own.stop();
  }
});

test('ssh: a timeout kills the local ssh and says so', { skip }, async () => {
  need();
  const r = runner(NOPASSWD_USER);
  const out = await r.run(['sleep', '30'], { timeoutMs: 1500 });
  assert.equal(out.timedOut, true);
  assert.match(out.error ?? '', /timed out after 1500 ms/);
  await r.close();
});

