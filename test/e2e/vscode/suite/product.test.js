// The extension as a product, in real VS Code: Check workspace fills the Problems panel for files that
// are not open; a novaRelease VS Code's enum does not list is said once in the language status (not on
// the files); Select Nova release… changes the setting and the status; the output channel logs what was
// loaded. Settings are changed at the user level (the test window's own user data), never in workspace/.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('the extension as a product', function () {
  this.timeout(120000);
  let ext;
  /** The command log's lines without the time each starts with. */
  const logLines = () => ext.exports.recentLog().map((l) => l.replace(/^\S+Z /, ''));
  const cfg = () => vscode.workspace.getConfiguration('novaLibvirtCpu');
  before(async () => { await h.openUntitled('nova-conf', ''); ext = await h.activeExtension(); });
  afterEach(async () => { ext.exports.setPrompts(undefined); await cfg().update('novaRelease', undefined, vscode.ConfigurationTarget.Global); });

  it('Check workspace: checks every nova.conf and domain XML of the folder and publishes their findings', async () => {
    const r = await vscode.commands.executeCommand('novaLibvirtCpu.checkWorkspace');
    assert.ok(r && r.checked >= 4, JSON.stringify(r));
    assert.ok(r.counts.error >= 2, JSON.stringify(r.counts));
    const mistakes = await h.waitForDiagnostics(h.workspaceUri('domain-mistakes.xml'), (ds) => ds.some((d) => h.codeOf(d) === 'libvirt/topology-mismatch'));
    assert.ok(mistakes.length >= 2, mistakes.map(h.fmtDiag).join('\n'));
    await h.waitForDiagnostics(h.workspaceUri('nova.conf'), (ds) => ds.some((d) => h.codeOf(d) === 'nova/cpu-models-without-custom'));
    assert.ok(logLines().some((l) => /^check workspace: Checked \d+ file\(s\)/.test(l)), logLines().slice(-5).join('\n'));
  });

  it('a novaRelease not understood is a warning in the language status, said once, and no finding on the files', async () => {
    const uri = h.workspaceUri('nova.conf');
    await h.openDoc(uri);
    await cfg().update('novaRelease', 'banana', vscode.ConfigurationTarget.Global);
    const items = await h.waitFor(() => { const s = ext.exports.languageStatus(); return s.items[0]?.severity === 'warning' ? s.items : undefined; }, { describe: () => JSON.stringify(ext.exports.languageStatus()) });
    assert.match(items[0].detail, /Unknown Nova release 'banana' in the novaRelease setting/);
    assert.match(items[0].text, /^Nova 2026\.2 Hibiscus \(34\) · libvirt 12\.8$/);
    await h.sleep(1000);
    assert.ok(h.ourDiagnostics(uri).every((d) => !/banana|release setting/.test(d.message)), h.ourDiagnostics(uri).map(h.fmtDiag).join('\n'));
    assert.ok(logLines().some((l) => l.startsWith("problem: Unknown Nova release 'banana'")));
  });

  it('Select Nova release… sets the release; the status and the log say what is in effect', async () => {
    const asked = [];
    ext.exports.setPrompts({ pick: async (items, o) => { asked.push(o.id); return items.find((i) => i.label === 'Zed (26)'); } });
    assert.strictEqual(await vscode.commands.executeCommand('novaLibvirtCpu.selectNovaRelease'), 'zed');
    assert.deepStrictEqual(asked, ['nova-release']);
    assert.strictEqual(cfg().inspect('novaRelease').globalValue, 'zed');
    const items = await h.waitFor(() => { const s = ext.exports.languageStatus(); return /Zed/.test(s.items[0]?.text ?? '') ? s.items : undefined; }, { describe: () => JSON.stringify(ext.exports.languageStatus()) });
    assert.strictEqual(items[0].text, 'Nova Zed (26) · libvirt 12.8');
    assert.strictEqual(items[0].severity, 'information');
    assert.match(items[1].text, /^cpu_map: bundled/);
    assert.match(items[1].detail, /\d+ models, \d+ features/);
    const log = logLines();
    assert.ok(log.some((l) => /^judging with Nova Zed \(26\), libvirt 12\.8; cpu_map: bundled \(libvirt 12\.8\.0\)/.test(l)), log.slice(-5).join('\n'));
    assert.ok(log.some((l) => l.startsWith('settings: novaRelease="zed"')), log.slice(-5).join('\n'));
  });

  it('contributes the problem matcher $nova-libvirt-cpu and the two editor commands, without the trust gate', async () => {
    const pkg = ext.packageJSON.contributes;
    assert.strictEqual(pkg.problemMatchers[0].name, 'nova-libvirt-cpu');
    for (const id of ['novaLibvirtCpu.checkWorkspace', 'novaLibvirtCpu.selectNovaRelease']) {
      assert.ok((await vscode.commands.getCommands(true)).includes(id), id);
      assert.strictEqual(pkg.commands.find((c) => c.command === id).enablement, undefined, id);
    }
  });
});
