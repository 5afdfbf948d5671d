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

  it('publishes diagnostics with source nova-libvirt-cpu', async () => {
    await h.openDoc(uri);
    const diags = await h.waitForDiagnostics(uri, (ds) => ds.length > 0);
    console.log(`    diagnostics: ${diags.map(h.fmtDiag).join(' | ')}`);
    assert.ok(diags.every((d) => d.source === h.SOURCE));
  });
});
