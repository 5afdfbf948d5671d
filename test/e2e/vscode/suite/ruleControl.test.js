// Rule codes in real VS Code (issue 10): a diagnostic's code link opens its entry in the shipped rules
// reference (docs/rules/, a file: link, offline); the severity setting retunes a code or turns it off;
// the suppression quick fix inserts its comment and the finding goes. Settings change at the user level
// (the test window's own user data) and are reset after each test; edits go to untitled copies.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const CODE = 'nova/cpu-models-without-custom';
const NOVA = '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n';
const SETTING = 'diagnostics.severity';
const cfg = () => vscode.workspace.getConfiguration('novaLibvirtCpu');
const ofCode = (code) => (ds) => ds.filter((d) => h.codeOf(d) === code);

describe('rule codes: doc links, severity setting, suppression (code-server)', function () {
  this.timeout(120000);
  before(async () => { await h.openDoc('nova.conf'); await h.activeExtension(); });
  afterEach(async () => { await cfg().update(SETTING, undefined, vscode.ConfigurationTarget.Global); });

  it("a diagnostic's code link opens docs/rules/<kind>.md in an editor at that code's entry", async () => {
    for (const [rel, code] of [['nova.conf', CODE], ['domain-mistakes.xml', 'libvirt/topology-mismatch']]) {
      const uri = h.workspaceUri(rel);
      await h.openDoc(uri);
      const [d] = ofCode(code)(await h.waitForDiagnostics(uri, (ds) => ofCode(code)(ds).length > 0));
      const target = d.code.target;
      assert.ok(target instanceof vscode.Uri, `${code}: code has no link: ${JSON.stringify(d.code)}`);
      assert.strictEqual(target.scheme, 'file');
      assert.match(target.path, new RegExp(`/docs/rules/${code.split('/')[0]}\\.md$`));
      // What the Problems panel and the hover do with a code link: hand it to VS Code's opener.
      await vscode.commands.executeCommand('vscode.open', target);
      const editor = await h.waitFor(() => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.path === target.path && e.selection.active.line > 0 ? e : undefined;
      }, { describe: () => `active editor: ${vscode.window.activeTextEditor?.document.uri.toString()}` });
      const line = editor.selection.active.line;
      assert.strictEqual(editor.document.lineAt(line).text, `## ${code}`);
      const entry = editor.document.getText(new vscode.Range(line, 0, line + 6, 0));
      assert.match(entry, /\*\*(error|warning|information|hint)\*\*/, entry);
      assert.ok(editor.visibleRanges.some((r) => r.contains(new vscode.Position(line, 0))), 'the entry is scrolled into view');
    }
  });

  it('the severity setting changes a code\'s severity, and "off" removes the finding', async () => {
    const doc = await h.openUntitled('nova-conf', NOVA);
    const [before] = ofCode(CODE)(await h.waitForDiagnostics(doc.uri, (ds) => ofCode(CODE)(ds).length === 1));
    assert.strictEqual(before.severity, vscode.DiagnosticSeverity.Error);
    await cfg().update(SETTING, { [CODE]: 'hint' }, vscode.ConfigurationTarget.Global);
    await h.waitForDiagnostics(doc.uri, (ds) => ofCode(CODE)(ds).length === 1 && ofCode(CODE)(ds)[0].severity === vscode.DiagnosticSeverity.Hint);
    // A prefix pattern, as the setting's description says.
    await cfg().update(SETTING, { 'nova/cpu-models-*': 'off' }, vscode.ConfigurationTarget.Global);
    const after = await h.waitForDiagnostics(doc.uri, (ds) => ofCode(CODE)(ds).length === 0);
    assert.deepStrictEqual(ofCode(CODE)(after), []);
    await cfg().update(SETTING, undefined, vscode.ConfigurationTarget.Global);
    await h.waitForDiagnostics(doc.uri, (ds) => ofCode(CODE)(ds).length === 1 && ofCode(CODE)(ds)[0].severity === vscode.DiagnosticSeverity.Error);
  });

  it('the "Disable … for this line" quick fix inserts the disable-next-line comment and the finding goes', async () => {
    for (const [language, text, code, comment] of [
      ['nova-conf', NOVA, CODE, `# nova-libvirt-cpu: disable-next-line=${CODE}`],
      ['xml', "<domain type='kvm'>\n  <name>g</name>\n  <vcpu>4</vcpu>\n  <cpu>\n    <topology sockets='1' cores='2' threads='1'/>\n  </cpu>\n</domain>\n",
        'libvirt/topology-mismatch', '    <!-- nova-libvirt-cpu: disable-next-line=libvirt/topology-mismatch -->'],
    ]) {
      const doc = await h.openUntitled(language, text);
      const [d] = ofCode(code)(await h.waitForDiagnostics(doc.uri, (ds) => ofCode(code)(ds).length === 1));
      const fixes = await h.quickFixesAt(doc.uri, d.range);
      const fix = fixes.find((f) => f.title === `Disable ${code} for this line`);
      assert.ok(fix, `quick fixes: ${fixes.map((f) => f.title).join(' | ')}`);
      await h.applyCodeAction(fix);
      assert.strictEqual(doc.lineAt(d.range.start.line).text, comment);
      await h.waitForDiagnostics(doc.uri, (ds) => ofCode(code)(ds).length === 0);
      assert.strictEqual(doc.getText(), text.split('\n').flatMap((l, i) => (i === d.range.start.line ? [comment, l] : [l])).join('\n'));
    }
  });
});
