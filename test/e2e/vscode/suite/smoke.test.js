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

  it('reports nova/cpu-models-without-custom on nova.conf, with quick fixes', async () => {
    await h.openDoc(uri);
    const diags = await h.waitForDiagnostics(uri, (ds) => ds.some((d) => h.codeOf(d) === 'nova/cpu-models-without-custom'));
    const d = diags.find((x) => h.codeOf(x) === 'nova/cpu-models-without-custom');
    assert.strictEqual(d.source, h.SOURCE);
    const fixes = await h.quickFixesAt(uri, d.range);
    assert.ok(fixes.length > 0, 'expected a quick fix');
    console.log(`      quick fixes: ${fixes.map((f) => f.title).join(' | ')}`);
  });

  it('completes cpu_mode values and hovers the option', async () => {
    await h.openDoc(uri);
    const labels = (await h.completionAt(uri, 1, 11)).map(h.labelOf);
    assert.ok(labels.includes('custom'), `completion: [${labels.slice(0, 20)}]`);
    assert.match(h.hoverText(await h.hoverAt(uri, 1, 2)), /cpu_mode/);
  });

  it('applying a quick fix clears the finding (untitled copy, fixtures stay untouched)', async () => {
    const doc = await h.openUntitled('nova-conf', '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n');
    const code = 'nova/cpu-models-without-custom';
    const [d] = (await h.waitForDiagnostics(doc.uri, (ds) => ds.some((x) => h.codeOf(x) === code))).filter((x) => h.codeOf(x) === code);
    const fixes = await h.quickFixesAt(doc.uri, d.range);
    const fix = fixes.find((f) => f.isPreferred) || fixes[0];
    await h.applyCodeAction(fix);
    await h.waitForDiagnostics(doc.uri, (ds) => !ds.some((x) => h.codeOf(x) === code));
    console.log(`      applied "${fix.title}" ->\n${doc.getText().replace(/^/gm, '        ')}`);
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
    // line 8 = <model fallback='forbid'>, char 26 = inside the attribute value
    const labels = (await h.completionAt(uri, 8, 26)).map(h.labelOf);
    assert.ok(labels.includes('forbid'), `completion: [${labels.slice(0, 20)}]`);
  });

  it('reports a topology that does not multiply to <vcpu>, offers CPU models, and its quick fix clears it', async () => {
    const uri = h.workspaceUri('domain-mistakes.xml');
    await h.openDoc(uri);
    const code = 'libvirt/topology-mismatch';
    const diags = await h.waitForDiagnostics(uri, (ds) => ds.some((d) => h.codeOf(d) === code));
    const d = diags.find((x) => h.codeOf(x) === code);
    // Our first line (the point), libvirt's words verbatim after it.
    assert.match(d.message, /\nunsupported configuration: CPU topology doesn't match maximum vcpu count$/);
    assert.ok(diags.some((x) => h.codeOf(x) === 'libvirt/cpu-feature-qemu-spelling'), 'sse4-1 should be flagged');
    // line 8 = <model fallback='forbid'>Haswell-noTSX</model>, char 30 = inside the model name
    const labels = (await h.completionAt(uri, 8, 30)).map(h.labelOf);
    for (const m of ['Haswell-noTSX', 'Skylake-Server-IBRS', 'EPYC-Rome']) assert.ok(labels.includes(m), `completion lacks ${m}: [${labels.slice(0, 20)}]`);
    // Apply the fix on an untitled copy so the fixture stays as it is.
    const doc = await h.openUntitled('xml', (await h.openDoc(uri)).getText());
    const [u] = (await h.waitForDiagnostics(doc.uri, (ds) => ds.some((x) => h.codeOf(x) === code))).filter((x) => h.codeOf(x) === code);
    const fixes = await h.quickFixesAt(doc.uri, u.range);
    const fix = fixes.find((f) => /sockets='2'/.test(f.title));
    assert.ok(fix, `expected a "Set sockets='2'" fix: [${fixes.map((f) => f.title)}]`);
    await h.applyCodeAction(fix);
    await h.waitForDiagnostics(doc.uri, (ds) => !ds.some((x) => h.codeOf(x) === code));
    assert.match(doc.getText(), /<topology sockets='2' cores='2' threads='2'\/>/);
  });
});
