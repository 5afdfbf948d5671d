// Inventory sources: the real `ansible-inventory --list` on INI and YAML inventories, our reader
// (used when Ansible is absent) on the same files with identical hosts, groups, children and
// connection vars; Ansible's own error texts from our reader; ssh config aliases resolved by the
// real `ssh -G -F`; the tree the VS Code view and the CLI show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { loadAnsibleInventory, readWithoutAnsible, hasAnsible } from '../../server/src/inventory/ansibleSource';
import { selectHosts, type Inventory } from '../../server/src/inventory/ansibleInventory';
import { expandHostPattern } from '../../server/src/inventory/inventoryData';
import { resolveAlias, sshConfigAliases } from '../../server/src/inventory/sshConfig';
import { loadSources } from '../../server/src/inventory/sources';
import { inventoryTree, treeText } from '../../server/src/inventory/tree';
import { requireOracle, skipUnless } from '../support/oracles';

const FIXTURES = resolve(__dirname, '../fixtures/inventory');
const FILES = ['fleet.ini', 'fleet.yml', 'edge.ini', 'edge.yml'];
const ansible = spawnSync('ansible-inventory', ['--version'], { env: { ...process.env, LC_ALL: 'C.UTF-8' } }).status === 0;
const ssh = spawnSync('ssh', ['-V']).status === 0;

/** Order-free where Ansible's is (its JSON keys are sorted), order-kept where it is (hosts and children lists). */
function canonical(inv: Inventory) {
  return { hosts: [...inv.hosts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)), groups: [...inv.groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)) };
}

for (const f of FILES) {
  test(`${f}: our reader yields what ansible-inventory --list yields`, { skip: skipUnless(ansible, 'ansible-inventory is not installed') }, async () => {
    requireOracle(ansible, 'ansible-inventory is not installed');
    const runner = new LocalRunner();
    try {
      const theirs = await loadAnsibleInventory(runner, join(FIXTURES, f), 'ansible');
      const ours = await loadAnsibleInventory(runner, join(FIXTURES, f), 'ours');
      assert.equal(theirs.reader, 'ansible-inventory');
      assert.equal(ours.reader, f.endsWith('.ini') ? 'ini' : 'yaml');
      assert.ok(theirs.inventory.hosts.size >= 5, `${f}: ${theirs.inventory.hosts.size} hosts`);
      assert.deepEqual(canonical(ours.inventory), canonical(theirs.inventory));
    } finally {
      await runner.close();
    }
  });
}

test('what the fixtures mean (read without Ansible): children, ranges, group vars under host vars, depth and priority', () => {
  const fleet = readWithoutAnsible(join(FIXTURES, 'fleet.ini')).inventory;
  assert.deepEqual(fleet.groups.get('all')!.children, ['ungrouped', 'cells', 'controllers']);
  assert.deepEqual(fleet.groups.get('cells')!.children, ['compute', 'gpu']);
  assert.deepEqual(fleet.groups.get('ungrouped')!.hosts, ['bastion.example.org']);
  assert.deepEqual(fleet.hosts.get('node2'), { name: 'node2', address: '127.0.0.1', port: 2202, user: 'ops' }, 'gpu:vars gives node2 its user');
  assert.deepEqual(fleet.hosts.get('node1'), { name: 'node1', address: '127.0.0.1', port: 2201, user: 'nova' }, 'a host var beats gpu:vars');
  assert.deepEqual(fleet.hosts.get('ctl'), { name: 'ctl', connection: 'local' });
  assert.deepEqual(selectHosts(fleet, 'cells').map((h) => h.name), ['node1', 'node2', 'compute-01.dc1.example.org', 'compute-02.dc1.example.org', 'compute-03.dc1.example.org', 'gpu1']);
  const edge = readWithoutAnsible(join(FIXTURES, 'edge.ini')).inventory;
  assert.equal(edge.hosts.get('node5')!.port, 2299, 'prio (priority 10) beats dc at the same depth');
  assert.equal(edge.hosts.get('node5')!.user, 'rackb', 'rack_b (depth 2) beats dc (depth 1)');
  assert.deepEqual(edge.hosts.get('10.0.0.7'), { name: '10.0.0.7', port: 2207, user: 'ci user' });
  const yaml = readWithoutAnsible(join(FIXTURES, 'edge.yml'));
  assert.deepEqual(yaml.warnings, ['Skipping key (colour) in group (solo) as it is not a mapping, it is a <class \'str\'>']);
  assert.deepEqual(yaml.inventory.groups.get('solo'), { hosts: ['lonely.example.org'], children: [] });
});

test('host ranges as Ansible expands them, and its refusals', () => {
  assert.deepEqual(expandHostPattern('db-[a:c]-[01:02]'), ['db-a-01', 'db-a-02', 'db-b-01', 'db-b-02', 'db-c-01', 'db-c-02']);
  assert.deepEqual(expandHostPattern('n[0:10:5]'), ['n0', 'n5', 'n10']);
  assert.deepEqual(expandHostPattern('plain'), ['plain']);
  assert.throws(() => expandHostPattern('n[01:100]'), /host range must specify equal-length begin and end formats/);
  assert.throws(() => expandHostPattern('n[9:1]'), /host range must have begin <= end/);
  assert.throws(() => expandHostPattern('n[1:99999999]'), /names more than 100000 hosts/);
});

test('a bad INI inventory: our reader says what Ansible says, at the same file and line', { skip: skipUnless(ansible, 'ansible-inventory is not installed') }, () => {
  requireOracle(ansible, 'ansible-inventory is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'nlc-inv-'));
  try {
    const cases = {
      'novalue.ini': '[a]\nh1 x\n',
      'undefined-child.ini': '[a:children]\nb\n',
      'vars-only.ini': '[c:vars]\nx=1\n',
      'bad-section.ini': '[a b]\nh1\n',
      'unknown-type.ini': '[a:hostz]\nh1\n',
      'bad-vars.ini': '[a]\nh1\n[a:vars]\njustaword\n',
      'quote.ini': '[a]\nh1 x="unclosed\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const r = spawnSync('ansible-inventory', ['-i', file, '--list'], { env: { ...process.env, LC_ALL: 'C.UTF-8', ANSIBLE_INVENTORY_ENABLED: 'ini' }, encoding: 'utf8' });
      const said = r.stderr.replace(/\s+/g, ' ').replace(/- /g, '-');
      let ours = '';
      try { readWithoutAnsible(file); } catch (e) { ours = (e as Error).message; }
      const m = new RegExp(`with ini plugin: (${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: .+?)(?: \\[WARNING\\]|$)`).exec(said);
      assert.ok(m, `${name}: ansible-inventory said: ${said}`);
      assert.ok(ours.replace(/\s+/g, ' ').includes(m![1].trim()), `${name}:\n ansible: ${m![1]}\n ours:    ${ours}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an inventory directory without Ansible is refused with the reason, not half read', () => {
  assert.throws(() => readWithoutAnsible(FIXTURES), /is a directory: .* read by ansible-inventory only/);
  assert.deepEqual([...readWithoutAnsible('n1,n2:2222,').inventory.hosts.values()], [{ name: 'n1' }, { name: 'n2', port: 2222 }]);
});

test('ssh config aliases (no wildcards, Includes followed), resolved by the real ssh -G -F', { skip: skipUnless(ssh, 'no ssh client') }, async () => {
  requireOracle(ssh, 'no ssh client');
  const dir = mkdtempSync(join(tmpdir(), 'nlc-sshcfg-'));
  try {
    mkdirSync(join(dir, 'config.d'));
    writeFileSync(join(dir, 'config.d', 'lab.conf'), 'Host lab1\n  HostName 198.51.100.4\n  Port 2022\n');
    const cfg = join(dir, 'config');
    writeFileSync(cfg, [
      `Include ${join(dir, 'config.d', '*.conf')}`,
      'Host node-a node-b "quoted-c"',
      '  User nova',
      'Host web-* !bastion *.example.org',
      '  Port 2200',
      'Host=eq-form',
      '  HostName 192.0.2.8',
      'Match host node-b',
      '  Port 2299',
      'Host *',
      '  ServerAliveInterval 30',
      '',
    ].join('\n'));
    const got = sshConfigAliases(cfg);
    assert.deepEqual(got.aliases, ['lab1', 'node-a', 'node-b', 'quoted-c', 'eq-form']);
    assert.deepEqual(got.problems, []);
    const runner = new LocalRunner();
    try {
      // ssh's answer, Match included: ours never re-implements it.
      assert.deepEqual(await resolveAlias(runner, 'node-b', cfg), { hostname: 'node-b', port: 2299, user: 'nova' });
      assert.deepEqual(await resolveAlias(runner, 'lab1', cfg), { hostname: '198.51.100.4', port: 2022, user: execFileSync('id', ['-un'], { encoding: 'utf8' }).trim() });
      assert.equal((await resolveAlias(runner, 'eq-form', cfg)).hostname, '192.0.2.8');
      await assert.rejects(resolveAlias(runner, '-oProxyCommand=x', cfg), /starts with '-'/);
    } finally {
      await runner.close();
    }
    const sources = await loadSources({ hosts: ['root@10.0.0.1', ' '], sshConfig: cfg });
    const text = treeText(inventoryTree(sources));
    assert.match(text, /^Setting: novaLibvirtCpu\.hosts\n {2}@hosts_setting {2}\(1 host\(s\)\)\n {4}root@10\.0\.0\.1\n/);
    assert.match(text, /ssh config: .*config\n {2}@ssh_config {2}\(5 host\(s\)\)\n {4}lab1\n {4}node-a\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the tree: Ansible\'s nesting under all, a host in two groups under each, the reader named, a broken source kept with its error', async () => {
  const sources = await loadSources({ inventory: join(FIXTURES, 'fleet.ini'), reader: 'ours' });
  sources.push(...(await loadSources({ inventory: join(FIXTURES, 'no-such-inventory.ini'), reader: 'ours' })));
  const tree = inventoryTree(sources);
  assert.equal(tree[0].description, 'read by nova-libvirt-cpu (ini; Ansible not installed)');
  assert.deepEqual(tree[0].children.map((n) => n.label), ['ungrouped', 'cells', 'controllers']);
  const cells = tree[0].children[1];
  assert.equal(cells.description, '6 host(s)');
  assert.deepEqual(cells.children.map((n) => `${n.kind}:${n.label}`), ['group:compute', 'group:gpu']);
  assert.deepEqual(cells.children[1].children.map((n) => `${n.label} ${n.description}`), ['gpu1 ops@10.1.0.5:22', 'node2 ops@127.0.0.1:2202']);
  const ids = new Set<string>();
  const walk = (ns: typeof tree) => ns.forEach((n) => { assert.ok(!ids.has(n.id), `duplicate id ${n.id}`); ids.add(n.id); walk(n.children); });
  walk(tree);
  assert.equal(tree[1].children[0].kind, 'problem');
  assert.match(tree[1].children[0].label, /cannot read the inventory .*no-such-inventory\.ini/);
});

test('with Ansible installed, auto reads through ansible-inventory; a host list means what it means to Ansible (no ranges)', { skip: skipUnless(ansible, 'ansible-inventory is not installed') }, async () => {
  requireOracle(ansible, 'ansible-inventory is not installed');
  const runner = new LocalRunner();
  try {
    assert.equal(await hasAnsible(runner), true);
    assert.equal((await loadAnsibleInventory(runner, join(FIXTURES, 'fleet.yml'))).reader, 'ansible-inventory');
    const list = 'web[1:2],x:2222,';
    assert.deepEqual(canonical(readWithoutAnsible(list).inventory), canonical((await loadAnsibleInventory(runner, list, 'ansible')).inventory));
  } finally {
    await runner.close();
  }
});
