/**
 * LocalRunner against real programs: argv passed intact (no shell), stdin bytes, the timeout
 * killing the whole process group, bounded output, failures to start, the command log, and
 * "already root" (sudo skipped) when the tests run as root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import type { CommandLogEntry } from '../../server/src/hosts/runner';
import { hostileStrings } from '../support/hostile';

/** Running (a zombie waiting for a reaper that is not ours does not count). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('LocalRunner: hostile arguments reach the program as they are; the canary never appears', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-local-'));
  try {
    const args = hostileStrings(join(dir, 'CANARY'));
    const r = await new LocalRunner().run(['printf', '%s\\0', ...args]);
    assert.equal(r.code, 0);
    const out = r.stdout.toString('utf8').split('\0');
    out.pop();
    assert.deepEqual(out, args);
    assert.equal(existsSync(join(dir, 'CANARY')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('LocalRunner: stdin bytes (binary, NUL included) arrive unchanged', async () => {
  const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
  const r = await new LocalRunner().run(['cat'], { stdin: bytes });
  assert.equal(r.code, 0);
  assert.ok(r.stdout.equals(bytes));
});

test('LocalRunner: a timeout kills the whole process group and says so', async () => {
  // sh starts a background sleep and waits: both must die, not only sh
  const r = await new LocalRunner().run(['sh', '-c', 'sleep 30 & echo $!; wait'], { timeoutMs: 300 });
  assert.equal(r.timedOut, true);
  assert.match(r.error ?? '', /timed out after 300 ms/);
  assert.equal(r.code, null);
  assert.ok(r.ms < 5_000, `took ${r.ms} ms`);
  const pid = Number(r.stdout.toString().trim());
  assert.ok(pid > 0);
  assert.equal(alive(pid), false, 'the background child survived');
});

test('LocalRunner: a process left behind holding stdout (a daemon an init script starts) does not hold up the result', async () => {
  const r = await new LocalRunner().run(['sh', '-c', 'sleep 30 & echo $!'], { timeoutMs: 20_000 });
  const pid = Number(r.stdout.toString().trim());
  try {
    assert.equal(r.code, 0);
    assert.equal(r.timedOut, undefined);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    assert.equal(alive(pid), true, 'the leftover must not be killed: it may be the service just started');
  } finally {
    process.kill(pid, 'SIGKILL');
  }
});

test('LocalRunner: output beyond the bound kills the command instead of filling memory', async () => {
  const r = await new LocalRunner().run(['yes'], { maxOutputBytes: 1 << 20 });
  assert.match(r.error ?? '', /output exceeded 1048576 bytes/);
  assert.ok(r.stdout.length <= 1 << 20);
  assert.notEqual(r.code, 0);
});

test('LocalRunner: a missing program, a NUL in argv and an empty argv are errors, not crashes', async () => {
  const runner = new LocalRunner();
  const missing = await runner.run(['/nonexistent/nova-libvirt-cpu-x']);
  assert.equal(missing.code, null);
  assert.match(missing.error ?? '', /cannot run \/nonexistent\/nova-libvirt-cpu-x: .*ENOENT/);
  assert.match((await runner.run(['echo', 'a\0b'])).error ?? '', /argument 1 of echo contains a NUL byte/);
  assert.match((await runner.run([])).error ?? '', /empty command/);
});

test('LocalRunner: every command is logged with exit status, time and the first stderr lines of a failure', async () => {
  const log: CommandLogEntry[] = [];
  const runner = new LocalRunner({ log: (e) => log.push(e) });
  await runner.run(['true']);
  await runner.run(['ls', '/nonexistent-nova-libvirt-cpu']);
  assert.equal(log.length, 2);
  assert.deepEqual({ ...log[0], ms: 0 }, { host: 'localhost', argv: ['true'], code: 0, signal: null, ms: 0 });
  assert.deepEqual(log[1].argv, ['ls', '/nonexistent-nova-libvirt-cpu']);
  assert.equal(log[1].code, 2);
  assert.match(log[1].stderr ?? '', /No such file or directory/);
  assert.ok(log.every((e) => e.ms >= 0 && Number.isInteger(e.ms)));
});

test('LocalRunner: as root, sudo is not used (the command runs as it is)', { skip: process.getuid?.() !== 0 && 'not root' }, async () => {
  const log: CommandLogEntry[] = [];
  const runner = new LocalRunner({ log: (e) => log.push(e), askPassword: () => assert.fail('must not ask') });
  const r = await runner.run(['id', '-u'], { sudo: true });
  assert.equal(r.stdout.toString().trim(), '0');
  assert.deepEqual(log.map((e) => e.argv), [['id'], ['id', '-u']]);
});
