// An untrusted window: code-server with workspace trust on (run.mjs's second run, NLC_E2E_UNTRUSTED=1)
// and a folder nobody has trusted. The language features still work (untrustedWorkspaces: limited);
// every host command refuses to run before asking anything or running anything, and the [libvirt]
// code lens is not offered. (The palette and menus hide them through their when clauses: the
// manifest test checks those.)
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('host commands in an untrusted window', function () {
  this.timeout(120000);
  let ext;
  let doc;
  before(async () => {
    doc = await h.openUntitled('nova-conf', '[DEFAULT]\ndebug = true\n\n[libvirt]\ncpu_mode = host-passthrough\ncpu_models = Haswell\n');
    ext = await h.activeExtension();
  });
  afterEach(() => ext.exports.setPrompts(undefined));

  it('the window is untrusted and the extension runs in it: diagnostics come', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'code-server ran with workspace trust on and the folder is not trusted');
    const diags = await h.waitForDiagnostics(doc.uri, (ds) => ds.some((d) => h.codeOf(d) === 'nova/cpu-models-without-custom'));
    assert.ok(diags.length > 0);
  });

  it('every host command refuses: no question asked, no command run', async () => {
    const asked = [];
    const refuse = (id) => { asked.push(id); return Promise.resolve(undefined); };
    ext.exports.setPrompts({ pick: (_i, o) => refuse(o.id), pickMany: (_i, o) => refuse(o.id), input: (o) => refuse(o.id), confirm: (id) => refuse(id) });
    // Exactly the registered host commands (test/unit/manifest.test.ts ties the manifest to client/src/commandIds.ts).
    const ids = ext.packageJSON.contributes.commands.filter((c) => /isWorkspaceTrusted/.test(c.enablement ?? '')).map((c) => c.command);
    assert.strictEqual(ids.length, 14);
    for (const id of ids) {
      const r = await vscode.commands.executeCommand(id, ...(id === 'novaLibvirtCpu.setNovaCpuMode' ? [{ mode: 'host-model' }, 'localhost'] : []));
      assert.strictEqual(r, undefined, id);
    }
    assert.deepStrictEqual(asked, []);
    // The log has what the server judges with (settings, cpu_map), but no command run on a host (`host$ [argv]`).
    assert.deepStrictEqual(ext.exports.recentLog('trace').filter((l) => /\$ \[/.test(l)), [], 'nothing ran on any host');
  });

  it('the Compute nodes view reads nothing (an inventory can be a script Ansible runs)', async () => {
    await vscode.workspace.getConfiguration('novaLibvirtCpu').update('inventory', require('path').resolve(__dirname, '..', '..', '..', 'fixtures', 'inventory', 'fleet.ini'), vscode.ConfigurationTarget.Global);
    try {
      assert.deepStrictEqual(await ext.exports.computeNodes.getChildren(), []);
      assert.deepStrictEqual(ext.exports.recentLog('trace').filter((l) => /ansible-inventory/.test(l)), []);
    } finally {
      await vscode.workspace.getConfiguration('novaLibvirtCpu').update('inventory', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('no "Set Nova CPU mode…" code lens on [libvirt], though the server does see the section', async () => {
    const symbols = await h.waitFor(async () => {
      const s = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
      return s && s.length ? s : undefined;
    }, { describe: () => 'no document symbols' });
    assert.ok(symbols.some((s) => s.name.toLowerCase() === '[libvirt]'), symbols.map((s) => s.name).join(', '));
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 10);
    assert.deepStrictEqual((lenses || []).map((l) => l.command && l.command.command), []);
  });
});
