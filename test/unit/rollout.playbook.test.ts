/**
 * The generated playbooks: they parse as YAML (PyYAML, the loader Ansible uses, and
 * ansible-playbook --syntax-check itself), and they say what the rollout promises: serial batches
 * with the canary first, max_fail_percentage 0, every command an argv list, the planned content
 * as a file on the controller, our backup naming, and a rollback play that restores the backups.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlaybook, playbookText, playbookVars, rollbackPlaybook, TASK, type PlaybookInput } from '../../server/src/rollout/playbook';
import { parseBackupName } from '../../server/src/hosts/backupNames';

type Task = Record<string, unknown> & { name: string };
type Play = Record<string, unknown> & { tasks: Task[] };

const input: PlaybookInput = {
  become: true,
  serial: [1, 2, 2],
  hosts: ['host1', 'host2', 'host3', 'host4', 'host5'].map((name, i) => ({
    name, restart: ['/etc/init.d/nova-compute', 'restart'],
    mark: ['/usr/bin/node', '/opt/cli.js', 'rollout-step', 'mark', '--dest', name],
    verify: ['/usr/bin/node', '/opt/cli.js', 'rollout-step', 'verify', '--dest', name],
    files: [{ path: '/etc/nova/nova-compute.conf', src: `/tmp/run/files/${i}/0`, backup: '/etc/nova/nova-compute.conf.nova-libvirt-cpu.20261201T201500Z.bak', sha256Before: 'a'.repeat(64), sha256After: 'b'.repeat(64) }],
  })),
};

/** PyYAML's reading of the text, as JSON. */
function pyYaml(text: string): unknown {
  const out = execFileSync('/usr/bin/python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: text });
  return JSON.parse(out.toString('utf8'));
}

test('the apply playbook: serial = the batches (canary first), max_fail_percentage 0, order sorted, the steps in order', () => {
  const [play] = applyPlaybook(input) as Play[];
  assert.deepEqual(play.serial, [1, 2, 2]);
  assert.equal(play.max_fail_percentage, 0);
  assert.equal(play.order, 'sorted');
  assert.equal(play.hosts, 'host1,host2,host3,host4,host5');
  assert.equal(play.become, true);
  assert.deepEqual(play.tasks.map((t) => t.name), [TASK.check, TASK.checkAssert, TASK.backup, TASK.backupCheck, TASK.backupAssert, TASK.write, TASK.written, TASK.writtenAssert, TASK.mark, TASK.restart, TASK.verify]);
});

test('every command is an argv list (no shell module, no free-form string); the content goes in as a controller file', () => {
  for (const plays of [applyPlaybook(input), rollbackPlaybook(input)] as Play[][]) {
    for (const t of plays[0].tasks) {
      assert.ok(!('ansible.builtin.shell' in t) && !('shell' in t) && !('raw' in t), `${t.name}: no shell`);
      const cmd = t['ansible.builtin.command'] as { argv?: unknown } | undefined;
      if (cmd) assert.ok(Array.isArray(cmd.argv) || (typeof cmd.argv === 'string' && /^\{\{ nlc\.\w+( \+ \[.*\])? \}\}$/.test(cmd.argv)), `${t.name}: argv, got ${JSON.stringify(cmd)}`);
    }
  }
  const [play] = applyPlaybook(input) as Play[];
  const write = play.tasks.find((t) => t.name === TASK.write)!;
  assert.deepEqual(write['ansible.builtin.copy'], { src: '{{ item.src }}', dest: '{{ item.path }}', follow: false });
  const backup = play.tasks.find((t) => t.name === TASK.backup)!;
  assert.deepEqual((backup['ansible.builtin.command'] as { argv: string[] }).argv, ['cp', '-p', '--no-clobber', '--', '{{ item.path }}', '{{ item.backup }}']);
  // Our helper runs on the controller, not as root on the host.
  for (const name of [TASK.mark, TASK.verify]) assert.deepEqual([play.tasks.find((t) => t.name === name)!.delegate_to, play.tasks.find((t) => t.name === name)!.become], ['localhost', false]);
  // --check runs nothing that changes or restarts.
  for (const name of [TASK.backup, TASK.mark, TASK.restart, TASK.verify]) assert.equal(play.tasks.find((t) => t.name === name)!.when, 'not ansible_check_mode', name);
});

test('the vars: per host, the hashes, our backup name, the restart argv', () => {
  const v = playbookVars(input).nlc_hosts as Record<string, { files: Array<Record<string, string>>; restart: string[] }>;
  assert.deepEqual(Object.keys(v), ['host1', 'host2', 'host3', 'host4', 'host5']);
  assert.deepEqual(v.host3.restart, ['/etc/init.d/nova-compute', 'restart']);
  assert.equal(v.host3.files[0].sha256_before, 'a'.repeat(64));
  assert.ok(parseBackupName('nova-compute.conf', v.host3.files[0].backup.split('/').pop()!), 'the host commands\' backup naming');
});

test('the rollback play restores each backup whose file differs, checks the hash, restarts and verifies', () => {
  const [play] = rollbackPlaybook(input) as Play[];
  assert.equal(play.serial, undefined, 'all touched hosts at once');
  assert.deepEqual(play.tasks.map((t) => t.name), [TASK.rbStat, TASK.rbRestore, TASK.rbRestored, TASK.rbAssert, TASK.rbMark, TASK.rbRestart, TASK.rbVerify]);
  const restore = play.tasks.find((t) => t.name === TASK.rbRestore)!;
  assert.deepEqual(restore['ansible.builtin.copy'], { src: '{{ item.item.backup }}', dest: '{{ item.item.path }}', remote_src: true, follow: false });
  assert.match(String(restore.when), /sha256_before/);
  assert.deepEqual((play.tasks.find((t) => t.name === TASK.rbAssert)!['ansible.builtin.assert'] as { that: string[] }).that, ['item.stat.checksum == item.item.sha256_before']);
});

test('the text is YAML: PyYAML reads back exactly the plays, and ansible-playbook --syntax-check accepts both playbooks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-playbook-'));
  try {
    for (const [file, plays] of [['apply.yml', applyPlaybook(input)], ['rollback.yml', rollbackPlaybook(input)]] as const) {
      const text = playbookText(plays, file);
      assert.deepEqual(pyYaml(text), plays, file);
      writeFileSync(join(dir, file), text);
    }
    writeFileSync(join(dir, 'vars.json'), JSON.stringify(playbookVars(input)));
    writeFileSync(join(dir, 'inv'), '[computes]\nhost1\nhost2\nhost3\nhost4\nhost5\n');
    for (const file of ['apply.yml', 'rollback.yml']) {
      const out = execFileSync('ansible-playbook', ['--syntax-check', '-i', join(dir, 'inv'), join(dir, file)], { env: { ...process.env, LC_ALL: 'C.UTF-8', ANSIBLE_NOCOLOR: '1' } }).toString('utf8');
      assert.match(out, new RegExp(`playbook: .*${file}`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('values YAML would re-read (no, 0777, 1e3, on) stay strings', () => {
  const odd: PlaybookInput = { ...input, hosts: [{ ...input.hosts[0], name: 'no', restart: ['0777', '1e3', 'on', 'null', '~'] }] };
  const plays = applyPlaybook(odd);
  assert.deepEqual(pyYaml(playbookText(plays, 'x')), plays);
  assert.deepEqual(pyYaml(`# x\n${JSON.stringify(playbookVars(odd))}`), playbookVars(odd));
});
