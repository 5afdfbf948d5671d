// The Compute nodes view in real VS Code (code-server): contributed to the Explorer, it lists the
// groups and hosts of a fixture Ansible inventory (the setting novaLibvirtCpu.inventory) exactly as
// the CLI's `hosts --format json` reads the same file, re-reads on a settings change and on its
// refresh action, and its group actions reach the group's hosts as the inventory says (here
// `ctl`, ansible_connection=local: the compute node code-server runs in): the advisor, and the
// roll-out (preview blocked by an error before anything is written; the advisor's Apply reaching
// the roll-out's confirmation with its recommendation; a roll-out applied and verified by Nova).
'use strict';
const assert = require('assert');
const path = require('path');
const fs = require('fs');
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

  describe('Roll out a CPU mode to a group… on the compute node', function () {
    const conf = '/etc/nova/nova-compute.conf';
    let original;
    before(async function () {
      if (!NODE) {
        if (process.env.CI_REQUIRE_ORACLES === '1') assert.fail('the compute node did not start (see run.mjs output)');
        this.skip();
      }
      original = fs.readFileSync(conf, 'utf8');
      fs.writeFileSync(conf, original.split('\n').filter((l) => !/^\s*cpu_(mode|models?|model_extra_flags)\s*=/.test(l)).join('\n'));
      await cfg().update('useSudo', false, vscode.ConfigurationTarget.Global); // root inside the node
      await cfg().update('verifyTimeoutSeconds', 150, vscode.ConfigurationTarget.Global);
      // The roll-out reaches `ctl` as the view's inventory says (ansible_connection=local).
      await cfg().update('inventory', path.join(INVENTORY, 'fleet.yml'), vscode.ConfigurationTarget.Global);
      await sourceOf('fleet.yml');
    });
    after(() => { if (original !== undefined) fs.writeFileSync(conf, original); });
    afterEach(() => ext.exports.setPrompts(undefined));

    /** Answers by question id; records what each asked. */
    function answering(answers) {
      const asked = {};
      const get = (id) => { if (!(id in answers)) throw new Error(`unexpected question ${id}`); return answers[id]; };
      return {
        asked,
        prompts: {
          pick: async (items, o) => { asked[o.id] = items.map((i) => i.label); return items.find((i) => i.label === get(o.id)); },
          pickMany: async (items, o) => { asked[o.id] = items.map((i) => i.label); return items.filter((i) => get(o.id).includes(i.label)); },
          input: async (o) => get(o.id),
          confirm: async (id, message, detail, actions) => { asked[id] = { message, detail, actions }; const a = get(id); return actions.includes(a) ? a : undefined; },
        },
      };
    }
    const markdown = (start) => vscode.workspace.textDocuments.filter((d) => d.languageId === 'markdown' && d.getText().startsWith(start)).pop();

    it('a host\'s "Show this node\'s host profile" learns it through the runner its source gives (ctl: local)', async () => {
      const src = await sourceOf('fleet.yml');
      const ctl = (await view.getChildren((await view.getChildren(src)).find((n) => n.label === 'controllers')))[0];
      assert.strictEqual(view.getTreeItem(ctl).description, 'local');
      const p = await vscode.commands.executeCommand('novaLibvirtCpu.showNodeProfile', ctl);
      assert.ok(p, 'a profile');
      assert.deepStrictEqual(p.problems, []);
      assert.ok(p.customModels.some((m) => m.usable === 'yes'));
    });

    it('a host whose result has an error blocks the roll-out in the preview: nothing asked, nothing written', async () => {
      const before = fs.readFileSync(conf, 'utf8');
      const s = answering({});
      ext.exports.setPrompts(s.prompts);
      const r = await vscode.commands.executeCommand('novaLibvirtCpu.rolloutCpuMode', { nodes: ['ctl'], title: 'group controllers', change: { mode: 'custom', models: ['NoSuchModel'], extraFlags: [] } });
      assert.strictEqual(r, undefined);
      assert.deepStrictEqual(s.asked, {});
      const doc = markdown('# Roll-out preview: group controllers (1 host)');
      assert.ok(doc, 'the preview is shown');
      console.log(`      ${doc.getText().split('\n').filter((l) => /^(\*\*|\| 1 )/.test(l)).join('\n      ')}`);
      assert.match(doc.getText(), /\*\*Blocked — nothing will be written:\*\*/);
      assert.match(doc.getText(), /\| 1 \| ctl \| \*\*error\*\* \|/);
      assert.strictEqual(fs.readFileSync(conf, 'utf8'), before);
    });

    it('the advisor\'s Apply goes through the roll-out: its preview, and a confirmation naming the recommended models (cancelled: nothing written)', async () => {
      const before = fs.readFileSync(conf, 'utf8');
      const s = answering({ rollout: undefined });
      ext.exports.setPrompts(s.prompts);
      const advice = await vscode.commands.executeCommand('novaLibvirtCpu.adviseMigration', { nodes: ['ctl'], title: 'group controllers', apply: true });
      assert.ok(advice && advice.cpu_models.length, 'advice with a model');
      assert.ok(s.asked.rollout, `the roll-out asked for confirmation (preview: ${markdown('# Roll-out preview: group controllers')?.getText()})`);
      assert.strictEqual(s.asked.rollout.message, 'Roll out to 1 host(s) of group controllers?');
      assert.match(s.asked.rollout.detail, new RegExp(`• ctl: .* → custom \\(${advice.cpu_models[0]}`));
      assert.strictEqual(fs.readFileSync(conf, 'utf8'), before);
    });

    it('"Dry run" at the confirmation: the executor\'s check, nothing written', async () => {
      const before = fs.readFileSync(conf, 'utf8');
      const s = answering({ rollout: 'Dry run' });
      ext.exports.setPrompts(s.prompts);
      const summary = await vscode.commands.executeCommand('novaLibvirtCpu.rolloutCpuMode', { nodes: ['ctl'], title: 'group controllers', inventory: path.join(INVENTORY, 'fleet.yml'), change: { mode: 'host-passthrough', models: [] } });
      assert.ok(summary, 'the dry run ran');
      console.log(`      ${summary.executor}: ${summary.message}`);
      assert.strictEqual(summary.dryRun, true);
      assert.deepStrictEqual(summary.rows.map((r) => [r.host, r.state]), [['ctl', 'checked']]);
      assert.strictEqual(fs.readFileSync(conf, 'utf8'), before, 'nothing written');
      assert.ok(markdown('# Roll-out dry run: group controllers'), 'the summary is shown');
    });

    it('a roll-out Nova accepts: confirmation, per-host progress in the log, the summary table, the file as previewed', async () => {
      const s = answering({ rollout: 'Roll out' });
      ext.exports.setPrompts(s.prompts);
      const logFrom = ext.exports.recentLog().length;
      const summary = await vscode.commands.executeCommand('novaLibvirtCpu.rolloutCpuMode', { nodes: ['ctl'], title: 'group controllers', inventory: path.join(INVENTORY, 'fleet.yml'), change: { mode: 'host-model', models: [] } });
      const log = ext.exports.recentLog().slice(logFrom).filter((l) => /rollout group controllers/.test(l));
      console.log(`      ${log.join('\n      ')}`);
      assert.ok(summary, 'the roll-out ran');
      assert.strictEqual(summary.ok, true, summary.message);
      assert.deepStrictEqual(summary.rows.map((r) => [r.host, r.state, r.restart]), [['ctl', 'applied', 'ok']]);
      console.log(`      executor: ${summary.executor}`);
      const order = ['ctl: started', 'ctl: wrote /etc/nova/nova-compute.conf', 'ctl: nova-compute restarted', 'ctl: verified: '].map((t) => log.findIndex((l) => l.includes(t)));
      assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `per-host progress from the events, in order: ${order}`);
      assert.match(fs.readFileSync(conf, 'utf8'), /^cpu_mode = host-model$/m);
      const doc = markdown('# Roll-out summary: group controllers');
      assert.ok(doc, 'the summary is shown');
      console.log(`      ${doc.getText().split('\n').filter((l) => l.startsWith('|')).join('\n      ')}`);
      assert.match(doc.getText(), /\| ctl \| .* → host-model \| ok \| applied: .* \| \d+\.\d s \| no \|/);
    });
  });
});
