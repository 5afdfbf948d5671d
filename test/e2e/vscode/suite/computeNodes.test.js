// The Compute nodes view in real VS Code (code-server): contributed to the Explorer, it lists the
// groups and hosts of a fixture Ansible inventory (the setting novaLibvirtCpu.inventory) exactly as
// the CLI's `hosts --format json` reads the same file, re-reads on a settings change and on its
// refresh action, and its group action runs the advisor on the group's hosts as the inventory
// reaches them (here `ctl`, ansible_connection=local: this machine's virsh).
'use strict';
const assert = require('assert');
const path = require('path');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const h = require('./helpers');

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const INVENTORY = path.join(ROOT, 'test', 'fixtures', 'inventory');
const NODE = process.env.NLC_E2E_COMPUTE_NODE;

describe('the Compute nodes view', function () {
  this.timeout(180000);
  let ext;
  let view;
  const cfg = () => vscode.workspace.getConfiguration('novaLibvirtCpu');
  before(async () => {
    await h.openUntitled('nova-conf', '');
    ext = await h.activeExtension();
    view = ext.exports.computeNodes;
    await cfg().update('inventory', path.join(INVENTORY, 'fleet.ini'), vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await cfg().update('inventory', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('novaLibvirtCpu.refreshComputeNodes');
  });

  /** The source node of `file`, once the view has read it. */
  const sourceOf = (file) => h.waitFor(async () => (await view.getChildren()).find((n) => n.kind === 'source' && n.label === `Ansible inventory: ${path.join(INVENTORY, file)}`), { describe: () => `the view never listed ${file}` });
  /** group -> [child groups and hosts] as the view shows them, walking the real provider. */
  async function shown(node, out = {}) {
    for (const c of await view.getChildren(node)) {
      const item = view.getTreeItem(c);
      assert.strictEqual(item.contextValue, c.kind);
      if (c.kind === 'group') {
        out[c.label] ??= { hosts: [], children: [] };
        for (const k of await view.getChildren(c)) (k.kind === 'group' ? out[c.label].children : out[c.label].hosts).push(k.label);
        await shown(c, out);
      }
    }
    return out;
  }

  it('is contributed to the Explorer and opens', async () => {
    assert.ok(ext.packageJSON.contributes.views.explorer.some((v) => v.id === 'novaLibvirtCpu.computeNodes' && v.name === 'Compute nodes'));
    await vscode.commands.executeCommand('novaLibvirtCpu.computeNodes.focus');
  });

  it('lists the inventory\'s groups (nested under their parents) and hosts, as `nova-libvirt-cpu hosts` reads the same file', async () => {
    const src = await sourceOf('fleet.ini');
    const groups = await shown(src);
    const cli = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'hosts', '--inventory', path.join(INVENTORY, 'fleet.ini'), '--format', 'json'], { encoding: 'utf8' })).sources[0];
    const expected = Object.fromEntries(Object.entries(cli.groups).filter(([g]) => g !== 'all'));
    assert.deepStrictEqual(groups, expected);
    assert.deepStrictEqual((await view.getChildren(src)).map((n) => n.label), ['ungrouped', 'cells', 'controllers']);
    assert.deepStrictEqual(groups.cells, { hosts: [], children: ['compute', 'gpu'] });
    assert.deepStrictEqual(groups.compute.hosts, ['node1', 'node2', 'compute-01.dc1.example.org', 'compute-02.dc1.example.org', 'compute-03.dc1.example.org']);
    const compute = (await view.getChildren((await view.getChildren(src))[1]))[0];
    const node1 = view.getTreeItem((await view.getChildren(compute))[0]);
    assert.strictEqual(node1.label, 'node1');
    assert.strictEqual(node1.description, 'nova@127.0.0.1:2201', 'ansible_user@ansible_host:ansible_port');
    console.log(`      read by: ${src.description}`);
  });

  it('follows the setting: a YAML inventory replaces the INI one', async () => {
    await cfg().update('inventory', path.join(INVENTORY, 'fleet.yml'), vscode.ConfigurationTarget.Global);
    const src = await sourceOf('fleet.yml');
    assert.deepStrictEqual((await view.getChildren(src)).map((n) => n.label), ['ungrouped', 'compute', 'gpu', 'cells', 'controllers']);
    assert.ok(!(await view.getChildren()).some((n) => /fleet\.ini/.test(n.label)));
    const roots = await vscode.commands.executeCommand('novaLibvirtCpu.refreshComputeNodes');
    assert.ok(roots.some((n) => /fleet\.yml/.test(n.label)), 'the refresh action returns the re-read tree');
  });

  it('a group\'s "Advise a migration-safe CPU model for this group…" reaches its hosts as the inventory says (ctl: ansible_connection=local)', async function () {
    if (!NODE) {
      if (process.env.CI_REQUIRE_ORACLES === '1') assert.fail('the compute node did not start (see run.mjs output)');
      this.skip();
    }
    const src = await sourceOf('fleet.yml');
    const controllers = (await view.getChildren(src)).find((n) => n.label === 'controllers');
    const advice = await vscode.commands.executeCommand('novaLibvirtCpu.adviseGroup', controllers);
    assert.ok(advice, 'the advisor ran');
    assert.deepStrictEqual(advice.hosts.map((x) => x.name), ['ctl']);
    assert.ok(advice.cpu_models.length >= 1, JSON.stringify(advice.fleet));
    const doc = vscode.workspace.textDocuments.find((d) => d.languageId === 'markdown' && d.getText().startsWith('# Migration advice for group controllers (1 host)'));
    assert.ok(doc, 'the advice preview names the group');
  });
});
