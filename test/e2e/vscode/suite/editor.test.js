// Editor polish in real VS Code (issue 10): other XML left alone (no diagnostics, snippets or outline),
// words that keep model and feature names whole, hover markdown with element names, fix-all actions.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const DOMAIN = [
  "<domain type='kvm'>",
  '  <name>e2e</name>',
  "  <memory unit='KiB'>1048576</memory>",
  '  <vcpu>2</vcpu>',
  '  <cputune>',
  "    <vcpupin vcpu='0' cpuset='0'/>",
  "    <vcpupin vcpu='5' cpuset='1'/>",
  "    <vcpupin vcpu='6' cpuset='1'/>",
  '  </cputune>',
  "  <cpu mode='custom' match='exact'>",
  "    <model fallback='forbid'>Skylake-Server-IBRS</model>",
  "    <feature policy='require' name='sse4.1'/>",
  '  </cpu>',
  '</domain>',
  '',
].join('\n');

describe('editor: other XML, words, hover markdown, fix-all (code-server)', () => {
  before(async () => {
    await h.openDoc('nova.conf');
    await h.activeExtension();
  });

  it('a GlassFish domain.xml and a pom.xml get no diagnostics, no libvirt snippets, no outline from us', async () => {
    for (const rel of ['glassfish/config/domain.xml', 'pom.xml']) {
      const uri = h.workspaceUri(rel);
      assert.strictEqual((await h.openDoc(uri)).languageId, 'xml');
      await h.waitForPublish(uri);
      assert.deepStrictEqual(h.ourDiagnostics(uri).map(h.fmtDiag), [], rel);
      const symbols = (await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri)) || [];
      assert.deepStrictEqual(symbols.map((s) => s.name), [], `${rel}: outline`);
    }
    const pom = h.workspaceUri('pom.xml');
    const labels = (await h.completionAt(pom, 6, 6)).map(h.labelOf);
    assert.ok(!labels.some((l) => /^libvirt-/.test(l)), `libvirt snippets in a pom.xml: ${labels.filter((l) => /libvirt/.test(l))}`);
  });

  it('a libvirt domain has an outline, words that keep Skylake-Server-IBRS and sse4.1 whole, and element names in hovers', async () => {
    const doc = await h.openUntitled('xml', DOMAIN);
    await h.waitForDiagnostics(doc.uri, (ds) => ds.length > 0);
    const symbols = await h.waitFor(async () => {
      const s = (await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri)) || [];
      return s.length ? s : undefined;
    }, { describe: () => 'waiting for the outline of the domain' });
    assert.deepStrictEqual(symbols.map((s) => s.name), ['vcpu', 'cputune', 'cpu']);
    const word = (line, character) => doc.getText(doc.getWordRangeAtPosition(new vscode.Position(line, character)));
    assert.strictEqual(word(10, 35), 'Skylake-Server-IBRS');
    assert.strictEqual(word(11, 40), 'sse4.1');
    const md = h.hoverText(await h.hoverAt(doc.uri, 9, 4));
    assert.match(md, /\*\*`<cpu>`\*\*/);
    console.log(`      hover: ${md.split('\n')[0]}`);
  });

  it('fix-all removes every vcpupin beyond <vcpu> in one action', async () => {
    const doc = await h.openUntitled('xml', DOMAIN);
    const code = 'libvirt/vcpupin-out-of-range';
    const diags = await h.waitForDiagnostics(doc.uri, (ds) => ds.filter((d) => h.codeOf(d) === code).length === 2);
    const fixes = await h.quickFixesAt(doc.uri, diags.find((d) => h.codeOf(d) === code).range);
    const all = fixes.find((f) => f.title === 'Remove all 2 vcpupins beyond <vcpu>');
    assert.ok(all, `quick fixes: ${fixes.map((f) => f.title).join(' | ')}`);
    await h.applyCodeAction(all);
    await h.waitForDiagnostics(doc.uri, (ds) => !ds.some((d) => h.codeOf(d) === code));
    assert.strictEqual((doc.getText().match(/<vcpupin /g) || []).length, 1);
  });
});
