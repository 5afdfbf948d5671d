/** `nova-libvirt-cpu hosts`: an inventory's tree in text and JSON, --limit, our reader on request, usage errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INI = 'test/fixtures/inventory/fleet.ini';

function hosts(...args: string[]) {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'hosts', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('hosts --inventory: groups under all, children nested, each host with how it is reached; the same tree from our reader', () => {
  const r = hosts('--inventory', INI, '--no-ansible');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Ansible inventory: test\/fixtures\/inventory\/fleet\.ini {2}\(read by nova-libvirt-cpu \(ini; Ansible not installed\)\)\n/);
  assert.match(r.stdout, /\n {2}@cells {2}\(6 host\(s\)\)\n {4}@compute {2}\(5 host\(s\)\)\n {6}node1 {2}\(nova@127\.0\.0\.1:2201\)\n/);
  assert.match(r.stdout, /\n {2}@controllers {2}\(1 host\(s\)\)\n {4}ctl {2}\(local\)\n$/);
  const json = JSON.parse(hosts('--inventory', INI, '--no-ansible', '--format', 'json').stdout);
  assert.equal(json.sources.length, 1);
  assert.deepEqual(json.sources[0].groups.cells, { hosts: [], children: ['compute', 'gpu'] });
  assert.deepEqual(json.sources[0].hosts.find((h: { name: string }) => h.name === 'gpu1'), { name: 'gpu1', address: '10.1.0.5', port: 22, user: 'ops' });
});

test('hosts --limit: the hosts a group selects through its children, each once', () => {
  const r = hosts('--inventory', INI, '--no-ansible', '--limit', 'gpu,controllers');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'gpu1  ops@10.1.0.5:22\nnode2  ops@127.0.0.1:2202\nctl  local\n');
  const j = JSON.parse(hosts('--inventory', INI, '--no-ansible', '--limit', 'cells', '--format', 'json').stdout);
  assert.equal(j.hosts.length, 6);
  const bad = hosts('--inventory', INI, '--no-ansible', '--limit', 'nosuch');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--limit 'nosuch' is neither a group nor a host of the inventory \(groups: cells, compute, controllers, gpu\)/);
});

test('hosts --ssh-config: the aliases of the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-hosts-cli-'));
  try {
    writeFileSync(join(dir, 'config'), 'Host n1 n2\n  User nova\nHost *\n  Port 22\n');
    const r = hosts('--ssh-config', join(dir, 'config'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /@ssh_config {2}\(2 host\(s\)\)\n {4}n1\n {4}n2\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hosts: usage errors and an unreadable inventory exit 2 with the reason', () => {
  for (const [args, msg] of [[['--limit', 'x'], /--limit needs --inventory/], [['--format', 'xml'], /--format must be text or json, not 'xml'/], [['--bogus'], /Unknown option '--bogus'/]] as const) {
    const r = hosts(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, msg);
  }
  const r = hosts('--inventory', 'test/fixtures/inventory/no-such.ini', '--no-ansible');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read the inventory test\/fixtures\/inventory\/no-such\.ini/);
});
