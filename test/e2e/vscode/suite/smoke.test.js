// Smoke test: the real extension activates in real VS Code and its language server reaches the editor.
'use strict';
const assert = require('assert');
const h = require('./helpers');

describe('smoke: nova.conf in VS Code (code-server)', () => {
  const uri = h.workspaceUri('nova.conf');

  it('opens nova.conf as nova-conf and activates the extension', async () => {
    const doc = await h.openDoc(uri);
    assert.strictEqual(doc.languageId, 'nova-conf');
    await h.activeExtension();
  });

  it('the language server publishes diagnostics for nova.conf', async () => {
    await h.openDoc(uri);
    const diags = await h.waitForPublish(uri);
    console.log(`      diagnostics: [${diags.map(h.fmtDiag).join(' | ')}]`);
    assert.ok(diags.every((d) => d.source === h.SOURCE));
  });

  it('an empty nova config gets a diagnostic with source nova-libvirt-cpu', async () => {
    const other = h.workspaceUri('nova-empty.conf');
    assert.strictEqual((await h.openDoc(other)).languageId, 'nova-conf');
    const diags = await h.waitForDiagnostics(other, (ds) => ds.length > 0);
    console.log(`      diagnostics: [${diags.map(h.fmtDiag).join(' | ')}]`);
  });

  h.todo('reports nova/cpu-models-without-custom on nova.conf', 'nova.conf rules not landed yet', async () => {
    await h.openDoc(uri);
    const diags = await h.waitForDiagnostics(uri, (ds) => ds.some((d) => h.codeOf(d) === 'nova/cpu-models-without-custom'), { timeout: 10000 });
    assert.strictEqual(diags.find((d) => h.codeOf(d) === 'nova/cpu-models-without-custom').source, h.SOURCE);
  });
});

describe('smoke: domain XML in VS Code (code-server)', () => {
  it('opens domain.xml as xml and the server publishes diagnostics for it', async () => {
    const uri = h.workspaceUri('domain.xml');
    const doc = await h.openDoc(uri);
    assert.strictEqual(doc.languageId, 'xml');
    const diags = await h.waitForPublish(uri);
    console.log(`      diagnostics: [${diags.map(h.fmtDiag).join(' | ')}]`);
    assert.ok(diags.every((d) => d.source === h.SOURCE));
  });
});
